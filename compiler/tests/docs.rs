//! Every ```sfc example in docs/language.md and docs/deploy.md compiles,
//! so the references cannot fall out of date; the deployment examples
//! also give the plan the page describes.

fn examples(name: &str) -> (std::path::PathBuf, Vec<String>) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs").join(name);
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
    (path, examples)
}

fn compiled(name: &str, at_least: usize) -> Vec<sfc_compiler::lang::Compiled> {
    let (path, examples) = examples(name);
    assert!(examples.len() >= at_least, "{name}: found only {} examples", examples.len());
    let mut failures = Vec::new();
    let mut out = Vec::new();
    for (i, ex) in examples.iter().enumerate() {
        let c = sfc_compiler::lang::compile(ex, path.parent().unwrap(), &Default::default());
        if c.asl.is_none() {
            failures.push(format!("{name} example {}:\n{ex}\n{}", i + 1, sfc_compiler::diag::render(&c.diagnostics, "example.sfc", ex)));
        }
        out.push(c);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    out
}

#[test]
fn every_example_in_the_language_reference_compiles() {
    compiled("language.md", 15);
}

#[test]
fn the_deployment_examples_give_the_plan_described() {
    let plans: Vec<_> = compiled("deploy.md", 1).into_iter().filter_map(|c| c.plan).collect();
    let plan = plans.iter().find(|p| !p.triggers.is_empty()).expect("an example with triggers");
    let names: Vec<&str> = plan.triggers.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["claims", "ec2", "monthly", "daily"]);
    let alarms: Vec<(&str, &str, usize)> = plan.alarms.iter().map(|a| (a.name.as_str(), a.metric_name.as_str(), a.notify.len())).collect();
    assert_eq!(alarms, [("failed", "ExecutionsFailed", 1), ("slow", "ExecutionsTimedOut", 2)]);
}
