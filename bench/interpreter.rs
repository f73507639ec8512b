//! Interpreter throughput: `cargo bench --bench interpreter`.
//!
//! Workloads: a 10-state Pass chain (the cost of a whole small run), a
//! MathAdd + Choice loop of 10,000 turns, a Map over 10,000 items, and a
//! task retried 50 times with back-off (virtual time).

use serde_json::{json, Value};
use sfc_compiler::asl::StateMachine;
use sfc_runtime::context::ExecutionInfo;
use sfc_runtime::integration::{Scripted, Unavailable};
use sfc_runtime::{run, Failure, RunOptions, Status};

fn main() {
    divan::main();
}

fn machine(v: Value) -> StateMachine {
    serde_json::from_value(v).expect("benchmark machine loads")
}

/// EXPRESS: the long workloads pass AWS's 25,000-event limit for STANDARD.
fn express() -> RunOptions {
    RunOptions { info: ExecutionInfo { express: true, ..ExecutionInfo::default() }, ..RunOptions::default() }
}

pub fn pass_chain() -> StateMachine {
    let mut states = serde_json::Map::new();
    for i in 0..10 {
        let next = if i == 9 { json!({"Type": "Pass", "Result": {"step": i}, "ResultPath": "$.last", "End": true}) } else { json!({"Type": "Pass", "Result": {"step": i}, "ResultPath": "$.last", "Next": format!("S{}", i + 1)}) };
        states.insert(format!("S{i}"), next);
    }
    machine(json!({"StartAt": "S0", "States": states}))
}

pub fn counting_loop() -> StateMachine {
    machine(json!({
        "StartAt": "Add",
        "States": {
            "Add": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)", "n.$": "$.n"}, "Next": "Loop"},
            "Loop": {"Type": "Choice", "Choices": [{"Variable": "$.i", "NumericLessThanPath": "$.n", "Next": "Add"}], "Default": "Done"},
            "Done": {"Type": "Succeed"}
        }
    }))
}

pub fn big_map() -> StateMachine {
    machine(json!({
        "StartAt": "Each",
        "States": {"Each": {
            "Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 0,
            "ItemSelector": {"value.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index"},
            "ItemProcessor": {"StartAt": "Double", "States": {"Double": {"Type": "Pass", "Parameters": {"v.$": "States.MathAdd($.value, $.value)"}, "End": true}}},
            "End": true
        }}
    }))
}

pub fn retried_task() -> StateMachine {
    machine(json!({
        "StartAt": "Flaky",
        "States": {"Flaky": {
            "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"], "IntervalSeconds": 2, "MaxAttempts": 50, "BackoffRate": 1.5, "MaxDelaySeconds": 300, "JitterStrategy": "FULL"}],
            "End": true
        }}
    }))
}

#[divan::bench]
fn pass_chain_10_states(bencher: divan::Bencher) {
    let m = pass_chain();
    bencher.bench(|| {
        let out = run(&m, json!({"x": 1}), &Unavailable, &RunOptions::default());
        assert_eq!(out.status, Status::Succeeded);
    });
}

#[divan::bench]
fn math_add_choice_loop_10k(bencher: divan::Bencher) {
    let m = counting_loop();
    let opts = express();
    bencher.bench(|| {
        let out = run(&m, json!({"i": 0, "n": 10_000}), &Unavailable, &opts);
        assert_eq!(out.output.unwrap()["i"], 10_000);
    });
}

#[divan::bench]
fn map_over_10k_items(bencher: divan::Bencher) {
    let m = big_map();
    let items: Vec<u64> = (0..10_000).collect();
    let input = json!({"items": items});
    let opts = express();
    bencher.bench(|| {
        let out = run(&m, input.clone(), &Unavailable, &opts);
        assert_eq!(out.status, Status::Succeeded);
    });
}

#[divan::bench]
fn task_retried_50_times(bencher: divan::Bencher) {
    let m = retried_task();
    bencher.with_inputs(|| {
        let mut s = Scripted::new();
        for _ in 0..50 {
            s = s.then("Flaky", Err(Failure::new("Lambda.TooManyRequestsException", "Rate exceeded")));
        }
        s.then("Flaky", Ok(json!({"StatusCode": 200})))
    })
    .bench_refs(|script| {
        let out = run(&m, json!({}), script, &RunOptions::default());
        assert_eq!(out.status, Status::Succeeded);
    });
}
