//! Property tests: for random Retry and Catch lists and random sequences of
//! task failures and successes, the interpreter agrees with a small
//! reference model written from the ASL specification on the number of
//! attempts, the (virtual) delay before each retry, which catcher handles
//! the error, and the final status, output or error; and it never panics.

use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use serde_json::{json, Value};
use sfc_asl::StateMachine;
use sfc_runtime::integration::Scripted;
use sfc_runtime::{run, Failure, RunOptions, Status};

const ERRORS: &[&str] = &["E1", "E2", "States.Timeout", "Custom.Error"];

#[derive(Debug, Clone)]
struct Retrier {
    errors: Vec<String>,
    interval: u64,
    attempts: u64,
    backoff: f64,
    max_delay: Option<u64>,
    full_jitter: bool,
}

#[derive(Debug, Clone)]
struct Catcher {
    errors: Vec<String>,
}

/// ErrorEquals lists: named errors, or `States.TaskFailed`; `States.ALL`
/// alone may close the list (the validator requires it last).
fn error_list() -> impl Strategy<Value = Vec<String>> {
    prop_oneof![
        proptest::sample::subsequence(ERRORS.to_vec(), 1..=2).prop_map(|v| v.into_iter().map(String::from).collect()),
        Just(vec!["States.TaskFailed".to_string()]),
    ]
}

fn retrier() -> impl Strategy<Value = Retrier> {
    (error_list(), 1u64..5, 0u64..4, prop_oneof![Just(1.0), Just(1.5), Just(2.0), Just(3.0)], proptest::option::of(1u64..20), any::<bool>())
        .prop_map(|(errors, interval, attempts, backoff, max_delay, full_jitter)| Retrier {
            errors,
            interval,
            attempts,
            backoff,
            max_delay,
            full_jitter,
        })
}

fn with_all_last<T: Clone>(mut v: Vec<T>, all: bool, make: impl Fn(Vec<String>) -> T) -> Vec<T> {
    if all {
        v.push(make(vec!["States.ALL".to_string()]));
    }
    v
}

fn plan() -> impl Strategy<Value = (Vec<Retrier>, Vec<Catcher>, Vec<Option<&'static str>>)> {
    (
        proptest::collection::vec(retrier(), 0..3),
        any::<bool>(),
        proptest::collection::vec(error_list().prop_map(|errors| Catcher { errors }), 0..3),
        any::<bool>(),
        proptest::collection::vec(prop_oneof![3 => proptest::sample::select(ERRORS.to_vec()).prop_map(Some), 1 => Just(None)], 1..8),
    )
        .prop_map(|(rs, r_all, cs, c_all, outcomes)| {
            let rs = with_all_last(rs, r_all, |errors| Retrier {
                errors,
                interval: 1,
                attempts: 2,
                backoff: 2.0,
                max_delay: None,
                full_jitter: false,
            });
            let cs = with_all_last(cs, c_all, |errors| Catcher { errors });
            (rs, cs, outcomes)
        })
}

fn machine(retriers: &[Retrier], catchers: &[Catcher]) -> StateMachine {
    let retry: Vec<Value> = retriers
        .iter()
        .map(|r| {
            let mut v =
                json!({"ErrorEquals": r.errors, "IntervalSeconds": r.interval, "MaxAttempts": r.attempts, "BackoffRate": r.backoff});
            if let Some(m) = r.max_delay {
                v["MaxDelaySeconds"] = m.into();
            }
            if r.full_jitter {
                v["JitterStrategy"] = "FULL".into();
            }
            v
        })
        .collect();
    let catch: Vec<Value> = catchers
        .iter()
        .enumerate()
        .map(|(i, c)| json!({"ErrorEquals": c.errors, "Next": format!("Caught{i}"), "ResultPath": "$.error"}))
        .collect();
    let mut states = json!({"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Retry": retry, "Catch": catch, "ResultPath": "$.result", "End": true}});
    for i in 0..catchers.len() {
        states[format!("Caught{i}")] = json!({"Type": "Pass", "Result": i, "ResultPath": "$.caughtBy", "End": true});
    }
    serde_json::from_value(json!({"StartAt": "T", "States": states})).unwrap()
}

/// The reference model: what the specification says happens.
struct Expected {
    attempts: usize,
    /// Base delay before each retry (jitter may shorten it).
    delays: Vec<(f64, bool)>,
    caught_by: Option<usize>,
    error: Option<String>,
    succeeded: bool,
}

fn spec_matches(names: &[String], error: &str) -> bool {
    names.iter().any(|n| n == error || n == "States.ALL" || (n == "States.TaskFailed" && error != "States.Timeout"))
}

fn model(retriers: &[Retrier], catchers: &[Catcher], outcomes: &[Option<&str>]) -> Expected {
    let mut used = vec![0u64; retriers.len()];
    let mut delays = Vec::new();
    for (i, outcome) in outcomes.iter().enumerate() {
        let Some(error) = outcome else {
            return Expected { attempts: i + 1, delays, caught_by: None, error: None, succeeded: true };
        };
        let retrier = retriers.iter().position(|r| spec_matches(&r.errors, error));
        if let Some(k) = retrier.filter(|k| used[*k] < retriers[*k].attempts) {
            let r = &retriers[k];
            let mut d = r.interval as f64 * r.backoff.powi(used[k] as i32);
            if let Some(m) = r.max_delay {
                d = d.min(m as f64);
            }
            delays.push((d, r.full_jitter));
            used[k] += 1;
            continue;
        }
        let caught_by = catchers.iter().position(|c| spec_matches(&c.errors, error));
        return Expected { attempts: i + 1, delays, caught_by, error: Some(error.to_string()), succeeded: caught_by.is_some() };
    }
    // The script ran out: the test double fails the next call with States.Runtime.
    Expected { attempts: outcomes.len() + 1, delays, caught_by: None, error: Some("States.Runtime".into()), succeeded: false }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Attempts, delays, the handling catcher and the final result follow the specification.
    #[test]
    fn retries_and_catches_follow_the_specification((retriers, catchers, outcomes) in plan(), seed in any::<u64>()) {
        let mut script = Scripted::new();
        for o in &outcomes {
            script = script.then("T", match o {
                Some(e) => Err(Failure::new(*e, "boom")),
                None => Ok(json!({"ok": true})),
            });
        }
        let start = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let opts = RunOptions { seed, start_time: Some(start), ..RunOptions::default() };
        let outcome = run(&machine(&retriers, &catchers), json!({"in": 1}), &script, &opts);
        let want = model(&retriers, &catchers, &outcomes);

        let scheduled: Vec<_> = outcome.history.iter().filter(|e| e.kind == "TaskScheduled").map(|e| e.timestamp).collect();
        let ended: Vec<_> = outcome.history.iter().filter(|e| e.kind == "TaskFailed" || e.kind == "TaskSucceeded").map(|e| e.timestamp).collect();
        prop_assert_eq!(scheduled.len(), want.attempts, "attempts");
        for (n, (base, jitter)) in want.delays.iter().enumerate() {
            let waited = (scheduled[n + 1] - ended[n]).num_milliseconds() as f64 / 1000.0;
            if *jitter {
                prop_assert!(waited >= 0.0 && waited <= base + 0.002, "jittered delay {} outside [0, {}]", waited, base);
            } else {
                prop_assert!((waited - base).abs() <= 0.002, "delay {} != {}", waited, base);
            }
        }
        prop_assert_eq!(outcome.status == Status::Succeeded, want.succeeded);
        match (want.succeeded, want.caught_by) {
            (true, None) => prop_assert_eq!(&outcome.output.as_ref().unwrap()["result"], &json!({"ok": true})),
            (true, Some(c)) => {
                let out = outcome.output.as_ref().unwrap();
                prop_assert_eq!(&out["caughtBy"], &json!(c));
                prop_assert_eq!(&out["error"]["Error"], &json!(want.error.clone().unwrap()));
                prop_assert_eq!(&out["in"], &json!(1));
            }
            (false, _) => prop_assert_eq!(outcome.error.clone(), want.error.clone()),
        }
    }

    /// Whatever the definition's numbers, running never panics.
    #[test]
    fn extreme_retry_settings_never_panic(interval in 1u64..99_999_999, attempts in 0u64..99_999_999, backoff in 1.0f64..1e6, max_delay in proptest::option::of(1u64..31_622_400)) {
        let r = Retrier { errors: vec!["States.ALL".into()], interval, attempts: attempts.min(3), backoff, max_delay, full_jitter: true };
        let script = Scripted::new().then("T", Err(Failure::bare("E1"))).then("T", Err(Failure::bare("E1"))).then("T", Ok(json!(1)));
        let _ = run(&machine(&[r], &[]), json!({}), &script, &RunOptions::default());
    }
}
