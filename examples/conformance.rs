//! Runs the AWS-recorded conformance cases and compares sfc's results with
//! what AWS returned.
//!
//! ```text
//! cargo run --release --example conformance -- [DIR] [--min-pass N] [--skip-tag TAG]... [--verbose]
//! ```
//!
//! DIR holds case files (searched recursively); by default
//! `../shared/conformance/aws-recorded/cases`. Each case's status, output,
//! error, cause and (where recorded) sequence of event types are compared,
//! and each event's previousEventId and every field of its details (inputs,
//! outputs, parameters and JSON causes as values), LocalStack's
//! placeholders treated as wildcards. Prints each failure with the path
//! of the first difference, a table per category and, last,
//! `N passed, M failed`.
//! With `--min-pass N` the exit status is 1 when fewer than N pass.

#[path = "conformance/compare.rs"]
mod compare;
#[path = "conformance/objects.rs"]
mod objects;
#[path = "conformance/replay.rs"]
mod replay;

use serde_json::Value;
use sfc_asl::Definition;
use sfc_runtime::context::ExecutionInfo;
use sfc_runtime::history::Keeping;
use sfc_runtime::{run, RunOptions};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

struct Args {
    dir: PathBuf,
    min_pass: Option<usize>,
    skip_tags: Vec<String>,
    verbose: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args =
        Args { dir: PathBuf::from("../shared/conformance/aws-recorded/cases"), min_pass: None, skip_tags: Vec::new(), verbose: false };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--min-pass" => args.min_pass = Some(it.next().and_then(|n| n.parse().ok()).ok_or("--min-pass needs a number")?),
            "--skip-tag" => args.skip_tags.push(it.next().ok_or("--skip-tag needs a tag")?),
            "--verbose" | "-v" => args.verbose = true,
            "-h" | "--help" => return Err("usage: conformance [DIR] [--min-pass N] [--skip-tag TAG]... [--verbose]".into()),
            other if other.starts_with('-') => return Err(format!("unknown option {other}")),
            dir => args.dir = PathBuf::from(dir),
        }
    }
    Ok(args)
}

fn case_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?.map(|e| e.map(|e| e.path())).collect::<Result<_, _>>()?;
    entries.sort();
    for p in entries {
        if p.is_dir() {
            case_files(&p, out)?;
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        }
    }
    Ok(())
}

/// The recorded definitions and inputs keep LocalStack's template
/// placeholders for the resources its tests created
/// (`arn:aws:fake:REGION:ACCOUNT:activityArn:NAME`); the test put the
/// created resource's ARN there, and so does the runner.
fn resolve_placeholders(v: &mut Value) {
    match v {
        Value::String(s) => {
            if let Some(arn) = created_arn(s) {
                *s = arn;
            }
        }
        Value::Object(m) => m.values_mut().for_each(resolve_placeholders),
        Value::Array(items) => items.iter_mut().for_each(resolve_placeholders),
        _ => {}
    }
}

fn created_arn(placeholder: &str) -> Option<String> {
    let rest = placeholder.strip_prefix("arn:aws:fake:")?;
    let [region, account, kind, name] = rest.splitn(4, ':').collect::<Vec<_>>()[..] else { return None };
    match kind {
        "activityArn" => Some(format!("arn:aws:states:{region}:{account}:activity:{name}")),
        "FunctionArn" => Some(format!("arn:aws:lambda:{region}:{account}:function:{name}")),
        "TopicArn" => Some(format!("arn:aws:sns:{region}:{account}:{name}")),
        _ => None,
    }
}

/// Runs one case; `Err` holds the differences.
fn run_case(case: &Value, index: usize) -> Result<(), Vec<String>> {
    let mut definition = case["definition"].clone();
    resolve_placeholders(&mut definition);
    let def = Definition::from_value(definition).map_err(|e| vec![format!("definition does not load: {e}")])?;
    let mut input = case.get("input").cloned().unwrap_or_else(|| Value::Object(Default::default()));
    resolve_placeholders(&mut input);
    let meta = &case["meta"];
    let info = ExecutionInfo {
        // Names without '-' as LocalStack's were (a case splits the name on '-').
        machine_name: format!("StateMachine{index}"),
        execution_name: format!("Execution{index}"),
        express: meta["state_machine_type"] == "EXPRESS",
        // AWS added RedriveCount to the context object with redrives
        // (2023-11-15); the two recordings from before it have none.
        redrive_count: (meta["execution_api"] != "start_sync_execution" && !recorded_before_redrives(meta)).then_some(0),
        ..ExecutionInfo::default()
    };
    // Each execution starts when AWS ran it: a Wait's limit (at most 2^31
    // seconds ahead) is measured from the execution's start.
    let start_time = meta["recorded_date"].as_str().and_then(recorded_at);
    let opts = RunOptions { info, start_time, ..RunOptions::default() };
    let run_keeping = |keeping: Keeping| {
        let replay = replay::Replay::from_history(&case["expected"]["history"]);
        let integration = objects::objects(&case["definition"], &case["expected"]["history"], &replay);
        run(&def.machine, input.clone(), &integration, &RunOptions { keeping, ..opts.clone() })
    };
    let outcome = run_keeping(Keeping::All);
    let mut differences = compare::outcome(&case["expected"], meta, &outcome).err().unwrap_or_default();
    // Unobserved (no history kept), states that can run directly do: the
    // execution must end the same way.
    let unobserved = run_keeping(Keeping::Nothing);
    if unobserved.summary() != outcome.summary() {
        differences.push(format!("run keeping no history, it ends {}, not {}", unobserved.summary(), outcome.summary()));
    }
    if differences.is_empty() {
        Ok(())
    } else {
        Err(differences)
    }
}

fn recorded_before_redrives(meta: &Value) -> bool {
    let redrives = chrono::NaiveDate::from_ymd_opt(2023, 11, 15).and_then(|d| d.and_hms_opt(0, 0, 0)).map(|d| d.and_utc());
    meta["recorded_date"].as_str().and_then(recorded_at).zip(redrives).is_some_and(|(at, redrives)| at < redrives)
}

/// `13-12-2023, 07:09:17` (day-month-year, UTC), as the cases record it.
fn recorded_at(text: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::NaiveDateTime::parse_from_str(text, "%d-%m-%Y, %H:%M:%S").ok().map(|t| t.and_utc())
}

fn count(rows: &mut BTreeMap<String, (usize, usize)>, key: &str, ok: bool) {
    let entry = rows.entry(key.to_string()).or_default();
    entry.1 += 1;
    entry.0 += usize::from(ok);
}

fn print_rates(rows: &BTreeMap<String, (usize, usize)>) {
    for (name, (p, t)) in rows {
        println!("{name:<26} {p:>7} {t:>7} {:>7.1}%", 100.0 * *p as f64 / (*t).max(1) as f64);
    }
}

/// Pass and fail counts, overall, by category and by tag.
#[derive(Default)]
struct Tally {
    passed: usize,
    failed: usize,
    by_category: BTreeMap<String, (usize, usize)>,
    by_tag: BTreeMap<String, (usize, usize)>,
}

impl Tally {
    fn print(&self) {
        println!();
        println!("{:<26} {:>7} {:>7} {:>8}", "category", "passed", "total", "rate");
        print_rates(&self.by_category);
        println!();
        println!("{:<26} {:>7} {:>7} {:>8}", "tag", "passed", "total", "rate");
        print_rates(&self.by_tag);
        println!();
        println!("{} passed, {} failed", self.passed, self.failed);
    }
}

/// Runs one case file and counts it; failures are printed.
fn check_file(f: &Path, index: usize, args: &Args, tally: &mut Tally) {
    let case: Value =
        match std::fs::read_to_string(f).map_err(|e| e.to_string()).and_then(|s| serde_json::from_str(&s).map_err(|e| e.to_string())) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("{}: unreadable case: {e}", f.display());
                tally.failed += 1;
                return;
            }
        };
    let tags: Vec<&str> = case["meta"]["tags"].as_array().map(|t| t.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
    if args.skip_tags.iter().any(|s| tags.contains(&s.as_str())) {
        return;
    }
    let category = case["meta"]["category"].as_str().unwrap_or("?").to_string();
    let groups: Vec<String> = tags
        .iter()
        .map(|t| t.to_string())
        .chain(["jsonata", "variables"].iter().any(|t| tags.contains(t)).then(|| "jsonata or variables".to_string()))
        .collect();
    let result = std::panic::catch_unwind(|| run_case(&case, index)).unwrap_or_else(|_| Err(vec!["the interpreter panicked".to_string()]));
    let ok = result.is_ok();
    count(&mut tally.by_category, &category, ok);
    for g in &groups {
        count(&mut tally.by_tag, g, ok);
    }
    match result {
        Ok(()) => tally.passed += 1,
        Err(diffs) => {
            tally.failed += 1;
            println!("FAIL {}", f.display());
            for d in diffs.iter().take(if args.verbose { usize::MAX } else { 3 }) {
                println!("     {d}");
            }
        }
    }
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let mut files = Vec::new();
    if let Err(e) = case_files(&args.dir, &mut files) {
        eprintln!("cannot read {}: {e}", args.dir.display());
        return ExitCode::from(2);
    }
    let mut tally = Tally::default();
    for (i, f) in files.iter().enumerate() {
        check_file(f, i, &args, &mut tally);
    }
    tally.print();
    match args.min_pass {
        Some(min) if tally.passed < min => {
            eprintln!("conformance: {} passed, below the floor of {min}", tally.passed);
            ExitCode::from(1)
        }
        _ => ExitCode::SUCCESS,
    }
}
