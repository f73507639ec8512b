//! Writing nodes, edges and clusters in Mermaid or DOT, and marking them
//! as a run's coverage saw them: taken (green, thick) or never taken (red,
//! dashed). Mermaid styles links by their number, so edges are counted and
//! their styles written at the end.

use super::layout::Scene;
use super::Format;
use std::fmt::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shape {
    Box,
    Diamond,
    Terminal,
    /// A Fail state: drawn unlike a Succeed state.
    Failure,
}

/// How coverage marks a node or an edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mark {
    /// No coverage asked for, or nothing to say (a Start or End node).
    Plain,
    Taken,
    Missed,
}

const TAKEN_COLOR: &str = "#1a7f37";
const MISSED_COLOR: &str = "#cf222e";

/// The text being written, and what Mermaid needs written after it.
pub(super) struct Writer {
    pub format: Format,
    pub out: String,
    /// Ids of clusters: DOT edges to and from them end at the border.
    pub cluster_ids: std::collections::HashSet<String>,
    edges: usize,
    link_marks: Vec<(usize, Mark)>,
    node_marks: Vec<(String, Mark)>,
    /// What SVG lays out, when that is the format.
    scene: Scene,
}

impl Writer {
    pub fn new(format: Format) -> Writer {
        let out = match format {
            Format::Mermaid => "flowchart TD\n".to_string(),
            Format::Dot => {
                "digraph StateMachine {\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n  compound=true;\n".to_string()
            }
            Format::Svg => String::new(),
        };
        let scene = Scene::default();
        Writer { format, out, cluster_ids: Default::default(), edges: 0, link_marks: Vec::new(), node_marks: Vec::new(), scene }
    }

    fn indent(depth: usize) -> String {
        "  ".repeat(depth)
    }

    /// A node; `state` is the state it stands for (none for Start and End).
    pub fn node(&mut self, id: &str, state: Option<&str>, label: &str, shape: Shape, mark: Mark, depth: usize) {
        if self.format == Format::Svg {
            return self.scene.node(id, state, label, shape, mark);
        }
        let pad = Self::indent(depth);
        let line_break = if self.format == Format::Mermaid { "<br/>" } else { "\\n" };
        let label = label.replace('"', "'").replace('\n', line_break);
        let dot_mark = match mark {
            Mark::Plain => String::new(),
            Mark::Taken => format!(", color=\"{TAKEN_COLOR}\", penwidth=2"),
            Mark::Missed => format!(", color=\"{MISSED_COLOR}\", style=\"dashed,rounded\""),
        };
        let _ = match (self.format, shape) {
            (Format::Mermaid, Shape::Box) => writeln!(self.out, "{pad}{id}[\"{label}\"]"),
            (Format::Mermaid, Shape::Diamond) => writeln!(self.out, "{pad}{id}{{\"{label}\"}}"),
            (Format::Mermaid, Shape::Terminal) => writeln!(self.out, "{pad}{id}([\"{label}\"])"),
            (Format::Mermaid, Shape::Failure) => writeln!(self.out, "{pad}{id}{{{{\"{label}\"}}}}"),
            (Format::Dot, Shape::Box) => writeln!(self.out, "{pad}{id} [label=\"{label}\"{dot_mark}];"),
            (Format::Dot, Shape::Diamond) => {
                let style = if mark == Mark::Missed { "" } else { ", style=\"\"" };
                let dot_mark = dot_mark.replace("style=\"dashed,rounded\"", "style=dashed");
                writeln!(self.out, "{pad}{id} [label=\"{label}\", shape=diamond{style}{dot_mark}];")
            }
            (Format::Dot, Shape::Terminal) => writeln!(self.out, "{pad}{id} [label=\"{label}\", shape=oval{dot_mark}];"),
            (Format::Dot, Shape::Failure) => writeln!(self.out, "{pad}{id} [label=\"{label}\", shape=octagon{dot_mark}];"),
            (Format::Svg, _) => Ok(()),
        };
        if mark != Mark::Plain {
            self.node_marks.push((id.to_string(), mark));
        }
    }

    pub fn edge(&mut self, from: &str, to: &str, label: Option<&str>, dashed: bool, mark: Mark, depth: usize) {
        if self.format == Format::Svg {
            return self.scene.edge(from, to, label, dashed, mark);
        }
        let pad = Self::indent(depth);
        let label = label.map(|l| l.replace(['"', '|'], "'"));
        let _ = match (self.format, label, dashed) {
            (Format::Mermaid, Some(l), true) => writeln!(self.out, "{pad}{from} -. \"{l}\" .-> {to}"),
            (Format::Mermaid, Some(l), false) => writeln!(self.out, "{pad}{from} -->|\"{l}\"| {to}"),
            (Format::Mermaid, None, true) => writeln!(self.out, "{pad}{from} -.-> {to}"),
            (Format::Mermaid, None, false) => writeln!(self.out, "{pad}{from} --> {to}"),
            (Format::Svg, _, _) => Ok(()),
            (Format::Dot, l, dashed) => {
                let mut attrs = Vec::new();
                if let Some(l) = l {
                    attrs.push(format!("label=\"{l}\""));
                }
                if dashed || mark == Mark::Missed {
                    attrs.push("style=dashed".into());
                }
                match mark {
                    Mark::Plain => {}
                    Mark::Taken => attrs.push(format!("color=\"{TAKEN_COLOR}\", penwidth=2.5")),
                    Mark::Missed => attrs.push(format!("color=\"{MISSED_COLOR}\"")),
                }
                if self.cluster_ids.contains(from) {
                    attrs.push(format!("ltail=cluster_{from}"));
                }
                if self.cluster_ids.contains(to) {
                    attrs.push(format!("lhead=cluster_{to}"));
                }
                writeln!(
                    self.out,
                    "{pad}{from} -> {to}{};",
                    if attrs.is_empty() { String::new() } else { format!(" [{}]", attrs.join(", ")) }
                )
            }
        };
        if mark != Mark::Plain {
            self.link_marks.push((self.edges, mark));
        }
        self.edges += 1;
    }

    /// Opens a container (Parallel, Map, branch); `state` is the state it
    /// stands for (none for a branch).
    pub fn open_cluster(&mut self, id: &str, state: Option<&str>, label: &str, mark: Mark, depth: usize) {
        let pad = Self::indent(depth);
        let label = label.replace('"', "'").replace('\n', if self.format == Format::Mermaid { "<br/>" } else { "\\n" });
        match self.format {
            Format::Mermaid => self.out.push_str(&format!("{pad}subgraph {id}[\"{label}\"]\n")),
            Format::Dot => self
                .out
                .push_str(&format!("{pad}subgraph cluster_{id} {{\n{pad}  label=\"{label}\";\n{pad}  {id} [shape=point, style=invis];\n")),
            Format::Svg => self.scene.open(id, state, &label.replace("\\n", "\n"), mark),
        }
    }

    /// Closes the innermost open container.
    pub fn close_cluster(&mut self, depth: usize) {
        let pad = Self::indent(depth);
        match self.format {
            Format::Mermaid => self.out.push_str(&format!("{pad}end\n")),
            Format::Dot => self.out.push_str(&format!("{pad}}}\n")),
            Format::Svg => self.scene.close(),
        }
    }

    /// The finished text: Mermaid's node classes and link styles, DOT's
    /// closing brace.
    pub fn finish(mut self) -> String {
        match self.format {
            Format::Mermaid => {
                for (mark, color, extra) in
                    [(Mark::Taken, TAKEN_COLOR, "stroke-width:3px"), (Mark::Missed, MISSED_COLOR, "stroke-dasharray:5 4")]
                {
                    let links: Vec<String> = self.link_marks.iter().filter(|(_, m)| *m == mark).map(|(i, _)| i.to_string()).collect();
                    if !links.is_empty() {
                        let _ = writeln!(self.out, "  linkStyle {} stroke:{color},{extra}", links.join(","));
                    }
                    let nodes: Vec<&str> = self.node_marks.iter().filter(|(_, m)| *m == mark).map(|(id, _)| id.as_str()).collect();
                    if !nodes.is_empty() {
                        let class = if mark == Mark::Taken { "taken" } else { "missed" };
                        let _ = writeln!(
                            self.out,
                            "  classDef {class} stroke:{color},stroke-width:2px{}",
                            if mark == Mark::Missed { ",stroke-dasharray:5 4" } else { "" }
                        );
                        let _ = writeln!(self.out, "  class {} {class}", nodes.join(","));
                    }
                }
            }
            Format::Dot => self.out.push_str("}\n"),
            Format::Svg => return self.scene.svg(),
        }
        self.out
    }
}
