//! The event types of `GetExecutionHistory`, each with the name of its
//! `*EventDetails` member.

use std::fmt;

macro_rules! event_types {
    ($($name:ident => $details:literal),* $(,)?) => {
        /// The `type` of a history event.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum EventType {
            $($name),*
        }

        impl EventType {
            /// Every event type AWS records.
            pub const ALL: &'static [EventType] = &[$(EventType::$name),*];

            /// The name AWS gives it (`TaskScheduled`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(EventType::$name => stringify!($name)),*
                }
            }

            /// The member its details sit in (`taskScheduledEventDetails`).
            pub fn details_key(self) -> &'static str {
                match self {
                    $(EventType::$name => $details),*
                }
            }
        }
    };
}

event_types! {
    ActivityFailed => "activityFailedEventDetails",
    ActivityScheduleFailed => "activityScheduleFailedEventDetails",
    ActivityScheduled => "activityScheduledEventDetails",
    ActivityStarted => "activityStartedEventDetails",
    ActivitySucceeded => "activitySucceededEventDetails",
    ActivityTimedOut => "activityTimedOutEventDetails",
    ChoiceStateEntered => "stateEnteredEventDetails",
    ChoiceStateExited => "stateExitedEventDetails",
    EvaluationFailed => "evaluationFailedEventDetails",
    ExecutionAborted => "executionAbortedEventDetails",
    ExecutionFailed => "executionFailedEventDetails",
    ExecutionRedriven => "executionRedrivenEventDetails",
    ExecutionStarted => "executionStartedEventDetails",
    ExecutionSucceeded => "executionSucceededEventDetails",
    ExecutionTimedOut => "executionTimedOutEventDetails",
    FailStateEntered => "stateEnteredEventDetails",
    FailStateExited => "stateExitedEventDetails",
    LambdaFunctionFailed => "lambdaFunctionFailedEventDetails",
    LambdaFunctionScheduleFailed => "lambdaFunctionScheduleFailedEventDetails",
    LambdaFunctionScheduled => "lambdaFunctionScheduledEventDetails",
    LambdaFunctionStartFailed => "lambdaFunctionStartFailedEventDetails",
    LambdaFunctionStarted => "lambdaFunctionStartedEventDetails",
    LambdaFunctionSucceeded => "lambdaFunctionSucceededEventDetails",
    LambdaFunctionTimedOut => "lambdaFunctionTimedOutEventDetails",
    MapIterationAborted => "mapIterationAbortedEventDetails",
    MapIterationFailed => "mapIterationFailedEventDetails",
    MapIterationStarted => "mapIterationStartedEventDetails",
    MapIterationSucceeded => "mapIterationSucceededEventDetails",
    MapRunAborted => "mapRunAbortedEventDetails",
    MapRunFailed => "mapRunFailedEventDetails",
    MapRunRedriven => "mapRunRedrivenEventDetails",
    MapRunStarted => "mapRunStartedEventDetails",
    MapRunSucceeded => "mapRunSucceededEventDetails",
    MapStateAborted => "mapStateAbortedEventDetails",
    MapStateEntered => "stateEnteredEventDetails",
    MapStateExited => "stateExitedEventDetails",
    MapStateFailed => "mapStateFailedEventDetails",
    MapStateStarted => "mapStateStartedEventDetails",
    MapStateSucceeded => "mapStateSucceededEventDetails",
    ParallelStateAborted => "parallelStateAbortedEventDetails",
    ParallelStateEntered => "stateEnteredEventDetails",
    ParallelStateExited => "stateExitedEventDetails",
    ParallelStateFailed => "parallelStateFailedEventDetails",
    ParallelStateStarted => "parallelStateStartedEventDetails",
    ParallelStateSucceeded => "parallelStateSucceededEventDetails",
    PassStateEntered => "stateEnteredEventDetails",
    PassStateExited => "stateExitedEventDetails",
    SucceedStateEntered => "stateEnteredEventDetails",
    SucceedStateExited => "stateExitedEventDetails",
    TaskFailed => "taskFailedEventDetails",
    TaskScheduled => "taskScheduledEventDetails",
    TaskStartFailed => "taskStartFailedEventDetails",
    TaskStarted => "taskStartedEventDetails",
    TaskStateAborted => "taskStateAbortedEventDetails",
    TaskStateEntered => "stateEnteredEventDetails",
    TaskStateExited => "stateExitedEventDetails",
    TaskSubmitFailed => "taskSubmitFailedEventDetails",
    TaskSubmitted => "taskSubmittedEventDetails",
    TaskSucceeded => "taskSucceededEventDetails",
    TaskTimedOut => "taskTimedOutEventDetails",
    WaitStateAborted => "waitStateAbortedEventDetails",
    WaitStateEntered => "stateEnteredEventDetails",
    WaitStateExited => "stateExitedEventDetails",
}

impl EventType {
    /// `TaskStateEntered`, `PassStateEntered`, ...
    pub fn is_state_entered(self) -> bool {
        self.details_key() == "stateEnteredEventDetails"
    }

    /// `TaskStateExited`, `PassStateExited`, ...
    pub fn is_state_exited(self) -> bool {
        self.details_key() == "stateExitedEventDetails"
    }

    /// The type AWS names `name`.
    pub fn parse(name: &str) -> Option<EventType> {
        EventType::ALL.iter().copied().find(|t| t.as_str() == name)
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<str> for EventType {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for EventType {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::EventType;

    /// Each details member is the type's name in camelCase plus
    /// `EventDetails`, but for the state events, which share two members.
    #[test]
    fn details_keys_follow_aws_naming() {
        for t in EventType::ALL {
            let name = t.as_str();
            let expected = if name.ends_with("StateEntered") {
                "stateEnteredEventDetails".to_string()
            } else if name.ends_with("StateExited") {
                "stateExitedEventDetails".to_string()
            } else {
                format!("{}{}EventDetails", name[..1].to_lowercase(), &name[1..])
            };
            assert_eq!(t.details_key(), expected, "{name}");
            assert_eq!(EventType::parse(name), Some(*t));
        }
    }
}
