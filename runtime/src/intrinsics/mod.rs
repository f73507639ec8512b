//! Evaluating intrinsic functions (`States.Format`, `States.MathAdd`, ...)
//! with AWS's argument rules.

mod functions;

use functions::apply;
pub use functions::hash_hex;

use crate::error::Failure;
use crate::paths::{self, PathError, Roots};
use serde_json::Value;
use sfc_asl::intrinsic::{self, Arg, Call};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// Parsed and checked calls, by source text: a loop evaluates the same
/// expression thousands of times.
pub type Parsed = Rc<Result<Prepared, Failure>>;

/// A checked call with its input paths split into steps ahead of time.
#[derive(Debug)]
pub struct Prepared {
    name: String,
    args: Vec<PreparedArg>,
}

#[derive(Debug)]
enum PreparedArg {
    Literal(Value),
    /// A definite path into the input: its text (for errors) and steps.
    Input(String, Vec<paths::Step>),
    /// Any other path (context, variables, indefinite).
    Path(String),
    Call(Prepared),
}

impl Prepared {
    fn new(call: Call) -> Prepared {
        let args = call
            .args
            .into_iter()
            .map(|a| match a {
                Arg::String(s) => PreparedArg::Literal(Value::String(s)),
                Arg::Number(n) => PreparedArg::Literal(Value::Number(n)),
                Arg::Bool(b) => PreparedArg::Literal(Value::Bool(b)),
                Arg::Null => PreparedArg::Literal(Value::Null),
                Arg::Path(p) => match paths::input_steps(&p) {
                    Some(steps) => PreparedArg::Input(p, steps),
                    None => PreparedArg::Path(p),
                },
                Arg::Call(inner) => PreparedArg::Call(Prepared::new(inner)),
            })
            .collect();
        Prepared { name: call.name, args }
    }
}

thread_local! {
    static PARSED: RefCell<HashMap<String, Parsed, foldhash::fast::RandomState>> = RefCell::new(HashMap::default());
}

/// Most cached expressions; past it the cache starts over.
const CACHE_LIMIT: usize = 4096;

/// `expr` parsed and checked, for evaluating it many times.
pub fn prepare(expr: &str) -> Parsed {
    PARSED.with(|cache| {
        if let Some(p) = cache.borrow().get(expr) {
            return p.clone();
        }
        let result = intrinsic::parse(expr).map_err(|e| Failure::intrinsic(format!("{expr}: {e}"))).and_then(|call| {
            match intrinsic::check_call(&call).into_iter().next() {
                Some(problem) => Err(Failure::intrinsic(problem)),
                None => Ok(Prepared::new(call)),
            }
        });
        let p = Rc::new(result);
        let mut c = cache.borrow_mut();
        if c.len() >= CACHE_LIMIT {
            c.clear();
        }
        c.insert(expr.to_string(), p.clone());
        p
    })
}

/// Parses and evaluates `expr`, a whole intrinsic call.
pub fn evaluate(expr: &str, roots: &Roots, rng: &mut dyn rand::Rng) -> Result<Value, Failure> {
    evaluate_prepared(&prepare(expr), roots, rng)
}

/// Evaluates a call from [`prepare`].
pub fn evaluate_prepared(parsed: &Parsed, roots: &Roots, rng: &mut dyn rand::Rng) -> Result<Value, Failure> {
    match &**parsed {
        Ok(call) => eval_call(call, roots, rng),
        Err(f) => Err(f.clone()),
    }
}

/// Evaluates a call already checked against the function table. Arguments
/// read from the input are lent, not copied: `ArrayLength($.items)` does
/// not copy the array.
fn eval_call<'a>(call: &'a Prepared, roots: &Roots<'a>, rng: &mut dyn rand::Rng) -> Result<Value, Failure> {
    let n = call.args.len();
    let result = if n <= INLINE_ARGS {
        // Calls take few arguments: those are kept on the stack.
        let mut args: [ArgValue<'a>; INLINE_ARGS] = std::array::from_fn(|_| Cow::Borrowed(&NULL));
        for (slot, a) in args.iter_mut().zip(&call.args) {
            *slot = arg_value(call, a, roots, rng)?;
        }
        apply(&call.name, &mut args[..n], rng)
    } else {
        let mut args = call.args.iter().map(|a| arg_value(call, a, roots, rng)).collect::<Result<Vec<_>, _>>()?;
        apply(&call.name, &mut args, rng)
    };
    let value = result.map_err(|msg| Failure::intrinsic(format!("{}: {msg}", call.name)))?;
    // Text grows as calls nest (each JsonToString escapes the quotes of the
    // last): stop it while it grows, past what any state could use.
    match &value {
        Value::String(text) if text.len() > MAX_TEXT => Err(Failure::new(
            crate::error::names::DATA_LIMIT_EXCEEDED,
            format!("{} produced {} bytes of text; more than any state or variable may hold (256 KiB)", call.name, text.len()),
        )),
        _ => Ok(value),
    }
}

/// The longest text an intrinsic call may produce: above every limit one
/// value meets later (256 KiB a payload or a variable), which then says
/// what was too big, as AWS's errors do.
const MAX_TEXT: usize = 1024 * 1024;

/// Arguments up to this many are not put in a vector.
const INLINE_ARGS: usize = 4;
pub(super) static NULL: Value = Value::Null;

fn arg_value<'a>(call: &'a Prepared, a: &'a PreparedArg, roots: &Roots<'a>, rng: &mut dyn rand::Rng) -> Result<ArgValue<'a>, Failure> {
    Ok(match a {
        PreparedArg::Literal(v) => Cow::Borrowed(v),
        PreparedArg::Input(p, steps) => {
            Cow::Borrowed(paths::walk(roots.input, steps).ok_or_else(|| path_failure(call, p, PathError::NotFound))?)
        }
        PreparedArg::Path(p) => Cow::Owned(paths::read(p, roots).map_err(|e| path_failure(call, p, e))?),
        PreparedArg::Call(inner) => Cow::Owned(eval_call(inner, roots, rng)?),
    })
}

/// An argument value: lent from the call or the input, or computed.
pub(super) type ArgValue<'a> = Cow<'a, Value>;

fn path_failure(call: &Prepared, path: &str, e: PathError) -> Failure {
    match e {
        PathError::NotFound => {
            Failure::runtime(format!("The JSONPath '{path}' specified as an argument of {} could not be found in the input", call.name))
        }
        PathError::UnknownVariable(v) => Failure::runtime(format!("The variable '{v}' used in {} is not defined", call.name)),
        PathError::Invalid(m) => Failure::intrinsic(format!("{}: invalid path {path}: {m}", call.name)),
        PathError::TooCostly(m) => Failure::runtime(m),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Nested JsonToString doubles its text at each level: evaluation stops
    /// while it grows (26 levels once took 5.5 s and 155 MB).
    #[test]
    fn growing_text_stops_while_it_grows() {
        let expr = format!("{}$.a{}", "States.JsonToString(".repeat(26), ")".repeat(26));
        let started = std::time::Instant::now();
        let f = eval(&expr, serde_json::json!({"a": {"k": "x".repeat(800)}})).unwrap_err();
        assert_eq!(f.error, "States.DataLimitExceeded");
        assert!(started.elapsed() < std::time::Duration::from_secs(2), "{:?}", started.elapsed());
    }
    use rand::SeedableRng;
    use serde_json::json;

    fn eval(expr: &str, input: Value) -> Result<Value, Failure> {
        let ctx = json!({"StateMachine": {"Id": "arn:sm", "Name": "M"}});
        let roots = Roots { input: &input, context: &ctx, variables: None };
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        evaluate(expr, &roots, &mut rng)
    }

    #[test]
    fn math_add_rounds_half_up() {
        for (a, b, want) in [(1.49, 1.5, 3), (-1.5, 0.0, -1), (-1.51, 0.0, -2), (-2.5, 0.0, -2), (-0.5, 0.5, 1)] {
            assert_eq!(eval("States.MathAdd($.a, $.b)", json!({"a": a, "b": b})).unwrap(), json!(want), "{a} + {b}");
        }
    }

    #[test]
    fn format_prints_like_aws() {
        let r = eval("States.Format('x={} y={} z={}', $.s, $.n, $$.StateMachine)", json!({"s": "a", "n": null})).unwrap();
        assert_eq!(r, json!("x=a y=null z={Id=arn:sm, Name=M}"));
        assert!(eval("States.Format('{} {}', 1)", json!({})).is_err());
    }

    #[test]
    fn arrays_and_strings() {
        assert_eq!(eval("States.ArrayPartition(States.Array(0, 1, 2), 2)", json!({})).unwrap(), json!([[0, 1], [2]]));
        assert_eq!(eval("States.ArrayRange(0, 10, 3)", json!({})).unwrap(), json!([0, 3, 6, 9]));
        assert_eq!(eval("States.StringSplit(', , ,', ',')", json!({})).unwrap(), json!([" ", " "]));
        assert_eq!(eval("States.StringToJson(' ')", json!({})).unwrap(), json!(null));
        assert_eq!(eval("States.Hash('input data', 'MD5')", json!({})).unwrap(), json!("812f45842bc6d66ee14572ce20db8e86"));
        assert_eq!(eval("States.ArrayUnique(States.Array(1, 2, 1))", json!({})).unwrap(), json!([1, 2]));
        assert_eq!(eval("States.Base64Decode(States.Base64Encode('Data to encode'))", json!({})).unwrap(), json!("Data to encode"));
    }

    #[test]
    fn seeded_random_is_reproducible() {
        let a = eval("States.MathRandom(0, 999, 3)", json!({})).unwrap();
        assert_eq!(a, eval("States.MathRandom(0, 999, 3)", json!({})).unwrap());
        assert!((0..999).contains(&a.as_i64().unwrap()));
    }

    #[test]
    fn failures_are_intrinsic_failures() {
        let e = eval("States.ArrayGetItem(States.Array(1), 5)", json!({})).unwrap_err();
        assert_eq!(e.error, "States.IntrinsicFailure");
        assert_eq!(eval("States.MathAdd($.missing, 1)", json!({})).unwrap_err().error, "States.Runtime");
    }
}
