//! JSONata expressions (`{% ... %}`) with Step Functions' `$states` object,
//! workflow variables and Step Functions' own functions (`$partition`,
//! `$range`, `$hash`, `$random`, `$uuid`, `$parse`), on jsonata-core.

mod bounds;
mod functions;
mod reach;
mod tree;

pub use bounds::{MAX_EVALUATION_BYTES, MAX_PAD_WIDTH};

use crate::alloc_budget;
use crate::error::Failure;
use crate::variables::{Var, VarMap};
use jsonata_core::ast::AstNode;
use jsonata_core::evaluator::{CancelToken, Context, Evaluator};
use jsonata_core::value::{JArray, JValue};
use serde_json::{Map, Number, Value};
use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

/// The error AWS raises for any JSONata failure.
pub const QUERY_EVALUATION_ERROR: &str = "States.QueryEvaluationError";

/// The inside of a `{% ... %}` string, or `None` for any other string.
pub fn expression(s: &str) -> Option<&str> {
    (s.len() >= 4 && s.starts_with("{%") && s.ends_with("%}")).then(|| &s[2..s.len() - 2])
}

/// What an expression can see: `$states` and the workflow variables, as
/// JSONata values. Those share their contents (`Rc`), so binding them for
/// each expression costs nothing, and a Map converts its input once, not
/// once per item. `$states.context` is built only when an expression that
/// can reach it is evaluated (see [`reach`]); a variable is converted
/// when an expression that names it is first evaluated.
pub struct Env<'a> {
    /// `$states.input`, which is also `$`.
    pub input: JValue,
    result: Option<JValue>,
    error_output: Option<JValue>,
    context: Box<dyn Fn() -> JValue + 'a>,
    /// `$states` without and with the context, each made when first needed.
    states: [OnceCell<JValue>; 2],
    pub variables: Variables<'a>,
    /// Seed for `$random()` and `$uuid()` in this evaluation.
    pub seed: u64,
}

impl<'a> Env<'a> {
    /// `$states` from its parts; `result` and `errorOutput` where the
    /// field can see them, `context` to build the context object.
    pub fn new(
        input: JValue,
        context: impl Fn() -> JValue + 'a,
        result: Option<JValue>,
        error_output: Option<JValue>,
        variables: Variables<'a>,
        seed: u64,
    ) -> Env<'a> {
        Env { input, result, error_output, context: Box::new(context), states: Default::default(), variables, seed }
    }

    /// `{input, context[, result][, errorOutput]}`, without `context` for
    /// an expression that cannot reach it.
    fn states(&self, with_context: bool) -> JValue {
        let make = || {
            let mut states = vec![("input".to_string(), self.input.clone())];
            if with_context {
                states.push(("context".to_string(), (self.context)()));
            }
            if let Some(r) = &self.result {
                states.push(("result".to_string(), r.clone()));
            }
            if let Some(e) = &self.error_output {
                states.push(("errorOutput".to_string(), e.clone()));
            }
            JValue::Object(Rc::new(states.into_iter().collect()))
        };
        self.states[usize::from(with_context)].get_or_init(make).clone()
    }
}

/// Workflow variables as expressions see them: each converted to a
/// JSONata value when an expression that names it is first evaluated, the
/// conversion kept with the variable (see [`crate::variables`]), so a
/// variable is converted once however many expressions read it, and
/// never when none does.
#[derive(Clone, Copy)]
pub struct Variables<'a> {
    values: &'a VarMap,
}

impl<'a> Variables<'a> {
    pub fn new(values: &'a VarMap) -> Self {
        Variables { values }
    }

    /// The variable `name` as a JSONata value.
    fn get(&self, name: &str) -> Option<JValue> {
        self.values.get(name).map(Var::jsonata)
    }
}

/// `v` as a JSONata value, as jsonata-core's `From<Value>` converts it but
/// read in place: converting a state's data costs one walk, not a copy
/// and a walk. The depth is that of a value sfc already holds.
pub fn converted(v: &Value) -> JValue {
    match v {
        Value::Null => JValue::Null,
        Value::Bool(b) => JValue::Bool(*b),
        Value::Number(n) => JValue::Number(n.as_f64().unwrap_or(0.0)),
        Value::String(s) => JValue::String(Rc::from(s.as_str())),
        Value::Array(items) => {
            // Known to hold no array, as jsonata-core marks its input.
            let flat = !items.iter().any(Value::is_array);
            JValue::Array(JArray::new_flat(items.iter().map(converted).collect(), flat))
        }
        Value::Object(m) => JValue::object(m.iter().map(|(k, v)| (k.clone(), converted(v))).collect()),
    }
}

/// Whether JSONata expression `expr` (the text between `{%` and `%}`)
/// can reach `$states.context`; one that does not parse counts as yes.
pub fn can_reach_context(expr: &str) -> bool {
    parse(expr).as_ref().as_ref().map_or(true, |p| p.reach.context)
}

/// An expression's syntax tree, and what it can reach.
struct Parsed {
    ast: AstNode,
    reach: reach::Reach,
}

/// Parsed expressions by their text (an error is kept as its message).
type ParsedCache = HashMap<String, Rc<Result<Parsed, String>>, foldhash::fast::RandomState>;

thread_local! {
    static PARSED: RefCell<ParsedCache> = RefCell::new(HashMap::default());
}

fn parse(src: &str) -> Rc<Result<Parsed, String>> {
    PARSED.with(|cache| {
        if let Some(p) = cache.borrow().get(src) {
            return p.clone();
        }
        let parsed = jsonata_core::parser::parse(src).map_err(|e| e.to_string()).map(|mut ast| {
            bounds::guard_pad_widths(&mut ast);
            Parsed { reach: reach::reach(&mut ast), ast }
        });
        let parsed = Rc::new(parsed);
        let mut c = cache.borrow_mut();
        if c.len() >= 4096 {
            c.clear();
        }
        c.insert(src.to_string(), parsed.clone());
        parsed
    })
}

/// A failed evaluation and the field it happened in (`Output/a/b`).
#[derive(Debug, Clone)]
pub struct EvalError {
    pub failure: Failure,
    pub location: String,
}

/// Evaluates one expression (the text between `{%` and `%}`) for `field`.
pub fn evaluate(expr: &str, field: &str, env: &Env) -> Result<Value, EvalError> {
    evaluate_at(expr, &Place::Field(field), env, false).map(|v| to_json(&v))
}

fn evaluate_at(expr: &str, place: &Place, env: &Env, seeing_all: bool) -> Result<JValue, EvalError> {
    evaluate_inner(expr, place, env, seeing_all).map_err(|failure| EvalError { failure, location: place.to_string() })
}

/// [`evaluate`] with `$states.context`, every variable and every function
/// bound whether or not the expression can reach them: what the fuzz
/// target `jsonata` holds [`reach`] and the choice of names to.
#[doc(hidden)]
pub fn evaluate_seeing_all(expr: &str, field: &str, env: &Env) -> Result<Value, EvalError> {
    evaluate_at(expr, &Place::Field(field), env, true).map(|v| to_json(&v))
}

/// Evaluates `expr` as a state does and as [`evaluate_seeing_all`] does:
/// the two must answer alike, bar what the time of day and the bounds on
/// time, depth and memory can part, or what [`reach`] found was wrong. What
/// the fuzz target `jsonata` and `tests/evaluators_never_panic.rs` require.
#[doc(hidden)]
pub fn check_reach(expr: &str, env: &Env) -> Result<(), String> {
    let answer = evaluate(expr, "Output", env);
    if ["$now", "$millis"].iter().any(|timed| expr.contains(timed)) {
        return Ok(());
    }
    let seeing = evaluate_seeing_all(expr, "Output", env);
    let cause = |r: &Result<Value, EvalError>| r.as_ref().err().and_then(|e| e.failure.cause.clone());
    let bound = |r| cause(r).is_some_and(|c| ["D1012", "U1001", "MiB of memory"].iter().any(|b| c.contains(b)));
    let alike = match (&answer, &seeing) {
        (Ok(a), Ok(b)) => a == b,
        (Err(_), Err(_)) => cause(&answer) == cause(&seeing),
        _ => false,
    };
    match alike || bound(&answer) || bound(&seeing) {
        true => Ok(()),
        false => Err(format!("{expr}: {answer:?} against {seeing:?}")),
    }
}

/// Whether the value an Output of `expr` keeps as JSONata sees it
/// ([`evaluate_template_keeping`]) is what the next state would have
/// converted from its JSON: the same JSON, and the same answers to
/// expressions that read it every way (its type, items, keys, paths,
/// descendants, flattening). What the fuzz target `jsonata` and
/// `tests/evaluators_never_panic.rs` require.
#[doc(hidden)]
pub fn check_kept(expr: &str, env: &Env) -> Result<(), String> {
    let Ok(Evaluated { json, jsonata: Some(kept) }) = evaluate_template_keeping(&Value::from(format!("{{%{expr}%}}")), "Output", env)
    else {
        return Ok(());
    };
    if to_json(&kept) != json {
        return Err(format!("{expr}: kept {} against {json}", to_json(&kept)));
    }
    const PROBES: [&str; 16] = [
        "$",
        "$type($)",
        "$count($)",
        "$[0]",
        "$[-1]",
        "$[]",
        "$.*",
        "$.**",
        "$keys($)",
        "$string($)",
        "[$]",
        "$.a",
        "$.$",
        "$map($, function($v, $i){ [$i, $v] })",
        "$reverse($)",
        "$ = $",
    ];
    let vars = VarMap::default();
    let answers = |input: &JValue| -> Vec<Result<Value, Option<String>>> {
        let env = Env::new(input.clone(), || JValue::Null, None, None, Variables::new(&vars), 0);
        PROBES.iter().map(|p| evaluate(p, "Output", &env).map_err(|e| e.failure.cause)).collect()
    };
    let (from_kept, from_json) = (answers(&kept), answers(&converted(&json)));
    match from_kept == from_json {
        true => Ok(()),
        false => Err(format!("{expr}: read back, {json} answers {from_kept:?} kept against {from_json:?} converted")),
    }
}

/// The value of `expr`: one a state can take (not undefined, not a function).
fn evaluate_inner(expr: &str, field: &Place, env: &Env, seeing_all: bool) -> Result<JValue, Failure> {
    let shown = expr.trim();
    let parsed = parse(expr);
    let parsed = match &*parsed {
        Ok(p) => p,
        Err(e) => {
            return Err(query_error(format!("The JSONata expression '{shown}' specified for the field '{field}' could not be parsed: {e}")))
        }
    };
    let named = |name: &str| seeing_all || parsed.reach.can_read(name);
    let mut ctx = Context::new();
    ctx.bind("states".into(), env.states(seeing_all || parsed.reach.context));
    // The variables it names, or all of them when `$eval` can name any.
    let all_names;
    let names = match seeing_all || parsed.reach.evaluates_text {
        true => {
            all_names = env.variables.values.keys().cloned().collect::<Vec<_>>();
            &all_names
        }
        false => &parsed.reach.names,
    };
    for name in names {
        if let Some(v) = env.variables.get(name) {
            ctx.bind(name.clone(), v);
        }
    }
    let cancel = CancelToken::new();
    let mut ev = Evaluator::with_options(ctx, bounds::options(&cancel));
    functions::register_functions(&mut ev, env.seed, &named);
    if named("pad") {
        bounds::register_guards(&mut ev);
    }
    let memory = alloc_budget::Scope::enter(&cancel, MAX_EVALUATION_BYTES);
    let result = ev.evaluate(&parsed.ast, &env.input);
    if memory.tripped() {
        return Err(query_error(format!(
            "The JSONata expression '{shown}' specified for the field '{field}' threw an error during evaluation. \
             It held more than {} MiB of memory, the bound sfc sets on one expression.",
            MAX_EVALUATION_BYTES >> 20
        )));
    }
    drop(memory);
    match result {
        Ok(v) if v.is_undefined() => {
            Err(query_error(format!("The JSONata expression '{shown}' specified for the field '{field}' returned nothing (undefined).")))
        }
        Ok(v) if v.is_function() => Err(query_error(format!(
            "The JSONata expression '{shown}' specified for the field '{field}' returned an unsupported result type."
        ))),
        Ok(v) => Ok(v),
        Err(e) => Err(query_error(format!(
            "The JSONata expression '{shown}' specified for the field '{field}' threw an error during evaluation. {}",
            js_message(e.message())
        ))),
    }
}

/// Evaluates every `{% %}` string inside a JSON template; other values are
/// literals. `field` names the template (`Output`), and inner positions
/// are named the way AWS names them (`Output/a/b`, `Output/values[0]`).
pub fn evaluate_template(template: &Value, field: &str, env: &Env) -> Result<Value, EvalError> {
    evaluate_template_at(template, &Place::Field(field), env)
}

/// [`evaluate_template`], with the value also as JSONata sees it (what
/// [`converted`] makes of its JSON) when the template is one expression
/// whose result is plain data: a state's Output hands it to the next
/// state, whose input then need not be converted. Other templates (an
/// object of parts) keep nothing: building their value again would cost
/// every state what only some next states save.
pub fn evaluate_template_keeping(template: &Value, field: &str, env: &Env) -> Result<Evaluated, EvalError> {
    keeping_at(template, &Place::Field(field), env)
}

fn keeping_at(template: &Value, place: &Place, env: &Env) -> Result<Evaluated, EvalError> {
    match template.as_str().and_then(expression) {
        Some(e) => {
            let v = evaluate_at(e, place, env, false)?;
            Ok(Evaluated { json: to_json(&v), jsonata: plain_data(&v).then_some(v) })
        }
        None => Ok(Evaluated { json: evaluate_template_at(template, place, env)?, jsonata: None }),
    }
}

/// An Assign's variables. One expression whose result is plain data
/// gives its variable as JSONata made it, not written as JSON (see
/// [`crate::variables`]): a loop that appends to a variable does not
/// convert the whole of it each turn. `template` must be an object.
pub fn evaluate_assign(template: &Map<String, Value>, env: &Env) -> Result<VarMap, EvalError> {
    let mut vars = VarMap::with_capacity_and_hasher(template.len(), Default::default());
    for (name, v) in template {
        let place = Place::Key(&Place::Field("Assign"), name);
        let var = match v.as_str().and_then(expression) {
            Some(e) => match evaluate_at(e, &place, env, false)? {
                j if plain_data(&j) => Var::Jsonata(j, OnceCell::new()),
                j => Var::from(to_json(&j)),
            },
            None => Var::from(evaluate_template_at(v, &place, env)?),
        };
        vars.insert(name.clone(), var);
    }
    Ok(vars)
}

/// A template's value as JSON and, when kept, as a JSONata value.
pub struct Evaluated {
    pub json: Value,
    pub jsonata: Option<JValue>,
}

fn evaluate_template_at(template: &Value, place: &Place, env: &Env) -> Result<Value, EvalError> {
    match template {
        Value::String(s) => match expression(s) {
            Some(e) => evaluate_at(e, place, env, false).map(|v| to_json(&v)),
            None => Ok(template.clone()),
        },
        Value::Object(m) => {
            let mut out = Map::with_capacity(m.len());
            for (k, v) in m {
                out.insert(k.clone(), evaluate_template_at(v, &Place::Key(place, k), env)?);
            }
            Ok(Value::Object(out))
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| evaluate_template_at(v, &Place::Index(place, i), env))
            .collect::<Result<_, _>>()
            .map(Value::Array),
        other => Ok(other.clone()),
    }
}

/// Whether `v` is plain data: what [`converted`] would make of
/// [`to_json`]'s JSON of it, but for the shortcut of a flat array's flag,
/// which is only ever a shortcut. A sequence (or any other flagged array),
/// a number JSON cannot hold as it is (infinite, -0), undefined, a
/// function or a regex is not.
pub(crate) fn plain_data(v: &JValue) -> bool {
    match v {
        JValue::Null | JValue::Bool(_) | JValue::String(_) => true,
        JValue::Number(n) => n.is_finite() && !(*n == 0.0 && n.is_sign_negative()),
        JValue::Array(a) => {
            let flagged = a.sequence || a.cons || a.keep_singleton || a.outer_wrapper || a.sorted_tuples;
            !flagged && a.iter().all(plain_data)
        }
        JValue::Object(m) => m.values().all(plain_data),
        _ => false,
    }
}

/// Where a value is in a field's template, written out (`Output/a/b`,
/// `Output/values[0]`) only when an error names it.
enum Place<'a> {
    Field(&'a str),
    Key(&'a Place<'a>, &'a str),
    Index(&'a Place<'a>, usize),
}

impl std::fmt::Display for Place<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Place::Field(name) => f.write_str(name),
            Place::Key(outer, key) => write!(f, "{outer}/{key}"),
            Place::Index(outer, i) => write!(f, "{outer}[{i}]"),
        }
    }
}

/// jsonata-core adds the function's name to T1006; jsonata-js, whose
/// messages AWS passes on, does not.
fn js_message(m: &str) -> &str {
    match m.strip_prefix("T1006: Attempted to invoke a non-function") {
        Some(_) => "T1006: Attempted to invoke a non-function",
        None => m,
    }
}

pub fn query_error(cause: String) -> Failure {
    Failure::new(QUERY_EVALUATION_ERROR, cause)
}

/// JSON from a JSONata value: whole numbers print as integers, as AWS
/// prints them.
pub fn to_json(v: &JValue) -> Value {
    match v {
        JValue::Number(n) if n.fract() == 0.0 && n.abs() < 9.007_199_254_740_992e15 => Value::from(*n as i64),
        JValue::Number(n) => Number::from_f64(*n).map_or(Value::Null, Value::Number),
        JValue::Array(items) => Value::Array(items.iter().map(to_json).collect()),
        JValue::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), to_json(v))).collect()),
        other => Value::from(other),
    }
}

/// How long [`to_json`]'s JSON of `v` is, compact, without writing it:
/// [`crate::size::json_len`]'s count on JSONata's value type. (Sharing the
/// array and object arithmetic through iterators cost that function, which
/// every state's payload check calls, about 150 instructions a Pass chain.)
pub fn json_len(v: &JValue) -> usize {
    match v {
        JValue::String(s) => crate::size::string_len(s),
        JValue::Array(items) => 2 + items.len().saturating_sub(1) + items.iter().map(json_len).sum::<usize>(),
        JValue::Object(m) => {
            2 + m.len().saturating_sub(1) + m.iter().map(|(k, v)| crate::size::string_len(k) + 1 + json_len(v)).sum::<usize>()
        }
        scalar => crate::size::json_len(&to_json(scalar)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn env(vars: &VarMap) -> Env<'_> {
        let input = JValue::from(json!({"a": 2, "items": [1, 2, 3]}));
        Env::new(input, || JValue::from(json!({})), None, None, Variables::new(vars), 1)
    }

    #[test]
    fn runaway_expressions_end_with_a_query_evaluation_error() {
        let vars = VarMap::default();
        for expr in
            ["($f := function(){ $f() }; $f())", "$reduce($range(1, 10000000), function($a, $b){ $a + $b })", "$count([1..20000000])"]
        {
            let started = std::time::Instant::now();
            let f = evaluate(expr, "Output", &env(&vars)).unwrap_err().failure;
            assert_eq!(f.error, "States.QueryEvaluationError", "{expr}");
            assert!(started.elapsed() < std::time::Duration::from_secs(10), "{expr} took {:?}", started.elapsed());
        }
    }

    #[test]
    fn memory_and_pad_width_are_bounded() {
        let doubling = "($f := function($s, $n){ $n = 0 ? $length($s) : $f($s & $s, $n - 1) }; $f('x', 34))";
        let started = std::time::Instant::now();
        let cause = eval(doubling).unwrap_err();
        assert!(cause.contains("more than 128 MiB of memory"), "{cause}");
        assert!(eval("$pad('x', 1e9)").unwrap_err().contains("wider than the 16777216 characters"));
        assert!(eval("$pad('x', -1e9, '#')").unwrap_err().contains("wider than"));
        // The guard is sfc's, out of an expression's reach (found by fuzzing:
        // it was a function where $pad was named, undefined elsewhere).
        let vars = VarMap::default();
        for e in ["$sfcPadArgument", "[$pad('a', 2), $sfcPadArgument(5)]"] {
            assert_eq!(check_reach(e, &env(&vars)), Ok(()), "{e}");
        }
        assert!(eval("[$pad('a', 2), $sfcPadArgument(5)]").unwrap_err().contains("T1006"));
        assert!(started.elapsed() < std::time::Duration::from_secs(10), "took {:?}", started.elapsed());
        // The guard leaves $pad as it was: signatures, the context, every argument.
        assert_eq!(eval("$pad('ab', -5, '#')").unwrap(), json!("###ab"));
        assert_eq!(eval("'ab' ~> $pad(4)").unwrap(), json!("ab  "));
        assert_eq!(eval("$pad('ab', 1000)").unwrap().as_str().unwrap().len(), 1000);
        assert_eq!(eval("$length($pad('x', 16777216, 'y'))").unwrap(), json!(16777216));
        assert!(eval("$pad(1, 2)").unwrap_err().contains("T0410"));
    }

    #[test]
    fn evaluates_with_states_and_variables() {
        let mut vars = VarMap::default();
        vars.insert("x".into(), Var::from(json!(40)));
        let e = env(&vars);
        assert_eq!(evaluate(" $states.input.a + $x ", "Output", &e).unwrap(), json!(42));
        assert_eq!(
            evaluate_template(&json!({"s": "{% $sum($states.input.items) %}", "lit": "$x"}), "Output", &e).unwrap(),
            json!({"s": 6, "lit": "$x"})
        );
    }

    /// An Output of one expression keeps its value as JSONata had it only
    /// when that is the value its JSON converts to: plain data; never a
    /// sequence, a flagged array, -0, a function.
    #[test]
    fn an_output_keeps_its_value_only_as_its_json_would_convert() {
        let vars = VarMap::default();
        let env = env(&vars);
        let kept = |template: Value| evaluate_template_keeping(&template, "Output", &env).unwrap().jsonata.map(|j| to_json(&j));
        let plain = [
            json!("{% $states.input %}"),
            json!("{% $states.input.items %}"),
            json!("{% {'n': $states.input.a + 1, 'list': [1, 'two', null, true]} %}"),
            json!("{% 1.5 %}"),
        ];
        for t in plain {
            let json = evaluate_template(&t, "Output", &env).unwrap();
            assert_eq!(kept(t.clone()), Some(json), "{t}");
        }
        // Arrays a path made of arrays (`.[$]`) read otherwise than their JSON.
        for e in ["$states.input.items.($ * 2)", "$states.input.items.[$]", "[[1], 2].$", "-0", "{'f': function($x){ $x }}"] {
            assert_eq!(kept(json!(format!("{{% {e} %}}"))), None, "{e}");
        }
        // Kept or not, what is kept reads as the JSON converted.
        for e in ["$states.input", "[1, 2][]", "$states.input.items.[$]", "{'a': [[1]]}", "$states.input.items[$ > 1]", "$string(1)"] {
            assert_eq!(check_kept(e, &env), Ok(()), "{e}");
        }
        assert_eq!(kept(json!({"n": "{% $states.input.a %}"})), None, "a template of parts keeps nothing");
    }

    fn eval(expr: &str) -> Result<Value, String> {
        let vars = VarMap::default();
        let env = env(&vars);
        evaluate(expr, "Output", &env).map_err(|e| e.failure.cause.unwrap_or_default())
    }

    #[test]
    fn partition_chunks_an_array() {
        assert_eq!(eval("$partition([1,2,3], 2)").unwrap(), json!([[1, 2], [3]]));
        // Registered for `$eval` too, which calls by a name its text makes.
        assert_eq!(eval("$eval('$part' & 'ition([1,2,3], 2)')").unwrap(), json!([[1, 2], [3]]));
        assert_eq!(eval("$partition([1,2,3], 5)").unwrap(), json!([[1, 2, 3]]));
        assert!(eval("$partition([1,2,3], 0)").unwrap_err().contains("positive integer"));
        assert!(eval("$partition('abc', 2)").unwrap_err().contains("must be an array"));
    }

    #[test]
    fn range_includes_the_end_and_counts_down() {
        assert_eq!(eval("$range(0, 10, 5)").unwrap(), json!([0, 5, 10]));
        assert_eq!(eval("$range(3, 1, -1)").unwrap(), json!([3, 2, 1]));
        assert!(eval("$range(0, 10, 0)").unwrap_err().contains("step must not be 0"));
        assert!(eval("$range(0, 5000, 1)").unwrap_err().contains("more than 1000"));
    }

    #[test]
    fn hash_supports_aws_algorithms() {
        assert_eq!(eval("$hash('input data', 'MD5')").unwrap(), json!("812f45842bc6d66ee14572ce20db8e86"));
        assert_eq!(eval("$hash('abc', 'SHA-1')").unwrap(), json!("a9993e364706816aba3e25717850c26c9cd0d89d"));
        assert_eq!(eval("$hash('abc', 'SHA-256')").unwrap(), json!("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        assert!(eval("$hash('abc', 'CRC32')").is_err());
        assert!(eval("$hash('abc')").unwrap_err().contains("algorithm"));
    }

    #[test]
    fn random_is_seedable_and_in_unit_interval() {
        assert_eq!(eval("$random(7)").unwrap(), eval("$random(7)").unwrap());
        assert_ne!(eval("$random(7)").unwrap(), eval("$random(8)").unwrap());
        let r = eval("$random()").unwrap().as_f64().unwrap();
        assert!((0.0..1.0).contains(&r));
        assert!(eval("$random('x')").unwrap_err().contains("seed must be a number"));
    }

    #[test]
    fn uuid_is_a_version_4_uuid() {
        let u = eval("$uuid()").unwrap();
        let u = uuid::Uuid::parse_str(u.as_str().unwrap()).unwrap();
        assert_eq!(u.get_version_num(), 4);
        assert_ne!(eval("[$uuid(), $uuid()]").unwrap()[0], eval("[$uuid(), $uuid()]").unwrap()[1]);
    }

    #[test]
    fn parse_reads_json_text() {
        assert_eq!(eval("$parse('{\"k\": [1]}')").unwrap(), json!({"k": [1]}));
        assert!(eval("$parse('{oops')").unwrap_err().contains("not JSON"));
    }

    #[test]
    fn failures_name_the_field() {
        let vars = VarMap::default();
        let e = env(&vars);
        let f = evaluate("$nope", "Output/result", &e).unwrap_err().failure;
        assert_eq!(f.error, QUERY_EVALUATION_ERROR);
        assert_eq!(
            f.cause.unwrap(),
            "The JSONata expression '$nope' specified for the field 'Output/result' returned nothing (undefined)."
        );
        // Inside a template, the place is named from the field down.
        let template = json!({"a": [1, {"b": "{% $nope %}"}], "c": "{% 1 %}"});
        let failed = evaluate_template(&template, "Arguments", &e).unwrap_err();
        assert_eq!(failed.location, "Arguments/a[1]/b");
        assert!(failed.failure.cause.unwrap().contains("for the field 'Arguments/a[1]/b' returned nothing"));
    }

    proptest::proptest! {
        /// Converting in place gives what jsonata-core's own conversion
        /// gives, the arrays' flags included.
        #[test]
        fn converting_in_place_matches_jsonata_core(v in crate::paths::tests::small_json()) {
            proptest::prop_assert!(converted(&v) == JValue::from(v.clone()), "{v}");
        }
    }
}
