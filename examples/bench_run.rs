//! Times one workload of `bench/workloads/` in process, for
//! `bench/compare.sh`: `cargo run --release --example bench_run -- NAME RUNS`
//! prints the median run time in milliseconds.
//!
//! `SFC_BENCH_WARM_UP_MS=0` warms up with exactly one run instead of
//! 0.2 s of them, so that two invocations under cachegrind differ by their
//! timed runs alone (instructions per run = the difference / the runs).
//!
//! `bench_run NAME RUNS --input FILE` runs the workload on another input
//! (`payload-chain.one-item.json`: the payload chain with small data).
//!
//! `bench_run NAME RUNS --standard` runs it as a STANDARD execution that
//! keeps its history, as `sfc run` does; without it, as `sfc run --type
//! express`.
//!
//! `bench_run pass-chain RUNS --data-only` times the floor under any
//! interpreter built on serde_json values: the chain's data work alone
//! (copy the input, write each state's Result at its ResultPath, drop the
//! output), written as plainly as serde_json allows, with no interpreter
//! and none of sfc's own code around it.

use serde_json::{json, Value};
use sfc_asl::paths::{parse_definite, Step};
use sfc_asl::State;
use sfc_asl::StateMachine;
use sfc_runtime::context::ExecutionInfo;
use sfc_runtime::integration::{Integration, TaskFuture, TaskRequest, Unavailable};
use sfc_runtime::{run_prepared, Failure, Prepared, RunOptions, Status};
use std::time::Instant;

// The allocator the `sfc` binary uses, so the numbers are the CLI's.
#[global_allocator]
static ALLOC: sfc_runtime::alloc_budget::Budgeted<mimalloc::MiMalloc> = sfc_runtime::alloc_budget::Budgeted(mimalloc::MiMalloc);

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let flags: Vec<&str> = args.iter().skip(3).map(String::as_str).collect();
    let (name, runs, data_only, input_file, standard) = match (args.get(1), args.get(2).and_then(|r| r.parse::<usize>().ok()), &flags[..]) {
        (Some(n), Some(r), []) if r > 0 => (n.clone(), r, false, format!("{n}.input.json"), false),
        (Some(n), Some(r), ["--data-only"]) if r > 0 => (n.clone(), r, true, format!("{n}.input.json"), false),
        (Some(n), Some(r), ["--input", file]) if r > 0 => (n.clone(), r, false, file.to_string(), false),
        (Some(n), Some(r), ["--standard"]) if r > 0 => (n.clone(), r, false, format!("{n}.input.json"), true),
        _ => {
            eprintln!("usage: bench_run NAME RUNS [--data-only | --input FILE | --standard]  (FILE in bench/workloads/)");
            std::process::exit(2);
        }
    };
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/workloads");
    let read = |f: String| std::fs::read_to_string(dir.join(&f)).unwrap_or_else(|e| panic!("{f}: {e}"));
    let machine: StateMachine = serde_json::from_str(&read(format!("{name}.asl.json"))).expect("definition");
    let input: Value = serde_json::from_str(&read(input_file)).expect("input");
    // As `sfc run --type express` runs: no history kept, the machine
    // prepared once for every run. With --standard, as `sfc run` runs a
    // STANDARD execution, its history kept (a workload that an EXPRESS
    // execution's five minutes cannot hold: the retried task's back-off).
    let opts = RunOptions {
        info: ExecutionInfo { express: !standard, ..ExecutionInfo::default() },
        keeping: if standard { sfc_runtime::history::Keeping::All } else { sfc_runtime::history::Keeping::Nothing },
        ..RunOptions::default()
    };
    let writes = if data_only {
        match pass_chain_writes(&machine) {
            Ok(w) => w,
            Err(why) => {
                eprintln!("--data-only: {why}");
                std::process::exit(2);
            }
        }
    } else {
        Vec::new()
    };
    let prepared = Prepared::new(machine);
    let run_once = || {
        if data_only {
            let t0 = Instant::now();
            let mut value = input.clone();
            for (result, keys) in &writes {
                write_at(&mut value, keys, result);
            }
            drop(std::hint::black_box(value));
            return t0.elapsed().as_secs_f64() * 1000.0;
        }
        // Only the retried task calls a backend.
        let flaky = (name == "retried-task").then(|| Flaky { calls: std::cell::Cell::new(0) });
        let t0 = Instant::now();
        let out = match &flaky {
            Some(flaky) => run_prepared(&prepared, input.clone(), flaky, &opts),
            None => run_prepared(&prepared, input.clone(), &Unavailable, &opts),
        };
        let ms = t0.elapsed().as_secs_f64() * 1000.0;
        assert_eq!(out.status, Status::Succeeded, "{name}: {:?} {:?}", out.error, out.cause);
        ms
    };
    // Untimed runs first, as the other tools' harnesses warm up: at least
    // one, and for at least WARM_UP.
    let warm_up =
        std::env::var("SFC_BENCH_WARM_UP_MS").ok().and_then(|ms| ms.parse().ok()).map_or(WARM_UP, std::time::Duration::from_millis);
    let warm_until = Instant::now() + warm_up;
    run_once();
    while Instant::now() < warm_until {
        run_once();
    }
    let mut times: Vec<f64> = (0..runs).map(|_| run_once()).collect();
    // The median by selection, not by a sort: a sort's cost per run grows
    // with the number of runs (n log n), so the difference of two counts
    // in bench/compare.sh kept some of it as instructions per run.
    let mid = times.len() / 2;
    let (_, median, _) = times.select_nth_unstable_by(mid, f64::total_cmp);
    println!("{median:.5}");
}

/// What a chain of Pass states writes, in order: each state's fixed
/// Result and the keys of its ResultPath. Any other state, a Pass state
/// that does more than write a fixed Result, or a ResultPath that is not
/// keys from `$` is refused: the data work alone would then not be the
/// machine's.
fn pass_chain_writes(machine: &StateMachine) -> Result<Vec<(Value, Vec<String>)>, String> {
    let mut writes = Vec::new();
    let mut at = Some(machine.start_at.clone());
    while let Some(name) = at {
        let plain = |p: &sfc_asl::Pass| {
            p.input_path.is_none() && p.parameters.is_none() && p.output_path.is_none() && p.assign.is_none() && p.output.is_none()
        };
        let pass = match machine.states.get(&name) {
            Some(State::Pass(p)) if plain(p) && p.result.is_some() && writes.len() < machine.states.len() => p,
            _ => return Err(format!("state {name} is not a Pass state that only writes a fixed Result (a chain of them is needed)")),
        };
        let steps = match &pass.result_path {
            Some(Some(p)) => parse_definite(p).unwrap_or_default(),
            _ => Vec::new(),
        };
        let keys: Option<Vec<String>> = steps.into_iter().map(|s| if let Step::Key(k) = s { Some(k) } else { None }).collect();
        match keys {
            Some(keys) if !keys.is_empty() => writes.push((pass.result.clone().unwrap_or_default(), keys)),
            _ => return Err(format!("state {name}: its ResultPath is not a path of keys from $")),
        }
        at = pass.next.clone();
    }
    Ok(writes)
}

/// Writes `result` at `keys` in `value` the cheapest way serde_json
/// allows: objects found by comparing keys (no hashing), and a slot that
/// already holds a value of the same shape overwritten in place, keeping
/// its allocations.
fn write_at(value: &mut Value, keys: &[String], result: &Value) {
    let mut at = value;
    for key in keys {
        let Value::Object(m) = at else { panic!("the chain writes into objects") };
        if !m.keys().any(|k| k == key) {
            m.insert(key.clone(), Value::Null);
        }
        at = m.iter_mut().find(|(k, _)| *k == key).map(|(_, v)| v).expect("just found or inserted");
    }
    overwrite(at, result);
}

/// Makes `to` equal to `from`, reusing `to`'s allocations where the two
/// have the same keys.
fn overwrite(to: &mut Value, from: &Value) {
    match (to, from) {
        (Value::Object(t), Value::Object(f)) if t.len() == f.len() && t.keys().eq(f.keys()) => {
            for ((_, t), (_, f)) in t.iter_mut().zip(f) {
                overwrite(t, f);
            }
        }
        (t, f) => *t = f.clone(),
    }
}

/// How long every harness of bench/compare.sh runs a workload untimed first.
const WARM_UP: std::time::Duration = std::time::Duration::from_millis(200);

/// The retried task's backend, as the other tools' harnesses script it: a
/// call counter that throttles the first 50 calls.
struct Flaky {
    calls: std::cell::Cell<u32>,
}

impl Integration for Flaky {
    fn invoke<'a>(&'a self, _request: TaskRequest<'a>) -> TaskFuture<'a> {
        self.calls.set(self.calls.get() + 1);
        let outcome = if self.calls.get() <= 50 {
            Err(Failure::new("Lambda.TooManyRequestsException", "Rate exceeded"))
        } else {
            Ok(json!({"StatusCode": 200}))
        };
        Box::pin(std::future::ready(outcome))
    }
}
