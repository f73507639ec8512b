//! Findings as data, rendered only at the edge.
//!
//! The validator (and later the compiler) returns [`Diagnostic`]s; the CLI
//! renders them with carets through miette or prints them as JSON.

use crate::json::{LineCol, LineIndex};
use serde::Serialize;
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// `text` quoted for a message, cut to its first `max` characters: a
/// finding about a 300 KB expression should not repeat it.
pub fn quoted(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => format!("{text:?}"),
        Some((end, _)) => format!("{:?}… ({} characters)", &text[..end], text.chars().count()),
    }
}

/// One finding about a definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// AWS's code where one exists: "MISSING_TRANSITION_TARGET".
    pub code: &'static str,
    pub message: String,
    /// Byte range in the source file.
    #[serde(skip)]
    pub span: Option<Range<usize>>,
    /// JSON pointer into the ASL: "/States/Run/Retry/0".
    pub pointer: Option<String>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, code, message: message.into(), span: None, pointer: None, help: None }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(code, message) }
    }

    pub fn at(mut self, pointer: impl Into<String>) -> Self {
        self.pointer = Some(pointer.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// A diagnostic with its line and column resolved, for machine-readable output.
#[derive(Debug, Serialize)]
pub struct Located<'a> {
    #[serde(flatten)]
    pub diagnostic: &'a Diagnostic,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

/// Resolves the line and column of each diagnostic in `src`.
pub fn locate<'a>(diags: &'a [Diagnostic], src: &str) -> Vec<Located<'a>> {
    let idx = LineIndex::new(src);
    diags
        .iter()
        .map(|d| {
            let lc: Option<LineCol> = d.span.as_ref().map(|s| idx.line_col(s.start));
            Located { diagnostic: d, line: lc.map(|l| l.line), column: lc.map(|l| l.column) }
        })
        .collect()
}

/// Renders diagnostics rustc-style: a header with the code, the file, line
/// and column, the offending source line with a caret, and the help text.
/// Plain text (no colour), so output is stable for golden tests and pipes.
pub fn render(diags: &[Diagnostic], file: &str, src: &str) -> String {
    use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic};
    let handler =
        GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor()).with_wrap_lines(false).with_context_lines(CONTEXT_LINES);
    // Indexes made once for all findings: a file with thousands of them
    // is not read from its start (nor copied) for each.
    let lines = LineIndex::new(src);
    let mut out = String::new();
    for d in diags {
        let mut md = MietteDiagnostic::new(d.message.clone()).with_code(d.code).with_severity(match d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        });
        if let Some(h) = &d.help {
            md = md.with_help(h.clone());
        }
        let report = match &d.span {
            Some(s) => {
                let length = lines.line_length(s.start);
                if length > MAX_EXCERPT_LINE {
                    out.push_str(&plain(d, file, lines.line_col(s.start), length));
                    continue;
                }
                let label = d.pointer.clone().filter(|p| !p.is_empty()).unwrap_or_else(|| "here".into());
                let caret = caret_span(src, s);
                let md = md.with_label(LabeledSpan::new_with_span(Some(label), caret));
                miette::Report::new(md).with_source_code(window(&lines, file, src, caret.0))
            }
            // Without a span miette prints no file name: say it here.
            None => miette::Report::new(MietteDiagnostic { message: format!("{file}: {}", md.message), ..md }),
        };
        if handler.render_report(&mut out, report.as_ref()).is_err() {
            out.push_str(&d.message);
        }
        out.push('\n');
    }
    out
}

/// Lines of source shown before and after the one a finding is on.
const CONTEXT_LINES: usize = 1;

/// The lines around `offset` that miette reads for a finding there, with
/// a line to spare on each side.
fn window(lines: &LineIndex, file: &str, src: &str, offset: usize) -> Window {
    let line = lines.line_index(offset);
    let first = line.saturating_sub(CONTEXT_LINES + 1);
    let start = lines.line_start(first).unwrap_or(0);
    let end = lines.line_start(line + CONTEXT_LINES + 2).unwrap_or(src.len());
    Window { name: file.to_string(), text: src.get(start..end).unwrap_or("").to_string(), start, first_line: first }
}

/// Part of a source, whole lines from line `first_line` (0-based) at byte
/// `start`, read by miette as if it were the whole: spans and line numbers
/// are the file's.
struct Window {
    name: String,
    text: String,
    start: usize,
    first_line: usize,
}

impl miette::SourceCode for Window {
    fn read_span<'b>(
        &'b self,
        span: &miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'b> + 'b>, miette::MietteError> {
        let offset = span.offset().checked_sub(self.start).ok_or(miette::MietteError::OutOfBounds)?;
        let read = self.text.read_span(&miette::SourceSpan::new(offset.into(), span.len()), before, after)?;
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            read.data(),
            miette::SourceSpan::new((read.span().offset() + self.start).into(), read.span().len()),
            read.line() + self.first_line,
            read.column(),
            read.line_count(),
        )))
    }
}

/// Lines longer than this (minified ASL, as CloudFormation writes it) are
/// not quoted: the position is given instead, as a caret under a line of a
/// hundred thousand characters helps no one (and the renderer cannot pad
/// that far).
const MAX_EXCERPT_LINE: usize = 4096;

/// A diagnostic on a line too long to quote: the code, the message, where
/// it is, the help.
fn plain(d: &Diagnostic, file: &str, lc: LineCol, line_length: usize) -> String {
    let mut out = format!("{}\n\n  × {}\n  at {file}:{}:{}", d.code, d.message, lc.line, lc.column);
    if let Some(p) = d.pointer.as_deref().filter(|p| !p.is_empty()) {
        out.push_str(&format!(" ({p})"));
    }
    out.push_str(&format!(" — the line is {line_length} characters long; no excerpt\n"));
    if let Some(h) = &d.help {
        out.push_str(&format!("  help: {h}\n"));
    }
    out.push('\n');
    out
}

/// Underlines at most the first line of a span: a whole multi-line object
/// under a caret says less than its opening brace.
fn caret_span(src: &str, s: &Range<usize>) -> (usize, usize) {
    let text = src.get(s.clone()).unwrap_or("");
    let len = text.find('\n').unwrap_or(text.len()).max(1).min(src.len().saturating_sub(s.start).max(1));
    (s.start, if text.contains('\n') { 1 } else { len })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A finding past column 65,535 of a one-line (minified) file is
    /// rendered with its position instead of an excerpt; it once panicked.
    #[test]
    fn findings_on_very_long_lines_render_without_panicking() {
        let src = format!(
            "{{\"Comment\": \"{}\", \"StartAt\": \"A\", \"States\": {{\"A\": {{\"Type\": \"Pass\", \"Bogus\": 1, \"End\": true}}}}}}",
            "x".repeat(70_000)
        );
        let report = crate::validate::validate_source(&src, &Default::default());
        assert!(!report.is_valid());
        let text = render(&report.diagnostics, "min.asl.json", &src);
        assert!(text.contains("at min.asl.json:1:700"), "{text}");
        assert!(text.contains("no excerpt"), "{text}");
    }

    /// A finding rendered from the lines around it reads as one rendered
    /// from the whole file: the same excerpt, line numbers and columns,
    /// with any line breaks, on the first line, the last and at the end.
    #[test]
    fn a_finding_renders_from_its_lines_as_from_the_whole_file() {
        use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource};
        let whole = |d: &Diagnostic, src: &str| {
            let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor()).with_wrap_lines(false);
            let span = caret_span(src, d.span.as_ref().unwrap());
            let md = MietteDiagnostic::new(d.message.clone())
                .with_code(d.code)
                .with_severity(miette::Severity::Error)
                .with_label(LabeledSpan::new_with_span(Some("here".into()), span));
            let mut out = String::new();
            let report = miette::Report::new(md).with_source_code(NamedSource::new("f.sfc", src.to_string()));
            handler.render_report(&mut out, report.as_ref()).unwrap();
            out + "\n"
        };
        for newline in ["\n", "\r\n", "\r"] {
            let src = ["pass A", "pass Bé", "goto Nowhere", "", "pass C", "pass D"].join(newline);
            let mut offsets: Vec<usize> = ["pass A", "Bé", "Nowhere", "pass C", "pass D"].iter().map(|w| src.find(w).unwrap()).collect();
            offsets.push(src.len());
            for at in offsets {
                let d = Diagnostic { span: Some(at..at + 1), ..Diagnostic::error("SEMANTIC", "something") };
                assert_eq!(render(std::slice::from_ref(&d), "f.sfc", &src), whole(&d, &src), "{newline:?} at {at}");
            }
        }
    }

    #[test]
    fn long_texts_are_quoted_cut() {
        assert_eq!(quoted("a\"b", 5), "\"a\\\"b\"");
        assert_eq!(quoted("ééééé", 2), "\"éé\"… (5 characters)");
    }
}
