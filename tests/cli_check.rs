//! `sfc check`: the shipped workflows keep their declared properties; each
//! property form holds on a fixture and fails on a broken variant with the
//! counterexample expected; a counterexample becomes a test case.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn sfc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sfc"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("SFN_MOCK_CONFIG")
        .output()
        .expect("sfc runs")
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr)))
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every shipped workflow declares properties (`check "..."`) and keeps
/// them, and every built-in check passes, over every path.
#[test]
fn the_shipped_workflows_keep_their_properties() {
    for (wf, declared) in [("batch-features", 1), ("ecs-preprocessing", 1), ("fraud-detection", 3), ("wildlife-pipeline", 4)] {
        let o = sfc(&["check", &format!("workflows/{wf}.sfc"), "--format", "json"]);
        let doc = json(&o);
        assert_eq!(o.status.code(), Some(0), "{wf}: {doc:#}");
        assert_eq!(doc["exhaustive"], true, "{wf}");
        assert_eq!(doc["properties"].as_array().unwrap().len(), declared, "{wf}");
        assert!(doc["builtin"].as_array().unwrap().iter().all(|f| f["level"] == "pass"), "{wf}: {doc:#}");
    }
}

/// Each property form holds on the fixture, over both inputs its checks
/// file gives.
#[test]
fn every_property_form_holds_where_it_should() {
    let o = sfc(&["check", "fixtures/check/Orders.asl.json", "--format", "json"]);
    let doc = json(&o);
    assert_eq!(o.status.code(), Some(0), "{doc:#}");
    assert_eq!(doc["properties"].as_array().unwrap().len(), 9);
    assert_eq!(doc["paths"], 56, "28 paths for each of the two inputs");
}

/// The same forms fail on what breaks them, with the simplest
/// counterexample: fewest outcomes other than success.
#[test]
fn broken_properties_fail_with_their_counterexamples() {
    let dir = scratch("check-broken");
    let input = dir.join("input.json");
    std::fs::write(&input, r#"{"express": false}"#).unwrap();
    let o = sfc(&[
        "check",
        "fixtures/check/Orders.asl.json",
        "--checks",
        "fixtures/check/Orders.broken.checks.json",
        "--input",
        input.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let doc = json(&o);
    let verdict = |text: &str| doc["properties"].as_array().unwrap().iter().find(|p| p["property"] == text).cloned().unwrap();
    let calls = |text: &str| -> Vec<String> {
        verdict(text)["counterexample"]["calls"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| format!("{} {}", c["state"].as_str().unwrap(), c["outcome"].as_str().unwrap()))
            .collect()
    };
    let never = calls("never Release");
    assert_eq!(never.len(), 3, "{never:?}");
    assert!(never[1] == "Charge fails with States.TaskFailed" && never[2].starts_with("Release succeeds"), "{never:?}");
    assert_eq!(calls("every failure ends in Failed"), ["Reserve fails with States.TaskFailed"]);
    assert_eq!(verdict("every failure ends in Failed")["why"], "ends FAILED in Reserve");
    let slow = verdict("ends within 30m");
    assert_eq!(slow["why"], "ends after 1h00m00s");
    assert!(calls("ends within 30m").contains(&"Ship never answers (times out)".to_string()));
    assert_eq!(verdict("Release runs only if Ship succeeded")["why"], "Release is entered though Ship has not succeeded");
    assert_eq!(
        verdict("never Release when Charge fails")["counterexample"]["states"],
        serde_json::json!(["Reserve", "Charge", "Release", "Failed"])
    );
    assert_eq!(verdict("after Reserve succeeds, eventually Ship")["why"], "Reserve succeeded and then none of Ship was entered");
    assert_eq!(verdict("ends with status SUCCEEDED when Charge fails")["why"], "ends FAILED instead");
    assert_eq!(verdict("output matches {\"shipped\": false}")["why"], "succeeds with output {\"shipped\":true}");
    assert!(doc["properties"].as_array().unwrap().iter().all(|p| p["holds"] == false), "every broken property fails: {doc:#}");
    // Express is reached only with the other input.
    let states =
        doc["builtin"].as_array().unwrap().iter().find(|f| f["check"] == "every state is reached by some outcome").cloned().unwrap();
    assert_eq!(states["level"], "fail");
    assert_eq!(states["details"][0], "Express: no outcome reaches it");
}

/// The fraud-detection workflow whose catch takes only States.TaskFailed
/// breaks its promise: a step that times out leaves the cluster running.
/// The counterexample, kept with --write-case, becomes a mock test case
/// that `sfc test` runs and that passes.
#[test]
fn a_counterexample_becomes_a_test_case() {
    let dir = scratch("check-write-case");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let original = std::fs::read_to_string(root.join("workflows/fraud-detection.sfc")).unwrap();
    let broken = original.replace("} catch all as $.error {", "} catch States.TaskFailed as $.error {");
    assert_ne!(broken, original);
    let wf = dir.join("fraud-detection.sfc");
    std::fs::write(&wf, broken).unwrap();
    // The mock file names its inputs as ../events/..., as the shipped one does.
    std::fs::create_dir_all(dir.join("mocks")).unwrap();
    std::fs::create_dir_all(dir.join("events")).unwrap();
    std::fs::copy(root.join("fixtures/events/claim-uploaded.json"), dir.join("events/claim-uploaded.json")).unwrap();
    let mocks = dir.join("mocks/fraud-detection.json");
    std::fs::copy(root.join("fixtures/mocks/fraud-detection.json"), &mocks).unwrap();
    let (wf, mocks_arg) = (wf.to_str().unwrap(), mocks.to_str().unwrap());
    let o = sfc(&["check", wf, "--mocks", mocks_arg, "--write-case", "ClusterLeftRunning"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.contains("FAIL after CreateCluster succeeds, eventually one of TerminateCluster, TerminateClusterAfterFailure"), "{out}");
    assert!(out.contains("RunFraudDetection  never answers (times out)"), "{out}");
    let written: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&mocks).unwrap()).unwrap();
    assert!(written["StateMachines"]["FraudDetection"]["TestCases"]["ClusterLeftRunning"].is_object(), "{written:#}");
    assert_eq!(written["Expectations"]["FraudDetection"]["ClusterLeftRunning"]["status"], "FAILED");
    assert_eq!(written["Expectations"]["FraudDetection"]["ClusterLeftRunning"]["error"], "States.Timeout");
    let o = sfc(&["test", wf, "--mocks", mocks_arg]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("PASS FraudDetection / ClusterLeftRunning"), "{out}");
}

/// A property naming a state the machine lacks is refused, with a
/// suggestion; a malformed one says what properties read.
#[test]
fn properties_are_checked_before_anything_runs() {
    let dir = scratch("check-bad-properties");
    let checks = dir.join("c.json");
    std::fs::write(&checks, r#"["never Relase"]"#).unwrap();
    let o = sfc(&["check", "fixtures/check/Orders.asl.json", "--checks", checks.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("names state \"Relase\", which the machine does not have; did you mean \"Release\"?"), "{err}");
    std::fs::write(&checks, r#"["sometimes Release"]"#).unwrap();
    let err = String::from_utf8_lossy(&sfc(&["check", "fixtures/check/Orders.asl.json", "--checks", checks.to_str().unwrap()]).stderr)
        .to_string();
    assert!(err.contains("not a property") && err.contains("always eventually S"), "{err}");
}

/// Past --max-paths the paths are random from the seed, said in the
/// report, and a run repeats with the same seed.
#[test]
fn a_large_space_is_sampled_from_a_seed() {
    let run = || {
        let o = sfc(&["check", "workflows/wildlife-pipeline.sfc", "--max-paths", "200", "--seed", "7", "--format", "json"]);
        json(&o)
    };
    let (a, b) = (run(), run());
    assert_eq!(a["exhaustive"], false);
    assert_eq!(
        (a["paths"].clone(), a["random"].clone(), a["seed"].clone()),
        (serde_json::json!(400), serde_json::json!(200), serde_json::json!(7))
    );
    assert_eq!(a, b, "the same seed gives the same report");
}

/// docs/check.md's example, as written: every property holds; without
/// Release's own timeout, the property the text names fails with the path
/// it describes.
#[test]
fn the_documented_example_behaves_as_documented() {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/check.md")).unwrap();
    let example = doc.split("```sfc\n").nth(1).and_then(|rest| rest.split("```").next()).expect("an sfc example in docs/check.md");
    let dir = scratch("check-doc-example");
    let wf = dir.join("orders.sfc");
    std::fs::write(&wf, example).unwrap();
    let o = sfc(&["check", wf.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}");
    let paths =
        out.lines().next().unwrap_or_default().split(", ").nth(1).unwrap_or_default().split(' ').next().unwrap_or_default().to_string();
    assert!(doc.contains(&format!("runs its {paths} paths")), "the text gives the number of paths ({paths}): {out}");
    std::fs::write(&wf, example.replace(" into discard timeout 5m", " into discard")).unwrap();
    let o = sfc(&["check", wf.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("FAIL ends with status FAILED when Charge fails") && out.contains("Release  never answers (times out)"), "{out}");
    assert!(out.contains("ends TIMED_OUT after 2h00m00s: Reserve → Charge → Release"), "{out}");
}

/// Every property form docs/check.md's table shows is one the language reads.
#[test]
fn the_documented_property_forms_parse() {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/check.md")).unwrap();
    let table = doc.split("| property | holds when").nth(1).and_then(|t| t.split("\n\n").next()).expect("the table of properties");
    let forms: Vec<&str> = table.lines().filter_map(|row| row.strip_prefix("| `").and_then(|r| r.split('`').next())).collect();
    assert_eq!(forms.len(), 9, "{forms:?}");
    for form in forms {
        let form = form.replace(" when C", " when S runs");
        sfc_runtime::check::property::parse(&form).unwrap_or_else(|e| panic!("{form}: {e}"));
    }
}
