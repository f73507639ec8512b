//! The API server driven by the real AWS SDK for Rust (aws-sdk-sfn), as
//! Step Functions test suites drive Step Functions Local: a server on a
//! free loopback port per test, static test credentials.

mod activities;
mod callbacks;
mod children;
mod console;
mod errors;
mod executions;
mod machines;
mod map_runs;
mod persistence;
mod raw;
#[cfg(feature = "aws")]
mod real;
mod redrive;
mod s3_dir;
mod teststate;
mod versions;

use aws_sdk_sfn::Client;
use sfc_server::{Config, Running};
use std::time::Duration;

pub const ROLE: &str = "arn:aws:iam::123456789012:role/sfc-test";

/// A server and a client pointed at it.
pub struct Local {
    pub server: Running,
    pub client: Client,
}

pub fn local(config: Config) -> Local {
    let server = sfc_server::spawn(config, "127.0.0.1:0").expect("the server starts on a free loopback port");
    let sdk = sfc_runtime::aws::stand_in_config(&format!("http://{}", server.addr));
    let conf = aws_sdk_sfn::config::Builder::from(&sdk).interceptor(NoHostPrefix).build();
    Local { client: Client::from_conf(conf), server }
}

mod no_host_prefix;
use no_host_prefix::NoHostPrefix;

/// Instant waits, so tests never sleep for what a definition says.
pub fn fast() -> Config {
    Config { time_scale: 0.0, ..Config::default() }
}

pub const PASS_CHAIN: &str = r#"{"StartAt": "A", "States": {
  "A": {"Type": "Pass", "Result": {"n": 1}, "ResultPath": "$.a", "Next": "B"},
  "B": {"Type": "Pass", "Parameters": {"sum.$": "States.MathAdd($.a.n, $.x)"}, "End": true}}}"#;

pub async fn create(client: &Client, name: &str, definition: &str) -> String {
    client
        .create_state_machine()
        .name(name)
        .definition(definition)
        .role_arn(ROLE)
        .send()
        .await
        .expect("created")
        .state_machine_arn()
        .to_string()
}

/// Polls DescribeExecution until the execution is no longer RUNNING (at
/// most ten seconds), as suites do.
pub async fn finished(client: &Client, arn: &str) -> aws_sdk_sfn::operation::describe_execution::DescribeExecutionOutput {
    for _ in 0..1000 {
        let d = client.describe_execution().execution_arn(arn).send().await.expect("described");
        if d.status().as_str() != "RUNNING" {
            return d;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("{arn} still running after 10 s");
}

/// The event types of an execution's history, in order.
pub async fn event_types(client: &Client, arn: &str) -> Vec<String> {
    let h = client.get_execution_history().execution_arn(arn).max_results(1000).send().await.expect("history");
    h.events().iter().map(|e| e.r#type().as_str().to_string()).collect()
}

/// The message of an SDK error.
pub fn message<E: aws_sdk_sfn::error::ProvideErrorMetadata>(e: &aws_sdk_sfn::error::SdkError<E>) -> String {
    aws_sdk_sfn::error::ProvideErrorMetadata::message(e).unwrap_or_default().to_string()
}

/// The AWS error code of an SDK error.
pub fn code<E: aws_sdk_sfn::error::ProvideErrorMetadata>(e: &aws_sdk_sfn::error::SdkError<E>) -> String {
    aws_sdk_sfn::error::ProvideErrorMetadata::code(e).unwrap_or_default().to_string()
}

/// The ARN of the first Map Run an execution starts, once it has.
pub async fn map_run_of(client: &aws_sdk_sfn::Client, execution: &str) -> String {
    for _ in 0..500 {
        let runs = client.list_map_runs().execution_arn(execution).send().await.unwrap();
        if let Some(r) = runs.map_runs().first() {
            return r.map_run_arn().to_string();
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("{execution} started no Map Run in 5 s");
}

/// The Map Run once at least `n` children run.
pub async fn running_at_least(
    client: &aws_sdk_sfn::Client,
    run: &str,
    n: i64,
) -> aws_sdk_sfn::operation::describe_map_run::DescribeMapRunOutput {
    for _ in 0..500 {
        let m = client.describe_map_run().map_run_arn(run).send().await.unwrap();
        if m.execution_counts().is_some_and(|c| c.running() >= n) {
            return m;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("{run}: fewer than {n} children running after 5 s");
}
