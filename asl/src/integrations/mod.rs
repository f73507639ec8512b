//! The service-integration catalogue: for each optimized integration the
//! language types, its Resource ARN, the API call it makes, the
//! parameters AWS requires and takes, the patterns it may be called with
//! and what `.sync` waits for. The language's typed integrations check
//! parameters against it; the real-call backends read the same lists.

mod catalogue;
pub mod iam;
pub mod services;

pub use catalogue::INTEGRATIONS;

use crate::resource::Pattern;

/// One integration.
pub struct Integration {
    /// Its name in the language (`batch.submitJob`).
    pub name: &'static str,
    /// The service and action of its ARN (`arn:aws:states:::batch:submitJob`).
    pub service: &'static str,
    pub action: &'static str,
    /// The API call it makes (`SubmitJob`), as errors and causes name it.
    pub api: &'static str,
    pub required: &'static [&'static str],
    /// Every parameter the API takes (its request members), with its JSON type.
    pub known: &'static [(&'static str, Kind)],
    /// The members of the task's result when it is called request-response
    /// (`.sync` returns the finished job's description instead).
    pub output: &'static [&'static str],
    pub patterns: &'static [Pattern],
    /// What `.sync` polls, where it has that pattern.
    pub sync: Option<Sync>,
    /// How the service's wire protocol names the members.
    pub wire: Wire,
    /// The members of nested objects, by where they stand (`Overrides`,
    /// `Overrides.ContainerOverrides[]` for each item of that list):
    /// checked before a call, as AWS checks them. Objects elsewhere pass
    /// as they are.
    pub shapes: &'static [(&'static str, &'static [&'static str])],
    /// What the execution role needs to make the call.
    pub iam: &'static iam::Iam,
}

/// How a service's request body names what Step Functions' parameters
/// name in PascalCase.
pub enum Wire {
    /// The same names (EMR's awsJson).
    AsGiven,
    /// camelCase (`JobQueue` → `jobQueue`), except inside these members,
    /// whose values are maps with the user's own keys (Batch's `Parameters`).
    CamelCase { maps: &'static [&'static str] },
}

impl Wire {
    /// The wire's name for a parameter's member.
    pub fn name(&self, member: &str) -> String {
        match self {
            Wire::AsGiven => member.to_string(),
            Wire::CamelCase { .. } => {
                let mut c = member.chars();
                c.next().map(|f| f.to_lowercase().chain(c).collect()).unwrap_or_default()
            }
        }
    }

    /// Whether `member`'s value is a map whose keys are the user's.
    pub fn keeps_keys(&self, member: &str) -> bool {
        matches!(self, Wire::CamelCase { maps } if maps.contains(&member))
    }
}

impl Integration {
    /// The members of the object at `path` (`""` for the parameters
    /// themselves), when the catalogue knows them.
    pub fn members_at(&self, path: &str) -> Option<Vec<&'static str>> {
        if path.is_empty() {
            return Some(self.names());
        }
        self.shapes.iter().find(|(p, _)| *p == path).map(|(_, m)| m.to_vec())
    }

    /// The names of its request members.
    pub fn names(&self) -> Vec<&'static str> {
        self.known.iter().map(|(n, _)| *n).collect()
    }

    /// The JSON type of a request member it takes.
    pub fn kind_of(&self, member: &str) -> Option<Kind> {
        self.known.iter().find(|(n, _)| *n == member).map(|(_, k)| *k)
    }
}

/// The JSON type a request member takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Str,
    Int,
    Bool,
    Object,
    List,
    /// Any JSON (a Lambda Payload, an SNS Message).
    Any,
}

impl Kind {
    /// Whether `v` is of this type (null stands for an absent member).
    pub fn admits(self, v: &serde_json::Value) -> bool {
        v.is_null()
            || match self {
                Kind::Str => v.is_string(),
                Kind::Int => v.is_i64() || v.is_u64(),
                Kind::Bool => v.is_boolean(),
                Kind::Object => v.is_object(),
                Kind::List => v.is_array(),
                Kind::Any => true,
            }
    }

    /// "a string", "a whole number", ... for messages.
    pub fn described(self) -> &'static str {
        match self {
            Kind::Str => "a string",
            Kind::Int => "a whole number",
            Kind::Bool => "true or false",
            Kind::Object => "an object",
            Kind::List => "a list",
            Kind::Any => "any JSON",
        }
    }
}

/// How `.sync` follows a job: the describe call it polls and the job
/// statuses at which it stops.
pub struct Sync {
    pub describe: &'static str,
    /// The task succeeds.
    pub succeeded: &'static [&'static str],
    /// The task fails with `States.TaskFailed` (the job's description as the cause).
    pub failed: &'static [&'static str],
}

impl Sync {
    /// What a polled status means: `Some(true)` succeeded, `Some(false)`
    /// failed, `None` still running.
    pub fn outcome(&self, status: &str) -> Option<bool> {
        if self.succeeded.contains(&status) {
            Some(true)
        } else if self.failed.contains(&status) {
            Some(false)
        } else {
            None
        }
    }
}

impl Integration {
    /// The Resource ARN without a pattern.
    pub fn arn(&self) -> String {
        format!("arn:aws:states:::{}:{}", self.service, self.action)
    }
}

/// The integration a Resource names, by its service and action.
pub fn find(service: &str, action: &str) -> Option<&'static Integration> {
    INTEGRATIONS.iter().find(|i| i.service == service && i.action == action)
}

/// Splits `batch.submitJob.sync` into the integration and its pattern.
pub fn lookup(text: &str) -> Result<(&'static Integration, Pattern), String> {
    let (base, suffix) = match text.rsplit_once('.') {
        Some((b, p)) if p == "sync" || p == "waitForTaskToken" => (b, format!(".{p}")),
        _ => (text, String::new()),
    };
    let Some(i) = INTEGRATIONS.iter().find(|i| i.name == base) else {
        let known: Vec<&str> = INTEGRATIONS.iter().map(|i| i.name).collect();
        return Err(format!("unknown integration `{base}`; known: {} (or aws-sdk:service:action, or a quoted ARN)", known.join(", ")));
    };
    let pattern = Pattern::from_suffix(&suffix).unwrap_or(Pattern::RequestResponse);
    if pattern == Pattern::RequestResponse || i.patterns.contains(&pattern) {
        return Ok((i, pattern));
    }
    let forms: Vec<&str> = i.patterns.iter().map(|p| p.suffix()).collect();
    Err(format!("`{}` has no {suffix} form; it takes {}", i.name, if forms.is_empty() { "none".to_string() } else { forms.join(" or ") }))
}

/// The Resource ARN of an integration called with `pattern`.
pub fn arn(i: &Integration, pattern: Pattern) -> String {
    format!("{}{}", i.arn(), pattern.suffix())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource::Resource;

    /// Every integration's ARN, in each of its patterns, is read back as
    /// that integration by the Resource parser the runtime uses.
    #[test]
    fn arns_read_back_as_their_integration() {
        for i in INTEGRATIONS {
            for pattern in std::iter::once(Pattern::RequestResponse).chain(i.patterns.iter().copied()) {
                let arn = arn(i, pattern);
                let r = Resource::parse(&arn);
                assert_eq!((r.integration(), r.pattern()), (Some((i.service, i.action)), pattern), "{arn}");
                assert!(std::ptr::eq(find(i.service, i.action).unwrap(), i));
            }
            assert_eq!(i.sync.is_some(), i.patterns.contains(&Pattern::Sync), "{}", i.name);
            assert!(i.required.iter().all(|r| i.kind_of(r).is_some()), "{}", i.name);
        }
    }

    #[test]
    fn lookup_names_the_forms_an_integration_has() {
        assert_eq!(lookup("batch.submitJob.sync").map(|(i, p)| (i.api, p)), Ok(("SubmitJob", Pattern::Sync)));
        assert_eq!(lookup("lambda.invoke").map(|(i, p)| (i.api, p)), Ok(("Invoke", Pattern::RequestResponse)));
        assert_eq!(lookup("lambda.invoke.sync").err().unwrap(), "`lambda.invoke` has no .sync form; it takes .waitForTaskToken");
        assert!(lookup("emr.nope").err().unwrap().starts_with("unknown integration `emr.nope`"));
    }
}
