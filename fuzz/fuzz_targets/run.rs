//! Validate, then run what the validator accepts (tasks fail as
//! unavailable): every accepted definition must reach an outcome.
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
});
