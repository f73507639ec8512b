//! A strict JSON parser (RFC 8259) that records spans and rejects
//! duplicate keys.

use super::{escape_token, NodeSpan, SpanIndex};
use serde_json::{Map, Number, Value};
use std::fmt;

/// Deepest nesting of arrays and objects accepted. Far beyond any real
/// definition (AWS caps state nesting long before this), and low enough
/// that neither parsing nor dropping the value can exhaust the stack.
pub const MAX_DEPTH: usize = 512;

/// A syntax error at a byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    pub message: String,
    pub offset: usize,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// A parsed document: the value and where each part of it came from.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub value: Value,
    pub spans: SpanIndex,
}

/// Parses one JSON document; anything but whitespace after it is an error.
pub fn parse(src: &str) -> Result<Parsed, JsonError> {
    let mut p = Parser { src: src.as_bytes(), text: src, pos: 0, spans: SpanIndex::default() };
    p.skip_ws();
    if p.pos == p.src.len() {
        return Err(p.error_at(0, "the file is empty; expected a JSON object"));
    }
    let mut pointer = String::new();
    let value = p.value(&mut pointer, None, 0)?;
    p.skip_ws();
    if p.pos != p.src.len() {
        return Err(p.error("unexpected text after the end of the JSON document"));
    }
    Ok(Parsed { value, spans: p.spans })
}

struct Parser<'a> {
    src: &'a [u8],
    text: &'a str,
    pos: usize,
    spans: SpanIndex,
}

impl Parser<'_> {
    fn error(&self, msg: impl Into<String>) -> JsonError {
        self.error_at(self.pos, msg)
    }

    fn error_at(&self, offset: usize, msg: impl Into<String>) -> JsonError {
        JsonError { message: msg.into(), offset }
    }

    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn expect(&mut self, byte: u8, what: &str) -> Result<(), JsonError> {
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.unexpected(what))
        }
    }

    fn unexpected(&self, expected: &str) -> JsonError {
        match self.text[self.pos..].chars().next() {
            None => self.error(format!("unexpected end of file; expected {expected}")),
            Some(c) => self.error(format!("unexpected {c:?}; expected {expected}")),
        }
    }

    fn value(&mut self, pointer: &mut String, key: Option<std::ops::Range<usize>>, depth: usize) -> Result<Value, JsonError> {
        let start = self.pos;
        let value = match self.peek() {
            Some(b'{') => self.object(pointer, depth + 1)?,
            Some(b'[') => self.array(pointer, depth + 1)?,
            Some(b'"') => Value::String(self.string()?),
            Some(b't') => self.literal("true", Value::Bool(true))?,
            Some(b'f') => self.literal("false", Value::Bool(false))?,
            Some(b'n') => self.literal("null", Value::Null)?,
            Some(b'-' | b'0'..=b'9') => Value::Number(self.number()?),
            _ => return Err(self.unexpected("a JSON value")),
        };
        self.spans.insert(pointer.clone(), NodeSpan { key, value: start..self.pos });
        Ok(value)
    }

    fn enter(&self, depth: usize) -> Result<(), JsonError> {
        if depth > MAX_DEPTH {
            Err(self.error(format!("JSON is nested more than {MAX_DEPTH} levels deep")))
        } else {
            Ok(())
        }
    }

    fn object(&mut self, pointer: &mut String, depth: usize) -> Result<Value, JsonError> {
        self.enter(depth)?;
        self.pos += 1;
        let mut map = Map::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::Object(map));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(self.unexpected("a string key"));
            }
            let key_start = self.pos;
            let key = self.string()?;
            let key_span = key_start..self.pos;
            if map.contains_key(&key) {
                return Err(self.error_at(key_start, format!("duplicate key {key:?}; AWS rejects a JSON object with the same key twice")));
            }
            self.skip_ws();
            self.expect(b':', "':' after an object key")?;
            self.skip_ws();
            let len = pointer.len();
            pointer.push('/');
            pointer.push_str(&escape_token(&key));
            let v = self.value(pointer, Some(key_span), depth)?;
            pointer.truncate(len);
            map.insert(key, v);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(map));
                }
                _ => return Err(self.unexpected("',' or '}'")),
            }
        }
    }

    fn array(&mut self, pointer: &mut String, depth: usize) -> Result<Value, JsonError> {
        self.enter(depth)?;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_ws();
            let len = pointer.len();
            pointer.push('/');
            pointer.push_str(&items.len().to_string());
            let v = self.value(pointer, None, depth)?;
            pointer.truncate(len);
            items.push(v);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.unexpected("',' or ']'")),
            }
        }
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value, JsonError> {
        if self.src[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.unexpected("a JSON value"))
        }
    }

    fn number(&mut self) -> Result<Number, JsonError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.unexpected("a digit")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.unexpected("a digit after '.'"));
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.unexpected("a digit in the exponent"));
            }
            self.digits();
        }
        let text = &self.text[start..self.pos];
        text.parse::<Number>().map_err(|_| self.error_at(start, format!("number {text} is out of range")))
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
    }

    fn string(&mut self) -> Result<String, JsonError> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            let run = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(&self.text[run..self.pos]);
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    self.escape(&mut out)?;
                }
                Some(_) => return Err(self.error("control character inside a string; escape it")),
                None => return Err(self.error("unterminated string")),
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), JsonError> {
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                let c = self.unicode_escape()?;
                out.push(c);
                return Ok(());
            }
            _ => return Err(self.unexpected("an escape character")),
        };
        self.pos += 1;
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let digits = self.src.get(self.pos..self.pos + 4).ok_or_else(|| self.error("truncated \\u escape"))?;
        let text = std::str::from_utf8(digits).map_err(|_| self.error("invalid \\u escape"))?;
        let v = u32::from_str_radix(text, 16).map_err(|_| self.error("invalid \\u escape"))?;
        self.pos += 4;
        Ok(v)
    }

    fn unicode_escape(&mut self) -> Result<char, JsonError> {
        let start = self.pos;
        let hi = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&hi) {
            if !self.src[self.pos..].starts_with(b"\\u") {
                return Err(self.error_at(start, "lone surrogate in \\u escape"));
            }
            self.pos += 2;
            let lo = self.hex4()?;
            if !(0xDC00..0xE000).contains(&lo) {
                return Err(self.error_at(start, "invalid surrogate pair in \\u escape"));
            }
            0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
        } else {
            hi
        };
        char::from_u32(code).ok_or_else(|| self.error_at(start, "lone surrogate in \\u escape"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_key_order_and_number_forms() {
        let p = parse(r#"{"b": 2.0, "a": [1, -0.5e3, "x\u00e9\ud83d\ude00"]}"#).unwrap();
        assert_eq!(serde_json::to_string(&p.value).unwrap(), r#"{"b":2.0,"a":[1,-500.0,"xé😀"]}"#);
    }

    #[test]
    fn records_spans_by_pointer() {
        let src = "{\n  \"States\": {\"A/b\": [true]}\n}";
        let p = parse(src).unwrap();
        let s = p.spans.get("/States/A~1b/0").unwrap();
        assert_eq!(&src[s.value.clone()], "true");
        let k = p.spans.key("/States").unwrap();
        assert_eq!(&src[k], "\"States\"");
    }

    #[test]
    fn rejects_duplicate_keys() {
        let e = parse(r#"{"a": 1, "a": 2}"#).unwrap_err();
        assert!(e.message.contains("duplicate key \"a\""), "{}", e.message);
        assert_eq!(e.offset, 9);
    }

    #[test]
    fn rejects_deep_nesting_without_overflow() {
        let src = "[".repeat(100_000);
        let e = parse(&src).unwrap_err();
        assert!(e.message.contains("nested more than"));
    }

    #[test]
    fn rejects_malformed_documents() {
        for bad in ["", "  ", "{", "{\"a\" 1}", "[1,]", "01", "1.", "\"\\x\"", "{} x", "tru", "\"a\nb\""] {
            assert!(parse(bad).is_err(), "{bad:?} parsed");
        }
    }
}
