//! The compiler's driver: parse, fill parameters and imports, lower,
//! validate the ASL. Every error in a file is reported at once.

use super::ast::{Clause, ClauseKind, File, ValueKind};
use super::lower::Lowerer;
use super::values::Values;
use crate::diag::Diagnostic;
use crate::validate;
use serde_json::{Map, Value as Json};
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Settings of one compilation.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--set key=value`: overrides compile-time parameters.
    pub set: Vec<(String, String)>,
    /// The file being compiled, when it is one: an import cycle back to
    /// it is then reported like any other.
    pub path: Option<PathBuf>,
    /// How the compiled ASL is validated (`sfc validate`'s options).
    pub validate: validate::Options,
}

/// What compiling one file produced.
#[derive(Debug)]
pub struct Compiled {
    /// The ASL, when there was no error.
    pub asl: Option<Json>,
    pub diagnostics: Vec<Diagnostic>,
    /// Its triggers and alarms, when there was no error.
    pub plan: Option<sfc_asl::deploy_plan::Plan>,
}

/// Compiles workflow source text. `dir` resolves imports.
pub fn compile(src: &str, dir: &Path, opts: &Options) -> Compiled {
    let mut file = match super::parse(src) {
        Ok(f) => f,
        // Report every syntax error, not only the first.
        Err(_) => return Compiled { asl: None, diagnostics: super::syntax_errors(src), plan: None },
    };
    let mut diags = Vec::new();
    let mut imported = Vec::new();
    let top = opts.path.as_ref().map(|p| (std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()), p.display().to_string()));
    let mut imports = Imports {
        imported: &mut imported,
        diags: &mut diags,
        seen: HashSet::new(),
        chain: top.into_iter().collect(),
        offset: src.len() + 1,
    };
    imports.expand(&mut file, dir, None);
    if file.body.is_empty() {
        let mut d = Diagnostic::warning("EMPTY_WORKFLOW", "the workflow has no statements; it compiles to a single Succeed state")
            .with_help("write the workflow's states, e.g. pass Start");
        d.span = Some(0..src.len().min(1));
        diags.push(d);
    }
    let params = params(&file, opts, &mut diags);
    let positions = imported.iter().map(|(r, at, _)| (r.clone(), at.start)).collect();
    let lowerer = Lowerer::new(&params, positions);
    let (mut machine, lowered) = lowerer.machine(&file.body);
    diags.extend(lowered);
    if let Some(h) = &file.header {
        header(&mut machine, &h.clauses, &params, &mut diags);
    }
    let (plan, planned) = super::deploy_plan::plan(&file, &params, &machine_name(&file, opts));
    diags.extend(planned);
    if diags.iter().any(Diagnostic::is_error) {
        show_imports_on_import(&mut diags, &imported);
        diags.sort_by_key(|d| d.span.as_ref().map(|s| s.start));
        return Compiled { asl: None, diagnostics: diags, plan: None };
    }
    // The compiled ASL must pass the validator before anyone sees it; its
    // findings are shown on the source that produced them.
    for mut d in validate::validate_value(&machine, &opts.validate) {
        let at = d.pointer.clone().unwrap_or_default();
        d.span = None;
        super::locate::place(&mut d, &file.body, &machine, src);
        if d.is_error() {
            d.message = format!("the compiled ASL is invalid: {} ({at})", d.message);
        }
        diags.push(d);
    }
    // AWS takes definitions of up to 1 MiB, as written (pretty-printed).
    let size = serde_json::to_string_pretty(&machine).map_or(0, |t| t.len());
    if size > validate::MAX_DEFINITION_BYTES {
        let mut d = Diagnostic::error(
            "DEFINITION_TOO_LARGE",
            format!("the compiled definition is {size} bytes; AWS accepts at most {} (1 MiB)", validate::MAX_DEFINITION_BYTES),
        )
        .with_help("split the workflow into several state machines (a nested StartExecution), or move large literals into the input");
        d.span = Some(0..src.len().min(1));
        diags.push(d);
    }
    show_imports_on_import(&mut diags, &imported);
    diags.sort_by_key(|d| d.span.as_ref().map(|s| s.start));
    let valid = !diags.iter().any(Diagnostic::is_error);
    Compiled { asl: valid.then_some(machine), diagnostics: diags, plan: valid.then_some(plan) }
}

/// The machine's name: the header's, else the file's without `.sfc`.
fn machine_name(file: &File, opts: &Options) -> String {
    let from_file = opts.path.as_ref().and_then(|p| p.file_name()).map(|f| f.to_string_lossy().trim_end_matches(".sfc").to_string());
    file.header.as_ref().and_then(|h| h.name.as_ref()).map(|n| n.node.clone()).or(from_file).unwrap_or_else(|| "StateMachine".into())
}

/// Diagnostics inside imported files are shown on the import.
fn show_imports_on_import(diags: &mut [Diagnostic], imported: &[(Range<usize>, Range<usize>, String)]) {
    for d in diags {
        if let Some(sp) = &d.span {
            if let Some((_, at, path)) = imported.iter().find(|(r, _, _)| r.contains(&sp.start)) {
                d.message = format!("in {path}: {}", d.message);
                d.span = Some(at.clone());
            }
        }
    }
}

/// Puts the header's fields in front of StartAt, in ASL's usual order.
fn header(machine: &mut Json, clauses: &[Clause], params: &HashMap<String, Json>, diags: &mut Vec<Diagnostic>) {
    let mut front = Map::new();
    for c in clauses {
        match &c.kind {
            ClauseKind::Comment(t) => {
                let mut v = Values { params, diags: Vec::new() };
                front.insert("Comment".into(), v.interpolate(t, &c.span).into());
                diags.extend(v.diags);
            }
            ClauseKind::Query(q) => {
                front.insert("QueryLanguage".into(), (if q == "jsonata" { "JSONata" } else { "JSONPath" }).into());
            }
            _ => {}
        }
    }
    let Json::Object(m) = std::mem::take(machine) else { return };
    for c in clauses {
        match &c.kind {
            ClauseKind::Timeout(super::ast::Amount::Fixed(n)) => {
                front.insert("TimeoutSeconds".into(), (*n).into());
            }
            ClauseKind::Version(v) => {
                front.insert("Version".into(), v.clone().into());
            }
            ClauseKind::Timeout(super::ast::Amount::Path(_)) => {
                let mut d = Diagnostic::error("SEMANTIC", "the workflow's timeout must be a fixed duration").with_help("write timeout 2h");
                d.span = Some(c.span.clone());
                diags.push(d);
            }
            _ => {}
        }
    }
    // StartAt and States after the header's fields, as ASL is usually written.
    front.extend(m);
    *machine = Json::Object(front);
}

/// Compile-time parameters, in order (a default may use earlier ones),
/// with `--set` overrides.
fn params(file: &File, opts: &Options, diags: &mut Vec<Diagnostic>) -> HashMap<String, Json> {
    let mut out: HashMap<String, Json> = HashMap::new();
    for p in &file.params {
        let overridden = opts.set.iter().rev().find(|(k, _)| *k == p.name.node).map(|(_, v)| v.clone());
        let given = overridden.and_then(|text| match set_value(&p.value.node, &text) {
            Ok(v) => Some(v),
            Err(wanted) => {
                let mut d = Diagnostic::error("SEMANTIC", format!("--set {}={text}: the parameter takes {wanted}", p.name.node))
                    .with_help("give a value of the type of its default (here)");
                d.span = Some(p.value.span.clone());
                diags.push(d);
                None
            }
        });
        let value = match given {
            Some(v) => v,
            None => {
                let mut v = Values { params: &out, diags: Vec::new() };
                let j = v.template(&p.value);
                diags.extend(v.diags);
                j
            }
        };
        out.insert(p.name.node.clone(), value);
    }
    for (k, _) in &opts.set {
        if !file.params.iter().any(|p| &p.name.node == k) {
            diags.push(
                Diagnostic::error("SEMANTIC", format!("--set {k}=...: the workflow has no parameter `{k}`"))
                    .with_help("declare it with param, or check the spelling"),
            );
        }
    }
    out
}

/// A `--set` value read as the type of the parameter's default: a number
/// (finite), a boolean, or text; `Err` says what the parameter takes.
fn set_value(default: &ValueKind, text: &str) -> Result<Json, &'static str> {
    match default {
        ValueKind::Number(_) => match serde_json::from_str::<Json>(text.trim()) {
            Ok(Json::Number(n)) if n.as_f64().is_some_and(f64::is_finite) => Ok(Json::Number(n)),
            _ => Err("a number"),
        },
        ValueKind::Bool(_) => match text.trim() {
            "true" => Ok(Json::Bool(true)),
            "false" => Ok(Json::Bool(false)),
            _ => Err("true or false"),
        },
        _ => Ok(Json::String(text.to_string())),
    }
}

/// Where diagnostics of imported text are shown: a span of the top-level
/// file (its import) and the imported file's name.
type Shown = (Range<usize>, String);

/// How deep imports may nest (an import of an import of ...).
const MAX_IMPORT_DEPTH: usize = 32;

/// Replaces each `import` with the statements (and parameters) of that
/// file, imports inside imported files included, each file once. Imported
/// statements get spans past the end of the top-level file; `imported`
/// maps them back to the import that brought them, for diagnostics.
struct Imports<'a> {
    imported: &'a mut Vec<(Range<usize>, Range<usize>, String)>,
    diags: &'a mut Vec<Diagnostic>,
    seen: HashSet<PathBuf>,
    /// The files being imported, outermost first, with their names: a
    /// file that imports one of them closes a cycle.
    chain: Vec<(PathBuf, String)>,
    offset: usize,
}

impl Imports<'_> {
    fn expand(&mut self, file: &mut File, dir: &Path, shown: Option<&Shown>) {
        let mut body = Vec::new();
        for stmt in std::mem::take(&mut file.body) {
            let super::ast::StmtKind::Import(imp) = &stmt.kind else {
                body.push(stmt);
                continue;
            };
            let fail = |msg: String| {
                let mut d = Diagnostic::error("IMPORT", msg).with_help("import paths are relative to the importing file");
                d.span = Some(imp.span.clone());
                d
            };
            let path = dir.join(&imp.node);
            let key = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
            if let Some(i) = self.chain.iter().position(|(p, _)| *p == key) {
                let names: Vec<&str> = self.chain[i..].iter().map(|(_, n)| n.as_str()).chain([imp.node.as_str()]).collect();
                self.diags.push(fail(format!("import cycle: {}", names.join(" → "))).with_help(
                    "a file cannot import itself, directly or through other files; move the shared statements into a fragment both import",
                ));
                continue;
            }
            if self.chain.len() >= MAX_IMPORT_DEPTH {
                self.diags.push(fail(format!("imports nest more than {MAX_IMPORT_DEPTH} deep here")));
                continue;
            }
            if !self.seen.insert(key.clone()) {
                continue;
            }
            let text = match crate::source::read(&path) {
                Ok(t) => t,
                Err(e) => {
                    let reason = match e {
                        crate::source::SourceError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
                            "no such file".to_string()
                        }
                        other => other.to_string(),
                    };
                    self.diags.push(fail(format!("cannot import \"{}\": {reason}", imp.node)));
                    continue;
                }
            };
            // Parsed behind `shift` spaces, the imported statements get spans
            // past the end of this file, distinct from its own.
            let shift = self.offset;
            match super::parse(&(" ".repeat(shift) + &text)) {
                Ok(mut f) => {
                    let here = shown.cloned().unwrap_or_else(|| (stmt.span.clone(), imp.node.clone()));
                    self.imported.push((shift..shift + text.len() + 1, here.0.clone(), here.1.clone()));
                    self.offset += text.len() + 2;
                    self.chain.push((key, imp.node.clone()));
                    self.expand(&mut f, path.parent().unwrap_or(dir), Some(&here));
                    self.chain.pop();
                    file.params.extend(f.params);
                    body.extend(f.body);
                }
                Err(d) => self.diags.push(fail(format!("cannot import \"{}\": {}", imp.node, d.message))),
            }
        }
        file.body = body;
    }
}
