//! YAML documents as JSON values, for `--sub-file`: SAM and CloudFormation
//! templates are mostly YAML. CloudFormation's short-form tags become
//! their long forms as CloudFormation reads them (`!Ref X` → `{"Ref":
//! "X"}`, `!GetAtt A.Arn` → `{"Fn::GetAtt": ["A", "Arn"]}`, `!Sub s` →
//! `{"Fn::Sub": "s"}`). Built from the parser's events with an explicit
//! stack: nesting and the nodes aliases expand to are bounded, so no
//! document can exhaust the stack or memory.

use serde_json::{Map, Number, Value};
use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::TScalarStyle;

/// Deeper nesting than any template needs (the JSON reader's bound too).
const MAX_DEPTH: usize = 512;
/// Nodes a document may produce, aliases expanded (a "billion laughs"
/// document stops here).
const MAX_NODES: usize = 1_000_000;

/// An open sequence or mapping: its tag, anchor, the values it holds so
/// far and how many values they are, nested ones counted.
enum Open {
    Seq(Option<Tag>, usize, Vec<Value>, usize),
    Map(Option<Tag>, usize, Map<String, Value>, Option<String>, usize),
}

/// The first document of `text` as JSON; an error names the line and
/// column.
pub fn to_json(text: &str) -> Result<Value, String> {
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Open> = Vec::new();
    // Each anchored value, and how many values it is (what an alias to it costs).
    let mut anchors: std::collections::HashMap<usize, (Value, usize)> = Default::default();
    let mut nodes = 0usize;
    loop {
        let (event, mark) = parser.next_token().map_err(|e| e.to_string())?;
        let at = || format!("line {} column {}", mark.line(), mark.col() + 1);
        let (node, size, new_values) = match event {
            Event::StreamEnd | Event::DocumentEnd if stack.is_empty() => return Ok(Value::Null),
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentStart | Event::DocumentEnd => continue,
            Event::SequenceStart(..) | Event::MappingStart(..) if stack.len() >= MAX_DEPTH => {
                return Err(format!("{}: nested more than {MAX_DEPTH} deep", at()));
            }
            Event::SequenceStart(anchor, tag) => {
                stack.push(Open::Seq(tag, anchor, Vec::new(), 1));
                continue;
            }
            Event::MappingStart(anchor, tag) => {
                stack.push(Open::Map(tag, anchor, Map::new(), None, 1));
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                // Its values were counted as they came; it adds itself.
                Some(Open::Seq(tag, anchor, items, size)) => anchored(&mut anchors, anchor, tagged(tag, Value::Array(items)), size, 1),
                Some(Open::Map(tag, anchor, map, _, size)) => anchored(&mut anchors, anchor, tagged(tag, Value::Object(map)), size, 1),
                None => return Err(format!("{}: a collection ends that never began", at())),
            },
            Event::Scalar(text, style, anchor, tag) => anchored(&mut anchors, anchor, tagged(tag.clone(), scalar(text, style, &tag)), 1, 1),
            Event::Alias(id) => {
                let (_, size) = anchors.get(&id).ok_or_else(|| format!("{}: an alias to an unknown anchor", at()))?;
                // Counted before it is copied: a copy past the bound is never made.
                if nodes + size > MAX_NODES {
                    return Err(format!("{}: the document expands to more than {MAX_NODES} values (aliases)", at()));
                }
                let size = *size;
                (anchors[&id].0.clone(), size, size)
            }
        };
        nodes += new_values;
        if nodes > MAX_NODES {
            return Err(format!("{}: the document expands to more than {MAX_NODES} values (aliases)", at()));
        }
        match stack.last_mut() {
            None => return Ok(node),
            Some(Open::Seq(_, _, items, total)) => {
                items.push(node);
                *total += size;
            }
            Some(Open::Map(_, _, map, key, total)) => {
                *total += size;
                match key.take() {
                    None => *key = Some(key_text(node)),
                    Some(k) => {
                        map.insert(k, node);
                    }
                }
            }
        }
    }
}

/// A node, remembered under its anchor if it has one (0 means none).
fn anchored(
    anchors: &mut std::collections::HashMap<usize, (Value, usize)>,
    anchor: usize,
    v: Value,
    size: usize,
    new_values: usize,
) -> (Value, usize, usize) {
    if anchor > 0 {
        anchors.insert(anchor, (v.clone(), size));
    }
    (v, size, new_values)
}

/// A mapping key as text (YAML allows any node as a key; JSON does not).
fn key_text(v: Value) -> String {
    match v {
        Value::String(s) => s,
        other => other.to_string(),
    }
}

/// A plain scalar typed by YAML's core schema; quoted ones, block ones and
/// tagged ones stay text.
fn scalar(text: String, style: TScalarStyle, tag: &Option<Tag>) -> Value {
    if style != TScalarStyle::Plain || tag.as_ref().is_some_and(|t| t.handle == "!") {
        return Value::String(text);
    }
    match text.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        _ => {
            if let Ok(i) = text.parse::<i64>() {
                return Value::Number(i.into());
            }
            let looks_numeric = text.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'));
            match text.parse::<f64>().ok().filter(|f| looks_numeric && f.is_finite()).and_then(Number::from_f64) {
                Some(n) => Value::Number(n),
                None => Value::String(text),
            }
        }
    }
}

/// A CloudFormation short-form tag as its long form; other tags are
/// dropped (the value stays).
fn tagged(tag: Option<Tag>, v: Value) -> Value {
    let Some(tag) = tag.filter(|t| t.handle == "!") else { return v };
    let name = tag.suffix;
    let v = match (name.as_str(), v) {
        // `!GetAtt Resource.Attribute` is the list form's short spelling.
        ("GetAtt", Value::String(s)) => match s.split_once('.') {
            Some((resource, attribute)) => Value::Array(vec![resource.into(), attribute.into()]),
            None => Value::String(s),
        },
        (_, v) => v,
    };
    let key = match name.as_str() {
        "Ref" | "Condition" => name,
        _ => format!("Fn::{name}"),
    };
    Value::Object(Map::from_iter([(key, v)]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_templates_with_short_form_tags() {
        let v = to_json(
            "Resources:\n  Machine:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      DefinitionSubstitutions:\n        FnArn: !GetAtt Fn.Arn\n        Queue: !Ref Queue\n        Url: !Sub 'https://${Api}.execute-api.${AWS::Region}.amazonaws.com'\n        Count: 3\n        Flag: true\n        Text: \"3\"\n        List: [a, 1]\n",
        )
        .unwrap();
        let subs = &v["Resources"]["Machine"]["Properties"]["DefinitionSubstitutions"];
        assert_eq!(subs["FnArn"], json!({"Fn::GetAtt": ["Fn", "Arn"]}));
        assert_eq!(subs["Queue"], json!({"Ref": "Queue"}));
        assert_eq!(subs["Url"], json!({"Fn::Sub": "https://${Api}.execute-api.${AWS::Region}.amazonaws.com"}));
        assert_eq!((subs["Count"].clone(), subs["Flag"].clone(), subs["Text"].clone()), (json!(3), json!(true), json!("3")));
        assert_eq!(subs["List"], json!(["a", 1]));
    }

    #[test]
    fn bounds_nesting_and_alias_expansion_and_locates_errors() {
        // Block nesting stops at our bound, flow nesting at the scanner's.
        assert!(to_json(&"- ".repeat(10_000)).unwrap_err().contains("line 1 column 1025: nested more than 512 deep"));
        assert!(to_json(&"[".repeat(10_000)).unwrap_err().contains("recursion limit exceeded"));
        let mut laughs = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let prev = (b'a' + i - 1) as char;
            let name = (b'a' + i) as char;
            laughs.push_str(&format!(
                "{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        assert!(to_json(&laughs).unwrap_err().contains("more than 1000000 values"));
        let err = to_json("a: [1, 2\nb: c\n").unwrap_err();
        assert!(err.contains("line"), "{err}");
        assert_eq!(to_json("").unwrap(), Value::Null);
    }
}
