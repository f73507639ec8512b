//! Calls to any AWS service without its SDK crate: `aws-sdk:<service>:<action>`
//! for the services of the JSON protocols (and SNS's Publish), and the
//! optimized integrations that call the same APIs (DynamoDB items, SQS
//! sendMessage, EventBridge putEvents, Step Functions startExecution, SNS
//! publish; Glue startJobRun, Athena startQueryExecution, CodeBuild
//! startBuild and SageMaker's create*Job as request-response calls). Requests are signed with SigV4 ([`signed`]), members keep
//! Step Functions' PascalCase names, results and errors come back as Step
//! Functions shapes and names them ([`naming`]).

pub mod api;
mod json_protocol;
mod naming;
mod query_protocol;
mod s3;
mod signed;
pub mod text;

pub use signed::Signer;

use crate::error::Failure;
use json_protocol::CallError;
use serde_json::{json, Map, Value};
use sfc_asl::integrations::services::{self, Casing, Protocol, Service};

/// The calls one run makes through the generic path.
pub struct Generic {
    signer: Signer,
}

/// The optimized integrations this path makes, by ARN service and action.
const OPTIMIZED: &[(&str, &str)] = &[
    ("dynamodb", "getItem"),
    ("dynamodb", "putItem"),
    ("dynamodb", "updateItem"),
    ("dynamodb", "deleteItem"),
    ("sqs", "sendMessage"),
    ("events", "putEvents"),
    ("states", "startExecution"),
    ("sns", "publish"),
    ("glue", "startJobRun"),
    ("athena", "startQueryExecution"),
    ("codebuild", "startBuild"),
    ("sagemaker", "createTrainingJob"),
    ("sagemaker", "createTransformJob"),
    ("sagemaker", "createProcessingJob"),
];

/// Whether [`Generic::s3`] makes this S3 call.
pub fn calls_s3(action: &str) -> bool {
    s3::ACTIONS.contains(&action)
}

/// Whether the generic path calls this optimized integration.
pub fn calls_optimized(service: &str, action: &str) -> bool {
    OPTIMIZED.contains(&(service, action))
}

fn operation(action: &str) -> String {
    let mut c = action.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// Members whose JSON Step Functions sends as its text (any JSON is taken
/// as an SQS MessageBody, an SNS Message, an execution's Input, an event's Detail).
fn serialise(service: &str, mut parameters: Value) -> Value {
    let text = |v: &mut Value| {
        if !v.is_string() && !v.is_null() {
            *v = Value::String(v.to_string());
        }
    };
    match service {
        "sqs" => parameters.get_mut("MessageBody").into_iter().for_each(text),
        "sns" => parameters.get_mut("Message").into_iter().for_each(text),
        "states" => parameters.get_mut("Input").into_iter().for_each(text),
        "events" => {
            if let Some(Value::Array(entries)) = parameters.get_mut("Entries") {
                entries.iter_mut().filter_map(|e| e.get_mut("Detail")).for_each(text);
            }
        }
        _ => {}
    }
    parameters
}

/// `SdkHttpMetadata` and `SdkResponseMetadata`, which optimized
/// integrations of the AWS SDK 1 era add to their results.
fn sdk_metadata(reply: &signed::Reply) -> (Value, Value) {
    let all: Map<String, Value> = reply.headers.iter().map(|(k, v)| (k.clone(), json!([v]))).collect();
    let single: Map<String, Value> = reply.headers.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
    (json!({"AllHttpHeaders": all, "HttpHeaders": single, "HttpStatusCode": reply.status}), json!({"RequestId": reply.request_id}))
}

impl Generic {
    pub fn new(config: &aws_config::SdkConfig, overrides: Vec<(&'static str, String)>) -> Generic {
        Generic { signer: Signer::new(config, overrides) }
    }

    /// Calls the API, the request in Step Functions' names.
    async fn call(&self, service: &Service, action: &str, parameters: Value) -> Result<(Value, signed::Reply), CallError> {
        let camel = service.casing == Casing::Camel;
        let request = if camel { crate::api_shapes::recase(parameters, false) } else { parameters };
        let (body, reply) = match service.protocol {
            Protocol::Query => {
                let members: &[&str] = match action {
                    "publish" => &["MessageId", "SequenceNumber"],
                    "createTopic" => &["TopicArn"],
                    _ => return Err(Failure::runtime(format!("sfc calls only publish and createTopic of {}", service.name)).into()),
                };
                let empty = Map::new();
                query_protocol::call(&self.signer, service, &operation(action), request.as_object().unwrap_or(&empty), members).await?
            }
            Protocol::RestJson => {
                return Err(Failure::runtime(format!("sfc does not call {} from a Task; mock this state", service.name)).into())
            }
            Protocol::RestXml => {
                let calls = s3::ACTIONS.join(", ");
                return Err(Failure::runtime(format!("sfc calls {calls} of {}, not {action}; mock this state", service.name)).into());
            }
            _ => json_protocol::call(&self.signer, service, &operation(action), &request).await?,
        };
        let body = if camel { crate::api_shapes::recase(body, true) } else { body };
        Ok((crate::api_shapes::dates_as_text(body), reply))
    }

    /// `aws-sdk:<service>:<action>`.
    pub async fn sdk(&self, service: &str, action: &str, parameters: Value) -> Result<Value, Failure> {
        let Some(s) = services::sdk_service(service) else {
            let known: Vec<&str> = services::SERVICES.iter().map(|s| s.name).collect();
            return Err(Failure::runtime(format!(
                "sfc cannot call aws-sdk:{service}: it calls the services of the JSON protocols ({}); mock this state",
                known.join(", ")
            )));
        };
        match self.call(s, action, parameters).await {
            Ok((body, _)) => Ok(body),
            Err(CallError::Service(e)) => Err(naming::sdk_failure(s, &e)),
            Err(CallError::Failed(f)) => Err(f),
        }
    }

    /// S3's GetObject, PutObject or ListObjectsV2 (Distributed Maps'
    /// readers and writers, `aws-sdk:s3` Tasks), its errors named as
    /// `aws-sdk` integrations name them (`S3.NoSuchKeyException`).
    pub async fn s3(&self, action: &str, parameters: Value) -> Result<Value, Failure> {
        let service = services::sdk_service("s3").ok_or_else(|| Failure::runtime("S3 is not in the service catalogue"))?;
        match s3::call(&self.signer, service, action, &parameters).await {
            Ok(v) => Ok(v),
            Err(CallError::Service(e)) => Err(naming::sdk_failure(service, &e)),
            Err(CallError::Failed(f)) => Err(f),
        }
    }

    /// An optimized integration's call ([`calls_optimized`]).
    pub async fn optimized(&self, service: &str, action: &str, parameters: Value) -> Result<Value, Failure> {
        let s = services::optimized_service(service).ok_or_else(|| Failure::runtime(format!("sfc does not call {service}")))?;
        match self.call(s, action, serialise(service, parameters)).await {
            Ok((mut body, reply)) => {
                // EventBridge's integration came later and adds no SDK metadata.
                if service != "events" {
                    let (http, response) = sdk_metadata(&reply);
                    if let Value::Object(m) = &mut body {
                        m.insert("SdkHttpMetadata".into(), http);
                        m.insert("SdkResponseMetadata".into(), response);
                    }
                }
                Ok(body)
            }
            Err(CallError::Service(e)) => Err(naming::optimized_failure(s, &e)),
            Err(CallError::Failed(f)) => Err(f),
        }
    }
}
