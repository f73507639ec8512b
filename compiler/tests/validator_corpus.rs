//! The validator agrees with the public validator corpora
//! (`shared/conformance/validator/`) on every definition's verdict.
//!
//! Entries whose manifest note names an option are decided here:
//! - CloudFormation placeholders as Resource: rejected by default (AWS
//!   rejects `${x}` and objects), accepted with `allow_placeholders`.
//! - malformed paths: rejected by default (AWS rejects them at creation),
//!   accepted with `check_paths` off.
//! - asl-validator's `{% expr %}` spacing convention: not required by
//!   default (AWS only requires the delimiters), enforced with
//!   `strict_jsonata_spacing`.

mod common;

use sfc_compiler::validate::{validate_source, Options};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The validator corpora, or `None` (the test is skipped) without the shared data.
fn corpus(test: &str) -> Option<PathBuf> {
    common::shared(test).map(|s| s.join("conformance/validator"))
}

#[derive(serde::Deserialize)]
struct Entry {
    expected: String,
    note: Option<String>,
}

/// Verdict of one corpus file under `opts`, with the findings for messages.
fn verdict(root: &Path, dir: &str, file: &str, opts: &Options) -> (bool, String) {
    let path = root.join(dir).join(file);
    let src = std::fs::read_to_string(&path).unwrap();
    let report = validate_source(&src, opts);
    let text = report.diagnostics.iter().map(|d| format!("  {} {:?} {}", d.code, d.pointer, d.message)).collect::<Vec<_>>().join("\n");
    (report.is_valid(), text)
}

fn manifest(root: &Path, dir: &str) -> BTreeMap<String, Entry> {
    let path = root.join(dir).join("manifest.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Expected verdict under the default options.
fn expected_by_default(entry: &Entry) -> bool {
    match entry.note.as_deref() {
        Some(n) if n.contains("spacing convention") => true,
        Some(n) if n.contains("valid only where a Resource may be a ${placeholder}") => false,
        _ => entry.expected == "valid",
    }
}

fn check_corpus(root: &Path, dir: &str) {
    let mut wrong = Vec::new();
    let m = manifest(root, dir);
    for (file, entry) in &m {
        let (valid, text) = verdict(root, dir, file, &Options::default());
        if valid != expected_by_default(entry) {
            wrong.push(format!(
                "{file}: expected {}, got {}\n{text}",
                if expected_by_default(entry) { "valid" } else { "invalid" },
                if valid { "valid" } else { "invalid" }
            ));
        }
    }
    assert!(wrong.is_empty(), "{} of {} disagree:\n{}", wrong.len(), m.len(), wrong.join("\n"));
}

#[test]
fn agrees_with_asl_validator_corpus() {
    let Some(root) = corpus("agrees_with_asl_validator_corpus") else { return };
    let root = root.as_path();
    check_corpus(root, "asl-validator");
}

#[test]
fn agrees_with_statelint_corpus() {
    let Some(root) = corpus("agrees_with_statelint_corpus") else { return };
    let root = root.as_path();
    check_corpus(root, "statelint");
}

#[test]
fn placeholders_are_accepted_only_when_allowed() {
    let Some(root) = corpus("placeholders_are_accepted_only_when_allowed") else { return };
    let root = root.as_path();
    let opts = Options { allow_placeholders: true, ..Options::default() };
    let (valid, text) = verdict(root, "asl-validator", "valid-cfn-definition-substitutions.json", &opts);
    assert!(valid, "{text}");
    assert!(!verdict(root, "asl-validator", "valid-cfn-definition-substitutions.json", &Options::default()).0);
    // An unclosed placeholder is not a placeholder, with or without the option.
    assert!(!verdict(root, "asl-validator", "invalid-cfn-definition-substitutions.json", &opts).0);
}

#[test]
fn malformed_paths_pass_only_with_path_checks_off() {
    let Some(root) = corpus("malformed_paths_pass_only_with_path_checks_off") else { return };
    let root = root.as_path();
    let off = Options { check_paths: false, ..Options::default() };
    for file in ["invalid-json-path.json", "invalid-payload-template.asl.json"] {
        assert!(!verdict(root, "asl-validator", file, &Options::default()).0, "{file}");
        let (valid, text) = verdict(root, "asl-validator", file, &off);
        assert!(valid, "{file} with path checks off:\n{text}");
    }
}

#[test]
fn jsonata_spacing_is_enforced_only_when_strict() {
    let Some(root) = corpus("jsonata_spacing_is_enforced_only_when_strict") else { return };
    let root = root.as_path();
    let strict = Options { strict_jsonata_spacing: true, ..Options::default() };
    for file in ["invalid-json-surround-syntax-extra-spaces.json", "invalid-jsonata-surround-syntax-no-spaces.json"] {
        assert!(verdict(root, "asl-validator", file, &Options::default()).0, "{file}");
        assert!(!verdict(root, "asl-validator", file, &strict).0, "{file} in strict mode");
    }
    // Strict mode still accepts every valid definition of the corpus.
    for (file, entry) in manifest(root, "asl-validator") {
        if entry.expected == "valid" && entry.note.is_none() {
            let (valid, text) = verdict(root, "asl-validator", &file, &strict);
            assert!(valid, "{file} in strict mode:\n{text}");
        }
    }
}
