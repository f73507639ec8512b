//! `sfc deploy` end to end against a wiremock stand-in for Step Functions
//! (awsJson1.0, `x-amz-target: AWSStepFunctions.*`): the state machine
//! alone (`--only-machine`); tests/cli_deploy_whole.rs deploys roles,
//! triggers and alarms against moto's server.

use serde_json::{json, Value};
use std::process::{Command, Output};
use wiremock::matchers::header;
use wiremock::{Mock, MockServer, ResponseTemplate};

const ROLE: &str = "arn:aws:iam::123456789012:role/sfn";
const ARN: &str = "arn:aws:states:us-east-1:123456789012:stateMachine:fraud";

fn deploy(server: &MockServer, extra: &[&str]) -> Output {
    deploy_file(server, "workflows/fraud-detection.sfc", extra)
}

mod support {
    pub mod stand_in;
}

fn deploy_file(server: &MockServer, file: &str, extra: &[&str]) -> Output {
    support::stand_in::sfc()
        .args([
            "deploy",
            file,
            "--name",
            "fraud",
            "--role-arn",
            ROLE,
            "--region",
            "us-east-1",
            "--endpoint-url",
            &server.uri(),
            "--only-machine",
        ])
        .args(extra)
        .output()
        .expect("sfc runs")
}

fn sfn(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).insert_header("content-type", "application/x-amz-json-1.0").set_body_string(body.to_string())
}

async fn answer(server: &MockServer, action: &str, body: Value) {
    Mock::given(header("x-amz-target", format!("AWSStepFunctions.{action}").as_str())).respond_with(sfn(body)).mount(server).await;
}

async fn calls(server: &MockServer) -> Vec<(String, Value)> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| {
            let target = r
                .headers
                .get("x-amz-target")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .trim_start_matches("AWSStepFunctions.")
                .to_string();
            (target, serde_json::from_slice(&r.body).unwrap_or(Value::Null))
        })
        .collect()
}

fn compiled() -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/workflows/fraud-detection.asl.json")).unwrap(),
    )
    .unwrap()
}

async fn existing(server: &MockServer, definition: &Value, role: &str, kind: &str) {
    answer(
        server,
        "ListStateMachines",
        json!({"stateMachines": [{"name": "other", "stateMachineArn": "arn:x", "type": "STANDARD", "creationDate": 1.7e9},
        {"name": "fraud", "stateMachineArn": ARN, "type": kind, "creationDate": 1.7e9}]}),
    )
    .await;
    answer(
        server,
        "DescribeStateMachine",
        json!({"stateMachineArn": ARN, "name": "fraud", "definition": definition.to_string(), "roleArn": role,
        "type": kind, "creationDate": 1.7e9}),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_machine_is_created_from_the_compiled_workflow() {
    let server = MockServer::start().await;
    answer(&server, "ListStateMachines", json!({"stateMachines": []})).await;
    answer(&server, "CreateStateMachine", json!({"stateMachineArn": ARN, "creationDate": 1.7e9})).await;
    let out = deploy(&server, &["--tags", "team=fraud,env=dev"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), ARN);
    let calls = calls(&server).await;
    let (_, create) = calls.iter().find(|(t, _)| t == "CreateStateMachine").expect("CreateStateMachine was called");
    assert_eq!(create["name"], "fraud");
    assert_eq!(create["roleArn"], ROLE);
    assert_eq!(create["type"], "STANDARD");
    assert_eq!(create["tags"], json!([{"key": "team", "value": "fraud"}, {"key": "env", "value": "dev"}]));
    let sent: Value = serde_json::from_str(create["definition"].as_str().unwrap()).unwrap();
    assert_eq!(sent, compiled(), "the definition deployed is the compiled workflow");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unchanged_machine_is_left_alone() {
    let server = MockServer::start().await;
    existing(&server, &compiled(), ROLE, "STANDARD").await;
    let out = deploy(&server, &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unchanged"));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), ARN);
    assert!(!calls(&server).await.iter().any(|(t, _)| t == "UpdateStateMachine"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dry_run_shows_the_difference_and_changes_nothing() {
    let server = MockServer::start().await;
    let mut old = compiled();
    old["TimeoutSeconds"] = json!(3600);
    existing(&server, &old, ROLE, "STANDARD").await;
    let out = deploy(&server, &["--dry-run"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("-   \"TimeoutSeconds\": 3600,") && stderr.contains("+   \"TimeoutSeconds\": 21600,"), "{stderr}");
    assert!(stderr.contains("would update definition"), "{stderr}");
    assert!(!calls(&server).await.iter().any(|(t, _)| t == "UpdateStateMachine"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_changed_machine_is_updated_and_can_publish_a_version() {
    let server = MockServer::start().await;
    existing(&server, &json!({"StartAt": "Old", "States": {"Old": {"Type": "Succeed"}}}), "arn:aws:iam::123456789012:role/old", "STANDARD")
        .await;
    answer(&server, "UpdateStateMachine", json!({"updateDate": 1.7e9, "stateMachineVersionArn": format!("{ARN}:3")})).await;
    let out = deploy(&server, &["--publish"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("updated definition, role ARN"), "{stderr}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), format!("{ARN}\n{ARN}:3\n"));
    let calls = calls(&server).await;
    let (_, update) = calls.iter().find(|(t, _)| t == "UpdateStateMachine").unwrap();
    assert_eq!(update["stateMachineArn"], ARN);
    assert_eq!(update["publish"], true);
    assert_eq!(update["roleArn"], ROLE);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_type_of_an_existing_machine_cannot_change() {
    let server = MockServer::start().await;
    existing(&server, &compiled(), ROLE, "STANDARD").await;
    let out = deploy(&server, &["--type", "EXPRESS"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot change the type"));
}

#[tokio::test(flavor = "multi_thread")]
async fn aws_errors_are_one_sentence() {
    let server = MockServer::start().await;
    answer(&server, "ListStateMachines", json!({"stateMachines": []})).await;
    Mock::given(header("x-amz-target", "AWSStepFunctions.CreateStateMachine"))
        .respond_with(ResponseTemplate::new(400).insert_header("content-type", "application/x-amz-json-1.0")
            .set_body_json(json!({"__type": "com.amazonaws.swf.base.model#AccessDeniedException", "message": "User is not authorized to perform: states:CreateStateMachine"})))
        .mount(&server)
        .await;
    let out = deploy(&server, &[]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.trim(), "error: AWS Step Functions refused CreateStateMachine: User is not authorized to perform: states:CreateStateMachine (AccessDeniedException)");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_invalid_machine_never_reaches_aws() {
    let server = MockServer::start().await;
    let dir = std::env::temp_dir().join(format!("sfc-deploy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.asl.json");
    std::fs::write(&bad, r#"{"StartAt": "Missing", "States": {"A": {"Type": "Succeed"}}}"#).unwrap();
    let out = deploy_file(&server, bad.to_str().unwrap(), &[]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("MISSING_TRANSITION_TARGET") && stderr.contains("fraud was not deployed"), "{stderr}");
    assert!(server.received_requests().await.unwrap().is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

/// A name AWS would refuse, and a missing region, are said before anything
/// is sent (an empty name once went to AWS; no region said "missing
/// signing region").
#[test]
fn bad_names_and_a_missing_region_are_said_before_calling_aws() {
    let home = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("no-aws-home");
    std::fs::create_dir_all(&home).unwrap();
    let run = |name: &str, region: Option<&str>| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_sfc"));
        c.args(["deploy", "workflows/fraud-detection.sfc", "--name", name, "--role-arn", ROLE, "--endpoint-url", "http://127.0.0.1:9"]);
        if let Some(r) = region {
            c.args(["--region", r]);
        }
        c.current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("HOME", &home)
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_ACCESS_KEY_ID", "test")
            .env("AWS_SECRET_ACCESS_KEY", "test")
            .env_remove("AWS_REGION")
            .env_remove("AWS_DEFAULT_REGION")
            .env_remove("AWS_PROFILE")
            .env_remove("AWS_CONFIG_FILE")
            .output()
            .expect("sfc runs")
    };
    for bad in ["", "has space", "a/b"] {
        let o = run(bad, Some("us-east-1"));
        assert_eq!(o.status.code(), Some(2), "{bad:?}");
        assert!(String::from_utf8_lossy(&o.stderr).contains("--name"), "{bad:?}");
    }
    let o = run("fraud", None);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no AWS region: give --region"), "{}", String::from_utf8_lossy(&o.stderr));
}

/// A SAM project's definition: deploy sends it with its substitutions
/// filled in, and refuses placeholders (a value the template computes
/// must be given for real).
#[tokio::test(flavor = "multi_thread")]
async fn deploy_sends_the_substituted_definition_and_never_a_placeholder() {
    let server = MockServer::start().await;
    answer(&server, "ListStateMachines", json!({"stateMachines": []})).await;
    answer(&server, "CreateStateMachine", json!({"stateMachineArn": ARN, "creationDate": 1.7e9})).await;
    let file = "fixtures/sam-project/statemachine/trader.asl.json";
    let template = ["--sub-file", "fixtures/sam-project/template.yaml"];
    for refused in [&["--allow-placeholders"][..], &template[..]] {
        let out = deploy_file(&server, file, refused);
        assert_eq!(out.status.code(), Some(2), "{refused:?}");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(said.contains("--sub NAME=VALUE"), "{refused:?}: {said}");
    }
    assert!(String::from_utf8_lossy(&deploy_file(&server, file, &template).stderr).contains("PriceCheckerArn, BuyerArn, SellerArn"));
    assert!(calls(&server).await.is_empty(), "nothing reached AWS");
    let lambda = |name: &str| format!("arn:aws:lambda:eu-west-1:210987654321:function:{name}");
    let given = [
        format!("PriceCheckerArn={}", lambda("price")),
        format!("BuyerArn={}", lambda("buy")),
        format!("SellerArn={}", lambda("sell")),
        "PutItem=arn:aws:states:::dynamodb:putItem".to_string(),
        "LedgerTable=ledger-prod".to_string(),
        "Desk=desk-prod".to_string(),
    ];
    let mut extra: Vec<&str> = template.to_vec();
    for g in &given {
        extra.extend(["--sub", g.as_str()]);
    }
    let out = deploy_file(&server, file, &extra);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let calls = calls(&server).await;
    let (_, create) = calls.iter().find(|(t, _)| t == "CreateStateMachine").expect("CreateStateMachine was called");
    let sent = create["definition"].as_str().unwrap();
    assert!(!sent.contains("${"), "{sent}");
    let sent: Value = serde_json::from_str(sent).unwrap();
    assert_eq!(sent["States"]["Check Price"]["Resource"], lambda("price"));
    assert_eq!(sent["States"]["Record Trade"]["Parameters"]["TableName"], "ledger-prod");
    assert_eq!(sent["States"]["Record Trade"]["Parameters"]["Item"]["Desk"]["S"], "desk-prod");
}
