//! Batch submitJob, `.sync`, its errors and progress.

use crate::*;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn batch_job(server: &MockServer, final_status: &str) {
    Mock::given(method("POST"))
        .and(path("/v1/submitjob"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"jobArn": "arn:aws:batch:us-east-1:1:job/j-1", "jobName": "extract", "jobId": "j-1"})),
        )
        .mount(server)
        .await;
    let job = |status: &str| {
        json!({"jobs": [{"jobName": "extract", "jobId": "j-1", "jobQueue": "q", "status": status, "startedAt": 1_700_000_000_000i64,
        "jobDefinition": "def:1", "createdAt": 1_699_999_999_000i64,
        "container": {"exitCode": if status == "FAILED" { 1 } else { 0 }, "logStreamName": "def/default/abc"},
        "attempts": [{"container": {"exitCode": 0}, "statusReason": "Essential container in task exited"}]}]})
    };
    let statuses = ["SUBMITTED", "RUNNABLE", "RUNNING", final_status];
    let sequence = Sequence { bodies: statuses.iter().map(|s| job(s)).collect(), next: Default::default() };
    Mock::given(path("/v1/describejobs")).respond_with(sequence).mount(server).await;
}

const SUBMIT: &str = "arn:aws:states:::batch:submitJob.sync";

pub(crate) fn submit_params() -> Value {
    json!({"JobName": "extract", "JobQueue": "q", "JobDefinition": "def", "Parameters": {"run_date": "2026-11-01"},
        "ContainerOverrides": {"Command": ["python", "x.py"], "ResourceRequirements": [{"Type": "VCPU", "Value": "2"}]}})
}

#[tokio::test]
async fn batch_sync_submits_polls_and_returns_the_job_description() {
    let server = MockServer::start().await;
    batch_job(&server, "SUCCEEDED").await;
    let out = run(&server, &task(SUBMIT, submit_params()), json!({})).await;
    assert_eq!(out.status, Status::Succeeded, "{:?}", out.cause);
    let output = out.output.unwrap();
    assert_eq!(output["JobId"], "j-1");
    assert_eq!(output["Status"], "SUCCEEDED");
    assert_eq!(output["Container"]["LogStreamName"], "def/default/abc");
    assert_eq!(output["CreatedAt"], 1_699_999_999_000i64);
    // The submit call is recorded as TaskSubmitted, as AWS records it.
    let submitted = out.history.iter().find(|e| e.kind == "TaskSubmitted").expect("a TaskSubmitted event");
    assert!(submitted.to_json().to_string().contains("j-1"));
    let requests = server.received_requests().await.unwrap();
    let submit = requests.iter().find(|r| r.url.path() == "/v1/submitjob").unwrap();
    let sent = body(submit);
    assert_eq!(sent["jobQueue"], "q");
    assert_eq!(sent["parameters"]["run_date"], "2026-11-01");
    assert_eq!(sent["containerOverrides"]["resourceRequirements"][0]["type"], "VCPU");
    assert!(sent["containerOverrides"]["environment"].to_string().contains("STARTED_BY_STEP_FUNCTIONS"));
    // SUBMITTED → RUNNABLE → RUNNING → SUCCEEDED: four polls, no more.
    assert_eq!(requests.iter().filter(|r| r.url.path() == "/v1/describejobs").count(), 4, "polled until the job ended");
}

#[tokio::test]
async fn a_failed_batch_job_is_states_task_failed_with_the_job_as_cause() {
    let server = MockServer::start().await;
    batch_job(&server, "FAILED").await;
    let out = run(&server, &task(SUBMIT, submit_params()), json!({})).await;
    assert_eq!(out.status, Status::Failed);
    assert_eq!(out.error.as_deref(), Some("States.TaskFailed"));
    let cause: Value = serde_json::from_str(out.cause.as_deref().unwrap()).unwrap();
    assert_eq!(cause["Status"], "FAILED");
    assert_eq!(cause["Container"]["ExitCode"], 1);
}

#[tokio::test]
async fn a_batch_service_error_is_named_after_the_service_and_can_be_retried() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/submitjob"))
        .respond_with(
            ResponseTemplate::new(400)
                .insert_header("x-amzn-ErrorType", "ClientException")
                .insert_header("x-amzn-RequestId", "req-1")
                .set_body_json(json!({"message": "JobQueue q not found"})),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    let m = task(SUBMIT, submit_params());
    let out = run(&server, &m, json!({})).await;
    assert_eq!(out.error.as_deref(), Some("Batch.ClientException"));
    let cause = out.cause.unwrap();
    assert!(
        cause.starts_with("JobQueue q not found (Service: AWSBatch; Status Code: 400; Error Code: ClientException; Request ID: req-1"),
        "{cause}"
    );

    // The second attempt reaches a healthy queue.
    batch_job(&server, "SUCCEEDED").await;
    let retried = machine(json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": SUBMIT, "Parameters": submit_params(),
        "Retry": [{"ErrorEquals": ["Batch.ClientException"], "IntervalSeconds": 1, "MaxAttempts": 1}], "End": true}}}));
    server.reset().await;
    Mock::given(path("/v1/submitjob"))
        .respond_with(
            ResponseTemplate::new(400).insert_header("x-amzn-ErrorType", "ClientException").set_body_json(json!({"message": "busy"})),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    batch_job(&server, "SUCCEEDED").await;
    let out = run(&server, &retried, json!({})).await;
    assert_eq!(out.status, Status::Succeeded, "{:?}", out.cause);
}

#[tokio::test]
async fn parameters_sfc_does_not_pass_on_are_named() {
    let server = MockServer::start().await;
    let mut p = submit_params();
    p["ContainerOverrides"]["Comand"] = json!(["typo"]);
    let out = run(&server, &task(SUBMIT, p), json!({})).await;
    assert_eq!(out.error.as_deref(), Some("States.Runtime"));
    let cause = out.cause.unwrap();
    assert!(cause.contains("Task state 'T'") && cause.contains("ContainerOverrides.Comand"), "{cause}");
    assert!(server.received_requests().await.unwrap().is_empty(), "nothing was sent");
}

/// The statuses a running job goes through are reported at every poll
/// (the CLI shows them on a terminal).
#[tokio::test]
async fn progress_reports_each_status_of_a_running_job() {
    let server = MockServer::start().await;
    batch_job(&server, "SUCCEEDED").await;
    let seen = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let sink = seen.clone();
    let aws = Aws::new(&stand_in_config(&server.uri()), Duration::from_millis(5))
        .with_progress(Box::new(move |state: &str, status: &str| sink.borrow_mut().push(format!("{state}: {status}"))));
    let out = run_with_clock(
        &task(SUBMIT, submit_params()),
        json!({}),
        &aws,
        &RealClock,
        &RunOptions { real_time: true, ..RunOptions::default() },
    )
    .await;
    assert_eq!(out.status, Status::Succeeded);
    assert_eq!(*seen.borrow(), vec!["T: SUBMITTED", "T: RUNNABLE", "T: RUNNING"]);
}

/// The pause between two polls of a `.sync` job is wall-clock time,
/// whatever the run's clock: at `sfc serve --time-scale 0` (every wait of
/// the workflow instant) a job still described four times waits three
/// whole poll intervals, where it asked AWS again without pause.
#[tokio::test]
async fn polls_of_a_running_job_pause_in_wall_clock_time_whatever_the_clock() {
    let server = MockServer::start().await;
    batch_job(&server, "SUCCEEDED").await;
    let poll = Duration::from_millis(100);
    let aws = Aws::new(&stand_in_config(&server.uri()), poll);
    let instant = sfc_runtime::clock::ScaledClock { scale: 0.0 };
    let started = std::time::Instant::now();
    let opts = RunOptions { real_time: true, ..RunOptions::default() };
    let out = run_with_clock(&task(SUBMIT, submit_params()), json!({}), &aws, &instant, &opts).await;
    assert_eq!(out.status, Status::Succeeded, "{:?}", out.cause);
    let describes = server.received_requests().await.unwrap().iter().filter(|r| r.url.path() == "/v1/describejobs").count();
    assert_eq!(describes, 4);
    assert!(started.elapsed() >= 3 * poll, "three pauses of {poll:?} took {:?}", started.elapsed());
}
