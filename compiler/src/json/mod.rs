//! Loading JSON with positions.
//!
//! serde_json is the value type, but it neither reports duplicate keys nor
//! remembers where a value came from. ASL needs both: AWS rejects
//! duplicate keys, and every validator finding points at a line and column.
//! So definitions are read by a small parser of our own that builds a
//! `serde_json::Value` (key order preserved) plus a [`SpanIndex`] from JSON
//! pointer to source position.

mod lines;
mod parse;
mod pointer;

pub use lines::{LineCol, LineIndex};
pub use parse::{parse, JsonError, Parsed, MAX_DEPTH};
pub use pointer::{escape_token, Pointer};

use std::collections::HashMap;
use std::ops::Range;

/// Where one JSON value sits in its source: the value itself and, for
/// object members, the key in front of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeSpan {
    pub key: Option<Range<usize>>,
    pub value: Range<usize>,
}

/// Byte spans of every value in a parsed document, by JSON pointer.
#[derive(Debug, Default, Clone)]
pub struct SpanIndex {
    spans: HashMap<String, NodeSpan>,
}

impl SpanIndex {
    pub(crate) fn insert(&mut self, pointer: String, span: NodeSpan) {
        self.spans.insert(pointer, span);
    }

    /// The span of the value at `pointer` ("" is the whole document).
    pub fn get(&self, pointer: &str) -> Option<&NodeSpan> {
        self.spans.get(pointer)
    }

    /// The best span to underline for a finding about `pointer`: the value
    /// itself, or the nearest ancestor that exists (a missing field is
    /// reported on the object that lacks it).
    pub fn locate(&self, pointer: &str) -> Option<Range<usize>> {
        let mut p = pointer;
        loop {
            if let Some(s) = self.spans.get(p) {
                return Some(s.value.clone());
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return None,
            }
        }
    }

    /// The span of the key of the member at `pointer`, if it is one.
    pub fn key(&self, pointer: &str) -> Option<Range<usize>> {
        self.spans.get(pointer).and_then(|s| s.key.clone())
    }
}
