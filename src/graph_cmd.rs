//! `sfc graph FILE [--format mermaid|dot]`

use crate::load;
use sfc_compiler::graph::{self, Format as GraphFormat};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// A workflow (`.sfc`) or ASL definition (`.asl.json`).
    file: PathBuf,
    /// Diagram language.
    #[arg(long, value_enum, default_value_t = Format::Mermaid)]
    format: Format,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Mermaid,
    Dot,
}

pub fn run(args: &Args) -> ExitCode {
    let def = match load::definition(&args.file) {
        Ok(d) => d,
        Err(msg) => {
            eprint!("{msg}");
            return ExitCode::from(2);
        }
    };
    let format = match args.format {
        Format::Mermaid => GraphFormat::Mermaid,
        Format::Dot => GraphFormat::Dot,
    };
    print!("{}", graph::render(&def.machine, format));
    ExitCode::SUCCESS
}
