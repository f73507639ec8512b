//! A state machine as a diagram: Mermaid or Graphviz DOT. Choice states
//! are diamonds, Parallel and Map states subgraphs, Catch edges dashed and
//! labelled with the errors they catch.

use sfc_asl::{Catcher, ChoiceRule, State, StateMachine, Test};
use std::fmt::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Mermaid,
    Dot,
}

/// Renders a machine.
pub fn render(m: &StateMachine, format: Format) -> String {
    let mut g = Graph {
        format,
        out: String::new(),
        ids: Default::default(),
        end_scope: "__end".into(),
        ends_drawn: Default::default(),
        container_names: containers(m),
        container_ids: Default::default(),
    };
    match format {
        Format::Mermaid => g.out.push_str("flowchart TD\n"),
        Format::Dot => {
            g.out.push_str("digraph StateMachine {\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n  compound=true;\n")
        }
    }
    let start = g.id("__start");
    g.node(&start, "Start", Shape::Terminal, 1);
    g.machine(m, 1);
    let first = g.id(&m.start_at);
    g.edge(&start, &first, None, false, 1);
    if format == Format::Dot {
        g.out.push_str("}\n");
    }
    g.out
}

enum Shape {
    Box,
    Diamond,
    Terminal,
    /// A Fail state: drawn unlike a Succeed state.
    Failure,
}

struct Graph {
    format: Format,
    out: String,
    /// Each state name's short id, numbered in the order first seen.
    ids: std::collections::HashMap<String, usize>,
    /// The End node states with `End` reach here: the machine's, or the
    /// branch's or processor's being drawn (each has its own).
    end_scope: String,
    ends_drawn: std::collections::HashSet<String>,
    /// Parallel and Map states, drawn as clusters: DOT edges to and from
    /// them end at the cluster's border (lhead / ltail).
    container_names: std::collections::HashSet<String>,
    container_ids: std::collections::HashSet<String>,
}

/// The names of every Parallel and Map state, at any depth.
fn containers(m: &StateMachine) -> std::collections::HashSet<String> {
    let mut names = std::collections::HashSet::new();
    let mut machines = vec![m];
    while let Some(m) = machines.pop() {
        for (name, state) in &m.states {
            match state {
                State::Parallel(p) => {
                    names.insert(name.clone());
                    machines.extend(p.branches.iter());
                }
                State::Map(map) => {
                    names.insert(name.clone());
                    machines.extend(map.processor());
                }
                _ => {}
            }
        }
    }
    names
}

impl Graph {
    fn id(&mut self, name: &str) -> String {
        let next = self.ids.len();
        let i = *self.ids.entry(name.to_string()).or_insert(next);
        let id = format!("s{i}");
        if self.container_names.contains(name) {
            self.container_ids.insert(id.clone());
        }
        id
    }

    /// Draws `inner` with End edges going to an End node of its own.
    fn scoped(&mut self, scope: String, inner: impl FnOnce(&mut Graph)) {
        let outer = std::mem::replace(&mut self.end_scope, scope);
        inner(self);
        self.end_scope = outer;
    }

    fn indent(depth: usize) -> String {
        "  ".repeat(depth)
    }

    fn node(&mut self, id: &str, label: &str, shape: Shape, depth: usize) {
        let pad = Self::indent(depth);
        let line_break = if self.format == Format::Mermaid { "<br/>" } else { "\\n" };
        let label = label.replace('"', "'").replace('\n', line_break);
        let _ = match (self.format, shape) {
            (Format::Mermaid, Shape::Box) => writeln!(self.out, "{pad}{id}[\"{label}\"]"),
            (Format::Mermaid, Shape::Diamond) => writeln!(self.out, "{pad}{id}{{\"{label}\"}}"),
            (Format::Mermaid, Shape::Terminal) => writeln!(self.out, "{pad}{id}([\"{label}\"])"),
            (Format::Mermaid, Shape::Failure) => writeln!(self.out, "{pad}{id}{{{{\"{label}\"}}}}"),
            (Format::Dot, Shape::Box) => writeln!(self.out, "{pad}{id} [label=\"{label}\"];"),
            (Format::Dot, Shape::Diamond) => writeln!(self.out, "{pad}{id} [label=\"{label}\", shape=diamond, style=\"\"];"),
            (Format::Dot, Shape::Terminal) => writeln!(self.out, "{pad}{id} [label=\"{label}\", shape=oval];"),
            (Format::Dot, Shape::Failure) => writeln!(self.out, "{pad}{id} [label=\"{label}\", shape=octagon];"),
        };
    }

    fn edge(&mut self, from: &str, to: &str, label: Option<&str>, dashed: bool, depth: usize) {
        let pad = Self::indent(depth);
        let label = label.map(|l| l.replace(['"', '|'], "'"));
        let _ = match (self.format, label, dashed) {
            (Format::Mermaid, Some(l), true) => writeln!(self.out, "{pad}{from} -. \"{l}\" .-> {to}"),
            (Format::Mermaid, Some(l), false) => writeln!(self.out, "{pad}{from} -->|\"{l}\"| {to}"),
            (Format::Mermaid, None, true) => writeln!(self.out, "{pad}{from} -.-> {to}"),
            (Format::Mermaid, None, false) => writeln!(self.out, "{pad}{from} --> {to}"),
            (Format::Dot, l, dashed) => {
                let mut attrs = Vec::new();
                if let Some(l) = l {
                    attrs.push(format!("label=\"{l}\""));
                }
                if dashed {
                    attrs.push("style=dashed".into());
                }
                if self.container_ids.contains(from) {
                    attrs.push(format!("ltail=cluster_{from}"));
                }
                if self.container_ids.contains(to) {
                    attrs.push(format!("lhead=cluster_{to}"));
                }
                writeln!(
                    self.out,
                    "{pad}{from} -> {to}{};",
                    if attrs.is_empty() { String::new() } else { format!(" [{}]", attrs.join(", ")) }
                )
            }
        };
    }

    fn machine(&mut self, m: &StateMachine, depth: usize) {
        for (name, state) in &m.states {
            let id = self.id(name);
            match state {
                State::Choice(c) => {
                    self.node(&id, name, Shape::Diamond, depth);
                    for rule in &c.choices {
                        if let Some(n) = &rule.next {
                            let to = self.id(n);
                            self.edge(&id, &to, Some(&condition(rule)), false, depth);
                        }
                    }
                    if let Some(d) = &c.default {
                        let to = self.id(d);
                        self.edge(&id, &to, Some("default"), false, depth);
                    }
                }
                State::Parallel(p) => {
                    self.subgraph(&id, name, depth, |g, d| {
                        for (i, b) in p.branches.iter().enumerate() {
                            let branch = format!("{id}_b{i}");
                            g.subgraph(&branch.clone(), &format!("branch {}", i + 1), d, |g, d2| {
                                g.scoped(format!("__end_{branch}"), |g| g.machine(b, d2))
                            });
                        }
                    });
                    self.flow(&id, p.next.as_deref(), p.end, p.catch.as_deref(), depth);
                }
                State::Map(m2) => {
                    if let Some(proc) = m2.processor() {
                        let scope = format!("__end_{id}");
                        self.subgraph(&id, &format!("{name} (each item)"), depth, |g, d| g.scoped(scope, |g| g.machine(proc, d)));
                    }
                    self.flow(&id, m2.next.as_deref(), m2.end, m2.catch.as_deref(), depth);
                }
                State::Succeed(_) => self.node(&id, name, Shape::Terminal, depth),
                State::Fail(_) => self.node(&id, name, Shape::Failure, depth),
                State::Task(t) => {
                    let label = format!("{name}\n{}", t.resource.rsplit(":::").next().unwrap_or(&t.resource));
                    self.node(&id, &label, Shape::Box, depth);
                    self.flow(&id, t.next.as_deref(), t.end, t.catch.as_deref(), depth);
                }
                State::Pass(p) => {
                    self.node(&id, name, Shape::Box, depth);
                    self.flow(&id, p.next.as_deref(), p.end, None, depth);
                }
                State::Wait(w) => {
                    self.node(&id, name, Shape::Box, depth);
                    self.flow(&id, w.next.as_deref(), w.end, None, depth);
                }
            }
        }
    }

    /// Next (or End) and Catch edges of a state.
    fn flow(&mut self, id: &str, next: Option<&str>, end: Option<bool>, catch: Option<&[Catcher]>, depth: usize) {
        if let Some(n) = next {
            let to = self.id(n);
            self.edge(id, &to, None, false, depth);
        } else if end == Some(true) {
            let scope = self.end_scope.clone();
            let to = self.id(&scope);
            if self.ends_drawn.insert(scope) {
                self.node(&to, "End", Shape::Terminal, depth);
            }
            self.edge(id, &to, None, false, depth);
        }
        for c in catch.unwrap_or(&[]) {
            let to = self.id(&c.next);
            self.edge(id, &to, Some(&c.error_equals.join(", ")), true, depth);
        }
    }

    /// A container (Parallel, Map, branch) drawn as a subgraph.
    fn subgraph(&mut self, id: &str, label: &str, depth: usize, inner: impl FnOnce(&mut Graph, usize)) {
        let pad = Self::indent(depth);
        let label = label.replace('"', "'");
        match self.format {
            Format::Mermaid => {
                let _ = writeln!(self.out, "{pad}subgraph {id}[\"{label}\"]");
                inner(self, depth + 1);
                let _ = writeln!(self.out, "{pad}end");
            }
            Format::Dot => {
                let _ =
                    writeln!(self.out, "{pad}subgraph cluster_{id} {{\n{pad}  label=\"{label}\";\n{pad}  {id} [shape=point, style=invis];");
                inner(self, depth + 1);
                let _ = writeln!(self.out, "{pad}}}");
            }
        }
    }
}

/// A Choice rule as its edge reads it (`$.i < $.n`, `not $.done == true`,
/// a JSONata condition's text), cut at 40 characters.
fn condition(rule: &ChoiceRule) -> String {
    let text = test_text(&rule.test);
    match text.char_indices().nth(40) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}

fn test_text(t: &Test) -> String {
    let joined = |rules: &[ChoiceRule], word: &str| rules.iter().map(|r| test_text(&r.test)).collect::<Vec<_>>().join(word);
    match t {
        Test::Compare { variable, operator, operand } => {
            let name = operator.name().trim_end_matches("Path");
            let shown = match operand {
                serde_json::Value::String(s) if operator.name().ends_with("Path") => s.clone(),
                other => other.to_string(),
            };
            let symbol = match name {
                n if n.ends_with("LessThanEquals") => "<=",
                n if n.ends_with("GreaterThanEquals") => ">=",
                n if n.ends_with("LessThan") => "<",
                n if n.ends_with("GreaterThan") => ">",
                n if n.ends_with("Equals") => "==",
                "StringMatches" => "matches",
                // IsPresent, IsNull, IsString, ...: true or false.
                n => {
                    return format!(
                        "{variable} {}{}",
                        if operand == &serde_json::Value::Bool(false) { "not " } else { "" },
                        n.trim_start_matches("Is").to_lowercase()
                    )
                }
            };
            format!("{variable} {symbol} {shown}")
        }
        Test::And(rules) => joined(rules, " and "),
        Test::Or(rules) => joined(rules, " or "),
        Test::Not(rule) => format!("not {}", test_text(&rule.test)),
        Test::Condition(v) => match v.as_str() {
            Some(s) => s.trim().trim_start_matches("{%").trim_end_matches("%}").trim().to_string(),
            None => v.to_string(),
        },
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
    fn dot_is_a_digraph_with_clusters() {
        let out = render(&machine(), Format::Dot);
        assert!(out.starts_with("digraph StateMachine {"));
        assert!(out.contains("shape=diamond"));
        assert!(out.contains("style=dashed"));
        assert!(out.contains("subgraph cluster_"));
        assert!(out.trim_end().ends_with('}'));
    }
}
