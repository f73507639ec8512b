//! The validator: the checks AWS applies when a state machine is created,
//! as the union of what statelint, asl-validator and CDK check.
//!
//! It works on the raw JSON rather than the typed model, so it can report
//! every finding at once, each with a JSON pointer (and, through the span
//! index, a line and column), where deserialisation would stop at the
//! first. One function per check; the findings are concatenated and sorted
//! by position.

mod exprs;
mod fields;
mod graph;
mod map;
mod resource;
mod rules;
mod state;
mod variables;

use crate::diag::Diagnostic;
use crate::json::{self, LineIndex, Pointer};
use serde_json::{Map, Value};
use sfc_asl::QueryLanguage;

/// AWS's limit on the size of a definition.
pub const MAX_DEFINITION_BYTES: usize = 1024 * 1024;
/// AWS's limit on the length of a state name.
pub const MAX_STATE_NAME_CHARS: usize = 80;
/// How deeply Parallel and Map states may nest inside each other. AWS
/// publishes no figure; this bounds recursion well past real machines.
pub const MAX_STATE_NESTING: usize = 64;

/// Settings for checks that depend on how a definition is deployed.
#[derive(Debug, Clone)]
pub struct Options {
    /// Accept `${name}` DefinitionSubstitutions placeholders and
    /// CloudFormation `Fn::`/`Ref` objects as Task resources, as
    /// deployment tools (CloudFormation, SAM, CDK) fill them in later.
    pub allow_placeholders: bool,
    /// Check the syntax of paths (InputPath, ResultPath, `.$` values, ...).
    /// On by default, as AWS checks them; off only for definitions whose
    /// paths a template engine fills in.
    pub check_paths: bool,
    /// Require exactly `{% expr %}` with one space inside the delimiters,
    /// asl-validator's convention. AWS itself only requires the delimiters.
    pub strict_jsonata_spacing: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { allow_placeholders: false, check_paths: true, strict_jsonata_spacing: false }
    }
}

/// The outcome of validating one source text.
#[derive(Debug)]
pub struct Report {
    /// The parsed JSON, when the text was JSON at all.
    pub value: Option<Value>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    /// True when there is no error (warnings allowed).
    pub fn is_valid(&self) -> bool {
        !self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Parses and validates a definition given as text.
pub fn validate_source(src: &str, opts: &Options) -> Report {
    if src.len() > MAX_DEFINITION_BYTES {
        let d = Diagnostic::error(
            "DEFINITION_TOO_LARGE",
            format!("the definition is {} bytes; AWS accepts at most {MAX_DEFINITION_BYTES} (1 MiB)", src.len()),
        )
        .with_help("split the work into several state machines, or move large literals into the input");
        return Report { value: None, diagnostics: vec![d] };
    }
    if src.trim().is_empty() {
        let d = Diagnostic::error("MISSING_DESCRIPTION", "the definition is empty")
            .with_help("a definition is a JSON object with StartAt and States");
        return Report { value: None, diagnostics: vec![d] };
    }
    let parsed = match json::parse(src) {
        Ok(p) => p,
        Err(e) => {
            let mut d = Diagnostic::error("INVALID_JSON_DESCRIPTION", e.message);
            d.span = Some(e.offset..e.offset + 1);
            return Report { value: None, diagnostics: vec![d] };
        }
    };
    let mut diagnostics = validate_value(&parsed.value, opts);
    for d in &mut diagnostics {
        if let Some(p) = &d.pointer {
            d.span = parsed.spans.key(p).filter(|_| d.code == "DUPLICATE_STATE_NAME").or_else(|| parsed.spans.locate(p));
        }
    }
    diagnostics.sort_by_key(|d| (d.span.as_ref().map(|s| s.start), d.severity));
    Report { value: Some(parsed.value), diagnostics }
}

/// Validates a definition already parsed; findings carry pointers only.
pub fn validate_value(value: &Value, opts: &Options) -> Vec<Diagnostic> {
    let mut ctx = Ctx { opts, diags: Vec::new(), names: Vec::new(), missing: Vec::new() };
    match value {
        Value::Object(obj) => graph::check_machine(&mut ctx, obj, &Pointer::root(), Scope::top()),
        other => ctx.schema(&Pointer::root(), format!("a state machine definition is a JSON object, not {}", kind(other))),
    }
    graph::finish(&mut ctx);
    variables::check_variables(&mut ctx, value);
    ctx.diags
}

/// Line and column of a diagnostic, for callers that hold the source.
pub fn line_col(src: &str, d: &Diagnostic) -> Option<(usize, usize)> {
    d.span.as_ref().map(|s| {
        let lc = LineIndex::new(src).line_col(s.start);
        (lc.line, lc.column)
    })
}

/// Where a set of states sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ScopeKind {
    Top,
    Branch,
    Processor,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Scope {
    pub kind: ScopeKind,
    pub language: QueryLanguage,
    pub depth: usize,
}

impl Scope {
    fn top() -> Scope {
        Scope { kind: ScopeKind::Top, language: QueryLanguage::JSONPath, depth: 0 }
    }
}

/// What the checks share: options, findings, and every state name seen.
pub(crate) struct Ctx<'o> {
    pub opts: &'o Options,
    pub diags: Vec<Diagnostic>,
    pub names: Vec<(String, Pointer)>,
    /// Missing transition targets: (index into `diags`, target name).
    pub missing: Vec<(usize, String)>,
}

impl Ctx<'_> {
    pub fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// A SCHEMA_VALIDATION_FAILED error at `at`.
    pub fn schema(&mut self, at: &Pointer, message: impl Into<String>) {
        self.push(Diagnostic::error("SCHEMA_VALIDATION_FAILED", message).at(at.as_str()));
    }

    pub fn schema_help(&mut self, at: &Pointer, message: impl Into<String>, help: impl Into<String>) {
        self.push(Diagnostic::error("SCHEMA_VALIDATION_FAILED", message).at(at.as_str()).with_help(help));
    }
}

/// "a string", "an array", ... for messages.
pub(crate) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

pub(crate) type Obj = Map<String, Value>;
