//! `sfc deploy FILE --name N (--role-arn R | --create-role) [--type] [--tags] [--publish] [--dry-run] [--only-machine]`

use crate::load::{self, SourceArgs};
#[cfg(feature = "aws")]
use crate::{CliError, Verdict};
#[cfg(feature = "aws")]
use sfc_asl::deploy_plan::{resource_name, Plan};
#[cfg(feature = "aws")]
use sfc_runtime::aws::{self, deploy, stack};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// The workflow (`.sfc`, compiled first) or ASL file (`.asl.json`).
    /// It is validated before anything reaches AWS.
    file: PathBuf,
    /// The state machine's name.
    #[arg(long)]
    name: String,
    /// The IAM role Step Functions runs the machine as.
    #[arg(long, required_unless_present = "create_role", conflicts_with = "create_role")]
    role_arn: Option<String>,
    /// Create (or update) the execution role with the least-privilege
    /// policy the machine's tasks need (`sfc policy` prints it), trusted
    /// by states.amazonaws.com, and run the machine as it.
    #[arg(long)]
    create_role: bool,
    /// The name of the role `--create-role` manages (default: sfc-NAME-role).
    #[arg(long, requires = "create_role")]
    role_name: Option<String>,
    /// Deploy the state machine only; leave the workflow's triggers
    /// (`on`, `schedule`) and alarms as they are on AWS. By default they
    /// are created, updated, and removed when the workflow no longer
    /// declares them.
    #[arg(long)]
    only_machine: bool,
    /// STANDARD or EXPRESS (new machines default to STANDARD; the type of
    /// an existing machine cannot change).
    #[arg(long = "type", value_enum, ignore_case = true)]
    machine_type: Option<MachineType>,
    /// Tags, `key=value` (repeatable, or comma-separated).
    #[arg(long = "tags", value_name = "KEY=VALUE", value_delimiter = ',', value_parser = load::parse_set)]
    tags: Vec<(String, String)>,
    /// Publish a version of the machine with this deployment.
    #[arg(long)]
    publish: bool,
    /// Show what would change (a diff against the deployed definition)
    /// without changing anything.
    #[arg(long)]
    dry_run: bool,
    #[command(flatten)]
    source: SourceArgs,
    /// AWS region (default: the standard chain, e.g. AWS_REGION).
    #[arg(long)]
    region: Option<String>,
    /// AWS profile (default: AWS_PROFILE or the default profile).
    #[arg(long)]
    profile: Option<String>,
    /// Send the calls to this endpoint instead of AWS (LocalStack, a test
    /// server); AWS_ENDPOINT_URL works too.
    #[arg(long)]
    endpoint_url: Option<String>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum MachineType {
    #[value(name = "STANDARD")]
    Standard,
    #[value(name = "EXPRESS")]
    Express,
}

/// AWS runs what is deployed: a placeholder in it would be deployed as it
/// is. Values a template computes must be given for real.
#[cfg(feature = "aws")]
fn placeholders_refused(args: &Args) -> Result<(), CliError> {
    if args.source.allow_placeholders {
        return Err(CliError::usage(
            "deploy sends the definition AWS will run: fill its ${...} placeholders with --sub NAME=VALUE or --sub-file instead of --allow-placeholders",
        ));
    }
    let (_, computed) = args.source.substitution_file(&args.file).map_err(CliError::Usage)?;
    match computed.as_slice() {
        [] => Ok(()),
        names => Err(CliError::usage(format!(
            "{} computed by the template at deployment ({}); deploy needs the real values: give each with --sub NAME=VALUE",
            if names.len() == 1 { "this substitution is" } else { "these substitutions are" },
            names.join(", ")
        ))),
    }
}

#[cfg(feature = "aws")]
pub fn run(args: &Args) -> crate::Outcome {
    // A name AWS would refuse is said before anything is sent.
    if let Some(problem) = sfc_asl::resource::name_problem(&args.name) {
        return Err(CliError::usage(format!("--name {:?}: {problem}", args.name)));
    }
    placeholders_refused(args)?;
    let (definition, plan) = load::definition_and_plan(&args.file, &args.source).map_err(|e| match e {
        CliError::Invalid(text) | CliError::Usage(text) => CliError::Invalid(format!("{text}error: {} was not deployed\n", args.name)),
    })?;
    let request = deploy::Request {
        name: args.name.clone(),
        definition,
        role_arn: args.role_arn.clone().unwrap_or_default(),
        machine_type: args.machine_type.map(|t| match t {
            MachineType::Standard => "STANDARD".to_string(),
            MachineType::Express => "EXPRESS".to_string(),
        }),
        tags: args.tags.clone(),
        publish: args.publish,
        dry_run: args.dry_run,
    };
    let settings = aws::Settings { region: args.region.clone(), profile: args.profile.clone(), endpoint_url: args.endpoint_url.clone() };
    let create_role = args.create_role.then(|| args.role_name.clone().unwrap_or_else(|| resource_name(&args.name, "role", 64)));
    // Only a workflow declares triggers and alarms; an ASL file's are left alone.
    let workflow = sfc_compiler::load::Kind::of(&args.file) == sfc_compiler::load::Kind::Workflow;
    let plan = (workflow && !args.only_machine).then(|| Plan { state_machine: args.name.clone(), ..plan });
    let whole = stack::Request { machine: request, create_role, plan };
    let stack::Report { machine: report, changes, warnings } =
        stack::run(&settings, &whole).map_err(|e| CliError::Invalid(format!("error: {e}\n")))?;
    for w in &warnings {
        eprintln!("warning: {w}");
    }
    if args.dry_run && !report.diff.is_empty() {
        eprint!("{}", report.diff);
    }
    let name = &args.name;
    match &report.outcome {
        deploy::Outcome::Created { arn, version_arn } => {
            eprintln!("{name}: {}", if args.dry_run { "would be created" } else { "created" });
            print_arns(arn.as_deref(), version_arn.as_deref());
        }
        deploy::Outcome::Updated { arn, changes, version_arn } => {
            let what = if changes.is_empty() { "a new version".to_string() } else { changes.join(", ") };
            eprintln!("{name}: {} {what}", if args.dry_run { "would update" } else { "updated" });
            print_arns(Some(arn), version_arn.as_deref());
        }
        deploy::Outcome::Unchanged { arn } => {
            eprintln!("{name}: unchanged");
            print_arns(Some(arn), None);
        }
    }
    for c in &changes {
        eprintln!("{}", c.line(args.dry_run));
        if args.dry_run && c.action != stack::Action::Delete {
            eprint!("{}", c.diff);
        }
    }
    let unchanged = matches!(report.outcome, deploy::Outcome::Unchanged { .. }) && !changes.iter().any(stack::Change::changes);
    if unchanged {
        eprintln!("nothing to deploy");
    }
    Ok(Verdict::Pass)
}

/// The machine's ARN (and a published version's) on standard output.
#[cfg(feature = "aws")]
fn print_arns(arn: Option<&str>, version: Option<&str>) {
    if let Some(a) = arn {
        println!("{a}");
    }
    if let Some(v) = version {
        println!("{v}");
    }
}

#[cfg(not(feature = "aws"))]
pub fn run(args: &Args) -> crate::Outcome {
    let _ = (&args.file, &args.name, &args.role_arn, &args.machine_type, &args.tags, args.publish, args.dry_run, &args.source);
    let _ = (args.create_role, &args.role_name, args.only_machine);
    let _ = (&args.region, &args.profile, &args.endpoint_url);
    Err(crate::CliError::usage(crate::WITHOUT_AWS))
}
