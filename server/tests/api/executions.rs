//! Executions: start, poll, history, list, stop, StartSyncExecution, mocks.

use crate::*;

#[tokio::test]
async fn a_standard_execution_runs_and_records_its_history() {
    let l = local(fast());
    let machine = create(&l.client, "Chain", PASS_CHAIN).await;
    let start = l.client.start_execution().state_machine_arn(&machine).name("first").input(r#"{"x": 41}"#).send().await.unwrap();
    assert_eq!(start.execution_arn(), "arn:aws:states:us-east-1:123456789012:execution:Chain:first");
    let d = finished(&l.client, start.execution_arn()).await;
    assert_eq!(d.status().as_str(), "SUCCEEDED");
    let output: serde_json::Value = serde_json::from_str(d.output().unwrap()).unwrap();
    assert_eq!(output, serde_json::json!({"sum": 42}));
    assert!(d.stop_date().is_some());
    assert_eq!(
        event_types(&l.client, start.execution_arn()).await,
        ["ExecutionStarted", "PassStateEntered", "PassStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]
    );
    // Newest first, two to a page, without the execution's data.
    let h = l
        .client
        .get_execution_history()
        .execution_arn(start.execution_arn())
        .reverse_order(true)
        .max_results(2)
        .include_execution_data(false)
        .send()
        .await
        .unwrap();
    assert_eq!(h.events().iter().map(|e| e.id()).collect::<Vec<_>>(), [6, 5]);
    assert!(h.next_token().is_some());
    let exited = &h.events()[1];
    assert_eq!(exited.state_exited_event_details().map(|d| d.name()), Some("B"));
    assert_eq!(exited.state_exited_event_details().and_then(|d| d.output()), None);

    // The machine as the execution ran it, after it changed.
    let other = r#"{"StartAt": "S", "States": {"S": {"Type": "Succeed"}}}"#;
    l.client.update_state_machine().state_machine_arn(&machine).definition(other).send().await.unwrap();
    let ran = l.client.describe_state_machine_for_execution().execution_arn(start.execution_arn()).send().await.unwrap();
    assert_eq!((ran.state_machine_arn(), ran.definition(), ran.role_arn()), (machine.as_str(), PASS_CHAIN, ROLE));

    let e = l.client.start_execution().state_machine_arn(&machine).name("first").input("{}").send().await.unwrap_err();
    assert_eq!(code(&e), "ExecutionAlreadyExists");
    let e = l.client.start_execution().state_machine_arn(&machine).input("{not json").send().await.unwrap_err();
    assert_eq!(code(&e), "InvalidExecutionInput");
    let e = l.client.start_execution().state_machine_arn(&machine).name("has space").send().await.unwrap_err();
    assert_eq!(code(&e), "InvalidName");
    let e =
        l.client.describe_execution().execution_arn(format!("{machine}:x").replace("stateMachine", "execution")).send().await.unwrap_err();
    assert_eq!(code(&e), "ExecutionDoesNotExist");
}

#[tokio::test]
async fn list_executions_filters_by_status_and_pages() {
    let l = local(fast());
    let machine = create(&l.client, "Chain", PASS_CHAIN).await;
    let waits = create(&l.client, "Waits", r#"{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}}"#).await;
    let mut arns = Vec::new();
    for i in 0..5 {
        let s = l.client.start_execution().state_machine_arn(&machine).name(format!("e{i}")).input(r#"{"x": 1}"#).send().await.unwrap();
        arns.push(s.execution_arn().to_string());
    }
    for a in &arns {
        finished(&l.client, a).await;
    }
    let list =
        l.client.list_executions().state_machine_arn(&machine).status_filter("SUCCEEDED".into()).max_results(3).send().await.unwrap();
    assert_eq!(list.executions().len(), 3);
    assert_eq!(list.executions()[0].name(), "e4", "newest first");
    let rest =
        l.client.list_executions().state_machine_arn(&machine).set_next_token(list.next_token().map(str::to_string)).send().await.unwrap();
    assert_eq!(rest.executions().len(), 2);
    assert!(rest.next_token().is_none());
    // A page goes on from the last execution the one before listed, however
    // many started meanwhile.
    let names = |page: &aws_sdk_sfn::operation::list_executions::ListExecutionsOutput| {
        page.executions().iter().map(|e| e.name().to_string()).collect::<Vec<_>>()
    };
    let first = l.client.list_executions().state_machine_arn(&machine).max_results(2).send().await.unwrap();
    assert_eq!(names(&first), ["e4", "e3"]);
    for i in 5..8 {
        l.client.start_execution().state_machine_arn(&machine).name(format!("e{i}")).send().await.unwrap();
    }
    let token = first.next_token().map(str::to_string);
    let second = l.client.list_executions().state_machine_arn(&machine).max_results(2).set_next_token(token).send().await.unwrap();
    assert_eq!(names(&second), ["e2", "e1"]);
    let token = second.next_token().map(str::to_string);
    let last = l.client.list_executions().state_machine_arn(&machine).max_results(2).set_next_token(token).send().await.unwrap();
    assert_eq!((names(&last), last.next_token()), (vec!["e0".to_string()], None));
    let running = l.client.list_executions().state_machine_arn(&machine).status_filter("RUNNING".into()).send().await.unwrap();
    assert!(running.executions().is_empty());
    let none = l.client.list_executions().state_machine_arn(&waits).send().await.unwrap();
    assert!(none.executions().is_empty());
}

#[tokio::test]
async fn stop_execution_aborts_a_running_one() {
    // Real time: the hour-long wait really waits, until stopped.
    let l = local(Config::default());
    let machine = create(&l.client, "Waits", r#"{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}}"#).await;
    let s = l.client.start_execution().state_machine_arn(&machine).send().await.unwrap();
    let d = l.client.describe_execution().execution_arn(s.execution_arn()).send().await.unwrap();
    assert_eq!(d.status().as_str(), "RUNNING");
    let running = l.client.list_executions().state_machine_arn(&machine).status_filter("RUNNING".into()).send().await.unwrap();
    assert_eq!(running.executions().len(), 1);
    l.client.stop_execution().execution_arn(s.execution_arn()).error("Manual").cause("stopped by the test").send().await.unwrap();
    let d = l.client.describe_execution().execution_arn(s.execution_arn()).send().await.unwrap();
    assert_eq!((d.status().as_str(), d.error(), d.cause()), ("ABORTED", Some("Manual"), Some("stopped by the test")));
    let types = event_types(&l.client, s.execution_arn()).await;
    assert_eq!(types.last().map(String::as_str), Some("ExecutionAborted"));
    let h = l.client.get_execution_history().execution_arn(s.execution_arn()).reverse_order(true).max_results(1).send().await.unwrap();
    assert_eq!(h.events()[0].execution_aborted_event_details().and_then(|d| d.error()), Some("Manual"));
}

#[tokio::test]
async fn start_sync_execution_runs_express_machines() {
    let l = local(fast());
    let arn = l
        .client
        .create_state_machine()
        .name("Express")
        .definition(PASS_CHAIN)
        .role_arn(ROLE)
        .r#type(aws_sdk_sfn::types::StateMachineType::Express)
        .send()
        .await
        .unwrap()
        .state_machine_arn()
        .to_string();
    let out = l.client.start_sync_execution().state_machine_arn(&arn).name("now").input(r#"{"x": 1}"#).send().await.unwrap();
    assert_eq!(out.status().as_str(), "SUCCEEDED");
    let output: serde_json::Value = serde_json::from_str(out.output().unwrap()).unwrap();
    assert_eq!(output, serde_json::json!({"sum": 2}));
    assert!(out.execution_arn().starts_with("arn:aws:states:us-east-1:123456789012:express:Express:now:"));
    let standard = create(&l.client, "Standard", PASS_CHAIN).await;
    let e = l.client.start_sync_execution().state_machine_arn(&standard).send().await.unwrap_err();
    assert_eq!(code(&e), "StateMachineTypeNotSupported");
}

/// An EXPRESS execution that loops through states taking no time never
/// waits, yet the server goes on answering: the interpreter lets other
/// tasks run every few thousand events (the loop itself times out after
/// an EXPRESS execution's five minutes).
#[tokio::test]
async fn an_endless_express_loop_does_not_stop_the_server() {
    let l = local(fast());
    let endless = r#"{"StartAt": "A", "States": {
      "A": {"Type": "Pass", "Next": "B"},
      "B": {"Type": "Choice", "Choices": [{"Variable": "$.never", "IsPresent": true, "Next": "E"}], "Default": "A"},
      "E": {"Type": "Succeed"}}}"#;
    let express = |name: &'static str, definition: &'static str| {
        l.client
            .create_state_machine()
            .name(name)
            .definition(definition)
            .role_arn(ROLE)
            .r#type(aws_sdk_sfn::types::StateMachineType::Express)
            .send()
    };
    let looping = express("Endless", endless).await.unwrap().state_machine_arn().to_string();
    let chain = express("Chain", PASS_CHAIN).await.unwrap().state_machine_arn().to_string();
    let started = l.client.start_execution().state_machine_arn(&looping).send().await.unwrap();
    let out = l.client.start_sync_execution().state_machine_arn(&chain).input(r#"{"x": 1}"#).send().await.unwrap();
    assert_eq!(out.status().as_str(), "SUCCEEDED");
    let d = l.client.describe_execution().execution_arn(started.execution_arn()).send().await.unwrap();
    assert_eq!(d.status().as_str(), "RUNNING");
    // Its history is kept at its ends: the first 20,000 events and the
    // last 5,000, however long it runs (it held every event: gigabytes in
    // five minutes).
    let newest = || async {
        let h = l.client.get_execution_history().execution_arn(started.execution_arn()).reverse_order(true).max_results(1);
        h.send().await.unwrap().events()[0].id()
    };
    for _ in 0..6000 {
        if newest().await > 40_000 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(newest().await > 40_000, "the loop recorded 40,000 events within a minute");
    // Newest first, page by page, while it runs: each page goes on from
    // the last event the one before gave, however many came meanwhile.
    let newest_first = |token: Option<String>| {
        let h = l.client.get_execution_history().execution_arn(started.execution_arn()).reverse_order(true).max_results(100);
        h.set_next_token(token).send()
    };
    let first = newest_first(None).await.unwrap();
    let first_ids: Vec<i64> = first.events().iter().map(|e| e.id()).collect();
    for _ in 0..6000 {
        if newest().await > first_ids[0] + 1000 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let second = newest_first(first.next_token().map(str::to_string)).await.unwrap();
    let second_ids: Vec<i64> = second.events().iter().map(|e| e.id()).collect();
    // The next older event kept: the one just before, or, once the last
    // 5,000 have moved past it, the newest of the first 20,000.
    let next_older = second_ids.first().copied();
    assert!(next_older == Some(first_ids[99] - 1) || next_older == Some(20_000), "{first_ids:?} then {second_ids:?}");
    assert!(second_ids.windows(2).all(|w| w[1] == w[0] - 1));
    l.client.stop_execution().execution_arn(started.execution_arn()).send().await.unwrap();
    let mut ids = Vec::new();
    let mut token = None;
    for _ in 0..100 {
        let page = l.client.get_execution_history().execution_arn(started.execution_arn()).max_results(1000).set_next_token(token);
        let page = page.send().await.unwrap();
        ids.extend(page.events().iter().map(|e| (e.id(), e.r#type().as_str().to_string())));
        token = page.next_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    assert_eq!(ids.len(), 25_000);
    assert!(ids[..20_000].iter().map(|(id, _)| *id).eq(1..=20_000));
    let (last, kind) = ids.last().unwrap().clone();
    assert_eq!(kind, "ExecutionAborted");
    assert!(last > 40_000);
    assert!(ids[20_000..].iter().map(|(id, _)| *id).eq(last - 4_999..=last));
}

fn mocked_config() -> Config {
    let mocks = serde_json::json!({
        "StateMachines": {"Tasks": {"TestCases": {
            "Happy": {"Call": "Ok"},
            "Broken": {"Call": "Boom"}}}},
        "MockedResponses": {
            "Ok": {"0": {"Return": {"Payload": {"answer": 42}}}},
            "Boom": {"0": {"Throw": {"Error": "Lambda.ServiceException", "Cause": "down"}}}}});
    Config { mocks: Some(sfc_runtime::mock::MockConfig::parse(&mocks).unwrap()), ..fast() }
}

const TASKS: &str = r#"{"StartAt": "Call", "States": {
  "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"}, "OutputPath": "$.Payload", "End": true}}}"#;

#[tokio::test]
async fn mock_test_cases_are_chosen_with_a_hash() {
    let l = local(mocked_config());
    let machine = create(&l.client, "Tasks", TASKS).await;
    let happy = l.client.start_execution().state_machine_arn(format!("{machine}#Happy")).send().await.unwrap();
    let d = finished(&l.client, happy.execution_arn()).await;
    assert_eq!((d.status().as_str(), d.output()), ("SUCCEEDED", Some(r#"{"answer":42}"#)));
    let broken = l.client.start_execution().state_machine_arn(format!("{machine}#Broken")).send().await.unwrap();
    let d = finished(&l.client, broken.execution_arn()).await;
    assert_eq!((d.status().as_str(), d.error(), d.cause()), ("FAILED", Some("Lambda.ServiceException"), Some("down")));
    assert!(event_types(&l.client, broken.execution_arn()).await.contains(&"TaskFailed".to_string()));
    let e = l.client.start_execution().state_machine_arn(format!("{machine}#Nope")).send().await.unwrap_err();
    assert_eq!(code(&e), "ValidationException");
    // Without a case, the task has nothing to answer it.
    let plain = l.client.start_execution().state_machine_arn(&machine).send().await.unwrap();
    let d = finished(&l.client, plain.execution_arn()).await;
    assert_eq!((d.status().as_str(), d.error()), ("FAILED", Some("States.Runtime")));
}

/// Memory stays bounded: past `keep_executions` finished executions, the
/// oldest go (down to nine tenths of the bound), the newest stay.
#[tokio::test]
async fn old_executions_are_forgotten() {
    let l = local(Config { keep_executions: 10, ..fast() });
    let machine = create(&l.client, "Chain", PASS_CHAIN).await;
    for i in 0..25 {
        let s = l.client.start_execution().state_machine_arn(&machine).name(format!("e{i:02}")).input(r#"{"x": 1}"#).send().await.unwrap();
        finished(&l.client, s.execution_arn()).await;
    }
    let listed = l.client.list_executions().state_machine_arn(&machine).send().await.unwrap();
    let names: Vec<&str> = listed.executions().iter().map(|e| e.name()).collect();
    assert!((9..=10).contains(&names.len()), "{names:?}");
    assert_eq!(names[0], "e24", "the newest stays");
    let e = l
        .client
        .describe_execution()
        .execution_arn(format!("{}:e00", machine.replace("stateMachine", "execution")))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ExecutionDoesNotExist");
}
