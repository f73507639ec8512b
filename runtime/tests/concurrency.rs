//! Parallel branches and Map iterations run at once, in virtual time:
//! waits overlap, MaxConcurrency limits how many run together, output
//! order is AWS's (branch order, item order).

use chrono::{TimeZone, Utc};
use serde_json::json;
use sfc_asl::StateMachine;
use sfc_runtime::integration::Unavailable;
use sfc_runtime::{run, RunOptions, Status};

fn opts() -> RunOptions {
    RunOptions { start_time: Some(Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()), ..RunOptions::default() }
}

fn seconds(out: &sfc_runtime::Outcome) -> i64 {
    (out.ended - out.started).num_seconds()
}

#[test]
fn parallel_branches_wait_at_the_same_time() {
    let m: StateMachine = serde_json::from_value(json!({
        "StartAt": "P",
        "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
            {"StartAt": "A", "States": {"A": {"Type": "Wait", "Seconds": 20, "Next": "A2"}, "A2": {"Type": "Pass", "Result": "a", "End": true}}},
            {"StartAt": "B", "States": {"B": {"Type": "Wait", "Seconds": 10, "Next": "B2"}, "B2": {"Type": "Pass", "Result": "b", "End": true}}}
        ]}}
    }))
    .unwrap();
    let out = run(&m, json!({}), &Unavailable, &opts());
    assert_eq!(out.status, Status::Succeeded);
    assert_eq!(out.output.clone().unwrap(), json!(["a", "b"]), "branch order, not finishing order");
    assert_eq!(seconds(&out), 20, "the branches overlap");
}

#[test]
fn max_concurrency_bounds_overlapping_iterations() {
    let machine = |max: u64| -> StateMachine {
        serde_json::from_value(json!({
            "StartAt": "M",
            "States": {"M": {"Type": "Map", "MaxConcurrency": max, "End": true,
                "ItemProcessor": {"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$", "End": true}}}}}
        }))
        .unwrap()
    };
    let items = json!([10, 10, 10, 10]);
    assert_eq!(seconds(&run(&machine(0), items.clone(), &Unavailable, &opts())), 10, "unbounded: all at once");
    assert_eq!(seconds(&run(&machine(2), items.clone(), &Unavailable, &opts())), 20, "two at a time");
    let one = run(&machine(1), items.clone(), &Unavailable, &opts());
    assert_eq!(seconds(&one), 40, "one at a time");
    assert_eq!(one.output.unwrap(), items);
}

#[test]
fn a_task_timeout_fires_in_virtual_time() {
    struct Slow;
    impl sfc_runtime::integration::Integration for Slow {
        fn invoke<'a>(&'a self, _: sfc_runtime::integration::TaskRequest<'a>) -> sfc_runtime::integration::TaskFuture<'a> {
            Box::pin(std::future::pending())
        }
    }
    let m: StateMachine = serde_json::from_value(json!({
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": 30,
            "Catch": [{"ErrorEquals": ["States.Timeout"], "Next": "Late"}], "End": true},
            "Late": {"Type": "Pass", "End": true}}
    }))
    .unwrap();
    let out = run(&m, json!({}), &Slow, &opts());
    assert_eq!(out.status, Status::Succeeded);
    assert_eq!(out.output.clone().unwrap()["Error"], "States.Timeout");
    assert_eq!(seconds(&out), 30);
    assert!(out.history.iter().any(|e| e.kind == "TaskTimedOut"));
}

/// AWS records a missed heartbeat as `States.Timeout` (TaskTimedOut and
/// ExecutionFailed both say so: see the conformance case
/// test_heartbeats.test_heartbeat_no_timeout), while a catcher naming
/// `States.HeartbeatTimeout` still catches it.
#[test]
fn a_callback_without_heartbeats_times_out_and_heartbeat_catchers_match() {
    struct Never;
    impl sfc_runtime::integration::Integration for Never {
        fn invoke<'a>(&'a self, req: sfc_runtime::integration::TaskRequest<'a>) -> sfc_runtime::integration::TaskFuture<'a> {
            // The token a callback would be sent with is in the context.
            let token = req.context.value()["Task"]["Token"].as_str().map(str::len);
            assert_eq!(token, Some(36), "a UUID task token");
            Box::pin(std::future::pending())
        }
    }
    let m: StateMachine = serde_json::from_value(json!({
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"MessageBody": {"token.$": "$$.Task.Token"}}, "TimeoutSeconds": 600, "HeartbeatSeconds": 60, "End": true}}
    }))
    .unwrap();
    let out = run(&m, json!({}), &Never, &opts());
    assert_eq!(out.error.as_deref(), Some("States.Timeout"));
    assert_eq!(seconds(&out), 60);
    assert!(out.history.iter().any(|e| e.kind == "TaskTimedOut"));

    let caught: StateMachine = serde_json::from_value(json!({
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"MessageBody": {"token.$": "$$.Task.Token"}}, "HeartbeatSeconds": 60,
            "Catch": [{"ErrorEquals": ["States.HeartbeatTimeout"], "Next": "Dead worker"}], "End": true},
            "Dead worker": {"Type": "Pass", "End": true}}
    }))
    .unwrap();
    let out = run(&caught, json!({}), &Never, &opts());
    assert_eq!(out.status, Status::Succeeded);
    assert_eq!(out.output.unwrap()["Error"], "States.Timeout");

    // A plain TimeoutSeconds expiry is not a heartbeat timeout.
    let plain: StateMachine = serde_json::from_value(json!({
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"MessageBody": {"token.$": "$$.Task.Token"}}, "TimeoutSeconds": 30, "HeartbeatSeconds": 60,
            "Catch": [{"ErrorEquals": ["States.HeartbeatTimeout"], "Next": "Dead worker"}], "End": true},
            "Dead worker": {"Type": "Pass", "End": true}}
    }))
    .unwrap();
    let out = run(&plain, json!({}), &Never, &opts());
    assert_eq!(out.status, Status::Failed);
    assert_eq!(seconds(&out), 30);
}

#[test]
fn the_machine_timeout_ends_the_execution_as_timed_out() {
    let m: StateMachine = serde_json::from_value(json!({
        "TimeoutSeconds": 5,
        "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 60, "End": true}}
    }))
    .unwrap();
    let out = run(&m, json!({}), &Unavailable, &opts());
    assert_eq!(out.status, Status::TimedOut);
    assert_eq!(seconds(&out), 5);
    assert_eq!(out.history.last().unwrap().kind, "ExecutionTimedOut");
}

#[test]
fn real_time_really_waits() {
    let m: StateMachine = serde_json::from_value(json!({
        "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "End": true}}
    }))
    .unwrap();
    let t0 = std::time::Instant::now();
    let out = run(&m, json!({}), &Unavailable, &RunOptions { real_time: true, ..RunOptions::default() });
    assert_eq!(out.status, Status::Succeeded);
    assert!(t0.elapsed() >= std::time::Duration::from_millis(990));
}
