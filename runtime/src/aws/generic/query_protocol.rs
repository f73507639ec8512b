//! The Query protocol, for SNS Publish: the request form-encoded with
//! `Action` and `Version`, the answer (and an error) in XML.

use super::json_protocol::CallError;
use super::naming::ServiceError;
use super::signed::{Reply, Signer};
use super::text::{element, unescape};
use serde_json::{Map, Value};
use sfc_asl::integrations::services::Service;

/// A parameter's text: strings as they are, other JSON as its text.
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The form of a request: top-level members as their text, and a map of
/// attributes (`MessageAttributes`) as `entry.N.Name` / `entry.N.Value.*`.
fn form(service: &Service, action: &str, request: &Map<String, Value>) -> String {
    let mut pairs = vec![("Action".to_string(), action.to_string()), ("Version".to_string(), service.target.to_string())];
    for (k, v) in request {
        match v {
            Value::Object(attributes) if k.ends_with("Attributes") => {
                for (n, (name, value)) in attributes.iter().enumerate() {
                    let entry = format!("{k}.entry.{}", n + 1);
                    pairs.push((format!("{entry}.Name"), name.clone()));
                    for (field, field_value) in value.as_object().into_iter().flatten() {
                        pairs.push((format!("{entry}.Value.{field}"), text(field_value)));
                    }
                }
            }
            Value::Null => {}
            other => pairs.push((k.clone(), text(other))),
        }
    }
    pairs.iter().map(|(k, v)| format!("{}={}", super::text::encode(k, false), super::text::encode(v, false))).collect::<Vec<_>>().join("&")
}

/// Calls `action` with `request`; the answer's `members` read from its XML.
pub async fn call(
    signer: &Signer,
    service: &Service,
    action: &str,
    request: &Map<String, Value>,
    members: &[&str],
) -> Result<(Value, Reply), CallError> {
    let headers = [("content-type", "application/x-www-form-urlencoded; charset=utf-8".to_string())];
    let mut reply = signer.post(service, "/", &headers, form(service, action, request).into_bytes()).await?;
    let xml = String::from_utf8_lossy(&reply.body).to_string();
    if let Some(id) = element(&xml, "RequestId").filter(|_| reply.request_id.is_empty()) {
        reply.request_id = id.to_string();
    }
    if reply.status >= 300 {
        return Err(CallError::Service(ServiceError {
            status: reply.status,
            code: element(&xml, "Code").unwrap_or("Unknown").to_string(),
            message: unescape(element(&xml, "Message").unwrap_or("")),
            request_id: reply.request_id.clone(),
            extended_id: None,
        }));
    }
    let out = members.iter().filter_map(|m| Some((m.to_string(), Value::String(unescape(element(&xml, m)?))))).collect();
    Ok((Value::Object(out), reply))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn forms_encode_members_and_attributes() {
        let service = sfc_asl::integrations::services::sdk_service("sns").unwrap();
        let request =
            json!({"TopicArn": "arn:t", "Message": {"a": 1}, "MessageAttributes": {"k": {"DataType": "String", "StringValue": "v w"}}});
        assert_eq!(
            form(service, "Publish", request.as_object().unwrap()),
            "Action=Publish&Version=2010-03-31&TopicArn=arn%3At&Message=%7B%22a%22%3A1%7D&MessageAttributes.entry.1.Name=k\
             &MessageAttributes.entry.1.Value.DataType=String&MessageAttributes.entry.1.Value.StringValue=v%20w"
        );
        let xml = "<PublishResponse><PublishResult><MessageId>m&amp;1</MessageId></PublishResult></PublishResponse>";
        assert_eq!(element(xml, "MessageId").map(unescape), Some("m&1".into()));
    }
}
