//! Validate, then run what the validator accepts (tasks fail as
//! unavailable): every accepted definition must reach an outcome, and its
//! report page be built from the history.
#![no_main]
use libfuzzer_sys::fuzz_target;
use serde_json::json;
use sfc_runtime::integration::Unavailable;
use sfc_runtime::{run, RunOptions};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if !sfc_compiler::validate::validate_source(text, &Default::default()).is_valid() {
        return;
    }
    let Ok(machine) = serde_json::from_str(text) else { return };
    let out = run(&machine, json!({"a": 1, "x": [1, 2]}), &Unavailable, &RunOptions::default());
    assert!(!out.history.is_empty());
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
    };
    assert!(sfc_report::page(&page).ends_with("</html>\n"));
});
