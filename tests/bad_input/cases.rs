//! The rows of the bad-input table (see tests/bad_input.rs).

pub enum Input {
    Text(&'static str),
    /// Too big or too regular to write out here.
    Made(fn() -> Vec<u8>),
    /// A named pipe nobody writes to.
    Fifo,
}

pub struct Case {
    pub class: &'static str,
    /// The input, as the table describes it.
    pub input: &'static str,
    /// Files made in the row's scratch folder (also the working folder).
    pub files: &'static [(&'static str, Input)],
    /// `{d}` is the scratch folder.
    pub args: &'static [&'static str],
    /// Standard output is /dev/full.
    pub stdout_full: bool,
    pub exit: i32,
    /// Words the output must contain.
    pub says: &'static str,
}

const PASS_ASL: &str = r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}"#;
const TASK_ASL: &str = r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"}, "End": true}}}"#;

fn mock(response: &str) -> Vec<u8> {
    format!(r#"{{"StateMachines": {{"m": {{"TestCases": {{"c": {{"T": "R"}}}}}}}}, "MockedResponses": {{"R": {{"0": {response}}}}}}}"#)
        .into_bytes()
}

fn one_line_asl_with_late_error() -> Vec<u8> {
    let comment = "x".repeat(70_000);
    format!(r#"{{"Comment": "{comment}", "StartAt": "P", "States": {{"P": {{"Type": "Pass", "Next": "Nowhere"}}}}}}"#).into_bytes()
}

fn deep_arrays_asl() -> Vec<u8> {
    format!(
        r#"{{"StartAt": "P", "States": {{"P": {{"Type": "Pass", "Result": {}1{}, "End": true}}}}}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    )
    .into_bytes()
}

fn deep_intrinsic_asl() -> Vec<u8> {
    let call = "States.MathAdd(".repeat(20_000) + "1" + &", 1)".repeat(20_000);
    format!(r#"{{"StartAt": "P", "States": {{"P": {{"Type": "Pass", "Parameters": {{"x.$": "{call}"}}, "End": true}}}}}}"#).into_bytes()
}

fn json_to_string_26_deep() -> Vec<u8> {
    let call = "States.JsonToString(".repeat(26) + "$" + &")".repeat(26);
    format!(r#"{{"StartAt": "P", "States": {{"P": {{"Type": "Pass", "Parameters": {{"x.$": "{call}"}}, "End": true}}}}}}"#).into_bytes()
}

/// A Choice rule with an unknown field a megabyte long: "did you mean"
/// once compared it with every operator, character by character.
fn megabyte_field_name() -> Vec<u8> {
    let field = format!("TimestampGreater{}", "a".repeat(1_000_000));
    format!(r#"{{"StartAt": "C", "States": {{"C": {{"Type": "Choice", "Choices": [{{"Variable": "$.t", "{field}": 1, "Next": "D"}}], "Default": "D"}}, "D": {{"Type": "Succeed"}}}}}}"#)
        .into_bytes()
}

/// 20,000 Pass states with an unknown field each, minified on one line:
/// each finding's position was once found from the start of the file.
fn many_findings_on_one_line() -> Vec<u8> {
    let states: Vec<String> = (0..20_000).map(|i| format!(r#""S{i}":{{"Type":"Pass","Bogus":1,"Next":"S{}"}}"#, i + 1)).collect();
    format!(r#"{{"StartAt":"S0","States":{{{},"S20000":{{"Type":"Succeed"}}}}}}"#, states.join(",")).into_bytes()
}

/// 5,000 states and a goto to a misspelt name of each: every finding was
/// once rendered from a copy of the whole file.
fn many_missing_gotos() -> Vec<u8> {
    let states = (0..5_000).map(|i| format!("pass State{i:04}\n"));
    let gotos = (0..5_000).map(|i| format!("goto Stat{i:04}\n"));
    states.chain(gotos).collect::<String>().into_bytes()
}

/// An object 100 deep: `{"a": {"a": ... {}}}`.
fn chain_100_deep() -> Vec<u8> {
    ("{\"a\": ".repeat(100) + "{}" + &"}".repeat(100)).into_bytes()
}

/// A chain 120 deep over an array of 20,000 numbers: `$..*` lists the
/// array once per ancestor.
fn chain_over_a_wide_array() -> Vec<u8> {
    let array = format!("[{}]", vec!["0"; 20_000].join(","));
    ("{\"a\": ".repeat(120) + &array + &"}".repeat(120)).into_bytes()
}

/// 38,000 distinct numbers (just under the 256 KiB input limit).
fn many_distinct_numbers() -> Vec<u8> {
    format!("{{\"a\": [{}]}}", (0..38_000).map(|i| i.to_string()).collect::<Vec<_>>().join(",")).into_bytes()
}

fn nested_ifs() -> Vec<u8> {
    ("if $.a == 1 {\n".repeat(3000) + "pass P\n" + &"}\n".repeat(3000)).into_bytes()
}

fn nested_parens() -> Vec<u8> {
    format!("if {}$.a == 1{} {{ pass P }}\n", "(".repeat(3000), ")".repeat(3000)).into_bytes()
}

fn chained_nots() -> Vec<u8> {
    format!("if {} $.a == 1 {{ pass P }}\n", "not ".repeat(10_000)).into_bytes()
}

fn nested_parallels() -> Vec<u8> {
    ("parallel {\n  branch {\n".repeat(1000) + "pass P\n" + &"  }\n}\n".repeat(1000)).into_bytes()
}

fn twenty_thousand_states() -> Vec<u8> {
    (0..20_000).map(|i| format!("pass State_number_{i} result {{ padding: \"{}\" }}\n", "p".repeat(40))).collect::<String>().into_bytes()
}

fn ten_thousand_states() -> Vec<u8> {
    (0..10_000).map(|i| format!("pass S{i}\n")).collect::<String>().into_bytes()
}

fn bom_asl() -> Vec<u8> {
    [b"\xEF\xBB\xBF".as_slice(), PASS_ASL.as_bytes()].concat()
}

fn latin1_asl() -> Vec<u8> {
    b"{\"Comment\": \"caf\xe9\"}".to_vec()
}

fn delay_1e300() -> Vec<u8> {
    mock(r#"{"Return": 1, "DelaySeconds": 1e300}"#)
}

fn returns_one() -> Vec<u8> {
    mock(r#"{"Return": 1}"#)
}

fn misspelt_return() -> Vec<u8> {
    mock(r#"{"Retrun": 1}"#)
}

fn numeric_error() -> Vec<u8> {
    mock(r#"{"Throw": {"Error": 42}}"#)
}

fn runaway_jsonata() -> Vec<u8> {
    br#"{"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass", "Output": "{% ($f := function(){ $f() }; $f()) %}", "End": true}}}"#.to_vec()
}

fn huge_reduce() -> Vec<u8> {
    br#"{"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass", "Output": "{% $reduce([1..10000000], function($a, $b){ $a + $b }) %}", "End": true}}}"#.to_vec()
}

fn huge_pad() -> Vec<u8> {
    br#"{"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass", "Output": "{% $pad('x', 1000000000) %}", "End": true}}}"#.to_vec()
}

fn doubling_string() -> Vec<u8> {
    br#"{"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass", "Output": "{% ($f := function($s, $n){ $n = 0 ? $s : $f($s & $s, $n - 1) }; $f('x', 40)) %}", "End": true}}}"#.to_vec()
}

const fn row(
    class: &'static str,
    input: &'static str,
    files: &'static [(&'static str, Input)],
    args: &'static [&'static str],
    exit: i32,
    says: &'static str,
) -> Case {
    Case { class, input, files, args, stdout_full: false, exit, says }
}

const fn to_full(mut c: Case) -> Case {
    c.stdout_full = true;
    c
}

pub const CASES: &[Case] = &[
    // Files that are not what they should be.
    row("missing file", "no such file", &[], &["validate", "{d}/nope.json"], 2, "nope.json: cannot be read"),
    row("a folder", "a directory", &[], &["validate", "{d}"], 2, "is a directory"),
    row("a device", "/dev/zero as the definition", &[], &["validate", "/dev/zero"], 2, "not a regular file"),
    row("a named pipe", "a FIFO nobody writes to", &[("wf.sfc", Input::Fifo)], &["compile", "{d}/wf.sfc"], 2, "not a regular file"),
    row(
        "empty definition",
        "an empty .json file",
        &[("e.json", Input::Text(""))],
        &["validate", "{d}/e.json"],
        1,
        "the definition is empty",
    ),
    row("not JSON", "`{`", &[("b.json", Input::Text("{"))], &["validate", "{d}/b.json"], 1, "unexpected end of file"),
    row(
        "JSON but not an object",
        "`[]`",
        &[("a.json", Input::Text("[]"))],
        &["validate", "{d}/a.json"],
        1,
        "is a JSON object, not an array",
    ),
    row("not UTF-8", "Latin-1 bytes", &[("l.json", Input::Made(latin1_asl))], &["validate", "{d}/l.json"], 1, "not valid UTF-8"),
    row(
        "byte order mark",
        "UTF-8 BOM before valid ASL",
        &[("bom.json", Input::Made(bom_asl))],
        &["validate", "{d}/bom.json"],
        0,
        "bom.json: valid (0 errors",
    ),
    row(
        "duplicate keys",
        "a key twice in one object",
        &[("d.json", Input::Text(r#"{"StartAt": "P", "StartAt": "Q", "States": {}}"#))],
        &["validate", "{d}/d.json"],
        1,
        "duplicate key \"StartAt\"",
    ),
    // ASL mistakes.
    row(
        "missing StartAt",
        "States only",
        &[("s.json", Input::Text(r#"{"States": {"P": {"Type": "Pass", "End": true}}}"#))],
        &["validate", "{d}/s.json"],
        1,
        "StartAt is missing",
    ),
    row(
        "unknown Next",
        "Next names no state",
        &[("n.json", Input::Text(r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "Next": "Q"}}}"#))],
        &["validate", "{d}/n.json"],
        1,
        "there is no state named \"Q\"",
    ),
    row(
        "unknown state type",
        "\"Type\": \"Pas\"",
        &[("t.json", Input::Text(r#"{"StartAt": "P", "States": {"P": {"Type": "Pas", "End": true}}}"#))],
        &["validate", "{d}/t.json"],
        1,
        "Pass",
    ),
    row(
        "malformed path",
        "\"InputPath\": \"$.a[\"",
        &[("p.json", Input::Text(r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "InputPath": "$.a[", "End": true}}}"#))],
        &["validate", "{d}/p.json"],
        1,
        "is not a valid path: unclosed '['",
    ),
    row(
        "Format placeholders",
        "two {} and one argument",
        &[(
            "f.json",
            Input::Text(
                r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"x.$": "States.Format('{} {}', $.a)"}, "End": true}}}"#,
            ),
        )],
        &["validate", "{d}/f.json"],
        1,
        "has 2 {} placeholder(s) and 1 argument(s)",
    ),
    row(
        "error past column 65,535",
        "minified one-line ASL, 70,000 columns",
        &[("m.json", Input::Made(one_line_asl_with_late_error))],
        &["validate", "{d}/m.json"],
        1,
        "no state named \"Nowhere\"",
    ),
    row(
        "deep JSON",
        "10,000 nested arrays in Result",
        &[("deep.json", Input::Made(deep_arrays_asl))],
        &["validate", "{d}/deep.json"],
        1,
        "nested more than 512 levels deep",
    ),
    row(
        "deep intrinsic",
        "States.MathAdd nested 20,000 deep",
        &[("i.json", Input::Made(deep_intrinsic_asl))],
        &["validate", "{d}/i.json"],
        1,
        "intrinsic calls nest more than 100 deep",
    ),
    // Workflow language mistakes.
    row("empty workflow", "an empty .sfc file", &[("e.sfc", Input::Text(""))], &["compile", "{d}/e.sfc"], 0, "no statements"),
    row("misspelt keyword", "`pas P`", &[("k.sfc", Input::Text("pas P\n"))], &["compile", "{d}/k.sfc"], 1, "did you mean"),
    row(
        "duplicate case",
        "`case \"a\"` twice",
        &[("c.sfc", Input::Text("switch $.kind {\n  case \"a\" { pass A }\n  case \"a\" { pass B }\n}\n"))],
        &["compile", "{d}/c.sfc"],
        1,
        "duplicate case",
    ),
    row(
        "duplicate state name",
        "two states named P",
        &[("n.sfc", Input::Text("pass P\npass P\n"))],
        &["compile", "{d}/n.sfc"],
        1,
        "duplicate state name",
    ),
    row("deep blocks", "3,000 nested `if`", &[("i.sfc", Input::Made(nested_ifs))], &["compile", "{d}/i.sfc"], 1, "more than 200"),
    row(
        "deep parentheses",
        "3,000 parentheses in a condition",
        &[("p.sfc", Input::Made(nested_parens))],
        &["compile", "{d}/p.sfc"],
        1,
        "more than 200",
    ),
    row("long `not` chain", "10,000 chained `not`", &[("n.sfc", Input::Made(chained_nots))], &["compile", "{d}/n.sfc"], 1, "more than 200"),
    row(
        "deep parallel",
        "1,000 nested `parallel`",
        &[("p.sfc", Input::Made(nested_parallels))],
        &["compile", "{d}/p.sfc"],
        1,
        "more than 200",
    ),
    row(
        "import cycle",
        "a file importing itself",
        &[("c.sfc", Input::Text("import \"c.sfc\"\npass P\n"))],
        &["compile", "{d}/c.sfc"],
        1,
        "import cycle",
    ),
    row(
        "import of a device",
        "`import \"/dev/zero\"`",
        &[("z.sfc", Input::Text("import \"/dev/zero\"\npass P\n"))],
        &["compile", "{d}/z.sfc"],
        1,
        "cannot import \"/dev/zero\"",
    ),
    row(
        "missing import",
        "`import \"gone.sfc\"`",
        &[("g.sfc", Input::Text("import \"gone.sfc\"\npass P\n"))],
        &["compile", "{d}/g.sfc"],
        1,
        "gone.sfc",
    ),
    row(
        "--set of the wrong type",
        "`--set n=abc` where n is a number",
        &[("s.sfc", Input::Text("param n = 3\nwait W seconds ${n}\n"))],
        &["compile", "{d}/s.sfc", "--set", "n=abc"],
        1,
        "n",
    ),
    row(
        "--set of an unknown parameter",
        "`--set nope=1`",
        &[("u.sfc", Input::Text("pass P\n"))],
        &["compile", "{d}/u.sfc", "--set", "nope=1"],
        1,
        "nope",
    ),
    row(
        "definition over 1 MiB",
        "20,000 padded states",
        &[("big.sfc", Input::Made(twenty_thousand_states))],
        &["compile", "{d}/big.sfc"],
        1,
        "AWS accepts at most 1048576 (1 MiB)",
    ),
    row("graph of many states", "10,000 states", &[("g.sfc", Input::Made(ten_thousand_states))], &["graph", "{d}/g.sfc"], 0, "S9999"),
    row(
        "path ending inside an escape",
        "`\"InputPath\": \"$['_\\u\"` run with path checks off",
        &[("u.json", Input::Text(r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "InputPath": "$['_\\u", "End": true}}}"#))],
        &["run", "--local", "--no-path-checks", "{d}/u.json"],
        1,
        "without its four hex digits",
    ),
    // Output that cannot be written.
    row(
        "-o into a missing folder",
        "`-o no/such/dir/out.json`",
        &[("o.sfc", Input::Text("pass P\n"))],
        &["compile", "{d}/o.sfc", "-o", "{d}/no/such/dir/out.json"],
        2,
        "out.json",
    ),
    to_full(row(
        "compile to a full disk",
        "stdout is /dev/full",
        &[("o.sfc", Input::Text("pass P\n"))],
        &["compile", "{d}/o.sfc"],
        2,
        "standard output",
    )),
    to_full(row(
        "graph to a full disk",
        "stdout is /dev/full",
        &[("o.sfc", Input::Text("pass P\n"))],
        &["graph", "{d}/o.sfc"],
        2,
        "standard output",
    )),
    to_full(row(
        "run to a full disk",
        "stdout is /dev/full",
        &[("p.json", Input::Text(PASS_ASL))],
        &["run", "--local", "{d}/p.json"],
        2,
        "standard output",
    )),
    // Inputs and mocks.
    row(
        "input not JSON",
        "an input file holding `{`",
        &[("p.json", Input::Text(PASS_ASL)), ("in.json", Input::Text("{"))],
        &["run", "--local", "{d}/p.json", "--input", "{d}/in.json"],
        2,
        "in.json",
    ),
    row(
        "input from a device",
        "`--input /dev/zero`",
        &[("p.json", Input::Text(PASS_ASL))],
        &["run", "--local", "{d}/p.json", "--input", "/dev/zero"],
        2,
        "not a regular file",
    ),
    row(
        "mock delay out of range",
        "`\"DelaySeconds\": 1e300`",
        &[("t.json", Input::Text(TASK_ASL)), ("m.json", Input::Made(delay_1e300))],
        &["run", "--local", "{d}/t.json", "--mocks", "{d}/m.json", "--machine", "m", "--case", "c"],
        2,
        "DelaySeconds must be a number of seconds",
    ),
    row(
        "misspelt mock key",
        "`\"Retrun\"`",
        &[("t.json", Input::Text(TASK_ASL)), ("m.json", Input::Made(misspelt_return))],
        &["run", "--local", "{d}/t.json", "--mocks", "{d}/m.json", "--machine", "m", "--case", "c"],
        2,
        "did you mean \"Return\"",
    ),
    row(
        "mock Error not text",
        "`\"Error\": 42`",
        &[("t.json", Input::Text(TASK_ASL)), ("m.json", Input::Made(numeric_error))],
        &["run", "--local", "{d}/t.json", "--mocks", "{d}/m.json", "--machine", "m", "--case", "c"],
        2,
        "Error must be a string",
    ),
    row(
        "unknown test case",
        "`--case nope`",
        &[("t.json", Input::Text(TASK_ASL)), ("m.json", Input::Made(returns_one))],
        &["run", "--local", "{d}/t.json", "--mocks", "{d}/m.json", "--machine", "m", "--case", "nope"],
        2,
        "has no test case \"nope\"",
    ),
    row(
        "task without a mock",
        "a Task and no --mocks",
        &[("t.json", Input::Text(TASK_ASL))],
        &["run", "--local", "{d}/t.json"],
        1,
        "Task state 'T' calls arn:aws:states:::lambda:invoke, which has no mock",
    ),
    // Runaway evaluation.
    row(
        "endless JSONata recursion",
        "`($f := function(){ $f() }; $f())`",
        &[("r.json", Input::Made(runaway_jsonata))],
        &["run", "--local", "{d}/r.json"],
        1,
        "States.QueryEvaluationError",
    ),
    row(
        "JSONata over 10^7 items",
        "`$reduce([1..10000000], ...)`",
        &[("r.json", Input::Made(huge_reduce))],
        &["run", "--local", "{d}/r.json"],
        1,
        "States.QueryEvaluationError",
    ),
    row(
        "JSONata padding to 10^9 characters",
        "`$pad('x', 1000000000)`",
        &[("p.json", Input::Made(huge_pad))],
        &["run", "--local", "{d}/p.json"],
        1,
        "wider than the 16777216 characters",
    ),
    row(
        "JSONata string doubled 40 times",
        "`$f($s & $s, $n - 1)` from `'x'`, 40 deep",
        &[("d.json", Input::Made(doubling_string))],
        &["run", "--local", "{d}/d.json"],
        1,
        "more than 128 MiB of memory",
    ),
    row(
        "exponential intrinsic output",
        "States.JsonToString nested 26 deep",
        &[("j.json", Input::Made(json_to_string_26_deep)), ("in.json", Input::Text(r#"{"a": "xxxxxxxxxxxxxxxx"}"#))],
        &["run", "--local", "{d}/j.json", "--input", "{d}/in.json"],
        1,
        "States.",
    ),
    row(
        "quiet failing run",
        "`run -q` of a Fail state",
        &[("f.json", Input::Text(r#"{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Boom", "Cause": "why"}}}"#))],
        &["run", "--local", "-q", "{d}/f.json"],
        1,
        "Boom",
    ),
    row(
        "a field name of a megabyte",
        "a Choice rule's unknown field of 10^6 characters",
        &[("f.json", Input::Made(megabyte_field_name))],
        &["validate", "{d}/f.json"],
        1,
        "this choice rule tests nothing",
    ),
    row(
        "20,000 findings on one line",
        "minified ASL, an unknown field in each of 20,000 states",
        &[("m.json", Input::Made(many_findings_on_one_line))],
        &["validate", "{d}/m.json"],
        1,
        "invalid (20000 errors",
    ),
    row(
        "5,000 missing goto targets",
        "5,000 states, a goto to a misspelt name of each",
        &[("g.sfc", Input::Made(many_missing_gotos))],
        &["compile", "{d}/g.sfc"],
        1,
        "did you mean `State0000`?",
    ),
    row(
        "deep scans of deep data",
        "`$..a..a..a..a..a` on an object 100 deep",
        &[
            ("d.json", Input::Text(r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "InputPath": "$..a..a..a..a..a", "End": true}}}"#)),
            ("in.json", Input::Made(chain_100_deep)),
        ],
        &["run", "--local", "{d}/d.json", "--input", "{d}/in.json"],
        1,
        "could visit up to 10510100501 nodes",
    ),
    row(
        "deep scan copying a wide array",
        "`$..*` on a chain 120 deep over 20,000 numbers",
        &[
            ("w.json", Input::Text(r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "InputPath": "$..*", "End": true}}}"#)),
            ("in.json", Input::Made(chain_over_a_wide_array)),
        ],
        &["run", "--local", "{d}/w.json", "--input", "{d}/in.json"],
        1,
        "selects more than 1048576 nodes",
    ),
    row(
        "ArrayUnique of many items",
        "`States.ArrayUnique` of 38,000 distinct numbers",
        &[
            (
                "u.json",
                Input::Text(
                    r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"n.$": "States.ArrayLength(States.ArrayUnique($.a))"}, "End": true}}}"#,
                ),
            ),
            ("in.json", Input::Made(many_distinct_numbers)),
        ],
        &["run", "--local", "{d}/u.json", "--input", "{d}/in.json"],
        0,
        "38000",
    ),
];
