//! Data-driven compiler tests: `fixtures/compile/x.sfc` next to its golden
//! `x.asl.json`, and `fixtures/errors/x.sfc` next to the exact rendered
//! diagnostics `x.txt`. `SFC_BLESS=1 cargo test` rewrites the golden files
//! when a change is intended; review the diff in the commit.

use std::path::{Path, PathBuf};

fn fixtures(dir: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures").join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sfc"))
        .collect();
    files.sort();
    files
}

fn bless() -> bool {
    std::env::var_os("SFC_BLESS").is_some_and(|v| v == "1")
}

/// Compares `actual` with the golden file, or rewrites it when blessing.
fn check_golden(golden: &Path, actual: &str, failures: &mut Vec<String>) {
    if bless() {
        std::fs::write(golden, actual).unwrap();
        return;
    }
    match std::fs::read_to_string(golden) {
        Ok(expected) if expected == actual => {}
        Ok(expected) => failures.push(format!("{} differs:\n--- expected\n{expected}\n--- actual\n{actual}", golden.display())),
        Err(_) => failures.push(format!("{} is missing; run SFC_BLESS=1 cargo test to create it", golden.display())),
    }
}

/// The compiler's output is ASL the model reads: it loads into
/// `sfc_asl::Definition` and saves back as the same JSON, keys in order.
fn round_trips(name: &str, asl: &serde_json::Value, failures: &mut Vec<String>) {
    match sfc_asl::Definition::from_value(asl.clone()) {
        Ok(def) if def.to_value() == *asl && serde_json::to_string(&def.to_value()).unwrap() == serde_json::to_string(asl).unwrap() => {}
        Ok(def) => {
            failures.push(format!("{name}: the model saves it differently:\n{}", serde_json::to_string_pretty(&def.to_value()).unwrap()))
        }
        Err(e) => failures.push(format!("{name}: the ASL model does not load it: {e}")),
    }
}

fn compile(path: &Path) -> (String, sfc_compiler::lang::Compiled) {
    let src = std::fs::read_to_string(path).unwrap();
    let out = sfc_compiler::lang::compile(&src, path.parent().unwrap(), &Default::default());
    (src, out)
}

#[test]
fn compile_fixtures_match_their_golden_asl() {
    let mut failures = Vec::new();
    for f in fixtures("compile") {
        let (src, out) = compile(&f);
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        let Some(asl) = out.asl else {
            failures.push(format!("{name} does not compile:\n{}", sfc_compiler::diag::render(&out.diagnostics, &name, &src)));
            continue;
        };
        round_trips(&name, &asl, &mut failures);
        let text = serde_json::to_string_pretty(&asl).unwrap() + "\n";
        check_golden(&f.with_extension("asl.json"), &text, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The shipped workflows compile to the golden ASL under fixtures/workflows.
#[test]
fn shipped_workflows_match_their_golden_asl() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../workflows");
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "sfc")).collect();
    files.sort();
    assert_eq!(files.len(), 4, "the four shipped workflows");
    let mut failures = Vec::new();
    for f in files {
        let (src, out) = compile(&f);
        let name = f.file_stem().unwrap().to_string_lossy().to_string();
        let Some(asl) = out.asl else {
            failures.push(format!("{name} does not compile:\n{}", sfc_compiler::diag::render(&out.diagnostics, &name, &src)));
            continue;
        };
        round_trips(&name, &asl, &mut failures);
        let golden = root.join("../fixtures/workflows").join(format!("{name}.asl.json"));
        check_golden(&golden, &(serde_json::to_string_pretty(&asl).unwrap() + "\n"), &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn error_fixtures_render_their_exact_diagnostics() {
    let files = fixtures("errors");
    assert!(files.len() >= 30, "at least 30 distinct mistakes, found {}", files.len());
    let mut failures = Vec::new();
    for f in files {
        let (src, out) = compile(&f);
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        if out.asl.is_some() {
            failures.push(format!("{name} compiled, but it is a mistake"));
            continue;
        }
        let rendered = sfc_compiler::diag::render(&out.diagnostics, &name, &src);
        check_golden(&f.with_extension("txt"), &rendered, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A finding on the compiled ASL that is only a warning still compiles, and
/// points at the workflow source, not at ASL the user never wrote.
#[test]
fn warnings_on_the_compiled_asl_point_at_the_source() {
    let src = "pass Remember assign { limit: 10 }\npass UseIt parameters { max: $limitt }\n";
    let out = sfc_compiler::lang::compile(src, Path::new("."), &Default::default());
    assert!(out.asl.is_some(), "a warning does not stop compilation");
    let w = out.diagnostics.iter().find(|d| d.code == "UNDEFINED_VARIABLE").expect("the undefined variable is reported");
    let span = w.span.clone().expect("located in the source");
    assert_eq!(&src[span], "$limitt");
}

/// A cycle back to the file being compiled is an error naming the cycle
/// (the file's own path comes in `Options::path`).
#[test]
fn an_import_cycle_through_the_compiled_file_is_named() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/errors/fragments/cycle-a.sfc");
    let src = std::fs::read_to_string(&path).unwrap();
    let opts = sfc_compiler::lang::Options { path: Some(path.clone()), ..Default::default() };
    let out = sfc_compiler::lang::compile(&src, path.parent().unwrap(), &opts);
    assert!(out.asl.is_none());
    let messages: Vec<_> = out.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].ends_with("cycle-a.sfc → cycle-b.sfc → cycle-a.sfc"), "{messages:?}");
}

/// An empty workflow compiles, with a warning that says so (it once said nothing).
#[test]
fn an_empty_workflow_is_warned_about() {
    let out = sfc_compiler::lang::compile("// nothing yet\n", Path::new("."), &Default::default());
    assert!(out.asl.is_some());
    assert!(out.diagnostics.iter().any(|d| d.code == "EMPTY_WORKFLOW" && !d.is_error()), "{:?}", out.diagnostics);
}

/// `--set` values take the type of the parameter's default (`abc`, an
/// object and `1e999` for a number once went through as text).
#[test]
fn set_values_take_the_type_of_the_default() {
    let src = "param spot = 0\nparam on = true\nparam name = \"x\"\npass P result { spot: spot, on: on, name: name }\n";
    let compile = |set: &[(&str, &str)]| {
        let set = set.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        sfc_compiler::lang::compile(src, Path::new("."), &sfc_compiler::lang::Options { set, ..Default::default() })
    };
    for (k, v, wanted) in
        [("spot", "abc", "a number"), ("spot", "{\"a\":1}", "a number"), ("spot", "1e999", "a number"), ("on", "yes", "true or false")]
    {
        let out = compile(&[(k, v)]);
        assert!(out.asl.is_none(), "{k}={v}");
        let messages: Vec<&str> = out.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages, [format!("--set {k}={v}: the parameter takes {wanted}")], "{k}={v}");
    }
    let ok = compile(&[("spot", "2"), ("on", "false"), ("name", "{\"a\":1}")]).asl.expect("compiles");
    assert_eq!(ok["States"]["P"]["Result"], serde_json::json!({"spot": 2, "on": false, "name": "{\"a\":1}"}));
}

/// A workflow whose ASL is over AWS's 1 MiB is an error (it was written).
#[test]
fn a_definition_over_a_mebibyte_is_refused() {
    let src: String = (0..12_000).map(|i| format!("pass P{i} result {{ text: \"{}\" }}\n", "x".repeat(100))).collect();
    let out = sfc_compiler::lang::compile(&src, Path::new("."), &Default::default());
    assert!(out.asl.is_none());
    assert!(out.diagnostics.iter().any(|d| d.code == "DEFINITION_TOO_LARGE"), "{:?}", out.diagnostics.first());
}
