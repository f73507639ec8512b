//! Interpreter throughput: `cargo bench --bench interpreter`.
//!
//! Workloads (`bench/workloads/`, shared with `bench/compare.sh`): a
//! 10-state Pass chain (the cost of a whole small run), a MathAdd + Choice
//! loop of 10,000 turns, a Map over 10,000 items, and a task retried 50
//! times with back-off (virtual time); and, sfc only, ten states passing a
//! 20 KB payload on in both query languages, a JSONata Map over 4,000
//! items, a JSONata loop beside a 20 KB variable, ten JSONata states
//! each reshaping a 33 KB document with its Output, and a JSONata loop
//! that appends to a variable.

use serde_json::{json, Value};
use sfc_asl::StateMachine;
use sfc_runtime::context::ExecutionInfo;
use sfc_runtime::integration::{Scripted, Unavailable};
use sfc_runtime::{run, Failure, RunOptions, Status};

// The allocator the `sfc` binary uses, so the numbers are the CLI's.
#[global_allocator]
static ALLOC: sfc_runtime::alloc_budget::Budgeted<mimalloc::MiMalloc> = sfc_runtime::alloc_budget::Budgeted(mimalloc::MiMalloc);

fn main() {
    divan::main();
}

/// A workload from `bench/workloads/`: the definition and its input,
/// shared with `bench/compare.sh`.
fn workload(name: &str) -> (StateMachine, Value) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/workloads");
    let read = |file: String| std::fs::read_to_string(dir.join(&file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    let machine = serde_json::from_str(&read(format!("{name}.asl.json"))).expect("workload definition loads");
    let input = serde_json::from_str(&read(format!("{name}.input.json"))).expect("workload input loads");
    (machine, input)
}

/// EXPRESS: the long workloads pass AWS's 25,000-event limit for STANDARD.
fn express() -> RunOptions {
    RunOptions { info: ExecutionInfo { express: true, ..ExecutionInfo::default() }, ..RunOptions::default() }
}

/// Times runs of workload `name` that call no backend, each required to
/// succeed.
fn bench_workload(bencher: divan::Bencher, name: &str, opts: &RunOptions) {
    let (m, input) = workload(name);
    bencher.bench(|| {
        let out = run(&m, input.clone(), &Unavailable, opts);
        assert_eq!(out.status, Status::Succeeded, "{name}: {:?}", out.cause);
    });
}

#[divan::bench]
fn pass_chain_10_states(bencher: divan::Bencher) {
    bench_workload(bencher, "pass-chain", &RunOptions::default());
}

/// What states cost beyond their own work when the data is not small:
/// a state that passes its input on moves it, and a JSONata state
/// converts its data once for all of its fields.
#[divan::bench]
fn payload_chain_10_states(bencher: divan::Bencher) {
    bench_workload(bencher, "payload-chain", &express());
}

#[divan::bench]
fn math_add_choice_loop_10k(bencher: divan::Bencher) {
    let (m, input) = workload("counting-loop");
    let opts = express();
    bencher.bench(|| {
        let out = run(&m, input.clone(), &Unavailable, &opts);
        assert_eq!(out.output.unwrap()["i"], 10_000);
    });
}

#[divan::bench]
fn map_over_10k_items(bencher: divan::Bencher) {
    bench_workload(bencher, "big-map", &express());
}

#[divan::bench]
fn task_retried_50_times(bencher: divan::Bencher) {
    let (m, input) = workload("retried-task");
    bencher
        .with_inputs(|| {
            let mut s = Scripted::new();
            for _ in 0..50 {
                s = s.then("Flaky", Err(Failure::new("Lambda.TooManyRequestsException", "Rate exceeded")));
            }
            s.then("Flaky", Ok(json!({"StatusCode": 200})))
        })
        .bench_refs(|script| {
            let out = run(&m, input.clone(), script, &RunOptions::default());
            assert_eq!(out.status, Status::Succeeded);
        });
}

/// A JSONata Map over 4,000 items whose ItemSelector reads `$states`:
/// the input is converted for JSONata once, not once per item (this was
/// quadratic: 1.8 s before, 0.06 s after, for a whole `sfc run`).
#[divan::bench]
fn jsonata_map_over_4k_items(bencher: divan::Bencher) {
    bench_workload(bencher, "jsonata-map", &express());
}

/// A JSONata loop of 100 turns beside a 20 KB variable and a 20 KB input
/// that no turn reads: a variable is converted for JSONata when an
/// expression names it, and kept converted until it is assigned again; a
/// state that passes its input on hands its conversion to the next.
#[divan::bench]
fn jsonata_loop_beside_a_big_variable(bencher: divan::Bencher) {
    bench_workload(bencher, "jsonata-variables", &express());
}

/// Ten JSONata states each reshaping a 33 KB document with an Output of
/// one expression: the value the expression made is handed to the next
/// state as its input's conversion, not converted again from JSON (43.6
/// M instructions a run before, 27.8 M after).
#[divan::bench]
fn jsonata_outputs_handed_on(bencher: divan::Bencher) {
    bench_workload(bencher, "jsonata-pipeline", &express());
}

/// A JSONata loop of 100 turns appending ten items to a variable each
/// turn: the value `$append` made is kept as the variable's conversion,
/// not converted again from JSON by the next turn that reads it (438.6 M
/// instructions a run before, 254.7 M after; what is left is mostly
/// writing the growing variable as JSON each turn).
#[divan::bench]
fn jsonata_loop_appending_to_a_variable(bencher: divan::Bencher) {
    bench_workload(bencher, "jsonata-accumulate", &express());
}
