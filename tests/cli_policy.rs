//! `sfc policy`: each shipped workflow's policy is its golden file
//! (`SFC_BLESS=1` rewrites them), every statement in the golden files is
//! justified in docs/policy.md, and the text format comments each one.

use std::path::Path;
use std::process::Command;

fn sfc(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_sfc")).args(args).current_dir(env!("CARGO_MANIFEST_DIR")).output().expect("sfc runs")
}

const WORKFLOWS: [&str; 4] = ["batch-features", "ecs-preprocessing", "fraud-detection", "wildlife-pipeline"];

#[test]
fn shipped_workflows_policies_match_their_golden_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for name in WORKFLOWS {
        let wf = format!("workflows/{name}.sfc");
        let out = sfc(&["policy", &wf, "--region", "us-east-1", "--account", "123456789012"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let golden = root.join(format!("fixtures/policy/{name}.json"));
        if std::env::var("SFC_BLESS").as_deref() == Ok("1") {
            std::fs::write(&golden, &out.stdout).unwrap();
        }
        let expected = std::fs::read_to_string(&golden).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            expected,
            "{name}: run SFC_BLESS=1 cargo test --test cli_policy if the change is meant"
        );
    }
}

#[test]
fn every_statement_of_the_golden_files_is_justified_in_the_docs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let docs = std::fs::read_to_string(root.join("docs/policy.md")).unwrap();
    for name in WORKFLOWS {
        let policy: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(root.join(format!("fixtures/policy/{name}.json"))).unwrap()).unwrap();
        for statement in policy["Statement"].as_array().unwrap() {
            let sid = statement["Sid"].as_str().unwrap();
            let heading = format!("### `{sid}`\n\n");
            let at =
                docs.find(&heading).unwrap_or_else(|| panic!("{name}: statement {sid} has no section `### `{sid}`` in docs/policy.md"));
            let body = docs[at + heading.len()..].split("\n### ").next().unwrap();
            assert!(body.trim().len() > 40, "{sid}: its section says why in a sentence or more");
            for action in statement["Action"].as_array().unwrap() {
                let action = action.as_str().unwrap();
                let short = action.split(':').nth(1).unwrap();
                assert!(
                    body.contains(action) || body.contains(short) || body.contains("`<service>:<Action>`"),
                    "{sid}: the section names {action}"
                );
            }
        }
    }
}

#[test]
fn the_text_format_says_why_before_each_statement() {
    let out = sfc(&["policy", "workflows/fraud-detection.sfc", "--format", "text"]);
    let text = String::from_utf8_lossy(&out.stdout);
    let statements = text.matches("\"Sid\"").count();
    assert_eq!(text.matches("    // Needed by ").count(), statements, "{text}");
    assert!(text.contains("// emr.addStep.sync hears that the job ended through the EventBridge rule Step Functions manages"), "{text}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("give --region and --account"));
}
