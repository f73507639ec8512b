//! The parts of a machine a run can exercise: each state, each Choice rule
//! and Default, each Retry and Catch entry, and each state's own way on
//! (its Next or End). A run records the parts it took (`sfc test
//! --coverage`); a diagram draws them; both name them the same way.
//! State names are unique in a whole machine, so a name and an index say
//! which part.

use crate::{State, StateMachine};

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Part {
    /// The state was entered.
    State(String),
    /// Choice rule `index` matched.
    Rule(String, usize),
    /// No Choice rule matched and the Default was taken.
    Default(String),
    /// Retry entry `index` retried the state.
    Retrier(String, usize),
    /// Catch entry `index` took the state's error.
    Catcher(String, usize),
    /// The state went on by its own Next or End (a Choice goes on by its
    /// rules, and Succeed and Fail do not go on).
    Next(String),
}

/// What a part is, for counting them by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    States,
    Choices,
    Retries,
    Catches,
    Transitions,
}

impl Kind {
    pub const ALL: [Kind; 5] = [Kind::States, Kind::Choices, Kind::Retries, Kind::Catches, Kind::Transitions];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::States => "states",
            Kind::Choices => "choices",
            Kind::Retries => "retries",
            Kind::Catches => "catches",
            Kind::Transitions => "transitions",
        }
    }
}

impl Part {
    pub fn kind(&self) -> Kind {
        match self {
            Part::State(_) => Kind::States,
            Part::Rule(..) | Part::Default(_) => Kind::Choices,
            Part::Retrier(..) => Kind::Retries,
            Part::Catcher(..) => Kind::Catches,
            Part::Next(_) => Kind::Transitions,
        }
    }

    /// What the part is, in a word: state, rule, default, retry, catch, next.
    pub fn label(&self) -> &'static str {
        match self {
            Part::State(_) => "state",
            Part::Rule(..) => "rule",
            Part::Default(_) => "default",
            Part::Retrier(..) => "retry",
            Part::Catcher(..) => "catch",
            Part::Next(_) => "next",
        }
    }

    /// Its place in its list (Choices, Retry, Catch), from 0.
    pub fn index(&self) -> Option<usize> {
        match self {
            Part::Rule(_, i) | Part::Retrier(_, i) | Part::Catcher(_, i) => Some(*i),
            _ => None,
        }
    }

    /// The state the part belongs to.
    pub fn state(&self) -> &str {
        match self {
            Part::State(s) | Part::Rule(s, _) | Part::Default(s) | Part::Retrier(s, _) | Part::Catcher(s, _) | Part::Next(s) => s,
        }
    }

    /// The part as a reader finds it in the definition: `Check rule 2
    /// ($.n > 3) → Big`, `Charge Retry[0] (States.Timeout)`.
    pub fn describe(&self, machine: &StateMachine) -> String {
        let state = machine.find_state(self.state());
        match (self, state) {
            (Part::State(s), _) => s.clone(),
            (Part::Rule(s, i), Some(State::Choice(c))) => match c.choices.get(*i) {
                Some(rule) => format!("{s} rule {} ({}) → {}", i + 1, rule.test.text(), rule.next.as_deref().unwrap_or("?")),
                None => format!("{s} rule {}", i + 1),
            },
            (Part::Default(s), Some(State::Choice(c))) => format!("{s} Default → {}", c.default.as_deref().unwrap_or("?")),
            (Part::Retrier(s, i), Some(st)) => match st.retriers().get(*i) {
                Some(r) => format!("{s} Retry[{i}] ({})", r.error_equals.join(", ")),
                None => format!("{s} Retry[{i}]"),
            },
            (Part::Catcher(s, i), Some(st)) => match st.catchers().get(*i) {
                Some(c) => format!("{s} Catch[{i}] ({}) → {}", c.error_equals.join(", "), c.next),
                None => format!("{s} Catch[{i}]"),
            },
            (Part::Next(s), Some(st)) => format!("{s} → {}", st.next().unwrap_or("End")),
            (part, _) => format!("{part:?}"),
        }
    }
}

/// Every part of `machine`, branches' and processors' included, in the
/// order the definition gives them.
pub fn parts(machine: &StateMachine) -> Vec<Part> {
    let mut out = Vec::new();
    for (name, state) in machine.all_states() {
        let name = name.to_string();
        out.push(Part::State(name.clone()));
        if let State::Choice(c) = state {
            out.extend((0..c.choices.len()).map(|i| Part::Rule(name.clone(), i)));
            if c.default.is_some() {
                out.push(Part::Default(name.clone()));
            }
        }
        out.extend((0..state.retriers().len()).map(|i| Part::Retrier(name.clone(), i)));
        out.extend((0..state.catchers().len()).map(|i| Part::Catcher(name.clone(), i)));
        if goes_on(state) {
            out.push(Part::Next(name));
        }
    }
    out
}

/// Whether the state has a Next or End of its own.
pub fn goes_on(state: &State) -> bool {
    !matches!(state, State::Choice(_) | State::Succeed(_) | State::Fail(_))
}

impl StateMachine {
    /// Every state at any depth (Parallel branches, Map processors), depth
    /// first in the definition's order.
    pub fn all_states(&self) -> Vec<(&str, &State)> {
        let mut out = Vec::new();
        collect(self, &mut out);
        out
    }

    /// The state named `name` at any depth.
    pub fn find_state(&self, name: &str) -> Option<&State> {
        self.all_states().into_iter().find(|(n, _)| *n == name).map(|(_, s)| s)
    }
}

fn collect<'m>(m: &'m StateMachine, out: &mut Vec<(&'m str, &'m State)>) {
    for (name, state) in &m.states {
        out.push((name.as_str(), state));
        for inner in state.machines() {
            collect(inner, out);
        }
    }
}

impl State {
    /// The machines a state holds: a Parallel's branches, a Map's processor.
    pub fn machines(&self) -> Vec<&StateMachine> {
        match self {
            State::Parallel(p) => p.branches.iter().collect(),
            State::Map(m) => m.processor().into_iter().collect(),
            _ => Vec::new(),
        }
    }

    /// Its Retry entries (none for states that take no Retry).
    pub fn retriers(&self) -> &[crate::Retrier] {
        let r = match self {
            State::Task(s) => &s.retry,
            State::Parallel(s) => &s.retry,
            State::Map(s) => &s.retry,
            _ => return &[],
        };
        r.as_deref().unwrap_or(&[])
    }

    /// Its Catch entries.
    pub fn catchers(&self) -> &[crate::Catcher] {
        let c = match self {
            State::Task(s) => &s.catch,
            State::Parallel(s) => &s.catch,
            State::Map(s) => &s.catch,
            _ => return &[],
        };
        c.as_deref().unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_every_part_in_order_nested_ones_too() {
        let m: StateMachine = serde_json::from_value(serde_json::json!({"StartAt": "C", "States": {
            "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "NumericEquals": 1, "Next": "T"}], "Default": "P"},
            "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
                  "Retry": [{"ErrorEquals": ["States.Timeout"]}], "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F"}]},
            "P": {"Type": "Parallel", "End": true, "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}]},
            "F": {"Type": "Fail"}}}))
        .unwrap();
        let s = |n: &str| n.to_string();
        assert_eq!(
            parts(&m),
            vec![
                Part::State(s("C")),
                Part::Rule(s("C"), 0),
                Part::Default(s("C")),
                Part::State(s("T")),
                Part::Retrier(s("T"), 0),
                Part::Catcher(s("T"), 0),
                Part::Next(s("T")),
                Part::State(s("P")),
                Part::Next(s("P")),
                Part::State(s("B")),
                Part::Next(s("B")),
                Part::State(s("F")),
            ]
        );
        assert_eq!(Part::Rule(s("C"), 0).describe(&m), "C rule 1 ($.x == 1) → T");
        assert_eq!(Part::Catcher(s("T"), 0).describe(&m), "T Catch[0] (States.ALL) → F");
        assert_eq!(Part::Next(s("B")).describe(&m), "B → End");
    }
}
