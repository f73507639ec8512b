//! Paths, payload templates and intrinsic functions. The first byte picks
//! the evaluator, the rest is its text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rand::SeedableRng;
use serde_json::json;
use sfc_runtime::paths::{self, Roots};
use sfc_runtime::{intrinsics, template};

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let input = json!({"a": [1, 2, {"a": 3}], "b": {"c": null}, "s": "x,y"});
    let context = json!({"Execution": {"Id": "arn:aws:states:us-east-1:123456789012:execution:m:e", "Input": input}});
    let roots = Roots { input: &input, context: &context, variables: None };
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    match which % 4 {
        0 => drop(paths::read(text, &roots)),
        1 => drop(paths::set(input.clone(), text, json!(1))),
        2 => drop(intrinsics::evaluate(text, &roots, &mut rng)),
        _ => {
            if let Ok(t) = serde_json::from_str(text) {
                drop(template::evaluate(&t, &roots, &mut rng));
            }
        }
    }
});
