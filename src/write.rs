//! Files sfc writes (compiled ASL, a mock file gaining a case): whole or
//! not at all.

/// Writes `text` to `path` whole or not at all: through symlinks to the
/// file they lead to, keeping its mode; a regular file is replaced at once
/// (a temporary file beside it, renamed over it), anything else (a device,
/// a pipe) is written into, not replaced.
pub fn whole(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    let target = resolve_links(path)?;
    let mode = match std::fs::metadata(&target) {
        Ok(m) if !m.is_file() => return std::fs::write(&target, text),
        Ok(m) => Some(m.permissions()),
        Err(_) => None,
    };
    let dir = target.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    let name = target.file_name().map(|f| f.to_string_lossy().to_string()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = std::fs::write(&tmp, text)
        .and_then(|()| mode.map_or(Ok(()), |m| std::fs::set_permissions(&tmp, m)))
        .and_then(|()| std::fs::rename(&tmp, &target));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// The file a chain of symlinks leads to (which may not exist yet).
fn resolve_links(path: &std::path::Path) -> std::io::Result<std::path::PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let next = std::fs::read_link(&p)?;
                p = match p.parent() {
                    Some(parent) if next.is_relative() => parent.join(next),
                    _ => next,
                };
            }
            _ => return Ok(p),
        }
    }
    Err(std::io::Error::other(format!("{} is a chain of more than 40 symlinks", path.display())))
}

/// Writes `text` to standard output; a closed or full one is a usage error.
pub fn stdout(text: &str) -> Result<(), crate::CliError> {
    use std::io::Write;
    std::io::stdout().lock().write_all(text.as_bytes()).map_err(|e| crate::CliError::usage(format!("cannot write to standard output: {e}")))
}
