//! What a CloudFormation/SAM template's values become at deployment, as
//! far as a local run needs them: literal values as they are, and values
//! CloudFormation computes (`Ref`, `Fn::GetAtt`, `Fn::Sub`, `Fn::Join`,
//! pseudo parameters) as placeholders of the shape the real value has — a
//! Lambda function's ARN, a queue's URL, a table's name.

use serde_json::{Map, Value};

/// Where placeholders say they are.
const REGION: &str = "us-east-1";
const ACCOUNT: &str = "123456789012";

/// A template being read: its resources and parameters.
pub struct Template<'t> {
    resources: &'t Map<String, Value>,
    parameters: Option<&'t Map<String, Value>>,
}

impl<'t> Template<'t> {
    /// A template's view, if `v` has `Resources`.
    pub fn new(v: &'t Value) -> Option<Template<'t>> {
        Some(Template { resources: v.get("Resources")?.as_object()?, parameters: v.get("Parameters").and_then(Value::as_object) })
    }

    /// The resources of one of `types`, by logical id.
    pub fn resources_of(&self, types: &[&str]) -> Vec<(&'t String, &'t Value)> {
        self.resources.iter().filter(|(_, r)| r["Type"].as_str().is_some_and(|t| types.contains(&t))).collect()
    }

    /// A value's text at deployment, and whether it is a placeholder (a
    /// value CloudFormation computes).
    pub fn value(&self, v: &Value) -> (String, bool) {
        match v {
            Value::String(s) => (s.clone(), false),
            Value::Object(m) if m.len() == 1 => {
                let Some((function, arg)) = m.iter().next() else { return (v.to_string(), false) };
                match (function.as_str(), arg) {
                    ("Ref", Value::String(name)) => self.reference(name),
                    ("Fn::GetAtt", target) => (self.attribute(target), true),
                    ("Fn::Sub", Value::String(text)) => (self.sub(text, &Map::new()), true),
                    ("Fn::Sub", Value::Array(a)) => {
                        let vars = a.get(1).and_then(Value::as_object).cloned().unwrap_or_default();
                        (self.sub(a.first().and_then(Value::as_str).unwrap_or(""), &vars), true)
                    }
                    ("Fn::Join", Value::Array(a)) => {
                        let sep = a.first().and_then(Value::as_str).unwrap_or("");
                        let parts = a.get(1).and_then(Value::as_array).map(|p| p.iter().map(|x| self.value(x).0).collect::<Vec<_>>());
                        (parts.unwrap_or_default().join(sep), true)
                    }
                    (other, _) => (format!("placeholder-{}", other.trim_start_matches("Fn::").to_lowercase()), true),
                }
            }
            other => (other.to_string(), false),
        }
    }

    /// `Ref`: a parameter's default, a pseudo parameter, or what the
    /// resource's Ref gives (a queue's URL, a table's or bucket's name,
    /// most others' ARN).
    fn reference(&self, name: &str) -> (String, bool) {
        if let Some(p) = self.parameters.and_then(|p| p.get(name)) {
            return match p.get("Default") {
                Some(Value::String(d)) => (d.clone(), true),
                Some(d) => (d.to_string(), true),
                None => (format!("placeholder-{}", name.to_lowercase()), true),
            };
        }
        if let Some(pseudo) = pseudo(name) {
            return (pseudo.to_string(), true);
        }
        let logical = name.to_lowercase();
        let text = match self.kind(name) {
            "AWS::SQS::Queue" => format!("https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{logical}"),
            "AWS::DynamoDB::Table"
            | "AWS::Serverless::SimpleTable"
            | "AWS::S3::Bucket"
            | "AWS::Lambda::Function"
            | "AWS::Serverless::Function" => logical,
            _ => self.arn(name),
        };
        (text, true)
    }

    /// `Fn::GetAtt`, in its list or dotted form.
    fn attribute(&self, target: &Value) -> String {
        let (logical, attribute) = match target {
            Value::Array(a) => (a.first().and_then(Value::as_str).unwrap_or("resource"), a.get(1).and_then(Value::as_str).unwrap_or("Arn")),
            Value::String(s) => s.split_once('.').unwrap_or((s, "Arn")),
            _ => ("resource", "Arn"),
        };
        let name = logical.to_lowercase();
        match attribute {
            "QueueUrl" => format!("https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{name}"),
            "QueueName" | "TopicName" | "Name" => name,
            "StreamArn" => format!("{}/stream/2026-01-01T00:00:00.000", self.arn(logical)),
            _ => self.arn(logical),
        }
    }

    /// `Fn::Sub`: each `${Name}` or `${Resource.Attribute}` replaced, from
    /// `vars` first; `${!Literal}` is `${Literal}`.
    fn sub(&self, text: &str, vars: &Map<String, Value>) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                out.push_str(&rest[start..]);
                return out;
            };
            let name = &after[..end];
            let replaced = match (name.strip_prefix('!'), vars.get(name)) {
                (Some(literal), _) => format!("${{{literal}}}"),
                (None, Some(v)) => self.value(v).0,
                (None, None) if name.contains('.') && pseudo(name).is_none() => self.attribute(&Value::String(name.to_string())),
                (None, None) => self.reference(name).0,
            };
            out.push_str(&replaced);
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        out
    }

    fn kind(&self, logical: &str) -> &str {
        self.resources.get(logical).and_then(|r| r["Type"].as_str()).unwrap_or("")
    }

    /// A resource's ARN, shaped by its type.
    fn arn(&self, logical: &str) -> String {
        let name = logical.to_lowercase();
        match self.kind(logical) {
            "AWS::Lambda::Function" | "AWS::Serverless::Function" => format!("arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}"),
            "AWS::SQS::Queue" => format!("arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"),
            "AWS::SNS::Topic" => format!("arn:aws:sns:{REGION}:{ACCOUNT}:{name}"),
            "AWS::DynamoDB::Table" | "AWS::Serverless::SimpleTable" => format!("arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{name}"),
            "AWS::S3::Bucket" => format!("arn:aws:s3:::{name}"),
            "AWS::StepFunctions::StateMachine" | "AWS::Serverless::StateMachine" => {
                format!("arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:{name}")
            }
            "AWS::StepFunctions::Activity" => format!("arn:aws:states:{REGION}:{ACCOUNT}:activity:{name}"),
            "AWS::Events::EventBus" => format!("arn:aws:events:{REGION}:{ACCOUNT}:event-bus/{name}"),
            "AWS::IAM::Role" => format!("arn:aws:iam::{ACCOUNT}:role/{name}"),
            "AWS::Batch::JobQueue" => format!("arn:aws:batch:{REGION}:{ACCOUNT}:job-queue/{name}"),
            "AWS::Batch::JobDefinition" => format!("arn:aws:batch:{REGION}:{ACCOUNT}:job-definition/{name}:1"),
            "AWS::ECS::Cluster" => format!("arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/{name}"),
            "AWS::ECS::TaskDefinition" => format!("arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/{name}:1"),
            _ => format!("arn:aws:placeholder:{REGION}:{ACCOUNT}:{name}"),
        }
    }
}

/// CloudFormation's pseudo parameters, as placeholders say them.
fn pseudo(name: &str) -> Option<&'static str> {
    Some(match name {
        "AWS::Region" => REGION,
        "AWS::AccountId" => ACCOUNT,
        "AWS::Partition" => "aws",
        "AWS::URLSuffix" => "amazonaws.com",
        "AWS::StackName" => "stack",
        "AWS::StackId" => "arn:aws:cloudformation:us-east-1:123456789012:stack/stack/00000000-0000-0000-0000-000000000000",
        "AWS::NoValue" => "",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn computed_values_take_the_shape_of_the_real_ones() {
        let doc = json!({"Parameters": {"Stage": {"Type": "String", "Default": "dev"}}, "Resources": {
            "Fn": {"Type": "AWS::Serverless::Function"}, "Queue": {"Type": "AWS::SQS::Queue"}, "Table": {"Type": "AWS::DynamoDB::Table"}}});
        let t = Template::new(&doc).unwrap();
        let v = |x: Value| t.value(&x);
        assert_eq!(v(json!("literal")), ("literal".into(), false));
        assert_eq!(v(json!({"Fn::GetAtt": ["Fn", "Arn"]})).0, "arn:aws:lambda:us-east-1:123456789012:function:fn");
        assert_eq!(v(json!({"Ref": "Queue"})).0, "https://sqs.us-east-1.amazonaws.com/123456789012/queue");
        assert_eq!(v(json!({"Ref": "Table"})).0, "table");
        assert_eq!(v(json!({"Ref": "Stage"})), ("dev".into(), true));
        assert_eq!(
            v(json!({"Fn::Sub": "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:${Stage}-x-${!Keep}"})).0,
            "arn:aws:states:us-east-1:123456789012:stateMachine:dev-x-${Keep}"
        );
        assert_eq!(
            v(json!({"Fn::Sub": ["${Q}/${Fn.Arn}", {"Q": {"Ref": "Queue"}}]})).0,
            "https://sqs.us-east-1.amazonaws.com/123456789012/queue/arn:aws:lambda:us-east-1:123456789012:function:fn"
        );
        assert_eq!(v(json!({"Fn::Join": ["-", ["a", {"Ref": "Stage"}]]})).0, "a-dev");
        assert_eq!(v(json!({"Fn::ImportValue": "shared"})), ("placeholder-importvalue".into(), true));
    }
}
