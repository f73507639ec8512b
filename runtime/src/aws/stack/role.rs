//! IAM roles `sfc deploy` owns: the execution role (`--create-role`) and
//! the role EventBridge and Scheduler start executions with. Each has one
//! inline policy; both it and the trust policy are compared with what is
//! deployed and put only when they differ.

use super::change::{Action, Change};
use crate::aws::generic::api::{form, Api, ApiError};
use crate::aws::generic::text::{decode, element, unescape};
use serde_json::{json, Value};

/// A role as the workflow wants it.
pub struct Role<'a> {
    pub name: &'a str,
    /// The services that assume it (`states.amazonaws.com`).
    pub trusted: &'a [&'a str],
    pub policy_name: &'a str,
    pub policy: Value,
    pub description: &'a str,
}

/// The trust policy letting `services` assume a role.
pub fn trust(services: &[&str]) -> Value {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": services}, "Action": "sts:AssumeRole"}]})
}

/// A policy document as IAM returns it (URL-encoded JSON).
fn document(xml: &str, tag: &str) -> Option<Value> {
    let text = unescape(element(xml, tag)?);
    serde_json::from_str(&decode(&text)).ok()
}

/// Creates or updates the role; its ARN and what changed.
pub async fn ensure(api: &Api, role: &Role<'_>, account: &str, dry_run: bool) -> Result<(String, Vec<Change>), ApiError> {
    let wanted_trust = trust(role.trusted);
    let current = match api.query("iam", "GetRole", &form([("RoleName", role.name)])).await {
        Ok(xml) => Some(xml),
        Err(e) if e.is("NoSuchEntity") => None,
        Err(e) => return Err(e),
    };
    let mut arn = current
        .as_deref()
        .and_then(|x| element(x, "Arn"))
        .map(str::to_string)
        .unwrap_or_else(|| format!("arn:aws:iam::{account}:role/{}", role.name));
    let current_trust = current.as_deref().and_then(|x| document(x, "AssumeRolePolicyDocument"));
    let trust_change = Change::between(
        "role",
        role.name,
        current.as_ref().map(|_| current_trust.clone().unwrap_or(Value::Null)).as_ref(),
        Some(&wanted_trust),
    );
    let current_policy = match current {
        None => None,
        Some(_) => match api.query("iam", "GetRolePolicy", &form([("RoleName", role.name), ("PolicyName", role.policy_name)])).await {
            Ok(xml) => document(&xml, "PolicyDocument"),
            Err(e) if e.is("NoSuchEntity") => None,
            Err(e) => return Err(e),
        },
    };
    let policy_change =
        Change::between("role policy", &format!("{}/{}", role.name, role.policy_name), current_policy.as_ref(), Some(&role.policy));
    if dry_run {
        return Ok((arn, vec![trust_change, policy_change]));
    }
    let trust_text = wanted_trust.to_string();
    match trust_change.action {
        Action::Create => {
            let members = form([("RoleName", role.name), ("AssumeRolePolicyDocument", &trust_text), ("Description", role.description)]);
            let xml = api.query("iam", "CreateRole", &members).await?;
            if let Some(created) = element(&xml, "Arn") {
                arn = created.to_string();
            }
        }
        Action::Update => {
            api.query("iam", "UpdateAssumeRolePolicy", &form([("RoleName", role.name), ("PolicyDocument", &trust_text)])).await?;
        }
        Action::Unchanged | Action::Delete => {}
    }
    if policy_change.changes() {
        let members = form([("RoleName", role.name), ("PolicyName", role.policy_name), ("PolicyDocument", &role.policy.to_string())]);
        api.query("iam", "PutRolePolicy", &members).await?;
    }
    Ok((arn, vec![trust_change, policy_change]))
}
