//! `sfc run --local` as a user runs it: output on stdout, a timeline on
//! stderr, exit 0 succeeded, 1 failed or timed out, 2 bad usage.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn sfc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sfc")).args(args).current_dir(env!("CARGO_MANIFEST_DIR")).output().expect("sfc runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("run-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

#[test]
fn the_partitions_fixture_succeeds_in_virtual_time() {
    let o = sfc(&["run", "--local", "fixtures/asl/partitions.asl.json", "--input", "fixtures/asl/partitions.input.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(out["count"], 3);
    assert_eq!(out["queues"], serde_json::json!(["cpu", "gpu"]));
    assert_eq!(out["jobs"][1]["uri"], "s3://sanders-data-dev/features/2026-11-21/part-1.parquet");
    let err = stderr(&o);
    assert!(err.contains("+3600.000s  Summarise (Pass)"), "{err}");
    assert!(err.contains("SUCCEEDED after 3600.000s virtual"), "{err}");
}

#[test]
fn json_format_and_history() {
    let o = sfc(&[
        "run",
        "--local",
        "fixtures/asl/partitions.asl.json",
        "--input",
        "fixtures/asl/partitions.input.json",
        "--format",
        "json",
        "--history",
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stderr.is_empty(), "--quiet prints no timeline");
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["status"], "SUCCEEDED");
    let events = doc["events"].as_array().unwrap();
    assert_eq!(events[0]["type"], "ExecutionStarted");
    assert_eq!(events.last().unwrap()["type"], "ExecutionSucceeded");
    assert!(events.iter().any(|e| e["type"] == "MapIterationStarted" && e["mapIterationStartedEventDetails"]["index"] == 2));
}

#[test]
fn input_from_stdin() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sfc"))
        .args(["run", "--local", "fixtures/asl/partitions.asl.json", "--input", "-", "-q"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(br#"{"bucket": "b", "partitions": []}"#).unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let out: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(out["count"], 0);
}

#[test]
fn a_failed_execution_exits_one_with_aws_error_and_cause() {
    let dir = scratch("fail");
    let f = write(&dir, "m.asl.json", r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "InputPath": "$.missing", "End": true}}}"#);
    let o = sfc(&["run", "--local", &f, "--format", "json", "-q"]);
    assert_eq!(o.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["status"], "FAILED");
    assert_eq!(doc["error"], "States.Runtime");
    assert_eq!(
        doc["cause"],
        "An error occurred while executing the state 'P' (entered at the event id #2). Invalid path '$.missing' : No results for path: $['missing']"
    );
    // Quiet leaves out the timeline, not why the run failed (it once said nothing).
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.starts_with("FAILED States.Runtime: An error occurred while executing the state 'P'"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn bad_input_is_a_clear_error() {
    let dir = scratch("bad");
    let good = write(
        &dir,
        "m.asl.json",
        r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items", "ItemProcessor": {"StartAt": "X", "States": {"X": {"Type": "Pass", "End": true}}}, "End": true}}}"#,
    );
    let not_json = write(&dir, "in.json", "{items: [1]}");
    let o = sfc(&["run", "--local", &good, "--input", &not_json]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("in.json:1:2: the input is not JSON"), "{}", stderr(&o));

    let not_array = write(&dir, "obj.json", r#"{"items": {"a": 1}}"#);
    let o = sfc(&["run", "--local", &good, "--input", &not_array, "--format", "json", "-q"]);
    assert_eq!(o.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["error"], "States.Runtime");
    assert!(doc["cause"].as_str().unwrap().contains("is not an array"), "{doc}");

    let invalid = write(&dir, "bad.asl.json", r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}"#);
    let o = sfc(&["run", "--local", &invalid]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("MISSING_TRANSITION_TARGET") && err.contains("nothing was run"), "{err}");
    assert!(o.stdout.is_empty());

    let o = sfc(&["run", &good]);
    assert_eq!(o.status.code(), Some(2), "without --local");
    assert!(stderr(&o).contains("--local"));
}

#[test]
fn a_task_without_a_backend_names_the_state_and_resource() {
    let dir = scratch("task");
    let input = write(&dir, "in.json", r#"{"runId": "r1", "bucket": "b", "key": "claims/x.csv"}"#);
    let o = sfc(&["run", "--local", "fixtures/asl/batch-job.asl.json", "--input", &input, "--format", "json", "-q"]);
    assert_eq!(o.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let cause = doc["cause"].as_str().unwrap();
    assert!(cause.contains("SubmitFeatureJob") && cause.contains("arn:aws:states:::batch:submitJob.sync"), "{cause}");
}

/// Past AWS's 25,000 events a STANDARD run fails; an EXPRESS one has no
/// limit, keeps no history, and streams it with --history.
#[test]
fn express_runs_have_no_event_limit_and_stream_their_history() {
    let dir = scratch("express");
    let input = write(&dir, "in.json", r#"{"i": 0, "n": 7000}"#);
    let loop_def = "bench/workloads/counting-loop.asl.json";
    let standard = sfc(&["run", "--local", loop_def, "--input", &input, "-q"]);
    assert_eq!(standard.status.code(), Some(1));
    assert!(stderr(&standard).contains("maximum number of history events (25000)"), "{}", stderr(&standard));

    let express = sfc(&["run", "--local", "--type", "express", loop_def, "--input", &input]);
    assert_eq!(express.status.code(), Some(0), "{}", stderr(&express));
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&express.stdout).unwrap()["i"], 7000);
    assert!(stderr(&express).contains("EXPRESS: no history is kept"), "{}", stderr(&express));

    let streamed = sfc(&["run", "--local", "--type", "express", "--history", "--format", "json", loop_def, "--input", &input, "-q"]);
    assert_eq!(streamed.status.code(), Some(0), "{}", stderr(&streamed));
    let doc: serde_json::Value = serde_json::from_slice(&streamed.stdout).unwrap();
    let events = doc["events"].as_array().unwrap();
    assert_eq!(events.len(), 1 + 4 * 7000 + 3, "started, 7,000 turns of four events, Done's two, succeeded");
    assert_eq!((events[0]["type"].as_str(), events[1]["previousEventId"].as_u64()), (Some("ExecutionStarted"), Some(0)));
    assert!(events[0]["timestamp"].is_f64(), "epoch seconds, as the API gives them");
    assert_eq!((doc["status"].as_str(), doc["output"]["i"].as_u64()), (Some("SUCCEEDED"), Some(7000)));
}

/// With no timeline to show it, an EXPRESS run that does not succeed
/// says why in one line, quiet or not.
#[test]
fn an_express_run_says_why_it_failed() {
    let dir = scratch("express-fail");
    let def = write(&dir, "f.json", r#"{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Boom", "Cause": "why"}}}"#);
    for quiet in [false, true] {
        let args = ["run", "--local", "--type", "express", &def, "-q"];
        let out = sfc(&args[..if quiet { 6 } else { 5 }]);
        assert_eq!(out.status.code(), Some(1));
        assert!(stderr(&out).contains("FAILED Boom: why"), "quiet {quiet}: {}", stderr(&out));
    }
}

/// A Distributed Map over a folder standing for S3: its ItemReader reads
/// CSV, JSON, JSON Lines or a listing there, its ItemBatcher groups, its
/// ResultWriter writes the manifest and result files as AWS lays them out.
#[test]
fn a_distributed_map_runs_over_an_s3_folder() {
    let dir = scratch("s3-dir");
    std::fs::create_dir_all(dir.join("data/in")).unwrap();
    std::fs::create_dir_all(dir.join("out")).unwrap();
    std::fs::write(dir.join("data/in/people.csv"), "id,name\n1,ann\n2,bob\n3,\"cy, jr\"\n4,dee\n5,eve\n").unwrap();
    std::fs::write(dir.join("data/in/list.json"), r#"[{"n": 1}, {"n": 2}]"#).unwrap();
    std::fs::write(dir.join("data/in/lines.jsonl"), "{\"n\": 1}\n{\"n\": 2}\n{\"n\": 3}\n").unwrap();
    std::fs::write(dir.join("data/in/object.json"), r#"{"n": 1}"#).unwrap();
    let map = |reader: &str, extra: &str| {
        format!(
            r#"{{"StartAt": "Each", "States": {{"Each": {{"Type": "Map", "ItemReader": {reader}, {extra}
              "ItemProcessor": {{"ProcessorConfig": {{"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"}}, "StartAt": "P",
                 "States": {{"P": {{"Type": "Pass", "End": true}}}}}}, "End": true}}}}}}"#
        )
    };
    let s3 = dir.display().to_string();
    let run = |name: &str, def: String| {
        let file = write(&dir, name, &def);
        let o = sfc(&["run", "--local", &file, "--s3-dir", &s3, "-q"]);
        let out = serde_json::from_slice::<serde_json::Value>(&o.stdout).ok();
        (o.status.code(), out, stderr(&o))
    };
    let csv = r#"{"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW", "MaxItems": 4},
                  "Parameters": {"Bucket": "data", "Key": "in/people.csv"}}"#;
    let (code, out, err) = run(
        "csv.json",
        map(
            csv,
            r#""ItemBatcher": {"MaxItemsPerBatch": 3, "BatchInput": {"tag": "t"}},
                  "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "out", "Prefix": "runs"}},"#,
        ),
    );
    assert_eq!(code, Some(0), "{err}");
    let out = out.unwrap();
    let manifest_key = out["ResultWriterDetails"]["Key"].as_str().unwrap();
    assert!(manifest_key.starts_with("runs/") && manifest_key.ends_with("/manifest.json"), "{out}");
    let manifest: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("out").join(manifest_key)).unwrap()).unwrap();
    assert_eq!(manifest["MapRunArn"], out["MapRunArn"]);
    let succeeded = manifest["ResultFiles"]["SUCCEEDED"][0]["Key"].as_str().unwrap();
    let records: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("out").join(succeeded)).unwrap()).unwrap();
    let inputs: Vec<serde_json::Value> =
        records.as_array().unwrap().iter().map(|r| serde_json::from_str(r["Input"].as_str().unwrap()).unwrap()).collect();
    assert_eq!(inputs.len(), 2, "4 items (MaxItems) in batches of 3");
    assert_eq!(inputs[0]["Items"][2], serde_json::json!({"id": "3", "name": "cy, jr"}));
    assert_eq!((inputs[1]["BatchInput"]["tag"].as_str(), inputs[1]["Items"].as_array().map(Vec::len)), (Some("t"), Some(1)));
    assert_eq!(records[0]["Status"], "SUCCEEDED");

    let json_reader = r#"{"Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket": "data", "Key": "in/list.json"}}"#;
    assert_eq!(run("json.json", map(json_reader, "")).1.unwrap(), serde_json::json!([{"n": 1}, {"n": 2}]));
    let lines = r#"{"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSONL"}, "Parameters": {"Bucket": "data", "Key": "in/lines.jsonl"}}"#;
    assert_eq!(run("jsonl.json", map(lines, "")).1.unwrap().as_array().map(Vec::len), Some(3));
    // An S3 inventory: its manifest names gzipped CSV files without headers.
    std::fs::create_dir_all(dir.join("data/inventory/data")).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, b"\"photos\",\"a.jpg\",\"10\"\n\"photos\",\"b.jpg\",\"20\"\n").unwrap();
    std::fs::write(dir.join("data/inventory/data/part-1.csv.gz"), gz.finish().unwrap()).unwrap();
    std::fs::write(
        dir.join("data/inventory/manifest.json"),
        r#"{"sourceBucket": "photos", "destinationBucket": "arn:aws:s3:::data", "fileFormat": "CSV",
            "fileSchema": "Bucket, Key, Size", "files": [{"key": "inventory/data/part-1.csv.gz", "size": 40}]}"#,
    )
    .unwrap();
    let inventory = r#"{"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "MANIFEST"},
                        "Parameters": {"Bucket": "data", "Key": "inventory/manifest.json"}}"#;
    assert_eq!(
        run("inventory.json", map(inventory, "")).1.unwrap(),
        serde_json::json!([{"Bucket": "photos", "Key": "a.jpg", "Size": "10"}, {"Bucket": "photos", "Key": "b.jpg", "Size": "20"}])
    );
    let listing = r#"{"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "data", "Prefix": "in/l"}}"#;
    let listed = run("list.json", map(listing, "")).1.unwrap();
    assert_eq!(
        listed.as_array().unwrap().iter().map(|o| o["Key"].as_str().unwrap()).collect::<Vec<_>>(),
        ["in/lines.jsonl", "in/list.json"]
    );

    // What AWS refuses, refused the same way; nothing outside the folder.
    let reader =
        |key: &str| format!(r#"{{"Resource": "arn:aws:states:::s3:getObject", "Parameters": {{"Bucket": "data", "Key": "{key}"}}}}"#);
    let (code, _, err) = run("missing.json", map(&reader("in/none.csv"), ""));
    assert_eq!(code, Some(1));
    assert!(err.contains("States.ItemReaderFailed") && err.contains("The specified key does not exist."), "{err}");
    let (_, _, err) = run("object.json", map(&reader("in/object.json"), ""));
    assert!(err.contains("States.ItemReaderFailed") && err.contains("Attempting to map over non-iterable node."), "{err}");
    let (code, _, err) = run("escape.json", map(&reader("../../etc/passwd"), ""));
    assert_eq!(code, Some(1));
    assert!(err.contains("would leave --s3-dir"), "{err}");
    std::fs::write(dir.join("data/in/ragged.csv"), "a,b\n1,2,3\n").unwrap();
    let ragged = r#"{"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
                     "Parameters": {"Bucket": "data", "Key": "in/ragged.csv"}}"#;
    let (_, _, err) = run("ragged.json", map(ragged, ""));
    assert!(err.contains("States.ItemReaderFailed") && err.contains("more than the 2 headers"), "{err}");
    let nowhere = r#""ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "absent", "Prefix": "p"}},"#;
    let (code, _, err) = run("nowhere.json", map(&reader("in/list.json"), nowhere));
    assert_eq!(code, Some(1));
    assert!(err.contains("States.ResultWriterFailed") && err.contains("The specified bucket does not exist"), "{err}");
}

/// WriterConfig (JSONata): FLATTEN splices the children's arrays into the
/// Map's output; COMPACT with JSONL writes only the outputs, a line each.
#[test]
fn writer_config_transforms_and_formats_the_results() {
    let dir = scratch("writer-config");
    std::fs::create_dir_all(dir.join("out")).unwrap();
    let map = |writer: &str| {
        format!(
            r#"{{"QueryLanguage": "JSONata", "StartAt": "Each", "States": {{"Each": {{"Type": "Map", "Items": [1, 2], "ResultWriter": {writer},
              "ItemProcessor": {{"ProcessorConfig": {{"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"}}, "StartAt": "P",
                 "States": {{"P": {{"Type": "Pass", "Output": "{{% [$states.input, $states.input * 10] %}}", "End": true}}}}}}, "End": true}}}}}}"#
        )
    };
    let s3 = dir.display().to_string();
    let flatten = write(&dir, "flatten.json", &map(r#"{"WriterConfig": {"Transformation": "FLATTEN", "OutputType": "JSON"}}"#));
    let o = sfc(&["run", "--local", &flatten, "--s3-dir", &s3, "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap(), serde_json::json!([1, 10, 2, 20]));

    let lines = write(
        &dir,
        "lines.json",
        &map(r#"{"Resource": "arn:aws:states:::s3:putObject", "Arguments": {"Bucket": "out", "Prefix": "p"},
        "WriterConfig": {"Transformation": "COMPACT", "OutputType": "JSONL"}}"#),
    );
    let o = sfc(&["run", "--local", &lines, "--s3-dir", &s3, "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("out").join(out["ResultWriterDetails"]["Key"].as_str().unwrap())).unwrap()).unwrap();
    let file = manifest["ResultFiles"]["SUCCEEDED"][0]["Key"].as_str().unwrap();
    assert!(file.ends_with("SUCCEEDED_0.jsonl"), "{manifest}");
    assert_eq!(std::fs::read_to_string(dir.join("out").join(file)).unwrap(), "[1,10]\n[2,20]\n");
}

/// A mocked state is never answered by the S3 folder: mocks come first,
/// then --s3-dir, then the backend.
#[test]
fn mocks_come_before_the_s3_folder() {
    let dir = scratch("s3-mocks");
    std::fs::create_dir_all(dir.join("b")).unwrap();
    std::fs::write(dir.join("b/k.txt"), "from the folder").unwrap();
    let def = write(
        &dir,
        "m.json",
        r#"{"StartAt": "Mocked", "States": {
      "Mocked": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:getObject", "Parameters": {"Bucket": "b", "Key": "k.txt"},
                 "ResultSelector": {"body.$": "$.Body"}, "ResultPath": "$.mocked", "Next": "Folder"},
      "Folder": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:getObject", "Parameters": {"Bucket": "b", "Key": "k.txt"},
                 "ResultSelector": {"body.$": "$.Body"}, "ResultPath": "$.folder", "End": true}}}"#,
    );
    let mocks = write(
        &dir,
        "mocks.json",
        r#"{"StateMachines": {"m": {"TestCases": {"C": {"Mocked": "R"}}}},
      "MockedResponses": {"R": {"0": {"Return": {"Body": "from the mock"}}}}}"#,
    );
    let s3 = dir.display().to_string();
    let o = sfc(&["run", "--local", &def, "--mocks", &mocks, "--case", "C", "--s3-dir", &s3, "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!((out["mocked"]["body"].as_str(), out["folder"]["body"].as_str()), (Some("from the mock"), Some("from the folder")));
}

/// `--trigger NAME` runs with the event the workflow's trigger delivers:
/// the fraud workflow reads the bucket and key of an S3 "Object Created"
/// event that its rule matches; the ECS workflow reads the schedule's time.
#[test]
fn a_trigger_starts_the_run_with_the_event_it_delivers() {
    // A shipped workflow's HappyPath case, started by its trigger.
    let triggered = |name: &str, trigger: &str| -> serde_json::Value {
        let wf = format!("workflows/{name}.sfc");
        let mocks = format!("fixtures/mocks/{name}.json");
        let o = sfc(&["run", "--local", &wf, "--trigger", trigger, "--mocks", &mocks, "--case", "HappyPath", "--format", "json"]);
        assert!(o.status.success(), "{}", stderr(&o));
        serde_json::from_slice(&o.stdout).unwrap()
    };
    let run = triggered("fraud-detection", "claims");
    let input = &run["output"]["input"];
    assert_eq!((input["bucket"].as_str(), input["key"].as_str()), (Some("sanders-claims-dev"), Some("claims/example.json")), "{run}");
    assert_eq!(run["output"]["detail-type"], "Object Created");

    let run = triggered("ecs-preprocessing", "monthly");
    let environment = run["output"]["environment"].as_array().unwrap();
    let time = environment.iter().find(|e| e["Name"] == "SCHEDULED_TIME").unwrap()["Value"].as_str().unwrap().to_string();
    assert!(time.len() == 20 && time.ends_with('Z'), "the schedule's time, now: {time}");

    let o = sfc(&["run", "--local", "workflows/fraud-detection.sfc", "--trigger", "nightly"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--trigger nightly: the workflow's triggers are claims"), "{}", stderr(&o));
    let o = sfc(&["run", "--local", "workflows/batch-features.sfc", "--trigger", "x"]);
    assert!(stderr(&o).contains("declares no triggers"), "{}", stderr(&o));
}

/// `sfc compile -o OUT.asl.json` writes the deployment plan beside the ASL
/// when the workflow declares triggers or alarms, and only then.
#[test]
fn compile_writes_the_deployment_plan_beside_the_asl() {
    let dir = scratch("deploy-plan");
    let out = dir.join("fraud.asl.json");
    let o = sfc(&["compile", "workflows/fraud-detection.sfc", "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let plan: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.join("fraud.deploy.json")).unwrap()).unwrap();
    assert_eq!(
        (plan["Triggers"][0]["Name"].as_str(), plan["Alarms"][0]["MetricName"].as_str()),
        (Some("claims"), Some("ExecutionsFailed"))
    );
    let o = sfc(&["compile", "workflows/batch-features.sfc", "-o", dir.join("batch.asl.json").to_str().unwrap()]);
    assert!(o.status.success());
    assert!(!dir.join("batch.deploy.json").exists());
}
