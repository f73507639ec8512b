//! `sfc deploy` of a whole workflow: its execution role (created with the
//! policy [`sfc_asl::policy`] computes, on `--create-role`), the state
//! machine ([`super::deploy`]), and its triggers and alarms
//! ([`sfc_asl::deploy_plan`]), each compared with what is deployed so
//! that an unchanged workflow changes nothing, a dry run shows every
//! difference, and what the workflow no longer declares is removed.

mod alarms;
mod change;
mod role;
mod triggers;

pub use change::{Action, Change};

use super::deploy::{self, DeployError};
use super::generic::api::{Api, ApiError};
use serde_json::json;
use sfc_asl::deploy_plan::{resource_name, Plan};

/// A workflow to deploy.
#[derive(Debug, Clone)]
pub struct Request {
    /// The state machine; its role ARN is replaced by the created role's
    /// when `create_role` is given.
    pub machine: deploy::Request,
    /// Create or update the execution role of this name with the policy
    /// the machine's tasks need.
    pub create_role: Option<String>,
    /// Triggers and alarms to deploy; `None` leaves them as they are.
    pub plan: Option<Plan>,
}

/// What deploying did (or would do).
#[derive(Debug, Clone)]
pub struct Report {
    pub machine: deploy::Report,
    /// Roles, rules, schedules and alarms, in the order they were handled.
    pub changes: Vec<Change>,
    /// What the policy could not cover (resources sfc does not know).
    pub warnings: Vec<String>,
}

/// Roles that just changed take some seconds to be assumable by Step
/// Functions; creating the machine is retried this many times, this far apart.
const ROLE_PROPAGATION: (u32, std::time::Duration) = (12, std::time::Duration::from_secs(5));

impl From<ApiError> for DeployError {
    fn from(e: ApiError) -> DeployError {
        DeployError(e.to_string())
    }
}

/// Deploys with the SDK configuration `settings` describe.
pub fn run(settings: &super::Settings, req: &Request) -> Result<Report, DeployError> {
    crate::clock::block_on_real_time(async {
        let config = super::sdk_config_with_region(settings).await.map_err(DeployError)?;
        let region = config.region().map(|r| r.to_string()).unwrap_or_default();
        let client = aws_sdk_sfn::Client::new(&config);
        deploy(&client, &Api::new(&config), &region, req).await
    })
}

/// The account the credentials belong to.
async fn account(api: &Api) -> Result<String, DeployError> {
    let xml = api.query("sts", "GetCallerIdentity", &[]).await?;
    crate::aws::generic::text::element(&xml, "Account")
        .map(str::to_string)
        .ok_or_else(|| DeployError("STS GetCallerIdentity answered without an account".into()))
}

pub async fn deploy(client: &aws_sdk_sfn::Client, api: &Api, region: &str, req: &Request) -> Result<Report, DeployError> {
    let name = req.machine.name.clone();
    let account = match req.create_role.is_some() || req.plan.is_some() {
        true => account(api).await?,
        false => String::new(),
    };
    let dry_run = req.machine.dry_run;
    let mut changes = Vec::new();
    let mut warnings = Vec::new();
    let mut machine = req.machine.clone();
    let mut role_changed = false;
    if let Some(role_name) = &req.create_role {
        let definition = sfc_asl::Definition::from_value(machine.definition.clone())
            .map_err(|e| DeployError(format!("the definition does not load: {e}")))?;
        let scope =
            sfc_asl::policy::Scope { partition: "aws".into(), region: region.into(), account: account.clone(), machine: name.clone() };
        let policy = sfc_asl::policy::of(&definition.machine, &scope);
        warnings = policy.warnings.clone();
        let description = format!("Execution role of the state machine {name}, deployed by sfc");
        let wanted = role::Role {
            name: role_name,
            trusted: &["states.amazonaws.com"],
            policy_name: "sfc-policy",
            policy: policy.document(),
            description: &description,
        };
        let (arn, c) = role::ensure(api, &wanted, &account, dry_run).await?;
        role_changed = c.iter().any(Change::changes);
        machine.role_arn = arn;
        changes.extend(c);
    }
    let report = deploy_machine(client, &machine, role_changed && !dry_run).await?;
    if let Some(plan) = &req.plan {
        let machine_arn =
            report.outcome.arn().map(str::to_string).unwrap_or_else(|| format!("arn:aws:states:{region}:{account}:stateMachine:{name}"));
        let mut invoke_role_arn = String::new();
        if !plan.triggers.is_empty() {
            let role_name = resource_name(&name, "invoke", 64);
            let description = format!("Starts executions of {name} for its EventBridge rules and schedules, deployed by sfc");
            let policy = json!({"Version": "2012-10-17", "Statement": [{"Sid": "StartExecution", "Effect": "Allow", "Action": ["states:StartExecution"], "Resource": [machine_arn]}]});
            let wanted = role::Role {
                name: &role_name,
                trusted: &["events.amazonaws.com", "scheduler.amazonaws.com"],
                policy_name: "sfc-start-execution",
                policy,
                description: &description,
            };
            let (arn, c) = role::ensure(api, &wanted, &account, dry_run).await?;
            invoke_role_arn = arn;
            changes.extend(c);
        }
        let target = triggers::Target { machine_arn: &machine_arn, invoke_role_arn: &invoke_role_arn };
        changes.extend(triggers::sync(api, plan, &target, dry_run).await?);
        changes.extend(alarms::sync(api, plan, &machine_arn, dry_run).await?);
    }
    Ok(Report { machine: report, changes, warnings })
}

/// Deploys the machine; when its role just changed, waits out IAM's
/// propagation while Step Functions says it cannot assume the role.
async fn deploy_machine(client: &aws_sdk_sfn::Client, req: &deploy::Request, role_changed: bool) -> Result<deploy::Report, DeployError> {
    let (tries, pause) = ROLE_PROPAGATION;
    let mut attempt = 1;
    loop {
        match deploy::deploy(client, req).await {
            Err(e) if role_changed && attempt < tries && e.0.contains("assume") => {
                eprintln!(
                    "the new role is not yet assumable by Step Functions (IAM propagates changes in seconds); retrying in {} s",
                    pause.as_secs()
                );
                tokio::time::sleep(pause).await;
                attempt += 1;
            }
            other => return other,
        }
    }
}
