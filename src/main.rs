//! `sfc`: the command line. Each command maps its arguments onto the
//! library crates and their outcome onto an exit status; no logic lives here.

mod check_cmd;
mod check_report;
mod compile_cmd;
mod deploy_cmd;
mod event_stream;
mod graph_cmd;
mod load;
mod policy_cmd;
mod run_cmd;
mod serve_cmd;
mod test_cmd;
mod test_report;
mod validate_cmd;
mod write;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

// mimalloc: the interpreter allocates many small JSON values; it runs
// them markedly faster than the system allocator. Budgeted: it counts what
// a JSONata expression holds, so one cannot fill memory.
#[global_allocator]
static ALLOC: sfc_runtime::alloc_budget::Budgeted<mimalloc::MiMalloc> = sfc_runtime::alloc_budget::Budgeted(mimalloc::MiMalloc);

/// AWS Step Functions toolkit: write workflows in a small language, compile
/// them to Amazon States Language, validate, draw, run and test them
/// locally (against mocks or the real services), and deploy them.
#[derive(Parser)]
#[command(name = "sfc", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check ASL definitions the way AWS does when a state machine is created.
    ///
    /// Exit status: 0 when every file is valid, 1 when any is invalid,
    /// 2 when a file cannot be read.
    Validate(validate_cmd::Args),
    /// Run a state machine on this machine, in virtual time by default.
    ///
    /// The output JSON goes to standard output, a timeline to standard
    /// error. Exit status: 0 succeeded, 1 failed or timed out, 2 bad usage
    /// or an invalid definition (checked before anything runs).
    Run(run_cmd::Args),
    /// Compile a workflow (`.sfc`) to Amazon States Language.
    ///
    /// Exit status: 0 compiled, 1 errors in the workflow (all reported),
    /// 2 a file cannot be read or written.
    Compile(compile_cmd::Args),
    /// Draw a workflow or ASL definition as a Mermaid or DOT diagram.
    Graph(graph_cmd::Args),
    /// Explore a workflow's executions under every combination of Task
    /// outcomes (success, each error its Retry and Catch name, timeouts)
    /// and check its properties and the built-in checks on each.
    ///
    /// Exit status: 0 every check passed, 1 a property or check failed
    /// (with the shortest counterexample found), 2 bad usage.
    Check(check_cmd::Args),
    /// Run every test case of each workflow's mock file and check its
    /// expectations (status, output, error, cause, states visited).
    ///
    /// Exit status: 0 every case passed, 1 any failed.
    Test(test_cmd::Args),
    /// Create or update a state machine on AWS Step Functions: compile and
    /// validate first, then create it, or update it when it changed; with a
    /// workflow, also its triggers and alarms, and with --create-role its
    /// execution role (docs/deploy.md).
    ///
    /// Prints the machine's ARN (and a published version's) on standard
    /// output. Exit status: 0 deployed or unchanged, 1 invalid or refused,
    /// 2 bad usage.
    Deploy(deploy_cmd::Args),
    /// Print the least-privilege IAM policy the machine's execution role
    /// needs: each Task's calls, what `.sync` adds, the roles passed on
    /// (docs/policy.md says why each statement is there).
    Policy(policy_cmd::Args),
    /// Serve the AWS Step Functions API on localhost: a drop-in for Step
    /// Functions Local (point an SDK's endpoint at it).
    ///
    /// Exit status: 0 stopped by SIGINT or SIGTERM, 2 cannot listen.
    Serve(serve_cmd::Args),
}

/// What a command that needs AWS says in a build without it.
#[cfg(not(feature = "aws"))]
const WITHOUT_AWS: &str =
    "this sfc was built without AWS support (cargo's `aws` feature, on by default); install it with default features to call AWS";

/// How a command reports: text for people, or one JSON document for scripts.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// What a command that ran to its end found: exit status 0 or 1.
pub enum Verdict {
    /// Compiled, valid, succeeded, every case passed, deployed.
    Pass,
    /// A file was invalid, the execution failed, a case failed.
    Fail,
}

/// Why a command stopped short. Each holds the whole text to show on
/// standard error (rendered diagnostics included); `main` prints it and
/// maps the kind to the exit status, the one place exit codes are decided.
pub enum CliError {
    /// Bad usage, a file that cannot be read or written, a definition a
    /// run refuses: exit status 2.
    Usage(String),
    /// The workflow or definition has errors, or AWS refused it: 1.
    Invalid(String),
}

impl CliError {
    /// A usage error of one sentence.
    pub fn usage(msg: impl std::fmt::Display) -> CliError {
        CliError::Usage(format!("error: {msg}\n"))
    }
}

/// What each command returns.
pub type Outcome = Result<Verdict, CliError>;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Validate(args) => validate_cmd::run(&args),
        Command::Run(args) => run_cmd::run(&args),
        Command::Compile(args) => compile_cmd::run(&args),
        Command::Graph(args) => graph_cmd::run(&args),
        Command::Check(args) => check_cmd::run(&args),
        Command::Test(args) => test_cmd::run(&args),
        Command::Deploy(args) => deploy_cmd::run(&args),
        Command::Policy(args) => policy_cmd::run(&args),
        Command::Serve(args) => serve_cmd::run(&args),
    };
    match outcome {
        Ok(Verdict::Pass) => ExitCode::SUCCESS,
        Ok(Verdict::Fail) => ExitCode::from(1),
        Err(CliError::Invalid(text)) => {
            eprint!("{text}");
            ExitCode::from(1)
        }
        Err(CliError::Usage(text)) => {
            eprint!("{text}");
            ExitCode::from(2)
        }
    }
}
