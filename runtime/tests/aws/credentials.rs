//! A Task's Credentials: the call is made as the role they name, assumed
//! through STS with the configuration's own credentials, as Step
//! Functions assumes it for a cross-account task.

use crate::*;
use serde_json::json;
use wiremock::matchers::{body_string_contains, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ROLE: &str = "arn:aws:iam::222222222222:role/cross";

/// STS's answer to AssumeRole: credentials whose key id says they are the role's.
fn assumed() -> ResponseTemplate {
    let xml = r#"<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <Credentials>
      <AccessKeyId>ASIAASSUMEDROLE</AccessKeyId>
      <SecretAccessKey>role-secret</SecretAccessKey>
      <SessionToken>role-session-token</SessionToken>
      <Expiration>2099-01-01T00:00:00Z</Expiration>
    </Credentials>
    <AssumedRoleUser>
      <AssumedRoleId>AROAEXAMPLE:sfc</AssumedRoleId>
      <Arn>arn:aws:sts::222222222222:assumed-role/cross/sfc</Arn>
    </AssumedRoleUser>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>
</AssumeRoleResponse>"#;
    ResponseTemplate::new(200).insert_header("content-type", "text/xml").set_body_string(xml)
}

#[tokio::test]
async fn a_task_with_credentials_calls_as_the_role_it_names() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(body_string_contains("Action=AssumeRole")).respond_with(assumed()).mount(&server).await;
    Mock::given(path("/2015-03-31/functions/f/invocations"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(wiremock::matchers::header("x-amz-target", "DynamoDB_20120810.DescribeTable"))
        .respond_with(aws_json(json!({"Table": {"TableName": "t"}})))
        .mount(&server)
        .await;
    let invoke = |credentials: Option<serde_json::Value>, next: &str| {
        let mut s = json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "f", "Payload": {}}, "ResultPath": null, "Next": next});
        if let Some(c) = credentials {
            s["Credentials"] = c;
        }
        s
    };
    let m = machine(json!({"StartAt": "AsRole", "States": {
        "AsRole": invoke(Some(json!({"RoleArn.$": "$.role"})), "Own"),
        "Own": invoke(None, "Generic"),
        "Generic": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:dynamodb:describeTable",
            "Parameters": {"TableName": "t"}, "Credentials": {"RoleArn": ROLE}, "End": true}}}));
    let out = run(&server, &m, json!({"role": ROLE})).await;
    assert_eq!(out.status, Status::Succeeded, "{:?}", out.cause);
    let requests = server.received_requests().await.unwrap();
    let signer = |r: &wiremock::Request| {
        let auth = r.headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default();
        auth.split("Credential=").nth(1).and_then(|c| c.split('/').next()).unwrap_or_default().to_string()
    };
    let sts: Vec<_> = requests.iter().filter(|r| String::from_utf8_lossy(&r.body).contains("Action=AssumeRole")).collect();
    assert_eq!(sts.len(), 1, "the role is assumed once for both calls");
    assert!(String::from_utf8_lossy(&sts[0].body).contains("RoleArn=arn%3Aaws%3Aiam%3A%3A222222222222%3Arole%2Fcross"));
    assert_eq!(signer(sts[0]), "test", "STS is called with the configuration's own credentials");
    let calls: Vec<(String, String)> = requests
        .iter()
        .filter(|r| !String::from_utf8_lossy(&r.body).contains("Action=AssumeRole"))
        .map(|r| (r.url.path().to_string(), signer(r)))
        .collect();
    assert_eq!(
        calls,
        [
            ("/2015-03-31/functions/f/invocations".to_string(), "ASIAASSUMEDROLE".to_string()),
            ("/2015-03-31/functions/f/invocations".to_string(), "test".to_string()),
            ("/".to_string(), "ASIAASSUMEDROLE".to_string()),
        ]
    );
}

/// A role that cannot be assumed fails the task, and its cause says which
/// role and what STS answered.
#[tokio::test]
async fn a_role_that_cannot_be_assumed_fails_the_task_and_says_why() {
    let server = MockServer::start().await;
    let denied = r#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>Sender</Type><Code>AccessDenied</Code>
    <Message>Access denied</Message>
  </Error><RequestId>r-2</RequestId></ErrorResponse>"#;
    Mock::given(method("POST"))
        .and(body_string_contains("Action=AssumeRole"))
        .respond_with(ResponseTemplate::new(403).insert_header("content-type", "text/xml").set_body_string(denied))
        .mount(&server)
        .await;
    let m = machine(json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "f", "Payload": {}}, "Credentials": {"RoleArn": ROLE}, "End": true}}}));
    let out = run(&server, &m, json!({})).await;
    assert_eq!(out.status, Status::Failed);
    let cause = out.cause.unwrap_or_default();
    assert_eq!(out.error.as_deref(), Some("States.Runtime"));
    assert!(cause.contains(&format!("cannot assume the role {ROLE}")) && cause.contains("AccessDenied"), "{cause}");
    assert!(cause.contains("sts:AssumeRole on that role"), "{cause}");
    assert!(!server.received_requests().await.unwrap().iter().any(|r| r.url.path().contains("/functions/")), "no call without the role");
}
