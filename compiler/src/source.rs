//! Reading source files: the one place that turns I/O and encoding
//! problems into clear errors.

use crate::json::LineIndex;
use std::path::Path;

/// Why a file could not be read as text.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("{path}: is a directory; give a file")]
    Directory { path: String },
    #[error("{path}: is not a regular file (a device, a pipe or a socket); sfc reads definitions, inputs, mocks and imports from files")]
    NotRegular { path: String },
    #[error("{path}: is {size} bytes; sfc reads files of at most {MAX_SOURCE_BYTES} bytes (AWS takes definitions of 1 MiB and inputs of 256 KiB)")]
    TooLarge { path: String, size: u64 },
    #[error("{path}: cannot be read: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{path}:{line}:{column}: the file is not valid UTF-8 text (invalid byte at offset {offset})")]
    NotUtf8 { path: String, offset: usize, line: usize, column: usize },
}

impl SourceError {
    /// The message without the file's name, for a diagnostic that names
    /// the file itself.
    pub fn detail(&self) -> String {
        match self {
            SourceError::NotUtf8 { offset, line, column, .. } => {
                format!("the file is not valid UTF-8 text (invalid byte at line {line}, column {column}, offset {offset})")
            }
            other => other.to_string(),
        }
    }

    /// True when the file could not be opened or read at all, as opposed
    /// to being read and found not to be text.
    pub fn is_unreadable(&self) -> bool {
        !matches!(self, SourceError::NotUtf8 { .. })
    }
}

/// The largest file sfc reads: far above what AWS takes, so the checks
/// that say so get to run, and far below what would exhaust memory.
pub const MAX_SOURCE_BYTES: u64 = 64 * 1024 * 1024;

/// Reads a whole regular file as UTF-8 text; its size is checked first, so
/// `/dev/zero` or a FIFO is refused rather than read for ever.
pub fn read(path: &Path) -> Result<String, SourceError> {
    let shown = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|source| SourceError::Io { path: shown.clone(), source })?;
    if meta.is_dir() {
        return Err(SourceError::Directory { path: shown });
    }
    if !meta.is_file() {
        return Err(SourceError::NotRegular { path: shown });
    }
    if meta.len() > MAX_SOURCE_BYTES {
        return Err(SourceError::TooLarge { path: shown, size: meta.len() });
    }
    let bytes = std::fs::read(path).map_err(|source| SourceError::Io { path: shown.clone(), source })?;
    decode(bytes, &shown)
}

/// Decodes bytes as UTF-8, locating the first invalid byte. A byte order
/// mark, which some editors write, is dropped: positions count from the
/// text after it, as editors show them.
pub fn decode(mut bytes: Vec<u8>, shown: &str) -> Result<String, SourceError> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let valid = std::str::from_utf8(&e.as_bytes()[..offset]).unwrap_or_default();
        let lc = LineIndex::new(valid).line_col(offset);
        SourceError::NotUtf8 { path: shown.to_string(), offset, line: lc.line, column: lc.column }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A device or a pipe is refused before anything is read (`/dev/zero`
    /// once filled memory, a FIFO blocked for ever).
    #[cfg(unix)]
    #[test]
    fn only_regular_files_are_read() {
        let e = read(Path::new("/dev/zero")).unwrap_err();
        assert!(matches!(e, SourceError::NotRegular { .. }), "{e}");
        assert!(e.is_unreadable());
    }

    /// A byte order mark is dropped (a workflow starting with one once got
    /// "expected file").
    #[test]
    fn a_byte_order_mark_is_dropped() {
        let text = decode(b"\xEF\xBB\xBFpass P\n".to_vec(), "bom.sfc").unwrap();
        assert_eq!(text, "pass P\n");
        assert!(crate::lang::compile(&text, Path::new("."), &Default::default()).asl.is_some());
    }

    #[test]
    fn locates_invalid_utf8() {
        let err = decode(b"{\n  \"a\": \"\xff\"}".to_vec(), "x.json").unwrap_err();
        assert_eq!(err.to_string(), "x.json:2:9: the file is not valid UTF-8 text (invalid byte at offset 10)");
        assert!(!err.is_unreadable());
    }
}
