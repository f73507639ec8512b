//! Choice rules: comparisons, `And`/`Or`/`Not`, and JSONata `Condition`.
//!
//! A rule is a JSON object whose meaning depends on which operator key it
//! carries, so it is read and written by hand rather than derived.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

macro_rules! operators {
    ($($name:ident),* $(,)?) => {
        /// Every comparison operator of a Choice rule.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Operator { $($name),* }

        impl Operator {
            pub const ALL: &'static [Operator] = &[$(Operator::$name),*];

            /// The operator's field name in ASL.
            pub fn name(self) -> &'static str {
                match self { $(Operator::$name => stringify!($name)),* }
            }
        }
    };
}

operators!(
    StringEquals,
    StringEqualsPath,
    StringLessThan,
    StringLessThanPath,
    StringGreaterThan,
    StringGreaterThanPath,
    StringLessThanEquals,
    StringLessThanEqualsPath,
    StringGreaterThanEquals,
    StringGreaterThanEqualsPath,
    StringMatches,
    NumericEquals,
    NumericEqualsPath,
    NumericLessThan,
    NumericLessThanPath,
    NumericGreaterThan,
    NumericGreaterThanPath,
    NumericLessThanEquals,
    NumericLessThanEqualsPath,
    NumericGreaterThanEquals,
    NumericGreaterThanEqualsPath,
    BooleanEquals,
    BooleanEqualsPath,
    TimestampEquals,
    TimestampEqualsPath,
    TimestampLessThan,
    TimestampLessThanPath,
    TimestampGreaterThan,
    TimestampGreaterThanPath,
    TimestampLessThanEquals,
    TimestampLessThanEqualsPath,
    TimestampGreaterThanEquals,
    TimestampGreaterThanEqualsPath,
    IsNull,
    IsPresent,
    IsNumeric,
    IsString,
    IsBoolean,
    IsTimestamp,
);

/// What kind of operand an operator takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operand {
    String,
    Number,
    Boolean,
    Timestamp,
    /// A reference path to compare against.
    Path,
}

impl Operator {
    pub fn from_name(name: &str) -> Option<Operator> {
        Operator::ALL.iter().copied().find(|op| op.name() == name)
    }

    /// The operand this operator expects.
    pub fn operand(self) -> Operand {
        let name = self.name();
        if name.ends_with("Path") {
            Operand::Path
        } else if name.starts_with("String") {
            Operand::String
        } else if name.starts_with("Numeric") {
            Operand::Number
        } else if name.starts_with("Timestamp") {
            Operand::Timestamp
        } else {
            Operand::Boolean
        }
    }
}

/// The test a rule makes.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    /// `Variable` compared by one operator to a value (or path).
    Compare {
        variable: String,
        operator: Operator,
        operand: Value,
    },
    And(Vec<ChoiceRule>),
    Or(Vec<ChoiceRule>),
    Not(Box<ChoiceRule>),
    /// JSONata `Condition`: a `{% %}` string (or a literal boolean).
    Condition(Value),
}

impl Test {
    /// The test as it reads: `$.i < $.n`, `not $.done == true`,
    /// `$.x not null`, a JSONata condition's text.
    pub fn text(&self) -> String {
        let joined = |rules: &[ChoiceRule], word: &str| rules.iter().map(|r| r.test.text()).collect::<Vec<_>>().join(word);
        match self {
            Test::Compare { variable, operator, operand } => {
                let name = operator.name().trim_end_matches("Path");
                let shown = match operand {
                    Value::String(s) if operator.name().ends_with("Path") => s.clone(),
                    other => other.to_string(),
                };
                let symbol = match name {
                    n if n.ends_with("LessThanEquals") => "<=",
                    n if n.ends_with("GreaterThanEquals") => ">=",
                    n if n.ends_with("LessThan") => "<",
                    n if n.ends_with("GreaterThan") => ">",
                    n if n.ends_with("Equals") => "==",
                    "StringMatches" => "matches",
                    // IsPresent, IsNull, IsString, ...: true or false.
                    n => {
                        let not = if operand == &Value::Bool(false) { "not " } else { "" };
                        return format!("{variable} {not}{}", n.trim_start_matches("Is").to_lowercase());
                    }
                };
                format!("{variable} {symbol} {shown}")
            }
            Test::And(rules) => joined(rules, " and "),
            Test::Or(rules) => joined(rules, " or "),
            Test::Not(rule) => format!("not {}", rule.test.text()),
            Test::Condition(v) => match v.as_str() {
                Some(s) => s.trim().trim_start_matches("{%").trim_end_matches("%}").trim().to_string(),
                None => v.to_string(),
            },
        }
    }
}

/// One rule. `Next`, `Assign` and `Output` appear on top-level rules only.
#[derive(Debug, Clone, PartialEq)]
pub struct ChoiceRule {
    pub test: Test,
    pub next: Option<String>,
    pub comment: Option<String>,
    pub assign: Option<Value>,
    pub output: Option<Value>,
}

impl Serialize for ChoiceRule {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = Map::new();
        let to_value = |r: &ChoiceRule| serde_json::to_value(r).map_err(serde::ser::Error::custom);
        match &self.test {
            Test::Compare { variable, operator, operand } => {
                m.insert("Variable".into(), Value::String(variable.clone()));
                m.insert(operator.name().into(), operand.clone());
            }
            Test::And(rules) | Test::Or(rules) => {
                let key = if matches!(self.test, Test::And(_)) { "And" } else { "Or" };
                let items = rules.iter().map(to_value).collect::<Result<Vec<_>, _>>()?;
                m.insert(key.into(), Value::Array(items));
            }
            Test::Not(rule) => {
                m.insert("Not".into(), to_value(rule)?);
            }
            Test::Condition(c) => {
                m.insert("Condition".into(), c.clone());
            }
        }
        let optional = [
            ("Next", self.next.clone().map(Value::String)),
            ("Comment", self.comment.clone().map(Value::String)),
            ("Assign", self.assign.clone()),
            ("Output", self.output.clone()),
        ];
        for (key, value) in optional {
            if let Some(v) = value {
                m.insert(key.into(), v);
            }
        }
        m.serialize(s)
    }
}

impl<'de> Deserialize<'de> for ChoiceRule {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut m = Map::deserialize(d)?;
        let string = |m: &mut Map<String, Value>, key: &str| -> Result<Option<String>, D::Error> {
            match m.remove(key) {
                None => Ok(None),
                Some(Value::String(s)) => Ok(Some(s)),
                Some(_) => Err(D::Error::custom(format!("{key} must be a string"))),
            }
        };
        let next = string(&mut m, "Next")?;
        let comment = string(&mut m, "Comment")?;
        let assign = m.remove("Assign");
        let output = m.remove("Output");
        let rules = |v: Value| -> Result<Vec<ChoiceRule>, D::Error> { serde_json::from_value(v).map_err(D::Error::custom) };
        let test = if let Some(v) = m.remove("And") {
            Test::And(rules(v)?)
        } else if let Some(v) = m.remove("Or") {
            Test::Or(rules(v)?)
        } else if let Some(v) = m.remove("Not") {
            Test::Not(Box::new(serde_json::from_value(v).map_err(D::Error::custom)?))
        } else if let Some(v) = m.remove("Condition") {
            Test::Condition(v)
        } else {
            let variable =
                string(&mut m, "Variable")?.ok_or_else(|| D::Error::custom("a choice rule needs Variable, And, Or, Not or Condition"))?;
            let (key, operand) = m
                .iter()
                .find(|(k, _)| Operator::from_name(k).is_some())
                .map(|(k, v)| (k.clone(), v.clone()))
                .ok_or_else(|| D::Error::custom("a choice rule with Variable needs a comparison operator"))?;
            m.remove(&key);
            let operator = Operator::from_name(&key).expect("found above");
            Test::Compare { variable, operator, operand }
        };
        if let Some(extra) = m.keys().next() {
            return Err(D::Error::custom(format!("unexpected field {extra:?} in a choice rule")));
        }
        Ok(ChoiceRule { test, next, comment, assign, output })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_rules_round_trip() {
        let src = json!({"Not": {"Variable": "$.x", "IsPresent": true}, "Next": "A"});
        let rule: ChoiceRule = serde_json::from_value(src.clone()).unwrap();
        assert!(matches!(rule.test, Test::Not(_)));
        assert_eq!(serde_json::to_value(&rule).unwrap(), src);
    }

    #[test]
    fn operand_kinds_follow_the_name() {
        assert_eq!(Operator::TimestampLessThanPath.operand(), Operand::Path);
        assert_eq!(Operator::StringMatches.operand(), Operand::String);
        assert_eq!(Operator::IsNull.operand(), Operand::Boolean);
        assert_eq!(Operator::ALL.len(), 39);
    }
}
