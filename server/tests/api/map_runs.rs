//! Map Runs of distributed Maps: ListMapRuns, DescribeMapRun, UpdateMapRun
//! and ListExecutions by map run, as SDK suites read them.

use crate::*;
use aws_sdk_sfn::types::{ExecutionStatus, MapRunStatus};

/// Five items in batches of two, every child failing on an odd first item:
/// the run's counts of items and children, its children newest first with
/// their item counts, and its settings as the Map gave them.
const BATCHED: &str = r#"{"StartAt": "Each", "States": {"Each": {
  "Type": "Map", "Label": "Batches", "MaxConcurrency": 2, "ToleratedFailureCount": 4,
  "ItemBatcher": {"MaxItemsPerBatch": 2},
  "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
    "StartAt": "Odd?", "States": {
      "Odd?": {"Type": "Choice", "Choices": [{"Variable": "$.Items[0]", "NumericEquals": 3, "Next": "Fail"}], "Default": "Done"},
      "Fail": {"Type": "Fail", "Error": "Odd"},
      "Done": {"Type": "Pass", "End": true}}},
  "End": true}}}"#;

#[tokio::test]
async fn a_finished_map_run_is_listed_described_and_its_children_listed() {
    let l = local(fast());
    let machine = create(&l.client, "Batched", BATCHED).await;
    let s = l.client.start_execution().state_machine_arn(&machine).input("[1, 2, 3, 4, 5]").send().await.unwrap();
    let d = finished(&l.client, s.execution_arn()).await;
    assert_eq!(d.status(), &ExecutionStatus::Succeeded, "{:?}", d.cause());

    let runs = l.client.list_map_runs().execution_arn(s.execution_arn()).send().await.unwrap();
    assert_eq!(runs.map_runs().len(), 1);
    let listed = &runs.map_runs()[0];
    let run = listed.map_run_arn();
    assert!(run.starts_with("arn:aws:states:us-east-1:123456789012:mapRun:Batched/Batches:"), "{run}");
    assert_eq!(listed.execution_arn(), s.execution_arn());
    assert_eq!(listed.state_machine_arn(), format!("{machine}/Batches"));
    assert!(listed.stop_date().is_some());
    // The run's ARN is the one the history names.
    let h = l.client.get_execution_history().execution_arn(s.execution_arn()).send().await.unwrap();
    let started = h.events().iter().find_map(|e| e.map_run_started_event_details()).and_then(|d| d.map_run_arn());
    assert_eq!(started, Some(run));

    let m = l.client.describe_map_run().map_run_arn(run).send().await.unwrap();
    assert_eq!((m.status(), m.execution_arn()), (&MapRunStatus::Succeeded, s.execution_arn()));
    assert_eq!((m.max_concurrency(), m.tolerated_failure_count(), m.tolerated_failure_percentage()), (2, 4, 0.0));
    let items = m.item_counts().unwrap();
    // [1, 2] and [5] succeed, [3, 4] fails.
    assert_eq!((items.total(), items.succeeded(), items.failed(), items.pending(), items.running()), (5, 3, 2, 0, 0));
    let children = m.execution_counts().unwrap();
    assert_eq!((children.total(), children.succeeded(), children.failed(), children.aborted()), (3, 2, 1, 0));
    assert!(m.stop_date().is_some());

    let listed = l.client.list_executions().map_run_arn(run).send().await.unwrap();
    let seen: Vec<(&str, &str, Option<i32>)> =
        listed.executions().iter().map(|e| (e.name(), e.status().as_str(), e.item_count())).collect();
    assert_eq!(seen, [("2", "SUCCEEDED", Some(1)), ("1", "FAILED", Some(2)), ("0", "SUCCEEDED", Some(2))]);
    let child = &listed.executions()[0];
    assert_eq!(child.map_run_arn(), Some(run));
    assert_eq!(child.execution_arn(), format!("{}:2", run.replacen(":mapRun:", ":execution:", 1)));
    assert_eq!(child.state_machine_arn(), format!("{machine}/Batches"));
    // A child described: its input, and its output or failure.
    let ok = l.client.describe_execution().execution_arn(child.execution_arn()).send().await.unwrap();
    assert_eq!((ok.status(), ok.input(), ok.output()), (&ExecutionStatus::Succeeded, Some(r#"{"Items":[5]}"#), Some(r#"{"Items":[5]}"#)));
    assert_eq!((ok.map_run_arn(), ok.state_machine_arn(), ok.name()), (Some(run), format!("{machine}/Batches").as_str(), Some("2")));
    let failed = l.client.describe_execution().execution_arn(listed.executions()[1].execution_arn()).send().await.unwrap();
    assert_eq!(
        (failed.status(), failed.input(), failed.error(), failed.output()),
        (&ExecutionStatus::Failed, Some(r#"{"Items":[3,4]}"#), Some("Odd"), None)
    );
    let e =
        l.client.describe_execution().execution_arn(format!("{}:9", run.replacen(":mapRun:", ":execution:", 1))).send().await.unwrap_err();
    assert_eq!(code(&e), "ExecutionDoesNotExist");
    // A child's own history, from its ExecutionStarted to its end, its
    // ids its own.
    let h = l.client.get_execution_history().execution_arn(listed.executions()[1].execution_arn()).send().await.unwrap();
    let seen: Vec<(i64, i64, &str)> = h.events().iter().map(|e| (e.id(), e.previous_event_id(), e.r#type().as_str())).collect();
    assert_eq!(
        seen,
        [
            (1, 0, "ExecutionStarted"),
            (2, 0, "ChoiceStateEntered"),
            (3, 2, "ChoiceStateExited"),
            (4, 3, "FailStateEntered"),
            (5, 4, "ExecutionFailed")
        ]
    );
    let input = h.events()[0].execution_started_event_details().and_then(|d| d.input());
    assert_eq!(input, Some(r#"{"Items":[3,4]}"#));
    assert_eq!(h.events()[4].execution_failed_event_details().and_then(|d| d.error()), Some("Odd"));
    let h = l.client.get_execution_history().execution_arn(child.execution_arn()).reverse_order(true).max_results(1).send().await.unwrap();
    let output = h.events()[0].execution_succeeded_event_details().and_then(|d| d.output());
    assert_eq!(output, Some(r#"{"Items":[5]}"#));
    assert!(h.next_token().is_some());
    // The machine a child runs: the Map's ItemProcessor, with the run and the label.
    let m = l.client.describe_state_machine_for_execution().execution_arn(child.execution_arn()).send().await.unwrap();
    assert_eq!((m.state_machine_arn(), m.name()), (format!("{machine}/Batches").as_str(), "Batched/Batches"));
    assert_eq!((m.map_run_arn(), m.label()), (Some(run), Some("Batches")));
    let processor: serde_json::Value = serde_json::from_str(m.definition()).unwrap();
    assert_eq!(processor["StartAt"], "Odd?");
    let parent = l.client.describe_state_machine_for_execution().execution_arn(s.execution_arn()).send().await.unwrap();
    assert_eq!((parent.state_machine_arn(), parent.map_run_arn()), (machine.as_str(), None));
    // Filtered by status, and paged.
    let failed = l.client.list_executions().map_run_arn(run).status_filter(ExecutionStatus::Failed).send().await.unwrap();
    assert_eq!(failed.executions().iter().map(|e| e.name()).collect::<Vec<_>>(), ["1"]);
    let first = l.client.list_executions().map_run_arn(run).max_results(2).send().await.unwrap();
    assert_eq!(first.executions().len(), 2);
    let rest = l.client.list_executions().map_run_arn(run).next_token(first.next_token().unwrap()).send().await.unwrap();
    assert_eq!((rest.executions().len(), rest.executions()[0].name(), rest.next_token()), (1, "0", None));

    // An ended run cannot be updated; unknown and malformed ARNs.
    let e = l.client.update_map_run().map_run_arn(run).max_concurrency(5).send().await.unwrap_err();
    assert_eq!(code(&e), "ValidationException");
    let missing = format!("{}:00000000-0000-0000-0000-000000000000", run.rsplit_once(':').unwrap().0);
    let e = l.client.describe_map_run().map_run_arn(&missing).send().await.unwrap_err();
    assert_eq!(code(&e), "ResourceNotFound");
    let e = l.client.describe_map_run().map_run_arn("arn:aws:states:us-east-1:123456789012:mapRun:Batched").send().await.unwrap_err();
    assert_eq!(code(&e), "InvalidArn");
    let e = l.client.list_map_runs().execution_arn(format!("{}-nope", s.execution_arn())).send().await.unwrap_err();
    assert_eq!(code(&e), "ExecutionDoesNotExist");
}

/// Children that wait for an activity worker: a running run counts them
/// as they go, UpdateMapRun widens it for the items not yet started, and
/// StopExecution ends it ABORTED with the children still running.
#[tokio::test]
async fn a_running_map_run_is_updated_and_aborted_with_its_execution() {
    let l = local(Config { activity_poll: Duration::from_millis(200), ..fast() });
    let activity = l.client.create_activity().name("work").send().await.unwrap().activity_arn().to_string();
    let definition = format!(
        r#"{{"StartAt": "Each", "States": {{"Each": {{"Type": "Map", "MaxConcurrency": 1,
          "ItemProcessor": {{"ProcessorConfig": {{"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}},
            "StartAt": "Work", "States": {{"Work": {{"Type": "Task", "Resource": "{activity}", "End": true}}}}}},
          "End": true}}}}}}"#
    );
    let machine = create(&l.client, "Waiting", &definition).await;
    let s = l.client.start_execution().state_machine_arn(&machine).input("[1, 2, 3, 4, 5, 6]").send().await.unwrap();
    let run = map_run_of(&l.client, s.execution_arn()).await;
    let counts = |m: &aws_sdk_sfn::operation::describe_map_run::DescribeMapRunOutput| {
        let c = m.execution_counts().unwrap();
        (c.pending(), c.running(), c.succeeded(), c.aborted())
    };
    let m = running_at_least(&l.client, &run, 1).await;
    assert_eq!((m.status(), m.max_concurrency(), counts(&m)), (&MapRunStatus::Running, 1, (5, 1, 0, 0)));
    // A running child's history so far.
    let child = l.client.list_executions().map_run_arn(&run).send().await.unwrap().executions()[0].execution_arn().to_string();
    let h = l.client.get_execution_history().execution_arn(&child).send().await.unwrap();
    let seen: Vec<&str> = h.events().iter().map(|e| e.r#type().as_str()).collect();
    assert_eq!(seen, ["ExecutionStarted", "TaskStateEntered", "ActivityScheduled"]);

    l.client.update_map_run().map_run_arn(&run).max_concurrency(3).tolerated_failure_percentage(50.0).send().await.unwrap();
    let m = l.client.describe_map_run().map_run_arn(&run).send().await.unwrap();
    assert_eq!((m.max_concurrency(), m.tolerated_failure_percentage()), (3, 50.0));
    // One child ends: three start in its place, MaxConcurrency as updated.
    let task = l.client.get_activity_task().activity_arn(&activity).send().await.unwrap();
    l.client.send_task_success().task_token(task.task_token().unwrap()).output("{}").send().await.unwrap();
    let m = running_at_least(&l.client, &run, 3).await;
    assert_eq!(counts(&m), (2, 3, 1, 0));
    let e = l.client.update_map_run().map_run_arn(&run).send().await.unwrap_err();
    assert_eq!(code(&e), "ValidationException");

    l.client.stop_execution().execution_arn(s.execution_arn()).send().await.unwrap();
    let m = l.client.describe_map_run().map_run_arn(&run).send().await.unwrap();
    assert_eq!((m.status(), counts(&m)), (&MapRunStatus::Aborted, (2, 0, 1, 3)));
    assert!(m.stop_date().is_some());
    let aborted = l.client.list_executions().map_run_arn(&run).status_filter(ExecutionStatus::Aborted).send().await.unwrap();
    assert_eq!(aborted.executions().len(), 3);
}

/// A failed Map Run is redriven with its execution, as AWS redrives it:
/// under its ARN (MapRunRedriven, its redrive count and date), the child
/// that succeeded kept, the one that failed redriven from the state that
/// failed (its history going on), the one never started run.
#[tokio::test]
async fn a_failed_map_run_is_redriven_with_its_execution() {
    let l = local(Config { activity_poll: Duration::from_millis(200), ..fast() });
    let activity = l.client.create_activity().name("redriven").send().await.unwrap().activity_arn().to_string();
    let definition = format!(
        r#"{{"StartAt": "Each", "States": {{"Each": {{"Type": "Map", "Label": "Work", "MaxConcurrency": 1,
          "ItemProcessor": {{"ProcessorConfig": {{"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}},
            "StartAt": "First", "States": {{"First": {{"Type": "Pass", "Next": "Work"}},
              "Work": {{"Type": "Task", "Resource": "{activity}", "End": true}}}}}},
          "End": true}}}}}}"#
    );
    let machine = create(&l.client, "Redriven", &definition).await;
    let s = l.client.start_execution().state_machine_arn(&machine).input("[0, 1, 2]").send().await.unwrap();
    // The worker answers the next task, which must be item `n`'s.
    let answer = |n: u32, succeeds: bool| {
        let (client, activity) = (l.client.clone(), activity.clone());
        async move {
            for _ in 0..100 {
                let task = client.get_activity_task().activity_arn(&activity).send().await.unwrap();
                let Some(token) = task.task_token() else { continue };
                assert_eq!(task.input(), Some(n.to_string().as_str()), "the task answered");
                match succeeds {
                    true => client.send_task_success().task_token(token).output(format!(r#"{{"done": {n}}}"#)).send().await.unwrap(),
                    false => return client.send_task_failure().task_token(token).error("Broken").send().await.map(|_| ()).unwrap(),
                };
                return;
            }
            panic!("no task for item {n}");
        }
    };
    answer(0, true).await;
    answer(1, false).await;
    assert_eq!(finished(&l.client, s.execution_arn()).await.status(), &ExecutionStatus::Failed);
    let run = map_run_of(&l.client, s.execution_arn()).await;
    let m = l.client.describe_map_run().map_run_arn(&run).send().await.unwrap();
    let c = m.execution_counts().unwrap();
    assert_eq!((m.status(), m.redrive_count(), c.succeeded(), c.failed(), c.pending()), (&MapRunStatus::Failed, Some(0), 1, 1, 1));

    l.client.redrive_execution().execution_arn(s.execution_arn()).send().await.unwrap();
    answer(1, true).await;
    answer(2, true).await;
    let d = finished(&l.client, s.execution_arn()).await;
    assert_eq!(d.status(), &ExecutionStatus::Succeeded, "{:?}", d.cause());
    assert_eq!(d.output(), Some(r#"[{"done":0},{"done":1},{"done":2}]"#));
    let runs = l.client.list_map_runs().execution_arn(s.execution_arn()).send().await.unwrap();
    assert_eq!(runs.map_runs().iter().map(|r| r.map_run_arn()).collect::<Vec<_>>(), [run.as_str()]);
    let m = l.client.describe_map_run().map_run_arn(&run).send().await.unwrap();
    let c = m.execution_counts().unwrap();
    assert_eq!((m.status(), m.redrive_count(), m.redrive_date().is_some()), (&MapRunStatus::Succeeded, Some(1), true));
    assert_eq!((c.total(), c.succeeded(), c.failed(), c.pending(), c.pending_redrive()), (3, 3, 0, 0, Some(0)));
    let h = l.client.get_execution_history().execution_arn(s.execution_arn()).send().await.unwrap();
    let redriven: Vec<_> = h.events().iter().filter_map(|e| e.map_run_redriven_event_details()).collect();
    assert_eq!((redriven.len(), redriven[0].map_run_arn(), redriven[0].redrive_count()), (1, Some(run.as_str()), Some(1)));
    assert_eq!(h.events().iter().filter(|e| e.map_run_started_event_details().is_some()).count(), 1);
    let children = l.client.list_executions().map_run_arn(&run).send().await.unwrap();
    let seen: Vec<(&str, &str)> = children.executions().iter().map(|e| (e.name(), e.status().as_str())).collect();
    assert_eq!(seen, [("2", "SUCCEEDED"), ("1", "SUCCEEDED"), ("0", "SUCCEEDED")]);
    let redriven = l.client.list_executions().map_run_arn(&run).redrive_filter(aws_sdk_sfn::types::ExecutionRedriveFilter::Redriven);
    let redriven = redriven.send().await.unwrap();
    let listed: Vec<_> = redriven.executions().iter().map(|e| (e.name(), e.redrive_count())).collect();
    assert_eq!(listed, [("1", Some(1))]);
    // The child that failed went on from its Task: its first state ran once.
    let child = &children.executions()[1];
    let h = l.client.get_execution_history().execution_arn(child.execution_arn()).send().await.unwrap();
    let seen: Vec<(i64, &str)> = h.events().iter().map(|e| (e.id(), e.r#type().as_str())).collect();
    let types: Vec<&str> = seen.iter().map(|(_, t)| *t).collect();
    assert_eq!(types.iter().filter(|t| **t == "PassStateEntered").count(), 1, "{types:?}");
    assert_eq!(types.iter().filter(|t| **t == "TaskStateEntered").count(), 2, "{types:?}");
    let redriven = types.iter().position(|t| *t == "ExecutionRedriven").expect("an ExecutionRedriven event");
    assert_eq!(types[redriven - 1], "ExecutionFailed");
    assert_eq!(types.last(), Some(&"ExecutionSucceeded"));
    assert!(seen.iter().enumerate().all(|(i, (id, _))| *id == i as i64 + 1), "ids in order: {seen:?}");
    let details = h.events()[redriven].execution_redriven_event_details().map(|d| d.redrive_count());
    assert_eq!(details, Some(Some(1)));
    let d = l.client.describe_execution().execution_arn(child.execution_arn()).send().await.unwrap();
    assert_eq!((d.status(), d.redrive_count(), d.redrive_date().is_some()), (&ExecutionStatus::Succeeded, Some(1), true));
}

/// A distributed Map inside a distributed Map's child: its run is the
/// child's (ListMapRuns of the child), described, and its children listed.
#[tokio::test]
async fn a_nested_map_run_belongs_to_the_child_that_started_it() {
    let l = local(fast());
    let definition = r#"{"StartAt": "Outer", "States": {"Outer": {"Type": "Map", "Label": "Outer", "End": true,
      "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "Inner", "States": {
        "Inner": {"Type": "Map", "Label": "Inner", "End": true,
          "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}}}}}"#;
    let machine = create(&l.client, "Nested", definition).await;
    let s = l.client.start_execution().state_machine_arn(&machine).input("[[1, 2], [3]]").send().await.unwrap();
    let d = finished(&l.client, s.execution_arn()).await;
    assert_eq!((d.status(), d.output()), (&ExecutionStatus::Succeeded, Some("[[1,2],[3]]")), "{:?}", d.cause());
    let runs = l.client.list_map_runs().execution_arn(s.execution_arn()).send().await.unwrap();
    assert_eq!(runs.map_runs().len(), 1, "the parent lists its own run only");
    let outer = runs.map_runs()[0].map_run_arn();
    let children = l.client.list_executions().map_run_arn(outer).send().await.unwrap();
    let first = children.executions().iter().find(|c| c.name() == "0").unwrap().execution_arn();
    let inner = l.client.list_map_runs().execution_arn(first).send().await.unwrap();
    assert_eq!(inner.map_runs().len(), 1);
    let (inner_run, listed_by) = (inner.map_runs()[0].map_run_arn(), inner.map_runs()[0].execution_arn());
    assert_eq!(listed_by, first);
    let m = l.client.describe_map_run().map_run_arn(inner_run).send().await.unwrap();
    let c = m.execution_counts().unwrap();
    assert_eq!((m.execution_arn(), m.status(), c.total(), c.succeeded()), (first, &MapRunStatus::Succeeded, 2, 2));
    let grandchildren = l.client.list_executions().map_run_arn(inner_run).send().await.unwrap();
    assert_eq!(grandchildren.executions().len(), 2);
    let g = l.client.describe_execution().execution_arn(grandchildren.executions()[0].execution_arn()).send().await.unwrap();
    assert_eq!((g.status(), g.output()), (&ExecutionStatus::Succeeded, Some("2")));
    // The child's history names its run.
    let h = l.client.get_execution_history().execution_arn(first).send().await.unwrap();
    let started = h.events().iter().find_map(|e| e.map_run_started_event_details()).and_then(|d| d.map_run_arn());
    assert_eq!(started, Some(inner_run));
    let e = l.client.list_map_runs().execution_arn(format!("{first}9")).send().await.unwrap_err();
    assert_eq!(code(&e), "ExecutionDoesNotExist");
}

/// EXPRESS children have no history, as on AWS; their run and outcome are
/// still there.
#[tokio::test]
async fn an_express_child_has_no_history() {
    let l = local(fast());
    let definition = r#"{"StartAt": "Each", "States": {"Each": {"Type": "Map", "End": true,
      "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
        "StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": true}}}}}}"#;
    let machine = create(&l.client, "Express", definition).await;
    let s = l.client.start_execution().state_machine_arn(&machine).input("[1]").send().await.unwrap();
    assert_eq!(finished(&l.client, s.execution_arn()).await.status(), &ExecutionStatus::Succeeded);
    let run = map_run_of(&l.client, s.execution_arn()).await;
    let child = l.client.list_executions().map_run_arn(&run).send().await.unwrap().executions()[0].execution_arn().to_string();
    let d = l.client.describe_execution().execution_arn(&child).send().await.unwrap();
    assert_eq!((d.status(), d.output()), (&ExecutionStatus::Succeeded, Some("1")));
    let e = l.client.get_execution_history().execution_arn(&child).send().await.unwrap_err();
    assert_eq!(code(&e), "InvalidArn");
}
