//! JSONata as a state evaluates it: with `$states`, Step Functions' own
//! functions and the time, depth and size bounds.
#![no_main]
use jsonata_core::value::JValue;
use libfuzzer_sys::fuzz_target;
use serde_json::json;
use sfc_runtime::jsonata::{self, Env};

fuzz_target!(|data: &[u8]| {
    let Ok(expr) = std::str::from_utf8(data) else { return };
    let input = json!({"a": [1, 2, {"a": 3}], "s": "x,y"});
    let env = Env::new(JValue::from(input), JValue::from(json!({"Execution": {}})), None, None, Default::default(), 7);
    let _ = jsonata::evaluate(expr, "Output", &env);
});
