//! Report pages in a real headless Chromium (Debian's, `SFC_CHROMIUM`;
//! `.ci/run` installs it and sets `SFC_REQUIRE_BROWSER=1`, without which
//! the tests skip with a line): the page of every test case of every
//! shipped workflow (`sfc test --report`) opens without a single console
//! message, and the states it marks as executed are exactly those the
//! execution's history entered — read independently with `sfc run
//! --history`. A 10,000-item Map's report stays under 5 MB and opens
//! cleanly too (how fast: bench/report.sh).

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn sfc(args: &[&str]) -> std::process::Output {
    let o = Command::new(env!("CARGO_BIN_EXE_sfc"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("SFN_MOCK_CONFIG")
        .output()
        .expect("sfc runs");
    assert!(o.status.code().is_some_and(|c| c < 2), "sfc {args:?}: {}", String::from_utf8_lossy(&o.stderr));
    o
}

fn chromium() -> Option<PathBuf> {
    match std::env::var_os("SFC_CHROMIUM").map(PathBuf::from).filter(|p| p.is_file()) {
        Some(c) => Some(c),
        None if std::env::var("SFC_REQUIRE_BROWSER").is_ok_and(|v| v == "1") => {
            panic!("SFC_REQUIRE_BROWSER=1 but SFC_CHROMIUM does not name a file")
        }
        None => {
            eprintln!("skipped: set SFC_CHROMIUM to open the reports in a browser");
            None
        }
    }
}

/// Opens `page` in headless Chromium: the DOM after its scripts ran, and
/// every console line (errors, warnings, logs, uncaught exceptions).
fn open(chromium: &Path, page: &Path, profile: &Path) -> (String, Vec<String>) {
    let out = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
        ])
        .args(["--disable-sync", "--enable-logging=stderr", "--v=0", "--virtual-time-budget=10000", "--window-size=1400,1000"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    let console = String::from_utf8_lossy(&out.stderr).lines().filter(|l| l.contains(":CONSOLE")).map(str::to_string).collect();
    (String::from_utf8_lossy(&out.stdout).to_string(), console)
}

/// What the page says it marked as executed.
fn marked(dom: &str) -> BTreeSet<String> {
    let start = dom
        .find("<pre id=\"sfc-self-check\" hidden=\"\">")
        .map(|at| at + "<pre id=\"sfc-self-check\" hidden=\"\">".len())
        .expect("the page ran to its end");
    let text = &dom[start..start + dom[start..].find("</pre>").unwrap()];
    let check: Value = serde_json::from_str(&text.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))
        .expect("the self-check is JSON");
    check["executed"].as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect()
}

/// The states an execution entered, from its history.
fn entered(history: &Value) -> BTreeSet<String> {
    history["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"].as_str().is_some_and(|t| t.ends_with("StateEntered")))
        .map(|e| e["stateEnteredEventDetails"]["name"].as_str().unwrap().to_string())
        .collect()
}

struct Case {
    workflow: String,
    mocks: PathBuf,
    machine: String,
    name: String,
    input: Option<PathBuf>,
}

fn shipped_cases() -> Vec<Case> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut cases = Vec::new();
    for name in ["batch-features", "ecs-preprocessing", "fraud-detection", "wildlife-pipeline"] {
        let mocks = root.join(format!("fixtures/mocks/{name}.json"));
        let config: Value = serde_json::from_str(&std::fs::read_to_string(&mocks).unwrap()).unwrap();
        for (machine, m) in config["StateMachines"].as_object().unwrap() {
            for case in m["TestCases"].as_object().unwrap().keys() {
                let input = config["Expectations"][machine][case]["input"].as_str().map(|i| mocks.parent().unwrap().join(i));
                cases.push(Case {
                    workflow: format!("workflows/{name}.sfc"),
                    mocks: mocks.clone(),
                    machine: machine.clone(),
                    name: case.clone(),
                    input,
                });
            }
        }
    }
    cases
}

#[test]
fn every_shipped_case_report_opens_cleanly_and_marks_exactly_what_ran() {
    let Some(chromium) = chromium() else { return };
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-render");
    let _ = std::fs::remove_dir_all(&dir);
    sfc(&["test", "--report", dir.to_str().unwrap()]);
    assert!(dir.join("index.html").is_file());
    let cases = shipped_cases();
    assert!(cases.len() >= 20, "{} cases", cases.len());
    let problems = std::sync::Mutex::new(Vec::new());
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for worker in 0..2 {
            let (cases, dir, chromium, problems, next) = (&cases, &dir, &chromium, &problems, &next);
            s.spawn(move || loop {
                let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(c) = cases.get(k) else { break };
                let page = dir.join(&c.machine).join(format!("{}.html", c.name));
                let (dom, console) = open(chromium, &page, &dir.join(format!("profile-{worker}")));
                let mut args =
                    vec!["run", "--local", &c.workflow, "--mocks", c.mocks.to_str().unwrap(), "--case", &c.name, "--history", "-q"];
                if let Some(i) = &c.input {
                    args.extend(["--input", i.to_str().unwrap()]);
                }
                let history: Value = serde_json::from_slice(&sfc(&args).stdout).unwrap();
                let (want, got) = (entered(&history), marked(&dom));
                let mut p = problems.lock().unwrap();
                if !console.is_empty() {
                    p.push(format!("{}/{}: console: {console:?}", c.machine, c.name));
                }
                if want != got {
                    p.push(format!("{}/{}: marked {got:?}, the history entered {want:?}", c.machine, c.name));
                }
            });
        }
    });
    let problems = problems.into_inner().unwrap();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_ten_thousand_item_map_report_stays_small_and_opens_cleanly() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-big-map");
    std::fs::create_dir_all(&dir).unwrap();
    let wf = dir.join("big-map.sfc");
    std::fs::write(&wf, "workflow \"BigMap\"\nmap Items over $.items {\n  pass Touch parameters { item: $ }\n}\n").unwrap();
    let input = dir.join("input.json");
    std::fs::write(&input, serde_json::json!({"items": (0..10_000).collect::<Vec<u32>>()}).to_string()).unwrap();
    let page = dir.join("report.html");
    let out = sfc(&[
        "run",
        "--local",
        wf.to_str().unwrap(),
        "--type",
        "express",
        "--input",
        input.to_str().unwrap(),
        "--report",
        page.to_str().unwrap(),
        "-q",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let size = std::fs::metadata(&page).unwrap().len();
    assert!(size < 5 * 1024 * 1024, "the report is {size} bytes");
    let Some(chromium) = chromium() else { return };
    let (dom, console) = open(&chromium, &page, &dir.join("profile"));
    assert!(console.is_empty(), "{console:?}");
    assert_eq!(marked(&dom), ["Items", "Touch"].map(String::from).into_iter().collect());
    assert!(dom.contains("Items · items 30+"), "iterations past 30 share a lane");
}

/// State names are the user's: markup, quotes and the names of
/// JavaScript's own properties are shown as they are, and break nothing.
#[test]
fn odd_state_names_render_as_they_are() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-odd-names");
    std::fs::create_dir_all(&dir).unwrap();
    let asl = dir.join("odd.asl.json");
    let names = ["constructor", "<b>\"&'</b>", "__proto__", "toString"];
    let definition = serde_json::json!({"StartAt": names[0], "States": {
        names[0]: {"Type": "Pass", "Next": names[1]},
        names[1]: {"Type": "Pass", "Next": names[2]},
        names[2]: {"Type": "Pass", "Next": names[3]},
        names[3]: {"Type": "Succeed"}}});
    std::fs::write(&asl, definition.to_string()).unwrap();
    let page = dir.join("odd.html");
    let out = sfc(&["run", "--local", asl.to_str().unwrap(), "--report", page.to_str().unwrap(), "-q"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let Some(chromium) = chromium() else { return };
    let (dom, console) = open(&chromium, &page, &dir.join("profile"));
    assert!(console.is_empty(), "{console:?}");
    assert_eq!(marked(&dom), names.map(String::from).into_iter().collect());
}

/// A distributed Map's run has its row: status, child executions and
/// items by status, settings; the page still opens cleanly.
#[test]
fn a_report_shows_each_map_run() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-map-runs");
    std::fs::create_dir_all(&dir).unwrap();
    // The report of `sfc run` of `definition` (as NAME.asl.json) on `input`.
    let report = |name: &str, definition: &serde_json::Value, input: &str| {
        let (asl, input_file, page) =
            (dir.join(format!("{name}.asl.json")), dir.join(format!("{name}.input.json")), dir.join(format!("{name}.html")));
        std::fs::write(&asl, definition.to_string()).unwrap();
        std::fs::write(&input_file, input).unwrap();
        let paths = [&asl, &input_file, &page].map(|p| p.to_str().unwrap().to_string());
        let out = sfc(&["run", "--local", &paths[0], "--input", &paths[1], "--report", &paths[2], "-q"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        (std::fs::read_to_string(&page).unwrap(), page)
    };
    let definition = serde_json::json!({"StartAt": "Each", "States": {"Each": {
        "Type": "Map", "MaxConcurrency": 2, "ToleratedFailureCount": 1, "ItemBatcher": {"MaxItemsPerBatch": 2},
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"}, "StartAt": "Odd?", "States": {
            "Odd?": {"Type": "Choice", "Choices": [{"Variable": "$.Items[0]", "NumericEquals": 3, "Next": "Fail"}], "Default": "Done"},
            "Fail": {"Type": "Fail", "Error": "Odd"},
            "Done": {"Type": "Succeed"}}},
        "End": true}}});
    let (html, page) = report("runs", &definition, "[1, 2, 3, 4, 5]");
    assert!(html.contains("<h2>Map Runs</h2>"), "no Map Runs section");
    assert!(html.contains(":mapRun:runs/Each:"), "the run's ARN");
    assert!(html.contains("<td>3 in all: 2 succeeded, 1 failed</td><td>5 in all: 3 succeeded, 2 failed</td>"), "the counts");
    assert!(html.contains("MaxConcurrency 2, ToleratedFailureCount 1"), "the settings");
    // A run nested in a child execution says whose it is.
    let processor = |start: &str, states: serde_json::Value| serde_json::json!({"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": start, "States": states});
    let pass = serde_json::json!({"P": {"Type": "Pass", "End": true}});
    let inner = serde_json::json!({"In": {"Type": "Map", "Label": "In", "End": true, "ItemProcessor": processor("P", pass)}});
    let definition = serde_json::json!({"StartAt": "Out", "States": {"Out": {"Type": "Map", "Label": "Out", "End": true, "ItemProcessor": processor("In", inner)}}});
    let (html, _) = report("nested", &definition, "[[1]]");
    assert!(html.contains("<small>in arn:aws:states:us-east-1:123456789012:execution:nested/Out:"), "the nested run's child");
    // Without a distributed Map, no section.
    let (html, _) = report("plain", &serde_json::json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}), "{}");
    assert!(!html.contains("Map Runs"));
    let Some(chromium) = chromium() else { return };
    let (dom, console) = open(&chromium, &page, &dir.join("profile"));
    assert!(console.is_empty(), "{console:?}");
    assert!(dom.contains("Map Runs"));
}
