//! `sfc test [WF ...]`: every test case of each workflow's mock file, run
//! and checked against its expectations.

use crate::load::{self, SourceArgs};
use crate::{CliError, Outcome, Verdict};
use sfc_runtime::harness::{self, CaseResult, Cases};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// Workflows (`.sfc` or `.asl.json`) or folders of them; default: every
    /// workflows/*.sfc.
    files: Vec<PathBuf>,
    /// A mock file to use for every workflow given (default:
    /// $SFN_MOCK_CONFIG, else each workflow's fixtures/mocks/NAME.json or
    /// NAME.mocks.json beside it).
    #[arg(long, env = "SFN_MOCK_CONFIG")]
    mocks: Option<PathBuf>,
    /// The state machine's name in the mock file (default: the workflow's
    /// name, or the file's name without .asl.json).
    #[arg(long)]
    machine: Option<String>,
    /// Output format: a line per case (text), one JSON document (json), or
    /// JUnit XML as CI systems read it (junit).
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    format: ReportFormat,
    #[command(flatten)]
    source: SourceArgs,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
    Junit,
}

pub fn run(args: &Args) -> Outcome {
    let files = if args.files.is_empty() { default_workflows() } else { expand(&args.files) };
    if files.is_empty() {
        return Err(CliError::usage("no workflows given and none in workflows/"));
    }
    let interactive = std::io::stderr().is_terminal() && args.format == ReportFormat::Text;
    let mut results = Vec::new();
    let mut setup_errors = Vec::new();
    for wf in &files {
        match test_workflow(wf, args, interactive) {
            Ok(r) => results.extend(r),
            Err(e) => setup_errors.push(e),
        }
    }
    let failed = results.iter().filter(|r| !r.problems.is_empty()).count() + setup_errors.len();
    let passed = results.len() - results.iter().filter(|r| !r.problems.is_empty()).count();
    report(args.format, &results, &setup_errors, passed, failed)
        .map_err(|e| CliError::usage(format!("cannot write the report to standard output: {e}")))?;
    Ok(if failed == 0 { Verdict::Pass } else { Verdict::Fail })
}

/// One line per case and a summary, or one JSON document.
fn report(format: ReportFormat, results: &[CaseResult], setup_errors: &[String], passed: usize, failed: usize) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match format {
        ReportFormat::Text => {
            for r in results {
                let mark = if r.problems.is_empty() { "PASS" } else { "FAIL" };
                let basis = if r.no_expectations && r.problems.is_empty() { " SUCCEEDED, no expectations" } else { "" };
                writeln!(out, "{mark} {} / {}{basis} ({:.1} ms)", r.machine, r.case, r.millis)?;
                for p in &r.problems {
                    writeln!(out, "     {p}")?;
                }
            }
            for e in setup_errors {
                writeln!(out, "FAIL {e}")?;
            }
            writeln!(out, "{passed} passed, {failed} failed")?;
        }
        ReportFormat::Json => {
            let cases: Vec<_> = results
                .iter()
                .map(|r| serde_json::json!({"workflow": r.machine, "case": r.case, "passed": r.problems.is_empty(), "problems": r.problems, "millis": r.millis, "expectations": !r.no_expectations}))
                .collect();
            let doc = serde_json::json!({"passed": passed, "failed": failed, "cases": cases, "errors": setup_errors});
            serde_json::to_writer_pretty(&mut out, &doc)?;
            writeln!(out)?;
        }
        ReportFormat::Junit => junit(&mut out, results, setup_errors, failed)?,
    }
    out.flush()
}

fn default_workflows() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir("workflows")
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|e| e == "sfc")).collect())
        .unwrap_or_default();
    v.sort();
    v
}

/// The workflows named: files as they are, and in each folder its
/// `.sfc` and `.asl.json` files (a Step Functions Local project's folder).
fn expand(given: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for path in given {
        if !path.is_dir() {
            out.push(path.clone());
            continue;
        }
        let mut found: Vec<PathBuf> = std::fs::read_dir(path)
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect::<Vec<_>>())
            .unwrap_or_default()
            .into_iter()
            .filter(|p| {
                p.is_file()
                    && p.file_name().is_some_and(|n| n.to_string_lossy().ends_with(".sfc") || n.to_string_lossy().ends_with(".asl.json"))
            })
            .collect();
        found.sort();
        out.extend(found);
    }
    out
}

/// The mock file of a workflow: NAME.mocks.json beside it, Step Functions
/// Local's MockConfigFile.json beside it, or fixtures/mocks/NAME.json.
fn find_mocks(wf: &Path) -> Option<PathBuf> {
    let stem = wf.file_name()?.to_string_lossy().trim_end_matches(".sfc").trim_end_matches(".json").trim_end_matches(".asl").to_string();
    let beside = [wf.with_file_name(format!("{stem}.mocks.json")), wf.with_file_name("MockConfigFile.json")];
    if let Some(found) = beside.into_iter().find(|p| p.is_file()) {
        return Some(found);
    }
    let fixtures = PathBuf::from("fixtures/mocks").join(format!("{stem}.json"));
    fixtures.is_file().then_some(fixtures)
}

fn test_workflow(wf: &Path, args: &Args, interactive: bool) -> Result<Vec<CaseResult>, String> {
    let shown = wf.display().to_string();
    let def = load::definition(wf, &args.source).map_err(|e| match e {
        CliError::Invalid(text) | CliError::Usage(text) => format!("{shown}: does not load:\n{text}"),
    })?;
    let mock_path = args
        .mocks
        .clone()
        .or_else(|| find_mocks(wf))
        .ok_or_else(|| format!("{shown}: no mock file (looked for NAME.mocks.json beside it and fixtures/mocks/NAME.json)"))?;
    let config = load::mocks(&mock_path)?;
    for unused in config.unused_responses() {
        eprintln!("warning: {}: MockedResponses.{unused} is used by no test case", mock_path.display());
    }
    let name = args.machine.clone().unwrap_or_else(|| load::machine_name(wf));
    let starting = |case: &str| {
        if interactive {
            eprint!("\r  running {name} / {case}...\x1b[K");
        }
    };
    let read_input = |p: &Path| load::input(Some(&p.to_string_lossy()));
    let cases = Cases {
        name: &name,
        config: &config,
        dir: mock_path.parent().unwrap_or(Path::new(".")),
        read_input: &read_input,
        starting: &starting,
    };
    let results = harness::run_cases(&def.machine, &cases).map_err(|e| format!("{}: {e}", mock_path.display()));
    if interactive {
        eprint!("\r\x1b[K");
    }
    results
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// JUnit XML: one testsuite, one testcase per case (classname the
/// workflow), a failure with every problem; a workflow that did not load
/// is a failed testcase of its own.
fn junit(out: &mut impl Write, results: &[CaseResult], setup_errors: &[String], failed: usize) -> std::io::Result<()> {
    let seconds: f64 = results.iter().map(|r| r.millis).sum::<f64>() / 1000.0;
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="sfc test" tests="{}" failures="{failed}" time="{seconds:.4}">"#,
        results.len() + setup_errors.len()
    )?;
    writeln!(
        out,
        r#"  <testsuite name="sfc test" tests="{}" failures="{failed}" time="{seconds:.4}">"#,
        results.len() + setup_errors.len()
    )?;
    for r in results {
        let head = format!(r#"    <testcase classname="{}" name="{}" time="{:.4}""#, xml(&r.machine), xml(&r.case), r.millis / 1000.0);
        match r.problems.first() {
            None => writeln!(out, "{head}/>")?,
            Some(first) => {
                writeln!(out, "{head}>")?;
                writeln!(out, r#"      <failure message="{}">{}</failure>"#, xml(first), xml(&r.problems.join("\n")))?;
                writeln!(out, "    </testcase>")?;
            }
        }
    }
    for e in setup_errors {
        writeln!(
            out,
            r#"    <testcase classname="setup" name="{}"><failure message="{}"/></testcase>"#,
            xml(e.lines().next().unwrap_or("")),
            xml(e)
        )?;
    }
    writeln!(out, "  </testsuite>")?;
    writeln!(out, "</testsuites>")
}
