//! `sfc check`'s report (text or JSON), and `--write-case`: a
//! counterexample kept as a mock-file test case.

use crate::{CliError, Format};
use serde_json::{json, Map, Value};
use sfc_runtime::check::builtin::Level;
use sfc_runtime::check::outcomes::Outcome;
use sfc_runtime::check::{property, Exploration, Path};
use std::io::Write;

pub fn print(format: Format, file: &std::path::Path, name: &str, x: &Exploration) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => {
            let verdicts: Vec<Value> = x
                .verdicts
                .iter()
                .map(|v| {
                    json!({"property": v.property.text, "holds": v.counterexample.is_none(),
                           "why": v.counterexample.as_ref().map(|(_, why)| why),
                           "counterexample": v.counterexample.as_ref().map(|(p, _)| path_json(p))})
                })
                .collect();
            let findings: Vec<Value> = x
                .findings
                .iter()
                .map(|f| {
                    json!({"check": f.check, "level": level(f.level), "details": f.details,
                           "counterexample": f.counterexample.as_ref().map(path_json)})
                })
                .collect();
            let doc = json!({"workflow": name, "file": file.display().to_string(), "paths": x.paths, "exhaustive": x.exhaustive, "random": x.random,
                             "seed": x.seed, "tasks": x.tasks, "passed": x.passed(), "properties": verdicts, "builtin": findings});
            serde_json::to_writer_pretty(&mut out, &doc)?;
            writeln!(out)?;
        }
        Format::Text => {
            let how = match x.exhaustive {
                true => format!("{} paths, every one", x.paths),
                false => format!(
                    "{} paths: {} depth first, then {} random (seed {}), of more (--max-paths raises the bound)",
                    x.paths,
                    x.paths - x.random,
                    x.random,
                    x.seed
                ),
            };
            writeln!(out, "check {name} ({}): {} tasks, {how}", file.display(), x.tasks)?;
            for v in &x.verdicts {
                match &v.counterexample {
                    None => writeln!(out, "PASS {}", v.property.text)?,
                    Some((path, why)) => {
                        writeln!(out, "FAIL {}", v.property.text)?;
                        writeln!(out, "     {why}")?;
                        path_text(&mut out, path)?;
                    }
                }
            }
            for f in &x.findings {
                writeln!(out, "{} {}", level(f.level).to_uppercase(), f.check)?;
                for d in &f.details {
                    writeln!(out, "     {d}")?;
                }
                if let Some(path) = &f.counterexample {
                    path_text(&mut out, path)?;
                }
            }
            let failed =
                x.verdicts.iter().filter(|v| v.counterexample.is_some()).count() + x.findings.iter().filter(|f| f.failed()).count();
            writeln!(out, "{}", if failed == 0 { "every check passed".to_string() } else { format!("{failed} check(s) failed") })?;
        }
    }
    out.flush()
}

fn level(l: Level) -> &'static str {
    match l {
        Level::Pass => "pass",
        Level::Warn => "warn",
        Level::Fail => "fail",
    }
}

/// A counterexample: each call's outcome, then how the path ended.
fn path_text(out: &mut impl Write, path: &Path) -> std::io::Result<()> {
    writeln!(out, "     counterexample ({} task calls):", path.choices.len())?;
    let width = path.choices.iter().map(|c| c.state.chars().count()).max().unwrap_or(0);
    for c in &path.choices {
        writeln!(out, "       {:<width$}  {}", c.state, c.outcome.describe())?;
    }
    let error = path.error.as_deref().map(|e| format!(" with {e}")).unwrap_or_default();
    writeln!(out, "     ends {}{error} after {}: {}", path.status.as_str(), property::shown(path.elapsed), path.states().join(" → "))
}

fn path_json(path: &Path) -> Value {
    let calls: Vec<Value> = path.choices.iter().map(|c| json!({"state": c.state, "outcome": c.outcome.describe()})).collect();
    json!({"calls": calls, "status": path.status.as_str(), "error": path.error, "cause": path.cause,
           "seconds": path.elapsed.as_secs_f64(), "states": path.states()})
}

/// Adds the first counterexample (of a property, else of a built-in
/// check) to the mock file at `target` as test case `case` of machine
/// `name`, with the status and error it must end with.
pub fn write_case(target: &std::path::Path, name: &str, case: &str, x: &Exploration) -> Result<(), CliError> {
    let path = x
        .verdicts
        .iter()
        .find_map(|v| v.counterexample.as_ref().map(|(p, _)| p))
        .or_else(|| x.findings.iter().find_map(|f| f.counterexample.as_ref()))
        .ok_or_else(|| CliError::usage("--write-case: every check passed, so there is no counterexample to keep"))?;
    let mut doc: Value = match std::fs::read_to_string(target) {
        Ok(text) => serde_json::from_str(&text).map_err(|e| CliError::usage(format!("{}: not JSON: {e}", target.display())))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => json!({}),
        Err(e) => return Err(CliError::usage(format!("cannot read {}: {e}", target.display()))),
    };
    let mut states: Map<String, Value> = Map::new();
    let mut responses: Map<String, Value> = Map::new();
    for c in &path.choices {
        let response = format!("{case}.{}", c.state);
        states.insert(c.state.clone(), Value::String(response.clone()));
        let entries = responses.entry(response).or_insert_with(|| json!({})).as_object_mut().expect("an object");
        let entry = match &c.outcome {
            Outcome::Succeeds(v) => json!({"Return": v}),
            Outcome::Fails(f) => json!({"Throw": {"Error": f.error, "Cause": f.cause.clone().unwrap_or_default()}}),
            // As long as a mock may take: a timeout ends it first.
            Outcome::Hangs => json!({"Return": {}, "DelaySeconds": 31_622_400}),
        };
        entries.insert(entries.len().to_string(), entry);
    }
    let mut expectation = json!({"input": path.input, "status": path.status.as_str()});
    if let Some(e) = &path.error {
        expectation["error"] = Value::String(e.clone());
    }
    let shown = target.display().to_string();
    object_at(&mut doc, &["StateMachines", name, "TestCases"], &shown)?.insert(case.to_string(), Value::Object(states));
    object_at(&mut doc, &["MockedResponses"], &shown)?.extend(responses);
    object_at(&mut doc, &["Expectations", name], &shown)?.insert(case.to_string(), expectation);
    let text = serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n";
    crate::write::whole(target, &text).map_err(|e| CliError::usage(format!("cannot write {}: {e}", target.display())))?;
    eprintln!("wrote test case {case} of {name} to {}", target.display());
    Ok(())
}

/// The object at `keys` in `doc`, made where missing; something else
/// there is an error naming the mock file.
fn object_at<'v>(doc: &'v mut Value, keys: &[&str], shown: &str) -> Result<&'v mut Map<String, Value>, CliError> {
    let mut at = doc;
    for key in keys {
        let map = at.as_object_mut().ok_or_else(|| CliError::usage(format!("{shown}: {key} sits in something that is not an object")))?;
        at = map.entry(key.to_string()).or_insert_with(|| json!({}));
    }
    at.as_object_mut().ok_or_else(|| CliError::usage(format!("{shown}: {} is not an object", keys.join("."))))
}
