//! `sfc compile WF.sfc [-o OUT] [--set k=v]`

use crate::load;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The workflow (`.sfc`).
    file: PathBuf,
    /// Where to write the ASL (default: standard output). Written whole or
    /// not at all.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Set a compile-time parameter: `--set env=prod` (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = load::parse_set)]
    set: Vec<(String, String)>,
}

pub fn run(args: &Args) -> ExitCode {
    let asl = match load::compile_file(&args.file, &args.set) {
        Ok(asl) => asl,
        Err(msg) => {
            eprint!("{msg}");
            return ExitCode::from(1);
        }
    };
    let text = serde_json::to_string_pretty(&asl).expect("JSON always serialises") + "\n";
    match &args.output {
        None => {
            if std::io::stdout().lock().write_all(text.as_bytes()).is_err() {
                return ExitCode::from(2);
            }
        }
        Some(path) => {
            if let Err(e) = write_whole(path, &text) {
                eprintln!("error: cannot write {}: {e}", path.display());
                return ExitCode::from(2);
            }
            eprintln!("wrote {}", path.display());
        }
    }
    ExitCode::SUCCESS
}

/// Writes to a temporary file beside the target, then renames it over the
/// target: a reader never sees half a file.
fn write_whole(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    let tmp = dir.join(format!(".{}.tmp", path.file_name().map(|f| f.to_string_lossy().to_string()).unwrap_or_default()));
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}
