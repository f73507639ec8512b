//! AWS's errors for bad requests, through the SDK.

use crate::*;

#[tokio::test]
async fn bad_names_arns_and_members_get_aws_errors() {
    let l = local(fast());
    let e = l.client.create_state_machine().name("bad name").definition(PASS_CHAIN).role_arn(ROLE).send().await.unwrap_err();
    assert_eq!(code(&e), "InvalidName");
    let e = l.client.create_state_machine().name("x".repeat(81)).definition(PASS_CHAIN).role_arn(ROLE).send().await.unwrap_err();
    assert_eq!(code(&e), "InvalidName");
    let e = l.client.describe_state_machine().state_machine_arn("not-an-arn").send().await.unwrap_err();
    assert_eq!(code(&e), "InvalidArn");
    let e = l.client.describe_execution().execution_arn("arn:aws:lambda:us-east-1:1:function:f").send().await.unwrap_err();
    assert_eq!(code(&e), "InvalidArn");
    let e = l.client.list_state_machines().next_token("forged").send().await.unwrap_err();
    assert_eq!(code(&e), "InvalidToken");
    let e = l.client.create_state_machine().name("M").definition("{").role_arn(ROLE).send().await.unwrap_err();
    assert_eq!(code(&e), "InvalidDefinition");
    let machine = create(&l.client, "M", PASS_CHAIN).await;
    let e =
        l.client.start_execution().state_machine_arn(&machine).input(format!("\"{}\"", "x".repeat(300 * 1024))).send().await.unwrap_err();
    assert_eq!(code(&e), "ValidationException");
    let e = l.client.update_state_machine().state_machine_arn(&machine).send().await.unwrap_err();
    assert_eq!(code(&e), "MissingRequiredParameter");
}
