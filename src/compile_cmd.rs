//! `sfc compile WF.sfc [-o OUT] [--set k=v]`

use crate::load::{self, SourceArgs};
use crate::{CliError, Outcome, Verdict};
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// The workflow (`.sfc`).
    file: PathBuf,
    /// Where to write the ASL (default: standard output). Written whole or
    /// not at all.
    #[arg(short, long)]
    output: Option<PathBuf>,
    #[command(flatten)]
    source: SourceArgs,
}

pub fn run(args: &Args) -> Outcome {
    let asl = load::definition_value(&args.file, &args.source).map_err(|e| match e {
        CliError::Invalid(text) => CliError::Invalid(format!("{}; nothing was written\n", text.trim_end())),
        usage => usage,
    })?;
    let text = serde_json::to_string_pretty(&asl).expect("JSON always serialises") + "\n";
    match &args.output {
        None => std::io::stdout()
            .lock()
            .write_all(text.as_bytes())
            .map_err(|e| CliError::usage(format!("cannot write to standard output: {e}")))?,
        Some(path) => {
            crate::write::whole(path, &text).map_err(|e| CliError::usage(format!("cannot write {}: {e}", path.display())))?;
            eprintln!("wrote {}", path.display());
        }
    }
    Ok(Verdict::Pass)
}
