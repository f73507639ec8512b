//! A bound on nesting, checked before the grammar runs: the parser and
//! every stage after it recurse once per level, so 3,000 nested blocks,
//! parentheses or arrays (or a long `not not not ...` chain) would overflow
//! the stack. Past the bound the file gets one located error instead.

use crate::diag::Diagnostic;

/// How deep blocks, objects, arrays and parentheses may nest, and how many
/// `not`s may follow each other.
pub const MAX_NESTING: usize = 200;

/// The first place where `src` nests deeper than [`MAX_NESTING`].
pub fn too_deep(src: &str) -> Option<Diagnostic> {
    let bytes = src.as_bytes();
    let (mut depth, mut nots, mut i) = (0usize, 0usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'"' => i = skip_string(bytes, i),
            b'/' if bytes.get(i + 1) == Some(&b'/') => i = src[i..].find('\n').map_or(bytes.len(), |n| i + n),
            b'/' if bytes.get(i + 1) == Some(&b'*') => i = src[i + 2..].find("*/").map_or(bytes.len(), |n| i + 2 + n + 1),
            b'{' | b'[' | b'(' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(error(i, format!("blocks, objects, arrays and parentheses nest more than {MAX_NESTING} deep here")));
                }
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            b'n' if src[i..].starts_with("not") && word_ends(bytes, i, 3) && (i == 0 || !is_word(bytes[i - 1])) => {
                nots += 1;
                if nots > MAX_NESTING {
                    return Some(error(i, format!("more than {MAX_NESTING} `not`s follow each other here")));
                }
                i += 2;
            }
            b if !b.is_ascii_whitespace() => nots = 0,
            _ => {}
        }
        i += 1;
    }
    None
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn word_ends(bytes: &[u8], start: usize, len: usize) -> bool {
    bytes.get(start + len).is_none_or(|b| !is_word(*b))
}

/// The index of the quote that closes the string opening at `start`.
fn skip_string(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'"' => return i,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

fn error(at: usize, message: String) -> Diagnostic {
    let mut d = Diagnostic::error("SYNTAX", message).with_help("flatten the workflow: name the inner parts, or split them into states");
    d.span = Some(at..at + 1);
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deep nesting is one located error, not a stack overflow (3,000
    /// nested `if`s, parentheses or arrays, or 10,000 `not`s once crashed).
    #[test]
    fn deep_nesting_is_an_error() {
        let ifs = "if $.a == 1 {\n".repeat(3000) + "pass P\n" + &"}\n".repeat(3000);
        let parens = format!("if {}$.a == 1{} {{ pass P }}\n", "(".repeat(3000), ")".repeat(3000));
        let arrays = format!("pass P result {{ a: {}1{} }}\n", "[".repeat(10_000), "]".repeat(10_000));
        let nots = format!("if {} $.a == 1 {{ pass P }}\n", "not ".repeat(10_000));
        for src in [ifs, parens, arrays, nots] {
            let out = crate::lang::compile(&src, std::path::Path::new("."), &Default::default());
            assert!(out.asl.is_none());
            assert_eq!(out.diagnostics.len(), 1, "{:?}", out.diagnostics);
            assert!(out.diagnostics[0].message.contains("more than 200"), "{}", out.diagnostics[0].message);
        }
        // Braces and comments in strings do not count; shallow files pass.
        assert!(too_deep("pass P result { t: \"{{{{ // ((( \" } // [[[[\n").is_none());
        assert!(too_deep(&("(".repeat(200) + &")".repeat(200))).is_none());
        assert!(too_deep("pass notable result { nothing: \"not\" }").is_none());
    }
}
