//! Every definition AWS accepted loads into the ASL model and saves back as
//! the identical JSON: same fields, same values, same key order.

use sfc_asl::Definition;
mod common;

use common::shared;
use std::path::{Path, PathBuf};

fn case_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            case_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        }
    }
}

#[test]
fn recorded_definitions_round_trip_exactly() {
    let Some(shared) = shared("recorded_definitions_round_trip_exactly") else { return };
    let root = shared.join("conformance/aws-recorded");
    let mut files = Vec::new();
    case_files(&root, &mut files);
    assert!(files.len() > 800, "expected the recorded cases, found {}", files.len());
    let mut failures = Vec::new();
    for f in &files {
        let case: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
        let original = case["definition"].clone();
        let text = serde_json::to_string(&original).unwrap();
        match Definition::from_value(original) {
            Err(e) => failures.push(format!("{}: does not load: {e}", f.display())),
            Ok(def) => {
                let saved = serde_json::to_string(&def.to_value()).unwrap();
                if saved != text {
                    failures.push(format!("{}: differs\n  was: {text}\n  now: {saved}", f.display()));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} of {} differ:\n{}", failures.len(), files.len(), failures.join("\n"));
}

/// AWS created a state machine from each recorded definition, so the
/// validator must find no error in any of them.
#[test]
fn recorded_definitions_are_valid() {
    let Some(shared) = shared("recorded_definitions_are_valid") else { return };
    let root = shared.join("conformance/aws-recorded");
    let mut files = Vec::new();
    case_files(&root, &mut files);
    let opts = sfc_compiler::validate::Options::default();
    let mut failures = Vec::new();
    for f in &files {
        let case: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
        let text = serde_json::to_string_pretty(&case["definition"]).unwrap();
        let report = sfc_compiler::validate::validate_source(&text, &opts);
        for d in report.diagnostics.iter().filter(|d| d.is_error()) {
            failures.push(format!("{}: {} {:?} {}", f.display(), d.code, d.pointer, d.message));
        }
    }
    assert!(failures.is_empty(), "{} errors:\n{}", failures.len(), failures.join("\n"));
}
