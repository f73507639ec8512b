//! `sfc test`'s engine: every test case a mock file gives a machine, run
//! against its mocks and checked against its expectations.

use crate::context::ExecutionInfo;
use crate::expect;
use crate::mock::MockConfig;
use crate::{run_prepared, Outcome, Prepared, RunOptions};
use serde_json::Value;
use sfc_asl::StateMachine;
use std::path::Path;

/// One case's result: no problems means it passed.
#[derive(Debug, Clone)]
pub struct CaseResult {
    pub machine: String,
    pub case: String,
    pub problems: Vec<String>,
    pub millis: f64,
    /// The mock file gives the case no expectations: it passed by succeeding.
    pub no_expectations: bool,
}

/// Told each case's name, execution and problems.
pub type EachCase<'a> = dyn Fn(&str, &Outcome, &[String]) + 'a;

/// Where a test run finds what it needs besides the machine.
pub struct Cases<'a> {
    /// The machine's name in the mock file.
    pub name: &'a str,
    pub config: &'a MockConfig,
    /// The mock file's folder: an expectation's `input` file is named
    /// relative to it.
    pub dir: &'a Path,
    /// Reads an input file (the caller's JSON reader, with positions).
    pub read_input: &'a dyn Fn(&Path) -> Result<Value, String>,
    /// Told each case's name before it runs (progress on a terminal).
    pub starting: &'a dyn Fn(&str),
    /// Where the parts of the machine the cases take are recorded.
    pub coverage: Option<std::sync::Arc<crate::coverage::Recorder>>,
    /// Given each case's name, execution and problems (to write a report
    /// of it); with it, events keep each state's input and output.
    pub each: Option<&'a EachCase<'a>>,
}

/// Runs every case of `machine`; an error is a problem with the mock file
/// or an input, naming it.
pub fn run_cases(machine: &StateMachine, cases: &Cases) -> Result<Vec<CaseResult>, String> {
    let names = cases.config.cases(cases.name).ok_or_else(|| format!("no state machine {:?} in it", cases.name))?;
    let mut results = Vec::with_capacity(names.len());
    let prepared = Prepared::new(machine.clone());
    let known = state_names(machine);
    for case in names {
        (cases.starting)(&case);
        let integration = cases.config.case(cases.name, &case).map_err(|e| e.to_string())?;
        let given = cases.config.expectation(cases.name, &case).cloned();
        let no_expectations = given.is_none();
        let x = given.unwrap_or_default();
        let input = match &x.input {
            Some(Value::String(file)) => (cases.read_input)(&cases.dir.join(file)).map_err(|e| format!("case {case}: {e}"))?,
            Some(inline) => inline.clone(),
            None => serde_json::json!({}),
        };
        let opts = RunOptions {
            info: ExecutionInfo { machine_name: cases.name.to_string(), execution_name: case.clone(), ..ExecutionInfo::default() },
            event_data: Some(cases.each.is_some()),
            coverage: cases.coverage.clone(),
            ..RunOptions::default()
        };
        let t0 = std::time::Instant::now();
        let outcome = run_prepared(&prepared, input, &integration, &opts);
        let millis = t0.elapsed().as_secs_f64() * 1000.0;
        let mut problems = expect::check(&outcome, &x);
        let missing = cases.config.case_states(cases.name, &case).into_iter().filter(|s| !known.contains(*s));
        problems.extend(missing.map(|s| format!("the case mocks state {s:?}, which the machine does not have")));
        if let Some(each) = cases.each {
            each(&case, &outcome, &problems);
        }
        results.push(CaseResult { machine: cases.name.to_string(), case, problems, millis, no_expectations });
    }
    Ok(results)
}

/// Every state name of a machine, its branches' and processors' too.
fn state_names(machine: &StateMachine) -> std::collections::HashSet<String> {
    machine.all_states().into_iter().map(|(name, _)| name.to_string()).collect()
}
