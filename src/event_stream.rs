//! `sfc run --type express --history`: the history written to standard
//! output as each event happens, as GetExecutionHistory's `{"events": [...]}`
//! document, so an EXPRESS run of any length keeps no events in memory.

use serde_json::{Map, Value};
use sfc_runtime::history::Event;
use std::io::{BufWriter, Stdout, Write};
use std::sync::Mutex;

pub struct EventStream {
    state: Mutex<State>,
}

struct State {
    out: BufWriter<Stdout>,
    first: bool,
    /// The first write error: the stream stops writing and reports it at the end.
    failed: Option<std::io::Error>,
}

impl EventStream {
    /// Opens the document on standard output.
    pub fn open() -> std::io::Result<EventStream> {
        let mut out = BufWriter::with_capacity(64 * 1024, std::io::stdout());
        out.write_all(b"{\"events\": [")?;
        Ok(EventStream { state: Mutex::new(State { out, first: true, failed: None }) })
    }

    /// Writes one event (with the timestamp in epoch seconds, as the API's).
    pub fn write(&self, event: &Event) {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if s.failed.is_some() {
            return;
        }
        let separator = if std::mem::replace(&mut s.first, false) { "\n" } else { ",\n" };
        if let Err(e) = write!(s.out, "{separator}{}", event.to_api_json()) {
            s.failed = Some(e);
        }
    }

    /// Closes the document, with `tail`'s members after the events.
    pub fn close(&self, tail: &Map<String, Value>) -> std::io::Result<()> {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(e) = s.failed.take() {
            return Err(e);
        }
        s.out.write_all(b"\n]")?;
        for (k, v) in tail {
            write!(s.out, ",\n{}: {v}", Value::from(k.as_str()))?;
        }
        s.out.write_all(b"}\n")?;
        s.out.flush()
    }
}
