//! Syntax of the paths ASL accepts — one parser for the validator and the
//! interpreter — in three strengths:
//!
//! - a **reference path** (ResultPath, ItemsPath, `*Path` fields) names one
//!   node: `$`, `.name`, `['name']` and `[index]` steps only;
//! - a **JSONPath** (InputPath, OutputPath, `.$` values) may also use `..`,
//!   `*`, unions, slices and filters;
//! - either may start at the context object (`$$`) or, where workflow
//!   variables are allowed, at a variable (`$name`).
//!
//! [`StepIter`] takes a definite path apart into [`StepRef`]s; the checks
//! below read `['quoted']` and `[index]` steps through it, so a path the
//! validator accepts is one the interpreter reads the same way.

use std::borrow::Cow;

/// Where a path may start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Roots {
    pub context: bool,
    pub variables: bool,
}

impl Roots {
    pub const INPUT_ONLY: Roots = Roots { context: false, variables: false };
    pub const ALL: Roots = Roots { context: true, variables: true };
    pub const WITH_CONTEXT: Roots = Roots { context: true, variables: false };
}

/// Checks a reference path; the error says what is wrong.
pub fn check_reference_path(path: &str, roots: Roots) -> Result<(), String> {
    check(path, roots, true)
}

/// Checks a JSONPath.
pub fn check_json_path(path: &str, roots: Roots) -> Result<(), String> {
    check(path, roots, false)
}

/// Jayway's `.[` is `[`: `$.[0]`, `$.a.[0].b`, `$.[?(@.x > 0)]`,
/// `$.[*].['a','b']`, which AWS takes. The path with each such `.` left
/// out (a `..[` deep scan stays), borrowed when there is none.
pub fn without_dot_brackets(path: &str) -> Cow<'_, str> {
    if !path.contains(".[") {
        return Cow::Borrowed(path);
    }
    let mut out = String::with_capacity(path.len());
    let (mut quote, mut escaped, mut previous) = (None, false, '\0');
    let mut chars = path.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(_), '\\') => escaped = !escaped,
            (Some(q), c) if c == q && !escaped => quote = None,
            (Some(_), _) => escaped = false,
            (None, '\'' | '"') => quote = Some(c),
            (None, '.') if previous != '.' && chars.peek() == Some(&'[') => {
                previous = c;
                continue;
            }
            _ => {}
        }
        out.push(c);
        previous = c;
    }
    Cow::Owned(out)
}

fn check(path: &str, roots: Roots, reference: bool) -> Result<(), String> {
    let path = &*without_dot_brackets(path);
    let rest = path.strip_prefix('$').ok_or_else(|| format!("{path:?} is not a path: a path starts with '$'"))?;
    let rest = if let Some(r) = rest.strip_prefix('$') {
        if !roots.context {
            return Err(format!("{path:?} refers to the context object ($$), which is not allowed here"));
        }
        r
    } else if rest.starts_with(|c: char| c.is_alphabetic() || c == '_') {
        if !roots.variables {
            return Err(format!("{path:?} refers to a variable, which is not allowed here"));
        }
        let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
        &rest[end..]
    } else {
        rest
    };
    steps(rest, reference).map_err(|e| format!("{path:?} is not a valid path: {e}"))
}

fn steps(mut rest: &str, reference: bool) -> Result<(), String> {
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("..") {
            if reference {
                return Err("'..' (deep scan) is not allowed in a reference path".into());
            }
            rest = r;
            if rest.starts_with('[') {
                continue;
            }
            rest = name_step(rest, reference)?;
        } else if let Some(r) = rest.strip_prefix('.') {
            rest = name_step(r, reference)?;
        } else if let Some(inner) = rest.strip_prefix('[') {
            if let Some((_, len)) = bracket_step(inner) {
                rest = &inner[len..];
                continue;
            }
            let end = bracket_end(rest).ok_or("unclosed '['")?;
            bracket(&rest[1..end], reference)?;
            rest = &rest[end + 1..];
        } else {
            return Err(format!("unexpected {:?}; expected '.' or '['", rest.chars().next().unwrap_or(' ')));
        }
    }
    Ok(())
}

fn name_step(rest: &str, reference: bool) -> Result<&str, String> {
    let end = rest.find(['.', '[']).unwrap_or(rest.len());
    let name = &rest[..end];
    if name.is_empty() {
        return Err("a '.' must be followed by a field name".into());
    }
    if name == "*" && reference {
        return Err("'*' is not allowed in a reference path".into());
    }
    if name != "*" && !is_field_name(name) {
        return Err(format!("{name:?} is not a valid field name"));
    }
    Ok(&rest[end..])
}

/// A name after a `.`: no brackets or parentheses, no white space around
/// it. The one rule for the validator and for [`StepIter`].
fn is_field_name(name: &str) -> bool {
    !name.is_empty() && !name.contains([']', '(', ')']) && name.trim() == name
}

/// Index of the `]` closing the `[` at the start, skipping quotes and
/// nested brackets or parentheses (filters); `\` escapes inside quotes.
fn bracket_end(s: &str) -> Option<usize> {
    let (mut depth, mut quote, mut escaped) = (0i32, None, false);
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(_), '\\') => escaped = !escaped,
            (Some(q), c) if c == q && !escaped => quote = None,
            (Some(_), _) => escaped = false,
            (None, '\'' | '"') => quote = Some(c),
            (None, '[' | '(') => depth += 1,
            (None, ')') => depth -= 1,
            (None, ']') => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

fn bracket(inner: &str, reference: bool) -> Result<(), String> {
    let t = inner.trim();
    if t.is_empty() {
        return Err("empty brackets".into());
    }
    let quoted = |s: &str| s.len() >= 2 && (s.starts_with('\'') && s.ends_with('\'') || s.starts_with('"') && s.ends_with('"'));
    let index = |s: &str| s.parse::<i64>().is_ok();
    if quoted(t) || t.parse::<u64>().is_ok() {
        return Ok(());
    }
    if reference {
        return Err(format!("[{t}] is not allowed in a reference path; use a field name or an index"));
    }
    if t == "*" || index(t) {
        return Ok(());
    }
    if t.starts_with("?(") && t.ends_with(')') || t.starts_with('(') && t.ends_with(')') {
        return Ok(());
    }
    if t.contains(':') {
        let parts: Vec<_> = t.split(':').map(str::trim).collect();
        if parts.len() <= 3 && parts.iter().all(|p| p.is_empty() || index(p)) {
            return Ok(());
        }
        return Err(format!("[{t}] is not a valid slice"));
    }
    if t.contains(',') && t.split(',').map(str::trim).all(|p| index(p) || quoted(p)) {
        return Ok(());
    }
    Err(format!("[{t}] is not a valid index, name, slice or filter"))
}

// ---- definite paths, taken apart into steps

/// One step of a definite path.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Key(String),
    Index(i64),
}

/// The steps of `path` when it is `$` or a definite path starting `$.`,
/// which can be followed without the general evaluator; `None` otherwise.
pub fn input_steps(path: &str) -> Option<Vec<Step>> {
    (path.starts_with("$.") || path == "$").then(|| parse_definite(path)).flatten()
}

/// Parses `$`, `.name`, `['name']`, `["name"]` and `[n]` steps; `None`
/// for anything else (which is then not a definite path).
pub fn parse_definite(path: &str) -> Option<Vec<Step>> {
    StepIter::new(path)?
        .map(|s| {
            s.map(|s| match s {
                StepRef::Key(k) => Step::Key(k.into_owned()),
                StepRef::Index(i) => Step::Index(i),
            })
        })
        .collect()
}

/// A step that borrows from the path text where it can.
pub enum StepRef<'a> {
    Key(Cow<'a, str>),
    Index(i64),
}

/// The steps of a definite path; an item is `None` where the path stops
/// being definite.
pub struct StepIter<'a> {
    rest: &'a str,
}

impl<'a> StepIter<'a> {
    /// The steps of a path that starts at `$`; `None` when it does not.
    pub fn new(path: &'a str) -> Option<Self> {
        Some(StepIter { rest: path.strip_prefix('$')? })
    }

    /// The steps of a path given without its root (`.a.b[0]`).
    pub fn after_root(rest: &'a str) -> Self {
        StepIter { rest }
    }
}

impl<'a> Iterator for StepIter<'a> {
    type Item = Option<StepRef<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.rest;
        if rest.is_empty() {
            return None;
        }
        if let Some(r) = rest.strip_prefix('.') {
            // Byte scans: the delimiters are ASCII, and paths are read at
            // every state.
            let end = r.bytes().position(|b| b == b'.' || b == b'[').unwrap_or(r.len());
            let name = &r[..end];
            if name == "*" || !is_field_name(name) {
                self.rest = "";
                return Some(None);
            }
            self.rest = &r[end..];
            return Some(Some(StepRef::Key(Cow::Borrowed(name))));
        }
        if let Some(r) = rest.strip_prefix('[') {
            return Some(match bracket_step(r) {
                Some((step, len)) => {
                    self.rest = &r[len..];
                    Some(step)
                }
                None => {
                    self.rest = "";
                    None
                }
            });
        }
        self.rest = "";
        Some(None)
    }
}

/// One `[...]` step (the text after `[`): a quoted name or an index, and
/// how many bytes it spans including the `]`. Inside quotes only the quote
/// character itself is escaped (`\'`); other text is taken literally, as
/// AWS's JSONPath reads it.
fn bracket_step(r: &str) -> Option<(StepRef<'_>, usize)> {
    let trimmed = r.trim_start();
    let lead = r.len() - trimmed.len();
    if let Some(q) = trimmed.chars().next().filter(|c| *c == '\'' || *c == '"') {
        let body = &trimmed[1..];
        let mut name = String::new();
        let mut escaped = false;
        let mut chars = body.char_indices();
        while let Some((i, c)) = chars.next() {
            if c == '\\' && body[i + 1..].starts_with(q) {
                name.push(q);
                escaped = true;
                chars.next();
            } else if c == q {
                let after = &body[i + 1..];
                let close = after.find(']')?;
                if !after[..close].trim().is_empty() {
                    return None;
                }
                let key = if escaped { Cow::Owned(name) } else { Cow::Borrowed(&body[..i]) };
                return Some((StepRef::Key(key), lead + 1 + i + 1 + close + 1));
            } else {
                name.push(c);
            }
        }
        return None;
    }
    let end = r.find(']')?;
    Some((StepRef::Index(r[..end].trim().parse().ok()?), end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dot_before_a_bracket_is_left_out() {
        for (jayway, plain) in [
            ("$.[0]", "$[0]"),
            ("$.a.[0].b", "$.a[0].b"),
            ("$..[0]", "$..[0]"),
            ("$.[?(@.a.[0] > 0)]", "$[?(@.a[0] > 0)]"),
            ("$['x.[y']", "$['x.[y']"),
            ("$.a", "$.a"),
        ] {
            assert_eq!(without_dot_brackets(jayway), plain, "{jayway}");
        }
    }

    #[test]
    fn accepts_what_aws_accepts() {
        for p in [
            "$",
            "$.a",
            "$.a-b.c[0]",
            "$['a b'][-1]",
            "$.a[*].b",
            "$..x",
            "$.a[1:3]",
            "$.a[?(@.p < 10)].t",
            "$.a[0,1]",
            "$.a[(@.length-1)]",
            // Jayway's `.[`, found in definitions AWS deploys.
            "$.[0]",
            "$.Snapshots.[0].State",
            "$.[?(@.OU > 0)]",
            "$.[*].['bucket','key']",
        ] {
            assert_eq!(check_json_path(p, Roots::INPUT_ONLY), Ok(()), "{p}");
        }
        for p in ["$", "$.a.b", "$.a[0]", "$['x']", "$.a.[0]"] {
            assert_eq!(check_reference_path(p, Roots::INPUT_ONLY), Ok(()), "{p}");
        }
        assert!(check_json_path("$$.Execution.Id", Roots::WITH_CONTEXT).is_ok());
        assert!(check_json_path("$$", Roots::WITH_CONTEXT).is_ok());
        assert!(check_json_path("$var.x", Roots::ALL).is_ok());
    }

    proptest::proptest! {
        /// One parser: whatever the interpreter takes apart as a definite
        /// path, the validator accepts as a reference path; and no text
        /// makes either panic.
        #[test]
        fn definite_paths_are_valid_reference_paths(s in "\\$[a-z.\\[\\]'\\\\*0-9 \"-]{0,16}") {
            let definite = parse_definite(&s);
            let checked = check_reference_path(&s, Roots::INPUT_ONLY);
            let _ = check_json_path(&s, Roots::ALL);
            if definite.is_some() {
                proptest::prop_assert_eq!(checked, Ok(()), "{} reads as {:?}", s, definite);
            }
        }
    }

    /// The validator and the interpreter read `\'` inside a quoted step
    /// alike: as the quote itself (they once disagreed).
    #[test]
    fn escaped_quotes_in_brackets() {
        for p in ["$['it\\'s']", "$.a['it\\'s'].b", "$['x\\'y\\'z'][0]"] {
            assert_eq!(check_reference_path(p, Roots::INPUT_ONLY), Ok(()), "{p}");
            assert_eq!(check_json_path(p, Roots::INPUT_ONLY), Ok(()), "{p}");
        }
        assert_eq!(parse_definite("$['it\\'s']"), Some(vec![Step::Key("it's".into())]));
        assert_eq!(parse_definite("$.a[2]['b c']"), Some(vec![Step::Key("a".into()), Step::Index(2), Step::Key("b c".into())]));
        assert_eq!(parse_definite("$.a[*]"), None);
    }

    #[test]
    fn rejects_malformed_paths() {
        for p in [".guid", "..guid", "()", "$...", "$.", "$a", "23", "$$23", "bug$.x", "$.a[", "$.a[]", "$.a[x y]"] {
            assert!(check_json_path(p, Roots::WITH_CONTEXT).is_err(), "{p} accepted");
        }
        for p in ["$.a[*]", "$..a", "$.a[1:2]", "$$.x", "$foo"] {
            assert!(check_reference_path(p, Roots::INPUT_ONLY).is_err(), "{p} accepted as reference path");
        }
    }
}
