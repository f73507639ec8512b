//! ARNs and names as Step Functions makes and checks them.

use crate::error::{ApiError, ApiResult};

/// Where resources live: the region and account their ARNs name.
#[derive(Debug, Clone)]
pub struct Scope {
    pub region: String,
    pub account: String,
}

impl Scope {
    fn arn(&self, rest: &str) -> String {
        format!("arn:aws:states:{}:{}:{rest}", self.region, self.account)
    }

    pub fn machine_arn(&self, name: &str) -> String {
        self.arn(&format!("stateMachine:{name}"))
    }

    pub fn execution_arn(&self, machine: &str, name: &str) -> String {
        self.arn(&format!("execution:{machine}:{name}"))
    }

    pub fn express_execution_arn(&self, machine: &str, name: &str, id: &str) -> String {
        self.arn(&format!("express:{machine}:{name}:{id}"))
    }

    pub fn activity_arn(&self, name: &str) -> String {
        self.arn(&format!("activity:{name}"))
    }
}

/// What an ARN of this API names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arn {
    /// A state machine; `qualifier` is a version number or an alias name.
    Machine {
        name: String,
        qualifier: Option<String>,
    },
    /// A STANDARD execution, or an EXPRESS one (`express:...:id`).
    Execution {
        machine: String,
        name: String,
    },
    Activity {
        name: String,
    },
    /// A distributed Map's run: `mapRun:<machine>/<label>:<id>`.
    MapRun {
        machine: String,
    },
    /// A Map Run's child execution: `execution:<machine>/<label>:<id>:<name>`.
    Child {
        map_run_arn: String,
        name: String,
    },
}

/// Reads an ARN of this service in this scope; anything else is InvalidArn.
pub fn parse_arn(arn: &str) -> ApiResult<Arn> {
    let parts: Vec<&str> = arn.split(':').collect();
    if parts.len() < 7 || parts[0] != "arn" || parts[2] != "states" || parts.iter().enumerate().any(|(i, p)| i != 2 && p.is_empty()) {
        return Err(ApiError::invalid_arn(arn));
    }
    let rest = &parts[6..];
    Ok(match (parts[5], rest) {
        ("stateMachine", [name]) => Arn::Machine { name: name.to_string(), qualifier: None },
        ("stateMachine", [name, q]) => Arn::Machine { name: name.to_string(), qualifier: Some(q.to_string()) },
        ("execution", [machine, name]) => Arn::Execution { machine: machine.to_string(), name: name.to_string() },
        ("express", [machine, name, _id]) => Arn::Execution { machine: machine.to_string(), name: name.to_string() },
        ("activity", [name]) => Arn::Activity { name: name.to_string() },
        ("mapRun", [run, _id]) => match run.split_once('/') {
            Some((machine, label)) if !machine.is_empty() && !label.is_empty() => Arn::MapRun { machine: machine.to_string() },
            _ => return Err(ApiError::invalid_arn(arn)),
        },
        ("execution", [run, id, name]) if run.contains('/') => {
            let map_run_arn = format!("{}:mapRun:{run}:{id}", parts[..5].join(":"));
            Arn::Child { map_run_arn, name: name.to_string() }
        }
        _ => return Err(ApiError::invalid_arn(arn)),
    })
}

/// Step Functions' name rules (state machines, executions, activities,
/// aliases): 1 to 80 characters, no white space, brackets, wildcards,
/// special characters or control characters.
pub fn check_name(name: &str, what: &str) -> ApiResult<()> {
    if sfc_asl::resource::name_problem(name).is_some() {
        return Err(ApiError::new("InvalidName", format!("Invalid Name: '{name}' (a {what} name has 1 to 80 characters, without white space, brackets, wildcards or special characters)")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_round_trip() {
        let s = Scope { region: "us-east-1".into(), account: "123456789012".into() };
        assert_eq!(parse_arn(&s.machine_arn("M")), Ok(Arn::Machine { name: "M".into(), qualifier: None }));
        assert_eq!(parse_arn(&(s.machine_arn("M") + ":3")), Ok(Arn::Machine { name: "M".into(), qualifier: Some("3".into()) }));
        assert_eq!(parse_arn(&s.execution_arn("M", "e")), Ok(Arn::Execution { machine: "M".into(), name: "e".into() }));
        assert_eq!(parse_arn(&s.express_execution_arn("M", "e", "id")), Ok(Arn::Execution { machine: "M".into(), name: "e".into() }));
        assert_eq!(parse_arn(&s.activity_arn("a")), Ok(Arn::Activity { name: "a".into() }));
        assert_eq!(parse_arn("arn:aws:states:r:1:mapRun:M/Map:0b1c"), Ok(Arn::MapRun { machine: "M".into() }));
        let child = sfc_runtime::map_runs::child_execution_arn("arn:aws:states:r:1:mapRun:M/Map:0b1c", "7");
        assert_eq!(parse_arn(&child), Ok(Arn::Child { map_run_arn: "arn:aws:states:r:1:mapRun:M/Map:0b1c".into(), name: "7".into() }));
        for bad in [
            "",
            "nope",
            "arn:aws:lambda:us-east-1:1:function:f",
            "arn:aws:states:us-east-1:1:stateMachine:",
            "arn:aws:states:::stateMachine:M",
            "arn:aws:states:r:1:mapRun:M:0b1c",
            "arn:aws:states:r:1:mapRun:M/:0b1c",
        ] {
            assert_eq!(parse_arn(bad).unwrap_err().code, "InvalidArn", "{bad}");
        }
    }

    #[test]
    fn names_follow_aws_rules() {
        for ok in ["a", "my-machine_1", "Ünïcode", &"x".repeat(80)] {
            assert!(check_name(ok, "state machine").is_ok(), "{ok}");
        }
        for bad in ["", "a b", "a:b", "a/b", "a#b", "a*", "tab\t", "\u{7f}", &"x".repeat(81)] {
            assert_eq!(check_name(bad, "state machine").unwrap_err().code, "InvalidName", "{bad:?}");
        }
    }
}
