//! Property tests: the compiler never panics on random input or on random
//! mutations of the shipped workflows, and whatever it accepts is ASL the
//! validator accepts.

use proptest::prelude::*;
use std::path::Path;

fn workflows() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../workflows");
    let mut v: Vec<_> = std::fs::read_dir(root).unwrap().map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap()).collect();
    v.sort();
    v
}

fn compile_and_check(src: &str) {
    let out = sfc_compiler::lang::compile(src, Path::new("."), &Default::default());
    if let Some(asl) = out.asl {
        let text = serde_json::to_string(&asl).unwrap();
        let report = sfc_compiler::validate::validate_source(&text, &Default::default());
        assert!(report.is_valid(), "accepted program gave invalid ASL: {:?}\n{src}", report.diagnostics);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Random text never panics the compiler.
    #[test]
    fn random_text_never_panics(src in "\\PC{0,200}") {
        compile_and_check(&src);
    }

    /// Deleting, duplicating or replacing a slice of a shipped workflow never
    /// panics, and an accepted mutation still gives valid ASL.
    #[test]
    fn mutated_workflows_never_panic(which in 0usize..4, at in 0usize..4000, len in 0usize..40, op in 0u8..3, insert in "[ -~]{0,12}") {
        let wf = &workflows()[which];
        let chars: Vec<char> = wf.chars().collect();
        let start = at % chars.len().max(1);
        let end = (start + len).min(chars.len());
        let mut out: String = chars[..start].iter().collect();
        match op {
            0 => {}
            1 => out.extend(&chars[start..end]),
            _ => out.push_str(&insert),
        }
        if op != 1 {
            out.extend(&chars[end..]);
        } else {
            out.extend(&chars[start..]);
        }
        compile_and_check(&out);
    }
}

/// Pieces of ASL: glued at random they make near-valid definitions.
const ASL_TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"StartAt\"",
    "\"States\"",
    "\"A\"",
    "\"Type\"",
    "\"Pass\"",
    "\"Map\"",
    "\"Choice\"",
    "\"Next\"",
    "\"End\"",
    "true",
    "\"Parameters\"",
    "\"x.$\"",
    "\"States.Format('{}', $.a)\"",
    "\"$.a[0]\"",
    "\"{% $x %}\"",
    "\"QueryLanguage\"",
    "\"JSONata\"",
    "\"Choices\"",
    "\"Variable\"",
    "\"ItemProcessor\"",
    "1e999",
    "-0",
    "null",
    "\"\\u0000\"",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Near-valid ASL text never panics the validator.
    #[test]
    fn validate_answers_every_text(parts in proptest::collection::vec(proptest::sample::select(ASL_TOKENS), 0..60)) {
        let text = parts.concat();
        let _ = sfc_compiler::validate::validate_source(&text, &Default::default());
    }
}
