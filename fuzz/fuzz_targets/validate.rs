//! The validator on any text, and the rendering of what it reports
//! (minified one-line JSON once crashed the renderer).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let report = sfc_compiler::validate::validate_source(text, &Default::default());
    let _ = sfc_compiler::diag::render(&report.diagnostics, "fuzz.asl.json", text);
});
