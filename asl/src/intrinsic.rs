//! Intrinsic functions (`States.Format('{}', $.x)`): the parser shared by
//! the validator and the interpreter.

use serde_json::Number;
use std::fmt;

/// One argument of an intrinsic call.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    String(String),
    Number(Number),
    Bool(bool),
    Null,
    /// A path into the input (`$.a`), the context (`$$.Execution.Id`) or a
    /// variable (`$name.field`).
    Path(String),
    Call(Call),
}

/// A call such as `States.MathAdd($.a, 1)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub name: String,
    pub args: Vec<Arg>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntrinsicError {
    pub message: String,
    pub offset: usize,
}

impl fmt::Display for IntrinsicError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at character {})", self.message, self.offset + 1)
    }
}

/// True when a string is meant as an intrinsic call rather than a path.
pub fn looks_like_call(s: &str) -> bool {
    s.trim_start().starts_with("States.")
}

/// Parses a whole string as one intrinsic call.
pub fn parse(src: &str) -> Result<Call, IntrinsicError> {
    let mut p = Parser { src, pos: 0, depth: 0 };
    let call = p.call()?;
    p.ws();
    if p.pos != src.len() {
        return Err(p.error("unexpected text after the closing parenthesis"));
    }
    Ok(call)
}

/// How deep calls may nest (`States.MathAdd(States.MathAdd(...), 1)`):
/// every reader of a call recurses, so the parser stops there with an
/// error rather than let a later stage overflow its stack.
pub const MAX_CALL_DEPTH: usize = 100;

struct Parser<'a> {
    src: &'a str,
    pos: usize,
    depth: usize,
}

impl<'a> Parser<'a> {
    fn error(&self, msg: &str) -> IntrinsicError {
        IntrinsicError { message: msg.to_string(), offset: self.pos }
    }

    fn rest(&self) -> &'a str {
        &self.src[self.pos..]
    }

    fn ws(&mut self) {
        let trimmed = self.rest().trim_start_matches([' ', '\t', '\n', '\r']);
        self.pos = self.src.len() - trimmed.len();
    }

    fn call(&mut self) -> Result<Call, IntrinsicError> {
        if self.depth >= MAX_CALL_DEPTH {
            return Err(self.error(&format!("intrinsic calls nest more than {MAX_CALL_DEPTH} deep here")));
        }
        self.depth += 1;
        let call = self.call_at_depth();
        self.depth -= 1;
        call
    }

    fn call_at_depth(&mut self) -> Result<Call, IntrinsicError> {
        let rest = self.rest();
        let len = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_')).unwrap_or(rest.len());
        let name = &rest[..len];
        if !name.starts_with("States.") || name.len() == "States.".len() {
            return Err(self.error("expected an intrinsic function name such as States.Format"));
        }
        let name = name.to_string();
        self.pos += len;
        if !self.rest().starts_with('(') {
            return Err(self.error("expected '(' after the function name"));
        }
        self.pos += 1;
        let mut args = Vec::new();
        self.ws();
        if self.rest().starts_with(')') {
            self.pos += 1;
            return Ok(Call { name, args });
        }
        loop {
            self.ws();
            args.push(self.arg()?);
            self.ws();
            match self.rest().chars().next() {
                Some(',') => self.pos += 1,
                Some(')') => {
                    self.pos += 1;
                    return Ok(Call { name, args });
                }
                _ => return Err(self.error("expected ',' or ')' after an argument")),
            }
        }
    }

    fn arg(&mut self) -> Result<Arg, IntrinsicError> {
        let rest = self.rest();
        match rest.chars().next() {
            Some('\'') => self.string(),
            Some('$') => Ok(Arg::Path(self.path())),
            Some(c) if c == '-' || c.is_ascii_digit() => self.number(),
            _ if rest.starts_with("States.") => Ok(Arg::Call(self.call()?)),
            _ => {
                for (word, arg) in [("true", Arg::Bool(true)), ("false", Arg::Bool(false)), ("null", Arg::Null)] {
                    if rest.starts_with(word) {
                        self.pos += word.len();
                        return Ok(arg);
                    }
                }
                Err(self.error("expected a string in single quotes, a number, a path or a call"))
            }
        }
    }

    /// `'...'` with `\'`, `\\`, `\{` and `\}` escapes.
    fn string(&mut self) -> Result<Arg, IntrinsicError> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        let mut chars = self.rest().char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\'' => {
                    self.pos += i + 1;
                    return Ok(Arg::String(out));
                }
                '\\' => match chars.next() {
                    Some((_, e)) => {
                        // `\{` and `\}` stay escaped: they mean literal braces to States.Format.
                        if e == '{' || e == '}' {
                            out.push('\\');
                        }
                        out.push(e);
                    }
                    None => break,
                },
                c => out.push(c),
            }
        }
        self.pos = start;
        Err(self.error("unterminated string"))
    }

    fn number(&mut self) -> Result<Arg, IntrinsicError> {
        let rest = self.rest();
        let len = rest.find(|c: char| !(c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E'))).unwrap_or(rest.len());
        let n = serde_json::from_str::<Number>(&rest[..len]).map_err(|_| self.error("invalid number"))?;
        self.pos += len;
        Ok(Arg::Number(n))
    }

    /// A path runs to the next `,` or `)` outside brackets and quotes.
    fn path(&mut self) -> String {
        let rest = self.rest();
        let (mut depth, mut quote) = (0usize, None);
        let mut end = rest.len();
        for (i, c) in rest.char_indices() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '\'' | '"') => quote = Some(c),
                (None, '[' | '(') => depth += 1,
                (None, ']') => depth = depth.saturating_sub(1),
                (None, ')') if depth > 0 => depth -= 1,
                (None, ',' | ')') if depth == 0 => {
                    end = i;
                    break;
                }
                (None, c) if depth == 0 && c.is_whitespace() => {
                    end = i;
                    break;
                }
                _ => {}
            }
        }
        self.pos += end;
        rest[..end].to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nested_calls_and_literals() {
        let c = parse("States.Format('a\\'{}', States.MathAdd($.x[0], -1.5), true, null)").unwrap();
        assert_eq!(c.name, "States.Format");
        assert_eq!(c.args[0], Arg::String("a'{}".into()));
        let Arg::Call(inner) = &c.args[1] else { panic!("{:?}", c.args[1]) };
        assert_eq!(inner.args[0], Arg::Path("$.x[0]".into()));
        assert_eq!(c.args.len(), 4);
    }

    #[test]
    fn rejects_malformed_calls() {
        for bad in [" States.Array(1)", "States.Array(1", "States.Array(1,)", "States.(1)", "States.Array('x)", "States.Array(1) x"] {
            assert!(parse(bad).is_err(), "{bad} parsed");
        }
    }
}

/// What an argument must be when it is written as a literal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Any,
    String,
    Number,
    Bool,
}

/// The intrinsic functions AWS provides: name, argument kinds (the last
/// repeats when `variadic`), and how many arguments are required.
pub struct Signature {
    pub name: &'static str,
    pub args: &'static [Kind],
    pub required: usize,
    pub variadic: bool,
}

const fn sig(name: &'static str, args: &'static [Kind], required: usize, variadic: bool) -> Signature {
    Signature { name, args, required, variadic }
}

use Kind::{Any, Bool, Number as Num, String as Str};

pub const FUNCTIONS: &[Signature] = &[
    sig("States.Format", &[Str, Any], 1, true),
    sig("States.StringToJson", &[Str], 1, false),
    sig("States.JsonToString", &[Any], 1, false),
    sig("States.Array", &[Any], 0, true),
    sig("States.ArrayPartition", &[Any, Num], 2, false),
    sig("States.ArrayContains", &[Any, Any], 2, false),
    sig("States.ArrayRange", &[Num, Num, Num], 3, false),
    sig("States.ArrayGetItem", &[Any, Num], 2, false),
    sig("States.ArrayLength", &[Any], 1, false),
    sig("States.ArrayUnique", &[Any], 1, false),
    sig("States.Base64Encode", &[Str], 1, false),
    sig("States.Base64Decode", &[Str], 1, false),
    sig("States.Hash", &[Any, Str], 2, false),
    sig("States.JsonMerge", &[Any, Any, Bool], 3, false),
    sig("States.MathRandom", &[Num, Num, Num], 2, false),
    sig("States.MathAdd", &[Num, Num], 2, false),
    sig("States.StringSplit", &[Str, Str], 2, false),
    sig("States.UUID", &[], 0, false),
];

pub fn signature(name: &str) -> Option<&'static Signature> {
    FUNCTIONS.iter().find(|s| s.name == name)
}

/// Checks a parsed call against the function table: known name, number of
/// arguments, and the kind of each literal argument. Nested calls are
/// checked too. Returns one message per problem.
/// One piece of a States.Format template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatPart {
    Text(String),
    /// `{}`: the next argument.
    Placeholder,
}

/// A States.Format template taken apart: text (a `\` escapes the next
/// character) and `{}` placeholders. The interpreter renders these parts;
/// the validator counts the placeholders against the arguments.
pub fn format_parts(template: &str) -> Vec<FormatPart> {
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => text.push(chars.next().unwrap_or('\\')),
            '{' if chars.peek() == Some(&'}') => {
                chars.next();
                if !text.is_empty() {
                    parts.push(FormatPart::Text(std::mem::take(&mut text)));
                }
                parts.push(FormatPart::Placeholder);
            }
            c => text.push(c),
        }
    }
    if !text.is_empty() {
        parts.push(FormatPart::Text(text));
    }
    parts
}

pub fn check_call(call: &Call) -> Vec<String> {
    let mut out = Vec::new();
    let Some(sig) = signature(&call.name) else {
        out.push(format!("{} is not an intrinsic function", call.name));
        return out;
    };
    if let (true, Some(Arg::String(template))) = (call.name == "States.Format", call.args.first()) {
        let wanted = format_parts(template).iter().filter(|p| **p == FormatPart::Placeholder).count();
        let given = call.args.len() - 1;
        if wanted != given {
            out.push(format!("States.Format's template has {wanted} {{}} placeholder(s) and {given} argument(s) follow it"));
        }
    }
    let n = call.args.len();
    let max = if sig.variadic { usize::MAX } else { sig.args.len() };
    if n < sig.required || n > max {
        let want = match (sig.variadic, sig.required == sig.args.len()) {
            (true, _) => format!("at least {}", sig.required),
            (false, true) => format!("{}", sig.required),
            (false, false) => format!("{} to {}", sig.required, sig.args.len()),
        };
        out.push(format!("{} takes {want} argument(s), not {n}", call.name));
    }
    for (i, arg) in call.args.iter().enumerate() {
        let kind = sig.args.get(i).or(sig.args.last()).copied().unwrap_or(Any);
        let literal = match arg {
            Arg::String(_) => Some(Str),
            Arg::Number(_) => Some(Num),
            Arg::Bool(_) => Some(Bool),
            Arg::Null => Some(Any),
            Arg::Path(_) => None,
            Arg::Call(inner) => {
                out.extend(check_call(inner));
                None
            }
        };
        if let Some(l) = literal {
            if kind != Any && (l != kind || matches!(arg, Arg::Null)) {
                out.push(format!("argument {} of {} must be {}", i + 1, call.name, kind_name(kind)));
            }
        }
    }
    out
}

fn kind_name(k: Kind) -> &'static str {
    match k {
        Any => "a value",
        Str => "a string or a path",
        Num => "a number or a path",
        Bool => "a boolean or a path",
    }
}

#[cfg(test)]
mod signature_tests {
    use super::*;

    #[test]
    fn checks_arity_and_literal_kinds() {
        assert!(check_call(&parse("States.MathAdd(1, $.x)").unwrap()).is_empty());
        assert_eq!(check_call(&parse("States.MathAdd(1,'-1')").unwrap()).len(), 1);
        assert_eq!(check_call(&parse("States.UUID(1)").unwrap()).len(), 1);
        assert_eq!(check_call(&parse("States.Xyz($.a)").unwrap()).len(), 1);
        assert!(check_call(&parse("States.Format('{} {}', 1, 'a')").unwrap()).is_empty());
        assert_eq!(check_call(&parse("States.Array(States.MathAdd(1))").unwrap()).len(), 1);
    }

    /// Calls nested past the limit are an error, not a stack overflow
    /// (12,000 deep once crashed the run, 20,000 the validator).
    #[test]
    fn nesting_is_bounded() {
        let deep = |n: usize| format!("{}1{}", "States.MathAdd(".repeat(n), ", 1)".repeat(n));
        assert!(parse(&deep(MAX_CALL_DEPTH)).is_ok());
        let e = parse(&deep(20_000)).unwrap_err();
        assert!(e.message.contains("nest more than 100 deep"), "{e:?}");
    }

    /// The placeholders of a literal template are counted against the
    /// arguments (`format("{} {}", $.a)` once failed only at run time).
    #[test]
    fn format_placeholders_match_the_arguments() {
        assert_eq!(
            check_call(&parse("States.Format('{} {}', $.a)").unwrap()),
            ["States.Format's template has 2 {} placeholder(s) and 1 argument(s) follow it"]
        );
        assert_eq!(check_call(&parse("States.Format('{}', $.a, $.b)").unwrap()).len(), 1);
        assert!(check_call(&parse("States.Format('\\{} {}', $.a)").unwrap()).is_empty(), "an escaped brace is text");
        assert!(check_call(&parse("States.Format($.template, $.a)").unwrap()).is_empty(), "a template from a path is checked at run time");
        assert_eq!(format_parts("a{}b\\{}"), [FormatPart::Text("a".into()), FormatPart::Placeholder, FormatPart::Text("b{}".into())]);
    }
}
