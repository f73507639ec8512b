//! `sfc graph FILE [--format mermaid|dot|svg] [--coverage]`

use crate::load::{self, SourceArgs};
use crate::{CliError, Outcome, Verdict};
use sfc_compiler::graph::{self, Format as GraphFormat};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// A workflow (`.sfc`) or ASL definition (`.asl.json`).
    file: PathBuf,
    /// Diagram language; `svg` is a picture sfc lays out itself (nothing
    /// else needed to view it).
    #[arg(long, value_enum, default_value_t = Format::Mermaid)]
    format: Format,
    /// Run the workflow's test cases (its mock file, as `sfc test` finds
    /// it) and draw what they took in green, what they never took in red
    /// and dashed; the tally goes to standard error.
    #[arg(long)]
    coverage: bool,
    #[command(flatten)]
    cases: crate::test_cmd::CaseArgs,
    #[command(flatten)]
    source: SourceArgs,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Mermaid,
    Dot,
    Svg,
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
        Format::Svg => GraphFormat::Svg,
    };
    let taken = match args.coverage {
        true => Some(covered(args)?),
        false => None,
    };
    let text = graph::render_covered(&def.machine, format, taken.as_ref());
    crate::write::stdout(&text)?;
    Ok(Verdict::Pass)
}

/// The parts the workflow's test cases took; a tally on standard error.
fn covered(args: &Args) -> Result<std::collections::HashSet<sfc_asl::parts::Part>, CliError> {
    let tested = crate::test_cmd::test_workflow(&args.file, &args.cases, &args.source, false, true, None).map_err(CliError::Usage)?;
    let recorder = tested.coverage.unwrap_or_default();
    let report = sfc_runtime::coverage::Report::new(&tested.machine, &recorder);
    let failed = tested.results.iter().filter(|r| !r.problems.is_empty()).count();
    eprintln!(
        "coverage of {}: {:.1} % of its parts taken by {} cases{}",
        tested.name,
        report.percent(),
        tested.results.len(),
        if failed > 0 { format!(" ({failed} failed: see `sfc test`)") } else { String::new() }
    );
    Ok(recorder.taken())
}
