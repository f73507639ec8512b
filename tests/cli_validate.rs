//! `sfc validate` as a user runs it: the real binary, real files, exit
//! statuses 0 (valid), 1 (invalid), 2 (unreadable).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn sfc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sfc")).args(args).output().expect("sfc runs")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// A fresh scratch directory under the target folder.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p.display().to_string()
}

const VALID: &str = r#"{
  "StartAt": "Wait",
  "States": {
    "Wait": {"Type": "Wait", "Seconds": 1, "Next": "Done"},
    "Done": {"Type": "Succeed"}
  }
}"#;

#[test]
fn a_valid_file_exits_zero() {
    let dir = scratch("valid");
    let f = write(&dir, "ok.asl.json", VALID.as_bytes());
    let o = sfc(&["validate", &f]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("ok.asl.json: valid (0 errors, 0 warnings)"), "{}", text(&o));
}

#[test]
fn an_invalid_file_shows_the_code_location_and_caret() {
    let dir = scratch("invalid");
    let f = write(&dir, "bad.asl.json", VALID.replace("\"Next\": \"Done\"", "\"Next\": \"Dnoe\"").as_bytes());
    let o = sfc(&["validate", &f]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("MISSING_TRANSITION_TARGET"), "{out}");
    assert!(out.contains("bad.asl.json:4:52"), "{out}");
    assert!(out.contains("/States/Wait/Next"), "{out}");
    assert!(out.contains("UNREACHABLE_STATE"), "{out}");
}

#[test]
fn json_format_lists_every_finding_with_line_and_column() {
    let dir = scratch("json");
    let f = write(&dir, "bad.asl.json", VALID.replace("\"Seconds\": 1", "\"Seconds\": -1, \"SecondsPath\": \"$.s\"").as_bytes());
    let o = sfc(&["validate", "--format", "json", &f]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("stdout is JSON");
    let diags = v["files"][0]["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 2, "{diags:#?}");
    assert!(diags.iter().all(|d| d["code"] == "SCHEMA_VALIDATION_FAILED" && d["line"] == 4));
    assert_eq!(v["files"][0]["valid"], false);
}

/// Each kind of bad input gets one clear error and the right status, and
/// nothing panics or overflows the stack.
#[test]
fn bad_input_gets_one_clear_error() {
    let dir = scratch("bad-input");
    let deep = "[".repeat(100_000);
    let mut big = String::from(r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": ""#);
    big.push_str(&"x".repeat(10 * 1024 * 1024));
    big.push_str(r#"", "End": true}}}"#);
    let cases: Vec<(&str, Vec<u8>, i32, &str)> = vec![
        ("empty.json", b"".to_vec(), 1, "the definition is empty"),
        ("text.json", b"StartAt: A\n".to_vec(), 1, "unexpected 'S'; expected a JSON value"),
        ("array.json", b"[1, 2]".to_vec(), 1, "a state machine definition is a JSON object, not an array"),
        ("deep.json", deep.into_bytes(), 1, "nested more than 512 levels deep"),
        ("big.json", big.into_bytes(), 1, "bytes; AWS accepts at"),
        ("latin1.json", b"{\"Comment\": \"caf\xe9\"}".to_vec(), 1, "not valid UTF-8"),
        ("dupe.json", br#"{"StartAt": "A", "StartAt": "B"}"#.to_vec(), 1, "duplicate key \"StartAt\""),
    ];
    for (name, bytes, status, needle) in cases {
        let f = write(&dir, name, &bytes);
        let o = sfc(&["validate", &f]);
        let out = text(&o);
        assert_eq!(o.status.code(), Some(status), "{name}: {out}");
        assert!(out.contains(needle), "{name}: expected {needle:?} in:\n{out}");
        assert!(!out.contains("panicked"), "{name}: {out}");
        assert!(out.lines().count() < 20, "{name}: one error expected, got:\n{out}");
    }
}

#[test]
fn unreadable_input_exits_two() {
    let dir = scratch("unreadable");
    let o = sfc(&["validate", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("is a directory"));
    let o = sfc(&["validate", dir.join("missing.json").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("cannot be read"), "{}", text(&o));
}

#[test]
fn the_worst_file_decides_the_status() {
    let dir = scratch("several");
    let ok = write(&dir, "ok.json", VALID.as_bytes());
    let bad = write(&dir, "bad.json", b"{}");
    assert_eq!(sfc(&["validate", &ok, &bad]).status.code(), Some(1));
    let missing = dir.join("nope.json").display().to_string();
    assert_eq!(sfc(&["validate", &ok, &bad, &missing]).status.code(), Some(2));
}

#[test]
fn placeholders_need_the_option() {
    let dir = scratch("placeholders");
    let f = write(&dir, "cfn.json", br#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "${FnArn}", "End": true}}}"#);
    assert_eq!(sfc(&["validate", &f]).status.code(), Some(1));
    assert_eq!(sfc(&["validate", "--allow-placeholders", &f]).status.code(), Some(0));
}

/// A workflow is validated with the same options as ASL (they were once
/// ignored for `.sfc` files): a placeholder filled in by `--set` passes
/// with --allow-placeholders, a raw path with --no-path-checks.
#[test]
fn workflows_take_the_validation_options() {
    let dir = scratch("sfc-options");
    let wf = write(
        &dir,
        "p.sfc",
        b"param fn = \"arn:aws:lambda:us-east-1:123456789012:function:f\"\nasl Call { Type: \"Task\", Resource: \"${fn}\" }\n",
    );
    let set = "fn=${FunctionArn}";
    assert_eq!(sfc(&["validate", &wf]).status.code(), Some(0));
    assert_eq!(sfc(&["validate", &wf, "--set", set]).status.code(), Some(1));
    let o = sfc(&["validate", &wf, "--set", set, "--allow-placeholders"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let paths = write(&dir, "paths.sfc", b"asl P { Type: \"Pass\", InputPath: \"$.a[\" }\n");
    assert_eq!(sfc(&["validate", &paths]).status.code(), Some(1));
    let o = sfc(&["validate", &paths, "--no-path-checks"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

/// `sfc compile` says 2 for a file it cannot read, as its help says (it
/// once said 1), and 1 for a workflow with errors.
#[test]
fn compile_exit_statuses() {
    let dir = scratch("compile-status");
    let missing = dir.join("missing.sfc").display().to_string();
    let o = sfc(&["compile", &missing]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("cannot be read"), "{}", text(&o));
    let bad = write(&dir, "bad.sfc", b"pass P retry 3\n");
    let o = sfc(&["compile", &bad]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("nothing was written"), "{}", text(&o));
}

/// `compile -o` writes through a symlink to the file it leads to and keeps
/// that file's mode (it once replaced the link with a new file).
#[cfg(unix)]
#[test]
fn compile_output_goes_through_symlinks_and_keeps_the_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("compile-symlink");
    let real = dir.join("real.asl.json");
    std::fs::write(&real, "old").unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
    let link = dir.join("link.asl.json");
    std::os::unix::fs::symlink("real.asl.json", &link).unwrap();
    let wf = write(&dir, "p.sfc", b"pass P\n");
    let o = sfc(&["compile", &wf, "-o", &link.display().to_string()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link is still a link");
    assert!(std::fs::read_to_string(&real).unwrap().contains("\"StartAt\": \"P\""));
    assert_eq!(std::fs::metadata(&real).unwrap().permissions().mode() & 0o777, 0o640);
    // A device is written into, not replaced.
    let o = sfc(&["compile", &wf, "-o", "/dev/null"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(std::os::unix::fs::FileTypeExt::is_char_device(&std::fs::metadata("/dev/null").unwrap().file_type()));
}

/// A FIFO or a device given as a definition, input or import is refused at
/// once (a FIFO once blocked for ever, `/dev/zero` filled memory).
#[cfg(unix)]
#[test]
fn pipes_and_devices_are_refused() {
    let dir = scratch("fifo");
    let fifo = dir.join("wf.sfc");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(made.success());
    let o = sfc(&["compile", &fifo.display().to_string()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("is not a regular file"), "{}", text(&o));
    let wf = write(&dir, "imports.sfc", b"import \"/dev/zero\"\npass P\n");
    let o = sfc(&["compile", &wf]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("cannot import \"/dev/zero\""), "{}", text(&o));
    let o = sfc(&["run", "--local", &write(&dir, "p.sfc", b"pass P\n"), "--input", "/dev/zero"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}

/// A file that is not UTF-8 is named once (it was "x.json: x.json:1:1").
#[test]
fn a_file_that_is_not_utf8_is_named_once() {
    let dir = scratch("latin1-once");
    let f = write(&dir, "latin1.json", b"{\"Comment\": \"caf\xe9\"}");
    let o = sfc(&["validate", &f]);
    assert_eq!(o.status.code(), Some(1));
    let shown = text(&o);
    let line = shown.lines().find(|l| l.contains("not valid UTF-8")).unwrap_or_default();
    assert_eq!(line.matches("latin1.json").count(), 1, "{shown}");
    assert!(line.contains("line 1, column 17"), "{shown}");
}

/// DefinitionSubstitutions filled in from `--sub` or a SAM template in
/// JSON (computed values become placeholders of the right shape).
#[test]
fn substitutions_fill_placeholders() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("validate-subs");
    std::fs::create_dir_all(&dir).unwrap();
    let asl = dir.join("m.asl.json");
    std::fs::write(&asl, r#"{"StartAt": "Call", "States": {"Call": {"Type": "Task", "Resource": "${FnArn}", "End": true}}}"#).unwrap();
    let template = dir.join("template.json");
    std::fs::write(
        &template,
        r#"{"Resources": {"Fn": {"Type": "AWS::Serverless::Function"}, "M": {"Type": "AWS::Serverless::StateMachine",
        "Properties": {"DefinitionSubstitutions": {"FnArn": {"Fn::GetAtt": ["Fn", "Arn"]}}}}}}"#,
    )
    .unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["validate", asl.to_str().unwrap()];
        args.extend_from_slice(extra);
        std::process::Command::new(env!("CARGO_BIN_EXE_sfc")).args(&args).output().unwrap()
    };
    let o = run(&[]);
    assert_eq!(o.status.code(), Some(1));
    let said = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    assert!(said.contains("--sub NAME=VALUE"), "{said}");
    assert_eq!(run(&["--sub", "FnArn=arn:aws:lambda:us-east-1:123456789012:function:f"]).status.code(), Some(0));
    let o = run(&["--sub-file", template.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("FnArn is computed at deployment"));
}
