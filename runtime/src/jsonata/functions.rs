//! Step Functions' own JSONata functions: `$partition`, `$range`, `$hash`,
//! `$random` (seedable), `$uuid`, `$parse`.

use super::to_json;
use jsonata_core::evaluator::{Evaluator, EvaluatorError};
use jsonata_core::value::JValue;
use rand::{RngExt, SeedableRng};
use serde_json::Value;
use std::cell::RefCell;
use std::rc::Rc;

pub(super) fn err(msg: String) -> EvaluatorError {
    EvaluatorError::EvaluationError(msg)
}

/// Step Functions' own functions, those of them `callable` names: the
/// registration costs more than many a whole evaluation.
pub(super) fn register_functions(ev: &mut Evaluator, seed: u64, callable: &dyn Fn(&str) -> bool) {
    if callable("partition") {
        let _ = ev.register_fn("partition", |args: &[JValue]| {
            let items =
                args.first().and_then(JValue::as_array).ok_or_else(|| err("$partition: the first argument must be an array".into()))?;
            let size = args.get(1).and_then(JValue::as_f64).filter(|n| *n >= 1.0 && n.fract() == 0.0);
            let size = size.ok_or_else(|| err("$partition: the chunk size must be a positive integer".into()))? as usize;
            Ok(JValue::from(items.chunks(size).map(|c| JValue::from(c.to_vec())).collect::<Vec<_>>()))
        });
    }
    if callable("range") {
        let _ = ev.register_fn("range", |args: &[JValue]| {
            let num = |i: usize| args.get(i).and_then(JValue::as_f64).filter(|n| n.fract() == 0.0);
            let (Some(start), Some(end), Some(step)) = (num(0), num(1), num(2)) else {
                return Err(err("$range: start, end and step must be integers".into()));
            };
            if step == 0.0 {
                return Err(err("$range: the step must not be 0".into()));
            }
            let mut out = Vec::new();
            let mut i = start;
            while (step > 0.0 && i <= end) || (step < 0.0 && i >= end) {
                if out.len() == 1000 {
                    return Err(err("$range: the range has more than 1000 items".into()));
                }
                out.push(JValue::from(i));
                i += step;
            }
            // A one-item result is the item itself, as JSONata unwraps a
            // one-item sequence.
            if out.len() == 1 {
                return Ok(out.remove(0));
            }
            Ok(JValue::from(out))
        });
    }
    if callable("hash") {
        let _ = ev.register_fn("hash", |args: &[JValue]| {
            let data = args.first().map(|v| match v.as_str() {
                Some(s) => s.to_string(),
                None => to_json(v).to_string(),
            });
            let (Some(data), Some(alg)) = (data, args.get(1).and_then(JValue::as_str)) else {
                return Err(err("$hash: expected the data and an algorithm name".into()));
            };
            crate::intrinsics::hash_hex(&data, alg).map(JValue::from).map_err(err)
        });
    }
    // One stream for `$random()` and `$uuid()`, seeded only where one of
    // them can be called (seeding costs more than a small evaluation).
    let rng = (callable("random") || callable("uuid")).then(|| Rc::new(RefCell::new(rand::rngs::StdRng::seed_from_u64(seed))));
    if let (true, Some(r)) = (callable("random"), rng.clone()) {
        let _ = ev.register_fn_override("random", move |args: &[JValue]| match args.first() {
            Some(seed) => {
                let s = seed.as_f64().ok_or_else(|| err("$random: the seed must be a number".into()))?;
                Ok(JValue::from(rand::rngs::StdRng::seed_from_u64(s as i64 as u64).random::<f64>()))
            }
            None => Ok(JValue::from(r.borrow_mut().random::<f64>())),
        });
    }
    if let (true, Some(rng)) = (callable("uuid"), rng) {
        let _ = ev.register_fn("uuid", move |_: &[JValue]| {
            Ok(JValue::from(uuid::Builder::from_random_bytes(rng.borrow_mut().random()).into_uuid().to_string()))
        });
    }
    if callable("parse") {
        let _ = ev.register_fn("parse", |args: &[JValue]| {
            let s = args.first().and_then(JValue::as_str).ok_or_else(|| err("$parse: the argument must be a string".into()))?;
            let v: Value = serde_json::from_str(s).map_err(|e| err(format!("$parse: the string is not JSON: {e}")))?;
            Ok(JValue::from(v))
        });
    }
}
