//! What a Distributed Map adds to a Map: items read by its ItemReader
//! (an object's JSON, JSON Lines or CSV, or a bucket's listing) through
//! the run's integration (`--s3-dir`, or S3 itself), grouped into batches
//! by its ItemBatcher, and results written by its ResultWriter as AWS lays
//! them out (`<Prefix>/<map run id>/manifest.json` and `SUCCEEDED_0.json`,
//! `FAILED_0.json`, `PENDING_0.json`).

use super::data::States;
use super::{Execution, StateRun};
use crate::error::{names, Failure};
use crate::integration::TaskRequest;
use crate::paths::ContextSource;
use serde_json::{json, Map as JsonMap, Value};
use sfc_asl::Map;

/// Calls an S3 API for the Map (its reader or writer), as a Task would.
async fn call(
    ex: &Execution<'_>,
    run: &StateRun<'_>,
    ctx: &dyn ContextSource,
    resource: &str,
    parameters: Value,
) -> Result<Value, Failure> {
    let request = TaskRequest {
        state: run.name(),
        resource,
        parameters: std::borrow::Cow::Owned(parameters),
        context: ctx,
        submitted: &|_| {},
        started: &|_| {},
        clock: ex.clock,
        heartbeat: None,
        role_arn: None,
    };
    ex.integration.invoke(request).await
}

/// A reader's or writer's Parameters (JSONPath) or Arguments (JSONata).
fn parameters(
    ex: &Execution,
    run: &StateRun,
    ctx: &dyn ContextSource,
    input: &Value,
    p: &Option<Value>,
    a: &Option<Value>,
    field: &str,
) -> Result<Value, Failure> {
    match (run.jsonata(), a, p) {
        (true, Some(a), _) => ex.jsonata(run, ctx, &States::input(input), field, a),
        (false, _, Some(p)) => ex.evaluate_template(run, p, &ex.roots(run, input, ctx)),
        _ => Ok(Value::Object(JsonMap::new())),
    }
}

/// A template (`BatchInput`): JSONPath's `key.$` fields, or JSONata.
pub(super) fn template(
    ex: &Execution,
    run: &StateRun,
    ctx: &dyn ContextSource,
    input: &Value,
    t: &Value,
    field: &str,
) -> Result<Value, Failure> {
    let t = Some(t.clone());
    parameters(ex, run, ctx, input, &t, &t, field)
}

fn reader_failed(cause: impl Into<String>) -> Failure {
    Failure::new(names::ITEM_READER_FAILED, cause.into())
}

/// The items the ItemReader reads, at most `max_items` (0: all).
pub(super) async fn read(
    ex: &Execution<'_>,
    run: &StateRun<'_>,
    ctx: &dyn ContextSource,
    s: &Map,
    input: &Value,
    max_items: Option<i64>,
) -> Result<Vec<Value>, Failure> {
    let Some(reader) = &s.item_reader else { return Ok(Vec::new()) };
    if max_items.is_some_and(|n| n < 0) {
        return Err(reader_failed("field MaxItems must be positive"));
    }
    let p = parameters(ex, run, ctx, input, &reader.parameters, &reader.arguments, "Arguments")?;
    let p_bucket = p["Bucket"].clone();
    let answer = call(ex, run, ctx, &reader.resource, p).await.map_err(|f| match f.error.starts_with("S3.") {
        true => reader_failed(f.cause.unwrap_or(f.error)),
        false => f,
    })?;
    let config = reader.reader_config.as_ref();
    let manifest = config.and_then(|c| c.input_type.as_deref()) == Some("MANIFEST");
    let mut items = match reader.resource.rsplit(':').next() {
        Some("listObjectsV2") => answer["Contents"].as_array().cloned().unwrap_or_default(),
        _ if manifest => inventory(ex, run, ctx, reader, &p_bucket, &answer).await?,
        _ => {
            let body = answer["Body"].as_str().ok_or_else(|| reader_failed("the object read has no text body"))?;
            crate::item_reader::items(body, config).map_err(|why| match why.contains("not an array") {
                true => reader_failed("Attempting to map over non-iterable node."),
                false => reader_failed(why),
            })?
        }
    };
    if let Some(n) = max_items.filter(|n| *n > 0) {
        items.truncate(n as usize);
    }
    Ok(items)
}

/// The items of an S3 inventory: its manifest's data files (gzipped CSV,
/// in the manifest's bucket), each row named by the fileSchema's columns.
async fn inventory(
    ex: &Execution<'_>,
    run: &StateRun<'_>,
    ctx: &dyn ContextSource,
    reader: &sfc_asl::ItemReader,
    bucket: &Value,
    manifest: &Value,
) -> Result<Vec<Value>, Failure> {
    let text = crate::item_reader::body_bytes(manifest).map_err(reader_failed)?;
    let (keys, schema) = crate::item_reader::inventory_files(&String::from_utf8_lossy(&text)).map_err(reader_failed)?;
    let mut items = Vec::new();
    for key in keys {
        let file = call(ex, run, ctx, &reader.resource, json!({"Bucket": bucket, "Key": key})).await;
        let file = file.map_err(|f| reader_failed(f.cause.unwrap_or(f.error)))?;
        let bytes = crate::item_reader::body_bytes(&file).map_err(reader_failed)?;
        items.extend(crate::item_reader::inventory_items(&bytes, &schema).map_err(reader_failed)?);
    }
    Ok(items)
}

/// The ItemBatcher's batches: each `{"BatchInput": ..., "Items": [...]}`
/// of at most MaxItemsPerBatch items and MaxInputBytesPerBatch bytes.
pub(super) fn batches(items: Vec<Value>, max_items: Option<u64>, max_bytes: Option<u64>, batch_input: Option<Value>) -> Vec<Value> {
    let max_items = max_items.filter(|n| *n > 0).map_or(usize::MAX, |n| n as usize);
    let max_bytes = max_bytes.filter(|n| *n > 0).map_or(usize::MAX, |n| n as usize);
    let mut out = Vec::new();
    let (mut current, mut bytes) = (Vec::new(), 0usize);
    for item in items {
        let size = crate::size::json_len(&item);
        if !current.is_empty() && (current.len() >= max_items || bytes + size > max_bytes) {
            out.push(std::mem::take(&mut current));
            bytes = 0;
        }
        bytes += size;
        current.push(item);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out.into_iter()
        .map(|items| {
            let mut batch = JsonMap::new();
            if let Some(b) = &batch_input {
                batch.insert("BatchInput".into(), b.clone());
            }
            batch.insert("Items".into(), Value::Array(items));
            Value::Object(batch)
        })
        .collect()
}

/// One child execution's record in a result file, as AWS writes it.
pub(super) struct ChildRun {
    pub name: String,
    pub input: Value,
    pub outcome: Result<Value, Failure>,
}

/// WriterConfig's Transformation and OutputType (JSONata machines);
/// without one, records (NONE) as a JSON array when exporting.
pub(super) struct Format {
    transformation: String,
    lines: bool,
}

impl Format {
    pub fn of(s: &Map) -> Format {
        let config = s.result_writer.as_ref().and_then(|w| w.writer_config.as_ref());
        let text = |k: &str, default: &str| config.and_then(|c| c[k].as_str()).unwrap_or(default).to_string();
        let exporting = s.result_writer.as_ref().is_some_and(|w| w.resource.is_some());
        Format {
            transformation: text("Transformation", if exporting { "NONE" } else { "COMPACT" }),
            lines: text("OutputType", "JSON") == "JSONL",
        }
    }

    /// The Map's results as the transformation leaves them: COMPACT the
    /// outputs, FLATTEN them with arrays spliced in.
    pub fn transform(&self, results: Vec<Value>) -> Vec<Value> {
        match self.transformation.as_str() {
            "FLATTEN" => results
                .into_iter()
                .flat_map(|r| match r {
                    Value::Array(items) => items,
                    other => vec![other],
                })
                .collect(),
            _ => results,
        }
    }

    fn render(&self, values: Vec<Value>) -> String {
        match self.lines {
            true => values.iter().map(|v| format!("{v}\n")).collect(),
            false => Value::Array(values).to_string(),
        }
    }

    fn extension(&self) -> &'static str {
        if self.lines {
            "jsonl"
        } else {
            "json"
        }
    }
}

/// Writes the results where the ResultWriter says; the Map's output is
/// then the Map Run's ARN and where the manifest is.
pub(super) async fn write(
    ex: &Execution<'_>,
    run: &StateRun<'_>,
    ctx: &dyn ContextSource,
    s: &Map,
    input: &Value,
    map_run_arn: &str,
    children: Vec<ChildRun>,
) -> Result<Value, Failure> {
    let Some(writer) = &s.result_writer else { return Err(Failure::runtime("the Map has no ResultWriter")) };
    let failed = |cause: String| Failure::new(names::RESULT_WRITER_FAILED, cause);
    let p = parameters(ex, run, ctx, input, &writer.parameters, &writer.arguments, "Arguments")?;
    let bucket = p["Bucket"].as_str().ok_or_else(|| failed("the ResultWriter needs a Bucket".into()))?.to_string();
    let prefix = p["Prefix"].as_str().unwrap_or("").trim_end_matches('/').to_string();
    let resource = writer.resource.as_deref().unwrap_or("arn:aws:states:::s3:putObject");
    let id = map_run_arn.rsplit(':').next().unwrap_or("run");
    let folder = if prefix.is_empty() { id.to_string() } else { format!("{prefix}/{id}") };
    let machine_arn = ex.base_context.info().machine_arn();
    let now = crate::clock::format_time(ex.clock.now());
    let record = |c: &ChildRun| {
        let (status, output) = match &c.outcome {
            Ok(v) => ("SUCCEEDED", json!({"Output": v.to_string(), "OutputDetails": {"Included": true}})),
            Err(f) => ("FAILED", json!({"Error": f.error, "Cause": f.cause})),
        };
        let mut r = json!({
            "ExecutionArn": crate::map_runs::child_execution_arn(map_run_arn, &c.name),
            "Input": c.input.to_string(), "InputDetails": {"Included": true}, "Name": c.name,
            "RedriveCount": 0, "RedriveStatus": "NOT_REDRIVABLE", "StartDate": now, "StateMachineArn": machine_arn,
            "Status": status, "StopDate": now,
        });
        if let (Value::Object(r), Value::Object(o)) = (&mut r, output) {
            r.extend(o);
        }
        r
    };
    let format = Format::of(s);
    let mut files = JsonMap::new();
    for status in ["FAILED", "PENDING", "SUCCEEDED"] {
        let chosen = children.iter().filter(|c| (status == "SUCCEEDED") == c.outcome.is_ok() && status != "PENDING");
        // A failed child's record stays whole, whatever the transformation.
        let values: Vec<Value> = match (format.transformation.as_str(), status) {
            ("COMPACT" | "FLATTEN", "SUCCEEDED") => format.transform(chosen.filter_map(|c| c.outcome.clone().ok()).collect()),
            _ => chosen.map(record).collect(),
        };
        let mut listed = Vec::new();
        if !values.is_empty() {
            let key = format!("{folder}/{status}_0.{}", format.extension());
            let body = format.render(values);
            listed.push(json!({"Key": key, "Size": body.len()}));
            let put = json!({"Bucket": bucket, "Key": key, "Body": body});
            call(ex, run, ctx, resource, put).await.map_err(|f| failed(f.cause.unwrap_or(f.error)))?;
        }
        files.insert(status.into(), Value::Array(listed));
    }
    let manifest_key = format!("{folder}/manifest.json");
    let manifest = json!({"DestinationBucket": bucket, "MapRunArn": map_run_arn, "ResultFiles": files});
    let put = json!({"Bucket": bucket, "Key": manifest_key, "Body": manifest.to_string()});
    call(ex, run, ctx, resource, put).await.map_err(|f| failed(f.cause.unwrap_or(f.error)))?;
    Ok(json!({"MapRunArn": map_run_arn, "ResultWriterDetails": {"Bucket": bucket, "Key": manifest_key}}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_keep_to_both_limits() {
        let items: Vec<Value> = (0..5).map(|i| json!(i)).collect();
        let b = batches(items.clone(), Some(2), None, Some(json!({"k": 1})));
        assert_eq!(
            b,
            vec![
                json!({"BatchInput": {"k": 1}, "Items": [0, 1]}),
                json!({"BatchInput": {"k": 1}, "Items": [2, 3]}),
                json!({"BatchInput": {"k": 1}, "Items": [4]})
            ]
        );
        // Each item is one byte: three fit in three bytes.
        assert_eq!(batches(items, None, Some(3), None), vec![json!({"Items": [0, 1, 2]}), json!({"Items": [3, 4]})]);
    }
}
