//! The items a Distributed Map's ItemReader reads, from the text of the
//! object it names: a JSON array, JSON Lines, or CSV (with its header row
//! or the headers given, and the delimiter given), as ReaderConfig says.
//! Each CSV row becomes an object of strings keyed by the headers. An S3
//! inventory (MANIFEST) names gzipped CSV files, read with the columns
//! its fileSchema lists.

use base64::Engine;
use serde_json::{json, Map, Value};
use sfc_asl::ReaderConfig;
use std::io::Read;

/// An object's bytes as a GetObject answer carries them: `Body` as text,
/// or (not UTF-8: a gzipped inventory file) base64 with `BodyBase64`.
pub fn body_member(bytes: Vec<u8>) -> Value {
    match String::from_utf8(bytes) {
        Ok(text) => json!({"Body": text}),
        Err(e) => json!({"Body": base64::engine::general_purpose::STANDARD.encode(e.as_bytes()), "BodyBase64": true}),
    }
}

/// The bytes of a GetObject answer ([`body_member`]).
pub fn body_bytes(answer: &Value) -> Result<Vec<u8>, String> {
    let body = answer["Body"].as_str().ok_or("the object read has no body")?;
    match answer["BodyBase64"].as_bool() {
        Some(true) => base64::engine::general_purpose::STANDARD.decode(body).map_err(|e| format!("the object's body is not base64: {e}")),
        _ => Ok(body.as_bytes().to_vec()),
    }
}

/// The keys of the data files an S3 inventory's manifest.json lists, and
/// the columns its fileSchema names.
pub fn inventory_files(manifest: &str) -> Result<(Vec<String>, Vec<String>), String> {
    let m: Value = serde_json::from_str(manifest).map_err(|e| format!("the manifest is not JSON: {e}"))?;
    if m["fileFormat"].as_str().is_some_and(|f| f != "CSV") {
        return Err(format!("the inventory's fileFormat is {}; sfc reads CSV inventories", m["fileFormat"]));
    }
    let schema: Vec<String> =
        m["fileSchema"].as_str().ok_or("the manifest has no fileSchema")?.split(',').map(|c| c.trim().to_string()).collect();
    let files = m["files"].as_array().ok_or("the manifest lists no files")?;
    let keys = files.iter().map(|f| f["key"].as_str().map(str::to_string).ok_or("a manifest file has no key")).collect::<Result<_, _>>()?;
    Ok((keys, schema))
}

/// The items of one inventory data file: gzipped (or plain) CSV rows
/// without a header, named by the schema's columns.
pub fn inventory_items(bytes: &[u8], schema: &[String]) -> Result<Vec<Value>, String> {
    let mut text = String::new();
    if bytes.starts_with(&[0x1f, 0x8b]) {
        flate2::read::GzDecoder::new(bytes)
            .take(1 << 30)
            .read_to_string(&mut text)
            .map_err(|e| format!("an inventory file does not unzip: {e}"))?;
    } else {
        text = String::from_utf8(bytes.to_vec()).map_err(|_| "an inventory file is not text".to_string())?;
    }
    let headers = Value::Array(schema.iter().map(|c| Value::String(c.clone())).collect());
    let config = ReaderConfig {
        input_type: Some("CSV".into()),
        csv_header_location: Some("GIVEN".into()),
        csv_headers: Some(headers),
        csv_delimiter: None,
        manifest_type: None,
        max_items: None,
        max_items_path: None,
    };
    items(&text, Some(&config))
}

/// The items in `text`, read as `config` says; a message naming what is
/// wrong otherwise.
pub fn items(text: &str, config: Option<&ReaderConfig>) -> Result<Vec<Value>, String> {
    let input_type = config.and_then(|c| c.input_type.as_deref()).unwrap_or("JSON");
    match input_type {
        "JSON" => match serde_json::from_str(text) {
            Ok(Value::Array(items)) => Ok(items),
            Ok(_) => Err("the JSON data is not an array".into()),
            Err(e) => Err(format!("the data is not JSON: {e}")),
        },
        "JSONL" => text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| serde_json::from_str(l).map_err(|e| format!("line {} is not JSON: {e}", i + 1)))
            .collect(),
        "CSV" => csv_items(text, config),
        other => Err(format!("InputType {other} is not read by sfc (it reads JSON, JSONL, CSV and MANIFEST)")),
    }
}

fn delimiter(config: Option<&ReaderConfig>) -> Result<char, String> {
    match config.and_then(|c| c.csv_delimiter.as_deref()).unwrap_or("COMMA") {
        "COMMA" => Ok(','),
        "PIPE" => Ok('|'),
        "SEMICOLON" => Ok(';'),
        "SPACE" => Ok(' '),
        "TAB" => Ok('\t'),
        other => Err(format!("CSVDelimiter {other} is not one of COMMA, PIPE, SEMICOLON, SPACE, TAB")),
    }
}

fn csv_items(text: &str, config: Option<&ReaderConfig>) -> Result<Vec<Value>, String> {
    let mut rows = csv_rows(text, delimiter(config)?)?.into_iter();
    let given = config.and_then(|c| c.csv_headers.as_ref());
    let headers: Vec<String> = match config.and_then(|c| c.csv_header_location.as_deref()).unwrap_or("FIRST_ROW") {
        "FIRST_ROW" => rows.next().unwrap_or_default(),
        "GIVEN" => match given.and_then(Value::as_array) {
            Some(h) => h.iter().map(|v| v.as_str().map(str::to_string).ok_or("CSVHeaders must be strings")).collect::<Result<_, _>>()?,
            None => return Err("CSVHeaderLocation GIVEN needs CSVHeaders".into()),
        },
        other => return Err(format!("CSVHeaderLocation {other} is not FIRST_ROW or GIVEN")),
    };
    rows.enumerate()
        .map(|(i, row)| {
            if row.len() > headers.len() {
                return Err(format!("row {} has {} fields, more than the {} headers", i + 1, row.len(), headers.len()));
            }
            let fields = headers.iter().zip(row.into_iter().chain(std::iter::repeat(String::new())));
            Ok(Value::Object(fields.map(|(h, v)| (h.clone(), Value::String(v))).collect::<Map<_, _>>()))
        })
        .collect()
}

/// RFC 4180 rows: fields in double quotes may hold the delimiter, line
/// breaks and doubled quotes. Blank lines are skipped.
fn csv_rows(text: &str, delimiter: char) -> Result<Vec<Vec<String>>, String> {
    let mut rows = Vec::new();
    let (mut row, mut field) = (Vec::new(), String::new());
    let (mut quoted, mut was_quoted) = (false, false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            '"' if quoted => quoted = false,
            '"' if field.is_empty() && !was_quoted => (quoted, was_quoted) = (true, true),
            c if quoted => field.push(c),
            c if c == delimiter => {
                row.push(std::mem::take(&mut field));
                was_quoted = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                if !(row.is_empty() && field.is_empty() && !was_quoted) {
                    row.push(std::mem::take(&mut field));
                    rows.push(std::mem::take(&mut row));
                }
                was_quoted = false;
            }
            c => field.push(c),
        }
    }
    if quoted {
        return Err("a quoted CSV field is not closed".into());
    }
    if !(row.is_empty() && field.is_empty() && !was_quoted) {
        row.push(field);
        rows.push(row);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn config(v: Value) -> ReaderConfig {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn reads_json_arrays_and_json_lines() {
        assert_eq!(items("[1, {\"a\": 2}]", None).unwrap(), vec![json!(1), json!({"a": 2})]);
        assert!(items("{\"a\": 1}", None).unwrap_err().contains("not an array"));
        let jsonl = config(json!({"InputType": "JSONL"}));
        assert_eq!(items("{\"a\":1}\n\n[2]\n", Some(&jsonl)).unwrap(), vec![json!({"a": 1}), json!([2])]);
        assert!(items("{\"a\":1}\nnope", Some(&jsonl)).unwrap_err().contains("line 2"));
    }

    #[test]
    fn reads_csv_with_quotes_headers_and_delimiters() {
        let csv = config(json!({"InputType": "CSV"}));
        let text = "id,name\r\n1,\"Smith, \"\"J\"\"\"\n2,\"two\nlines\"\n\n3\n";
        assert_eq!(
            items(text, Some(&csv)).unwrap(),
            vec![json!({"id": "1", "name": "Smith, \"J\""}), json!({"id": "2", "name": "two\nlines"}), json!({"id": "3", "name": ""})]
        );
        let given = config(json!({"InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["a", "b"], "CSVDelimiter": "PIPE"}));
        assert_eq!(items("1|2\n3|4", Some(&given)).unwrap(), vec![json!({"a": "1", "b": "2"}), json!({"a": "3", "b": "4"})]);
        assert!(items("a\n1,2", Some(&csv)).unwrap_err().contains("more than the 1 headers"));
        assert!(items("a\n\"open", Some(&csv)).unwrap_err().contains("not closed"));
        assert!(items("x", Some(&config(json!({"InputType": "PARQUET"})))).unwrap_err().contains("PARQUET"));
    }

    #[test]
    fn reads_inventories_and_keeps_binary_bodies() {
        let manifest = r#"{"sourceBucket": "src", "destinationBucket": "arn:aws:s3:::inv", "fileFormat": "CSV",
            "fileSchema": "Bucket, Key, Size", "files": [{"key": "inv/data/a.csv.gz", "size": 10}]}"#;
        let (keys, schema) = inventory_files(manifest).unwrap();
        assert_eq!((keys, schema.clone()), (vec!["inv/data/a.csv.gz".to_string()], vec!["Bucket".into(), "Key".into(), "Size".into()]));
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut gz, b"\"src\",\"photos/1.jpg\",\"123\"\n").unwrap();
        let bytes = gz.finish().unwrap();
        let answer = body_member(bytes.clone());
        assert_eq!(answer["BodyBase64"], true);
        assert_eq!(body_bytes(&answer).unwrap(), bytes);
        assert_eq!(inventory_items(&bytes, &schema).unwrap(), vec![json!({"Bucket": "src", "Key": "photos/1.jpg", "Size": "123"})]);
        assert!(inventory_files(r#"{"fileFormat": "ORC", "fileSchema": "a", "files": []}"#).unwrap_err().contains("ORC"));
    }
}
