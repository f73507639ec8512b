//! Real AWS services behind the [`Backend`] trait (`crate::integration::Integration`): EMR, Batch, ECS and
//! Lambda, called with the AWS SDK for Rust the way Step Functions calls
//! them (same parameters, same outputs, same errors), `.sync` included.
//!
//! Credentials, region and profile come from the standard chain; every
//! client honours `AWS_ENDPOINT_URL` (or [`Settings::endpoint_url`]), so
//! LocalStack, moto or a test server can stand in for AWS.

mod batch;
mod client;
pub mod deploy;
mod ecs;
mod emr;
mod error;
pub mod generic;
mod identity;
mod json;
mod lambda;
pub mod stack;
mod wire;

pub use client::{sdk_config, sdk_config_with_region, stand_in_config, Settings};

use crate::error::names;
use crate::error::Failure;
use crate::integration::{Integration as Backend, TaskFuture, TaskRequest};
use serde_json::Value;
use sfc_asl::integrations::Integration;
use sfc_asl::resource::{Pattern, Resource};
use std::time::Duration;

/// The real services, one client each per identity (the configuration's
/// own, or a role a Task's Credentials name).
pub struct Aws {
    identities: identity::Identities,
    poll: Duration,
    progress: Option<Progress>,
}

/// Told, at every poll of a running `.sync` job, the state's name and
/// the job's status (`RUNNABLE`, `STARTING`, ...).
pub type Progress = Box<dyn Fn(&str, &str)>;

/// One call, as the service modules see it.
pub(crate) struct Call<'a> {
    /// What the catalogue knows of the integration called.
    pub integration: &'static Integration,
    pub parameters: Value,
    /// `.sync`: wait for the job to finish.
    pub sync: bool,
    pub submitted: &'a dyn Fn(Value),
    /// How long to wait between two describe calls while a job runs.
    pub poll: Duration,
    pub state: &'a str,
    pub progress: Option<&'a ProgressFn>,
}

/// What [`Progress`] boxes.
pub(crate) type ProgressFn = dyn Fn(&str, &str);

/// `.sync`: polls `describe` (the job's status and its description) until
/// a status the integration catalogue names as the end: the description,
/// or `States.TaskFailed` with it as the cause.
pub(crate) async fn poll<F, Fut>(call: &Call<'_>, mut describe: F) -> Result<Value, Failure>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<(String, Value), Failure>>,
{
    let Some(sync) = &call.integration.sync else {
        return Err(Failure::runtime(format!("{} has no .sync form", call.integration.name)));
    };
    loop {
        let (status, description) = describe().await?;
        match sync.outcome(&status) {
            Some(true) => return Ok(description),
            Some(false) => return Err(Failure::new(names::TASK_FAILED, description.to_string())),
            None => call.wait(&status).await,
        }
    }
}

impl Call<'_> {
    /// Reports the running job's status, then waits for the next poll.
    pub async fn wait(&self, status: &str) {
        if let Some(report) = self.progress {
            report(self.state, status);
        }
        pause(self.poll).await;
    }
}

/// Waits one poll interval of wall-clock time, whatever the run's clock:
/// the job runs on AWS in real time, and each poll is a call to it (on
/// `sfc serve --time-scale 0` a scaled pause was none, and a `.sync` task
/// asked for the job's status without pause until it ended).
async fn pause(poll: Duration) {
    tokio::time::sleep(poll).await;
}

/// Endpoints of single services over the configuration's, as Step
/// Functions Local reads them from `LAMBDA_ENDPOINT`, `BATCH_ENDPOINT`,
/// `ECS_ENDPOINT` (and `EMR_ENDPOINT`), and for the services called
/// without an SDK crate `DYNAMODB_ENDPOINT`, `SQS_ENDPOINT`,
/// `SNS_ENDPOINT`, `STEP_FUNCTIONS_ENDPOINT`, `GLUE_ENDPOINT`,
/// `SAGEMAKER_ENDPOINT`, `EVENTBRIDGE_ENDPOINT` (the service catalogue's).
#[derive(Debug, Clone, Default)]
pub struct Endpoints {
    pub emr: Option<String>,
    pub batch: Option<String>,
    pub ecs: Option<String>,
    pub lambda: Option<String>,
    /// By the service's `aws-sdk` name.
    pub others: Vec<(&'static str, String)>,
}

impl Endpoints {
    pub fn from_env() -> Endpoints {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let others = sfc_asl::integrations::services::SERVICES.iter().filter_map(|s| Some((s.name, var(s.endpoint_variable?)?))).collect();
        Endpoints {
            emr: var("EMR_ENDPOINT"),
            batch: var("BATCH_ENDPOINT"),
            ecs: var("ECS_ENDPOINT"),
            lambda: var("LAMBDA_ENDPOINT"),
            others,
        }
    }
}

impl Aws {
    pub fn new(config: &aws_config::SdkConfig, poll: Duration) -> Aws {
        Aws::with_endpoints(config, poll, &Endpoints::default())
    }

    /// [`Aws::new`] with some services at endpoints of their own.
    pub fn with_endpoints(config: &aws_config::SdkConfig, poll: Duration, endpoints: &Endpoints) -> Aws {
        Aws { identities: identity::Identities::new(config, endpoints), poll, progress: None }
    }

    /// Reports the status of running `.sync` jobs as they are polled.
    pub fn with_progress(mut self, progress: Progress) -> Aws {
        self.progress = Some(progress);
        self
    }

    /// `states:startExecution.sync` (`.sync:2`): starts the child, then
    /// describes it every poll interval until it ends.
    async fn start_execution_sync(&self, generic: &generic::Generic, request: TaskRequest<'_>, pattern: Pattern) -> Result<Value, Failure> {
        let started = generic.optimized("states", "startExecution", request.parameters.into_owned()).await?;
        (request.submitted)(started.clone());
        let arn = started["ExecutionArn"].clone();
        loop {
            let description = generic.sdk("sfn", "describeExecution", serde_json::json!({"ExecutionArn": arn})).await?;
            if let Some(end) = crate::api_shapes::child_execution_end(description, pattern == Pattern::Sync2) {
                return end;
            }
            if let Some(report) = &self.progress {
                report(request.state, "RUNNING");
            }
            pause(self.poll).await;
        }
    }

    /// Makes the call of a `.waitForTaskToken` task (the message or
    /// invocation that carries the token) as a request-response call; the
    /// caller waits for the token's answer.
    pub fn send_for_callback<'a>(&'a self, request: TaskRequest<'a>) -> TaskFuture<'a> {
        Box::pin(self.call(request, true))
    }

    async fn call(&self, request: TaskRequest<'_>, sends_token: bool) -> Result<Value, Failure> {
        let resource = request.resource;
        let clients = self.identities.clients(request.role_arn).await;
        let generic = &clients.generic;
        let (service, action, pattern) = match Resource::parse(resource) {
            Resource::Integration { service, action, pattern, .. } => (service, action, pattern),
            // A Lambda function ARN used as the Resource (the legacy form).
            Resource::Lambda { .. } => return lambda::invoke_legacy(&clients.lambda, resource, request.parameters.into_owned()).await,
            _ => return Err(unsupported(request.state, resource)),
        };
        let pattern = if sends_token && pattern == Pattern::WaitForTaskToken { Pattern::RequestResponse } else { pattern };
        let s3 = matches!(service, "s3" | "aws-sdk:s3") && generic::calls_s3(action);
        if s3 && pattern == Pattern::RequestResponse {
            return generic.s3(action, request.parameters.into_owned()).await;
        }
        if let (Some(sdk), Pattern::RequestResponse) = (service.strip_prefix("aws-sdk:"), pattern) {
            return generic.sdk(sdk, action, request.parameters.into_owned()).await;
        }
        if (service, action) == ("states", "startExecution") && pattern.is_sync() {
            return self.start_execution_sync(generic, request, pattern).await;
        }
        if pattern == Pattern::RequestResponse && generic::calls_optimized(service, action) {
            return generic.optimized(service, action, request.parameters.into_owned()).await;
        }
        if pattern == Pattern::WaitForTaskToken {
            return Err(Failure::runtime(format!(
                "Task state '{}' waits for a callback ({resource}); nothing sends task tokens back to a local run, so mock this state",
                request.state
            )));
        }
        let Some(integration) = sfc_asl::integrations::find(service, action) else {
            return Err(unsupported(request.state, resource));
        };
        let call = Call {
            integration,
            parameters: request.parameters.into_owned(),
            sync: pattern.is_sync(),
            submitted: request.submitted,
            poll: self.poll,
            state: request.state,
            progress: self.progress.as_deref(),
        };
        let outcome = match (service, action) {
            ("batch", "submitJob") => batch::submit_job(&clients.batch, &call).await,
            ("ecs", "runTask") => ecs::run_task(&clients.ecs, &call).await,
            ("elasticmapreduce", "createCluster") => emr::create_cluster(&clients.emr, &call).await,
            ("elasticmapreduce", "addStep") => emr::add_step(&clients.emr, &call).await,
            ("elasticmapreduce", "terminateCluster") => emr::terminate_cluster(&clients.emr, &call).await,
            ("lambda", "invoke") if !call.sync => lambda::invoke(&clients.lambda, &call).await,
            _ => return Err(unsupported(call.state, resource)),
        };
        // Parameter mistakes name the state, as everything else does.
        outcome.map_err(|f| match f.error.as_str() {
            crate::error::names::RUNTIME => {
                Failure::runtime(format!("Task state '{}' ({resource}): {}", request.state, f.cause.unwrap_or_default()))
            }
            _ => f,
        })
    }
}

/// How a run reaches AWS: where and as whom, how often `.sync` jobs are
/// polled, and who is told of their progress.
pub struct Calls {
    pub settings: Settings,
    pub poll: Duration,
    pub progress: Option<Progress>,
}

/// Runs `machine` against AWS in real time: states the mock case mocks
/// get their mocked responses, S3 calls go to `s3_folder` when given,
/// every other Task calls the service.
pub fn run(
    machine: &sfc_asl::StateMachine,
    input: Value,
    mocks: Option<&crate::mock::MockCase>,
    s3_folder: Option<crate::s3_folder::S3Folder>,
    calls: Calls,
    opts: &crate::RunOptions,
) -> Result<crate::Outcome, String> {
    crate::clock::block_on_real_time(async {
        let mut aws = Aws::new(&sdk_config_with_region(&calls.settings).await?, calls.poll);
        aws.progress = calls.progress;
        let layers = crate::mock::Layers { mocks, s3_folder, real: &aws };
        Ok(crate::run::run_with_clock(machine, input, &layers, &crate::clock::RealClock, opts).await)
    })
}

impl Backend for Aws {
    fn invoke<'a>(&'a self, request: TaskRequest<'a>) -> TaskFuture<'a> {
        Box::pin(self.call(request, false))
    }
}

fn unsupported(state: &str, resource: &str) -> Failure {
    Failure::runtime(format!(
        "Task state '{state}' calls {resource}, which sfc cannot call on AWS (it calls EMR, Batch, ECS and Lambda, DynamoDB items, SQS sendMessage, SNS publish, EventBridge putEvents, Step Functions startExecution, and aws-sdk integrations of the JSON-protocol services); mock this state"
    ))
}
