//! A state machine as a diagram: Mermaid, Graphviz DOT, or SVG laid out
//! here ([`layout`]). Choice states
//! are diamonds, Parallel and Map states subgraphs, Catch edges dashed and
//! labelled with the errors they catch. Given a run's coverage, the parts
//! taken are drawn green and the others red and dashed.

mod layout;
mod syntax;

use sfc_asl::parts::Part;
use sfc_asl::{Catcher, ChoiceRule, State, StateMachine};
use std::collections::HashSet;
use syntax::{Mark, Shape, Writer};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Mermaid,
    Dot,
    /// A picture, laid out by sfc: for pages that cannot run Mermaid.
    Svg,
}

/// Renders a machine.
pub fn render(m: &StateMachine, format: Format) -> String {
    render_covered(m, format, None)
}

/// Renders a machine with the parts a run took (`sfc graph --coverage`)
/// marked: states entered, rules, Defaults, Catch entries and transitions
/// taken; Retry entries are listed in their state's box.
pub fn render_covered(m: &StateMachine, format: Format, taken: Option<&HashSet<Part>>) -> String {
    let mut g = Graph {
        w: Writer::new(format),
        ids: Default::default(),
        end_scope: "__end".into(),
        ends_drawn: Default::default(),
        container_names: containers(m),
        taken,
    };
    if taken.is_some() && format == Format::Mermaid {
        g.w.out.push_str("  %% coverage: green parts were taken by the cases, red dashed ones never\n");
    }
    let start = g.id("__start");
    g.w.node(&start, None, "Start", Shape::Terminal, Mark::Plain, 1);
    g.machine(m, 1);
    let first = g.id(&m.start_at);
    let mark = g.mark(Part::State(m.start_at.clone()));
    g.w.edge(&start, &first, None, false, mark, 1);
    g.w.finish()
}

struct Graph<'t> {
    w: Writer,
    /// Each state name's short id, numbered in the order first seen.
    ids: std::collections::HashMap<String, usize>,
    /// The End node states with `End` reach here: the machine's, or the
    /// branch's or processor's being drawn (each has its own).
    end_scope: String,
    ends_drawn: HashSet<String>,
    /// Parallel and Map states, drawn as clusters.
    container_names: HashSet<String>,
    /// The parts a run took, when coverage is drawn.
    taken: Option<&'t HashSet<Part>>,
}

/// The names of every Parallel and Map state, at any depth.
fn containers(m: &StateMachine) -> HashSet<String> {
    m.all_states().into_iter().filter(|(_, s)| matches!(s, State::Parallel(_) | State::Map(_))).map(|(n, _)| n.to_string()).collect()
}

impl Graph<'_> {
    fn id(&mut self, name: &str) -> String {
        let next = self.ids.len();
        let i = *self.ids.entry(name.to_string()).or_insert(next);
        let id = format!("s{i}");
        if self.container_names.contains(name) {
            self.w.cluster_ids.insert(id.clone());
        }
        id
    }

    /// How coverage marks `part`.
    fn mark(&self, part: Part) -> Mark {
        match self.taken {
            None => Mark::Plain,
            Some(t) if t.contains(&part) => Mark::Taken,
            Some(_) => Mark::Missed,
        }
    }

    /// Draws `inner` with End edges going to an End node of its own.
    fn scoped(&mut self, scope: String, inner: impl FnOnce(&mut Graph)) {
        let outer = std::mem::replace(&mut self.end_scope, scope);
        inner(self);
        self.end_scope = outer;
    }

    /// A state's box: its name, and with coverage each Retry entry's fate.
    fn label(&self, name: &str, state: &State, first: String) -> String {
        let mut label = first;
        if self.taken.is_some() {
            for (i, r) in state.retriers().iter().enumerate() {
                let word = if self.mark(Part::Retrier(name.to_string(), i)) == Mark::Taken { "retried" } else { "never retried" };
                label.push_str(&format!("\n{word}: {}", r.error_equals.join(", ")));
            }
        }
        label
    }

    fn machine(&mut self, m: &StateMachine, depth: usize) {
        for (name, state) in &m.states {
            let id = self.id(name);
            let mark = self.mark(Part::State(name.clone()));
            match state {
                State::Choice(c) => {
                    self.w.node(&id, Some(name), name, Shape::Diamond, mark, depth);
                    for (i, rule) in c.choices.iter().enumerate() {
                        if let Some(n) = &rule.next {
                            let to = self.id(n);
                            let mark = self.mark(Part::Rule(name.clone(), i));
                            self.w.edge(&id, &to, Some(&condition(rule)), false, mark, depth);
                        }
                    }
                    if let Some(d) = &c.default {
                        let to = self.id(d);
                        let mark = self.mark(Part::Default(name.clone()));
                        self.w.edge(&id, &to, Some("default"), false, mark, depth);
                    }
                }
                State::Parallel(p) => {
                    let label = self.label(name, state, name.clone());
                    self.subgraph(&id, Some(name), &label, mark, depth, |g, d| {
                        for (i, b) in p.branches.iter().enumerate() {
                            let branch = format!("{id}_b{i}");
                            let scope = format!("__end_{branch}");
                            let label = format!("branch {}", i + 1);
                            g.subgraph(&branch, None, &label, Mark::Plain, d, |g, d2| g.scoped(scope, |g| g.machine(b, d2)));
                        }
                    });
                    self.flow(name, &id, state, p.catch.as_deref(), depth);
                }
                State::Map(m2) => {
                    if let Some(proc) = m2.processor() {
                        let scope = format!("__end_{id}");
                        let label = self.label(name, state, format!("{name} (each item)"));
                        self.subgraph(&id, Some(name), &label, mark, depth, |g, d| g.scoped(scope, |g| g.machine(proc, d)));
                    }
                    self.flow(name, &id, state, m2.catch.as_deref(), depth);
                }
                State::Succeed(_) => self.w.node(&id, Some(name), name, Shape::Terminal, mark, depth),
                State::Fail(_) => self.w.node(&id, Some(name), name, Shape::Failure, mark, depth),
                State::Task(t) => {
                    let label = self.label(name, state, format!("{name}\n{}", t.resource.rsplit(":::").next().unwrap_or(&t.resource)));
                    self.w.node(&id, Some(name), &label, Shape::Box, mark, depth);
                    self.flow(name, &id, state, t.catch.as_deref(), depth);
                }
                State::Pass(_) | State::Wait(_) => {
                    self.w.node(&id, Some(name), name, Shape::Box, mark, depth);
                    self.flow(name, &id, state, None, depth);
                }
            }
        }
    }

    /// Next (or End) and Catch edges of a state.
    fn flow(&mut self, name: &str, id: &str, state: &State, catch: Option<&[Catcher]>, depth: usize) {
        let mark = self.mark(Part::Next(name.to_string()));
        if let Some(n) = state.next() {
            let to = self.id(n);
            self.w.edge(id, &to, None, false, mark, depth);
        } else {
            let scope = self.end_scope.clone();
            let to = self.id(&scope);
            if self.ends_drawn.insert(scope) {
                self.w.node(&to, None, "End", Shape::Terminal, Mark::Plain, depth);
            }
            self.w.edge(id, &to, None, false, mark, depth);
        }
        for (i, c) in catch.unwrap_or(&[]).iter().enumerate() {
            let to = self.id(&c.next);
            let mark = self.mark(Part::Catcher(name.to_string(), i));
            self.w.edge(id, &to, Some(&c.error_equals.join(", ")), true, mark, depth);
        }
    }

    /// A container (Parallel, Map, branch) drawn as a subgraph.
    fn subgraph(&mut self, id: &str, state: Option<&str>, label: &str, mark: Mark, depth: usize, inner: impl FnOnce(&mut Graph, usize)) {
        self.w.open_cluster(id, state, label, mark, depth);
        inner(self, depth + 1);
        self.w.close_cluster(depth);
    }
}

/// A Choice rule as its edge reads it (`$.i < $.n`, `not $.done == true`,
/// a JSONata condition's text), cut at 40 characters.
fn condition(rule: &ChoiceRule) -> String {
    let text = rule.test.text();
    match text.char_indices().nth(40) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn machine() -> StateMachine {
        serde_json::from_value(serde_json::json!({
            "StartAt": "C",
            "States": {
                "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "NumericEquals": 1, "Next": "T"}], "Default": "P"},
                "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F"}], "End": true},
                "P": {"Type": "Parallel", "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}], "End": true},
                "F": {"Type": "Fail", "Error": "E"}
            }
        }))
        .unwrap()
    }

    #[test]
    fn mermaid_has_diamonds_subgraphs_and_dashed_catches() {
        let out = render(&machine(), Format::Mermaid);
        assert!(out.starts_with("flowchart TD\n"));
        assert!(out.contains("s1{\"C\"}"), "{out}");
        assert!(out.contains("-. \"States.ALL\" .->"), "{out}");
        assert!(out.contains("-->|\"$.x == 1\"|"), "Choice edges read as their condition: {out}");
        assert!(out.contains("{{\"F\"}}"), "a Fail state is drawn unlike a Succeed state: {out}");
        assert!(out.contains("subgraph s"), "{out}");
    }

    #[test]
    fn each_branch_ends_at_its_own_end_and_cluster_edges_meet_the_border() {
        let m: StateMachine = serde_json::from_value(serde_json::json!({"StartAt": "P", "States": {
            "P": {"Type": "Parallel", "Next": "Done", "Branches": [
                {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
                {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}]},
            "Done": {"Type": "Pass", "End": true}}}))
        .unwrap();
        let out = render(&m, Format::Mermaid);
        assert_eq!(out.matches("([\"End\"])").count(), 3, "one End per branch and the machine's: {out}");
        let dot = render(&m, Format::Dot);
        assert!(dot.contains("ltail=cluster_"), "{dot}");
    }

    #[test]
    fn svg_has_every_state_once_with_its_name_and_edges_between_them() {
        let out = render(&machine(), Format::Svg);
        assert!(out.starts_with("<svg ") && out.trim_end().ends_with("</svg>"), "{out}");
        for state in ["C", "T", "P", "B", "F"] {
            assert_eq!(out.matches(&format!("data-state=\"{state}\"")).count(), 1, "{state}: {out}");
        }
        assert!(out.contains("class=\"node failure\" data-state=\"F\""), "{out}");
        assert!(out.contains("class=\"container\" data-state=\"P\""), "{out}");
        assert!(out.contains("class=\"edge dashed\" data-from=\"T\" data-to=\"F\""), "the Catch edge: {out}");
        assert!(out.contains(">$.x == 1</text>"), "{out}");
        let covered =
            render_covered(&machine(), Format::Svg, Some(&[Part::State("C".into()), Part::Default("C".into())].into_iter().collect()));
        assert!(covered.contains("class=\"node diamond taken\" data-state=\"C\""), "{covered}");
        assert!(covered.contains("class=\"edge missed\" data-from=\"C\" data-to=\"T\""), "{covered}");
    }

    /// A loop and a long edge: every coordinate is a number, nothing overlaps
    /// in a layer.
    #[test]
    fn svg_lays_out_loops_and_long_edges() {
        let m: StateMachine = serde_json::from_value(serde_json::json!({"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Next": "B"},
            "B": {"Type": "Choice", "Choices": [{"Variable": "$.again", "BooleanEquals": true, "Next": "A"}], "Default": "C"},
            "C": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "E"}], "Next": "D"},
            "D": {"Type": "Pass", "Next": "E"},
            "E": {"Type": "Succeed"}}}))
        .unwrap();
        let out = render(&m, Format::Svg);
        assert!(!out.contains("NaN") && !out.contains("inf"), "{out}");
        assert_eq!(out.matches("<g class=\"edge").count(), 7, "Start→A, A→B, B→A, B→C, C→D, C→E, D→E: {out}");
    }

    #[test]
    fn dot_is_a_digraph_with_clusters() {
        let out = render(&machine(), Format::Dot);
        assert!(out.starts_with("digraph StateMachine {"));
        assert!(out.contains("shape=diamond"));
        assert!(out.contains("style=dashed"));
        assert!(out.contains("subgraph cluster_"));
        assert!(out.trim_end().ends_with('}'));
    }
}
