//! Syntax of the paths ASL accepts, in three strengths:
//!
//! - a **reference path** (ResultPath, ItemsPath, `*Path` fields) names one
//!   node: `$`, `.name`, `['name']` and `[index]` steps only;
//! - a **JSONPath** (InputPath, OutputPath, `.$` values) may also use `..`,
//!   `*`, unions, slices and filters;
//! - either may start at the context object (`$$`) or, where workflow
//!   variables are allowed, at a variable (`$name`).

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

fn check(path: &str, roots: Roots, reference: bool) -> Result<(), String> {
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
        } else if rest.starts_with('[') {
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
    if name.contains([']', '(', ')']) || name.chars().any(char::is_whitespace) && name.trim() != name {
        return Err(format!("{name:?} is not a valid field name"));
    }
    Ok(&rest[end..])
}

/// Index of the `]` closing the `[` at the start, skipping quotes and
/// nested brackets or parentheses (filters).
fn bracket_end(s: &str) -> Option<usize> {
    let (mut depth, mut quote) = (0i32, None);
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
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

#[cfg(test)]
mod tests {
    use super::*;

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
        ] {
            assert_eq!(check_json_path(p, Roots::INPUT_ONLY), Ok(()), "{p}");
        }
        for p in ["$", "$.a.b", "$.a[0]", "$['x']"] {
            assert_eq!(check_reference_path(p, Roots::INPUT_ONLY), Ok(()), "{p}");
        }
        assert!(check_json_path("$$.Execution.Id", Roots::WITH_CONTEXT).is_ok());
        assert!(check_json_path("$$", Roots::WITH_CONTEXT).is_ok());
        assert!(check_json_path("$var.x", Roots::ALL).is_ok());
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
