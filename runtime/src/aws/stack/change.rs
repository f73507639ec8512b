//! One resource's change, told the same way for every kind: what is
//! deployed, what the workflow wants, and the difference.

use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Create,
    Update,
    Unchanged,
    Delete,
}

/// A resource beside the state machine and what deploying does to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// `role`, `role policy`, `rule`, `schedule`, `alarm`.
    pub kind: &'static str,
    pub name: String,
    pub action: Action,
    /// Line diff of the deployed and wanted descriptions (empty when equal).
    pub diff: String,
}

impl Change {
    /// The change from `current` (absent: not deployed) to `wanted`
    /// (absent: to be removed).
    pub fn between(kind: &'static str, name: &str, current: Option<&Value>, wanted: Option<&Value>) -> Change {
        let text = |v: Option<&Value>| v.map(|v| serde_json::to_string_pretty(v).expect("JSON always serialises")).unwrap_or_default();
        let action = match (current, wanted) {
            (None, Some(_)) => Action::Create,
            (Some(_), None) => Action::Delete,
            (Some(c), Some(w)) if c == w => Action::Unchanged,
            _ => Action::Update,
        };
        Change { kind, name: name.to_string(), action, diff: super::super::deploy::diff(&text(current), &text(wanted)) }
    }

    pub fn changes(&self) -> bool {
        self.action != Action::Unchanged
    }

    /// `rule sfc-M-claims: created` (or `would be created` in a dry run).
    pub fn line(&self, dry_run: bool) -> String {
        let done = match (self.action, dry_run) {
            (Action::Create, false) => "created",
            (Action::Create, true) => "would be created",
            (Action::Update, false) => "updated",
            (Action::Update, true) => "would be updated",
            (Action::Delete, false) => "deleted (no longer in the workflow)",
            (Action::Delete, true) => "would be deleted (no longer in the workflow)",
            (Action::Unchanged, _) => "unchanged",
        };
        format!("{} {}: {done}", self.kind, self.name)
    }
}
