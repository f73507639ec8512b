//! Property smoke of the evaluators a definition reaches at run time:
//! paths, payload templates, intrinsic functions and JSONata. Inputs are
//! glued from tokens of each language, so most are near-misses of valid
//! text; the evaluators must answer every one with a value or a failure,
//! never a panic. The `fuzz/` targets explore the same entry points for
//! longer; this keeps a short version of them in `cargo test`.

use jsonata_core::value::JValue;
use proptest::prelude::*;
use rand::SeedableRng;
use serde_json::{json, Value};
use sfc_runtime::jsonata::{self, Env};
use sfc_runtime::paths::Roots;
use sfc_runtime::{intrinsics, paths, template};

const PATH_TOKENS: &[&str] =
    &["$", "$$", ".", "a", "b", "[", "]", "0", "-1", "*", "..", "[?(@.a > 1)]", "['a']", "'", ":", ",", "Execution", "Input"];
const INTRINSIC_TOKENS: &[&str] = &[
    "States.Format(",
    "States.MathAdd(",
    "States.JsonToString(",
    "States.StringToJson(",
    "States.Array(",
    "States.ArrayRange(",
    "States.ArrayPartition(",
    "States.StringSplit(",
    "States.Hash(",
    "States.Base64Encode(",
    "States.UUID(",
    "States.MathRandom(",
    "(",
    ")",
    ",",
    " ",
    "'{}'",
    "'a,b'",
    "'SHA-256'",
    "'\\''",
    "$.a",
    "$.s",
    "$$.Execution.Id",
    "1",
    "-3",
    "2.5",
    "1e308",
    "null",
    "true",
];
const JSONATA_TOKENS: &[&str] = &[
    "$states.input",
    ".a",
    "$",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ":",
    ";",
    ",",
    "+",
    "*",
    "&",
    "=",
    "?",
    "..",
    "$f := function($x){ $f($x) }",
    "$f(1)",
    "$sum",
    "$map",
    "$reduce",
    "$pad",
    "$string",
    "$parse",
    "$random()",
    "$uuid()",
    "$v",
    "$items",
    "$eval",
    "1",
    "1e308",
    "\"x\"",
    " ",
];

fn glued(tokens: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(tokens), 0..max).prop_map(|parts| parts.concat())
}

fn input() -> Value {
    json!({"a": [1, 2, {"a": 3}], "b": {"c": null}, "s": "x,y"})
}

fn variables() -> sfc_runtime::variables::VarMap {
    sfc_runtime::variables::from_json(
        json!({"v": 1, "items": [{"id": 1}, {"id": 2}], "unread": "x"}).as_object().cloned().unwrap_or_default(),
    )
}

fn context() -> Value {
    json!({"Execution": {"Id": "arn:aws:states:us-east-1:123456789012:execution:m:e", "Input": input()}})
}

fn with_roots<T>(f: impl FnOnce(&Roots) -> T) -> T {
    let (input, context) = (input(), context());
    f(&Roots { input: &input, context: &context, variables: None })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn paths_answer_every_text(path in glued(PATH_TOKENS, 12)) {
        let _ = with_roots(|roots| paths::read(&path, roots).map(|_| ()));
        let _ = paths::set(input(), &path, json!(1));
    }

    #[test]
    fn intrinsics_answer_every_text(call in glued(INTRINSIC_TOKENS, 16)) {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let _ = with_roots(|roots| intrinsics::evaluate(&call, roots, &mut rng).map(|_| ()));
    }

    /// A template whose keys end in `.$` mixes paths and intrinsics.
    #[test]
    fn templates_answer_every_text(path in glued(PATH_TOKENS, 8), call in glued(INTRINSIC_TOKENS, 10)) {
        let t = json!({"p.$": path, "nested": {"i.$": call, "plain": [1, {"x.$": "$"}]}});
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let _ = with_roots(|roots| template::evaluate(&t, roots, &mut rng).map(|_| ()));
    }

    #[test]
    fn jsonata_answers_every_text(expr in glued(JSONATA_TOKENS, 14)) {
        let vars = variables();
        let env = Env::new(JValue::from(input()), || JValue::from(context()), None, None, jsonata::Variables::new(&vars), 7);
        // Binding only what the expression can reach (the context, the
        // variables and functions it names) answers as binding all does.
        let checked = jsonata::check_reach(&expr, &env);
        prop_assert!(checked.is_ok(), "{:?}", checked);
        // What an Output keeps of its value for the next state reads as
        // the value converted from its JSON does.
        let kept = jsonata::check_kept(&expr, &env);
        prop_assert!(kept.is_ok(), "{:?}", kept);
    }
}
