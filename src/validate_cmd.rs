//! `sfc validate FILE...`

use sfc_compiler::diag::{self, Diagnostic};
use sfc_compiler::source;
use sfc_compiler::validate::{self, Options};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// ASL definition files (`.asl.json`, `.json`) or workflows (`.sfc`).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Accept `${name}` DefinitionSubstitutions placeholders in Resource
    /// ARNs, as CloudFormation, SAM and CDK fill them in at deployment.
    #[arg(long)]
    allow_placeholders: bool,
    /// Skip path syntax checks (for definitions whose paths a template
    /// engine fills in).
    #[arg(long)]
    no_path_checks: bool,
    /// Require JSONata expressions to be written exactly `{% expr %}`
    /// (asl-validator's convention; AWS only requires the delimiters).
    #[arg(long)]
    strict_jsonata_spacing: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

/// What became of one file.
enum Outcome {
    Checked { src: String, diagnostics: Vec<Diagnostic> },
    Unreadable(String),
}

pub fn run(args: &Args) -> ExitCode {
    let opts = Options {
        allow_placeholders: args.allow_placeholders,
        check_paths: !args.no_path_checks,
        strict_jsonata_spacing: args.strict_jsonata_spacing,
    };
    let outcomes: Vec<(String, Outcome)> = args.files.iter().map(|f| (f.display().to_string(), check_file(f, &opts))).collect();
    let status = outcomes.iter().map(|(_, o)| status_of(o)).max().unwrap_or(0);
    let printed = match args.format {
        Format::Text => print_text(&outcomes),
        Format::Json => print_json(&outcomes),
    };
    if printed.is_err() {
        return ExitCode::from(2);
    }
    ExitCode::from(status)
}

fn check_file(path: &std::path::Path, opts: &Options) -> Outcome {
    let is_workflow = path.to_string_lossy().ends_with(".sfc");
    match source::read(path) {
        // A workflow is valid when it compiles: the compiler validates its ASL.
        Ok(src) if is_workflow => {
            let dir = path.parent().unwrap_or(std::path::Path::new("."));
            let diagnostics = sfc_compiler::lang::compile(&src, dir, &Default::default()).diagnostics;
            Outcome::Checked { src, diagnostics }
        }
        Ok(src) => {
            let diagnostics = validate::validate_source(&src, opts).diagnostics;
            Outcome::Checked { src, diagnostics }
        }
        Err(e) if e.is_unreadable() => Outcome::Unreadable(e.to_string()),
        Err(e) => Outcome::Checked { src: String::new(), diagnostics: vec![Diagnostic::error("INVALID_JSON_DESCRIPTION", e.to_string())] },
    }
}

fn status_of(o: &Outcome) -> u8 {
    match o {
        Outcome::Unreadable(_) => 2,
        Outcome::Checked { diagnostics, .. } if diagnostics.iter().any(Diagnostic::is_error) => 1,
        Outcome::Checked { .. } => 0,
    }
}

fn print_text(outcomes: &[(String, Outcome)]) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    for (file, o) in outcomes {
        match o {
            Outcome::Unreadable(msg) => writeln!(err, "error: {msg}")?,
            Outcome::Checked { src, diagnostics } => {
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

fn print_json(outcomes: &[(String, Outcome)]) -> std::io::Result<()> {
    let files: Vec<serde_json::Value> = outcomes
        .iter()
        .map(|(file, o)| match o {
            Outcome::Unreadable(msg) => serde_json::json!({"file": file, "valid": false, "readable": false, "error": msg}),
            Outcome::Checked { src, diagnostics } => serde_json::json!({
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
