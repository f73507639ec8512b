//! Comparing an outcome with AWS's recorded one, LocalStack's placeholders
//! (`<ArnPart_0idx>`, `111111111111`, `date`, ...) treated as wildcards.

use serde_json::Value;
use sfc_runtime::{Outcome, Status};

pub fn outcome(expected: &Value, meta: &Value, got: &Outcome) -> Result<(), Vec<String>> {
    let words: Vec<&str> = ["placeholders_in_expected", "placeholders_in_history"]
        .iter()
        .flat_map(|k| meta[*k].as_array().into_iter().flatten().filter_map(Value::as_str))
        .collect();
    let m = Matcher { words, recorded: recorded_on(meta) };
    let mut diffs = Vec::new();
    let status = got.status.as_str();
    if expected["status"] != status {
        diffs.push(format!("status: expected {}, got {status}", expected["status"]));
    }
    if got.status == Status::Succeeded && expected["status"] == "SUCCEEDED" && !expected.get("output_raw").is_some_and(|v| v == true) {
        let out = got.output.clone().unwrap_or(Value::Null);
        if !m.matches(&expected["output"], &out) {
            diffs.push(format!("output: expected {}, got {}", short(&expected["output"]), short(&out)));
        }
    }
    let exp_error = expected.get("error").cloned().unwrap_or(Value::Null);
    let got_error = got.error.clone().map(Value::String).unwrap_or(Value::Null);
    if !m.matches(&exp_error, &got_error) {
        diffs.push(format!("error: expected {exp_error}, got {got_error}"));
    }
    let exp_cause = expected.get("cause").cloned().unwrap_or(Value::Null);
    let got_cause = match (&got.cause, expected.get("cause_is_json").is_some_and(|v| v == true)) {
        (Some(c), true) => serde_json::from_str(c).unwrap_or(Value::String(c.clone())),
        (Some(c), false) => Value::String(c.clone()),
        (None, _) => Value::Null,
    };
    if !m.matches(&exp_cause, &got_cause) {
        diffs.push(format!("cause: expected {}, got {}", short(&exp_cause), short(&got_cause)));
    }
    if let Some(events) = expected["events"].as_array() {
        let mut want: Vec<&str> = events.iter().filter_map(Value::as_str).collect();
        let mut have: Vec<&str> = got.history.iter().map(|e| e.kind.as_str()).collect();
        let sorted = meta["tags"].as_array().is_some_and(|t| t.iter().any(|t| t == "parallel-events-sorted"));
        if sorted {
            want.sort_unstable();
            have.sort_unstable();
            if let Some(d) = sorted_diff(&want, &have, &expected["history"]).or_else(|| m.sorted_event_fields(&expected["history"], got)) {
                diffs.push(d);
            }
        } else if want != have {
            diffs.push(event_diff(&want, &have));
        } else if let Some(d) = m.event_fields(&expected["history"], got) {
            diffs.push(d);
        }
    }
    if diffs.is_empty() {
        Ok(())
    } else {
        Err(diffs)
    }
}

/// Compares a `parallel-events-sorted` recording. LocalStack sorted the
/// events inside each Parallel and, in doing so, lost some of the events
/// that close it (ParallelStateSucceeded/Failed/Exited); the recorded ids
/// still count them. So: as many events as the highest recorded id, every
/// recorded event among ours, and only Parallel-closing events extra.
fn sorted_diff(want: &[&str], have: &[&str], history: &Value) -> Option<String> {
    let total = history.as_array().and_then(|h| h.iter().filter_map(|e| e["id"].as_u64()).max()).map_or(want.len(), |n| n as usize);
    if have.len() != total {
        return Some(format!("expected {total} events (the recorded ids), got {}", have.len()));
    }
    let mut extra: Vec<&str> = have.to_vec();
    for w in want {
        match extra.iter().position(|h| h == w) {
            Some(i) => {
                extra.remove(i);
            }
            None => return Some(format!("recorded event {w} is missing (sorted events: {want:?}, got {have:?})")),
        }
    }
    let closing = ["ParallelStateSucceeded", "ParallelStateFailed", "ParallelStateExited"];
    extra
        .iter()
        .find(|e| !closing.contains(e))
        .map(|e| format!("unexpected event {e}: only events closing a Parallel are missing from sorted recordings"))
}

fn event_diff(want: &[&str], have: &[&str]) -> String {
    let first = want.iter().zip(have).position(|(a, b)| a != b).unwrap_or(want.len().min(have.len()));
    let from = first.saturating_sub(1);
    format!(
        "events differ at #{}: expected [{}], got [{}] ({} vs {} events)",
        first + 1,
        want[from..want.len().min(first + 3)].join(", "),
        have[from..have.len().min(first + 3)].join(", "),
        want.len(),
        have.len()
    )
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.len() > 300 {
        format!("{}...", &s[..s.floor_char_boundary(300)])
    } else {
        s
    }
}

fn decoded_field(field: &str, v: &Value) -> Value {
    match (field, v) {
        ("assignedVariables", _) => decoded(v),
        ("input" | "output" | "parameters", Value::String(t)) => serde_json::from_str(t).unwrap_or(v.clone()),
        _ => v.clone(),
    }
}

/// assignedVariables holds each value as JSON text: compared as values.
fn decoded(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter().map(|(k, v)| (k.clone(), v.as_str().and_then(|t| serde_json::from_str(t).ok()).unwrap_or(v.clone()))).collect(),
        ),
        other => other.clone(),
    }
}

struct Matcher<'a> {
    /// Whole-value placeholders this case uses (`date`, `start-time`, ...).
    words: Vec<&'a str>,
    /// When AWS recorded the case (year, month, day).
    recorded: Option<(u32, u32, u32)>,
}

/// `meta.recorded_date`, `dd-mm-yyyy, hh:mm:ss`.
fn recorded_on(meta: &Value) -> Option<(u32, u32, u32)> {
    let date = meta["recorded_date"].as_str()?.split(',').next()?;
    let mut parts = date.trim().split('-').map(|p| p.parse::<u32>().ok());
    let (d, m, y) = (parts.next()??, parts.next()??, parts.next()??);
    Some((y, m, d))
}

impl Matcher<'_> {
    fn matches(&self, want: &Value, got: &Value) -> bool {
        match (want, got) {
            (Value::String(w), _) if self.is_word(w) => true,
            // `date` stands for any timestamp, listed or not.
            (Value::String(w), Value::String(g)) if w == "date" && chrono::DateTime::parse_from_rfc3339(g).is_ok() => true,
            (Value::String(w), Value::String(g)) => self.wildcard(w, g),
            (Value::Number(a), Value::Number(b)) => a == b || a.as_f64() == b.as_f64(),
            (Value::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| self.matches(x, y)),
            (Value::Object(a), Value::Object(b)) => {
                // `timestamp` stands for the value of any key that names one.
                let stamp = |k: &str, v: &Value| v == "timestamp" && k.to_ascii_lowercase().contains("timestamp");
                a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|g| stamp(k, v) || self.matches(v, g)))
            }
            // The recording decoded a JSON text (a cause) that sfc keeps as text.
            (Value::Object(_) | Value::Array(_), Value::String(g)) => {
                serde_json::from_str::<Value>(g).is_ok_and(|g| (g.is_object() || g.is_array()) && self.matches(want, &g))
            }
            _ => want == got,
        }
    }

    /// Where two values that do not match first differ: the path to the
    /// innermost part that differs, and the two parts.
    fn first_difference<'v>(&self, want: &'v Value, got: &'v Value, at: String) -> (String, &'v Value, &'v Value) {
        match (want, got) {
            (Value::Object(a), Value::Object(b)) if a.len() == b.len() => {
                match a.iter().find(|(k, v)| b.get(*k).is_some_and(|g| !self.matches(v, g))) {
                    Some((k, v)) => self.first_difference(v, &b[k], format!("{at}.{k}")),
                    None => (at, want, got),
                }
            }
            (Value::Array(a), Value::Array(b)) if a.len() == b.len() => match a.iter().zip(b).position(|(x, y)| !self.matches(x, y)) {
                Some(i) => self.first_difference(&a[i], &b[i], format!("{at}[{i}]")),
                None => (at, want, got),
            },
            _ => (at, want, got),
        }
    }

    /// Beyond the types, each event's previousEventId and every field of
    /// its details.
    fn event_fields(&self, recorded: &Value, got: &Outcome) -> Option<String> {
        let recorded = recorded.as_array()?.as_slice();
        for (want, have) in recorded.iter().zip(got.history.iter()) {
            let kind = have.kind.as_str();
            if want["previousEventId"] != have.previous_event_id && !self.linked_before_2024_11(recorded, want, have) {
                return Some(format!(
                    "event #{} {kind}: previousEventId expected {}, got {}",
                    have.id, want["previousEventId"], have.previous_event_id
                ));
            }
            if let Some(d) = self.details_diff(want, have) {
                return Some(d);
            }
        }
        None
    }

    /// For a `parallel-events-sorted` recording, whose branch events lost
    /// their order and ids: each recorded event's details are those of one
    /// of sfc's events of its type, each of sfc's taken once.
    fn sorted_event_fields(&self, recorded: &Value, got: &Outcome) -> Option<String> {
        let mut unused: Vec<&sfc_runtime::history::Event> = got.history.iter().collect();
        for want in recorded.as_array()? {
            let same_type: Vec<usize> = (0..unused.len()).filter(|&i| want["type"] == unused[i].kind.as_str()).collect();
            match same_type.iter().find(|&&i| self.details_diff(want, unused[i]).is_none()) {
                Some(&i) => {
                    unused.remove(i);
                }
                None => {
                    let closest = same_type.first().and_then(|&i| self.details_diff(want, unused[i]));
                    return Some(format!("recorded {} matches none of ours: {}", want["type"], closest.unwrap_or_default()));
                }
            }
        }
        None
    }

    /// Where `have`'s details differ from the recorded event's, if they do.
    fn details_diff(&self, want: &Value, have: &sfc_runtime::history::Event) -> Option<String> {
        let kind = have.kind.as_str();
        let ours = have.to_json();
        let key = have.kind.details_key();
        let (w, h) = (&want[key], &ours[key]);
        let fields: std::collections::BTreeSet<&String> =
            w.as_object().into_iter().flatten().chain(h.as_object().into_iter().flatten()).map(|(k, _)| k).collect();
        for field in fields {
            let (wf, hf) = (decoded_field(field, &w[field]), decoded_field(field, &h[field]));
            if !self.matches(&wf, &hf) {
                let (at, w, h) = self.first_difference(&wf, &hf, field.to_string());
                return Some(format!("event #{} {kind}: {at} expected {}, got {}", ours["id"], short(w), short(h)));
            }
        }
        None
    }

    /// Until November 2024 AWS linked a distributed Map's MapStateExited
    /// to MapRunSucceeded; recordings since link it to MapRunStarted, as
    /// sfc does (all 24 recordings before 2024-11-14 show the one, all 16
    /// from then on the other). The older recordings' link is AWS's too.
    fn linked_before_2024_11(&self, recorded: &[Value], want: &Value, have: &sfc_runtime::history::Event) -> bool {
        let before = self.recorded.is_some_and(|d| d < (2024, 11, 14));
        let to = |id: &Value| recorded.iter().find(|e| e["id"] == *id).and_then(|e| e["type"].as_str());
        before
            && have.kind.as_str() == "MapStateExited"
            && to(&want["previousEventId"]) == Some("MapRunSucceeded")
            && to(&Value::from(have.previous_event_id)) == Some("MapRunStarted")
    }

    fn is_word(&self, w: &str) -> bool {
        !w.contains(['<', '>']) && self.words.contains(&w)
    }

    /// `<...>` tokens, `111111111111` and the case's placeholder names
    /// (`lambda_function_name`, `bucket-name`, ...: words joined by `_`
    /// or `-`, so no ordinary text) match any text inside a string.
    fn wildcard(&self, want: &str, got: &str) -> bool {
        let names: Vec<&str> = ["111111111111", "snf_role_arn", "sfn_role_arn"]
            .into_iter()
            .chain(self.words.iter().copied().filter(|w| !w.contains(['<', '>', ' ']) && w.contains(['_', '-']) && w.len() >= 8))
            .collect();
        wildcard(want, got, &names)
    }
}

/// Whether `got` is `want` with its `<...>` tokens and `names` standing
/// for any text.
fn wildcard(want: &str, got: &str, names: &[&str]) -> bool {
    let mut segments: Vec<&str> = Vec::new();
    let mut rest = want;
    loop {
        let token = rest.find('<').and_then(|i| rest[i..].find('>').map(|j| (i, j + 1)));
        let name = names.iter().filter_map(|n| rest.find(n).map(|i| (i, n.len()))).min();
        let Some((i, len)) = [token, name].into_iter().flatten().min() else {
            segments.push(rest);
            break;
        };
        segments.push(&rest[..i]);
        rest = &rest[i + len..];
    }
    if segments.len() == 1 {
        return want == got;
    }
    let (first, last) = (segments[0], segments[segments.len() - 1]);
    if !got.starts_with(first) || !got[first.len()..].ends_with(last) || got.len() < first.len() + last.len() {
        return false;
    }
    let mut pos = first.len();
    let end = got.len() - last.len();
    for seg in &segments[1..segments.len() - 1] {
        match got[pos..end].find(seg) {
            Some(i) => pos += i + seg.len(),
            None => return false,
        }
    }
    true
}
