//! `sfc graph FILE [--format mermaid|dot]`

use crate::load::{self, SourceArgs};
use crate::{CliError, Outcome, Verdict};
use sfc_compiler::graph::{self, Format as GraphFormat};
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// A workflow (`.sfc`) or ASL definition (`.asl.json`).
    file: PathBuf,
    /// Diagram language.
    #[arg(long, value_enum, default_value_t = Format::Mermaid)]
    format: Format,
    #[command(flatten)]
    source: SourceArgs,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Mermaid,
    Dot,
}

pub fn run(args: &Args) -> Outcome {
    // A definition that cannot be drawn is bad input to this command (2).
    let def = load::definition(&args.file, &args.source).map_err(|e| match e {
        CliError::Invalid(text) => CliError::Usage(text),
        usage => usage,
    })?;
    let format = match args.format {
        Format::Mermaid => GraphFormat::Mermaid,
        Format::Dot => GraphFormat::Dot,
    };
    let text = graph::render(&def.machine, format);
    std::io::stdout().lock().write_all(text.as_bytes()).map_err(|e| CliError::usage(format!("cannot write to standard output: {e}")))?;
    Ok(Verdict::Pass)
}
