//! The items a Distributed Map's ItemReader reads, from the text of the
//! object it names: a JSON array, JSON Lines, or CSV (with its header row
//! or the headers given, and the delimiter given), as ReaderConfig says.
//! Each CSV row becomes an object of strings keyed by the headers.

use serde_json::{Map, Value};
use sfc_asl::ReaderConfig;

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
        other => Err(format!("InputType {other} is not read by sfc (it reads JSON, JSONL and CSV)")),
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
}
