//! Loading what commands take: definitions (validated first) and inputs.

use sfc_asl::Definition;
use sfc_compiler::diag;
use sfc_compiler::source;
use sfc_compiler::validate::{self, Options};
use std::io::Read;
use std::path::Path;

/// `key=value` for `--set`.
pub fn parse_set(s: &str) -> Result<(String, String), String> {
    s.split_once('=').map(|(k, v)| (k.trim().to_string(), v.to_string())).ok_or_else(|| format!("expected KEY=VALUE, got {s:?}"))
}

/// Compiles a `.sfc` file; the error is the rendered diagnostics.
pub fn compile_file(path: &Path, set: &[(String, String)]) -> Result<serde_json::Value, String> {
    let src = source::read(path).map_err(|e| format!("error: {e}\n"))?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let opts = sfc_compiler::lang::Options { set: set.to_vec(), path: Some(path.to_path_buf()) };
    let out = sfc_compiler::lang::compile(&src, dir, &opts);
    let shown = path.display().to_string();
    match out.asl {
        Some(asl) => {
            let warnings: Vec<_> = out.diagnostics.into_iter().filter(|d| !d.is_error()).collect();
            if !warnings.is_empty() {
                eprint!("{}", diag::render(&warnings, &shown, &src));
            }
            Ok(asl)
        }
        None => {
            let n = out.diagnostics.iter().filter(|d| d.is_error()).count();
            Err(format!("{}error: {shown}: {n} error(s); nothing was written\n", diag::render(&out.diagnostics, &shown, &src)))
        }
    }
}

/// Reads, validates and loads a definition (`.asl.json`, or `.sfc`
/// compiled first); the error is ready to print.
pub fn definition(path: &Path) -> Result<Definition, String> {
    let value = definition_value(path, &[])?;
    Definition::from_value(value).map_err(|e| format!("error: {}: {e}\n", path.display()))
}

/// The validated ASL as JSON, key order kept: a `.sfc` compiled (with
/// `--set` values), or an `.asl.json` file that passes the validator.
pub fn definition_value(path: &Path, set: &[(String, String)]) -> Result<serde_json::Value, String> {
    if path.to_string_lossy().ends_with(".sfc") {
        return compile_file(path, set);
    }
    let src = source::read(path).map_err(|e| format!("error: {e}\n"))?;
    let report = validate::validate_source(&src, &Options::default());
    let shown = path.display().to_string();
    if !report.is_valid() {
        let errors: Vec<_> = report.diagnostics.into_iter().filter(|d| d.is_error()).collect();
        return Err(format!(
            "{}error: {shown} is not a valid state machine ({} error(s))\n",
            diag::render(&errors, &shown, &src),
            errors.len()
        ));
    }
    report.value.ok_or_else(|| format!("error: {shown}: no definition\n"))
}

/// The execution input from a file, `-` (standard input), or `{}`.
pub fn input(arg: Option<&str>) -> Result<serde_json::Value, String> {
    let (text, name) = match arg {
        None => return Ok(serde_json::json!({})),
        Some("-") => {
            let mut bytes = Vec::new();
            std::io::stdin().read_to_end(&mut bytes).map_err(|e| format!("cannot read standard input: {e}"))?;
            (source::decode(bytes, "<stdin>").map_err(|e| e.to_string())?, "<stdin>".to_string())
        }
        Some(f) => (source::read(Path::new(f)).map_err(|e| e.to_string())?, f.to_string()),
    };
    let parsed = sfc_compiler::json::parse(&text).map_err(|e| {
        let lc = sfc_compiler::json::LineIndex::new(&text).line_col(e.offset);
        format!("{name}:{}:{}: the input is not JSON: {}", lc.line, lc.column, e.message)
    })?;
    if text.len() > sfc_runtime::MAX_PAYLOAD_BYTES {
        return Err(format!("{name}: the input is {} bytes; AWS accepts at most {} (256 KiB)", text.len(), sfc_runtime::MAX_PAYLOAD_BYTES));
    }
    Ok(parsed.value)
}

/// The machine's name: a workflow's `workflow "Name"`, else the file name
/// without `.sfc` / `.asl.json` / `.json`.
pub fn machine_name(path: &Path) -> String {
    if path.to_string_lossy().ends_with(".sfc") {
        let named =
            source::read(path).ok().and_then(|src| sfc_compiler::lang::parse(&src).ok()).and_then(|f| f.header).and_then(|h| h.name);
        if let Some(n) = named {
            return n.node;
        }
        let file = path.file_name().map(|f| f.to_string_lossy().to_string()).unwrap_or_default();
        return file.trim_end_matches(".sfc").to_string();
    }
    let file = path.file_name().map(|f| f.to_string_lossy().to_string()).unwrap_or_else(|| "StateMachine".into());
    file.trim_end_matches(".json").trim_end_matches(".asl").to_string()
}

/// Reads and checks a mock file; the error names the file and the entry.
pub fn mocks(path: &Path) -> Result<sfc_runtime::mock::MockConfig, String> {
    let text = source::read(path).map_err(|e| e.to_string())?;
    let parsed = sfc_compiler::json::parse(&text).map_err(|e| {
        let lc = sfc_compiler::json::LineIndex::new(&text).line_col(e.offset);
        format!("{}:{}:{}: the mock file is not JSON: {}", path.display(), lc.line, lc.column, e.message)
    })?;
    sfc_runtime::mock::MockConfig::parse(&parsed.value).map_err(|e| format!("{}: {e}", path.display()))
}
