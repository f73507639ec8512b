//! State machines: create, describe, update, list with pagination, delete.

use crate::*;

#[tokio::test]
async fn create_describe_update_list_delete() {
    let l = local(fast());
    let arn = create(&l.client, "Chain", PASS_CHAIN).await;
    assert_eq!(arn, "arn:aws:states:us-east-1:123456789012:stateMachine:Chain");
    let d = l.client.describe_state_machine().state_machine_arn(&arn).send().await.unwrap();
    assert_eq!((d.name(), d.definition(), d.role_arn()), ("Chain", PASS_CHAIN, ROLE));
    assert_eq!(d.r#type().as_str(), "STANDARD");
    assert_eq!(d.status().map(|s| s.as_str()), Some("ACTIVE"));
    let first_revision = d.revision_id().unwrap().to_string();

    // The same machine again is no error; another under the same name is.
    assert_eq!(create(&l.client, "Chain", PASS_CHAIN).await, arn);
    let other = r#"{"StartAt": "S", "States": {"S": {"Type": "Succeed"}}}"#;
    let e = l.client.create_state_machine().name("Chain").definition(other).role_arn(ROLE).send().await.unwrap_err();
    assert_eq!(code(&e), "StateMachineAlreadyExists");

    let u = l.client.update_state_machine().state_machine_arn(&arn).definition(other).send().await.unwrap();
    assert_ne!(u.revision_id().unwrap(), first_revision);
    let d = l.client.describe_state_machine().state_machine_arn(&arn).send().await.unwrap();
    assert_eq!(d.definition(), other);

    for i in 0..5 {
        create(&l.client, &format!("M{i}"), PASS_CHAIN).await;
    }
    let mut names = Vec::new();
    let mut token = None;
    loop {
        let page = l.client.list_state_machines().max_results(2).set_next_token(token).send().await.unwrap();
        assert!(page.state_machines().len() <= 2);
        names.extend(page.state_machines().iter().map(|m| m.name().to_string()));
        token = page.next_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    assert_eq!(names, ["Chain", "M0", "M1", "M2", "M3", "M4"]);
    // A clean-up that deletes each page as it goes still sees every machine.
    let mut deleted = Vec::new();
    let mut token = None;
    loop {
        let page = l.client.list_state_machines().max_results(2).set_next_token(token).send().await.unwrap();
        for m in page.state_machines().iter().filter(|m| m.name() != "Chain") {
            l.client.delete_state_machine().state_machine_arn(m.state_machine_arn()).send().await.unwrap();
            deleted.push(m.name().to_string());
        }
        token = page.next_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    assert_eq!(deleted, ["M0", "M1", "M2", "M3", "M4"]);
    let e = l.client.list_state_machines().next_token("sfc-page-2").send().await.unwrap_err();
    assert_eq!(code(&e), "InvalidToken");

    l.client.delete_state_machine().state_machine_arn(&arn).send().await.unwrap();
    let e = l.client.describe_state_machine().state_machine_arn(&arn).send().await.unwrap_err();
    assert_eq!(code(&e), "StateMachineDoesNotExist");
}

#[tokio::test]
async fn definitions_are_validated_as_aws_validates_them() {
    let l = local(fast());
    let bad = r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}}"#;
    let e = l.client.create_state_machine().name("Bad").definition(bad).role_arn(ROLE).send().await.unwrap_err();
    assert_eq!(code(&e), "InvalidDefinition");
    let message = aws_sdk_sfn::error::ProvideErrorMetadata::message(&e).unwrap_or_default().to_string();
    assert!(message.contains("MISSING_TRANSITION_TARGET") && message.contains("/States/A/Next"), "{message}");

    let v = l.client.validate_state_machine_definition().definition(bad).send().await.unwrap();
    assert_eq!(v.result().as_str(), "FAIL");
    let missing = v.diagnostics().iter().find(|d| d.code() == "MISSING_TRANSITION_TARGET").expect("the missing target is reported");
    assert_eq!((missing.severity().as_str(), missing.location()), ("ERROR", Some("/States/A/Next")));
    let v = l.client.validate_state_machine_definition().definition(PASS_CHAIN).send().await.unwrap();
    assert_eq!(v.result().as_str(), "OK");
    assert!(v.diagnostics().is_empty());
}

#[tokio::test]
async fn tags_of_machines_and_activities() {
    let l = local(fast());
    let arn = create(&l.client, "Tagged", PASS_CHAIN).await;
    let tag = |k: &str, v: &str| aws_sdk_sfn::types::Tag::builder().key(k).value(v).build();
    l.client.tag_resource().resource_arn(&arn).tags(tag("team", "ds")).tags(tag("env", "dev")).send().await.unwrap();
    l.client.tag_resource().resource_arn(&arn).tags(tag("env", "prod")).send().await.unwrap();
    l.client.untag_resource().resource_arn(&arn).tag_keys("team").send().await.unwrap();
    let t = l.client.list_tags_for_resource().resource_arn(&arn).send().await.unwrap();
    let tags: Vec<(&str, &str)> = t.tags().iter().map(|t| (t.key().unwrap(), t.value().unwrap())).collect();
    assert_eq!(tags, [("env", "prod")]);
    let missing = "arn:aws:states:us-east-1:123456789012:stateMachine:Nope";
    let e = l.client.list_tags_for_resource().resource_arn(missing).send().await.unwrap_err();
    assert_eq!(code(&e), "ResourceNotFound");
}
