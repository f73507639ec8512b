//! The property language of `sfc check`: one property a line, the same in
//! a `.sfc` workflow's `check` block and in a checks file beside an ASL
//! definition. A state name with spaces is quoted (`"Check Price"`).
//!
//! ```text
//! always eventually TerminateCluster
//! never SubmitGpuJob
//! never Stage0 when CheckBudget takes rule 1
//! every failure ends in PreprocessingFailed
//! after CreateCluster succeeds, eventually one of TerminateCluster, TerminateAfterFailure
//! TrainModel runs only if ExtractFeatures succeeded and ProcessData succeeded
//! ends within 2h
//! ends with status FAILED when RunSparkStep fails
//! output matches {"ok": true}
//! ```

use super::Path;
use crate::Status;
use serde_json::Value;
use sfc_asl::parts::Part;
use std::time::Duration;

/// One property, as parsed.
#[derive(Debug, Clone, PartialEq)]
pub enum Property {
    /// Every path enters the state.
    AlwaysEventually(String),
    /// No path enters the state (where the condition holds, if given).
    Never(String, Option<Condition>),
    /// Every path that does not succeed ends in the state.
    FailuresEndIn(String),
    /// Once `after` succeeded, one of `one_of` is entered later.
    AfterSucceeds { after: String, one_of: Vec<String> },
    /// Whenever `state` is entered, each of `succeeded` has succeeded before.
    RunsOnlyIf { state: String, succeeded: Vec<String> },
    /// Every path ends within the duration of virtual time.
    EndsWithin(Duration),
    /// Paths where the condition holds end with the status.
    EndsWithStatus { status: Status, when: Option<Condition> },
    /// Paths that succeed have an output containing the value.
    OutputMatches(Value),
}

/// What a path did with a state.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    Runs(String),
    Succeeds(String),
    Fails(String),
    /// A Choice state took rule `n` (from 1, as people count them).
    TakesRule(String, usize),
    TakesDefault(String),
}

impl Property {
    /// The states it names.
    pub fn states(&self) -> Vec<&str> {
        fn condition(c: &Option<Condition>) -> Vec<&str> {
            match c {
                Some(
                    Condition::Runs(s)
                    | Condition::Succeeds(s)
                    | Condition::Fails(s)
                    | Condition::TakesRule(s, _)
                    | Condition::TakesDefault(s),
                ) => {
                    vec![s.as_str()]
                }
                None => vec![],
            }
        }
        match self {
            Property::AlwaysEventually(s) | Property::FailuresEndIn(s) => vec![s],
            Property::Never(s, when) => [vec![s.as_str()], condition(when)].concat(),
            Property::AfterSucceeds { after, one_of } => std::iter::once(after).chain(one_of).map(String::as_str).collect(),
            Property::RunsOnlyIf { state, succeeded } => std::iter::once(state).chain(succeeded).map(String::as_str).collect(),
            Property::EndsWithStatus { when, .. } => condition(when),
            Property::EndsWithin(_) | Property::OutputMatches(_) => vec![],
        }
    }
}

/// A property with its text, as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    pub text: String,
    pub property: Property,
}

/// Parses one property; an error says what was expected.
pub fn parse(line: &str) -> Result<Property, String> {
    let text = line.trim();
    let words = Words::new(text);
    if let Some(rest) = words.after("always eventually") {
        return Ok(Property::AlwaysEventually(one_name(rest)?));
    }
    if let Some(rest) = words.after("never") {
        return match rest.split_once(" when ") {
            Some((state, when)) => Ok(Property::Never(one_name(state)?, Some(condition(when)?))),
            None => Ok(Property::Never(one_name(rest)?, None)),
        };
    }
    if let Some(rest) = words.after("every failure ends in") {
        return Ok(Property::FailuresEndIn(one_name(rest)?));
    }
    if let Some(rest) = words.after("after") {
        let (after, rest) = rest.split_once(" succeeds").ok_or("expected `after STATE succeeds, eventually ...`")?;
        let rest = rest.trim_start_matches(',').trim();
        let targets = rest
            .strip_prefix("eventually one of")
            .or_else(|| rest.strip_prefix("eventually"))
            .ok_or("expected `eventually STATE` or `eventually one of STATE, STATE` after `succeeds,`")?;
        return Ok(Property::AfterSucceeds { after: one_name(after)?, one_of: names(targets, ",")? });
    }
    if let Some(rest) = words.after("ends within") {
        return Ok(Property::EndsWithin(duration(rest.trim())?));
    }
    if let Some(rest) = words.after("ends with status") {
        let (status, when) = match rest.split_once(" when ") {
            Some((s, w)) => (s, Some(condition(w)?)),
            None => (rest, None),
        };
        let status = match status.trim() {
            "SUCCEEDED" => Status::Succeeded,
            "FAILED" => Status::Failed,
            "TIMED_OUT" => Status::TimedOut,
            other => return Err(format!("unknown status {other:?}: SUCCEEDED, FAILED or TIMED_OUT")),
        };
        return Ok(Property::EndsWithStatus { status, when });
    }
    if let Some(rest) = words.after("output matches") {
        return serde_json::from_str(rest.trim()).map(Property::OutputMatches).map_err(|e| format!("`output matches` takes JSON: {e}"));
    }
    if let Some((state, rest)) = text.split_once(" runs only if ") {
        let succeeded = rest
            .split(" and ")
            .map(|part| {
                part.trim()
                    .strip_suffix("succeeded")
                    .ok_or("expected `STATE succeeded` after `runs only if`")
                    .and_then(|n| one_name(n).map_err(|_| "a state name"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(Property::RunsOnlyIf { state: one_name(state)?, succeeded });
    }
    Err(format!(
        "not a property: {text:?}; properties read `always eventually S`, `never S`, `never S when C takes rule 1`, `every failure ends in S`, `after A succeeds, eventually one of B, C`, `S runs only if A succeeded`, `ends within 2h`, `ends with status FAILED when S fails`, `output matches {{...}}`"
    ))
}

/// A property's leading words, matched whole.
struct Words<'t>(&'t str);

impl<'t> Words<'t> {
    fn new(text: &'t str) -> Self {
        Words(text)
    }

    fn after(&self, lead: &str) -> Option<&'t str> {
        let rest = self.0.strip_prefix(lead)?;
        (rest.is_empty() || rest.starts_with(' ')).then_some(rest)
    }
}

/// One state name: a word, or a name in double or single quotes.
fn one_name(text: &str) -> Result<String, String> {
    let t = text.trim();
    for q in ['"', '\''] {
        if let Some(quoted) = t.strip_prefix(q) {
            return quoted
                .strip_suffix(q)
                .filter(|n| !n.contains(q) && !n.is_empty())
                .map(str::to_string)
                .ok_or(format!("unclosed quoted name {t}"));
        }
    }
    if t.is_empty() || t.contains(char::is_whitespace) {
        return Err(format!("expected one state name (quote one with spaces), got {t:?}"));
    }
    Ok(t.to_string())
}

fn names(text: &str, separator: &str) -> Result<Vec<String>, String> {
    text.split(separator).map(one_name).collect()
}

fn condition(text: &str) -> Result<Condition, String> {
    let t = text.trim();
    if let Some((state, taken)) = t.split_once(" takes ") {
        let state = one_name(state)?;
        return match taken.trim().strip_prefix("rule ") {
            Some(n) => n
                .trim()
                .parse::<usize>()
                .ok()
                .filter(|n| *n >= 1)
                .map(|n| Condition::TakesRule(state, n))
                .ok_or(format!("expected a rule number from 1, got {n:?}")),
            None if taken.trim() == "default" => Ok(Condition::TakesDefault(state)),
            None => Err(format!("expected `takes rule N` or `takes default`, got {taken:?}")),
        };
    }
    let (name, kind) = t.rsplit_once(' ').ok_or("expected `when STATE runs`, `succeeds` or `fails`")?;
    let name = one_name(name)?;
    match kind {
        "runs" => Ok(Condition::Runs(name)),
        "succeeds" => Ok(Condition::Succeeds(name)),
        "fails" => Ok(Condition::Fails(name)),
        other => Err(format!("expected `runs`, `succeeds` or `fails` after the state name, got {other:?}")),
    }
}

/// `90s`, `15m`, `2h`, `1d`, or a number of seconds.
fn duration(text: &str) -> Result<Duration, String> {
    let (number, unit) = text.split_at(text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len()));
    let n: u64 = number.parse().map_err(|_| format!("expected a duration like 90s, 15m or 2h, got {text:?}"))?;
    let secs = match unit {
        "" | "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        "d" => n * 86_400,
        other => return Err(format!("unknown unit {other:?} in {text:?}: s, m, h or d")),
    };
    Ok(Duration::from_secs(secs))
}

/// Whether one path keeps the property; if not, why.
pub fn holds(property: &Property, path: &Path) -> Result<(), String> {
    let trace = &path.trace;
    let entered_at = |s: &str| trace.iter().position(|p| matches!(p, Part::State(n) if n == s));
    match property {
        Property::AlwaysEventually(s) => entered_at(s).map(|_| ()).ok_or(format!("{s} is never entered")),
        Property::Never(s, when) => match entered_at(s) {
            Some(_) if when.as_ref().is_none_or(|c| happened(c, path)) => Err(format!("{s} is entered")),
            _ => Ok(()),
        },
        Property::FailuresEndIn(s) => {
            let last = path.states().last().map(|l| l.to_string());
            match path.status == Status::Succeeded || last.as_deref() == Some(s.as_str()) {
                true => Ok(()),
                false => Err(format!("ends {} in {}", path.status.as_str(), last.unwrap_or_default())),
            }
        }
        Property::AfterSucceeds { after, one_of } => {
            let Some(i) = trace.iter().position(|p| matches!(p, Part::Next(n) if n == after)) else { return Ok(()) };
            let later = trace[i..].iter().any(|p| matches!(p, Part::State(n) if one_of.contains(n)));
            if later {
                Ok(())
            } else {
                Err(format!("{after} succeeded and then none of {} was entered", one_of.join(", ")))
            }
        }
        Property::RunsOnlyIf { state, succeeded } => {
            for (i, _) in trace.iter().enumerate().filter(|(_, p)| matches!(p, Part::State(n) if n == state)) {
                if let Some(missing) = succeeded.iter().find(|a| !trace[..i].iter().any(|p| matches!(p, Part::Next(n) if n == *a))) {
                    return Err(format!("{state} is entered though {missing} has not succeeded"));
                }
            }
            Ok(())
        }
        Property::EndsWithin(limit) => match path.elapsed <= *limit {
            true => Ok(()),
            false => Err(format!("ends after {}", shown(path.elapsed))),
        },
        Property::EndsWithStatus { status, when } => {
            let applies = when.as_ref().is_none_or(|c| happened(c, path));
            match !applies || path.status == *status {
                true => Ok(()),
                false => Err(format!("ends {} instead", path.status.as_str())),
            }
        }
        Property::OutputMatches(want) => match (&path.status, &path.output) {
            (Status::Succeeded, Some(got)) if !crate::expect::contains(got, want) => Err(format!("succeeds with output {got}")),
            _ => Ok(()),
        },
    }
}

/// Whether the path did that with the state: entered it; saw it go on by
/// its own Next or End; saw it fail (a Catch took its error, or the path
/// ended without it going on).
fn happened(c: &Condition, path: &Path) -> bool {
    let trace = &path.trace;
    let any = |f: &dyn Fn(&Part) -> bool| trace.iter().any(f);
    match c {
        Condition::Runs(s) => any(&|p| matches!(p, Part::State(n) if n == s)),
        Condition::Succeeds(s) => any(&|p| matches!(p, Part::Next(n) if n == s)),
        Condition::TakesRule(s, rule) => any(&|p| matches!(p, Part::Rule(n, i) if n == s && i + 1 == *rule)),
        Condition::TakesDefault(s) => any(&|p| matches!(p, Part::Default(n) if n == s)),
        Condition::Fails(s) => {
            let caught = any(&|p| matches!(p, Part::Catcher(n, _) if n == s));
            let last_entry = trace.iter().rposition(|p| matches!(p, Part::State(n) if n == s));
            let unfinished = last_entry.is_some_and(|i| !trace[i..].iter().any(|p| matches!(p, Part::Next(n) if n == s)))
                && path.status != Status::Succeeded;
            caught || unfinished
        }
    }
}

/// A virtual duration as people read it.
pub fn shown(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        s if s >= 3600 => format!("{}h{:02}m{:02}s", s / 3600, s / 60 % 60, s % 60),
        s if s >= 60 => format!("{}m{:02}s", s / 60, s % 60),
        _ => format!("{:.3}s", d.as_secs_f64()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_form() {
        let s = |x: &str| x.to_string();
        assert_eq!(parse("always eventually Terminate").unwrap(), Property::AlwaysEventually(s("Terminate")));
        assert_eq!(parse("never \"Submit Gpu Job\"").unwrap(), Property::Never(s("Submit Gpu Job"), None));
        assert_eq!(parse("never 'Submit Gpu Job'").unwrap(), Property::Never(s("Submit Gpu Job"), None));
        assert_eq!(
            parse("never Stage0 when CheckBudget takes rule 1").unwrap(),
            Property::Never(s("Stage0"), Some(Condition::TakesRule(s("CheckBudget"), 1)))
        );
        assert_eq!(parse("never X when C takes default").unwrap(), Property::Never(s("X"), Some(Condition::TakesDefault(s("C")))));
        assert_eq!(parse("every failure ends in Failed").unwrap(), Property::FailuresEndIn(s("Failed")));
        assert_eq!(
            parse("after Create succeeds, eventually one of A, \"B c\"").unwrap(),
            Property::AfterSucceeds { after: s("Create"), one_of: vec![s("A"), s("B c")] }
        );
        assert_eq!(
            parse("after Create succeeds, eventually A").unwrap(),
            Property::AfterSucceeds { after: s("Create"), one_of: vec![s("A")] }
        );
        assert_eq!(
            parse("Train runs only if A succeeded and B succeeded").unwrap(),
            Property::RunsOnlyIf { state: s("Train"), succeeded: vec![s("A"), s("B")] }
        );
        assert_eq!(parse("ends within 2h").unwrap(), Property::EndsWithin(Duration::from_secs(7200)));
        assert_eq!(
            parse("ends with status FAILED when Step fails").unwrap(),
            Property::EndsWithStatus { status: Status::Failed, when: Some(Condition::Fails(s("Step"))) }
        );
        assert_eq!(parse("output matches {\"ok\": true}").unwrap(), Property::OutputMatches(serde_json::json!({"ok": true})));
        for bad in [
            "sometimes X",
            "never",
            "never two words",
            "never X when C takes rule 0",
            "never X when C takes a break",
            "ends within 2y",
            "ends with status DONE",
            "output matches {",
            "after X, eventually Y",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
