//! Byte offsets to 1-based line and column (columns count characters).

/// A line and column, both starting at 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// Start offsets of every line of a source text (a line ends at `\n`,
/// `\r\n` or a lone `\r`, as editors and miette's excerpts count them),
/// and how many characters
/// come before every [`STRIDE`]th byte, so that a column on a line of a
/// megabyte (minified JSON) is counted from a checkpoint nearby, not from
/// the line's start: locating thousands of findings stays linear.
pub struct LineIndex<'a> {
    src: &'a str,
    starts: Vec<usize>,
    /// (byte offset at a character boundary, characters before it).
    checkpoints: Vec<(usize, usize)>,
}

/// Bytes between two checkpoints of [`LineIndex`].
const STRIDE: usize = 4096;

impl<'a> LineIndex<'a> {
    pub fn new(src: &'a str) -> Self {
        let bytes = src.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                starts.push(i + 1);
            }
        }
        let mut checkpoints = vec![(0, 0)];
        let (mut at, mut chars) = (0, 0);
        while at + STRIDE < src.len() {
            let mut next = at + STRIDE;
            while !src.is_char_boundary(next) {
                next += 1;
            }
            chars += src[at..next].chars().count();
            checkpoints.push((next, chars));
            at = next;
        }
        LineIndex { src, starts, checkpoints }
    }

    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.src.len());
        let line = self.line_of(offset);
        let start = self.starts[line];
        let column = match (self.chars_before(start), self.chars_before(offset)) {
            (Some(a), Some(b)) => b - a,
            _ => offset - start,
        } + 1;
        LineCol { line: line + 1, column }
    }

    /// The length in bytes of the line `offset` is on, its line break left
    /// out.
    pub fn line_length(&self, offset: usize) -> usize {
        let line = self.line_index(offset);
        let end = self.starts.get(line + 1).map_or(self.src.len(), |&next| match self.src[..next].ends_with("\r\n") {
            true => next - 2,
            false => next - 1,
        });
        end - self.starts[line]
    }

    /// The byte offset where line `line` (0-based) starts, if the text has it.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line).copied()
    }

    /// The 0-based line `offset` is on.
    pub fn line_index(&self, offset: usize) -> usize {
        self.line_of(offset.min(self.src.len()))
    }

    fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset) - 1
    }

    /// How many characters come before byte `offset`; `None` inside a
    /// character.
    fn chars_before(&self, offset: usize) -> Option<usize> {
        let (at, chars) = self.checkpoints[self.checkpoints.partition_point(|&(at, _)| at <= offset) - 1];
        Some(chars + self.src.get(at..offset)?.chars().count())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_lines_and_characters() {
        let idx = LineIndex::new("ab\n\u{e9}cd\n");
        assert_eq!(idx.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(idx.line_col(3), LineCol { line: 2, column: 1 });
        // 'c' comes after a two-byte character: column 2, not 3.
        assert_eq!(idx.line_col(5), LineCol { line: 2, column: 2 });
        assert_eq!(idx.line_col(100), LineCol { line: 3, column: 1 });
    }

    /// `\r\n` ends a line once, a lone `\r` ends one too; neither counts
    /// in a line's length.
    #[test]
    fn every_kind_of_line_break_ends_a_line() {
        let idx = LineIndex::new("a\r\nbc\rdef\ng");
        let lines: Vec<(usize, usize)> = [0, 3, 6, 10].iter().map(|&o| (idx.line_col(o).line, idx.line_length(o))).collect();
        assert_eq!(lines, [(1, 1), (2, 2), (3, 3), (4, 1)]);
        assert_eq!((idx.line_start(2), idx.line_start(4), idx.line_index(7)), (Some(6), None, 2));
    }

    /// Columns and line lengths on lines far longer than a checkpoint's
    /// stride, with characters of several bytes on both sides of the
    /// checkpoints, agree with counting from the line's start.
    #[test]
    fn columns_on_long_lines_count_characters() {
        let src = format!("first\n{}\n{}x", "é".repeat(5000), "ab€".repeat(3000));
        let idx = LineIndex::new(&src);
        assert_eq!(idx.line_length(0), 5);
        assert_eq!(idx.line_length(7), 10_000);
        assert_eq!(idx.line_length(src.len()), 15_001);
        for offset in (0..src.len()).filter(|&o| src.is_char_boundary(o)).step_by(97).chain([src.len()]) {
            let start = src[..offset].rfind('\n').map_or(0, |i| i + 1);
            let expected = LineCol { line: src[..offset].matches('\n').count() + 1, column: src[start..offset].chars().count() + 1 };
            assert_eq!(idx.line_col(offset), expected, "at {offset}");
        }
    }
}
