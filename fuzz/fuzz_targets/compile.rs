//! The compile pipeline: parse, imports, lowering, validation of the ASL,
//! and rendering of every diagnostic. Whatever compiles must validate.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else { return };
    let out = sfc_compiler::lang::compile(src, Path::new("."), &Default::default());
    let _ = sfc_compiler::diag::render(&out.diagnostics, "fuzz.sfc", src);
    if let Some(asl) = out.asl {
        let text = serde_json::to_string(&asl).unwrap();
        let report = sfc_compiler::validate::validate_source(&text, &Default::default());
        assert!(report.is_valid(), "compiled ASL is invalid: {:?}", report.diagnostics);
    }
});
