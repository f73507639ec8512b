//! The one source loader every command uses: it decides once whether a
//! file is a workflow (`.sfc`, compiled) or an ASL definition (validated),
//! and applies the same validation options to both.
//!
//! ```
//! let dir = std::env::temp_dir().join(format!("sfc-load-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! let wf = dir.join("hello.sfc");
//! std::fs::write(&wf, "pass Hello result { greeting: \"hi\" }\n").unwrap();
//! let checked = sfc_compiler::load::check(&wf, &Default::default()).unwrap();
//! assert!(checked.is_valid());
//! assert_eq!(checked.asl.unwrap()["StartAt"], "Hello");
//! ```

use crate::diag::Diagnostic;
use crate::source::{self, SourceError};
use crate::validate;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// What a file holds, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A workflow in the sfc language (`.sfc`).
    Workflow,
    /// Amazon States Language JSON (`.asl.json`, `.json`, anything else).
    Asl,
}

impl Kind {
    pub fn of(path: &Path) -> Kind {
        if path.to_string_lossy().ends_with(".sfc") {
            Kind::Workflow
        } else {
            Kind::Asl
        }
    }
}

/// How to load: compile-time parameters for workflows, and the validator's
/// options for both kinds.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--set key=value` for a workflow's parameters.
    pub set: Vec<(String, String)>,
    /// DefinitionSubstitutions: each `${Name}` of an ASL definition's text
    /// replaced by its value before it is checked.
    pub substitutions: Vec<(String, String)>,
    pub validate: validate::Options,
}

/// A file that was read and checked.
#[derive(Debug)]
pub struct Checked {
    pub kind: Kind,
    /// The file's text, for rendering the diagnostics.
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
    /// The valid ASL, keys in the author's (or the compiler's) order;
    /// `None` when there is an error.
    pub asl: Option<Value>,
    /// A workflow's triggers and alarms (none for ASL), when valid.
    pub plan: Option<sfc_asl::deploy_plan::Plan>,
}

impl Checked {
    pub fn is_valid(&self) -> bool {
        !self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Reads `path` and compiles or validates it. A file that cannot be read
/// at all is an `Err`; everything found in its text is a diagnostic.
pub fn check(path: &Path, opts: &Options) -> Result<Checked, SourceError> {
    let kind = Kind::of(path);
    let text = match source::read(path) {
        Ok(t) => t,
        Err(e) if e.is_unreadable() => return Err(e),
        Err(e) => {
            let d = Diagnostic::error("INVALID_JSON_DESCRIPTION", e.detail());
            return Ok(Checked { kind, text: String::new(), diagnostics: vec![d], asl: None, plan: None });
        }
    };
    // Diagnostics are placed in (and rendered from) the substituted text.
    let text = match kind {
        Kind::Asl => crate::substitutions::substitute(&text, &opts.substitutions),
        Kind::Workflow => text,
    };
    let (diagnostics, asl, plan) = match kind {
        Kind::Workflow => {
            let dir = path.parent().unwrap_or(Path::new("."));
            let lang = crate::lang::Options { set: opts.set.clone(), path: Some(path.to_path_buf()), validate: opts.validate.clone() };
            let out = crate::lang::compile(&text, dir, &lang);
            (out.diagnostics, out.asl, out.plan)
        }
        Kind::Asl => {
            let report = validate::validate_source(&text, &opts.validate);
            let valid = report.is_valid();
            (report.diagnostics, report.value.filter(|_| valid), None)
        }
    };
    Ok(Checked { kind, text, diagnostics, asl, plan })
}

/// The machine's name: a workflow's `workflow "Name"`, else the file name
/// without `.sfc` / `.asl.json` / `.json`.
pub fn machine_name(path: &Path) -> String {
    let file = path.file_name().map(|f| f.to_string_lossy().to_string()).unwrap_or_else(|| "StateMachine".into());
    match Kind::of(path) {
        Kind::Workflow => {
            let named = source::read(path).ok().and_then(|src| crate::lang::parse(&src).ok()).and_then(|f| f.header).and_then(|h| h.name);
            named.map(|n| n.node).unwrap_or_else(|| file.trim_end_matches(".sfc").to_string())
        }
        Kind::Asl => file.trim_end_matches(".json").trim_end_matches(".asl").to_string(),
    }
}

/// The `check "..."` properties a workflow declares, each with where it
/// stands (`file:line:column`); none for ASL or a file that does not parse.
pub fn declared_checks(path: &Path) -> Vec<(String, String)> {
    if Kind::of(path) != Kind::Workflow {
        return Vec::new();
    }
    let Ok(src) = source::read(path) else { return Vec::new() };
    let Ok(file) = crate::lang::parse(&src) else { return Vec::new() };
    file.checks
        .into_iter()
        .map(|c| {
            let before = &src[..c.span.start.min(src.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            (c.node, format!("{}:{line}:{column}", path.display()))
        })
        .collect()
}

/// `path` as given, for messages.
pub fn shown(path: &Path) -> String {
    PathBuf::from(path).display().to_string()
}
