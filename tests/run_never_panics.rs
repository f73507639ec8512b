//! Property smoke of validate and run together: the shipped workflows,
//! compiled, then edited at random (a field of some state set to a value
//! that is often wrong). Whatever the validator accepts must run to an
//! outcome — succeeded, failed or timed out — without a panic or a hang,
//! and end the same way when it keeps no history (states then run
//! directly).
//! The `fuzz/` run target explores this for longer.

use proptest::prelude::*;
use serde_json::{json, Value};
use sfc_runtime::history::Keeping;
use sfc_runtime::integration::Unavailable;
use sfc_runtime::{run, RunOptions};
use std::path::Path;

const KEYS: &[&str] = &[
    "Type",
    "Next",
    "End",
    "Resource",
    "Parameters",
    "ResultPath",
    "InputPath",
    "OutputPath",
    "ResultSelector",
    "ItemsPath",
    "MaxConcurrency",
    "Retry",
    "Catch",
    "Seconds",
    "SecondsPath",
    "TimeoutSeconds",
    "Default",
    "Branches",
    "Arguments",
    "Output",
    "Assign",
    "QueryLanguage",
    "Comment",
];

fn values() -> Vec<Value> {
    vec![
        json!(null),
        json!(0),
        json!(-1),
        json!(1e9),
        json!("$"),
        json!("$.x"),
        json!("$$.Execution.Input"),
        json!("{% $states.input %}"),
        json!("{% $x %}"),
        json!("States.Format('{}', $.a)"),
        json!("Pass"),
        json!("Succeed"),
        json!("Fail"),
        json!([]),
        json!({}),
        json!({"a.$": "$"}),
        json!([{"ErrorEquals": ["States.ALL"], "MaxAttempts": 3}]),
        json!(true),
    ]
}

fn shipped_asl() -> Vec<Value> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("workflows");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files
        .iter()
        .filter_map(|p| {
            let src = std::fs::read_to_string(p).unwrap();
            sfc_compiler::lang::compile(&src, &dir, &Default::default()).asl
        })
        .collect()
}

/// Every object in `v`, as JSON pointers, parents first.
fn objects(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            out.push(at.clone());
            for (k, c) in m {
                objects(c, format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), out);
            }
        }
        Value::Array(a) => a.iter().enumerate().for_each(|(i, c)| objects(c, format!("{at}/{i}"), out)),
        _ => {}
    }
}

fn edited(mut asl: Value, edits: &[(usize, usize, usize)]) -> Value {
    let values = values();
    for &(object, key, value) in edits {
        let mut all = Vec::new();
        objects(&asl, String::new(), &mut all);
        let at = all[object % all.len()].clone();
        if let Some(Value::Object(m)) = asl.pointer_mut(&at) {
            m.insert(KEYS[key % KEYS.len()].to_string(), values[value % values.len()].clone());
        }
    }
    asl
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn accepted_definitions_run_to_an_outcome(
        which in 0usize..64,
        edits in proptest::collection::vec((0usize..4096, 0usize..64, 0usize..64), 1..4),
    ) {
        let asl = shipped_asl();
        let def = edited(asl[which % asl.len()].clone(), &edits);
        let report = sfc_compiler::validate::validate_value(&def, &Default::default());
        if report.iter().all(|d| !d.is_error()) {
            if let Ok(machine) = serde_json::from_value(def) {
                let input = json!({"a": 1, "x": [1, 2]});
                // One start time for both runs, so what they read of the clock agrees.
                let opts = RunOptions { start_time: chrono::DateTime::from_timestamp(1_767_225_600, 0), ..RunOptions::default() };
                let out = run(&machine, input.clone(), &Unavailable, &opts);
                prop_assert!(!out.history.is_empty());
                // Keeping no history, states that can run directly do: the same end.
                let unobserved = run(&machine, input, &Unavailable, &RunOptions { keeping: Keeping::Nothing, ..opts });
                prop_assert_eq!(unobserved.summary(), out.summary());
            }
        }
    }
}
