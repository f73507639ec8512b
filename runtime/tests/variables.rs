//! Workflow variables: Assign in both query languages, AWS's evaluation
//! order (a state's Assign and Output see the variables as they were when
//! it was entered), and scoping (branches and iterations read outer
//! variables; what they assign stays inside them).

use serde_json::{json, Value};
use sfc_asl::StateMachine;
use sfc_runtime::integration::Unavailable;
use sfc_runtime::{run, RunOptions, Status};

fn exec(def: Value, input: Value) -> sfc_runtime::Outcome {
    let m: StateMachine = serde_json::from_value(def).unwrap();
    run(&m, input, &Unavailable, &RunOptions::default())
}

#[test]
fn jsonpath_assign_reads_the_result_and_later_states_read_the_variable() {
    let out = exec(
        json!({"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Result": {"answer": 42}, "Assign": {"theAnswer.$": "$.answer", "label": "fixed"}, "Next": "B"},
            "B": {"Type": "Pass", "Parameters": {"a.$": "$theAnswer", "l.$": "$label"}, "End": true}}}),
        json!({}),
    );
    assert_eq!(out.output.unwrap(), json!({"a": 42, "l": "fixed"}));
}

#[test]
fn a_state_sees_variables_as_they_were_when_it_was_entered() {
    let out = exec(
        json!({"QueryLanguage": "JSONata", "StartAt": "A", "States": {
            "A": {"Type": "Pass", "Assign": {"x": 1}, "Next": "B"},
            "B": {"Type": "Pass", "Assign": {"x": "{% $x + 1 %}", "y": "{% $x %}"}, "Output": {"x": "{% $x %}"}, "Next": "C"},
            "C": {"Type": "Pass", "Output": {"x": "{% $x %}", "y": "{% $y %}"}, "End": true}}}),
        json!({}),
    );
    assert_eq!(out.status, Status::Succeeded, "{:?}", out.cause);
    let history_output = out.output.unwrap();
    assert_eq!(history_output, json!({"x": 2, "y": 1}), "B's Assign and Output saw x = 1");
}

#[test]
fn iterations_read_outer_variables_and_do_not_leak_their_own() {
    let out = exec(
        json!({"QueryLanguage": "JSONata", "StartAt": "Set", "States": {
            "Set": {"Type": "Pass", "Assign": {"base": 10}, "Next": "Each"},
            "Each": {"Type": "Map", "Items": "{% [1, 2, 3] %}",
                "ItemProcessor": {"StartAt": "Inner", "States": {
                    "Inner": {"Type": "Pass", "Assign": {"base": 0, "inner": true}, "Output": "{% $states.input + $base %}", "End": true}}},
                "Next": "After"},
            "After": {"Type": "Pass", "Output": {"sums": "{% $states.input %}", "base": "{% $base %}", "inner": "{% $exists($inner) %}"}, "End": true}}}),
        json!({}),
    );
    assert_eq!(out.output.unwrap(), json!({"sums": [11, 12, 13], "base": 10, "inner": false}));
}

#[test]
fn parallel_branches_are_scoped_too() {
    let out = exec(
        json!({"StartAt": "Set", "States": {
            "Set": {"Type": "Pass", "Assign": {"x": 42}, "Next": "P"},
            "P": {"Type": "Parallel", "Branches": [
                {"StartAt": "B1", "States": {"B1": {"Type": "Pass", "Assign": {"x": 0}, "Parameters": {"seen.$": "$x"}, "End": true}}}
            ], "Next": "After"},
            "After": {"Type": "Pass", "Parameters": {"branch.$": "$[0].seen", "outer.$": "$x"}, "End": true}}}),
        json!({}),
    );
    assert_eq!(out.output.unwrap(), json!({"branch": 42, "outer": 42}));
}

#[test]
fn catch_assign_and_output_see_the_error() {
    let out = exec(
        json!({"QueryLanguage": "JSONata", "StartAt": "P", "States": {
            "P": {"Type": "Parallel", "Branches": [{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Boom", "Cause": "bad"}}}],
                "Catch": [{"ErrorEquals": ["Boom"], "Assign": {"why": "{% $states.errorOutput.Cause %}"},
                    "Output": {"e": "{% $states.errorOutput.Error %}", "in": "{% $states.input %}"}, "Next": "Handle"}],
                "End": true},
            "Handle": {"Type": "Pass", "Output": {"e": "{% $states.input.e %}", "why": "{% $why %}"}, "End": true}}}),
        json!({"k": 1}),
    );
    assert_eq!(out.output.unwrap(), json!({"e": "Boom", "why": "bad"}));
}

#[test]
fn an_undefined_variable_is_a_query_evaluation_error_with_an_evaluation_failed_event() {
    let out = exec(
        json!({"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "Output": {"v": "{% $missing %}"}, "End": true}}}),
        json!({}),
    );
    assert_eq!(out.error.as_deref(), Some("States.QueryEvaluationError"));
    assert_eq!(
        out.cause.as_deref(),
        Some("An error occurred while executing the state 'A' (entered at the event id #2). The JSONata expression '$missing' specified for the field 'Output/v' returned nothing (undefined).")
    );
    let failed = out.history.iter().find(|e| e.kind == "EvaluationFailed").expect("EvaluationFailed event");
    assert_eq!(failed.details.get("location"), Some("Output/v"));
}

/// AWS's size limits on variables: 256 KiB for one variable and for one
/// Assign, 10 MiB for all an execution holds. Going past one fails the
/// state with States.DataLimitExceeded naming what was too big.
#[test]
fn variables_have_aws_size_limits() {
    let big = "x".repeat(200 * 1024);
    let one_too_big = exec(
        json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"v.$": "States.Format('{}{}', $.s, $.s)"}, "End": true}}}),
        json!({"s": big}),
    );
    assert_eq!(one_too_big.error.as_deref(), Some("States.DataLimitExceeded"));
    assert!(one_too_big.cause.unwrap().contains("The variable 'v'"));

    let assign_too_big = exec(
        json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"a.$": "$.s", "b.$": "$.s"}, "End": true}}}),
        json!({"s": big}),
    );
    assert_eq!(assign_too_big.error.as_deref(), Some("States.DataLimitExceeded"));
    assert!(assign_too_big.cause.unwrap().contains("one Assign can set at most"));

    // 60 states each keep a 200 KiB variable: 12 MB in all, past 10 MiB.
    let mut states = serde_json::Map::new();
    for i in 0..60 {
        let next = if i < 59 { json!({"Next": format!("S{}", i + 1)}) } else { json!({"End": true}) };
        let mut st = json!({"Type": "Pass", "Assign": {format!("v{i}.$"): "$.s"}});
        st.as_object_mut().unwrap().extend(next.as_object().unwrap().clone());
        states.insert(format!("S{i}"), st);
    }
    let too_many = exec(json!({"StartAt": "S0", "States": states}), json!({"s": big}));
    assert_eq!(too_many.error.as_deref(), Some("States.DataLimitExceeded"));
    assert!(too_many.cause.unwrap().contains("an execution can hold at most"));

    let fine = exec(json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"a.$": "$.s"}, "End": true}}}), json!({"s": big}));
    assert_eq!(fine.status, Status::Succeeded);
}

/// A variable JSONata made keeps the value JSONata made as its conversion
/// (not converted again from JSON when read): what later states read is
/// still the variable as JSON holds it, whatever made it (a loop that
/// appends to it, a sequence, a singleton found by a filter) and after a
/// JSONPath state assigns it anew.
#[test]
fn variables_jsonata_made_read_as_their_json() {
    let out = exec(
        json!({"QueryLanguage": "JSONata", "StartAt": "Init", "States": {
            "Init": {"Type": "Pass", "Assign": {"all": [], "i": 0}, "Next": "Append"},
            "Append": {"Type": "Pass", "Assign": {"all": "{% $append($all, $states.input.page) %}", "i": "{% $i + 1 %}"},
                "Next": "More"},
            "More": {"Type": "Choice", "Choices": [{"Condition": "{% $i < 3 %}", "Next": "Append"}], "Default": "Shapes"},
            "Shapes": {"Type": "Pass", "Assign": {"ids": "{% $all.id %}", "two": "{% $all[id = 2] %}", "doubled": "{% $all.(id * 2) %}",
                "nested": "{% $all.[id] %}", "x": "{% [1, 2] %}"}, "Next": "Again"},
            "Again": {"Type": "Pass", "QueryLanguage": "JSONPath", "Assign": {"x.$": "$.page[0]"}, "Next": "Read"},
            "Read": {"Type": "Succeed", "Output": {"count": "{% $count($all) %}", "last": "{% $all[-1] %}", "ids": "{% $ids %}",
                "first": "{% $ids[0] %}", "two": "{% $two %}", "twoType": "{% $type($two) %}", "doubled": "{% $doubled[1] %}",
                "nested": "{% $nested %}", "nestedFirst": "{% $nested[0] %}", "flat": "{% $nested.$ %}", "x": "{% $x.id %}"}}}}),
        json!({"page": [{"id": 1}, {"id": 2}]}),
    );
    assert_eq!(out.status, Status::Succeeded, "{:?}", out.cause);
    let expected = json!({"count": 6, "last": {"id": 2}, "ids": [1, 2, 1, 2, 1, 2], "first": 1, "two": [{"id": 2}, {"id": 2}, {"id": 2}],
        "twoType": "array", "doubled": 4, "nested": [[1], [2], [1], [2], [1], [2]], "nestedFirst": [1], "flat": [1, 2, 1, 2, 1, 2], "x": 1});
    assert_eq!(out.output.unwrap(), expected);
}
