//! `sfc test [WF ...]`: every test case of each workflow's mock file, run
//! and checked against its expectations.

use crate::load;
use sfc_runtime::context::ExecutionInfo;
use sfc_runtime::expect;
use sfc_runtime::{run, RunOptions};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Workflows (`.sfc` or `.asl.json`); default: every workflows/*.sfc.
    files: Vec<PathBuf>,
    /// A mock file to use for every workflow given (default: each
    /// workflow's fixtures/mocks/NAME.json or NAME.mocks.json beside it).
    #[arg(long)]
    mocks: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

/// One case's result.
struct CaseResult {
    workflow: String,
    case: String,
    problems: Vec<String>,
    millis: f64,
}

pub fn run_cmd(args: &Args) -> ExitCode {
    let files = if args.files.is_empty() { default_workflows() } else { args.files.clone() };
    if files.is_empty() {
        eprintln!("error: no workflows given and none in workflows/");
        return ExitCode::from(2);
    }
    let interactive = std::io::stderr().is_terminal() && args.format == Format::Text;
    let mut results = Vec::new();
    let mut setup_errors = Vec::new();
    for wf in &files {
        match test_workflow(wf, args.mocks.as_deref(), interactive, &mut results) {
            Ok(()) => {}
            Err(e) => setup_errors.push(e),
        }
    }
    let failed = results.iter().filter(|r| !r.problems.is_empty()).count() + setup_errors.len();
    let passed = results.len() - results.iter().filter(|r| !r.problems.is_empty()).count();
    match args.format {
        Format::Text => {
            let mut out = std::io::stdout().lock();
            for r in &results {
                let mark = if r.problems.is_empty() { "PASS" } else { "FAIL" };
                let _ = writeln!(out, "{mark} {} / {} ({:.1} ms)", r.workflow, r.case, r.millis);
                for p in &r.problems {
                    let _ = writeln!(out, "     {p}");
                }
            }
            for e in &setup_errors {
                let _ = writeln!(out, "FAIL {e}");
            }
            let _ = writeln!(out, "{passed} passed, {failed} failed");
        }
        Format::Json => {
            let cases: Vec<_> = results
                .iter()
                .map(|r| serde_json::json!({"workflow": r.workflow, "case": r.case, "passed": r.problems.is_empty(), "problems": r.problems, "millis": r.millis}))
                .collect();
            let doc = serde_json::json!({"passed": passed, "failed": failed, "cases": cases, "errors": setup_errors});
            println!("{}", serde_json::to_string_pretty(&doc).expect("JSON serialises"));
        }
    }
    ExitCode::from(if failed == 0 { 0 } else { 1 })
}

fn default_workflows() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir("workflows")
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|e| e == "sfc")).collect())
        .unwrap_or_default();
    v.sort();
    v
}

/// The mock file of a workflow: NAME.mocks.json beside it, or
/// fixtures/mocks/NAME.json.
fn find_mocks(wf: &Path) -> Option<PathBuf> {
    let stem = wf.file_name()?.to_string_lossy().trim_end_matches(".sfc").trim_end_matches(".json").trim_end_matches(".asl").to_string();
    let beside = wf.with_file_name(format!("{stem}.mocks.json"));
    if beside.is_file() {
        return Some(beside);
    }
    let fixtures = PathBuf::from("fixtures/mocks").join(format!("{stem}.json"));
    fixtures.is_file().then_some(fixtures)
}

fn test_workflow(wf: &Path, mocks: Option<&Path>, interactive: bool, results: &mut Vec<CaseResult>) -> Result<(), String> {
    let shown = wf.display().to_string();
    let def = load::definition(wf).map_err(|e| format!("{shown}: does not load:\n{e}"))?;
    let mock_path = mocks
        .map(Path::to_path_buf)
        .or_else(|| find_mocks(wf))
        .ok_or_else(|| format!("{shown}: no mock file (looked for NAME.mocks.json beside it and fixtures/mocks/NAME.json)"))?;
    let config = load::mocks(&mock_path)?;
    let raw: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&mock_path).map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
    let machine = load::machine_name(wf);
    let cases = config.cases(&machine).ok_or_else(|| format!("{}: no state machine {machine:?} in it", mock_path.display()))?;
    for case in cases {
        if interactive {
            eprint!("\r  running {machine} / {case}...\x1b[K");
        }
        let integration = config.case(&machine, &case).map_err(|e| format!("{}: {e}", mock_path.display()))?;
        let x = expect::expectation(&raw, &machine, &case).map_err(|e| format!("{}: {e}", mock_path.display()))?.unwrap_or_default();
        let input = match &x.input {
            Some(serde_json::Value::String(file)) => {
                let p = mock_path.parent().unwrap_or(Path::new(".")).join(file);
                load::input(Some(&p.to_string_lossy())).map_err(|e| format!("{}: case {case}: {e}", mock_path.display()))?
            }
            Some(inline) => inline.clone(),
            None => serde_json::json!({}),
        };
        let opts = RunOptions {
            info: ExecutionInfo { machine_name: machine.clone(), execution_name: case.clone(), ..ExecutionInfo::default() },
            event_data: Some(false),
            ..RunOptions::default()
        };
        let t0 = std::time::Instant::now();
        let outcome = run(&def.machine, input, &integration, &opts);
        let millis = t0.elapsed().as_secs_f64() * 1000.0;
        results.push(CaseResult { workflow: machine.clone(), case, problems: expect::check(&outcome, &x), millis });
    }
    if interactive {
        eprint!("\r\x1b[K");
    }
    Ok(())
}
