//! The real-service backend against in-process wiremock servers that
//! speak each service's protocol: Batch restJson (`/v1/...`), ECS and EMR
//! awsJson1.1 (`x-amz-target`), Lambda restJson. Nothing talks to AWS.
//! One module per service; the helpers they share are here.

mod batch;
mod connection;
mod credentials;
mod ecs;
mod emr;
mod lambda;
mod moto;
mod sfn;

use serde_json::{json, Value};
use sfc_asl::StateMachine;
use sfc_runtime::aws::{stand_in_config, Aws};
use sfc_runtime::clock::RealClock;
use sfc_runtime::{run_with_clock, Outcome, RunOptions, Status};
use std::time::Duration;
use wiremock::matchers::header;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

pub(crate) fn machine(v: Value) -> StateMachine {
    serde_json::from_value(v).unwrap()
}

pub(crate) fn task(resource: &str, parameters: Value) -> StateMachine {
    machine(json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": resource, "Parameters": parameters, "End": true}}}))
}

pub(crate) async fn run(server: &MockServer, m: &StateMachine, input: Value) -> Outcome {
    let aws = Aws::new(&stand_in_config(&server.uri()), Duration::from_millis(5));
    run_with_clock(m, input, &aws, &RealClock, &RunOptions { real_time: true, ..RunOptions::default() }).await
}

pub(crate) fn aws_json(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).insert_header("content-type", "application/x-amz-json-1.1").set_body_string(body.to_string())
}

/// Answers `target` with `first` once, then with `then` for ever.
pub(crate) async fn target_then(server: &MockServer, target: &str, first: Value, then: Value) {
    Mock::given(header("x-amz-target", target)).respond_with(aws_json(first)).up_to_n_times(1).with_priority(1).mount(server).await;
    Mock::given(header("x-amz-target", target)).respond_with(aws_json(then)).with_priority(2).mount(server).await;
}

/// Answers with each body in turn, then the last one for ever: a job
/// whose status moves on at every poll.
pub(crate) struct Sequence {
    pub bodies: Vec<Value>,
    pub next: std::sync::atomic::AtomicUsize,
}

impl wiremock::Respond for Sequence {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let i = self.next.fetch_add(1, std::sync::atomic::Ordering::SeqCst).min(self.bodies.len() - 1);
        ResponseTemplate::new(200).set_body_json(self.bodies[i].clone())
    }
}

pub(crate) fn body(r: &Request) -> Value {
    serde_json::from_slice(&r.body).unwrap()
}

/// A request-response result has only members the integration catalogue
/// lists for it: the catalogue and the backend agree.
pub(crate) fn within_catalogue(service: &str, action: &str, output: &Value) {
    let i = sfc_asl::integrations::find(service, action).expect("a catalogued integration");
    let keys: Vec<&String> = output.as_object().expect("an object").keys().collect();
    assert!(
        keys.iter().all(|k| i.output.contains(&k.as_str())),
        "{service}:{action} returned {keys:?}; the catalogue lists {:?}",
        i.output
    );
}
