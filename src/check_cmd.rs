//! `sfc check WF`: the workflow's executions under every combination of
//! Task outcomes, checked against its properties and the built-in checks;
//! the report and `--write-case` are check_report.rs's.

use crate::load::{self, SourceArgs};
use crate::test_cmd::CaseArgs;
use crate::{CliError, Outcome, Verdict};
use sfc_runtime::check::{self, outcomes::Outcomes, property};
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// A workflow (`.sfc`) or ASL definition (`.asl.json`).
    pub file: PathBuf,
    /// Properties, one a line (see docs/check.md), beside those the
    /// workflow declares: a file of them (JSON or YAML: a list, or
    /// `{"checks": [...]}`). Default: NAME.checks.json, .yaml or .yml
    /// beside the definition.
    #[arg(long, value_name = "FILE")]
    pub checks: Option<PathBuf>,
    /// At most this many paths: every path when there are no more than
    /// this, else this many random ones.
    #[arg(long, default_value_t = 100_000)]
    pub max_paths: usize,
    /// Seeds the random paths (printed, so a run can be repeated).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// An execution input to explore (repeatable): a JSON file, or `-` for
    /// standard input. Default: the checks file's `inputs`, else each input the mock
    /// file's test cases give, else `{}`.
    #[arg(long)]
    pub input: Vec<String>,
    /// Explore each error a task can fail with on its own, even those its
    /// Retry and Catch entries treat alike (by default one stands for them).
    #[arg(long)]
    pub every_error: bool,
    /// Add the first counterexample to the mock file as a test case of
    /// this name, with its expectations, so `sfc test` keeps it.
    #[arg(long, value_name = "NAME")]
    pub write_case: Option<String>,
    #[arg(long, value_enum, default_value_t = crate::Format::Text)]
    pub format: crate::Format,
    #[command(flatten)]
    pub cases: CaseArgs,
    #[command(flatten)]
    pub source: SourceArgs,
}

pub fn run(args: &Args) -> Outcome {
    if args.max_paths == 0 {
        return Err(CliError::usage("--max-paths must be at least 1"));
    }
    let def = load::definition(&args.file, &args.source)?;
    let name = args.cases.machine.clone().unwrap_or_else(|| load::machine_name(&args.file));
    let mock_path = args.cases.mocks.clone().or_else(|| crate::test_cmd::find_mocks(&args.file));
    let mocks = mock_path.as_deref().map(load::mocks).transpose().map_err(CliError::Usage)?;
    let plan = plan(args, &def.machine)?;
    let mut inputs = args.input.iter().map(|i| load::input(Some(i))).collect::<Result<Vec<_>, _>>().map_err(CliError::Usage)?;
    inputs.extend(plan.inputs);
    if inputs.is_empty() {
        inputs =
            mocks.as_ref().map(|m| case_inputs(m, &name, mock_path.as_deref())).transpose().map_err(CliError::Usage)?.unwrap_or_default();
    }
    if inputs.is_empty() {
        inputs.push(serde_json::json!({}));
    }
    let outcomes = Outcomes::of(&def.machine, mocks.as_ref().map(|m| (m, name.as_str())), args.every_error);
    let prepared = sfc_runtime::Prepared::new(def.machine.clone());
    let settings = check::Settings { max_paths: args.max_paths, seed: args.seed, inputs, machine_name: name.clone() };
    let explored = check::explore(&prepared, &outcomes, &plan.properties, &settings);
    crate::check_report::print(args.format, &args.file, &name, &explored)
        .map_err(|e| CliError::usage(format!("cannot write the report to standard output: {e}")))?;
    if let Some(case) = &args.write_case {
        let target = mock_path.clone().unwrap_or_else(|| beside(&args.file, "mocks.json"));
        crate::check_report::write_case(&target, &name, case, &explored)?;
    }
    Ok(if explored.passed() { Verdict::Pass } else { Verdict::Fail })
}

/// What to check: properties (the workflow's, then the checks file's) and
/// the inputs the checks file gives.
struct Plan {
    properties: Vec<property::Written>,
    inputs: Vec<serde_json::Value>,
}

fn plan(args: &Args, machine: &sfc_asl::StateMachine) -> Result<Plan, CliError> {
    let mut lines: Vec<(String, String)> = sfc_compiler::load::declared_checks(&args.file);
    let mut inputs = Vec::new();
    let file = args
        .checks
        .clone()
        .or_else(|| ["checks.json", "checks.yaml", "checks.yml"].iter().map(|ext| beside(&args.file, ext)).find(|p| p.is_file()));
    if let Some(file) = file {
        let shown = file.display().to_string();
        let text = sfc_compiler::source::read(&file).map_err(|e| CliError::usage(e.to_string()))?;
        let v: serde_json::Value = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(_) => sfc_compiler::yaml::to_json(&text).map_err(|e| CliError::usage(format!("{shown}: not JSON or YAML: {e}")))?,
        };
        let list = v.get("checks").unwrap_or(&v);
        let items = list.as_array().ok_or_else(|| {
            CliError::usage(format!("{shown}: a checks file is a list of properties, or {{\"checks\": [...], \"inputs\": [...]}}"))
        })?;
        for item in items {
            let text = item
                .as_str()
                .ok_or_else(|| CliError::usage(format!("{shown}: each property is a string (quote it in YAML), not {item}")))?;
            lines.push((text.to_string(), shown.clone()));
        }
        if let Some(given) = v.get("inputs") {
            inputs = given.as_array().cloned().ok_or_else(|| CliError::usage(format!("{shown}: inputs is a list of execution inputs")))?;
        }
    }
    let known: Vec<&str> = machine.all_states().into_iter().map(|(n, _)| n).collect();
    let properties = lines
        .into_iter()
        .map(|(text, from)| {
            let p = property::parse(&text).map_err(|e| CliError::Invalid(format!("error: {from}: {e}\n")))?;
            if let Some(unknown) = p.states().into_iter().find(|s| !known.contains(s)) {
                let hint = sfc_asl::suggest::closest(unknown, &known).map(|c| format!("; did you mean {c:?}?")).unwrap_or_default();
                return Err(CliError::Invalid(format!(
                    "error: {from}: {text:?} names state {unknown:?}, which the machine does not have{hint}\n"
                )));
            }
            Ok(property::Written { text: text.trim().to_string(), property: p })
        })
        .collect::<Result<_, _>>()?;
    Ok(Plan { properties, inputs })
}

/// `dir/NAME.<ext>` for a definition `dir/NAME.sfc` or `dir/NAME.asl.json`.
fn beside(file: &Path, ext: &str) -> PathBuf {
    let stem = file.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let stem = stem.trim_end_matches(".sfc").trim_end_matches(".json").trim_end_matches(".asl");
    file.with_file_name(format!("{stem}.{ext}"))
}

/// Each distinct input the machine's test cases give.
fn case_inputs(mocks: &sfc_runtime::mock::MockConfig, name: &str, mock_path: Option<&Path>) -> Result<Vec<serde_json::Value>, String> {
    let dir = mock_path.and_then(Path::parent).unwrap_or(Path::new("."));
    let mut out = Vec::new();
    for case in mocks.cases(name).unwrap_or_default() {
        let input = match mocks.expectation(name, &case).and_then(|x| x.input.clone()) {
            Some(serde_json::Value::String(file)) => load::input(Some(&dir.join(file).to_string_lossy()))?,
            Some(inline) => inline,
            None => continue,
        };
        if !out.contains(&input) {
            out.push(input);
        }
    }
    Ok(out)
}
