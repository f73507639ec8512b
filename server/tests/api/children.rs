//! `states:startExecution` tasks on a machine the server holds: the child
//! runs in the server, `.sync:2` waits for it and gives its output as JSON,
//! a plain start answers with its ARN, a failed child fails the task.

use crate::*;

#[tokio::test]
async fn a_child_execution_runs_in_the_server() {
    let l = local(fast());
    let child = create(
        &l.client,
        "Child",
        r#"{"StartAt": "Double", "States": {"Double": {"Type": "Pass",
        "Parameters": {"twice.$": "States.MathAdd($.n, $.n)"}, "End": true}}}"#,
    )
    .await;
    let failing =
        create(&l.client, "Failing", r#"{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Bad", "Cause": "no"}}}"#).await;
    let parent = format!(
        r#"{{"StartAt": "Run", "States": {{
          "Run": {{"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2",
                  "Parameters": {{"StateMachineArn": "{child}", "Input": {{"n.$": "$.n"}}}}, "ResultSelector": {{"out.$": "$.Output"}}, "ResultPath": "$.child", "Next": "Fire"}},
          "Fire": {{"Type": "Task", "Resource": "arn:aws:states:::states:startExecution",
                   "Parameters": {{"StateMachineArn": "{child}", "Input": {{"n": 1}}}}, "ResultSelector": {{"arn.$": "$.ExecutionArn"}}, "ResultPath": "$.fired", "Next": "Fail"}},
          "Fail": {{"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync",
                   "Parameters": {{"StateMachineArn": "{failing}"}}, "Catch": [{{"ErrorEquals": ["States.TaskFailed"], "ResultPath": "$.caught", "Next": "Done"}}], "End": true}},
          "Done": {{"Type": "Succeed"}}}}}}"#
    );
    let parent = create(&l.client, "Parent", &parent).await;
    let s = l.client.start_execution().state_machine_arn(parent).input(r#"{"n": 21}"#).send().await.unwrap();
    let d = finished(&l.client, s.execution_arn()).await;
    assert_eq!(d.status().as_str(), "SUCCEEDED", "{:?}", d.cause());
    let output: serde_json::Value = serde_json::from_str(d.output().unwrap()).unwrap();
    assert_eq!(output["child"]["out"], serde_json::json!({"twice": 42}));
    assert_eq!(output["caught"]["Error"], "States.TaskFailed");
    assert!(output["caught"]["Cause"].as_str().unwrap().contains("\"Status\":\"FAILED\""), "{output}");
    // The fired child is an execution of the server's, listed under its machine.
    let fired = output["fired"]["arn"].as_str().unwrap();
    let child_run = l.client.describe_execution().execution_arn(fired).send().await.unwrap();
    assert_eq!(child_run.state_machine_arn(), child);
    let listed = l.client.list_executions().state_machine_arn(&child).send().await.unwrap();
    assert_eq!(listed.executions().len(), 2);
}
