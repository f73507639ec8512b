//! Paths, payload templates, intrinsic functions and the item reader's
//! formats (CSV, JSON Lines). The first byte picks the evaluator, the rest
//! is its text.
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
    match which % 6 {
        0 => drop(paths::read(text, &roots)),
        1 => drop(paths::set(input.clone(), text, json!(1))),
        2 => drop(intrinsics::evaluate(text, &roots, &mut rng)),
        3 => drop(sfc_runtime::item_reader::items(text, Some(&reader("CSV")))),
        4 => drop(sfc_runtime::item_reader::items(text, Some(&reader("JSONL")))),
        _ => {
            if let Ok(t) = serde_json::from_str(text) {
                drop(template::evaluate(&t, &roots, &mut rng));
            }
        }
    }
});

fn reader(input_type: &str) -> sfc_asl::ReaderConfig {
    serde_json::from_value(json!({"InputType": input_type, "CSVHeaderLocation": "FIRST_ROW"})).expect("a reader config")
}
