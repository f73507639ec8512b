//! DefinitionSubstitutions, as CloudFormation, SAM and CDK fill them in
//! at deployment: each `${Name}` of an ASL definition replaced by its
//! value, in the definition's text. Names without a value stay (the
//! validator then names them, unless placeholders are allowed).

use serde_json::Value;

/// Names and their values, in the order given.
pub type Substitutions = Vec<(String, String)>;

/// `text` with every `${Name}` that `values` names replaced; the value is
/// escaped for the JSON string it lands in.
pub fn substitute(text: &str, values: &[(String, String)]) -> String {
    if values.is_empty() || !text.contains("${") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find('}').map(|end| (&after[..end], end)) {
            Some((name, end)) if values.iter().any(|(k, _)| k == name) => {
                let value = values.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or_default();
                let escaped = Value::String(value.to_string()).to_string();
                out.push_str(&escaped[1..escaped.len() - 1]);
                rest = &after[end + 1..];
            }
            _ => {
                out.push_str("${");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The substitutions a `--sub-file` gives: a JSON map of names to values,
/// or a CloudFormation/SAM template in JSON whose state machine declares
/// DefinitionSubstitutions. A value the template computes (`Ref`,
/// `Fn::GetAtt`, `Fn::Sub`) becomes a placeholder of the right shape, and
/// a note saying so.
pub fn from_file(text: &str, shown: &str) -> Result<(Substitutions, Vec<String>), String> {
    let v: Value = serde_json::from_str(text).map_err(|e| {
        let yaml = text.trim_start().starts_with(|c: char| c.is_alphabetic()) || text.contains(": ");
        match yaml {
            true => format!("{shown}: sfc reads JSON substitution files and templates (a YAML template: convert it with `cfn-flip`, or give --sub NAME=VALUE)"),
            false => format!("{shown}: not JSON: {e}"),
        }
    })?;
    let Some(resources) = v.get("Resources").and_then(Value::as_object) else {
        let map = v.as_object().ok_or_else(|| format!("{shown}: a substitution file is a JSON object of names and values"))?;
        let pairs = map.iter().map(|(k, v)| (k.clone(), v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()))).collect();
        return Ok((pairs, Vec::new()));
    };
    let machine = resources
        .values()
        .find(|r| matches!(r["Type"].as_str(), Some("AWS::StepFunctions::StateMachine" | "AWS::Serverless::StateMachine")))
        .ok_or_else(|| format!("{shown}: the template declares no AWS::StepFunctions::StateMachine or AWS::Serverless::StateMachine"))?;
    let mut pairs = Vec::new();
    let mut notes = Vec::new();
    for (name, value) in machine["Properties"]["DefinitionSubstitutions"].as_object().into_iter().flatten() {
        let (text, computed) = template_value(value, resources);
        if computed {
            notes.push(format!("{shown}: {name} is computed at deployment; using {text}"));
        }
        pairs.push((name.clone(), text));
    }
    Ok((pairs, notes))
}

/// A template value's text, or a placeholder of the shape the referenced
/// resource gives (and `true` when it is one).
fn template_value(v: &Value, resources: &serde_json::Map<String, Value>) -> (String, bool) {
    let kind_of = |logical: &str| resources.get(logical).and_then(|r| r["Type"].as_str()).unwrap_or("").to_string();
    let arn = |logical: &str| {
        let kind = kind_of(logical);
        let name = logical.to_lowercase();
        match kind.as_str() {
            "AWS::Lambda::Function" | "AWS::Serverless::Function" => format!("arn:aws:lambda:us-east-1:123456789012:function:{name}"),
            "AWS::SQS::Queue" => format!("arn:aws:sqs:us-east-1:123456789012:{name}"),
            "AWS::SNS::Topic" => format!("arn:aws:sns:us-east-1:123456789012:{name}"),
            "AWS::DynamoDB::Table" | "AWS::Serverless::SimpleTable" => format!("arn:aws:dynamodb:us-east-1:123456789012:table/{name}"),
            "AWS::S3::Bucket" => format!("arn:aws:s3:::{name}"),
            "AWS::StepFunctions::StateMachine" | "AWS::Serverless::StateMachine" => {
                format!("arn:aws:states:us-east-1:123456789012:stateMachine:{name}")
            }
            _ => format!("arn:aws:placeholder:us-east-1:123456789012:{name}"),
        }
    };
    match v {
        Value::String(s) => (s.clone(), false),
        Value::Object(m) => {
            if let Some(Value::String(logical)) = m.get("Ref") {
                // Ref gives a queue's URL, a table's and a bucket's name, other resources' ARN.
                let text = match kind_of(logical).as_str() {
                    "AWS::SQS::Queue" => format!("https://sqs.us-east-1.amazonaws.com/123456789012/{}", logical.to_lowercase()),
                    "AWS::DynamoDB::Table" | "AWS::Serverless::SimpleTable" | "AWS::S3::Bucket" => logical.to_lowercase(),
                    _ => arn(logical),
                };
                return (text, true);
            }
            if let Some(target) = m.get("Fn::GetAtt") {
                let logical = match target {
                    Value::Array(a) => a.first().and_then(Value::as_str).unwrap_or("resource").to_string(),
                    Value::String(s) => s.split('.').next().unwrap_or("resource").to_string(),
                    _ => "resource".into(),
                };
                return (arn(&logical), true);
            }
            (format!("placeholder-{}", m.keys().next().map(String::as_str).unwrap_or("value").replace("::", "-").to_lowercase()), true)
        }
        other => (other.to_string(), false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_names_it_has_and_keeps_the_others() {
        let values =
            vec![("Fn".to_string(), "arn:aws:lambda:us-east-1:1:function:f".to_string()), ("Q".to_string(), "say \"hi\"".to_string())];
        assert_eq!(
            substitute(r#"{"Resource": "${Fn}", "Text": "${Q}", "Other": "${Unknown}", "Lone": "$ {"}"#, &values),
            r#"{"Resource": "arn:aws:lambda:us-east-1:1:function:f", "Text": "say \"hi\"", "Other": "${Unknown}", "Lone": "$ {"}"#
        );
    }

    #[test]
    fn reads_maps_and_templates() {
        let (pairs, notes) = from_file(r#"{"Bucket": "b", "Count": 3}"#, "subs.json").unwrap();
        assert_eq!(pairs, vec![("Bucket".into(), "b".into()), ("Count".into(), "3".into())]);
        assert!(notes.is_empty());
        let template = r#"{"Resources": {
            "Fn": {"Type": "AWS::Serverless::Function"}, "Queue": {"Type": "AWS::SQS::Queue"},
            "Machine": {"Type": "AWS::Serverless::StateMachine", "Properties": {"DefinitionSubstitutions": {
                "FnArn": {"Fn::GetAtt": ["Fn", "Arn"]}, "QueueUrl": {"Ref": "Queue"}, "Stage": "prod"}}}}}"#;
        let (pairs, notes) = from_file(template, "template.json").unwrap();
        assert_eq!(pairs[0], ("FnArn".into(), "arn:aws:lambda:us-east-1:123456789012:function:fn".into()));
        assert_eq!(pairs[1], ("QueueUrl".into(), "https://sqs.us-east-1.amazonaws.com/123456789012/queue".into()));
        assert_eq!(pairs[2], ("Stage".into(), "prod".into()));
        assert_eq!(notes.len(), 2);
        assert!(from_file("Resources:\n  Fn: x\n", "t.yaml").unwrap_err().contains("YAML"));
    }
}
