//! The numbers a Map reads from its definition: MaxConcurrency, the
//! tolerated failures, ReaderConfig's MaxItems and the ItemBatcher's
//! limits, each a literal, a JSONata expression or a `*Path`.

use super::{distributed, Selecting, Tolerance};
use crate::error::Failure;
use crate::interp::data::States;
use crate::interp::{Execution, StateRun};
use crate::jsonata;
use crate::paths;
use crate::paths::ContextSource;
use serde_json::Value;
use sfc_asl::{Dynamic, Map};

/// Reads the Map's counts: literals, JSONata expressions or paths.
pub(super) struct Counts<'a> {
    pub ex: &'a Execution<'a>,
    pub run: &'a StateRun<'a>,
    pub ctx: &'a dyn ContextSource,
    pub input: &'a Value,
    /// `$states` for JSONata, whose input is `input`.
    pub states: &'a States<'a>,
}

impl Counts<'_> {
    fn fail(&self, cause: String) -> Failure {
        self.ex.located(self.run, Failure::runtime(cause))
    }

    /// The value of `Field` (literal or expression) or `FieldPath`.
    fn raw(&self, literal: Option<Value>, path: &Option<String>, field: &str) -> Result<Option<Value>, Failure> {
        if let Some(v) = literal {
            return match v {
                Value::String(s) if jsonata::expression(&s).is_some() => {
                    self.ex.jsonata(self.run, self.ctx, self.states, field, &Value::String(s)).map(Some)
                }
                other => Ok(Some(other)),
            };
        }
        let Some(p) = path else { return Ok(None) };
        paths::read(p, &self.ex.roots(self.run, self.input, self.ctx))
            .map(Some)
            .map_err(|_| self.fail(format!("The {field}Path field refers to a path that does not exist: {p}")))
    }

    /// An integer count; numeric strings count too, as AWS reads them.
    fn integer(&self, literal: Option<Value>, path: &Option<String>, field: &str) -> Result<Option<i64>, Failure> {
        let Some(v) = self.raw(literal, path, field)? else { return Ok(None) };
        let n = v.as_i64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()));
        match (n, path) {
            (Some(n), _) => Ok(Some(n)),
            (None, Some(p)) => {
                Err(self.fail(format!("The {field}Path field refers to value {} which is not a valid integer: {p}", quoted(&v))))
            }
            (None, None) => Err(self.fail(format!("The {field} field must be an integer, but was {v}"))),
        }
    }

    /// ReaderConfig's MaxItems (or MaxItemsPath).
    pub(super) fn reader_max_items(&self, s: &Map) -> Result<Option<i64>, Failure> {
        let Some(c) = s.item_reader.as_ref().and_then(|r| r.reader_config.as_ref()) else { return Ok(None) };
        self.integer(dynamic(&c.max_items), &c.max_items_path, "MaxItems")
    }

    /// The items, selected, in the ItemBatcher's batches.
    pub(super) fn batches(&self, b: &sfc_asl::ItemBatcher, items: Vec<Value>, selecting: &Selecting) -> Result<Vec<Value>, Failure> {
        let max_items = self.integer(dynamic(&b.max_items_per_batch), &b.max_items_per_batch_path, "MaxItemsPerBatch")?;
        let max_bytes = self.integer(dynamic(&b.max_input_bytes_per_batch), &b.max_input_bytes_per_batch_path, "MaxInputBytesPerBatch")?;
        let batch_input = match &b.batch_input {
            Some(t) => Some(distributed::template(self.ex, self.run, self.ctx, self.input, t, "BatchInput")?),
            None => None,
        };
        let selected = items
            .into_iter()
            .enumerate()
            .map(|(index, value)| selecting.input(self.ex, self.run, &crate::context::MapItem { index, value }))
            .collect::<Result<Vec<_>, _>>()?;
        let positive = |n: Option<i64>| n.filter(|n| *n > 0).map(|n| n as u64);
        Ok(distributed::batches(selected, positive(max_items), positive(max_bytes), batch_input))
    }

    pub(super) fn max_concurrency(&self, s: &Map) -> Result<u64, Failure> {
        let n = self.integer(dynamic(&s.max_concurrency), &s.max_concurrency_path, "MaxConcurrency")?.unwrap_or(0);
        u64::try_from(n).map_err(|_| self.fail("MaxConcurrency cannot be negative.".into()))
    }

    pub(super) fn tolerance(&self, s: &Map) -> Result<Tolerance, Failure> {
        let count = self.integer(dynamic(&s.tolerated_failure_count), &s.tolerated_failure_count_path, "ToleratedFailureCount")?;
        if count.is_some_and(|c| c < 0) {
            return Err(self.fail("ToleratedFailureCount cannot be negative.".into()));
        }
        let pct_literal = s.tolerated_failure_percentage.as_ref().map(|d| match d {
            Dynamic::Value(n) => Value::Number(n.clone()),
            Dynamic::Expr(e) => Value::String(e.clone()),
        });
        let percentage = match self.raw(pct_literal, &s.tolerated_failure_percentage_path, "ToleratedFailurePercentage")? {
            None => None,
            Some(v) => match v.as_f64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok())) {
                Some(p) => Some(p),
                None => {
                    let p = s.tolerated_failure_percentage_path.as_deref().unwrap_or("");
                    return Err(self.fail(format!(
                        "The ToleratedFailurePercentagePath field refers to value {} which is not a valid float: {p}",
                        quoted(&v)
                    )));
                }
            },
        };
        if percentage.is_some_and(|p| !(0.0..=100.0).contains(&p)) {
            return Err(self.fail("ToleratedFailurePercentage must be between 0 and 100.".into()));
        }
        Ok(Tolerance { count: count.map(|c| c as u64), percentage })
    }
}

fn dynamic(d: &Option<Dynamic<u64>>) -> Option<Value> {
    d.as_ref().map(|d| match d {
        Dynamic::Value(n) => Value::from(*n),
        Dynamic::Expr(e) => Value::String(e.clone()),
    })
}

/// Values in AWS's messages: strings in quotes, JSON as text in quotes.
fn quoted(v: &Value) -> String {
    match v {
        Value::String(s) => format!("\"{s}\""),
        other => format!("\"{other}\""),
    }
}
