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

/// The substitutions a `--sub-file` gives: a map of names to values, or a
/// CloudFormation/SAM template whose state machine declares
/// DefinitionSubstitutions, in JSON or YAML. A value the template computes
/// (`Ref`, `Fn::GetAtt`, `Fn::Sub`, ...) becomes a placeholder of the right
/// shape; the second list names those. When the template has several state
/// machines, the one whose DefinitionUri names `definition`'s file is read.
pub fn from_file(text: &str, shown: &str, definition: Option<&std::path::Path>) -> Result<(Substitutions, Vec<String>), String> {
    let v: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(json_error) => crate::yaml::to_json(text).map_err(|yaml_error| match text.trim_start().starts_with(['{', '[']) {
            true => format!("{shown}: not JSON: {json_error}"),
            false => format!("{shown}: not YAML: {yaml_error}"),
        })?,
    };
    let Some(template) = crate::cfn::Template::new(&v) else {
        let map = v.as_object().ok_or_else(|| format!("{shown}: a substitution file is a map of names and values, or a template"))?;
        let pairs = map.iter().map(|(k, v)| (k.clone(), v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()))).collect();
        return Ok((pairs, Vec::new()));
    };
    let machines = template.resources_of(&["AWS::StepFunctions::StateMachine", "AWS::Serverless::StateMachine"]);
    let file_name = definition.and_then(|d| d.file_name()).map(|n| n.to_string_lossy().to_string());
    let names_file = |r: &Value| {
        let uri = &r["Properties"]["DefinitionUri"];
        let uri = uri.as_str().or_else(|| uri["Key"].as_str()).or_else(|| r["Properties"]["DefinitionS3Location"]["Key"].as_str());
        uri.zip(file_name.as_deref()).is_some_and(|(uri, file)| uri.rsplit('/').next() == Some(file))
    };
    let (_, machine) = match machines.as_slice() {
        [] => return Err(format!("{shown}: the template declares no AWS::StepFunctions::StateMachine or AWS::Serverless::StateMachine")),
        [one] => *one,
        several => *several.iter().find(|(_, r)| names_file(r)).ok_or_else(|| {
            let ids: Vec<&str> = several.iter().map(|(id, _)| id.as_str()).collect();
            format!(
                "{shown}: the template declares {} state machines ({}) and none has a DefinitionUri naming {}; give the values with --sub NAME=VALUE",
                ids.len(),
                ids.join(", "),
                file_name.as_deref().unwrap_or("this definition")
            )
        })?,
    };
    let mut pairs = Vec::new();
    let mut computed_names = Vec::new();
    for (name, value) in machine["Properties"]["DefinitionSubstitutions"].as_object().into_iter().flatten() {
        let (text, computed) = template.value(value);
        if computed {
            computed_names.push(name.clone());
        }
        pairs.push((name.clone(), text));
    }
    Ok((pairs, computed_names))
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
        let (pairs, notes) = from_file(r#"{"Bucket": "b", "Count": 3}"#, "subs.json", None).unwrap();
        assert_eq!(pairs, vec![("Bucket".into(), "b".into()), ("Count".into(), "3".into())]);
        assert!(notes.is_empty());
        let template = r#"{"Resources": {
            "Fn": {"Type": "AWS::Serverless::Function"}, "Queue": {"Type": "AWS::SQS::Queue"},
            "Machine": {"Type": "AWS::Serverless::StateMachine", "Properties": {"DefinitionSubstitutions": {
                "FnArn": {"Fn::GetAtt": ["Fn", "Arn"]}, "QueueUrl": {"Ref": "Queue"}, "Stage": "prod"}}}}}"#;
        let (pairs, notes) = from_file(template, "template.json", None).unwrap();
        assert_eq!(pairs[0], ("FnArn".into(), "arn:aws:lambda:us-east-1:123456789012:function:fn".into()));
        assert_eq!(pairs[1], ("QueueUrl".into(), "https://sqs.us-east-1.amazonaws.com/123456789012/queue".into()));
        assert_eq!(pairs[2], ("Stage".into(), "prod".into()));
        assert_eq!(notes.len(), 2);
        let yaml = "Resources:\n  Fn: {Type: AWS::Serverless::Function}\n  Machine:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      DefinitionSubstitutions:\n        FnArn: !GetAtt Fn.Arn\n        Stage: prod\n";
        let (pairs, notes) = from_file(yaml, "template.yaml", None).unwrap();
        assert_eq!(
            pairs,
            vec![("FnArn".into(), "arn:aws:lambda:us-east-1:123456789012:function:fn".into()), ("Stage".into(), "prod".into())]
        );
        assert_eq!(notes.len(), 1);
        assert!(from_file("a: [1,\n", "t.yaml", None).unwrap_err().starts_with("t.yaml: not YAML:"));
        assert!(from_file("{\"a\": ", "t.json", None).unwrap_err().starts_with("t.json: not JSON:"));
    }

    #[test]
    fn of_several_machines_the_one_naming_the_definition_is_read() {
        let yaml = "Resources:\n  A:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      DefinitionUri: statemachine/a.asl.json\n      DefinitionSubstitutions: {Which: a}\n  B:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      DefinitionUri: statemachine/b.asl.json\n      DefinitionSubstitutions: {Which: b}\n";
        let (pairs, _) = from_file(yaml, "template.yaml", Some(std::path::Path::new("sm/b.asl.json"))).unwrap();
        assert_eq!(pairs, vec![("Which".into(), "b".into())]);
        let err = from_file(yaml, "template.yaml", Some(std::path::Path::new("c.asl.json"))).unwrap_err();
        assert!(err.contains("2 state machines (A, B)") && err.contains("c.asl.json"), "{err}");
    }
}
