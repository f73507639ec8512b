//! `.waitForTaskToken` tasks without a mock wait for SendTask* calls with
//! their token, which a test reads from the TaskScheduled event as a
//! callback worker would receive it.

use crate::*;

const CALLBACK: &str = r#"{"StartAt": "Wait", "States": {
  "Wait": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
           "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}}, "HeartbeatSeconds": 600, "End": true}}}"#;

/// The task token the execution is waiting with (from its TaskScheduled event).
async fn token(client: &aws_sdk_sfn::Client, arn: &str) -> String {
    for _ in 0..500 {
        let h = client.get_execution_history().execution_arn(arn).send().await.unwrap();
        if let Some(d) = h.events().iter().find_map(|e| e.task_scheduled_event_details()) {
            let p: serde_json::Value = serde_json::from_str(d.parameters()).unwrap();
            return p["MessageBody"]["token"].as_str().unwrap().to_string();
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("no TaskScheduled event");
}

#[tokio::test]
async fn send_task_success_and_failure_answer_a_waiting_task() {
    let l = local(Config::default());
    let machine = create(&l.client, "Callback", CALLBACK).await;
    let s = l.client.start_execution().state_machine_arn(&machine).send().await.unwrap();
    let t = token(&l.client, s.execution_arn()).await;
    l.client.send_task_heartbeat().task_token(&t).send().await.unwrap();
    l.client.send_task_success().task_token(&t).output(r#"{"approved": true}"#).send().await.unwrap();
    let d = finished(&l.client, s.execution_arn()).await;
    assert_eq!((d.status().as_str(), d.output()), ("SUCCEEDED", Some(r#"{"approved":true}"#)));
    // A token that was answered is gone; one never handed out is invalid.
    let e = l.client.send_task_success().task_token(&t).output("{}").send().await.unwrap_err();
    assert_eq!(code(&e), "TaskTimedOut");
    let e = l.client.send_task_success().task_token("nonsense").output("{}").send().await.unwrap_err();
    assert_eq!(code(&e), "InvalidToken");

    let s = l.client.start_execution().state_machine_arn(&machine).send().await.unwrap();
    let t = token(&l.client, s.execution_arn()).await;
    let e = l.client.send_task_success().task_token(&t).output("not json").send().await.unwrap_err();
    assert_eq!(code(&e), "InvalidOutput");
    l.client.send_task_failure().task_token(&t).error("Rejected").cause("no budget").send().await.unwrap();
    let d = finished(&l.client, s.execution_arn()).await;
    assert_eq!((d.status().as_str(), d.error(), d.cause()), ("FAILED", Some("Rejected"), Some("no budget")));
}

#[tokio::test]
async fn a_task_without_heartbeats_times_out() {
    // HeartbeatSeconds 600 at a time scale of 0.0001: 60 ms.
    let l = local(Config { time_scale: 0.0001, ..Config::default() });
    let machine = create(&l.client, "Callback", CALLBACK).await;
    let s = l.client.start_execution().state_machine_arn(&machine).send().await.unwrap();
    let t = token(&l.client, s.execution_arn()).await;
    let d = finished(&l.client, s.execution_arn()).await;
    assert_eq!((d.status().as_str(), d.error()), ("FAILED", Some("States.Timeout")));
    assert!(event_types(&l.client, s.execution_arn()).await.contains(&"TaskTimedOut".to_string()));
    let e = l.client.send_task_heartbeat().task_token(&t).send().await.unwrap_err();
    assert_eq!(code(&e), "TaskTimedOut");
}
