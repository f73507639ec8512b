//! The bad-input table: classes of input a new user gets wrong, each run
//! through the real binary with a deadline. Every row must end with its
//! exit status and say its words — no panic, no hang. The table in
//! docs/bad-input.md is generated from these rows (`SFC_BLESS=1 cargo test
//! --test bad_input` rewrites it) and checked to match.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

#[path = "bad_input/cases.rs"]
mod cases;
use cases::{Case, Input, CASES};

/// Far above any row's real time (the slowest takes under a second in a
/// debug build); a row that reaches it is a hang.
const DEADLINE: Duration = Duration::from_secs(60);

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bad-input").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn make(dir: &Path, name: &str, input: &Input) {
    let path = dir.join(name);
    match input {
        Input::Text(t) => std::fs::write(&path, t).unwrap(),
        Input::Made(f) => std::fs::write(&path, f()).unwrap(),
        Input::Fifo => assert!(Command::new("mkfifo").arg(&path).status().unwrap().success()),
    }
}

/// Runs one row; `Err` says how it went wrong.
fn check(i: usize, case: &Case) -> Result<(), String> {
    let dir = scratch(&format!("row-{i}"));
    for (name, input) in case.files {
        make(&dir, name, input);
    }
    let args: Vec<String> = case.args.iter().map(|a| a.replace("{d}", &dir.display().to_string())).collect();
    let stdout = if case.stdout_full { Stdio::from(std::fs::File::create("/dev/full").unwrap()) } else { Stdio::piped() };
    let child = Command::new(env!("CARGO_BIN_EXE_sfc"))
        .args(&args)
        .current_dir(&dir)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    // Read the pipes on another thread so a talkative row cannot block
    // on a full pipe and look like a hang.
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || tx.send(child.wait_with_output()));
    let out = match rx.recv_timeout(DEADLINE) {
        Ok(out) => out.map_err(|e| e.to_string())?,
        Err(_) => {
            let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
            return Err(format!("still running after {DEADLINE:?}"));
        }
    };
    let shown = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    if out.status.code() != Some(case.exit) {
        return Err(format!("exit {:?}, expected {}:\n{shown}", out.status.code(), case.exit));
    }
    if shown.contains("panicked") || !shown.contains(case.says) {
        return Err(format!("output does not say {:?}:\n{shown}", case.says));
    }
    Ok(())
}

#[test]
fn every_row_ends_with_its_status_and_message() {
    let failures: Vec<String> =
        CASES.iter().enumerate().filter_map(|(i, c)| check(i, c).err().map(|e| format!("row {} ({}): {e}", i + 1, c.class))).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn table() -> String {
    let mut t = String::from(
        "# Bad input\n\n\
         What sfc does with input a new user gets wrong. Every row is run through\n\
         the `sfc` binary by `tests/bad_input.rs` (the rows live in\n\
         `tests/bad_input/cases.rs`; this page is generated from them). Exit statuses:\n\
         0 fine (warnings allowed), 1 the definition or run failed, 2 sfc could\n\
         not do what was asked (unreadable input, bad options, output failed).\n\n\
         | # | Class | Input | Command | sfc says | Exit |\n|---|---|---|---|---|---|\n",
    );
    for (i, c) in CASES.iter().enumerate() {
        let cmd = c.args.iter().map(|a| a.replace("{d}/", "").replace("{d}", "some-folder")).collect::<Vec<_>>().join(" ");
        let redirect = if c.stdout_full { " > /dev/full" } else { "" };
        let cell = |s: &str| s.replace('|', "\\|");
        t.push_str(&format!(
            "| {} | {} | {} | `sfc {}{}` | {} | {} |\n",
            i + 1,
            cell(c.class),
            cell(c.input),
            cell(&cmd),
            redirect,
            cell(c.says),
            c.exit
        ));
    }
    t
}

#[test]
fn the_documented_table_matches_the_rows() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/bad-input.md");
    let want = table();
    if std::env::var_os("SFC_BLESS").is_some() {
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(have == want, "docs/bad-input.md is out of date: run SFC_BLESS=1 cargo test --test bad_input");
    assert!(CASES.len() >= 40, "the table keeps at least 40 classes");
}
