//! An execution as one self-contained HTML page: the machine drawn as
//! `sfc graph --format svg` draws it, each state coloured by what it did
//! (succeeded, retried, caught, failed, aborted, running, not reached); a
//! click on a state shows its input, the parameters sent to its task, its
//! errors and output; a timeline with a lane per Parallel branch and Map
//! iteration (iterations past [`analysis::LANES_PER_MAP`] share one); and
//! GetExecutionHistory's events, filterable. Scripts and styles are
//! inlined: nothing is fetched when the page is viewed.
//!
//! `sfc run --report`, `sfc test --report` and the console of `sfc serve`
//! all build their pages here.

mod analysis;

use serde_json::{json, Map, Value};
use sfc_asl::{State, StateMachine};

/// What a page shows.
pub struct Run<'a> {
    pub title: String,
    /// A second line (the workflow file, the test case).
    pub subtitle: String,
    pub machine: &'a StateMachine,
    /// GetExecutionHistory's events (epoch-second or ISO timestamps).
    pub history: &'a [Value],
    /// SUCCEEDED, FAILED, TIMED_OUT, ABORTED, RUNNING.
    pub status: String,
    pub error: Option<String>,
    pub cause: Option<String>,
    /// Timestamps are virtual (the interpreter's clock), not wall time.
    pub virtual_time: bool,
    /// Links at the top (to an index, to the console's list).
    pub links: Vec<(String, String)>,
    /// Reload every N seconds (a console page of a running execution).
    pub refresh_seconds: Option<u32>,
    /// Events of the execution left out of `history` (between its first
    /// and last ones, by a caller that kept only those: [`Kept`]).
    pub omitted_events: usize,
    /// Its distributed Maps' runs, when they were recorded.
    pub map_runs: Option<&'a sfc_runtime::map_runs::MapRuns>,
}

/// The most characters of an event's details kept in the page: enough
/// to read, bounded so a history of tens of thousands of events stays a
/// few megabytes.
const DETAIL_CHARS: usize = 4_000;
const DETAIL_CHARS_LARGE: usize = 240;
/// Histories longer than this keep the shorter details.
const LARGE_HISTORY: usize = 5_000;

const CSS: &str = include_str!("assets/report.css");
const JS: &str = include_str!("assets/report.js");

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// JSON for a `<script type="application/json">`: `</` cannot end it early.
fn script_json(v: &Value) -> String {
    v.to_string().replace("</", "<\\/")
}

fn cut(text: String, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}… ({} more characters)", &text[..at], text.len() - at),
        None => text,
    }
}

/// What each state is, for the details panel.
fn definition(machine: &StateMachine) -> Value {
    let mut out = Map::new();
    for (name, state) in machine.all_states() {
        let (kind, resource) = match state {
            State::Task(t) => ("Task", Some(t.resource.clone())),
            State::Pass(_) => ("Pass", None),
            State::Choice(_) => ("Choice", None),
            State::Wait(_) => ("Wait", None),
            State::Succeed(_) => ("Succeed", None),
            State::Fail(_) => ("Fail", None),
            State::Parallel(_) => ("Parallel", None),
            State::Map(_) => ("Map", None),
        };
        out.insert(name.to_string(), json!({"type": kind, "resource": resource}));
    }
    Value::Object(out)
}

/// Events a page shows at most: the first [`HEAD_EVENTS`] and the last
/// [`TAIL_EVENTS`] of a longer history (a million-step EXPRESS run), so a
/// page stays a few tens of megabytes at worst.
pub const HEAD_EVENTS: usize = 80_000;
pub const TAIL_EVENTS: usize = 20_000;

/// The events a page can show, kept as they happen: the first
/// [`HEAD_EVENTS`], the last [`TAIL_EVENTS`], and how many fell between,
/// so a long run's report needs bounded memory.
#[derive(Debug, Default)]
pub struct Kept {
    head: Vec<Value>,
    tail: std::collections::VecDeque<Value>,
    omitted: usize,
}

impl Kept {
    pub fn push(&mut self, event: Value) {
        if self.head.len() < HEAD_EVENTS {
            return self.head.push(event);
        }
        self.tail.push_back(event);
        if self.tail.len() > TAIL_EVENTS {
            self.tail.pop_front();
            self.omitted += 1;
        }
    }

    /// The events kept, in order, and how many were left out.
    pub fn into_parts(self) -> (Vec<Value>, usize) {
        let mut all = self.head;
        all.extend(self.tail);
        (all, self.omitted)
    }
}

fn shown_history(history: &[Value]) -> std::borrow::Cow<'_, [Value]> {
    if history.len() <= HEAD_EVENTS + TAIL_EVENTS {
        return std::borrow::Cow::Borrowed(history);
    }
    std::borrow::Cow::Owned(history[..HEAD_EVENTS].iter().chain(&history[history.len() - TAIL_EVENTS..]).cloned().collect())
}

/// The page's data: what the script reads.
fn data(run: &Run) -> Value {
    let events = analysis::events(&shown_history(run.history));
    let ended = !matches!(run.status.as_str(), "RUNNING");
    let a = analysis::analyse(&events, ended);
    let mut types: Vec<String> = Vec::new();
    let max = if events.len() > LARGE_HISTORY { DETAIL_CHARS_LARGE } else { DETAIL_CHARS };
    let rows: Vec<Value> = events
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let t = match types.iter().position(|t| *t == e.kind) {
                Some(t) => t,
                None => {
                    types.push(e.kind.clone());
                    types.len() - 1
                }
            };
            let details = if e.details.is_null() { String::new() } else { cut(e.details.to_string(), max) };
            json!([e.id, e.previous, t, e.at, a.owner[i].map_or(-1, |o| o as i64), details])
        })
        .collect();
    let states: Map<String, Value> = a.state_status().into_iter().map(|(n, s)| (n, json!(s))).collect();
    json!({
        "types": types,
        "events": rows,
        "entries": a.entries_json(&events),
        "lanes": a.lanes,
        "spans": a.spans_json(),
        "states": states,
        "definition": definition(run.machine),
    })
}

/// A section with a row for each Map Run: its status, settings, and its
/// child executions and items by status. Nothing without Map Runs.
fn map_runs_section(runs: Option<&sfc_runtime::map_runs::MapRuns>) -> String {
    use sfc_runtime::map_runs::Counts;
    let runs = runs.map(|r| r.list()).unwrap_or_default();
    if runs.is_empty() {
        return String::new();
    }
    let counts = |c: &Counts| {
        let parts =
            [("succeeded", c.succeeded), ("failed", c.failed), ("aborted", c.aborted), ("running", c.running), ("pending", c.pending())];
        let shown: Vec<String> = parts.iter().filter(|(_, n)| *n > 0).map(|(what, n)| format!("{n} {what}")).collect();
        format!("{} in all{}{}", c.total, if shown.is_empty() { "" } else { ": " }, shown.join(", "))
    };
    let rows: String = runs
        .iter()
        .map(|r| {
            r.read(|p| {
                let s = p.settings;
                let mut settings = match s.max_concurrency {
                    0 => "MaxConcurrency unbounded".to_string(),
                    n => format!("MaxConcurrency {n}"),
                };
                if let Some(n) = s.tolerated_failure_count {
                    settings += &format!(", ToleratedFailureCount {n}");
                }
                if let Some(p) = s.tolerated_failure_percentage {
                    settings += &format!(", ToleratedFailurePercentage {p}");
                }
                let listed = match p.children_not_listed {
                    0 => String::new(),
                    n => format!(" ({n} not listed)"),
                };
                // A run nested in a child execution says whose it is.
                let within = r.execution.as_ref().map_or(String::new(), |c| format!("<br><small>in {}</small>", escape(c)));
                format!(
                    "<tr><td>{}{within}</td><td><span class=\"badge {status}\">{status}</span></td><td>{}{listed}</td><td>{}</td><td>{}</td></tr>",
                    escape(&r.arn),
                    escape(&counts(&p.executions)),
                    escape(&counts(&p.items)),
                    escape(&settings),
                    status = p.status.as_str(),
                )
            })
        })
        .collect();
    format!(
        "\n<section class=\"wide\"><h2>Map Runs</h2><table class=\"map-runs\"><thead><tr><th>Map Run</th><th>status</th><th>child executions</th><th>items</th><th>settings</th></tr></thead><tbody>{rows}</tbody></table></section>"
    )
}

/// `850 ms`, `12.5 s`, `2 h 0 min`.
fn took(ms: i64) -> String {
    if ms < 1_000 {
        format!("{ms} ms")
    } else if ms < 60_000 {
        format!("{:.1} s", ms as f64 / 1000.0)
    } else if ms < 3_600_000 {
        format!("{} min {} s", ms / 60_000, ms % 60_000 / 1000)
    } else {
        format!("{} h {} min", ms / 3_600_000, ms % 3_600_000 / 60_000)
    }
}

/// The page of one execution.
pub fn page(run: &Run) -> String {
    let svg = sfc_compiler::graph::render(run.machine, sfc_compiler::graph::Format::Svg);
    let data = data(run);
    let duration = data["events"].as_array().and_then(|e| e.last()).and_then(|e| e[3].as_i64()).unwrap_or(0);
    let links: String = run.links.iter().map(|(text, href)| format!("<a href=\"{}\">{}</a>", escape(href), escape(text))).collect();
    let refresh = run.refresh_seconds.map(|s| format!("<meta http-equiv=\"refresh\" content=\"{s}\">")).unwrap_or_default();
    let error = match (&run.error, &run.cause) {
        (None, None) => String::new(),
        (e, c) => format!(
            "<div class=\"error\">{}{}</div>",
            escape(e.as_deref().unwrap_or("")),
            c.as_deref().map(|c| format!(": {}", escape(&cut(c.to_string(), 2_000)))).unwrap_or_default()
        ),
    };
    let clock = if run.virtual_time { "virtual time" } else { "real time" };
    let legend: String = ["succeeded", "retried", "caught", "failed", "aborted", "running", "not-reached"]
        .iter()
        .map(|s| format!("<span class=\"s-{s}\"><i></i>{}</span>", s.replace('-', " ")))
        .collect();
    format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8">{refresh}<title>{title}</title>
<style>{CSS}</style></head>
<body>
<header><nav>{links}</nav><h1>{title} <span class="badge {status}">{status}</span></h1>
<div class="meta"><span>{subtitle}</span><span>{events}</span><span>{duration} of {clock}</span></div>{error}</header>
<main>
<section><h2>Graph</h2><div class="legend">{legend}</div><div id="graph">{svg}</div></section>
<section><h2>State</h2><div id="details">Click a state.</div></section>{map_runs}
<section class="wide"><h2>Timeline ({clock})</h2><div id="timeline"></div></section>
<section class="wide"><h2>Events</h2>
<div class="filters"><select id="f-type"><option value="">every type</option></select><select id="f-state"><option value="">every state</option></select><input id="f-text" placeholder="search details"><span class="pager"><button id="prev">‹</button><button id="next">›</button><span id="pager-text"></span></span></div>
<table><colgroup><col class="c-id"><col class="c-prev"><col class="c-type"><col class="c-t"><col class="c-state"><col></colgroup>
<thead><tr><th>id</th><th>prev</th><th>type</th><th>time</th><th>state</th><th>details</th></tr></thead><tbody id="events-body"></tbody></table></section>
</main>
<pre id="sfc-self-check" hidden></pre>
<script type="application/json" id="sfc-data">{data}</script>
<script>{JS}</script>
</body></html>
"#,
        title = escape(&run.title),
        subtitle = escape(&run.subtitle),
        status = escape(&run.status),
        events = match run.history.len() + run.omitted_events {
            n if n > HEAD_EVENTS + TAIL_EVENTS => format!("{n} events (the first {HEAD_EVENTS} and the last {TAIL_EVENTS} shown)"),
            n => format!("{n} events"),
        },
        duration = took(duration),
        map_runs = map_runs_section(run.map_runs),
        data = script_json(&data),
    )
}

/// One line of an index page.
#[derive(Debug, Clone)]
pub struct Listed {
    pub name: String,
    pub href: String,
    pub status: String,
    pub note: String,
}

/// A page listing reports (`sfc test --report DIR`'s index, the console).
pub fn index(title: &str, intro: &str, groups: &[(String, Vec<Listed>)], refresh_seconds: Option<u32>) -> String {
    let refresh = refresh_seconds.map(|s| format!("<meta http-equiv=\"refresh\" content=\"{s}\">")).unwrap_or_default();
    let mut body = String::new();
    for (heading, items) in groups {
        body.push_str(&format!("<section class=\"wide\"><h2>{}</h2><table><tbody>", escape(heading)));
        if items.is_empty() {
            body.push_str("<tr><td>none</td></tr>");
        }
        for l in items {
            body.push_str(&format!(
                "<tr><td><a href=\"{}\">{}</a></td><td><span class=\"badge {}\">{}</span></td><td>{}</td></tr>",
                escape(&l.href),
                escape(&l.name),
                escape(&l.status),
                escape(&l.status),
                escape(&l.note)
            ));
        }
        body.push_str("</tbody></table></section>");
    }
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">{refresh}<title>{t}</title><style>{CSS}</style></head><body><header><h1>{t}</h1><div class=\"meta\">{i}</div></header><main>{body}</main></body></html>\n",
        t = escape(title),
        i = escape(intro),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_holds_its_data_its_script_and_nothing_fetched() {
        let machine: StateMachine =
            serde_json::from_value(json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}, "B": {"Type": "Succeed"}}}))
                .unwrap();
        let history = vec![
            json!({"id": 1, "previousEventId": 0, "type": "ExecutionStarted", "timestamp": 1.0, "executionStartedEventDetails": {"input": "{}"}}),
            json!({"id": 2, "previousEventId": 1, "type": "PassStateEntered", "timestamp": 1.0, "stateEnteredEventDetails": {"name": "A", "input": "{\"x\":\"</script>\"}"}}),
            json!({"id": 3, "previousEventId": 2, "type": "PassStateExited", "timestamp": 1.5, "stateExitedEventDetails": {"name": "A", "output": "{}"}}),
            json!({"id": 4, "previousEventId": 3, "type": "ExecutionSucceeded", "timestamp": 1.5, "executionSucceededEventDetails": {"output": "{}"}}),
        ];
        let run = Run {
            title: "M".into(),
            subtitle: "m.asl.json".into(),
            machine: &machine,
            history: &history,
            status: "SUCCEEDED".into(),
            error: None,
            cause: None,
            virtual_time: true,
            links: vec![],
            refresh_seconds: None,
            omitted_events: 0,
            map_runs: None,
        };
        let page = page(&run);
        assert!(!page.contains("src=") && !page.contains("href=\"http"), "nothing is fetched");
        assert_eq!(page.matches("</script>").count(), 2, "the data cannot close its script early");
        let start = page.find("id=\"sfc-data\">").unwrap() + "id=\"sfc-data\">".len();
        let data: Value = serde_json::from_str(&page[start..start + page[start..].find("</script>").unwrap()]).unwrap();
        assert_eq!(data["states"], json!({"A": "succeeded"}));
        assert_eq!(data["entries"][0], json!(["A", 0, 1, 2, "succeeded", 0, 0, 500]));
    }

    #[test]
    fn a_very_long_history_shows_its_first_and_last_events() {
        let history: Vec<Value> =
            (1..=150_000u64).map(|i| json!({"id": i, "previousEventId": i - 1, "type": "PassStateEntered", "timestamp": 1.0})).collect();
        let shown = shown_history(&history);
        assert_eq!(shown.len(), HEAD_EVENTS + TAIL_EVENTS);
        assert_eq!((shown[HEAD_EVENTS - 1]["id"].as_u64(), shown[HEAD_EVENTS]["id"].as_u64()), (Some(80_000), Some(130_001)));
        let mut kept = Kept::default();
        history.into_iter().for_each(|e| kept.push(e));
        let (events, omitted) = kept.into_parts();
        assert_eq!((events.len(), omitted, events[HEAD_EVENTS]["id"].as_u64()), (HEAD_EVENTS + TAIL_EVENTS, 50_000, Some(130_001)));
    }
}
