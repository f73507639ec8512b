//! Workflow variables. A variable is held in the form that made it: the
//! JSON of a JSONPath template, or the JSONata value of an expression
//! whose result is plain data. The other form is made when something
//! first reads the variable that way (a JSONPath `$name`, a JSONata
//! expression, an event's `assignedVariables`) and is kept with it, shared
//! by every line of control that sees the variable. A JSONata loop that
//! appends to a variable at every turn then writes none of it as JSON
//! unless something reads it as JSON.

use jsonata_core::value::JValue;
use serde_json::{Map, Value};
use std::cell::OnceCell;

/// One variable's value.
#[derive(Clone)]
pub enum Var {
    /// As JSON, and its JSONata conversion once made.
    Json(Value, OnceCell<JValue>),
    /// As JSONata made it (plain data: see [`crate::jsonata::plain_data`]),
    /// and its JSON once written.
    Jsonata(JValue, OnceCell<Value>),
}

impl Var {
    pub fn json(&self) -> &Value {
        match self {
            Var::Json(v, _) => v,
            Var::Jsonata(j, written) => written.get_or_init(|| crate::jsonata::to_json(j)),
        }
    }

    /// The value as a JSONata value (a cheap copy: its contents are shared).
    pub fn jsonata(&self) -> JValue {
        match self {
            Var::Json(v, converted) => converted.get_or_init(|| crate::jsonata::converted(v)).clone(),
            Var::Jsonata(j, _) => j.clone(),
        }
    }

    /// How long the value is as compact JSON, without writing it.
    pub fn json_len(&self) -> usize {
        match self {
            Var::Json(v, _) => crate::size::json_len(v),
            Var::Jsonata(j, written) => written.get().map_or_else(|| crate::jsonata::json_len(j), crate::size::json_len),
        }
    }
}

impl From<Value> for Var {
    fn from(v: Value) -> Var {
        Var::Json(v, OnceCell::new())
    }
}

impl std::fmt::Debug for Var {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.json())
    }
}

/// Variables by name, in the order they were first assigned.
pub type VarMap = indexmap::IndexMap<String, Var, foldhash::fast::RandomState>;

/// `values` as variables.
pub fn from_json(values: Map<String, Value>) -> VarMap {
    values.into_iter().map(|(k, v)| (k, Var::from(v))).collect()
}

/// `vars` as one JSON object.
pub fn to_json(vars: &VarMap) -> Value {
    Value::Object(vars.iter().map(|(k, v)| (k.clone(), v.json().clone())).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn json_values() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
            "[a-z\"\\\\\n\u{1}é]{0,6}".prop_map(Value::from),
        ];
        crate::paths::tests::json_of(leaf, "[a-z\"]{0,3}")
    }

    proptest! {
        /// A variable JSONata made reads as JSON, and measures, as the
        /// JSON it stands for.
        #[test]
        fn both_forms_agree(v in json_values()) {
            let j = crate::jsonata::converted(&v);
            let var = Var::Jsonata(j.clone(), OnceCell::new());
            prop_assert_eq!(var.json_len(), crate::size::json_len(&crate::jsonata::to_json(&j)));
            prop_assert_eq!(var.json(), &crate::jsonata::to_json(&j));
            let from_json = Var::from(v.clone());
            prop_assert_eq!(from_json.json_len(), v.to_string().len());
        }
    }

    #[test]
    fn each_form_is_made_once_and_kept() {
        let var = Var::from(json!({"a": [1, 2]}));
        let first = var.jsonata();
        assert!(matches!(&var, Var::Json(_, c) if c.get().is_some()));
        assert_eq!(crate::jsonata::to_json(&first), json!({"a": [1, 2]}));
        let var = Var::Jsonata(first, OnceCell::new());
        assert_eq!(var.json_len(), 11);
        assert!(matches!(&var, Var::Jsonata(_, w) if w.get().is_none()), "measuring writes nothing");
        assert_eq!(var.json(), &json!({"a": [1, 2]}));
    }
}
