//! A Task's `Resource`, taken apart once: a service integration
//! (`arn:aws:states:::batch:submitJob.sync`), an activity, a Lambda
//! function, or another URI. The validator checks resources with
//! [`check_uri`]; the interpreter, the history and the backends read
//! [`Resource::parse`].

/// The six parts of `arn:partition:service:region:account:resource`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arn<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub resource: &'a str,
}

impl<'a> Arn<'a> {
    /// Splits an ARN into its parts, without checking what they contain.
    pub fn split(s: &'a str) -> Option<Arn<'a>> {
        let mut parts = s.splitn(6, ':');
        if parts.next()? != "arn" {
            return None;
        }
        let (partition, service, region, account) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        Some(Arn { partition, service, region, account, resource: parts.next()? })
    }
}

/// How a service integration is called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern {
    /// Call and take the answer.
    RequestResponse,
    /// `.sync`: wait for the job to finish.
    Sync,
    /// `.sync:2`: as `.sync`, with the output as JSON (Step Functions).
    Sync2,
    /// `.waitForTaskToken`: wait for a callback with the task token.
    WaitForTaskToken,
}

impl Pattern {
    /// `.sync` → `Sync`; the text after the action, dot included.
    pub fn from_suffix(suffix: &str) -> Option<Pattern> {
        [Pattern::RequestResponse, Pattern::Sync, Pattern::Sync2, Pattern::WaitForTaskToken].into_iter().find(|p| p.suffix() == suffix)
    }

    /// The text after the action: `""`, `.sync`, `.sync:2`, `.waitForTaskToken`.
    pub fn suffix(self) -> &'static str {
        match self {
            Pattern::RequestResponse => "",
            Pattern::Sync => ".sync",
            Pattern::Sync2 => ".sync:2",
            Pattern::WaitForTaskToken => ".waitForTaskToken",
        }
    }

    /// Waits for a job to finish (`.sync` or `.sync:2`).
    pub fn is_sync(self) -> bool {
        matches!(self, Pattern::Sync | Pattern::Sync2)
    }
}

/// What a Task's `Resource` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource<'a> {
    /// `arn:PARTITION:states:::SERVICE:ACTION[.PATTERN]`; for the SDK
    /// integrations the service is `aws-sdk:NAME`.
    Integration {
        service: &'a str,
        action: &'a str,
        pattern: Pattern,
        /// The action with its pattern (`submitJob.sync`), as events name it.
        called: &'a str,
    },
    /// `arn:PARTITION:states:REGION:ACCOUNT:activity:NAME`.
    Activity { name: &'a str },
    /// `arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]`.
    Lambda { function: &'a str, qualifier: Option<&'a str> },
    /// Anything else AWS may route (another ARN or URI).
    Other,
}

impl<'a> Resource<'a> {
    pub fn parse(s: &'a str) -> Resource<'a> {
        let Some(arn) = Arn::split(s) else { return Resource::Other };
        match arn.service {
            "states" => {
                if let Some(name) = arn.resource.strip_prefix("activity:") {
                    return Resource::Activity { name };
                }
                integration(arn.resource).unwrap_or(Resource::Other)
            }
            "lambda" => match arn.resource.strip_prefix("function:") {
                Some(f) => match f.split_once(':') {
                    Some((function, q)) => Resource::Lambda { function, qualifier: Some(q) },
                    None => Resource::Lambda { function: f, qualifier: None },
                },
                None => Resource::Other,
            },
            _ => Resource::Other,
        }
    }

    /// `(service, action)` of a service integration.
    pub fn integration(&self) -> Option<(&'a str, &'a str)> {
        match *self {
            Resource::Integration { service, action, .. } => Some((service, action)),
            _ => None,
        }
    }

    /// How the task is called; request-response for anything but an integration.
    pub fn pattern(&self) -> Pattern {
        match *self {
            Resource::Integration { pattern, .. } => pattern,
            _ => Pattern::RequestResponse,
        }
    }
}

/// `batch:submitJob.sync`, `aws-sdk:s3:getObject`, `states:startExecution.sync:2`.
fn integration(rest: &str) -> Option<Resource<'_>> {
    let split_at = match rest.strip_prefix("aws-sdk:") {
        Some(sdk) => "aws-sdk:".len() + sdk.find(':')?,
        None => rest.find(':')?,
    };
    let (service, called) = (&rest[..split_at], &rest[split_at + 1..]);
    let (action, suffix) = called.split_at(called.find('.').unwrap_or(called.len()));
    if service.is_empty() || action.is_empty() {
        return None;
    }
    Some(Resource::Integration { service, action, pattern: Pattern::from_suffix(suffix)?, called })
}

/// Checks that `s` is an ARN or URI AWS can route; the error completes a
/// sentence that starts with the resource ("... is not a complete ARN").
pub fn check_uri(s: &str) -> Result<(), String> {
    let Some((scheme, rest)) = s.split_once(':') else {
        return Err("is not an ARN or URI: it has no ':'".into());
    };
    let scheme_ok = scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c));
    if !scheme_ok || rest.is_empty() || s.chars().any(char::is_whitespace) {
        return Err("is not an ARN or URI".into());
    }
    if scheme == "arn" {
        check_arn(s)?;
    }
    Ok(())
}

fn check_arn(s: &str) -> Result<(), String> {
    let Some(arn) = Arn::split(s) else {
        return Err("is not a complete ARN (arn:partition:service:region:account:resource)".into());
    };
    let word = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !word(arn.partition) || !word(arn.service) {
        return Err("has an invalid partition or service".into());
    }
    if !(arn.region.is_empty() || word(arn.region)) || !arn.account.chars().all(|c| c.is_ascii_digit()) {
        return Err("has an invalid region or account id".into());
    }
    if arn.resource.is_empty() {
        return Err("names no resource".into());
    }
    if arn.service == "lambda" {
        check_lambda(arn.resource)?;
    }
    Ok(())
}

/// `function:NAME` with an optional `:VERSION` or `:ALIAS`.
fn check_lambda(resource: &str) -> Result<(), String> {
    let mut parts = resource.split(':');
    if parts.next() != Some("function") {
        return Ok(());
    }
    let ident = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(name), None, None) if ident(name) => Ok(()),
        (Some(name), Some(q), None) if ident(name) && (q == "$LATEST" || ident(q)) => Ok(()),
        _ => Err("is not a valid Lambda function ARN (function:NAME, optionally :VERSION or :ALIAS)".into()),
    }
}

/// Step Functions' rule for the names of state machines, executions,
/// activities and aliases: 1 to 80 characters, without white space,
/// brackets, wildcards, special or control characters. `None` when `name`
/// follows it, else what is wrong.
pub fn name_problem(name: &str) -> Option<&'static str> {
    let len = name.chars().count();
    if len == 0 {
        return Some("a name cannot be empty");
    }
    if len > 80 {
        return Some("a name has at most 80 characters");
    }
    let bad = |c: char| {
        c.is_whitespace()
            || "<>{}[]?*\"#%\\^|~`$&,;:/".contains(c)
            || ('\u{0}'..='\u{1f}').contains(&c)
            || ('\u{7f}'..='\u{9f}').contains(&c)
    };
    name.chars().any(bad).then_some("a name has no white space, brackets, wildcards, special or control characters")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integrations_as_aws_names_them_in_events() {
        let cases = [
            ("arn:aws:states:::batch:submitJob.sync", "batch", "submitJob", Pattern::Sync, "submitJob.sync"),
            ("arn:aws:states:::lambda:invoke", "lambda", "invoke", Pattern::RequestResponse, "invoke"),
            (
                "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "sqs",
                "sendMessage",
                Pattern::WaitForTaskToken,
                "sendMessage.waitForTaskToken",
            ),
            ("arn:aws:states:::states:startExecution.sync:2", "states", "startExecution", Pattern::Sync2, "startExecution.sync:2"),
            ("arn:aws:states:::aws-sdk:s3:getObject", "aws-sdk:s3", "getObject", Pattern::RequestResponse, "getObject"),
            ("arn:aws-cn:states:::aws-sdk:dynamodb:putItem", "aws-sdk:dynamodb", "putItem", Pattern::RequestResponse, "putItem"),
        ];
        for (arn, service, action, pattern, called) in cases {
            assert_eq!(Resource::parse(arn), Resource::Integration { service, action, pattern, called }, "{arn}");
        }
    }

    #[test]
    fn activities_lambdas_and_others() {
        assert_eq!(Resource::parse("arn:aws:states:us-east-1:1:activity:work"), Resource::Activity { name: "work" });
        assert_eq!(
            Resource::parse("arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST"),
            Resource::Lambda { function: "f", qualifier: Some("$LATEST") }
        );
        assert_eq!(Resource::parse("arn:aws:lambda:us-east-1:1:function:f"), Resource::Lambda { function: "f", qualifier: None });
        for other in ["foo:bar", "arn:aws:states:::batch", "arn:aws:states:::batch:submitJob.later", "arn:aws:sqs:r:1:q"] {
            assert_eq!(Resource::parse(other), Resource::Other, "{other}");
        }
    }

    #[test]
    fn arns_and_uris() {
        for ok in [
            "arn:aws:states:::lambda:invoke",
            "arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST",
            "arn:aws:states:us-east-1:1:activity:a",
            "foo:bar",
            "arn:aws:states:::aws-sdk:s3:getObject",
        ] {
            assert_eq!(check_uri(ok), Ok(()), "{ok}");
        }
        for bad in [
            "${lambdaArn",
            "arn:aws:lambda:r-1:1:function:F:",
            "arn:aws:lambda:r-1:1:function:F:$*#$7485",
            "arn:aws",
            "has space:x",
            "noscheme",
        ] {
            assert!(check_uri(bad).is_err(), "{bad}");
        }
    }
}
