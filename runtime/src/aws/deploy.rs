//! `sfc deploy`: create or update a state machine with aws-sdk-sfn. The
//! definition is compared with the deployed one first, so an unchanged
//! machine is left alone and `--dry-run` can show what would change.

use aws_sdk_sfn::types::{StateMachineType, Tag};
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use serde_json::Value;

/// What to deploy.
#[derive(Debug, Clone)]
pub struct Request {
    pub name: String,
    /// The validated ASL.
    pub definition: Value,
    pub role_arn: String,
    /// STANDARD or EXPRESS; a new machine is STANDARD unless told.
    pub machine_type: Option<String>,
    pub tags: Vec<(String, String)>,
    /// Publish a version with the change.
    pub publish: bool,
    pub dry_run: bool,
}

/// What deploying did (or, in a dry run, would do).
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Created { arn: Option<String>, version_arn: Option<String> },
    Updated { arn: String, changes: Vec<String>, version_arn: Option<String> },
    Unchanged { arn: String },
}

impl Outcome {
    pub fn arn(&self) -> Option<&str> {
        match self {
            Outcome::Created { arn, .. } => arn.as_deref(),
            Outcome::Updated { arn, .. } | Outcome::Unchanged { arn } => Some(arn),
        }
    }
}

/// A deployment and the line diff of the definition (empty when equal).
#[derive(Debug, Clone)]
pub struct Report {
    pub outcome: Outcome,
    pub diff: String,
}

/// Why a deployment did not happen, as one sentence.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct DeployError(pub String);

fn refused<E: ProvideErrorMetadata + std::error::Error + 'static>(action: &str, e: E) -> DeployError {
    match (e.code(), e.message()) {
        (Some(code), Some(message)) => DeployError(format!("AWS Step Functions refused {action}: {message} ({code})")),
        (Some(code), None) => DeployError(format!("AWS Step Functions refused {action} ({code})")),
        _ => {
            let mut text = e.to_string();
            let mut source = e.source();
            while let Some(s) = source {
                text = format!("{text}: {s}");
                source = s.source();
            }
            DeployError(format!("could not reach AWS Step Functions for {action}: {text}"))
        }
    }
}

/// Deploys with the SDK configuration `settings` describe, on a runtime
/// of its own.
pub fn run(settings: &super::Settings, req: &Request) -> Result<Report, DeployError> {
    crate::clock::block_on_real_time(async {
        let config = super::sdk_config_with_region(settings).await.map_err(DeployError)?;
        let client = aws_sdk_sfn::Client::new(&config);
        deploy(&client, req).await
    })
}

pub async fn deploy(client: &aws_sdk_sfn::Client, req: &Request) -> Result<Report, DeployError> {
    let text = serde_json::to_string_pretty(&req.definition).expect("JSON always serialises");
    match find(client, &req.name).await? {
        None => create(client, req, &text).await,
        Some(arn) => update(client, req, &text, arn).await,
    }
}

async fn create(client: &aws_sdk_sfn::Client, req: &Request, text: &str) -> Result<Report, DeployError> {
    let diff = diff("", text);
    if req.dry_run {
        return Ok(Report { outcome: Outcome::Created { arn: None, version_arn: None }, diff });
    }
    let machine_type = StateMachineType::from(req.machine_type.as_deref().unwrap_or("STANDARD"));
    let out = client
        .create_state_machine()
        .name(&req.name)
        .definition(text)
        .role_arn(&req.role_arn)
        .r#type(machine_type)
        .set_tags(Some(tags(req)))
        .publish(req.publish)
        .send()
        .await
        .map_err(|e| refused("CreateStateMachine", e))?;
    let outcome = Outcome::Created {
        arn: Some(out.state_machine_arn().to_string()),
        version_arn: out.state_machine_version_arn().map(str::to_string),
    };
    Ok(Report { outcome, diff })
}

fn tags(req: &Request) -> Vec<Tag> {
    req.tags.iter().map(|(k, v)| Tag::builder().key(k).value(v).build()).collect()
}

/// What differs between the deployed machine and the request, and the
/// line diff of the definitions.
async fn changes(client: &aws_sdk_sfn::Client, req: &Request, text: &str, arn: &str) -> Result<(Vec<String>, String), DeployError> {
    let current = client.describe_state_machine().state_machine_arn(arn).send().await.map_err(|e| refused("DescribeStateMachine", e))?;
    if let Some(t) = &req.machine_type {
        if current.r#type().as_str() != t {
            return Err(DeployError(format!(
                "state machine {} is {}, and AWS cannot change the type of a state machine; deploy under another --name",
                req.name,
                current.r#type().as_str()
            )));
        }
    }
    let deployed: Value = serde_json::from_str(current.definition()).unwrap_or(Value::Null);
    let deployed_text = serde_json::to_string_pretty(&deployed).unwrap_or_else(|_| current.definition().to_string());
    let mut changes = Vec::new();
    if deployed != req.definition {
        changes.push("definition".to_string());
    }
    if current.role_arn() != req.role_arn {
        changes.push(format!("role ARN ({} → {})", current.role_arn(), req.role_arn));
    }
    if !req.tags.is_empty() {
        changes.push("tags".to_string());
    }
    Ok((changes, diff(&deployed_text, text)))
}

async fn update(client: &aws_sdk_sfn::Client, req: &Request, text: &str, arn: String) -> Result<Report, DeployError> {
    let (changes, diff) = changes(client, req, text, &arn).await?;
    if changes.is_empty() && !req.publish {
        return Ok(Report { outcome: Outcome::Unchanged { arn }, diff });
    }
    if req.dry_run {
        return Ok(Report { outcome: Outcome::Updated { arn, changes, version_arn: None }, diff });
    }
    let mut version_arn = None;
    if changes.iter().any(|c| c != "tags") || req.publish {
        let out = client
            .update_state_machine()
            .state_machine_arn(&arn)
            .definition(text)
            .role_arn(&req.role_arn)
            .publish(req.publish)
            .send()
            .await
            .map_err(|e| refused("UpdateStateMachine", e))?;
        version_arn = out.state_machine_version_arn().map(str::to_string);
    }
    if !req.tags.is_empty() {
        client.tag_resource().resource_arn(&arn).set_tags(Some(tags(req))).send().await.map_err(|e| refused("TagResource", e))?;
    }
    Ok(Report { outcome: Outcome::Updated { arn, changes, version_arn }, diff })
}

/// The ARN of the state machine called `name`, if there is one.
async fn find(client: &aws_sdk_sfn::Client, name: &str) -> Result<Option<String>, DeployError> {
    let mut token = None;
    loop {
        let page = client.list_state_machines().set_next_token(token).send().await.map_err(|e| refused("ListStateMachines", e))?;
        if let Some(m) = page.state_machines().iter().find(|m| m.name() == name) {
            return Ok(Some(m.state_machine_arn().to_string()));
        }
        match page.next_token() {
            Some(t) => token = Some(t.to_string()),
            None => return Ok(None),
        }
    }
}

/// A line diff (`-` deployed, `+` new): common first and last lines are
/// skipped, the middle is aligned on its longest common subsequence of
/// lines (or, when that table would be huge, shown whole). Empty when
/// the texts are equal.
pub fn diff(old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let (a, b): (Vec<&str>, Vec<&str>) = (old.lines().collect(), new.lines().collect());
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..].iter().rev().zip(b[head..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    let mut out = String::new();
    if a.len().saturating_mul(b.len()) > 4_000_000 {
        a.iter().for_each(|l| out.push_str(&format!("- {l}\n")));
        b.iter().for_each(|l| out.push_str(&format!("+ {l}\n")));
        return out;
    }
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            i += 1;
            j += 1;
        } else if j < b.len() && (i == a.len() || lcs[i][j + 1] > lcs[i + 1][j]) {
            out.push_str(&format!("+ {}\n", b[j]));
            j += 1;
        } else {
            out.push_str(&format!("- {}\n", a[i]));
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn diff_shows_changed_lines_only() {
        assert_eq!(super::diff("a\nb\nc", "a\nB\nc"), "- b\n+ B\n");
        assert_eq!(super::diff("same", "same"), "");
        assert_eq!(super::diff("", "x\ny"), "+ x\n+ y\n");
    }
}
