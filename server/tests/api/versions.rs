//! Versions and aliases, and executions started on them.

use crate::*;
use aws_sdk_sfn::types::RoutingConfigurationListItem;

fn route(version: &str, weight: i32) -> RoutingConfigurationListItem {
    RoutingConfigurationListItem::builder().state_machine_version_arn(version).weight(weight).build().unwrap()
}

const ONE: &str = r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": 1, "End": true}}}"#;
const TWO: &str = r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": 2, "End": true}}}"#;

#[tokio::test]
async fn versions_are_published_and_run() {
    let l = local(fast());
    let created = l
        .client
        .create_state_machine()
        .name("V")
        .definition(ONE)
        .role_arn(ROLE)
        .publish(true)
        .version_description("first")
        .send()
        .await
        .unwrap();
    let machine = created.state_machine_arn().to_string();
    let v1 = created.state_machine_version_arn().unwrap().to_string();
    assert_eq!(v1, format!("{machine}:1"));
    // Publishing an unchanged machine gives the same version.
    let again = l.client.publish_state_machine_version().state_machine_arn(&machine).send().await.unwrap();
    assert_eq!(again.state_machine_version_arn(), v1);
    let updated = l.client.update_state_machine().state_machine_arn(&machine).definition(TWO).publish(true).send().await.unwrap();
    let v2 = updated.state_machine_version_arn().unwrap().to_string();
    assert_eq!(v2, format!("{machine}:2"));
    let e = l.client.publish_state_machine_version().state_machine_arn(&machine).revision_id("stale").send().await.unwrap_err();
    assert_eq!(code(&e), "ConflictException");

    let listed = l.client.list_state_machine_versions().state_machine_arn(&machine).send().await.unwrap();
    let arns: Vec<&str> = listed.state_machine_versions().iter().map(|v| v.state_machine_version_arn()).collect();
    assert_eq!(arns, [v2.as_str(), v1.as_str()], "newest first");
    let d = l.client.describe_state_machine().state_machine_arn(&v1).send().await.unwrap();
    assert_eq!((d.definition(), d.description()), (ONE, Some("first")));

    // An execution on version 1 runs version 1's definition.
    let s = l.client.start_execution().state_machine_arn(&v1).send().await.unwrap();
    let done = finished(&l.client, s.execution_arn()).await;
    assert_eq!((done.output(), done.state_machine_version_arn()), (Some("1"), Some(v1.as_str())));
    let h = l.client.get_execution_history().execution_arn(s.execution_arn()).send().await.unwrap();
    let started = h.events()[0].execution_started_event_details().expect("ExecutionStarted");
    assert_eq!((started.state_machine_alias_arn(), started.state_machine_version_arn()), (None, Some(v1.as_str())));
    assert!(s.execution_arn().contains(":execution:V:"));
    let by_version = l.client.list_executions().state_machine_arn(&v1).send().await.unwrap();
    assert_eq!(by_version.executions().len(), 1);
    let on_latest = l.client.start_execution().state_machine_arn(&machine).send().await.unwrap();
    assert_eq!(finished(&l.client, on_latest.execution_arn()).await.output(), Some("2"));
    assert_eq!(l.client.list_executions().state_machine_arn(&machine).send().await.unwrap().executions().len(), 2);

    l.client.delete_state_machine_version().state_machine_version_arn(&v1).send().await.unwrap();
    let e = l.client.describe_state_machine().state_machine_arn(&v1).send().await.unwrap_err();
    assert_eq!(code(&e), "StateMachineDoesNotExist");
}

#[tokio::test]
async fn aliases_route_executions_to_their_versions() {
    let l = local(fast());
    let created = l.client.create_state_machine().name("A").definition(ONE).role_arn(ROLE).publish(true).send().await.unwrap();
    let (machine, v1) = (created.state_machine_arn().to_string(), created.state_machine_version_arn().unwrap().to_string());
    let v2 = l.client.update_state_machine().state_machine_arn(&machine).definition(TWO).publish(true).send().await.unwrap();
    let v2 = v2.state_machine_version_arn().unwrap().to_string();
    let alias = l
        .client
        .create_state_machine_alias()
        .name("live")
        .routing_configuration(route(&v1, 100))
        .description("all on one")
        .send()
        .await
        .unwrap();
    let alias = alias.state_machine_alias_arn().to_string();
    assert_eq!(alias, format!("{machine}:live"));
    let s = l.client.start_execution().state_machine_arn(&alias).send().await.unwrap();
    let d = finished(&l.client, s.execution_arn()).await;
    assert_eq!(
        (d.output(), d.state_machine_alias_arn(), d.state_machine_version_arn()),
        (Some("1"), Some(alias.as_str()), Some(v1.as_str()))
    );
    // Its history's first event names them too, as AWS's does.
    let h = l.client.get_execution_history().execution_arn(s.execution_arn()).send().await.unwrap();
    let started = h.events()[0].execution_started_event_details().expect("ExecutionStarted");
    assert_eq!((started.state_machine_alias_arn(), started.state_machine_version_arn()), (Some(alias.as_str()), Some(v1.as_str())));

    // Shift all traffic to version 2, then split it.
    l.client.update_state_machine_alias().state_machine_alias_arn(&alias).routing_configuration(route(&v2, 100)).send().await.unwrap();
    let s = l.client.start_execution().state_machine_arn(&alias).send().await.unwrap();
    assert_eq!(finished(&l.client, s.execution_arn()).await.output(), Some("2"));
    l.client
        .update_state_machine_alias()
        .state_machine_alias_arn(&alias)
        .routing_configuration(route(&v1, 50))
        .routing_configuration(route(&v2, 50))
        .send()
        .await
        .unwrap();
    let d = l.client.describe_state_machine_alias().state_machine_alias_arn(&alias).send().await.unwrap();
    assert_eq!(d.routing_configuration().len(), 2);
    assert_eq!(d.description(), Some("all on one"));
    let e = l
        .client
        .update_state_machine_alias()
        .state_machine_alias_arn(&alias)
        .routing_configuration(route(&v1, 60))
        .routing_configuration(route(&v2, 60))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ValidationException");
    let listed = l.client.list_state_machine_aliases().state_machine_arn(&machine).send().await.unwrap();
    assert_eq!(listed.state_machine_aliases().len(), 1);
    // A version an alias uses cannot go.
    let e = l.client.delete_state_machine_version().state_machine_version_arn(&v1).send().await.unwrap_err();
    assert_eq!(code(&e), "ConflictException");
    l.client.delete_state_machine_alias().state_machine_alias_arn(&alias).send().await.unwrap();
    let e = l.client.describe_state_machine_alias().state_machine_alias_arn(&alias).send().await.unwrap_err();
    assert_eq!(code(&e), "ResourceNotFound");
    l.client.delete_state_machine_version().state_machine_version_arn(&v1).send().await.unwrap();
}
