//! Places the validator's findings, which speak of the compiled ASL
//! (`/States/Compute/Output/doubled`), on the workflow source: on the
//! offending string when it appears in the state's text, else on the
//! state's name.

use super::ast::{Span, Stmt, StmtKind};
use crate::diag::Diagnostic;
use serde_json::Value as Json;

pub(super) fn place(d: &mut Diagnostic, body: &[Stmt], machine: &Json, src: &str) {
    let Some(pointer) = d.pointer.clone() else { return };
    let Some(state) = state_of(&pointer) else { return };
    let Some((name, whole)) = find(body, &state) else { return };
    let within = src.get(whole.clone()).unwrap_or("");
    let text = machine.pointer(&pointer).and_then(Json::as_str);
    // A string literal appears quoted; a path (`$.x`, `$var`) bare.
    let forms = text.into_iter().flat_map(|t| [serde_json::to_string(t).ok(), t.starts_with('$').then(|| t.to_string())]).flatten();
    let found = forms.into_iter().find_map(|f| within.find(&f).map(|i| whole.start + i..whole.start + i + f.len()));
    d.span = Some(found.unwrap_or(name));
}

/// The innermost state a pointer is in: `/States/P/Branches/0/States/B/..` → `B`.
fn state_of(pointer: &str) -> Option<String> {
    let segments: Vec<&str> = pointer.split('/').collect();
    let i = segments.iter().rposition(|s| *s == "States")?;
    segments.get(i + 1).map(|s| s.replace("~1", "/").replace("~0", "~"))
}

/// The name's span and the whole statement's span of the state `name`.
fn find(body: &[Stmt], name: &str) -> Option<(Span, Span)> {
    body.iter().find_map(|s| {
        let own = s.name();
        match own {
            Some(n) if n.node == name => Some((n.span.clone(), s.span.clone())),
            _ => children(s).find_map(|b| find(b, name)),
        }
    })
}

fn children(s: &Stmt) -> Box<dyn Iterator<Item = &Vec<Stmt>> + '_> {
    match &s.kind {
        StmtKind::If { arms, otherwise, .. } => Box::new(arms.iter().map(|(_, b)| b).chain(otherwise)),
        StmtKind::While { body, .. } | StmtKind::Map { body, .. } => Box::new(std::iter::once(body)),
        StmtKind::Switch { cases, default, .. } => Box::new(cases.iter().map(|(_, b)| b).chain(default)),
        StmtKind::Try { body, catches } => Box::new(std::iter::once(body).chain(catches.iter().map(|c| &c.body))),
        StmtKind::Parallel { branches, .. } => Box::new(branches.iter()),
        _ => Box::new(std::iter::empty()),
    }
}
