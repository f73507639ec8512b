//! The text forms the Query and REST protocols share: percent-encoding
//! for forms and URLs (crate::percent), and the elements of a flat XML answer.

pub use crate::percent::{decode, encode};

/// The text of the first `<tag>` element.
pub fn element<'a>(xml: &'a str, tag: &str) -> Option<&'a str> {
    let start = xml.find(&format!("<{tag}>"))? + tag.len() + 2;
    let end = xml[start..].find(&format!("</{tag}>"))? + start;
    Some(&xml[start..end])
}

/// XML's five entities, undone.
pub fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

/// The top-level `<member>` elements of a list element's text (members
/// nested in them stay inside).
pub fn members(xml: &str) -> Vec<&str> {
    let (open, close) = ("<member>", "</member>");
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    let mut at = 0;
    while at < xml.len() {
        let rest = &xml[at..];
        if rest.starts_with(open) {
            if depth == 0 {
                start = at + open.len();
            }
            depth += 1;
            at += open.len();
        } else if rest.starts_with(close) {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                out.push(&xml[start..at]);
            }
            at += close.len();
        } else {
            at += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn members_keep_nested_lists_whole() {
        let xml = "<member><A>1</A><L><member>x</member><member>y</member></L></member><member><A>2</A></member>";
        let m = super::members(xml);
        assert_eq!(m, ["<A>1</A><L><member>x</member><member>y</member></L>", "<A>2</A>"]);
        assert_eq!(super::members(super::element(m[0], "L").unwrap()), ["x", "y"]);
    }
}
