//! `sfc policy FILE [--format json|text] [--region R] [--account A] [--name N]`

use crate::load::{self, SourceArgs};
use crate::{Outcome, Verdict};
use sfc_asl::policy::{self, Policy, Scope};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// A workflow (`.sfc`) or ASL definition (`.asl.json`).
    file: PathBuf,
    /// `json`: the policy document; `text`: each statement with a comment
    /// saying why it is there and which states need it.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// The region of the ARNs (default `*`).
    #[arg(long)]
    region: Option<String>,
    /// The account of the ARNs (default `*`).
    #[arg(long)]
    account: Option<String>,
    /// The state machine's name, where the policy names the machine itself
    /// (a Distributed Map's child executions); default: the workflow's.
    #[arg(long)]
    name: Option<String>,
    /// The ARNs' partition.
    #[arg(long, default_value = "aws")]
    partition: String,
    #[command(flatten)]
    source: SourceArgs,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Json,
    Text,
}

pub fn run(args: &Args) -> Outcome {
    let def = load::definition(&args.file, &args.source)?;
    let scope = Scope {
        partition: args.partition.clone(),
        region: args.region.clone().unwrap_or_else(|| "*".into()),
        account: args.account.clone().unwrap_or_else(|| "*".into()),
        machine: args.name.clone().unwrap_or_else(|| load::machine_name(&args.file)),
    };
    let policy = policy::of(&def.machine, &scope);
    for w in &policy.warnings {
        eprintln!("warning: {w}");
    }
    if args.region.is_none() || args.account.is_none() {
        eprintln!("note: region and account are `*` in the ARNs; give --region and --account to narrow them");
    }
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&policy.document()).expect("JSON always serialises") + "\n",
        Format::Text => text(&policy),
    };
    crate::write::stdout(&text)?;
    Ok(Verdict::Pass)
}

/// The document with a comment before each statement.
pub fn text(policy: &Policy) -> String {
    let doc = policy.document();
    let mut out = String::from("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n");
    for (i, (s, json)) in policy.statements.iter().zip(doc["Statement"].as_array().into_iter().flatten()).enumerate() {
        out.push_str(&format!("    // {}.\n    // Needed by {}.\n", s.why, s.states.join(", ")));
        let body = serde_json::to_string_pretty(json).expect("JSON always serialises");
        for line in body.lines() {
            out.push_str(&format!("    {line}\n"));
        }
        if i + 1 < policy.statements.len() {
            out.pop();
            out.push_str(",\n");
        }
    }
    out.push_str("  ]\n}\n");
    out
}
