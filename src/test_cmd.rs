//! `sfc test [WF ...]`: every test case of each workflow's mock file, run
//! and checked against its expectations (and, asked, which parts of the
//! workflow the cases never took). The reports are test_report.rs's.

use crate::load::{self, SourceArgs};
use crate::test_report::{self, ReportFormat};
use crate::{CliError, Outcome, Verdict};
use sfc_runtime::coverage::Recorder;
use sfc_runtime::harness::{self, CaseResult, Cases};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(clap::Args)]
pub struct Args {
    /// Workflows (`.sfc` or `.asl.json`) or folders of them; default: every
    /// workflows/*.sfc.
    files: Vec<PathBuf>,
    #[command(flatten)]
    cases: CaseArgs,
    /// Output format: a line per case (text), one JSON document (json), or
    /// JUnit XML as CI systems read it (junit).
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    format: ReportFormat,
    /// Also report, per workflow, the states, Choice rules and Defaults,
    /// Retry and Catch entries and transitions no case took (in the JSON
    /// document with --format json; on standard error with junit).
    #[arg(long)]
    coverage: bool,
    /// Write an HTML report of every case to DIR (DIR/MACHINE/CASE.html,
    /// each a self-contained page like `sfc run --report`'s) and an index
    /// of them (DIR/index.html).
    #[arg(long, value_name = "DIR")]
    report: Option<PathBuf>,
    #[command(flatten)]
    source: SourceArgs,
}

/// Where a workflow's test cases come from.
#[derive(clap::Args)]
pub struct CaseArgs {
    /// A mock file to use for every workflow given (default:
    /// $SFN_MOCK_CONFIG, else each workflow's fixtures/mocks/NAME.json,
    /// NAME.mocks.json or MockConfigFile.json beside it).
    #[arg(long, env = "SFN_MOCK_CONFIG")]
    pub mocks: Option<PathBuf>,
    /// The state machine's name in the mock file (default: the workflow's
    /// name, or the file's name without .asl.json).
    #[arg(long)]
    pub machine: Option<String>,
}

/// One workflow's cases, run.
pub struct Tested {
    pub machine: sfc_asl::StateMachine,
    /// Its name in the mock file.
    pub name: String,
    pub results: Vec<CaseResult>,
    /// The parts its cases took, when coverage was asked for.
    pub coverage: Option<Arc<Recorder>>,
    /// The report pages written, when asked for: each case's, and where.
    pub pages: Vec<sfc_report::Listed>,
}

pub fn run(args: &Args) -> Outcome {
    let files = if args.files.is_empty() { default_workflows() } else { expand(&args.files) };
    if files.is_empty() {
        return Err(CliError::usage("no workflows given and none in workflows/"));
    }
    let interactive = std::io::stderr().is_terminal() && args.format == ReportFormat::Text;
    let mut tested = Vec::new();
    let mut setup_errors = Vec::new();
    for wf in &files {
        match test_workflow(wf, &args.cases, &args.source, interactive, args.coverage, args.report.as_deref()) {
            Ok(t) => tested.push(t),
            Err(e) => setup_errors.push(e),
        }
    }
    if let Some(dir) = &args.report {
        write_index(dir, &tested, &setup_errors)?;
    }
    let failed = test_report::write(args.format, &tested, &setup_errors)
        .map_err(|e| CliError::usage(format!("cannot write the report to standard output: {e}")))?;
    Ok(if failed == 0 { Verdict::Pass } else { Verdict::Fail })
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
pub fn find_mocks(wf: &Path) -> Option<PathBuf> {
    let stem = wf.file_name()?.to_string_lossy().trim_end_matches(".sfc").trim_end_matches(".json").trim_end_matches(".asl").to_string();
    let beside = [wf.with_file_name(format!("{stem}.mocks.json")), wf.with_file_name("MockConfigFile.json")];
    if let Some(found) = beside.into_iter().find(|p| p.is_file()) {
        return Some(found);
    }
    let fixtures = PathBuf::from("fixtures/mocks").join(format!("{stem}.json"));
    fixtures.is_file().then_some(fixtures)
}

/// Runs every case of workflow `wf`; an error names what kept them from
/// running (the workflow, its mock file, an input).
pub fn test_workflow(
    wf: &Path,
    args: &CaseArgs,
    source: &SourceArgs,
    interactive: bool,
    coverage: bool,
    report: Option<&Path>,
) -> Result<Tested, String> {
    let shown = wf.display().to_string();
    let def = load::definition(wf, source).map_err(|e| match e {
        CliError::Invalid(text) | CliError::Usage(text) => format!("{shown}: does not load:\n{text}"),
    })?;
    let mock_path = args
        .mocks
        .clone()
        .or_else(|| find_mocks(wf))
        .ok_or_else(|| format!("{shown}: no mock file (looked for NAME.mocks.json and MockConfigFile.json beside it, and fixtures/mocks/NAME.json; or give --mocks)"))?;
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
    let recorder = coverage.then(Arc::default);
    let pages = std::cell::RefCell::new(Vec::new());
    let written = std::cell::RefCell::new(Ok(()));
    let write_page = |case: &str, outcome: &sfc_runtime::Outcome, problems: &[String]| {
        let Some(dir) = report else { return };
        let file = format!("{}/{}.html", file_name(&name), file_name(case));
        let history: Vec<serde_json::Value> = outcome.history.iter().map(|e| e.to_api_json()).collect();
        let verdict = if problems.is_empty() { "passed".to_string() } else { format!("FAILED: {}", problems.join("; ")) };
        let run = sfc_report::Run {
            title: format!("{name} · {case}"),
            subtitle: format!("{shown} · test case {case}: {verdict}"),
            machine: &def.machine,
            history: &history,
            status: outcome.status.as_str().to_string(),
            error: outcome.error.clone(),
            cause: outcome.cause.clone(),
            virtual_time: true,
            links: vec![("all cases".to_string(), "../index.html".to_string())],
            refresh_seconds: None,
            omitted_events: 0,
            map_runs: None,
        };
        let path = dir.join(&file);
        let result =
            path.parent().map_or(Ok(()), std::fs::create_dir_all).and_then(|()| crate::write::whole(&path, &sfc_report::page(&run)));
        if let Err(e) = result {
            *written.borrow_mut() = Err(format!("cannot write {}: {e}", path.display()));
        }
        let listed = sfc_report::Listed { name: case.to_string(), href: file, status: outcome.status.as_str().to_string(), note: verdict };
        pages.borrow_mut().push(listed);
    };
    let cases = Cases {
        name: &name,
        coverage: recorder.clone(),
        config: &config,
        dir: mock_path.parent().unwrap_or(Path::new(".")),
        read_input: &read_input,
        starting: &starting,
        each: report.map(|_| &write_page as &harness::EachCase),
    };
    let results = harness::run_cases(&def.machine, &cases).map_err(|e| format!("{}: {e}", mock_path.display()));
    if interactive {
        eprint!("\r\x1b[K");
    }
    written.into_inner()?;
    let pages = pages.into_inner();
    Ok(Tested { machine: def.machine, name, results: results?, coverage: recorder, pages })
}

/// A name as a file name: letters, digits, `-`, `_` and `.` kept, the rest `_`.
fn file_name(name: &str) -> String {
    let safe: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c } else { '_' }).collect();
    if safe.is_empty() || safe.starts_with('.') {
        format!("_{safe}")
    } else {
        safe
    }
}

/// DIR/index.html: every workflow's cases, linking to their pages.
fn write_index(dir: &Path, tested: &[Tested], setup_errors: &[String]) -> Result<(), CliError> {
    let groups: Vec<(String, Vec<sfc_report::Listed>)> = tested.iter().map(|t| (t.name.clone(), t.pages.clone())).collect();
    let cases: usize = groups.iter().map(|(_, p)| p.len()).sum();
    let failed = groups.iter().flat_map(|(_, p)| p).filter(|p| p.note != "passed").count();
    let mut intro = format!("{cases} cases, {failed} failed");
    for e in setup_errors {
        intro.push_str(&format!(" · not run: {}", e.lines().next().unwrap_or(e)));
    }
    let path = dir.join("index.html");
    std::fs::create_dir_all(dir)
        .and_then(|()| crate::write::whole(&path, &sfc_report::index("sfc test", &intro, &groups, None)))
        .map_err(|e| CliError::usage(format!("cannot write {}: {e}", path.display())))?;
    eprintln!("wrote {} (and a page per case)", path.display());
    Ok(())
}
