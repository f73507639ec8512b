//! Percent-encoding, as URLs, forms and IAM's policy documents use it.

/// Percent-encoded: all but the unreserved characters (and `/` in a path).
pub fn encode(s: &str, keep_slash: bool) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            b'/' if keep_slash => "/".into(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// `%7B%22a%22%7D` → `{"a"}` (IAM returns policy documents URL-encoded; a query's `+` is a space).
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
    fn documents_are_url_decoded() {
        assert_eq!(super::decode("%7B%22a%22%3A%20%22b+c%22%7D"), "{\"a\": \"b c\"}");
        assert_eq!(super::decode("100%"), "100%");
    }
}
