//! AWS's limits: 25,000 history events for STANDARD executions (none for
//! EXPRESS), 256 KiB per state output.

use serde_json::json;
use sfc_asl::StateMachine;
use sfc_runtime::context::ExecutionInfo;
use sfc_runtime::integration::Unavailable;
use sfc_runtime::{run, RunOptions, Status};

/// Counts up to `$.n` with a MathAdd + Choice loop (4 events per turn).
fn loop_machine() -> StateMachine {
    serde_json::from_value(json!({
        "StartAt": "Add",
        "States": {
            "Add": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)", "n.$": "$.n"}, "Next": "Loop"},
            "Loop": {"Type": "Choice", "Choices": [{"Variable": "$.i", "NumericLessThanPath": "$.n", "Next": "Add"}], "Default": "Done"},
            "Done": {"Type": "Succeed"}
        }
    }))
    .unwrap()
}

#[test]
fn standard_executions_fail_past_25000_events() {
    let out = run(&loop_machine(), json!({"i": 0, "n": 10_000}), &Unavailable, &RunOptions::default());
    assert_eq!(out.status, Status::Failed);
    assert_eq!(out.error.as_deref(), Some("States.Runtime"));
    assert!(out.cause.unwrap().contains("maximum number of history events (25000)"));
    assert_eq!(out.history.len(), 25_000);
}

#[test]
fn express_executions_have_no_event_limit() {
    let opts = RunOptions { info: ExecutionInfo { express: true, ..ExecutionInfo::default() }, ..RunOptions::default() };
    let out = run(&loop_machine(), json!({"i": 0, "n": 10_000}), &Unavailable, &opts);
    assert_eq!(out.status, Status::Succeeded);
    assert_eq!(out.output.unwrap()["i"], 10_000);
}

#[test]
fn outputs_over_256_kib_fail_with_data_limit_exceeded() {
    let m: StateMachine = serde_json::from_value(json!({
        "StartAt": "Big", "States": {"Big": {"Type": "Pass", "Parameters": {"s.$": "$.s", "t.$": "$.s"}, "End": true}}
    }))
    .unwrap();
    let s = "x".repeat(140 * 1024);
    let out = run(&m, json!({"s": s}), &Unavailable, &RunOptions::default());
    assert_eq!(out.error.as_deref(), Some("States.DataLimitExceeded"));
    assert_eq!(
        out.cause.as_deref(),
        Some("The state/task 'Big' returned a result with a size exceeding the maximum number of bytes service limit.")
    );
}

/// A task whose result is over 256 KiB fails with States.DataLimitExceeded
/// as a task failure (LambdaFunctionFailed / TaskFailed), which States.ALL
/// catches — unlike a state output over the limit, which is terminal.
#[test]
fn a_task_result_over_the_limit_is_a_catchable_task_failure() {
    use sfc_runtime::integration::Scripted;
    let big = serde_json::Value::String("x".repeat(300 * 1024));
    let m: sfc_asl::StateMachine = serde_json::from_value(serde_json::json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handled"}], "End": true},
        "Handled": {"Type": "Pass", "End": true}}})).unwrap();
    let scripted = Scripted::new().then("T", Ok(big));
    let out = sfc_runtime::run(&m, serde_json::json!({}), &scripted, &sfc_runtime::RunOptions::default());
    assert_eq!(out.status, sfc_runtime::Status::Succeeded, "{:?}", out.cause);
    assert_eq!(out.output.unwrap()["Error"], "States.DataLimitExceeded");
    assert!(out.history.iter().any(|e| e.kind == "TaskFailed"));
}
