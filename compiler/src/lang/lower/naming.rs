//! Names for every state, given before anything is lowered: explicit
//! names checked for duplicates, the others `Kind`, `Kind_2`, ...

use super::Lowerer;
use crate::lang::ast::*;
use std::collections::HashSet;

impl Lowerer<'_> {
    /// Gives every state its name before lowering: explicit names are
    /// checked for duplicates, unnamed states get `Kind` or `Kind_2`, ...
    pub(super) fn name_states(&mut self, stmts: &[Stmt]) {
        let mut used: HashSet<String> = HashSet::new();
        let mut all = Vec::new();
        collect(stmts, &mut all);
        self.jump_targets = all.iter().filter_map(|s| if let StmtKind::Goto(t) = &s.kind { Some(t.node.clone()) } else { None }).collect();
        for s in &all {
            if let Some(n) = s.name().cloned() {
                if self.names.contains_key(&n.node) {
                    let span = n.span.clone();
                    self.error(
                        &span,
                        format!("duplicate state name `{}`", n.node),
                        "state names are unique in the whole workflow, branches included; rename one of them",
                    );
                } else {
                    self.names.insert(n.node.clone(), n.span.clone());
                    used.insert(n.node.clone());
                }
            }
        }
        for s in &all {
            if s.name().is_none() {
                if let Some(base) = default_name(s) {
                    let mut name = base.clone();
                    let mut i = 2;
                    while used.contains(&name) {
                        name = format!("{base}_{i}");
                        i += 1;
                    }
                    used.insert(name.clone());
                    self.names.insert(name.clone(), s.span.clone());
                    self.auto.insert(s.span.start, name);
                }
            }
        }
    }

    pub(super) fn name_of(&self, s: &Stmt) -> String {
        s.name().map(|n| n.node.clone()).or_else(|| self.auto.get(&s.span.start).cloned()).unwrap_or_default()
    }
}

pub(super) fn ends_flow(s: &Stmt) -> bool {
    matches!(s.kind, StmtKind::Goto(_) | StmtKind::Succeed { .. } | StmtKind::Fail { .. })
}

/// The name an unnamed state gets: its kind, or a task's action.
pub(super) fn default_name(s: &Stmt) -> Option<String> {
    Some(match &s.kind {
        StmtKind::Pass { .. } => "Pass".into(),
        StmtKind::Wait { .. } => "Wait".into(),
        StmtKind::Succeed { .. } => "Succeed".into(),
        StmtKind::Fail { .. } => "Fail".into(),
        StmtKind::Parallel { .. } => "Parallel".into(),
        StmtKind::Map { .. } => "Map".into(),
        StmtKind::If { .. } => "If".into(),
        StmtKind::While { .. } => "While".into(),
        StmtKind::Switch { .. } => "Switch".into(),
        StmtKind::Task { resource, .. } => {
            let text = match &resource.node {
                Resource::Integration(t) | Resource::Sdk(t) => t.clone(),
                Resource::Arn(a) => a.rsplit(':').next().unwrap_or("Task").to_string(),
            };
            let action = text.split(['.', ':']).rfind(|p| *p != "sync" && *p != "waitForTaskToken").unwrap_or("Task").to_string();
            let mut c = action.chars();
            c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_else(|| "Task".into())
        }
        StmtKind::Goto(_) | StmtKind::Try { .. } | StmtKind::Raw { .. } | StmtKind::Import(_) => return None,
    })
}

/// Every statement, nested ones included, in source order.
pub(super) fn collect<'a>(stmts: &'a [Stmt], out: &mut Vec<&'a Stmt>) {
    for s in stmts {
        out.push(s);
        match &s.kind {
            StmtKind::If { arms, otherwise, .. } => {
                for (_, b) in arms {
                    collect(b, out);
                }
                if let Some(b) = otherwise {
                    collect(b, out);
                }
            }
            StmtKind::While { body, .. } | StmtKind::Map { body, .. } => collect(body, out),
            StmtKind::Switch { cases, default, .. } => {
                for (_, b) in cases {
                    collect(b, out);
                }
                if let Some(b) = default {
                    collect(b, out);
                }
            }
            StmtKind::Try { body, catches } => {
                collect(body, out);
                for c in catches {
                    collect(&c.body, out);
                }
            }
            StmtKind::Parallel { branches, .. } => {
                for b in branches {
                    collect(b, out);
                }
            }
            _ => {}
        }
    }
}
