//! The text forms the Query and REST protocols share: percent-encoding
//! for forms and URLs, and the elements of a flat XML answer.

/// Percent-encoded, all but the unreserved characters (and `/` in a path).
pub fn encode(s: &str, keep_slash: bool) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            b'/' if keep_slash => "/".into(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

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

/// `%7B%22a%22%7D` → `{"a"}` (IAM returns policy documents URL-encoded).
pub fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b'+', _, _) => {
                out.push(b' ');
                i += 1;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).to_string()
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

    #[test]
    fn documents_are_url_decoded() {
        assert_eq!(super::decode("%7B%22a%22%3A%20%22b+c%22%7D"), "{\"a\": \"b c\"}");
        assert_eq!(super::decode("100%"), "100%");
    }
}
