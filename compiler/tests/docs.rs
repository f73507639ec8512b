//! Every ```sfc example in docs/language.md compiles, so the reference
//! cannot fall out of date.

#[test]
fn every_example_in_the_language_reference_compiles() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/language.md");
    let doc = std::fs::read_to_string(&path).unwrap();
    let mut examples = Vec::new();
    let mut current: Option<String> = None;
    for line in doc.lines() {
        match (&mut current, line.trim_end()) {
            (None, "```sfc") => current = Some(String::new()),
            (Some(_), "```") => examples.push(current.take().unwrap()),
            (Some(buf), l) => {
                buf.push_str(l);
                buf.push('\n');
            }
            _ => {}
        }
    }
    assert!(examples.len() >= 15, "found only {} examples", examples.len());
    let mut failures = Vec::new();
    for (i, ex) in examples.iter().enumerate() {
        let out = sfc_compiler::lang::compile(ex, path.parent().unwrap(), &Default::default());
        if out.asl.is_none() {
            failures.push(format!("example {}:\n{ex}\n{}", i + 1, sfc_compiler::diag::render(&out.diagnostics, "example.sfc", ex)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
