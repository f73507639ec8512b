//! Reading source files: the one place that turns I/O and encoding
//! problems into clear errors.

use crate::json::LineIndex;
use std::path::Path;

/// Why a file could not be read as text.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("{path}: is a directory; give a file")]
    Directory { path: String },
    #[error("{path}: cannot be read: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{path}:{line}:{column}: the file is not valid UTF-8 text (invalid byte at offset {offset})")]
    NotUtf8 { path: String, offset: usize, line: usize, column: usize },
}

impl SourceError {
    /// True when the file could not be opened or read at all, as opposed
    /// to being read and found not to be text.
    pub fn is_unreadable(&self) -> bool {
        !matches!(self, SourceError::NotUtf8 { .. })
    }
}

/// Reads a whole file as UTF-8 text.
pub fn read(path: &Path) -> Result<String, SourceError> {
    let shown = path.display().to_string();
    if path.is_dir() {
        return Err(SourceError::Directory { path: shown });
    }
    let bytes = std::fs::read(path).map_err(|source| SourceError::Io { path: shown.clone(), source })?;
    decode(bytes, &shown)
}

/// Decodes bytes as UTF-8, locating the first invalid byte.
pub fn decode(bytes: Vec<u8>, shown: &str) -> Result<String, SourceError> {
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

    #[test]
    fn locates_invalid_utf8() {
        let err = decode(b"{\n  \"a\": \"\xff\"}".to_vec(), "x.json").unwrap_err();
        assert_eq!(err.to_string(), "x.json:2:9: the file is not valid UTF-8 text (invalid byte at offset 10)");
        assert!(!err.is_unreadable());
    }
}
