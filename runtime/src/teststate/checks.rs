//! What TestState refuses before it runs anything, in AWS's words: a mock
//! where the state has nothing to mock, a Map or Parallel without one, a
//! mock result of the wrong shape, a context object AWS would not take,
//! settings for a kind of state they do not apply to.

use super::{Mock, Test};
use serde_json::Value;
use sfc_asl::State;

/// A request TestState does not run: AWS's error code and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: &'static str,
    pub message: String,
}

fn validation(message: impl Into<String>) -> Refusal {
    Refusal { code: "ValidationException", message: message.into() }
}

pub fn check(t: &Test) -> Result<(), Refusal> {
    check_mock(t)?;
    check_configuration(t)?;
    match &t.context {
        Some(ctx) => check_context(t, ctx),
        None => Ok(()),
    }
}

fn check_mock(t: &Test) -> Result<(), Refusal> {
    let result = match (&t.state, &t.mock) {
        (State::Map(_) | State::Parallel(_), None) => {
            return Err(Refusal {
                code: "InvalidDefinition",
                message: "TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]"
                    .into(),
            })
        }
        (State::Task(_), _) | (_, None) => return Ok(()),
        (State::Map(_) | State::Parallel(_), Some(Mock::Result(v))) => v,
        (State::Map(_) | State::Parallel(_), Some(Mock::Error(_))) => return Ok(()),
        (other, Some(_)) => return Err(validation(format!("State type '{}' is not supported when a mock is specified", other.type_name()))),
    };
    match &t.state {
        State::Map(m) if m.result_writer.is_some() && !result.is_object() => Err(validation("Mocked result must be a JSON object.")),
        State::Map(m) if m.result_writer.is_none() && !result.is_array() => Err(validation("Mocked result must be an array.")),
        State::Parallel(_) if !result.is_array() => Err(validation("Mocked result must be an array.")),
        State::Parallel(p) if result.as_array().map(Vec::len) != Some(p.branches.len()) => {
            Err(validation("Mocked result must contain the same number of items as number of Parallel branches."))
        }
        _ => Ok(()),
    }
}

/// `stateConfiguration`: the Map settings only on a Map, the state an
/// error comes from only with an error mock of a Map or Parallel, and
/// naming a state inside it.
fn check_configuration(t: &Test) -> Result<(), Refusal> {
    let is_map = matches!(t.state, State::Map(_));
    if !is_map && (t.iteration_failures.is_some() || t.reader_data.is_some()) {
        return Err(validation("stateConfiguration.mapIterationFailureCount and mapItemReaderData apply only to a Map state"));
    }
    if let (State::Map(m), Some(data)) = (&t.state, &t.reader_data) {
        let Some(reader) = &m.item_reader else {
            return Err(validation("stateConfiguration.mapItemReaderData needs a Map state with an ItemReader"));
        };
        crate::item_reader::items(data, reader.reader_config.as_ref())
            .map_err(|why| validation(format!("stateConfiguration.mapItemReaderData cannot be read: {why}")))?;
    }
    let Some(origin) = &t.error_caused_by else { return Ok(()) };
    let inner: Vec<&sfc_asl::StateMachine> = match &t.state {
        State::Map(m) => m.processor().into_iter().collect(),
        State::Parallel(p) => p.branches.iter().collect(),
        _ => return Err(validation("stateConfiguration.errorCausedByState applies only to a Map or Parallel state")),
    };
    if !matches!(t.mock, Some(Mock::Error(_))) {
        return Err(validation("stateConfiguration.errorCausedByState needs a mock errorOutput"));
    }
    if !inner.iter().any(|m| m.states.contains_key(origin.as_str())) {
        return Err(validation(format!(
            "stateConfiguration.errorCausedByState names '{origin}', which is not a state inside the tested state"
        )));
    }
    Ok(())
}

/// The fields a given context object may hold, by part, and whether each
/// is a string (or else an integer).
const CONTEXT_FIELDS: &[(&str, &[(&str, bool)])] = &[
    (
        "Execution",
        &[
            ("Id", true),
            ("Input", false),
            ("Name", true),
            ("RoleArn", true),
            ("StartTime", true),
            ("RedriveCount", false),
            ("RedriveTime", true),
        ],
    ),
    ("State", &[("EnteredTime", true), ("Name", true), ("RetryCount", false)]),
    ("StateMachine", &[("Id", true), ("Name", true)]),
    ("Task", &[("Token", true)]),
];

fn check_context(t: &Test, ctx: &Value) -> Result<(), Refusal> {
    let invalid = |why: String| validation(format!("Invalid Context object provided: {why}"));
    if t.mock.is_none() {
        return Err(validation("A context object can only be given with a mock"));
    }
    let Some(parts) = ctx.as_object() else { return Err(invalid("it must be a JSON object".into())) };
    for (part, value) in parts {
        if part == "Map" {
            return Err(invalid("'Map' field is not supported when mocking a Context object".into()));
        }
        let Some((_, fields)) = CONTEXT_FIELDS.iter().find(|(p, _)| p == part) else {
            return Err(invalid(format!("Field '{part}' is not allowed")));
        };
        let Some(members) = value.as_object() else { return Err(invalid(format!("{part} must be an object"))) };
        for (name, v) in members {
            let Some((_, string)) = fields.iter().find(|(f, _)| f == name) else {
                return Err(invalid(format!("Field '{name}' is not allowed")));
            };
            match (string, name.as_str()) {
                (true, _) if !v.is_string() => return Err(invalid(format!("{part}.{name} must be a string"))),
                (false, "Input") => {}
                (false, _) if !v.is_u64() => return Err(invalid(format!("{part}.{name} must be an integer"))),
                _ => {}
            }
        }
    }
    if parts.contains_key("Task") && !waits_for_the_task(&t.state) {
        return Err(invalid(
            "Context object contains 'Task' when state is not a Task state with a '.sync' or '.waitForTaskToken' service integration pattern"
                .into(),
        ));
    }
    Ok(())
}

fn waits_for_the_task(state: &State) -> bool {
    let State::Task(task) = state else { return false };
    let r = task.resource.as_str();
    r.ends_with(".waitForTaskToken") || r.contains(".sync")
}
