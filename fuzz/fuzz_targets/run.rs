//! Validate, then run what the validator accepts (tasks fail as
//! unavailable): every accepted definition must reach an outcome, the
//! same when prepared and when run keeping no history (states then run
//! directly), and its report page be built from the history.
#![no_main]
use libfuzzer_sys::fuzz_target;
use serde_json::json;
use sfc_runtime::integration::Unavailable;
use sfc_runtime::{run, run_prepared, Prepared, RunOptions};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if !sfc_compiler::validate::validate_source(text, &Default::default()).is_valid() {
        return;
    }
    let Ok(machine) = serde_json::from_str(text) else { return };
    // One start time for both runs below, so what they read of the clock agrees.
    let start = chrono::DateTime::from_timestamp(1_767_225_600, 0);
    let opts = RunOptions { start_time: start, ..RunOptions::default() };
    let input = json!({"a": 1, "x": [1, 2]});
    let out = run(&machine, input.clone(), &Unavailable, &opts);
    assert!(!out.history.is_empty());
    // A prepared machine (which skips copying the input into the context
    // when it finds no part of the machine can read it) ends the same way.
    let prepared = Prepared::new(machine.clone());
    assert_eq!(run_prepared(&prepared, input.clone(), &Unavailable, &opts).summary(), out.summary());
    // Keeping no history, states that can run directly do: the same end.
    let unobserved = RunOptions { keeping: sfc_runtime::history::Keeping::Nothing, ..opts.clone() };
    assert_eq!(run_prepared(&prepared, input, &Unavailable, &unobserved).summary(), out.summary());
    let history: Vec<serde_json::Value> = out.history.iter().map(|e| e.to_api_json()).collect();
    let page = sfc_report::Run {
        title: "fuzz".into(),
        subtitle: String::new(),
        machine: &machine,
        history: &history,
        status: out.status.as_str().into(),
        error: out.error.clone(),
        cause: out.cause.clone(),
        virtual_time: true,
        links: Vec::new(),
        refresh_seconds: None,
        omitted_events: 0,
        map_runs: None,
    };
    assert!(sfc_report::page(&page).ends_with("</html>\n"));
});
