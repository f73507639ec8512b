//! Plain calls to the AWS APIs `sfc deploy` manages beside the state
//! machine (IAM, STS, EventBridge, EventBridge Scheduler, CloudWatch),
//! signed like every generic call: the JSON protocols' bodies, the Query
//! protocol's forms and XML answers, REST JSON.

use super::json_protocol::{service_error, CallError};
use super::signed::Signer;
use super::text::{element, encode, unescape};
use serde_json::Value;
use sfc_asl::integrations::services::{self, Protocol, Service};

/// Calls to any catalogued service.
pub struct Api {
    signer: Signer,
}

/// Why a call did not answer.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The service refused: its error code and message.
    Refused { service: &'static str, action: String, code: String, message: String },
    /// No answer (unreachable, no credentials, unreadable).
    Failed(String),
}

impl ApiError {
    /// Whether the service answered with this error code.
    pub fn is(&self, code: &str) -> bool {
        matches!(self, ApiError::Refused { code: c, .. } if c == code)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiError::Refused { service, action, code, message } if message.is_empty() => write!(f, "{service} refused {action} ({code})"),
            ApiError::Refused { service, action, code, message } => write!(f, "{service} refused {action}: {message} ({code})"),
            ApiError::Failed(text) => f.write_str(text),
        }
    }
}

fn service(name: &str) -> Result<&'static Service, ApiError> {
    services::sdk_service(name).ok_or_else(|| ApiError::Failed(format!("{name} is not in the service catalogue")))
}

fn failed(f: crate::error::Failure) -> ApiError {
    ApiError::Failed(f.cause.unwrap_or(f.error))
}

fn refused(s: &'static Service, action: &str, e: CallError) -> ApiError {
    match e {
        CallError::Service(e) => ApiError::Refused { service: s.sdk_name, action: action.to_string(), code: e.code, message: e.message },
        CallError::Failed(f) => failed(f),
    }
}

impl Api {
    pub fn new(config: &aws_config::SdkConfig) -> Api {
        Api { signer: Signer::new(config, Vec::new()) }
    }

    /// An awsJson call (`events`' `PutRule`).
    pub async fn json(&self, service_name: &str, operation: &str, body: Value) -> Result<Value, ApiError> {
        let s = service(service_name)?;
        super::json_protocol::call(&self.signer, s, operation, &body).await.map(|(v, _)| v).map_err(|e| refused(s, operation, e))
    }

    /// A Query call with its form's members (`Dimensions.member.1.Name`);
    /// the answer's XML.
    pub async fn query(&self, service_name: &str, action: &str, members: &[(String, String)]) -> Result<String, ApiError> {
        let s = service(service_name)?;
        if s.protocol != Protocol::Query {
            return Err(ApiError::Failed(format!("{service_name} does not speak the Query protocol")));
        }
        let mut form = format!("Action={}&Version={}", encode(action, false), encode(s.target, false));
        for (k, v) in members {
            form.push_str(&format!("&{}={}", encode(k, false), encode(v, false)));
        }
        let headers = [("content-type", "application/x-www-form-urlencoded; charset=utf-8".to_string())];
        let reply = self.signer.post(s, "/", &headers, form.into_bytes()).await.map_err(failed)?;
        let xml = String::from_utf8_lossy(&reply.body).to_string();
        if reply.status >= 300 {
            let code = element(&xml, "Code").unwrap_or("Unknown").to_string();
            return Err(ApiError::Refused {
                service: s.sdk_name,
                action: action.into(),
                code,
                message: unescape(element(&xml, "Message").unwrap_or("")),
            });
        }
        Ok(xml)
    }

    /// A REST JSON call: `method` on `path` (its segments encoded by the
    /// caller), with a JSON body or none.
    pub async fn rest(&self, service_name: &str, method: &str, path: &str, body: Option<&Value>) -> Result<Value, ApiError> {
        let s = service(service_name)?;
        let url = format!("{}{path}", self.signer.endpoint(s).map_err(failed)?);
        let (headers, bytes) = match body {
            Some(b) => (vec![("content-type", "application/json".to_string())], b.to_string().into_bytes()),
            None => (Vec::new(), Vec::new()),
        };
        let reply = self.signer.send(s, method, &url, &headers, bytes).await.map_err(failed)?;
        let answer: Value = if reply.body.is_empty() {
            Value::Object(Default::default())
        } else {
            serde_json::from_slice(&reply.body).unwrap_or(Value::Null)
        };
        if reply.status >= 300 {
            let e = service_error(&reply, &answer);
            let action = format!("{method} {}", path.split('?').next().unwrap_or(path));
            return Err(ApiError::Refused { service: s.sdk_name, action, code: e.code, message: e.message });
        }
        Ok(answer)
    }
}

/// `Name`=`value` members of a Query form.
pub fn form<const N: usize>(pairs: [(&str, &str); N]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}
