//! `sfc test` and `sfc run --local --mocks` on the shipped workflows.

use std::process::{Command, Output};

fn sfc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sfc"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("SFN_MOCK_CONFIG")
        .output()
        .expect("sfc runs")
}

#[test]
fn every_shipped_workflow_passes_its_test_cases() {
    let o = sfc(&["test", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON report");
    assert_eq!(o.status.code(), Some(0), "{doc:#}");
    let cases = doc["cases"].as_array().unwrap();
    for wf in ["FraudDetection", "BatchFeaturePipeline", "EcsPreprocessing", "WildlifePipeline"] {
        let n = cases.iter().filter(|c| c["workflow"] == wf).count();
        assert!(n >= 4, "{wf} has {n} test cases; at least 4 expected");
    }
    assert_eq!(doc["failed"], 0);
}

#[test]
fn a_failing_expectation_fails_the_run_with_a_reason() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-test");
    std::fs::create_dir_all(&dir).unwrap();
    let mocks = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/mocks/ecs-preprocessing.json")).unwrap();
    let mut broken: serde_json::Value = serde_json::from_str(&mocks).unwrap();
    let expectations = broken["Expectations"]["EcsPreprocessing"].as_object_mut().unwrap();
    for case in expectations.values_mut() {
        case["input"] = format!("{}/fixtures/events/monthly-schedule.json", env!("CARGO_MANIFEST_DIR")).into();
    }
    let cases = expectations.len();
    expectations["HappyPath"]["states"] = serde_json::json!(["LoadConfig", "Somewhere"]);
    let file = dir.join("ecs.json");
    std::fs::write(&file, broken.to_string()).unwrap();
    let o = sfc(&["test", "workflows/ecs-preprocessing.sfc", "--mocks", file.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("FAIL EcsPreprocessing / HappyPath"), "{out}");
    let taken = "LoadConfig → ReadConfig → CheckConfig → ConfigComplete → Preprocess → PreprocessingSucceeded";
    assert!(out.contains(&format!("states: expected LoadConfig → Somewhere, got {taken}")), "{out}");
    assert!(out.trim_end().ends_with(&format!("{} passed, 1 failed", cases - 1)), "{out}");
}

#[test]
fn run_local_with_mocks_runs_a_shipped_workflow() {
    let o = sfc(&[
        "run",
        "--local",
        "workflows/fraud-detection.sfc",
        "--input",
        "fixtures/events/claim-uploaded.json",
        "--mocks",
        "fixtures/mocks/fraud-detection.json",
        "--case",
        "SparkStepFails",
        "--format",
        "json",
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["error"], "States.TaskFailed");
    let o = sfc(&["run", "--local", "workflows/fraud-detection.sfc", "--mocks", "fixtures/mocks/fraud-detection.json", "--case", "Nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("has no test case \"Nope\""));
}

/// A report that cannot be written is exit status 2 with a message, for
/// every command that prints one (test once panicked or exited 0, graph
/// panicked, compile said nothing).
#[cfg(target_os = "linux")]
#[test]
fn a_full_standard_output_is_an_error() {
    for args in [
        &["test"][..],
        &["test", "--format", "json"],
        &["graph", "workflows/fraud-detection.sfc"],
        &["compile", "workflows/fraud-detection.sfc"],
        &[
            "run",
            "--local",
            "workflows/ecs-preprocessing.sfc",
            "--input",
            "fixtures/events/monthly-schedule.json",
            "--mocks",
            "fixtures/mocks/ecs-preprocessing.json",
            "--case",
            "HappyPath",
        ],
    ] {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full opens");
        let o = Command::new(env!("CARGO_BIN_EXE_sfc"))
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_remove("SFN_MOCK_CONFIG")
            .stdout(full)
            .output()
            .expect("sfc runs");
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("cannot write") && !stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

/// A mock file written for Step Functions Local has no Expectations: a case
/// then passes only if its execution succeeds, and says so.
#[test]
fn a_case_without_expectations_passes_only_by_succeeding() {
    let (machine, mocks) = project(
        "cli-test-no-expectations",
        "Orders.asl.json",
        "mocks.json",
        r#"{"StateMachines": {"Orders": {"TestCases": {"Paid": {"Charge": "Ok"}, "Declined": {"Charge": "No"}}}},
        "MockedResponses": {"Ok": {"0": {"Return": {"StatusCode": 200}}}, "No": {"0": {"Throw": {"Error": "Declined", "Cause": "card"}}}}}"#,
    );
    let o = sfc(&["test", machine.to_str().unwrap(), "--mocks", mocks.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("PASS Orders / Paid SUCCEEDED, no expectations"), "{out}");
    assert!(out.contains("FAIL Orders / Declined"), "{out}");
    assert!(out.contains("expected SUCCEEDED, got FAILED") && out.contains("the case names no status, so it must succeed"), "{out}");
}

/// Projects as they are: the mock file names the machine differently from
/// the file (`--machine`, or `Machine#Case` as Step Functions Local does).
#[test]
fn the_machine_can_be_named_as_the_mock_file_names_it() {
    let (machine, mocks) = project(
        "cli-test-machine-name",
        "orders.asl.json",
        "MockConfigFile.json",
        r#"{"StateMachines": {"OrderFlow": {"TestCases": {"Paid": {"Charge": "Ok"}}}},
        "MockedResponses": {"Ok": {"0": {"Return": {"StatusCode": 200}}}}}"#,
    );
    let (m, f) = (mocks.to_str().unwrap(), machine.to_str().unwrap());
    let o = sfc(&["test", f, "--mocks", m, "--machine", "OrderFlow"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stdout));
    let o = sfc(&["run", "--local", f, "--mocks", m, "--case", "OrderFlow#Paid", "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()["StatusCode"], 200);
    let o = sfc(&["test", f, "--mocks", m]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("no state machine \"orders\""), "{}", String::from_utf8_lossy(&o.stdout));
}

/// A case that mocks a state the machine lacks fails, naming it; a response
/// no case uses is reported.
#[test]
fn mock_entries_that_match_nothing_are_named() {
    let (machine, mocks) = project(
        "cli-test-unmatched",
        "Orders.asl.json",
        "mocks.json",
        r#"{"StateMachines": {"Orders": {"TestCases": {"Paid": {"Charge": "Ok", "Chrage": "Ok"}}}},
        "MockedResponses": {"Ok": {"0": {"Return": {}}}, "Spare": {"0": {"Return": {}}}}}"#,
    );
    let o = sfc(&["test", machine.to_str().unwrap(), "--mocks", mocks.to_str().unwrap()]);
    let (out, err) = (String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("the case mocks state \"Chrage\", which the machine does not have"), "{out}");
    assert!(err.contains("MockedResponses.Spare is used by no test case"), "{err}");
}

/// JUnit XML as CI systems read it: parsed by Python's XML parser, one
/// testcase per case, failures with their problems.
#[test]
fn junit_reports_parse_as_ci_systems_read_them() {
    let (machine, mocks) = project(
        "cli-test-junit",
        "Orders.asl.json",
        "mocks.json",
        r#"{"StateMachines": {"Orders": {"TestCases": {"Paid": {"Charge": "Ok"}, "Declined": {"Charge": "No"}}}},
        "MockedResponses": {"Ok": {"0": {"Return": {}}}, "No": {"0": {"Throw": {"Error": "Declined", "Cause": "<card & bank>"}}}}}"#,
    );
    let o = sfc(&["test", machine.to_str().unwrap(), "--mocks", mocks.to_str().unwrap(), "--format", "junit"]);
    assert_eq!(o.status.code(), Some(1));
    let report = machine.with_file_name("report.xml");
    std::fs::write(&report, &o.stdout).unwrap();
    let script = r#"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
cases = root.findall('./testsuite/testcase')
failed = [c for c in cases if c.find('failure') is not None]
print(root.get('tests'), root.get('failures'), len(cases), [c.get('name') for c in failed], failed[0].find('failure').get('message'))
"#;
    let parsed = std::process::Command::new("python3").args(["-c", script, report.to_str().unwrap()]).output().expect("python3 runs");
    let line = String::from_utf8_lossy(&parsed.stdout);
    assert!(parsed.status.success(), "{}", String::from_utf8_lossy(&parsed.stderr));
    assert!(line.starts_with("2 1 2 ['Declined'] status: expected SUCCEEDED, got FAILED (Declined: <card & bank>)"), "{line}");
}

/// A Step Functions Local project's folder: its definitions and the
/// MockConfigFile.json beside them.
#[test]
fn a_folder_is_tested_with_the_mock_config_file_beside_it() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-test-folder");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("Orders.asl.json"),
        r#"{"StartAt": "Charge", "States": {"Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "charge"}, "End": true}}}"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("MockConfigFile.json"),
        r#"{"StateMachines": {"Orders": {"TestCases": {"Paid": {"Charge": "Ok"}}}},
        "MockedResponses": {"Ok": {"0": {"Return": {}}}}}"#,
    )
    .unwrap();
    let o = sfc(&["test", dir.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("PASS Orders / Paid SUCCEEDED, no expectations") && out.contains("1 passed, 0 failed"), "{out}");
}

/// A one-Task machine calling Lambda, and its mock file, in a folder of their own.
fn project(folder: &str, file: &str, mock_file: &str, mocks: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(folder);
    std::fs::create_dir_all(&dir).unwrap();
    let machine = dir.join(file);
    std::fs::write(
        &machine,
        r#"{"StartAt": "Charge", "States": {"Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "charge"}, "End": true}}}"#,
    )
    .unwrap();
    let mock_path = dir.join(mock_file);
    std::fs::write(&mock_path, mocks).unwrap();
    (machine, mock_path)
}

/// Coverage on a fixture whose answer is known (see its Comment): the
/// parts no case took are named, and the counts add up.
#[test]
fn coverage_names_what_the_cases_never_took() {
    let o = sfc(&["test", "fixtures/coverage/Shipping.asl.json", "--coverage", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stdout));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let cov = &doc["coverage"]["Shipping"];
    assert_eq!(cov["percent"], 62.5, "{cov:#}");
    let counts = |kind: &str| (cov["kinds"][kind]["taken"].as_u64().unwrap(), cov["kinds"][kind]["total"].as_u64().unwrap());
    assert_eq!(
        [counts("states"), counts("choices"), counts("retries"), counts("catches"), counts("transitions")],
        [(4, 6), (2, 3), (1, 2), (1, 2), (2, 3)]
    );
    let missed = |kind: &str| {
        cov["kinds"][kind]["missed"].as_array().unwrap().iter().map(|m| m["text"].as_str().unwrap().to_string()).collect::<Vec<_>>()
    };
    assert_eq!(missed("states"), ["Freight", "Failed"]);
    assert_eq!(missed("choices"), ["Route rule 2 ($.weight > 20) → Freight"]);
    assert_eq!(missed("retries"), ["Express Retry[1] (States.Timeout)"]);
    assert_eq!(missed("catches"), ["Express Catch[1] (States.ALL) → Failed"]);
    assert_eq!(cov["kinds"]["catches"]["missed"][0]["index"], 1);
    // The text report says the same, after the cases.
    let o = sfc(&["test", "fixtures/coverage/Shipping.asl.json", "--coverage"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("coverage of Shipping: 62.5 % of its parts taken"), "{out}");
    assert!(out.contains("never: Route rule 2 ($.weight > 20) → Freight"), "{out}");
    // Without --coverage, none of it.
    assert!(!String::from_utf8_lossy(&sfc(&["test", "fixtures/coverage/Shipping.asl.json"]).stdout).contains("coverage"));
}

/// A SAM project as users have it: the definition's ${...} filled from
/// its YAML template (short-form tags, computed values as placeholders of
/// the right shape, each said), the mock file naming the machine its own way.
#[test]
fn a_sam_project_is_tested_with_its_yaml_template() {
    let file = "fixtures/sam-project/statemachine/trader.asl.json";
    let o = sfc(&["test", file, "--machine", "Trader", "--sub-file", "fixtures/sam-project/template.yaml"]);
    let (out, err) = (String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    assert!(out.contains("PASS Trader / SellsHigh SUCCEEDED, no expectations") && out.contains("2 passed, 0 failed"), "{out}");
    assert!(
        err.contains("PriceCheckerArn is computed at deployment; using arn:aws:lambda:us-east-1:123456789012:function:pricechecker"),
        "{err}"
    );
    assert!(err.contains("Desk is computed at deployment; using desk-dev"), "{err}");
    // Without the template the placeholders are named, with the ways out.
    let o = sfc(&["test", file, "--machine", "Trader"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1));
    assert!(out.contains("${PriceCheckerArn}") && out.contains("--allow-placeholders"), "{out}");
    // A run that mocks every task does not need the values.
    assert_eq!(sfc(&["test", file, "--machine", "Trader", "--allow-placeholders"]).status.code(), Some(0));
}
