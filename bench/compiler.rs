//! Compiler speed: `cargo bench --bench compiler` compiles a generated
//! workflow of about 10,000 lines (target: under 50 ms), and draws a
//! machine of 10,000 states (target: `sfc graph` under 0.5 s).

use std::path::Path;

// The allocator the `sfc` binary uses, so the numbers are the CLI's.
#[global_allocator]
static ALLOC: sfc_runtime::alloc_budget::Budgeted<mimalloc::MiMalloc> = sfc_runtime::alloc_budget::Budgeted(mimalloc::MiMalloc);

fn main() {
    divan::main();
}

/// Tasks with retries, conditions and loops, repeated to ~10,000 lines.
fn generated() -> String {
    let mut src = String::from("workflow \"Generated\" timeout 12h\nparam env = \"dev\"\n");
    let mut i = 0;
    while src.lines().count() < 10_000 {
        src.push_str(&format!(
            "task Step{i} = batch.submitJob.sync {{\n  JobName: \"step-{i}\",\n  JobQueue: \"queue-${{env}}\",\n  JobDefinition: \"def-{i}\",\n  Parameters: {{ run: $.runId, part: \"{i}\" }}\n}}\n  select {{ JobId: $.JobId }}\n  into $.step{i}\n  retry Batch.AWSBatchException (interval 10s, attempts 3, backoff 2)\nif $.step{i}.JobId is present and $.count > {i} as Check{i} {{\n  pass Mark{i} result {{ ok: true }} into $.mark{i}\n}} else {{\n  wait Pause{i} for 5s\n}}\n"
        ));
        i += 1;
    }
    src
}

#[divan::bench]
fn compile_10k_line_workflow(bencher: divan::Bencher) {
    let src = generated();
    bencher.bench(|| {
        let out = sfc_compiler::lang::compile(&src, Path::new("."), &Default::default());
        assert!(out.asl.is_some(), "{:?}", out.diagnostics.first());
    });
}

#[divan::bench]
fn parse_10k_line_workflow(bencher: divan::Bencher) {
    let src = generated();
    bencher.bench(|| sfc_compiler::lang::parse(&src).expect("parses"));
}

#[divan::bench]
fn validate_compiled_10k_line_workflow(bencher: divan::Bencher) {
    let asl = sfc_compiler::lang::compile(&generated(), Path::new("."), &Default::default()).asl.expect("compiles");
    bencher.bench(|| sfc_compiler::validate::validate_value(&asl, &Default::default()));
}

/// 10,000 states: runs of Task (with Retry and Catch), Choice and Pass, a
/// Parallel of two branches every hundred states, and one Fail.
fn ten_thousand_states() -> sfc_asl::StateMachine {
    let mut states = serde_json::Map::new();
    let name = |i: usize| format!("S{i}");
    let mut i = 0;
    while states.len() < 9_999 {
        let next = name(i + 1);
        let state = match i % 100 {
            99 => serde_json::json!({"Type": "Parallel", "Next": next, "Branches": [
                {"StartAt": format!("B{i}a"), "States": {format!("B{i}a"): {"Type": "Pass", "End": true}}},
                {"StartAt": format!("B{i}b"), "States": {format!("B{i}b"): {"Type": "Pass", "End": true}}}]}),
            n if n % 3 == 0 => serde_json::json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": next,
                "Retry": [{"ErrorEquals": ["States.Timeout"]}], "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}]}),
            n if n % 3 == 1 => serde_json::json!({"Type": "Choice", "Default": next,
                "Choices": [{"Variable": format!("$.v{i}"), "NumericGreaterThan": i, "Next": next}]}),
            _ => serde_json::json!({"Type": "Pass", "Next": next}),
        };
        states.insert(name(i), state);
        i += 1;
    }
    states.insert(name(i), serde_json::json!({"Type": "Succeed"}));
    states.insert("Failed".into(), serde_json::json!({"Type": "Fail"}));
    serde_json::from_value(serde_json::json!({"StartAt": "S0", "States": states})).expect("a machine")
}

#[divan::bench(args = [sfc_compiler::graph::Format::Mermaid, sfc_compiler::graph::Format::Dot, sfc_compiler::graph::Format::Svg])]
fn graph_10k_states(bencher: divan::Bencher, format: sfc_compiler::graph::Format) {
    let machine = ten_thousand_states();
    assert!(machine.all_states().len() >= 10_000);
    bencher.bench(|| sfc_compiler::graph::render(&machine, format));
}

/// With coverage marks: every other state taken.
#[divan::bench]
fn graph_10k_states_with_coverage(bencher: divan::Bencher) {
    let machine = ten_thousand_states();
    let taken: std::collections::HashSet<_> = sfc_asl::parts::parts(&machine).into_iter().step_by(2).collect();
    bencher.bench(|| sfc_compiler::graph::render_covered(&machine, sfc_compiler::graph::Format::Mermaid, Some(&taken)));
}
