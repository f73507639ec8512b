//! `--data-dir`: what a server held is there after a restart.

use crate::*;

const DISTRIBUTED_PASS: &str = r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
  "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}}"#;

/// A directory of this test process's named `name`, empty.
fn empty_dir(name: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[tokio::test]
async fn machines_executions_and_histories_survive_a_restart() {
    let dir = empty_dir("sfc-data");
    let config = || Config { data_dir: Some(dir.clone()), ..Config::default() };
    let l = local(config());
    let machine = create(&l.client, "Kept", PASS_CHAIN).await;
    let done = l.client.start_execution().state_machine_arn(&machine).name("done").input(r#"{"x": 1}"#).send().await.unwrap();
    let d = finished(&l.client, done.execution_arn()).await;
    let history = event_types(&l.client, done.execution_arn()).await;
    let waits = create(&l.client, "Waits", r#"{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}}"#).await;
    let running = l.client.start_execution().state_machine_arn(&waits).name("running").send().await.unwrap();
    let activity = l.client.create_activity().name("kept").send().await.unwrap().activity_arn().to_string();
    let mapped = create(&l.client, "Mapped", DISTRIBUTED_PASS).await;
    let mapped = l.client.start_execution().state_machine_arn(&mapped).input("[1, 2, 3]").send().await.unwrap();
    finished(&l.client, mapped.execution_arn()).await;
    let runs = l.client.list_map_runs().execution_arn(mapped.execution_arn()).send().await.unwrap();
    let run = l.client.describe_map_run().map_run_arn(runs.map_runs()[0].map_run_arn()).send().await.unwrap();
    let child = l.client.list_executions().map_run_arn(run.map_run_arn()).send().await.unwrap().executions()[0].execution_arn().to_string();
    let child_history = event_types(&l.client, &child).await;
    assert_eq!(child_history, ["ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]);
    drop(l);

    let l = local(config());
    let m = l.client.describe_state_machine().state_machine_arn(&machine).send().await.unwrap();
    assert_eq!(m.definition(), PASS_CHAIN);
    let again = l.client.describe_execution().execution_arn(done.execution_arn()).send().await.unwrap();
    assert_eq!((again.status().as_str(), again.output(), again.start_date()), ("SUCCEEDED", d.output(), d.start_date()));
    assert_eq!(event_types(&l.client, done.execution_arn()).await, history);
    let h = l.client.get_execution_history().execution_arn(done.execution_arn()).include_execution_data(false).send().await.unwrap();
    assert_eq!(h.events()[0].execution_started_event_details().and_then(|d| d.input()), None);
    let stopped = l.client.describe_execution().execution_arn(running.execution_arn()).send().await.unwrap();
    assert_eq!((stopped.status().as_str(), stopped.cause()), ("ABORTED", Some("sfc serve stopped while the execution ran")));
    assert_eq!(l.client.describe_activity().activity_arn(&activity).send().await.unwrap().name(), "kept");
    assert_eq!(l.client.list_executions().state_machine_arn(&machine).send().await.unwrap().executions().len(), 1);
    // A Map Run, as it was.
    let runs_again = l.client.list_map_runs().execution_arn(mapped.execution_arn()).send().await.unwrap();
    assert_eq!(runs_again.map_runs(), runs.map_runs());
    let run_again = l.client.describe_map_run().map_run_arn(run.map_run_arn()).send().await.unwrap();
    assert_eq!((run_again.status().as_str(), run_again.item_counts().map(|c| c.succeeded())), ("SUCCEEDED", Some(3)));
    assert_eq!((run_again.start_date(), run_again.stop_date()), (run.start_date(), run.stop_date()));
    assert_eq!(event_types(&l.client, &child).await, child_history);
    // New work goes on beside the old.
    let next = l.client.start_execution().state_machine_arn(&machine).input(r#"{"x": 2}"#).send().await.unwrap();
    assert_eq!(finished(&l.client, next.execution_arn()).await.status().as_str(), "SUCCEEDED");
    drop(l);
    let _ = std::fs::remove_dir_all(&dir);
}

/// An execution still running when the server stops ends ABORTED as far
/// as it went, as StopExecution would end it: its events so far and an
/// ExecutionAborted, its Map Run aborted with its children (each child's
/// history ending ExecutionAborted too). After a restart it is redriven
/// from there: the Map Run goes on under its ARN, its children again.
#[tokio::test]
async fn an_execution_running_when_the_server_stops_is_kept_as_far_as_it_went() {
    let dir = empty_dir("sfc-data-stop");
    let config = || Config { data_dir: Some(dir.clone()), ..Config::default() };
    let l = local(config());
    let machine = create(
        &l.client,
        "Long",
        r#"{"StartAt": "First", "States": {"First": {"Type": "Pass", "Next": "M"},
      "M": {"Type": "Map", "End": true, "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}}}}}"#,
    )
    .await;
    let e = l.client.start_execution().state_machine_arn(&machine).input("[1, 2]").send().await.unwrap();
    let arn = e.execution_arn().to_string();
    let run = map_run_of(&l.client, &arn).await;
    running_at_least(&l.client, &run, 2).await;
    let so_far = event_types(&l.client, &arn).await;
    assert_eq!(so_far.last().map(String::as_str), Some("MapRunStarted"));
    drop(l);

    let l = local(config());
    let d = l.client.describe_execution().execution_arn(&arn).send().await.unwrap();
    assert_eq!((d.status().as_str(), d.cause()), ("ABORTED", Some("sfc serve stopped while the execution ran")));
    let kept = event_types(&l.client, &arn).await;
    assert_eq!(kept, [so_far.clone(), vec!["ExecutionAborted".to_string()]].concat());
    let m = l.client.describe_map_run().map_run_arn(&run).send().await.unwrap();
    let counts = m.execution_counts().map(|c| (c.aborted(), c.running()));
    assert_eq!((m.status().as_str(), counts, m.stop_date().is_some()), ("ABORTED", Some((2, 0)), true));
    let children = l.client.list_executions().map_run_arn(&run).send().await.unwrap();
    assert_eq!(children.executions().len(), 2);
    for child in children.executions() {
        assert_eq!(child.status().as_str(), "ABORTED");
        let h = event_types(&l.client, child.execution_arn()).await;
        assert_eq!(h, ["ExecutionStarted", "WaitStateEntered", "ExecutionAborted"], "{}", child.execution_arn());
    }

    l.client.redrive_execution().execution_arn(&arn).send().await.unwrap();
    let again = running_at_least(&l.client, &run, 2).await;
    assert_eq!((again.status().as_str(), again.redrive_count()), ("RUNNING", Some(1)));
    assert_eq!(l.client.list_map_runs().execution_arn(&arn).send().await.unwrap().map_runs().len(), 1);
    // The history read back goes on: ids in order, after ExecutionRedriven.
    let h = l.client.get_execution_history().execution_arn(&arn).send().await.unwrap();
    let ids: Vec<i64> = h.events().iter().map(|e| e.id()).collect();
    assert_eq!(ids, (1..=ids.len() as i64).collect::<Vec<_>>());
    let types: Vec<&str> = h.events().iter().map(|e| e.r#type().as_str()).collect();
    assert_eq!(types[..kept.len() + 1], [kept.iter().map(String::as_str).collect(), vec!["ExecutionRedriven"]].concat()[..]);
    assert!(types.contains(&"MapRunRedriven"), "{types:?}");
    let children = l.client.list_executions().map_run_arn(&run).send().await.unwrap();
    let h = event_types(&l.client, children.executions()[0].execution_arn()).await;
    assert_eq!(h, ["ExecutionStarted", "WaitStateEntered", "ExecutionAborted", "ExecutionRedriven", "WaitStateEntered"]);
    drop(l);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A server killed (not stopped) leaves its running executions as they
/// were last written: read back, each ends ABORTED, its history with an
/// ExecutionAborted event, and can be redriven. The kill is the data
/// directory copied while the server runs.
#[tokio::test]
async fn an_execution_running_when_the_server_was_killed_comes_back_aborted() {
    let base = empty_dir("sfc-data-kill");
    let (dir, copy) = (base.join("live"), base.join("copy"));
    let l = local(Config { data_dir: Some(dir.clone()), ..Config::default() });
    let waits = create(&l.client, "Waits", r#"{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}}"#).await;
    let e = l.client.start_execution().state_machine_arn(&waits).input(r#"{"a": [1, 2]}"#).send().await.unwrap();
    std::fs::create_dir_all(&copy).unwrap();
    std::fs::copy(dir.join("sfc-serve.redb"), copy.join("sfc-serve.redb")).unwrap();
    drop(l);

    let l = local(Config { data_dir: Some(copy.clone()), ..Config::default() });
    let d = l.client.describe_execution().execution_arn(e.execution_arn()).send().await.unwrap();
    assert_eq!((d.status().as_str(), d.cause()), ("ABORTED", Some("sfc serve stopped while the execution ran")));
    let h = l.client.get_execution_history().execution_arn(e.execution_arn()).send().await.unwrap();
    let started = h.events()[0].execution_started_event_details().expect("ExecutionStarted first");
    assert_eq!((started.input(), started.role_arn()), (Some(r#"{"a":[1,2]}"#), Some(ROLE)));
    let last = h.events().last().unwrap();
    assert_eq!((last.r#type().as_str(), last.id(), last.previous_event_id()), ("ExecutionAborted", 2, 1));
    assert_eq!(last.execution_aborted_event_details().and_then(|d| d.cause()), d.cause());
    l.client.redrive_execution().execution_arn(e.execution_arn()).send().await.unwrap();
    let types = event_types(&l.client, e.execution_arn()).await;
    assert_eq!(types, ["ExecutionStarted", "ExecutionAborted", "ExecutionRedriven", "WaitStateEntered"]);
    drop(l);
    let _ = std::fs::remove_dir_all(&base);
}
