//! The diagram as SVG, laid out here (no Mermaid or Graphviz needed): the
//! same nodes, edges and containers `sfc graph` writes for them, placed
//! in layers from the start down. Each container (Parallel, Map, branch)
//! is laid out on its own and placed as one box in its parent, so edges
//! (which in ASL never leave their state machine) stay inside it.
//!
//! Within a container: loops are broken where a depth-first walk from the
//! first state meets them again (those edges are drawn up the right side);
//! each state's layer is its longest distance from a source; a few
//! barycenter sweeps order each layer; layers are centred on each other.
//! Every node is a `<g>` with `data-state` naming its state, so a page can
//! find and colour them. Nothing recurses over the machine's size (only
//! over its nesting), so 10,000 states lay out in linear time.

use super::syntax::{Mark, Shape};
use std::collections::HashMap;
use std::fmt::Write;

/// What the diagram is made of, as the traversal wrote it.
#[derive(Default)]
pub(super) struct Scene {
    blocks: Vec<Block>,
    /// Edges by their ends' ids: a target may be written before its state.
    pending: Vec<(String, String, Option<String>, bool, Mark)>,
    edges: Vec<Edge>,
    /// The open containers, innermost last.
    open: Vec<usize>,
    /// The edges inside each container (by where their start stands).
    scoped: HashMap<Option<usize>, Vec<usize>>,
    by_id: HashMap<String, usize>,
}

struct Block {
    state: Option<String>,
    label: Vec<String>,
    shape: Option<Shape>,
    mark: Mark,
    parent: Option<usize>,
    children: Vec<usize>,
    /// Size; position of the top-left corner (relative to the parent's
    /// content while laying out, absolute after [`Scene::place`]).
    w: f64,
    h: f64,
    x: f64,
    y: f64,
    layer: usize,
    /// Where its content's corner is, once placed.
    origin: (f64, f64),
}

struct Edge {
    from: usize,
    to: usize,
    label: Option<String>,
    dashed: bool,
    mark: Mark,
    /// Points it passes through on its way across layers, relative to its
    /// container's content (`scope`, none at the top level).
    route: Vec<(f64, f64)>,
    scope: Option<usize>,
}

const CHAR_W: f64 = 7.0;
const LINE_H: f64 = 16.0;
const GAP_X: f64 = 36.0;
const GAP_Y: f64 = 48.0;
const PAD: f64 = 14.0;
const TITLE_H: f64 = 22.0;
/// The width an edge takes in a layer it crosses.
const ROUTE_W: f64 = 8.0;
/// The most layers an edge is routed across point by point.
const MAX_ROUTED_SPAN: usize = 12;
/// Room on the right of a container for edges that loop back up.
const LOOP_ROOM: f64 = 44.0;
/// Barycenter sweeps (down and up): enough for the shapes state machines
/// have, each linear in their size.
const SWEEPS: usize = 4;

impl Scene {
    fn add(&mut self, id: &str, state: Option<&str>, label: &str, shape: Option<Shape>, mark: Mark) -> usize {
        let parent = self.open.last().copied();
        let i = self.blocks.len();
        let label = label.lines().map(str::to_string).collect();
        let block = Block {
            state: state.map(str::to_string),
            label,
            shape,
            mark,
            parent,
            children: Vec::new(),
            w: 0.0,
            h: 0.0,
            x: 0.0,
            y: 0.0,
            layer: 0,
            origin: (0.0, 0.0),
        };
        self.blocks.push(block);
        if let Some(p) = parent {
            self.blocks[p].children.push(i);
        }
        self.by_id.insert(id.to_string(), i);
        i
    }

    pub fn node(&mut self, id: &str, state: Option<&str>, label: &str, shape: Shape, mark: Mark) {
        self.add(id, state, label, Some(shape), mark);
    }

    /// A container; what is written next is inside it until [`Scene::close`].
    pub fn open(&mut self, id: &str, state: Option<&str>, label: &str, mark: Mark) {
        let i = self.add(id, state, label, None, mark);
        self.open.push(i);
    }

    pub fn close(&mut self) {
        self.open.pop();
    }

    pub fn edge(&mut self, from: &str, to: &str, label: Option<&str>, dashed: bool, mark: Mark) {
        self.pending.push((from.to_string(), to.to_string(), label.map(str::to_string), dashed, mark));
    }

    /// Lays the scene out and writes it.
    pub fn svg(mut self) -> String {
        for (from, to, label, dashed, mark) in std::mem::take(&mut self.pending) {
            if let (Some(&from), Some(&to)) = (self.by_id.get(&from), self.by_id.get(&to)) {
                self.scoped.entry(self.blocks[from].parent).or_default().push(self.edges.len());
                self.edges.push(Edge { from, to, label, dashed, mark, route: Vec::new(), scope: None });
            }
        }
        let roots: Vec<usize> = (0..self.blocks.len()).filter(|&i| self.blocks[i].parent.is_none()).collect();
        let (w, h) = self.layout(&roots);
        self.place(&roots, PAD, PAD);
        self.write(w + 2.0 * PAD, h + 2.0 * PAD)
    }

    /// Sizes every block and places each relative to its container's
    /// content; the size of the top level's content. A container is added
    /// before what it holds, so walking the blocks backwards sizes each
    /// container after everything in it.
    fn layout(&mut self, roots: &[usize]) -> (f64, f64) {
        for b in &mut self.blocks {
            if let Some(shape) = b.shape {
                (b.w, b.h) = node_size(&b.label, shape);
            }
        }
        let containers: Vec<usize> = (0..self.blocks.len()).rev().filter(|&c| self.blocks[c].shape.is_none()).collect();
        for c in containers {
            let children = self.blocks[c].children.clone();
            let (cw, ch) = self.arrange(Some(c), &children);
            let b = &mut self.blocks[c];
            let title = b.label.iter().map(|l| l.chars().count()).max().unwrap_or(0) as f64 * CHAR_W;
            b.w = cw.max(title) + 2.0 * PAD;
            b.h = ch + 2.0 * PAD + TITLE_H * b.label.len().max(1) as f64;
        }
        self.arrange(None, roots)
    }

    /// Places the (already sized) members of one container in layers.
    fn arrange(&mut self, scope: Option<usize>, members: &[usize]) -> (f64, f64) {
        if members.is_empty() {
            return (0.0, 0.0);
        }
        let local: HashMap<usize, usize> = members.iter().enumerate().map(|(k, &i)| (i, k)).collect();
        let n = members.len();
        let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut mine = Vec::new();
        let scoped = self.scoped.remove(&scope).unwrap_or_default();
        for k in scoped {
            let e = &self.edges[k];
            if let (Some(&a), Some(&b)) = (local.get(&e.from), local.get(&e.to)) {
                if a != b {
                    out[a].push(b);
                    mine.push((k, a, b));
                }
            }
        }
        let back = back_edges(&out);
        let mut forward: Vec<Vec<usize>> = (0..n).map(|a| out[a].iter().copied().filter(|&b| !back.contains(&(a, b))).collect()).collect();
        let mut layer = longest_path_layers(&forward);
        // An edge across several layers passes through a point in each, which
        // takes its place in the layer's order: it goes around what is between.
        // Longer jumps (every Task's Catch to one Fail state) go around the
        // right side, as loops do: points for them would grow with the
        // square of the machine.
        let mut routes: Vec<(usize, Vec<usize>)> = Vec::new();
        let mut jumps = false;
        for &(k, a, b) in &mine {
            if back.contains(&(a, b)) || layer[b] <= layer[a] + 1 {
                continue;
            }
            if layer[b] - layer[a] > MAX_ROUTED_SPAN {
                jumps = true;
                continue;
            }
            let mut chain = Vec::new();
            let mut prev = a;
            for l in layer[a] + 1..layer[b] {
                let d = forward.len();
                forward.push(Vec::new());
                layer.push(l);
                forward[prev].push(d);
                chain.push(d);
                prev = d;
            }
            forward[prev].push(b);
            forward[a].retain(|&w| w != b);
            routes.push((k, chain));
        }
        let depth = layer.iter().max().copied().unwrap_or(0) + 1;
        let mut layers: Vec<Vec<usize>> = vec![Vec::new(); depth];
        for (v, &l) in layer.iter().enumerate() {
            layers[l].push(v);
        }
        order_layers(&mut layers, &forward);
        let sizes: Vec<(f64, f64)> =
            (0..layer.len()).map(|v| if v < n { (self.blocks[members[v]].w, self.blocks[members[v]].h) } else { (ROUTE_W, 0.0) }).collect();
        // A label sits above the state its edge enters: the state's slot is
        // as wide as its widest label, so labels side by side never overlap.
        let mut slots: Vec<f64> = sizes.iter().map(|s| s.0).collect();
        for &(k, a, b) in &mine {
            if let Some(l) = &self.edges[k].label {
                if !back.contains(&(a, b)) && layer[b] == layer[a] + 1 {
                    slots[b] = slots[b].max(label_width(l));
                }
            }
        }
        let size = |v: usize| (slots[v], sizes[v].1);
        let row_w: Vec<f64> =
            layers.iter().map(|row| row.iter().map(|&v| size(v).0).sum::<f64>() + GAP_X * row.len().saturating_sub(1) as f64).collect();
        let max_w = row_w.iter().copied().fold(0.0, f64::max);
        let mut points = vec![(0.0, 0.0); layer.len()];
        let mut y = 0.0;
        for (l, row) in layers.iter().enumerate() {
            let row_h = row.iter().map(|&v| size(v).1).fold(0.0, f64::max);
            let mut x = (max_w - row_w[l]) / 2.0;
            for &v in row {
                let (slot, h) = size(v);
                points[v] = (x + slot / 2.0, y + row_h / 2.0);
                if v < n {
                    let b = &mut self.blocks[members[v]];
                    (b.x, b.y, b.layer) = (x + (slot - b.w) / 2.0, y + (row_h - h) / 2.0, l);
                }
                x += slot + GAP_X;
            }
            y += row_h + GAP_Y;
        }
        for (k, chain) in routes {
            self.edges[k].route = chain.iter().map(|&d| points[d]).collect();
            self.edges[k].scope = scope;
        }
        let loops = if back.is_empty() && !jumps { 0.0 } else { LOOP_ROOM };
        (max_w + loops, (y - GAP_Y).max(0.0))
    }

    /// Turns positions relative to each container into absolute ones.
    fn place(&mut self, group: &[usize], ox: f64, oy: f64) {
        let mut stack: Vec<(usize, f64, f64)> = group.iter().map(|&i| (i, ox, oy)).collect();
        while let Some((i, ox, oy)) = stack.pop() {
            let b = &mut self.blocks[i];
            b.x += ox;
            b.y += oy;
            let (cx, cy) = (b.x + PAD, b.y + PAD + TITLE_H * b.label.len().max(1) as f64);
            let inner_w = b.w - 2.0 * PAD;
            let children = b.children.clone();
            let content_w = children.iter().map(|&c| self.blocks[c].x + self.blocks[c].w).fold(0.0, f64::max);
            let shift = ((inner_w - content_w) / 2.0).max(0.0);
            self.blocks[i].origin = (cx + shift, cy);
            stack.extend(children.into_iter().map(|c| (c, cx + shift, cy)));
        }
    }

    fn write(&self, w: f64, h: f64) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"sfc-graph\" width=\"{w:.0}\" height=\"{h:.0}\" viewBox=\"0 0 {w:.0} {h:.0}\">"
        );
        s.push_str(STYLE);
        s.push_str("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\"/></marker></defs>\n");
        // Containers first (outermost first), then edges, then nodes on top.
        for (i, b) in self.blocks.iter().enumerate().filter(|(_, b)| b.shape.is_none()) {
            let _ = write!(
                s,
                "<g class=\"container{}\"{} id=\"b{i}\"><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"6\"/>",
                mark_class(b.mark),
                state_attr(&b.state),
                b.x,
                b.y,
                b.w,
                b.h
            );
            for (k, line) in b.label.iter().enumerate() {
                let _ = write!(
                    s,
                    "<text x=\"{:.1}\" y=\"{:.1}\" class=\"title\">{}</text>",
                    b.x + PAD,
                    b.y + 16.0 + k as f64 * LINE_H,
                    escape(line)
                );
            }
            s.push_str("</g>\n");
        }
        for e in &self.edges {
            self.write_edge(&mut s, e);
        }
        for (i, b) in self.blocks.iter().enumerate() {
            if let Some(shape) = b.shape {
                write_node(&mut s, i, b, shape);
            }
        }
        s.push_str("</svg>\n");
        s
    }

    fn write_edge(&self, s: &mut String, e: &Edge) {
        let (a, b) = (&self.blocks[e.from], &self.blocks[e.to]);
        let routed = b.layer == a.layer + 1 || !e.route.is_empty();
        let (d, mid) = if b.layer > a.layer && routed {
            // Down through the route's points, leaving and entering vertically.
            let (ox, oy) = e.scope.map_or((PAD, PAD), |c| self.blocks[c].origin);
            let mut points = vec![(a.x + a.w / 2.0, a.y + a.h)];
            points.extend(e.route.iter().map(|&(x, y)| (x + ox, y + oy)));
            points.push((b.x + b.w / 2.0, b.y));
            let mut d = format!("M{:.1},{:.1}", points[0].0, points[0].1);
            for pair in points.windows(2) {
                let ((x1, y1), (x2, y2)) = (pair[0], pair[1]);
                let dy = (y2 - y1) / 2.0;
                let _ = write!(d, " C{x1:.1},{:.1} {x2:.1},{:.1} {x2:.1},{y2:.1}", y1 + dy, y2 - dy);
            }
            // The label just above the state it enters (or the first point it
            // passes through): each has room there.
            let (p, q) = (points[0], points[1]);
            let at = if points.len() == 2 { (q.0, q.1 - 12.0) } else { (p.0 + (q.0 - p.0) * 0.6, p.1 + (q.1 - p.1) * 0.6) };
            (d, at)
        } else {
            // Back up, across, or a long jump: out of the right side and into the right side.
            let (x1, y1, x2, y2) = (a.x + a.w, a.y + a.h / 2.0, b.x + b.w, b.y + b.h / 2.0);
            let out = x1.max(x2) + LOOP_ROOM * 0.8;
            (format!("M{x1:.1},{y1:.1} C{out:.1},{y1:.1} {out:.1},{y2:.1} {x2:.1},{y2:.1}"), (out - 4.0, (y1 + y2) / 2.0))
        };
        let class = format!("edge{}{}", if e.dashed { " dashed" } else { "" }, mark_class(e.mark));
        let from = a.state.as_deref().map(|n| format!(" data-from=\"{}\"", escape(n))).unwrap_or_default();
        let to = b.state.as_deref().map(|n| format!(" data-to=\"{}\"", escape(n))).unwrap_or_default();
        let _ = write!(s, "<g class=\"{class}\"{from}{to}><path d=\"{d}\" marker-end=\"url(#arrow)\"/>");
        if let Some(l) = &e.label {
            let w = label_width(l);
            let _ = write!(
                s,
                "<rect class=\"label-bg\" x=\"{:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"15\" rx=\"3\"/><text class=\"label\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                mid.0 - w / 2.0,
                mid.1 - 8.0,
                mid.0,
                mid.1 + 3.5,
                escape(l)
            );
        }
        s.push_str("</g>\n");
    }
}

/// How wide an edge's label is drawn.
fn label_width(label: &str) -> f64 {
    label.chars().count() as f64 * 6.2 + 8.0
}

fn node_size(label: &[String], shape: Shape) -> (f64, f64) {
    let chars = label.iter().map(|l| l.chars().count()).max().unwrap_or(0) as f64;
    let (w, h) = ((chars * CHAR_W + 24.0).max(64.0), label.len().max(1) as f64 * LINE_H + 14.0);
    match shape {
        Shape::Diamond => (w + 36.0, h + 22.0),
        Shape::Failure => (w + 16.0, h),
        Shape::Box | Shape::Terminal => (w, h),
    }
}

fn write_node(s: &mut String, i: usize, b: &Block, shape: Shape) {
    let (x, y, w, h) = (b.x, b.y, b.w, b.h);
    let kind = match shape {
        Shape::Box => "box",
        Shape::Diamond => "diamond",
        Shape::Terminal => "terminal",
        Shape::Failure => "failure",
    };
    let _ = write!(s, "<g class=\"node {kind}{}\"{} id=\"b{i}\">", mark_class(b.mark), state_attr(&b.state));
    let _ = match shape {
        Shape::Box => write!(s, "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" rx=\"5\"/>"),
        Shape::Terminal => write!(s, "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" rx=\"{:.1}\"/>", h / 2.0),
        Shape::Diamond => {
            let (cx, cy) = (x + w / 2.0, y + h / 2.0);
            write!(s, "<polygon points=\"{cx:.1},{y:.1} {:.1},{cy:.1} {cx:.1},{:.1} {x:.1},{cy:.1}\"/>", x + w, y + h)
        }
        Shape::Failure => {
            let c = 10.0;
            write!(
                s,
                "<polygon points=\"{:.1},{y:.1} {:.1},{y:.1} {:.1},{:.1} {:.1},{:.1} {:.1},{:.1} {x:.1},{:.1}\"/>",
                x + c,
                x + w - c,
                x + w,
                y + h / 2.0,
                x + w - c,
                y + h,
                x + c,
                y + h,
                y + h / 2.0
            )
        }
    };
    let top = y + h / 2.0 - (b.label.len() as f64 - 1.0) * LINE_H / 2.0 + 4.5;
    for (k, line) in b.label.iter().enumerate() {
        let class = if k == 0 { "name" } else { "detail" };
        let _ = write!(s, "<text class=\"{class}\" x=\"{:.1}\" y=\"{:.1}\">{}</text>", x + w / 2.0, top + k as f64 * LINE_H, escape(line));
    }
    s.push_str("</g>\n");
}

fn mark_class(mark: Mark) -> &'static str {
    match mark {
        Mark::Plain => "",
        Mark::Taken => " taken",
        Mark::Missed => " missed",
    }
}

fn state_attr(state: &Option<String>) -> String {
    state.as_deref().map(|n| format!(" data-state=\"{}\"", escape(n))).unwrap_or_default()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

const STYLE: &str = "<style>
.sfc-graph { font: 12px -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif; }
.sfc-graph .node rect, .sfc-graph .node polygon { fill: #f6f8fa; stroke: #57606a; stroke-width: 1.2; }
.sfc-graph .node.terminal rect { fill: #eef6ee; }
.sfc-graph .node.failure polygon { fill: #fbefef; stroke: #a40e26; }
.sfc-graph .node text { text-anchor: middle; fill: #24292f; }
.sfc-graph .node text.detail { fill: #57606a; font-size: 11px; }
.sfc-graph .container > rect { fill: rgba(208, 215, 222, 0.18); stroke: #8c959f; stroke-dasharray: 4 3; }
.sfc-graph .container text.title { fill: #57606a; font-weight: 600; }
.sfc-graph .edge path { fill: none; stroke: #6e7781; stroke-width: 1.3; }
.sfc-graph .edge.dashed path { stroke-dasharray: 5 4; }
.sfc-graph marker path { fill: #6e7781; }
.sfc-graph .label-bg { fill: #ffffff; opacity: 0.9; }
.sfc-graph text.label { text-anchor: middle; fill: #57606a; font-size: 11px; }
.sfc-graph .node.taken rect, .sfc-graph .node.taken polygon, .sfc-graph .container.taken > rect, .sfc-graph .edge.taken path { stroke: #1a7f37; stroke-width: 2.4; }
.sfc-graph .node.missed rect, .sfc-graph .node.missed polygon, .sfc-graph .container.missed > rect, .sfc-graph .edge.missed path { stroke: #cf222e; stroke-dasharray: 5 4; }
</style>
";

/// The edges found again by a depth-first walk from each member in order
/// while their target is still being walked: removing them leaves no loop.
fn back_edges(out: &[Vec<usize>]) -> std::collections::HashSet<(usize, usize)> {
    let n = out.len();
    // 0 unseen, 1 on the walk, 2 done.
    let mut state = vec![0u8; n];
    let mut back = std::collections::HashSet::new();
    for root in 0..n {
        if state[root] != 0 {
            continue;
        }
        let mut stack = vec![(root, 0usize)];
        state[root] = 1;
        while let Some((v, next)) = stack.pop() {
            if let Some(&w) = out[v].get(next) {
                stack.push((v, next + 1));
                match state[w] {
                    0 => {
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    1 => {
                        back.insert((v, w));
                    }
                    _ => {}
                }
            } else {
                state[v] = 2;
            }
        }
    }
    back
}

/// Each member's layer: its longest distance from a member nothing enters.
fn longest_path_layers(forward: &[Vec<usize>]) -> Vec<usize> {
    let n = forward.len();
    let mut indegree = vec![0usize; n];
    for outs in forward {
        for &w in outs {
            indegree[w] += 1;
        }
    }
    let mut layer = vec![0usize; n];
    let mut ready: std::collections::VecDeque<usize> = (0..n).filter(|&v| indegree[v] == 0).collect();
    while let Some(v) = ready.pop_front() {
        for &w in &forward[v] {
            layer[w] = layer[w].max(layer[v] + 1);
            indegree[w] -= 1;
            if indegree[w] == 0 {
                ready.push_back(w);
            }
        }
    }
    layer
}

/// Orders each layer by the mean position of its neighbours in the layer
/// above (sweeping down) and below (sweeping up).
fn order_layers(layers: &mut [Vec<usize>], forward: &[Vec<usize>]) {
    let n = forward.len();
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (v, outs) in forward.iter().enumerate() {
        for &w in outs {
            preds[w].push(v);
        }
    }
    let mut pos = vec![0.0f64; n];
    let index = |layers: &[Vec<usize>], pos: &mut Vec<f64>| {
        for row in layers {
            for (k, &v) in row.iter().enumerate() {
                pos[v] = k as f64;
            }
        }
    };
    index(layers, &mut pos);
    for sweep in 0..SWEEPS {
        let down = sweep % 2 == 0;
        let rows: Vec<usize> = if down { (1..layers.len()).collect() } else { (0..layers.len().saturating_sub(1)).rev().collect() };
        for l in rows {
            let neighbours = |v: usize| if down { &preds[v] } else { &forward[v] };
            let mut keyed: Vec<(f64, usize)> = layers[l]
                .iter()
                .map(|&v| {
                    let ns = neighbours(v);
                    let key = if ns.is_empty() { pos[v] } else { ns.iter().map(|&u| pos[u]).sum::<f64>() / ns.len() as f64 };
                    (key, v)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
            layers[l] = keyed.into_iter().map(|(_, v)| v).collect();
            for (k, &v) in layers[l].iter().enumerate() {
                pos[v] = k as f64;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn loops_are_broken_and_layers_follow_the_flow() {
        // 0 → 1 → 2 → 1 (a loop), 0 → 2.
        let out = vec![vec![1, 2], vec![2], vec![1]];
        let back = super::back_edges(&out);
        assert_eq!(back.into_iter().collect::<Vec<_>>(), [(2, 1)]);
        let forward = vec![vec![1, 2], vec![2], vec![]];
        assert_eq!(super::longest_path_layers(&forward), [0, 1, 2]);
    }
}
