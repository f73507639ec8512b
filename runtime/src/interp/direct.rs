//! States run directly. When nothing observes a run (its history keeps
//! nothing, no coverage is recorded, it is not a TestState), a JSONPath
//! Pass, Choice or Succeed state that assigns no variables runs without
//! the bookkeeping of a full state run: its events are counted, not
//! built; no [`StateRun`](super::StateRun) is made; it goes to the next
//! state by position. Its data goes through the same code as in a full
//! run (`pass::jsonpath`, `choice::jsonpath`, `terminal::succeed_jsonpath`),
//! so the output and errors are the same. The conformance runner,
//! `tests/run_never_panics.rs` and the fuzz `run` target run executions
//! both ways and require them to end alike.

use super::site::Site;
use super::table::Entry;
use super::{choice, pass, terminal, Execution, Thread};
use crate::context::{MapItem, StateContext};
use crate::error::Failure;
use serde_json::Value;
use sfc_asl::State;

/// How a state that can run directly goes on, by position in its machine.
pub(crate) enum Direct {
    /// Its Next (`None`: it ends the machine).
    Pass {
        next: Option<usize>,
    },
    /// Each rule's Next, in order, and the Default's.
    Choice {
        rules: Vec<usize>,
        default: Option<usize>,
    },
    Succeed,
}

impl Direct {
    /// How `state` goes on when run directly, given where the states it
    /// names are (`at`); `None` when it cannot be: another type, a state
    /// that assigns variables, or one that names a state its machine lacks
    /// (a full run raises that error).
    pub fn of(state: &State, at: impl Fn(&str) -> Option<usize>) -> Option<Direct> {
        match state {
            State::Pass(p) if p.assign.is_none() => {
                let next = match &p.next {
                    Some(n) => Some(at(n)?),
                    None => None,
                };
                Some(Direct::Pass { next })
            }
            State::Choice(c) if c.assign.is_none() && c.choices.iter().all(|r| r.assign.is_none()) => {
                let rules = c.choices.iter().map(|r| at(r.next.as_deref()?)).collect::<Option<Vec<usize>>>()?;
                let default = match &c.default {
                    Some(d) => Some(at(d)?),
                    None => None,
                };
                Some(Direct::Choice { rules, default })
            }
            State::Succeed(_) => Some(Direct::Succeed),
            _ => None,
        }
    }
}

impl Execution<'_> {
    /// Whether nothing observes the run, so that states can run directly.
    pub(super) fn unobserved(&self) -> bool {
        !self.history.records() && self.coverage.is_none() && self.inspection.is_none()
    }

    /// Runs `state` (whose entry is `entry`) directly on `data`, its input
    /// made its output in place: the events a full run records for it are
    /// counted, and its output is held to the payload limit. Gives the
    /// position of the state it goes to, `None` when it ends the machine.
    pub(super) fn run_directly(
        &self,
        entry: &Entry,
        direct: &Direct,
        state: &State,
        data: &mut Value,
        thread: &Thread,
        map_item: Option<&MapItem>,
    ) -> Result<Option<usize>, Failure> {
        let entered_id = self.history.count();
        thread.last.set(entered_id);
        let input_len = thread.input_len.take();
        let vars = thread.vars.borrow();
        let ctx = StateContext::new(&self.base_context, &entry.name, self.clock.now(), None, map_item);
        let site = Site { entry, entered_id, vars: &vars, ctx: &ctx, input_len, run: None };
        // A JSONPath Choice or Succeed outputs a part of its input, which
        // was checked when the state before produced it.
        let (next, len) = match (direct, state) {
            (Direct::Pass { next }, State::Pass(s)) => {
                let bound = pass::jsonpath(self, &site, s, data)?;
                (*next, Some(super::checked_len(&entry.name, data, bound)?))
            }
            (Direct::Choice { rules, default }, State::Choice(s)) => {
                let way = choice::jsonpath(self, &site, s, data)?;
                (way.map_or(*default, |i| rules.get(i).copied()), input_len)
            }
            (Direct::Succeed, State::Succeed(s)) => {
                terminal::succeed_jsonpath(self, &site, s, data)?;
                (None, input_len)
            }
            _ => return Err(Failure::runtime(format!("State '{}' is not the state its table entry was made for", entry.name))),
        };
        thread.input_len.set(len);
        thread.last.set(self.history.count());
        thread.passed_on(entry.passes_input_on);
        Ok(next)
    }
}

#[cfg(test)]
mod tests {
    use crate::error::Failure;
    use crate::history::Keeping;
    use crate::integration::{Integration, Scripted, Unavailable};
    use crate::{run_prepared, Prepared, RunOptions, Status};
    use serde_json::{json, Value};

    /// How an execution of `machine` on `input` ends, keeping its history
    /// (every state in full) or not (states run directly where they can).
    fn ending(
        machine: &Value,
        input: &Value,
        keeping: Keeping,
        integration: &dyn Integration,
    ) -> (Status, Option<Value>, Option<String>, Option<String>) {
        let prepared = Prepared::new(serde_json::from_value(machine.clone()).unwrap());
        let opts = RunOptions { keeping, start_time: chrono::DateTime::from_timestamp(1_767_225_600, 0), ..RunOptions::default() };
        let out = run_prepared(&prepared, input.clone(), integration, &opts);
        (out.status, out.output, out.error, out.cause)
    }

    fn both_ways(machine: Value, input: Value) -> (Status, Option<Value>, Option<String>, Option<String>) {
        both_ways_with(machine, input, &Unavailable, &Unavailable)
    }

    /// [`both_ways`] with an integration for each run.
    fn both_ways_with(
        machine: Value,
        input: Value,
        full_calls: &dyn Integration,
        direct_calls: &dyn Integration,
    ) -> (Status, Option<Value>, Option<String>, Option<String>) {
        let full = ending(&machine, &input, Keeping::All, full_calls);
        assert_eq!(ending(&machine, &input, Keeping::Nothing, direct_calls), full, "{machine}");
        full
    }

    /// Run directly, Pass, Choice and Succeed states give what they give in
    /// full: outputs, paths into the context and variables, and errors,
    /// whose causes name the id of the state's entered event.
    #[test]
    fn states_run_directly_end_as_they_do_in_full() {
        let (status, output, ..) = both_ways(
            json!({"StartAt": "Set", "States": {
                "Set": {"Type": "Pass", "Assign": {"limit": 2}, "Next": "Add"},
                "Add": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)", "name.$": "$$.State.Name",
                    "first.$": "$$.Execution.Input.i"}, "ResultPath": "$", "Next": "Loop"},
                "Loop": {"Type": "Choice", "Choices": [{"Variable": "$.i", "NumericLessThanPath": "$limit", "Next": "Add"}],
                    "Default": "Items"},
                "Items": {"Type": "Pass", "Result": ["a", "b"], "ResultPath": "$.items", "OutputPath": "$.items", "Next": "Each"},
                "Each": {"Type": "Map", "ItemProcessor": {"StartAt": "At", "States": {
                    "At": {"Type": "Pass", "Parameters": {"at.$": "$$.Map.Item.Index", "v.$": "$"}, "Next": "Done"},
                    "Done": {"Type": "Succeed", "InputPath": "$.at"}}}, "Next": "End"},
                "End": {"Type": "Succeed"}}}),
            json!({"i": 0}),
        );
        assert_eq!((status, output), (Status::Succeeded, Some(json!([0, 1]))));
        let failures = [
            // InputPath finds nothing.
            json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "InputPath": "$.missing", "End": true}}}),
            // ResultPath through a string.
            json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": 1, "ResultPath": "$.s.deeper", "End": true}}}),
            // OutputPath finds nothing, after a state that ran directly.
            json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "P"},
                "P": {"Type": "Pass", "OutputPath": "$.missing", "End": true}}}),
            // A template reads a path that is not there.
            json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"x.$": "$.missing"}, "End": true}}}),
            // No rule matches and there is no Default.
            json!({"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [
                {"Variable": "$.s", "StringEquals": "no", "Next": "C"}]}}}),
            // A rule compares a path that is not there.
            json!({"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [
                {"Variable": "$.s", "NumericLessThanPath": "$.missing", "Next": "C"}], "Default": "E"},
                "E": {"Type": "Succeed"}}}),
            // The output outgrows the payload limit.
            json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "InputPath": "$.big", "ResultPath": "$.again", "Next": "Q"},
                "Q": {"Type": "Pass", "InputPath": "$.big", "ResultPath": "$.third", "End": true}}}),
        ];
        let input = json!({"s": "text", "big": "x".repeat(100 * 1024)});
        for machine in failures {
            let (status, _, error, cause) = both_ways(machine.clone(), input.clone());
            assert_eq!(status, Status::Failed, "{machine}: {error:?} {cause:?}");
        }
    }

    /// A state that passes its input on as it is (JSONata or JSONPath, run
    /// directly or in full) hands the input's JSONata conversion to the
    /// next state, and a line of control keeps its variables converted
    /// until they are assigned: every state still sees its own input and
    /// the variables as they are, whichever states (narrowing, writing a
    /// result, reshaping, caught or not, in a Map) come between.
    #[test]
    fn jsonata_states_see_their_own_input_and_the_variables_as_assigned() {
        let machine = json!({"QueryLanguage": "JSONata", "StartAt": "Init", "States": {
            "Init": {"Type": "Pass", "Assign": {"x": 1, "big": "{% $states.input %}"}, "Next": "Check"},
            "Check": {"Type": "Choice", "Choices": [{"Condition": "{% $states.input.n = 1 and $x = 1 %}", "Next": "Through"}],
                "Default": "Wrong"},
            "Through": {"Type": "Pass", "QueryLanguage": "JSONPath", "Next": "Route"},
            "Route": {"Type": "Choice", "QueryLanguage": "JSONPath", "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "Peek"}],
                "Default": "Wrong"},
            "Peek": {"Type": "Pass", "Assign": {"first": "{% $states.input.n %}"}, "Next": "Narrow"},
            "Narrow": {"Type": "Pass", "QueryLanguage": "JSONPath", "InputPath": "$.inner", "Next": "Inside"},
            "Inside": {"Type": "Pass", "Assign": {"inner": "{% $states.input.n %}"}, "Next": "Bump"},
            "Bump": {"Type": "Pass", "QueryLanguage": "JSONPath", "Result": 2, "ResultPath": "$.n", "Next": "Carry"},
            "Carry": {"Type": "Pass", "QueryLanguage": "JSONPath", "Next": "Reshape"},
            "Reshape": {"Type": "Pass", "Output": "{% {'n': $states.input.n + 100} %}", "Next": "Read"},
            "Read": {"Type": "Pass", "Assign": {"seen": "{% $states.input.n %}", "x": "{% $x + 1 %}"}, "Next": "Again"},
            "Again": {"Type": "Pass", "Assign": {"x": "{% $x * 10 %}"}, "Next": "Still"},
            "Still": {"Type": "Wait", "Seconds": 0, "Next": "Each"},
            "Each": {"Type": "Map", "Items": "{% [1, 2] %}", "ItemProcessor": {"StartAt": "Add", "States": {
                "Add": {"Type": "Pass", "Assign": {"x": "{% $x + $states.input %}"}, "Next": "Give"},
                "Give": {"Type": "Pass", "Output": "{% $x %}", "End": true}}},
                "Assign": {"sums": "{% $states.result %}"}, "Next": "Call"},
            "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": "{% $states.input %}",
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}], "Next": "Wrong"},
            "Caught": {"Type": "Pass", "Next": "Done"},
            "Done": {"Type": "Succeed", "Output": "{% {'n': $big.n, 'first': $first, 'inner': $inner, 'seen': $seen, 'x': $x,
                'sums': $sums, 'error': $states.input.Error} %}"},
            "Wrong": {"Type": "Fail", "Error": "Wrong"}}});
        let calls = || Scripted::new().then("Call", Err(Failure::new("Boom", "no")));
        let (full, direct) = (calls(), calls());
        let (status, output, error, _) = both_ways_with(machine, json!({"n": 1, "inner": {"n": 5}}), &full, &direct);
        let expected = json!({"n": 1, "first": 1, "inner": 5, "seen": 102, "x": 20, "sums": [21, 22], "error": "Boom"});
        assert_eq!((status, error, output), (Status::Succeeded, None, Some(expected)));
        for made in [full.calls(), direct.calls()] {
            assert_eq!(made, [("Call".to_string(), json!([21, 22]))]);
        }
    }

    /// Events are counted the same way: a STANDARD loop stops at AWS's
    /// history limit at the same state either way.
    #[test]
    fn a_direct_run_counts_the_events_it_does_not_keep() {
        let machine = json!({"StartAt": "Add", "States": {
            "Add": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)"}, "Next": "Loop"},
            "Loop": {"Type": "Choice", "Choices": [{"Variable": "$.i", "NumericLessThan": 100000, "Next": "Add"}],
                "Default": "Done"},
            "Done": {"Type": "Succeed"}}});
        let (status, _, error, cause) = both_ways(machine, json!({"i": 0}));
        assert_eq!((status, error.as_deref()), (Status::Failed, Some("States.Runtime")));
        assert!(cause.is_some_and(|c| c.contains("maximum number of history events")));
    }
}
