//! Times one workload of `bench/workloads/` in process, for
//! `bench/compare.sh`: `cargo run --release --example bench_run -- NAME RUNS`
//! prints the median run time in milliseconds.
//!
//! `SFC_BENCH_WARM_UP_MS=0` warms up with exactly one run instead of
//! 0.2 s of them, so that two invocations under cachegrind differ by their
//! timed runs alone (instructions per run = the difference / the runs).

use serde_json::{json, Value};
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
    let (name, runs) = match (args.get(1), args.get(2).and_then(|r| r.parse::<usize>().ok())) {
        (Some(n), Some(r)) if r > 0 => (n.clone(), r),
        _ => {
            eprintln!("usage: bench_run NAME RUNS");
            std::process::exit(2);
        }
    };
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/workloads");
    let read = |f: String| std::fs::read_to_string(dir.join(&f)).unwrap_or_else(|e| panic!("{f}: {e}"));
    let machine: StateMachine = serde_json::from_str(&read(format!("{name}.asl.json"))).expect("definition");
    let input: Value = serde_json::from_str(&read(format!("{name}.input.json"))).expect("input");
    // As `sfc run --type express` runs: no history kept, the machine
    // prepared once for every run.
    let opts = RunOptions {
        info: ExecutionInfo { express: true, ..ExecutionInfo::default() },
        keeping: sfc_runtime::history::Keeping::Nothing,
        ..RunOptions::default()
    };
    let prepared = Prepared::new(machine);
    let run_once = || {
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
    times.sort_by(f64::total_cmp);
    println!("{:.4}", times[times.len() / 2]);
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
