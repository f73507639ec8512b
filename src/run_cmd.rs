//! `sfc run --local FILE --input FILE|-`

use crate::event_stream::EventStream;
use crate::load::{self, SourceArgs};
use crate::{CliError, Format, Outcome, Verdict};
use sfc_runtime::context::ExecutionInfo;
use sfc_runtime::history::Keeping;
use sfc_runtime::integration::Unavailable;
use sfc_runtime::{timeline, RunOptions, Status};
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Run on this machine (the interpreter runs the states; Tasks go to
    /// mocks, or with --aws to the real services).
    #[arg(long)]
    local: bool,
    /// Send Task states to the real AWS services (EMR, Batch, ECS, Lambda)
    /// with the standard credential chain (as the role a Task's
    /// Credentials name, assumed through STS); states the mock case mocks
    /// stay mocked. Runs in real time.
    #[arg(long)]
    aws: bool,
    /// AWS region for --aws (default: the standard chain, e.g. AWS_REGION).
    #[arg(long, requires = "aws")]
    region: Option<String>,
    /// AWS profile for --aws (default: AWS_PROFILE or the default profile).
    #[arg(long, requires = "aws")]
    profile: Option<String>,
    /// Send every AWS call to this endpoint (LocalStack, moto, a test
    /// server); AWS_ENDPOINT_URL works too.
    #[arg(long, requires = "aws")]
    endpoint_url: Option<String>,
    /// Seconds between two status checks of a running `.sync` job.
    #[arg(long, default_value_t = 10.0, requires = "aws")]
    poll_interval: f64,
    /// The state machine: an ASL JSON file.
    file: PathBuf,
    /// The execution input: a JSON file, or `-` for standard input.
    /// Without it the input is `{}`.
    #[arg(long, conflicts_with = "trigger")]
    input: Option<String>,
    /// Start the run as the workflow's trigger NAME would (`on ... as NAME`,
    /// `schedule ... as NAME`): the input is the event it delivers, now
    /// (an EventBridge event matching the rule, or the schedule's input
    /// with Scheduler's context filled in).
    #[arg(long, value_name = "NAME")]
    trigger: Option<String>,
    /// Print the execution history (GetExecutionHistory's events, epoch
    /// timestamps) instead of the output. For an EXPRESS run, the events
    /// are written as they happen and not kept.
    #[arg(long)]
    history: bool,
    /// STANDARD (AWS's 25,000-event history limit, the history kept) or
    /// EXPRESS (no event limit; no history unless --history streams it, so
    /// memory stays flat however long the run; timed out after AWS's five
    /// minutes, of virtual time or of computing).
    #[arg(long = "type", value_enum, default_value_t = MachineType::Standard)]
    machine_type: MachineType,
    /// Wait for real: Wait states and retry back-off take wall-clock time.
    /// By default time is virtual and advances instantly.
    #[arg(long)]
    real_time: bool,
    /// Output format: the output JSON (text), or one JSON document with
    /// status, output, error and cause (json).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Seed for jitter, States.MathRandom and States.UUID.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// The execution's name (`$$.Execution.Name`).
    #[arg(long, default_value = "local")]
    name: String,
    /// Do not print the timeline on standard error.
    #[arg(long, short)]
    quiet: bool,
    /// Mocked Task responses, in the Step Functions Local MockConfigFile
    /// format (default: $SFN_MOCK_CONFIG).
    #[arg(long, env = "SFN_MOCK_CONFIG")]
    mocks: Option<PathBuf>,
    /// The test case of the mock file to run: `Case`, or `Machine#Case` as
    /// Step Functions Local names them.
    #[arg(long, requires = "mocks")]
    case: Option<String>,
    /// The state machine's name in the mock file (default: the workflow's
    /// name, or the file name).
    #[arg(long)]
    machine: Option<String>,
    /// A folder that stands for S3: DIR/BUCKET/KEY is each object. A
    /// Distributed Map's ItemReader reads there and its ResultWriter
    /// writes there, as do `aws-sdk:s3` getObject, putObject and
    /// listObjectsV2 Tasks.
    #[arg(long, value_name = "DIR")]
    s3_dir: Option<PathBuf>,
    /// Write an HTML report of the execution to FILE: one self-contained
    /// page with the graph coloured by what each state did, each state's
    /// input, parameters, errors and output, a timeline, and the events.
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
    #[command(flatten)]
    source: SourceArgs,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum MachineType {
    Standard,
    Express,
}

/// The event the trigger `name` delivers now, as AWS would deliver it in
/// AWS_REGION (default us-east-1) to an example account.
fn triggered_input(plan: &sfc_asl::deploy_plan::Plan, name: &str) -> Result<serde_json::Value, CliError> {
    use sfc_asl::deploy_plan::{resource_name, Delivery, Source};
    let Some(trigger) = plan.triggers.iter().find(|t| t.name == name) else {
        let known: Vec<&str> = plan.triggers.iter().map(|t| t.name.as_str()).collect();
        return Err(CliError::usage(match known.is_empty() {
            true => format!("--trigger {name}: the workflow declares no triggers (on ..., schedule ...)"),
            false => format!("--trigger {name}: the workflow's triggers are {}", known.join(", ")),
        }));
    };
    let region = std::env::var("AWS_REGION").ok().filter(|r| !r.is_empty()).unwrap_or_else(|| "us-east-1".into());
    let account = "123456789012";
    let aws_name = resource_name(&plan.state_machine, &trigger.name, 64);
    let resource_arn = match trigger.source {
        Source::EventRule { .. } => format!("arn:aws:events:{region}:{account}:rule/{aws_name}"),
        Source::Schedule { .. } => format!("arn:aws:scheduler:{region}:{account}:schedule/default/{aws_name}"),
    };
    let time = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let id = uuid::Uuid::new_v4().to_string();
    Ok(trigger.sample_event(&Delivery { time: &time, region: &region, account, id: &id, resource_arn: &resource_arn }))
}

pub fn run(args: &Args) -> Outcome {
    if !args.local {
        return Err(CliError::usage("sfc runs executions on this machine: add --local (and --aws to send Task states to AWS); sfc deploy puts the machine on AWS Step Functions"));
    }
    // An invalid definition never runs: bad input to this command (2).
    let (asl, plan) = load::definition_and_plan(&args.file, &args.source).map_err(|e| match e {
        CliError::Invalid(text) | CliError::Usage(text) => CliError::Usage(format!("{text}error: nothing was run\n")),
    })?;
    let def = sfc_asl::Definition::from_value(asl).map_err(|e| CliError::usage(format!("{}: {e}", args.file.display())))?;
    let input = match &args.trigger {
        Some(name) => triggered_input(&plan, name)?,
        None => load::input(args.input.as_deref()).map_err(CliError::usage)?,
    };
    // `--case Machine#Case`, as Step Functions Local names a test case.
    let (machine, case) = match args.case.as_deref().and_then(|c| c.split_once('#')) {
        Some((m, c)) => (Some(m.to_string()), Some(c.to_string())),
        None => (args.machine.clone(), args.case.clone()),
    };
    let machine_name = machine.unwrap_or_else(|| load::machine_name(&args.file));
    let mock_case = match (&args.mocks, &case) {
        (Some(file), Some(case)) => {
            let config = load::mocks(file).map_err(CliError::usage)?;
            Some(config.case(&machine_name, case).map_err(|e| CliError::usage(format!("{}: {e}", file.display())))?)
        }
        (Some(_), None) => return Err(CliError::usage("--mocks needs --case NAME: which test case of the mock file to run")),
        _ => None,
    };
    let express = args.machine_type == MachineType::Express;
    let info = ExecutionInfo { machine_name, execution_name: args.name.clone(), express, ..ExecutionInfo::default() };
    let real_time = args.real_time || args.aws;
    let stream = match express && args.history {
        true => Some(std::sync::Arc::new(EventStream::open().map_err(cannot_write)?)),
        false => None,
    };
    // A report of an EXPRESS run keeps what its page shows (the first and
    // last events), so memory stays bounded however long the run.
    let collected: Option<std::sync::Arc<std::sync::Mutex<sfc_report::Kept>>> = (args.report.is_some() && express).then(Default::default);
    let keeping = match (&stream, &collected, express) {
        (None, None, true) => Keeping::Nothing,
        (None, None, false) => Keeping::All,
        _ => {
            let (stream, collected) = (stream.clone(), collected.clone());
            Keeping::Each(std::sync::Arc::new(move |e| {
                if let Some(c) = &collected {
                    c.lock().unwrap_or_else(|p| p.into_inner()).push(e.to_api_json());
                }
                if let Some(s) = &stream {
                    s.write(e)
                }
            }))
        }
    };
    let opts = RunOptions {
        info,
        real_time,
        seed: args.seed,
        event_data: (args.history || args.report.is_some()).then_some(true),
        keeping,
        // The report shows each distributed Map's run.
        map_runs: args.report.is_some().then(Default::default),
        ..RunOptions::default()
    };
    let wall = std::time::Instant::now();
    let s3_folder = match &args.s3_dir {
        Some(root) if !root.is_dir() => return Err(CliError::usage(format!("--s3-dir {}: not a folder", root.display()))),
        Some(root) => Some(sfc_runtime::s3_folder::S3Folder { root: root.clone() }),
        None => None,
    };
    let outcome = if args.aws {
        on_aws(args, &def.machine, input, mock_case.as_ref(), &opts, s3_folder).map_err(CliError::usage)?
    } else {
        let layers = sfc_runtime::mock::Layers { mocks: mock_case.as_ref(), s3_folder, real: &Unavailable };
        sfc_runtime::run(&def.machine, input, &layers, &opts)
    };
    let wall = wall.elapsed();
    if let Some(path) = &args.report {
        let (history, omitted_events) = match collected {
            Some(c) => std::mem::take(&mut *c.lock().unwrap_or_else(|p| p.into_inner())).into_parts(),
            None => (outcome.history.iter().map(|e| e.to_api_json()).collect(), 0),
        };
        let run = sfc_report::Run {
            title: format!("{} · {}", opts.info.machine_name, case.as_deref().unwrap_or(&args.name)),
            subtitle: args.file.display().to_string(),
            machine: &def.machine,
            history: &history,
            status: outcome.status.as_str().to_string(),
            error: outcome.error.clone(),
            cause: outcome.cause.clone(),
            virtual_time: !real_time,
            links: Vec::new(),
            refresh_seconds: None,
            omitted_events,
            map_runs: opts.map_runs.as_deref(),
        };
        crate::write::whole(path, &sfc_report::page(&run)).map_err(|e| CliError::usage(format!("cannot write {}: {e}", path.display())))?;
        if !args.quiet {
            eprintln!("wrote {}", path.display());
        }
    }
    if !args.quiet {
        if args.aws && std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            eprint!("\r\x1b[2K");
        }
        let virtual_secs = (outcome.ended - outcome.started).num_milliseconds() as f64 / 1000.0;
        let clock = if real_time { "" } else { " virtual" };
        match express {
            // No timeline says why it did not succeed: this line does.
            true => {
                eprintln!("EXPRESS: no history is kept (--history streams it to standard output)");
                if outcome.status != Status::Succeeded {
                    eprintln!("{}", why_not(&outcome));
                }
            }
            false => eprint!("{}", timeline::render(&outcome.history)),
        }
        eprintln!("{} after {virtual_secs:.3}s{clock} ({:.1} ms real)", outcome.status.as_str(), wall.as_secs_f64() * 1000.0);
    } else if outcome.status != Status::Succeeded {
        // Quiet leaves out the timeline, not why the run failed.
        eprintln!("{}", why_not(&outcome));
    }
    let mut doc = match args.format {
        Format::Json => outcome.summary(),
        Format::Text if args.history => serde_json::json!({}),
        Format::Text => outcome.output.clone().unwrap_or(serde_json::Value::Null),
    };
    if let Some(stream) = stream {
        let tail = doc.as_object().cloned().unwrap_or_default();
        stream.close(&tail).map_err(cannot_write)?;
        return Ok(if outcome.status == Status::Succeeded { Verdict::Pass } else { Verdict::Fail });
    }
    if args.history {
        let events: Vec<_> = outcome.history.iter().map(|e| e.to_api_json()).collect();
        doc["events"] = serde_json::Value::Array(events);
    }
    let printed = match (args.format, outcome.status, args.history) {
        (Format::Text, Status::Succeeded, _) | (Format::Json, _, _) | (_, _, true) => print_json(&doc),
        _ => Ok(()),
    };
    printed.map_err(cannot_write)?;
    Ok(if outcome.status == Status::Succeeded { Verdict::Pass } else { Verdict::Fail })
}

fn cannot_write(e: std::io::Error) -> CliError {
    CliError::usage(format!("cannot write to standard output: {e}"))
}

fn print_json(v: &serde_json::Value) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, v)?;
    writeln!(out)
}

/// Runs against the real services (states the mock case mocks stay mocked).
#[cfg(feature = "aws")]
fn on_aws(
    args: &Args,
    machine: &sfc_asl::StateMachine,
    input: serde_json::Value,
    mocks: Option<&sfc_runtime::mock::MockCase>,
    opts: &RunOptions,
    s3_folder: Option<sfc_runtime::s3_folder::S3Folder>,
) -> Result<sfc_runtime::Outcome, String> {
    use sfc_runtime::aws;
    if !(args.poll_interval.is_finite() && args.poll_interval > 0.0) {
        return Err("--poll-interval must be a positive number of seconds".into());
    }
    let settings = aws::Settings { region: args.region.clone(), profile: args.profile.clone(), endpoint_url: args.endpoint_url.clone() };
    let calls = aws::Calls { settings, poll: std::time::Duration::from_secs_f64(args.poll_interval), progress: progress(args.quiet) };
    aws::run(machine, input, mocks, s3_folder, calls, opts)
}

#[cfg(not(feature = "aws"))]
fn on_aws(
    _: &Args,
    _: &sfc_asl::StateMachine,
    _: serde_json::Value,
    _: Option<&sfc_runtime::mock::MockCase>,
    _: &RunOptions,
    _: Option<sfc_runtime::s3_folder::S3Folder>,
) -> Result<sfc_runtime::Outcome, String> {
    Err(crate::WITHOUT_AWS.into())
}

/// On a terminal, one line that follows the running `.sync` jobs:
/// `Preprocess: RUNNING (3m 20s)`, rewritten at every poll.
#[cfg(feature = "aws")]
fn progress(quiet: bool) -> Option<sfc_runtime::aws::Progress> {
    use std::io::IsTerminal;
    if quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let started = std::time::Instant::now();
    Some(Box::new(move |state: &str, status: &str| {
        let secs = started.elapsed().as_secs();
        eprint!("\r\x1b[2K{state}: {status} ({}m {:02}s)", secs / 60, secs % 60);
    }))
}

/// Why a run did not succeed, in one line: its status, error and cause.
fn why_not(outcome: &sfc_runtime::Outcome) -> String {
    let error = outcome.error.as_deref().unwrap_or("no error name");
    let cause = outcome.cause.as_deref().map(|c| format!(": {c}")).unwrap_or_default();
    format!("{} {error}{cause}", outcome.status.as_str())
}
