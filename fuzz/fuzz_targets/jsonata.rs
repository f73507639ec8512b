//! JSONata as a state evaluates it: with `$states`, variables, Step
//! Functions' own functions and the time, depth and size bounds. An
//! evaluation binds the context, the variables and the functions only
//! where the expression can reach them; it must give the same answer as
//! one that binds them all, or that finding was wrong. What an Output
//! keeps of its value for the next state must read as the value's JSON
//! converted does.
#![no_main]
use jsonata_core::value::JValue;
use libfuzzer_sys::fuzz_target;
use serde_json::json;
use sfc_runtime::jsonata::{self, Env};

fuzz_target!(|data: &[u8]| {
    let Ok(expr) = std::str::from_utf8(data) else { return };
    let input = json!({"a": [1, 2, {"a": 3}], "s": "x,y"});
    let context = || JValue::from(json!({"Execution": {"Id": "arn:x", "Input": {"secret": 1}}}));
    let vars = json!({"x": 1, "items": [{"id": 1}, {"id": 2}], "s": "text", "f": null});
    let vars = sfc_runtime::variables::from_json(vars.as_object().cloned().expect("an object"));
    let env = Env::new(JValue::from(input), context, None, None, jsonata::Variables::new(&vars), 7);
    if let Err(why) = jsonata::check_reach(expr, &env).and_then(|_| jsonata::check_kept(expr, &env)) {
        panic!("{why}");
    }
});
