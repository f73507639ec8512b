//! `sfc`: the command line. Each command maps its arguments onto the
//! library crates and their outcome onto an exit status; no logic lives here.

mod validate_cmd;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// AWS Step Functions toolkit: validate Amazon States Language definitions
/// (and, as they land, compile, run, test and deploy them).
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Validate(args) => validate_cmd::run(&args),
    }
}
