//! The state-field catalogue: which fields each state type takes, and in
//! which query language. The validator's field checks and the language's
//! clause checks read it; a test holds the serde model to it.

/// Which query language a field belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Both,
    JsonPath,
    Jsonata,
}

/// The eight state types, by their `Type` names.
pub const STATE_TYPES: &[&str] = &["Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"];
const FLOW: &[&str] = &["Task", "Pass", "Wait", "Parallel", "Map"];
const NOT_FAIL: &[&str] = &["Task", "Pass", "Choice", "Wait", "Succeed", "Parallel", "Map"];
const RESULTS: &[&str] = &["Task", "Parallel", "Map"];

/// One field: its name, its language, the state types that take it.
pub struct Field {
    pub name: &'static str,
    pub lang: Lang,
    pub types: &'static [&'static str],
}

const fn f(name: &'static str, lang: Lang, types: &'static [&'static str]) -> Field {
    Field { name, lang, types }
}

pub const FIELDS: &[Field] = &[
    f("Type", Lang::Both, STATE_TYPES),
    f("Comment", Lang::Both, STATE_TYPES),
    f("QueryLanguage", Lang::Both, STATE_TYPES),
    f("Next", Lang::Both, FLOW),
    f("End", Lang::Both, FLOW),
    f("InputPath", Lang::JsonPath, NOT_FAIL),
    f("OutputPath", Lang::JsonPath, NOT_FAIL),
    f("Parameters", Lang::JsonPath, &["Task", "Pass", "Parallel", "Map"]),
    f("ResultSelector", Lang::JsonPath, RESULTS),
    f("ResultPath", Lang::JsonPath, &["Task", "Pass", "Parallel", "Map"]),
    f("Arguments", Lang::Jsonata, &["Task", "Parallel"]),
    f("Output", Lang::Jsonata, NOT_FAIL),
    f("Assign", Lang::Both, &["Task", "Pass", "Choice", "Wait", "Parallel", "Map"]),
    f("Result", Lang::JsonPath, &["Pass"]),
    f("Resource", Lang::Both, &["Task"]),
    f("TimeoutSeconds", Lang::Both, &["Task"]),
    f("TimeoutSecondsPath", Lang::JsonPath, &["Task"]),
    f("HeartbeatSeconds", Lang::Both, &["Task"]),
    f("HeartbeatSecondsPath", Lang::JsonPath, &["Task"]),
    f("Credentials", Lang::Both, &["Task"]),
    f("Retry", Lang::Both, RESULTS),
    f("Catch", Lang::Both, RESULTS),
    f("Choices", Lang::Both, &["Choice"]),
    f("Default", Lang::Both, &["Choice"]),
    f("Seconds", Lang::Both, &["Wait"]),
    f("Timestamp", Lang::Both, &["Wait"]),
    f("SecondsPath", Lang::JsonPath, &["Wait"]),
    f("TimestampPath", Lang::JsonPath, &["Wait"]),
    f("Error", Lang::Both, &["Fail"]),
    f("Cause", Lang::Both, &["Fail"]),
    f("ErrorPath", Lang::JsonPath, &["Fail"]),
    f("CausePath", Lang::JsonPath, &["Fail"]),
    f("Branches", Lang::Both, &["Parallel"]),
    f("ItemProcessor", Lang::Both, &["Map"]),
    f("Iterator", Lang::JsonPath, &["Map"]),
    f("ItemsPath", Lang::JsonPath, &["Map"]),
    f("Items", Lang::Jsonata, &["Map"]),
    f("ItemSelector", Lang::Both, &["Map"]),
    f("ItemReader", Lang::Both, &["Map"]),
    f("ItemBatcher", Lang::Both, &["Map"]),
    f("ResultWriter", Lang::Both, &["Map"]),
    f("MaxConcurrency", Lang::Both, &["Map"]),
    f("MaxConcurrencyPath", Lang::JsonPath, &["Map"]),
    f("ToleratedFailurePercentage", Lang::Both, &["Map"]),
    f("ToleratedFailurePercentagePath", Lang::JsonPath, &["Map"]),
    f("ToleratedFailureCount", Lang::Both, &["Map"]),
    f("ToleratedFailureCountPath", Lang::JsonPath, &["Map"]),
    f("Label", Lang::Both, &["Map"]),
];

/// The fields a state of type `ty` may have, in any language.
pub fn fields_of(ty: &str) -> Vec<&'static str> {
    FIELDS.iter().filter(|f| f.types.contains(&ty)).map(|f| f.name).collect()
}

/// The field `name` of a state of type `ty`, if that type takes it.
pub fn field(ty: &str, name: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.name == name && f.types.contains(&ty))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::State;
    use serde_json::{json, Value};

    /// A value the model accepts for `field` (the shape matters, not the meaning).
    fn sample(field: &str) -> Value {
        match field {
            "Type" => Value::Null, // set by the caller
            "End" => json!(true),
            "Retry" | "Catch" | "Branches" | "Choices" => json!([]),
            "TimeoutSeconds"
            | "HeartbeatSeconds"
            | "Seconds"
            | "MaxConcurrency"
            | "ToleratedFailureCount"
            | "ToleratedFailurePercentage" => json!(1),
            "ItemProcessor" | "Iterator" => json!({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}),
            "QueryLanguage" => json!("JSONPath"),
            "ItemReader" => json!({"Resource": "arn:aws:states:::s3:getObject"}),
            "ItemBatcher" | "ResultWriter" | "Parameters" | "ResultSelector" | "Arguments" | "Output" | "Assign" | "Result"
            | "ItemSelector" | "Credentials" => json!({}),
            _ => json!("$.x"),
        }
    }

    /// The serde model takes exactly the fields the catalogue lists, for
    /// every state type: the catalogue is the one place this is written.
    #[test]
    fn model_takes_exactly_the_catalogued_fields() {
        let all: Vec<&str> = FIELDS.iter().map(|f| f.name).collect();
        for ty in STATE_TYPES {
            for name in &all {
                if *name == "Type" {
                    continue;
                }
                let mut state = json!({"Type": ty, name.to_string(): sample(name)});
                if *ty == "Task" && *name != "Resource" {
                    state["Resource"] = json!("arn:aws:states:::lambda:invoke");
                }
                if *ty == "Map" && !["ItemProcessor", "Iterator"].contains(name) {
                    state["ItemProcessor"] = sample("ItemProcessor");
                }
                if *ty == "Parallel" && *name != "Branches" {
                    state["Branches"] = json!([]);
                }
                if *ty == "Choice" && *name != "Choices" {
                    state["Choices"] = json!([]);
                }
                let takes = field(ty, name).is_some();
                let parsed = serde_json::from_value::<State>(state.clone());
                assert_eq!(parsed.is_ok(), takes, "{ty}.{name}: catalogue says {takes}, model says {parsed:?} for {state}");
            }
        }
    }
}
