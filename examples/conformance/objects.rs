//! The S3 objects a case's Distributed Maps read. Their content is not
//! in the recordings, but what AWS read from them is: each Map's recorded
//! output holds its items (for a Map whose processor passes items on; with
//! an ItemBatcher, each batch's `Items`). They are written back in the
//! format the ItemReader reads (JSON, JSON Lines, CSV with the recorded
//! keys as headers), so the reader, MaxItems and the Map Run run as they
//! did on AWS. What a ResultWriter puts is taken and dropped.

use serde_json::Value;
use sfc_runtime::integration::{Integration, TaskFuture, TaskRequest};
use std::collections::HashMap;

pub struct WithRecordedObjects<'a> {
    /// The object each Map state's ItemReader reads, by state name.
    bodies: HashMap<String, String>,
    pub inner: &'a dyn Integration,
}

/// Each top-level Map with an ItemReader, and what it recorded as its output.
pub fn objects<'a>(definition: &Value, history: &Value, inner: &'a dyn Integration) -> WithRecordedObjects<'a> {
    let mut bodies = HashMap::new();
    for (name, state) in definition["States"].as_object().into_iter().flatten() {
        let Some(reader) = state.get("ItemReader") else { continue };
        let exited = history
            .as_array()
            .into_iter()
            .flatten()
            .find(|e| e["type"] == "MapStateExited" && e["stateExitedEventDetails"]["name"] == name.as_str());
        let Some(Value::Array(output)) = exited.map(|e| e["stateExitedEventDetails"]["output"].clone()) else { continue };
        let items: Vec<Value> = match state.get("ItemBatcher") {
            Some(_) => output.iter().flat_map(|b| b["Items"].as_array().cloned().unwrap_or_default()).collect(),
            None => output,
        };
        bodies.insert(name.clone(), render(&items, &reader["ReaderConfig"]));
    }
    WithRecordedObjects { bodies, inner }
}

fn csv_field(v: &Value) -> String {
    let s = match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn render(items: &[Value], config: &Value) -> String {
    match config["InputType"].as_str().unwrap_or("JSON") {
        "JSONL" => items.iter().map(|i| format!("{i}\n")).collect(),
        "CSV" => {
            let given: Option<Vec<String>> =
                config["CSVHeaders"].as_array().map(|h| h.iter().filter_map(|v| v.as_str().map(str::to_string)).collect());
            let headers = given
                .clone()
                .unwrap_or_else(|| items.first().and_then(Value::as_object).map(|o| o.keys().cloned().collect()).unwrap_or_default());
            let mut text = String::new();
            if given.is_none() {
                text.push_str(&headers.join(","));
                text.push('\n');
            }
            for item in items {
                let row: Vec<String> = headers.iter().map(|h| csv_field(&item[h.as_str()])).collect();
                text.push_str(&row.join(","));
                text.push('\n');
            }
            text
        }
        _ => Value::Array(items.to_vec()).to_string(),
    }
}

impl Integration for WithRecordedObjects<'_> {
    fn invoke<'a>(&'a self, request: TaskRequest<'a>) -> TaskFuture<'a> {
        // A ResultWriter's objects are taken (the recordings keep only where they went).
        if request.resource == "arn:aws:states:::s3:putObject" {
            return Box::pin(std::future::ready(Ok(serde_json::json!({"ETag": "\"recorded\""}))));
        }
        let reads = request.resource.ends_with(":s3:getObject");
        match self.bodies.get(request.state).filter(|_| reads) {
            Some(body) => Box::pin(std::future::ready(Ok(serde_json::json!({"Body": body})))),
            None => self.inner.invoke(request),
        }
    }

    fn reports_workers(&self, request: &TaskRequest) -> bool {
        self.inner.reports_workers(request)
    }

    fn check(&self, request: &TaskRequest) -> Result<(), sfc_runtime::Failure> {
        self.inner.check(request)
    }
}
