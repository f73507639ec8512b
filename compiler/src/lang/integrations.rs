//! Typed service integrations: the Resource ARN each emits and the
//! parameters AWS requires for it.

/// One integration: the language name, the ARN it lowers to, the
/// parameters AWS requires, and the patterns it may be called with.
pub struct Integration {
    pub name: &'static str,
    pub arn: &'static str,
    pub required: &'static [&'static str],
    pub patterns: &'static [&'static str],
}

pub const INTEGRATIONS: &[Integration] = &[
    Integration { name: "emr.createCluster", arn: "arn:aws:states:::elasticmapreduce:createCluster", required: &["Name", "ReleaseLabel", "Instances"], patterns: &["sync"] },
    Integration { name: "emr.addStep", arn: "arn:aws:states:::elasticmapreduce:addStep", required: &["ClusterId", "Step"], patterns: &["sync"] },
    Integration { name: "emr.terminateCluster", arn: "arn:aws:states:::elasticmapreduce:terminateCluster", required: &["ClusterId"], patterns: &["sync"] },
    Integration { name: "batch.submitJob", arn: "arn:aws:states:::batch:submitJob", required: &["JobName", "JobQueue", "JobDefinition"], patterns: &["sync"] },
    Integration { name: "ecs.runTask", arn: "arn:aws:states:::ecs:runTask", required: &["TaskDefinition"], patterns: &["sync", "waitForTaskToken"] },
    Integration { name: "lambda.invoke", arn: "arn:aws:states:::lambda:invoke", required: &["FunctionName"], patterns: &["waitForTaskToken"] },
    Integration { name: "sns.publish", arn: "arn:aws:states:::sns:publish", required: &["Message"], patterns: &["waitForTaskToken"] },
];

/// Splits `batch.submitJob.sync` into the integration and its pattern.
pub fn lookup(text: &str) -> Result<(&'static Integration, Option<&'static str>), String> {
    let (base, pattern) = match text.rsplit_once('.') {
        Some((b, p)) if p == "sync" || p == "waitForTaskToken" => (b, Some(p)),
        _ => (text, None),
    };
    let Some(i) = INTEGRATIONS.iter().find(|i| i.name == base) else {
        let known: Vec<&str> = INTEGRATIONS.iter().map(|i| i.name).collect();
        return Err(format!("unknown integration `{base}`; known: {} (or aws-sdk:service:action, or a quoted ARN)", known.join(", ")));
    };
    match pattern {
        None => Ok((i, None)),
        Some(p) => match i.patterns.iter().find(|q| **q == p) {
            Some(q) => Ok((i, Some(q))),
            None => Err(format!("`{}` has no .{p} form; it takes {}", i.name, if i.patterns.is_empty() { "none".to_string() } else { i.patterns.iter().map(|p| format!(".{p}")).collect::<Vec<_>>().join(" or ") })),
        },
    }
}

/// The Resource ARN of an integration with an optional pattern.
pub fn arn(i: &Integration, pattern: Option<&str>) -> String {
    match pattern {
        Some(p) => format!("{}.{p}", i.arn),
        None => i.arn.to_string(),
    }
}
