//! Activities: a worker takes the task with GetActivityTask and answers it.

use crate::*;

#[tokio::test]
async fn a_worker_takes_and_answers_an_activity_task() {
    let l = local(Config { activity_poll: Duration::from_millis(200), ..Config::default() });
    let activity = l.client.create_activity().name("review").send().await.unwrap().activity_arn().to_string();
    assert_eq!(activity, "arn:aws:states:us-east-1:123456789012:activity:review");
    let d = l.client.describe_activity().activity_arn(&activity).send().await.unwrap();
    assert_eq!(d.name(), "review");
    assert_eq!(l.client.list_activities().send().await.unwrap().activities().len(), 1);

    // Nothing scheduled: the long poll ends empty.
    let none = l.client.get_activity_task().activity_arn(&activity).send().await.unwrap();
    assert_eq!(none.task_token(), None);

    let definition =
        format!(r#"{{"StartAt": "Review", "States": {{"Review": {{"Type": "Task", "Resource": "{activity}", "End": true}}}}}}"#);
    let machine = create(&l.client, "Reviewed", &definition).await;
    let s = l.client.start_execution().state_machine_arn(&machine).input(r#"{"doc": 7}"#).send().await.unwrap();
    // Scheduled, and not started until a worker takes it.
    let mut types = Vec::new();
    for _ in 0..100 {
        types = event_types(&l.client, s.execution_arn()).await;
        if types.iter().any(|t| t == "ActivityScheduled") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(types.last().map(String::as_str), Some("ActivityScheduled"), "{types:?}");
    let task = l.client.get_activity_task().activity_arn(&activity).worker_name("w1").send().await.unwrap();
    assert_eq!(task.input(), Some(r#"{"doc":7}"#));
    l.client.send_task_success().task_token(task.task_token().unwrap()).output(r#"{"ok": 1}"#).send().await.unwrap();
    let d = finished(&l.client, s.execution_arn()).await;
    assert_eq!((d.status().as_str(), d.output()), ("SUCCEEDED", Some(r#"{"ok":1}"#)));
    // AWS records the worker that took the task in ActivityStarted.
    let h = l.client.get_execution_history().execution_arn(s.execution_arn()).send().await.unwrap();
    let kinds: Vec<&str> = h.events().iter().map(|e| e.r#type().as_str()).collect();
    let at = kinds.iter().position(|k| *k == "ActivityScheduled").expect("scheduled");
    assert_eq!(kinds[at..at + 3], ["ActivityScheduled", "ActivityStarted", "ActivitySucceeded"], "{kinds:?}");
    let started = h.events()[at + 1].activity_started_event_details().and_then(|d| d.worker_name());
    assert_eq!(started, Some("w1"));

    l.client.delete_activity().activity_arn(&activity).send().await.unwrap();
    let e = l.client.describe_activity().activity_arn(&activity).send().await.unwrap_err();
    assert_eq!(code(&e), "ActivityDoesNotExist");

    // A Task on an activity that no longer exists fails the execution as
    // it is entered, nothing scheduled, as AWS fails it.
    let s = l.client.start_execution().state_machine_arn(&machine).send().await.unwrap();
    let d = finished(&l.client, s.execution_arn()).await;
    assert_eq!((d.status().as_str(), d.error()), ("FAILED", Some("States.Runtime")));
    let cause = format!(
        "An error occurred while executing the state 'Review' (entered at the event id #2). The activity {activity} does not exist."
    );
    assert_eq!(d.cause(), Some(cause.as_str()));
    assert_eq!(event_types(&l.client, s.execution_arn()).await, ["ExecutionStarted", "TaskStateEntered", "ExecutionFailed"]);
}

/// A task whose execution was stopped before a worker took it is handed
/// to no worker.
#[tokio::test]
async fn a_stopped_executions_activity_task_goes_to_no_worker() {
    let l = local(Config { activity_poll: Duration::from_millis(200), ..Config::default() });
    let activity = l.client.create_activity().name("late").send().await.unwrap().activity_arn().to_string();
    let definition = format!(r#"{{"StartAt": "Work", "States": {{"Work": {{"Type": "Task", "Resource": "{activity}", "End": true}}}}}}"#);
    let machine = create(&l.client, "Stopped", &definition).await;
    let s = l.client.start_execution().state_machine_arn(&machine).send().await.unwrap();
    for _ in 0..100 {
        if event_types(&l.client, s.execution_arn()).await.iter().any(|t| t == "ActivityScheduled") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    l.client.stop_execution().execution_arn(s.execution_arn()).send().await.unwrap();
    assert_eq!(finished(&l.client, s.execution_arn()).await.status().as_str(), "ABORTED");
    let task = l.client.get_activity_task().activity_arn(&activity).worker_name("w").send().await.unwrap();
    assert_eq!(task.task_token(), None);
}

/// With every wait instant (`--time-scale 0`, Step Functions Local's
/// WAIT_TIME_SCALE=0) no deadline is applied: a worker can still answer a
/// task with TimeoutSeconds and HeartbeatSeconds (it was timed out at
/// once), and an execution's TimeoutSeconds of an hour does not end a run
/// of two 10 s Waits (it timed out at once).
#[tokio::test]
async fn deadlines_do_not_fire_when_every_wait_is_instant() {
    let l = local(fast());
    let activity = l.client.create_activity().name("slow").send().await.unwrap().activity_arn().to_string();
    let definition = format!(
        r#"{{"TimeoutSeconds": 3600, "StartAt": "W", "States": {{
          "W": {{"Type": "Wait", "Seconds": 10, "Next": "Work"}},
          "Work": {{"Type": "Task", "Resource": "{activity}", "TimeoutSeconds": 60, "HeartbeatSeconds": 10, "Next": "W2"}},
          "W2": {{"Type": "Wait", "Seconds": 10, "End": true}}}}}}"#
    );
    let machine = create(&l.client, "Deadlines", &definition).await;
    let s = l.client.start_execution().state_machine_arn(&machine).send().await.unwrap();
    let task = l.client.get_activity_task().activity_arn(&activity).worker_name("w").send().await.unwrap();
    let token = task.task_token().expect("the worker gets the task");
    tokio::time::sleep(Duration::from_millis(50)).await;
    l.client.send_task_heartbeat().task_token(token).send().await.unwrap();
    l.client.send_task_success().task_token(token).output(r#"{"done": true}"#).send().await.unwrap();
    let d = finished(&l.client, s.execution_arn()).await;
    assert_eq!((d.status().as_str(), d.output()), ("SUCCEEDED", Some(r#"{"done":true}"#)));
}
