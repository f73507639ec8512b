//! Failures ASL can catch (an error name and a cause), as values.

use std::fmt;

/// A failure inside an execution: what Retry and Catch match on and what
/// an execution that fails reports. Distinct from failures of sfc itself.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Failure {
    pub error: String,
    pub cause: Option<String>,
    /// Who raised it, which decides what Retry and Catch can match.
    pub origin: Origin,
}

/// Where a failure came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Origin {
    /// The interpreter: paths, templates, limits, Fail states, ...
    #[default]
    Interpreter,
    /// The task's service reported it (its *Failed event says so): even a
    /// `States.DataLimitExceeded` (a result too large) is then an ordinary
    /// task failure that `States.ALL` catches, as AWS records it.
    Service,
    /// A missed heartbeat. AWS records it as `States.Timeout` (in the
    /// TaskTimedOut event and the execution's error), yet a retrier or
    /// catcher naming `States.HeartbeatTimeout` matches it too.
    Heartbeat,
}

/// The predefined error names.
pub mod names {
    pub const ALL: &str = "States.ALL";
    pub const RUNTIME: &str = "States.Runtime";
    pub const TIMEOUT: &str = "States.Timeout";
    pub const HEARTBEAT_TIMEOUT: &str = "States.HeartbeatTimeout";
    pub const TASK_FAILED: &str = "States.TaskFailed";
    pub const BRANCH_FAILED: &str = "States.BranchFailed";
    pub const NO_CHOICE_MATCHED: &str = "States.NoChoiceMatched";
    pub const INTRINSIC_FAILURE: &str = "States.IntrinsicFailure";
    pub const PARAMETER_PATH_FAILURE: &str = "States.ParameterPathFailure";
    pub const RESULT_PATH_MATCH_FAILURE: &str = "States.ResultPathMatchFailure";
    pub const DATA_LIMIT_EXCEEDED: &str = "States.DataLimitExceeded";
    pub const EXCEED_TOLERATED_FAILURE_THRESHOLD: &str = "States.ExceedToleratedFailureThreshold";
    pub const ITEM_READER_FAILED: &str = "States.ItemReaderFailed";
    pub const RESULT_WRITER_FAILED: &str = "States.ResultWriterFailed";
    pub const PERMISSIONS: &str = "States.Permissions";
}

impl Failure {
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> Self {
        Failure { error: error.into(), cause: Some(cause.into()), origin: Origin::Interpreter }
    }

    /// A failure with no cause (a Fail state without Cause).
    pub fn bare(error: impl Into<String>) -> Self {
        Failure { error: error.into(), cause: None, origin: Origin::Interpreter }
    }

    /// A task that ran past TimeoutSeconds. Its cause is empty: a Catch
    /// passes on `"Cause": ""`, while the history and the execution's
    /// result leave an empty cause out, as AWS records them.
    pub fn task_timeout() -> Self {
        Failure { error: names::TIMEOUT.into(), cause: Some(String::new()), origin: Origin::Interpreter }
    }

    /// A task that sent no heartbeat within HeartbeatSeconds.
    pub fn heartbeat_timeout() -> Self {
        Failure { origin: Origin::Heartbeat, ..Failure::task_timeout() }
    }

    pub fn runtime(cause: impl Into<String>) -> Self {
        Failure::new(names::RUNTIME, cause)
    }

    pub fn intrinsic(cause: impl Into<String>) -> Self {
        Failure::new(names::INTRINSIC_FAILURE, cause)
    }

    /// `States.ALL` matches every error except these terminal ones:
    /// `States.Runtime`, and a `States.DataLimitExceeded` the interpreter
    /// raised (one the task's service reported is a task failure).
    pub fn is_terminal(&self) -> bool {
        self.error == names::RUNTIME || (self.error == names::DATA_LIMIT_EXCEEDED && self.origin != Origin::Service)
    }

    /// Whether an ErrorEquals list matches this failure. `States.Runtime`
    /// "will always cause the execution to fail" (AWS): nothing matches
    /// it, not even naming it, as AWS's recorded executions show.
    pub fn matches(&self, error_equals: &[String]) -> bool {
        if self.error == names::RUNTIME {
            return false;
        }
        error_equals.iter().any(|e| {
            e == &self.error
                || (e == names::HEARTBEAT_TIMEOUT && self.origin == Origin::Heartbeat)
                || (e == names::ALL && !self.is_terminal())
                || (e == names::TASK_FAILED && self.is_task_error())
        })
    }

    /// AWS: `States.TaskFailed` "acts as a wildcard that matches any known
    /// error name except for States.Timeout" (nor the terminal errors).
    fn is_task_error(&self) -> bool {
        self.error != names::TIMEOUT && !self.is_terminal()
    }

    /// The JSON a Catch passes on: `{"Error": ..., "Cause": ...}`. A
    /// failure reported with no error name (a callback's SendTaskFailure
    /// without one) has both as null, as AWS passes it on.
    pub fn to_error_output(&self) -> serde_json::Value {
        if self.error.is_empty() {
            return serde_json::json!({"Error": null, "Cause": self.cause});
        }
        let mut m = serde_json::Map::new();
        m.insert("Error".into(), self.error.clone().into());
        if let Some(c) = &self.cause {
            m.insert("Cause".into(), c.clone().into());
        }
        serde_json::Value::Object(m)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.cause {
            Some(c) => write!(f, "{}: {}", self.error, c),
            None => f.write_str(&self.error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_all_does_not_catch_terminal_errors() {
        let all = vec![names::ALL.to_string()];
        assert!(Failure::bare("Custom").matches(&all));
        assert!(!Failure::runtime("x").matches(&all));
        let limit = Failure::bare(names::DATA_LIMIT_EXCEEDED);
        assert!(!limit.matches(&all));
        assert!(limit.matches(&[names::DATA_LIMIT_EXCEEDED.to_string()]));
    }

    /// test_catch_states_runtime: a Catch naming States.Runtime did not
    /// catch it; the execution failed.
    #[test]
    fn nothing_matches_states_runtime() {
        assert!(!Failure::runtime("x").matches(&[names::RUNTIME.to_string()]));
    }

    /// test_task_lambda_catch_state_all_data_limit_exceeded_on_large_utf8_response:
    /// a function's result too large failed the task, and States.ALL caught it.
    #[test]
    fn a_service_reported_data_limit_is_a_task_failure() {
        let f = Failure { origin: Origin::Service, ..Failure::bare(names::DATA_LIMIT_EXCEEDED) };
        assert!(f.matches(&[names::ALL.to_string()]));
    }

    #[test]
    fn task_failed_matches_task_errors_only() {
        let tf = vec![names::TASK_FAILED.to_string()];
        assert!(Failure::bare("Lambda.ServiceException").matches(&tf));
        assert!(!Failure::bare(names::TIMEOUT).matches(&tf));
        assert!(!Failure::runtime("x").matches(&tf));
    }
}
