//! Conditions to Choice rules.

use super::{Handler, Lowerer};
use crate::lang::ast::*;
use serde_json::{json, Map, Value as Json};

impl Lowerer<'_> {
    pub(super) fn if_else(
        &mut self,
        s: &Stmt,
        name: String,
        next: Option<String>,
        arms: &[(Cond, Vec<Stmt>)],
        otherwise: Option<&[Stmt]>,
        handlers: &[Handler],
    ) -> Option<String> {
        let rules = arms.iter().map(|(cond, body)| (self.cond(cond), body.as_slice())).collect();
        self.choice(s, name, next, rules, otherwise, handlers)
    }

    /// `switch $.on { case lit { } ... }`: a rule `$.on == lit` per case.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn switch(
        &mut self,
        s: &Stmt,
        name: String,
        next: Option<String>,
        on: &Spanned<String>,
        cases: &[(Value, Vec<Stmt>)],
        default: Option<&[Stmt]>,
        handlers: &[Handler],
    ) -> Option<String> {
        let mut seen: Vec<Json> = Vec::new();
        for (lit, _) in cases {
            let value = self.values.template(lit);
            if seen.contains(&value) {
                self.error(
                    &lit.span,
                    format!("duplicate case {value}"),
                    "each case of a switch has a value of its own; merge the two blocks",
                );
            }
            seen.push(value);
        }
        let rules = cases
            .iter()
            .map(|(lit, body)| {
                let cond =
                    Cond::Compare { path: on.node.clone(), op: CmpOp::Eq, operand: Operand::Literal(lit.clone()), span: lit.span.clone() };
                (self.cond(&cond), body.as_slice())
            })
            .collect();
        self.choice(s, name, next, rules, default, handlers)
    }

    /// A Choice state: each rule leads into its block and the default into
    /// its own (or straight on); every block continues at `next`.
    fn choice(
        &mut self,
        s: &Stmt,
        name: String,
        next: Option<String>,
        arms: Vec<(Json, &[Stmt])>,
        default: Option<&[Stmt]>,
        handlers: &[Handler],
    ) -> Option<String> {
        let mut rules = Vec::new();
        for (mut rule, body) in arms {
            let entry = self.block(body, next.clone(), handlers).unwrap_or_else(|| next.clone().unwrap_or_else(|| self.done()));
            rule["Next"] = entry.into();
            rules.push(rule);
        }
        let default = match default {
            Some(body) => self.block(body, next.clone(), handlers),
            None => next,
        }
        .unwrap_or_else(|| self.done());
        self.push(s, name.clone(), json!({"Type": "Choice", "Choices": rules, "Default": default}));
        Some(name)
    }

    /// `while cond { body }`: a Choice whose rule enters the body, which
    /// loops back to it.
    pub(super) fn while_loop(
        &mut self,
        s: &Stmt,
        name: String,
        next: Option<String>,
        cond: &Cond,
        body: &[Stmt],
        handlers: &[Handler],
    ) -> Option<String> {
        let entry = self.block(body, Some(name.clone()), handlers).unwrap_or_else(|| name.clone());
        let mut rule = self.cond(cond);
        rule["Next"] = entry.into();
        let default = next.unwrap_or_else(|| self.done());
        self.push(s, name.clone(), json!({"Type": "Choice", "Choices": [rule], "Default": default}));
        Some(name)
    }

    /// `try { body } catch ... { }`: the handlers first (they continue after
    /// the try), then the body with their Catch on every state that can fail.
    pub(super) fn try_catch(&mut self, next: Option<String>, body: &[Stmt], cs: &[Catch], handlers: &[Handler]) -> Option<String> {
        let mut inner = handlers.to_vec();
        let mut mine = Vec::new();
        for c in cs {
            let entry = self.block(&c.body, next.clone(), handlers).unwrap_or_else(|| next.clone().unwrap_or_else(|| self.done()));
            mine.push(Handler {
                errors: c.errors.iter().map(|e| e.node.clone()).collect(),
                result_path: c.result_path.clone(),
                next: entry,
            });
        }
        // A try's own handlers are tried before the enclosing ones.
        mine.append(&mut inner);
        self.block(body, next, &mine)
    }

    pub(super) fn cond(&mut self, c: &Cond) -> Json {
        match c {
            Cond::And(parts) => json!({"And": parts.iter().map(|p| self.cond(p)).collect::<Vec<_>>()}),
            Cond::Or(parts) => json!({"Or": parts.iter().map(|p| self.cond(p)).collect::<Vec<_>>()}),
            Cond::Not(inner) => json!({"Not": self.cond(inner)}),
            Cond::Matches { path, pattern } => json!({"Variable": path, "StringMatches": pattern}),
            Cond::Is { path, negated, kind } => {
                let op = match kind.as_str() {
                    "present" => "IsPresent",
                    "null" => "IsNull",
                    "string" => "IsString",
                    "number" => "IsNumeric",
                    "boolean" => "IsBoolean",
                    _ => "IsTimestamp",
                };
                json!({"Variable": path, op: !negated})
            }
            Cond::Compare { path, op, operand, span } => self.compare(path, *op, operand, span),
        }
    }

    /// `$.x < 3` → `{"Variable": "$.x", "NumericLessThan": 3}`; `!=` is a Not.
    fn compare(&mut self, path: &str, op: CmpOp, operand: &Operand, span: &Span) -> Json {
        let (family, value, is_path) = match operand {
            Operand::Timestamp(t) => ("Timestamp", Json::String(t.clone()), false),
            Operand::TypedPath { ty, path } => (family_of(ty), Json::String(path.clone()), true),
            Operand::Literal(v) => {
                let j = self.values.template(v);
                let fam = match &j {
                    Json::String(_) => "String",
                    Json::Number(_) => "Numeric",
                    Json::Bool(_) => "Boolean",
                    _ => {
                        self.error(
                            span,
                            "compare with a string, a number, a boolean, timestamp \"...\" or a typed path",
                            "for null write `is null`",
                        );
                        "String"
                    }
                };
                (fam, j, false)
            }
        };
        if family == "Boolean" && !matches!(op, CmpOp::Eq | CmpOp::Ne) {
            self.error(span, "booleans compare only with == and !=", "write $.flag == true");
        }
        let base = match op {
            CmpOp::Eq | CmpOp::Ne => "Equals",
            CmpOp::Lt => "LessThan",
            CmpOp::Le => "LessThanEquals",
            CmpOp::Gt => "GreaterThan",
            CmpOp::Ge => "GreaterThanEquals",
        };
        let operator = format!("{family}{base}{}", if is_path { "Path" } else { "" });
        let mut rule = Map::new();
        rule.insert("Variable".into(), Json::String(path.to_string()));
        rule.insert(operator, value);
        let rule = Json::Object(rule);
        if op == CmpOp::Ne {
            json!({"Not": rule})
        } else {
            rule
        }
    }
}

fn family_of(ty: &str) -> &'static str {
    match ty {
        "string" => "String",
        "number" => "Numeric",
        "boolean" => "Boolean",
        _ => "Timestamp",
    }
}
