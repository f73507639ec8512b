//! Compiler speed: `cargo bench --bench compiler` compiles a generated
//! workflow of about 10,000 lines (target: under 50 ms).

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
