//! The compile pipeline: parse, imports, lowering, validation of the ASL,
//! and rendering of every diagnostic. Whatever compiles must validate, and
//! draw (SVG layout included) and give a policy without a panic.
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
        if let Ok(def) = sfc_asl::Definition::from_value(asl) {
            let _ = sfc_compiler::graph::render(&def.machine, sfc_compiler::graph::Format::Svg);
            let _ = sfc_asl::policy::of(&def.machine, &Default::default()).document();
        }
    }
});
