//! JSON pointers (RFC 6901) as plain strings: "/States/Run/Retry/0".

use std::fmt;

/// Escapes one reference token: `~` → `~0`, `/` → `~1`.
pub fn escape_token(token: &str) -> String {
    if !token.contains(['~', '/']) {
        return token.to_string();
    }
    token.replace('~', "~0").replace('/', "~1")
}

/// A JSON pointer built by appending tokens.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pointer(String);

impl Pointer {
    pub fn root() -> Self {
        Pointer(String::new())
    }

    /// This pointer extended by an object key.
    pub fn key(&self, key: &str) -> Pointer {
        Pointer(format!("{}/{}", self.0, escape_token(key)))
    }

    /// This pointer extended by an array index.
    pub fn index(&self, i: usize) -> Pointer {
        Pointer(format!("{}/{}", self.0, i))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<Pointer> for String {
    fn from(p: Pointer) -> String {
        p.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_tilde_and_slash() {
        let p = Pointer::root().key("States").key("a/b~c").index(0);
        assert_eq!(p.as_str(), "/States/a~1b~0c/0");
    }
}
