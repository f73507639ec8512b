//! Syntax tree to ASL. States run in source order, so `Next` and `End` are
//! inferred: a block is lowered back to front, each statement learning the
//! state that follows it. Control flow becomes Choice states.
//!
//! `naming` names every state first; `states` lowers each statement,
//! `control` the ones that become Choice states (and conditions),
//! `clauses` what follows a state and a Task's resource.

mod clauses;
mod control;
mod naming;
mod states;

use super::ast::*;
use super::values::Values;
use crate::diag::Diagnostic;
use naming::ends_flow;
use serde_json::{json, Map, Value as Json};
use std::collections::{HashMap, HashSet};

/// A handler of a `try`: which errors, where the error goes, and the
/// handler's first state.
#[derive(Clone)]
pub(super) struct Handler {
    pub errors: Vec<String>,
    pub result_path: Option<String>,
    pub next: String,
}

pub(super) struct Lowerer<'p> {
    pub values: Values<'p>,
    /// (source position, tie-breaker, name, state) — sorted into source order at the end.
    states: Vec<(usize, usize, String, Json)>,
    names: HashMap<String, std::ops::Range<usize>>,
    auto: HashMap<usize, String>,
    gotos: Vec<Spanned<String>>,
    /// Every name a `goto` jumps to: a state after a `goto` is reachable
    /// when it is one of them.
    jump_targets: HashSet<String>,
    done_state: Option<String>,
    /// Spans of imported statements, and where their import stands: they
    /// are listed in the machine at the import.
    imported: Vec<(std::ops::Range<usize>, usize)>,
}

impl<'p> Lowerer<'p> {
    pub fn new(params: &'p HashMap<String, Json>, imported: Vec<(std::ops::Range<usize>, usize)>) -> Self {
        Lowerer {
            values: Values { params, diags: Vec::new() },
            states: Vec::new(),
            names: HashMap::new(),
            auto: HashMap::new(),
            gotos: Vec::new(),
            jump_targets: HashSet::new(),
            done_state: None,
            imported,
        }
    }
}

/// How many missing goto targets get a "did you mean" suggestion.
const MAX_GOTO_SUGGESTIONS: usize = 100;

impl Lowerer<'_> {
    fn error(&mut self, span: &Span, msg: impl Into<String>, help: impl Into<String>) {
        let mut d = Diagnostic::error("SEMANTIC", msg).with_help(help);
        d.span = Some(span.clone());
        self.values.diags.push(d);
    }

    /// Lowers the body and returns the ASL machine (without header fields)
    /// and every diagnostic.
    pub fn machine(mut self, body: &[Stmt]) -> (Json, Vec<Diagnostic>) {
        self.name_states(body);
        let start = self.block(body, None, &[]);
        let mut missing: Vec<_> = std::mem::take(&mut self.gotos).into_iter().filter(|g| !self.names.contains_key(&g.node)).collect();
        // Blocks are lowered from their end: in the order of the source.
        missing.sort_by_key(|g| g.span.start);
        let known: Vec<String> = if missing.is_empty() { Vec::new() } else { self.names.keys().cloned().collect() };
        let suggester = sfc_asl::suggest::Suggester::new(&known);
        for (n, g) in missing.iter().enumerate() {
            // Each suggestion compares the name with every state: the
            // first ones are worth it, thousands would not be.
            let suggested = if n < MAX_GOTO_SUGGESTIONS { suggester.closest(&g.node) } else { None };
            let help = match suggested {
                Some(k) => format!("did you mean `{k}`?"),
                None => "goto names a state of this workflow".into(),
            };
            self.error(&g.span, format!("goto target `{}` is not a state of this workflow", g.node), help);
        }
        self.states.sort_by_key(|(pos, tie, _, _)| (*pos, *tie));
        let mut states = Map::new();
        for (_, _, name, state) in self.states {
            states.insert(name, state);
        }
        let start = start.unwrap_or_else(|| "Done".into());
        if states.is_empty() {
            states.insert("Done".into(), json!({"Type": "Succeed"}));
        }
        (json!({"StartAt": start, "States": states}), self.values.diags)
    }

    fn push(&mut self, s: &Stmt, name: String, state: Json) {
        let at = s.span.start;
        let key = match self.imported.iter().find(|(r, _)| r.contains(&at)) {
            Some((_, import_at)) => (*import_at, at),
            None => (at, 0),
        };
        self.states.push((key.0, key.1, name, state));
    }

    /// The state that ends the workflow where a Choice needs a target.
    fn done(&mut self) -> String {
        if let Some(d) = &self.done_state {
            return d.clone();
        }
        let mut name = "Done".to_string();
        let mut i = 2;
        while self.names.contains_key(&name) {
            name = format!("Done_{i}");
            i += 1;
        }
        self.names.insert(name.clone(), 0..0);
        self.states.push((usize::MAX, 0, name.clone(), json!({"Type": "Succeed"})));
        self.done_state = Some(name.clone());
        name
    }

    /// Lowers a block; returns the name of its first state, or `next` when
    /// the block is empty.
    fn block(&mut self, stmts: &[Stmt], next: Option<String>, handlers: &[Handler]) -> Option<String> {
        // Code after a statement that never continues can never run.
        for pair in stmts.windows(2) {
            let jumped_to = pair[1].name().is_some_and(|n| self.jump_targets.contains(&n.node));
            if ends_flow(&pair[0]) && !jumped_to {
                let what = match pair[0].kind {
                    StmtKind::Goto(_) => "goto",
                    StmtKind::Succeed { .. } => "succeed",
                    _ => "fail",
                };
                let span = pair[1].span.clone();
                self.error(&span, format!("unreachable code after `{what}`"), "remove it, or give it a name and goto it");
            }
        }
        let mut cont = next;
        for s in stmts.iter().rev() {
            cont = self.stmt(s, cont, handlers);
        }
        cont
    }

    /// A Parallel branch or Map processor.
    fn sub_machine(&mut self, body: &[Stmt]) -> Json {
        let saved = std::mem::take(&mut self.states);
        let saved_done = self.done_state.take();
        let start = self.block(body, None, &[]).unwrap_or_else(|| self.done());
        self.states.sort_by_key(|(pos, tie, _, _)| (*pos, *tie));
        let mut states = Map::new();
        for (_, _, name, st) in std::mem::replace(&mut self.states, saved) {
            states.insert(name, st);
        }
        self.done_state = saved_done;
        json!({"StartAt": start, "States": states})
    }
}
