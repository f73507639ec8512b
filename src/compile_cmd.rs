//! `sfc compile WF.sfc [-o OUT] [--set k=v] [--deploy-plan]`

use crate::load::{self, SourceArgs};
use crate::{CliError, Outcome, Verdict};
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// The workflow (`.sfc`).
    file: PathBuf,
    /// Where to write the ASL (default: standard output). Written whole or
    /// not at all.
    /// A workflow with triggers or alarms (`on`, `schedule`, `alarm`) also
    /// gets its deployment plan written beside it (`OUT` with
    /// `.deploy.json` for `.asl.json`).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Print (or write to OUT) the deployment plan instead of the ASL: the
    /// triggers and alarms `sfc deploy` creates with the machine.
    #[arg(long)]
    deploy_plan: bool,
    #[command(flatten)]
    source: SourceArgs,
}

pub fn run(args: &Args) -> Outcome {
    let (asl, plan) = load::definition_and_plan(&args.file, &args.source).map_err(|e| match e {
        CliError::Invalid(text) => CliError::Invalid(format!("{}; nothing was written\n", text.trim_end())),
        usage => usage,
    })?;
    let plan_json = serde_json::to_value(&plan).expect("a plan is JSON");
    let text = if args.deploy_plan { pretty(&plan_json) } else { pretty(&asl) };
    let Some(path) = &args.output else {
        crate::write::stdout(&text)?;
        return Ok(Verdict::Pass);
    };
    write(path, &text)?;
    let has_plan = !plan.triggers.is_empty() || !plan.alarms.is_empty();
    if has_plan && !args.deploy_plan {
        write(&plan_path(path), &pretty(&plan_json))?;
    }
    Ok(Verdict::Pass)
}

fn write(path: &Path, text: &str) -> Result<(), CliError> {
    crate::write::whole(path, text).map_err(|e| CliError::usage(format!("cannot write {}: {e}", path.display())))?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

/// `out.asl.json` → `out.deploy.json`; `out.json` → `out.deploy.json`; `out` → `out.deploy.json`.
pub fn plan_path(asl: &Path) -> PathBuf {
    let name = asl.file_name().map(|f| f.to_string_lossy().to_string()).unwrap_or_default();
    let stem = name.trim_end_matches(".json").trim_end_matches(".asl");
    asl.with_file_name(format!("{stem}.deploy.json"))
}

fn pretty(v: &serde_json::Value) -> String {
    serde_json::to_string_pretty(v).expect("JSON always serialises") + "\n"
}
