//! `sfc validate FILE...`

use crate::load::SourceArgs;
use crate::{CliError, Format, Outcome, Verdict};
use sfc_compiler::diag::{self, Diagnostic};
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// ASL definition files (`.asl.json`, `.json`) or workflows (`.sfc`).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    #[command(flatten)]
    source: SourceArgs,
}

/// What became of one file.
enum FileResult {
    Checked { src: String, diagnostics: Vec<Diagnostic> },
    Unreadable(String),
}

pub fn run(args: &Args) -> Outcome {
    let outcomes: Vec<(String, FileResult)> = args.files.iter().map(|f| (f.display().to_string(), check_file(f, &args.source))).collect();
    let printed = match args.format {
        Format::Text => print_text(&outcomes),
        Format::Json => print_json(&outcomes),
    };
    printed.map_err(|e| CliError::usage(format!("cannot write the report: {e}")))?;
    if outcomes.iter().any(|(_, o)| matches!(o, FileResult::Unreadable(_))) {
        // Already reported, file by file.
        return Err(CliError::Usage(String::new()));
    }
    let invalid =
        outcomes.iter().any(|(_, o)| matches!(o, FileResult::Checked { diagnostics, .. } if diagnostics.iter().any(Diagnostic::is_error)));
    Ok(if invalid { Verdict::Fail } else { Verdict::Pass })
}

/// A workflow is valid when it compiles (the compiler validates its ASL);
/// both kinds take the same options.
fn check_file(path: &std::path::Path, source: &SourceArgs) -> FileResult {
    let options = match source.options(path) {
        Ok(o) => o,
        Err(e) => return FileResult::Unreadable(e),
    };
    match sfc_compiler::load::check(path, &options) {
        Ok(checked) => FileResult::Checked { src: checked.text, diagnostics: checked.diagnostics },
        Err(e) => FileResult::Unreadable(e.to_string()),
    }
}

fn print_text(outcomes: &[(String, FileResult)]) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    for (file, o) in outcomes {
        match o {
            FileResult::Unreadable(msg) => writeln!(err, "error: {msg}")?,
            FileResult::Checked { src, diagnostics } => {
                if !diagnostics.is_empty() {
                    write!(out, "{}", diag::render(diagnostics, file, src))?;
                }
                let errors = diagnostics.iter().filter(|d| d.is_error()).count();
                let warnings = diagnostics.len() - errors;
                let verdict = if errors == 0 { "valid" } else { "invalid" };
                writeln!(out, "{file}: {verdict} ({} error{}, {} warning{})", errors, plural(errors), warnings, plural(warnings))?;
            }
        }
    }
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn print_json(outcomes: &[(String, FileResult)]) -> std::io::Result<()> {
    let files: Vec<serde_json::Value> = outcomes
        .iter()
        .map(|(file, o)| match o {
            FileResult::Unreadable(msg) => serde_json::json!({"file": file, "valid": false, "readable": false, "error": msg}),
            FileResult::Checked { src, diagnostics } => serde_json::json!({
                "file": file,
                "valid": !diagnostics.iter().any(Diagnostic::is_error),
                "readable": true,
                "diagnostics": diag::locate(diagnostics, src),
            }),
        })
        .collect();
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &serde_json::json!({ "files": files }))?;
    writeln!(out)
}
