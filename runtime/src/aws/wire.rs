//! A call's request body, made from the state's parameters as Step
//! Functions makes it: the parameters are the API's request, checked
//! against the integration catalogue (`sfc_asl::integrations`) and renamed
//! the way the service's protocol names members. The SDK then signs and
//! sends that body; so every member AWS takes passes, nested ones too.

use crate::error::Failure;
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_types::body::SdkBody;
use serde_json::{Map, Value};
use sfc_asl::integrations::Integration;

/// The parameters, checked, as the service's request body.
pub(crate) fn body(parameters: &Value, integration: &'static Integration) -> Result<Vec<u8>, Failure> {
    check_parameters(parameters, integration)?;
    Ok(rename(parameters, integration, false).to_string().into_bytes())
}

/// The parameters take only members the API has, and every one it requires.
pub(crate) fn check_parameters(parameters: &Value, integration: &Integration) -> Result<(), Failure> {
    if !parameters.is_object() {
        return Err(Failure::runtime(format!("the parameters of {} must be an object", integration.api)));
    }
    check(parameters, integration, "", "")?;
    for (member, value) in parameters.as_object().into_iter().flatten() {
        if let Some(kind) = integration.kind_of(member).filter(|k| !k.admits(value)) {
            return Err(Failure::runtime(format!(
                "the parameter {member} of {} must be {}, not {value}",
                integration.api,
                kind.described()
            )));
        }
    }
    match integration.required.iter().find(|m| parameters.get(**m).is_none_or(Value::is_null)) {
        Some(member) => Err(Failure::runtime(format!("the parameter {member} is required by {}", integration.api))),
        None => Ok(()),
    }
}

/// Checks the members of every object whose shape the catalogue knows.
/// `shape` is the catalogue's path (`Overrides.ContainerOverrides[]`),
/// `at` the same place as the user reads it (`Overrides.ContainerOverrides[0]`).
fn check(v: &Value, integration: &Integration, shape: &str, at: &str) -> Result<(), Failure> {
    let join = |base: &str, key: &str| if base.is_empty() { key.to_string() } else { format!("{base}.{key}") };
    match v {
        Value::Object(m) => {
            if let Some(members) = integration.members_at(shape) {
                if let Some(k) = m.keys().find(|k| !members.contains(&k.as_str())) {
                    let place = if at.is_empty() { integration.api.to_string() } else { format!("{}'s {at}", integration.api) };
                    return Err(Failure::runtime(format!(
                        "the parameter {} is not a member of {place}; it takes {}",
                        join(at, k),
                        members.join(", ")
                    )));
                }
            }
            m.iter().try_for_each(|(k, v)| check(v, integration, &join(shape, k), &join(at, k)))
        }
        Value::Array(items) => {
            items.iter().enumerate().try_for_each(|(i, v)| check(v, integration, &format!("{shape}[]"), &format!("{at}[{i}]")))
        }
        _ => Ok(()),
    }
}

/// The same value with its members named as the wire names them; a map
/// whose keys are the user's (`keep`) is copied as it is.
fn rename(v: &Value, integration: &Integration, keep: bool) -> Value {
    match v {
        Value::Object(m) if !keep => Value::Object(
            m.iter()
                .map(|(k, v)| (integration.wire.name(k), rename(v, integration, integration.wire.keeps_keys(k))))
                .collect::<Map<_, _>>(),
        ),
        Value::Array(items) if !keep => Value::Array(items.iter().map(|v| rename(v, integration, false)).collect()),
        other => other.clone(),
    }
}

/// Puts `body` in place of what the SDK serialised, before it signs the
/// request (use with `customize().mutate_request`).
pub(crate) fn replace_body(body: Vec<u8>) -> impl Fn(&mut HttpRequest) + Send + Sync + 'static {
    move |request: &mut HttpRequest| {
        request.headers_mut().insert("content-length", body.len().to_string());
        *request.body_mut() = SdkBody::from(body.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use sfc_asl::integrations::{find, Kind};

    #[test]
    fn batch_members_are_camel_case_but_user_keys_are_kept() {
        let submit = find("batch", "submitJob").unwrap();
        let p = json!({"JobName": "j", "JobQueue": "q", "JobDefinition": "d", "Parameters": {"RunDate": "x"}, "Tags": {"Team": "ds"},
            "ContainerOverrides": {"Environment": [{"Name": "K", "Value": "v"}]}});
        let sent: Value = serde_json::from_slice(&body(&p, submit).unwrap()).unwrap();
        assert_eq!(
            sent,
            json!({"jobName": "j", "jobQueue": "q", "jobDefinition": "d", "parameters": {"RunDate": "x"}, "tags": {"Team": "ds"},
            "containerOverrides": {"environment": [{"name": "K", "value": "v"}]}})
        );
    }

    #[test]
    fn every_run_job_flow_member_passes_as_given() {
        let create = find("elasticmapreduce", "createCluster").unwrap();
        let mut p = serde_json::Map::new();
        for (member, kind) in create.known {
            let sample = match kind {
                Kind::Str | Kind::Any => json!("x"),
                Kind::Int => json!(1),
                Kind::Bool => json!(true),
                Kind::Object => json!({}),
                Kind::List => json!([]),
            };
            p.insert(member.to_string(), sample);
        }
        let p = Value::Object(p);
        let sent: Value = serde_json::from_slice(&body(&p, create).unwrap()).unwrap();
        assert_eq!(sent, p);
    }

    #[test]
    fn unknown_and_missing_members_are_named_where_they_stand() {
        let run = find("ecs", "runTask").unwrap();
        let p = json!({"TaskDefinition": "t", "Overrides": {"ContainerOverrides": [{"Name": "a"}, {"Nmae": "b"}]}});
        let e = body(&p, run).unwrap_err();
        assert!(e.cause.as_deref().unwrap().starts_with("the parameter Overrides.ContainerOverrides[1].Nmae is not a member of RunTask's Overrides.ContainerOverrides[1]; it takes Name, Command"), "{e:?}");
        let e = body(&json!({"Cluster": "c"}), run).unwrap_err();
        assert_eq!(e.cause.as_deref(), Some("the parameter TaskDefinition is required by RunTask"));
        let e = body(&json!({"TaskDefinition": "t", "Count": "two"}), run).unwrap_err();
        assert_eq!(e.cause.as_deref(), Some("the parameter Count of RunTask must be a whole number, not \"two\""));
    }
}
