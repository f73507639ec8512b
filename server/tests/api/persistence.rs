//! `--data-dir`: what a server held is there after a restart.

use crate::*;

const DISTRIBUTED_PASS: &str = r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
  "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}}"#;

#[tokio::test]
async fn machines_executions_and_histories_survive_a_restart() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("sfc-data-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
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
