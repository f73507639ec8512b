//! `sfc test`'s reports: a line per case (text), one JSON document, or
//! JUnit XML; and each workflow's coverage when asked for.

use crate::test_cmd::Tested;
use sfc_runtime::coverage::Report;
use sfc_runtime::harness::CaseResult;
use std::io::Write;

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
    Junit,
}

/// Writes the report to standard output; returns how many cases (and
/// workflows that could not be tested) failed.
pub fn write(format: ReportFormat, tested: &[Tested], setup_errors: &[String]) -> std::io::Result<usize> {
    let results: Vec<&CaseResult> = tested.iter().flat_map(|t| &t.results).collect();
    let failed_cases = results.iter().filter(|r| !r.problems.is_empty()).count();
    let failed = failed_cases + setup_errors.len();
    let passed = results.len() - failed_cases;
    let coverage: Vec<(&Tested, Report)> =
        tested.iter().filter_map(|t| t.coverage.as_ref().map(|c| (t, Report::new(&t.machine, c)))).collect();
    let mut out = std::io::stdout().lock();
    match format {
        ReportFormat::Text => {
            for r in &results {
                let mark = if r.problems.is_empty() { "PASS" } else { "FAIL" };
                let basis = if r.no_expectations && r.problems.is_empty() { " SUCCEEDED, no expectations" } else { "" };
                writeln!(out, "{mark} {} / {}{basis} ({:.1} ms)", r.machine, r.case, r.millis)?;
                for p in &r.problems {
                    writeln!(out, "     {p}")?;
                }
            }
            for e in setup_errors {
                writeln!(out, "FAIL {e}")?;
            }
            writeln!(out, "{passed} passed, {failed} failed")?;
            for (t, report) in &coverage {
                coverage_text(&mut out, t, report)?;
            }
        }
        ReportFormat::Json => {
            let cases: Vec<_> = results
                .iter()
                .map(|r| serde_json::json!({"workflow": r.machine, "case": r.case, "passed": r.problems.is_empty(), "problems": r.problems, "millis": r.millis, "expectations": !r.no_expectations}))
                .collect();
            let mut doc = serde_json::json!({"passed": passed, "failed": failed, "cases": cases, "errors": setup_errors});
            if !coverage.is_empty() {
                let by_workflow: serde_json::Map<String, serde_json::Value> =
                    coverage.iter().map(|(t, report)| (t.name.clone(), report.to_json(&t.machine))).collect();
                doc["coverage"] = by_workflow.into();
            }
            serde_json::to_writer_pretty(&mut out, &doc)?;
            writeln!(out)?;
        }
        ReportFormat::Junit => {
            junit(&mut out, &results, setup_errors, failed)?;
            // Standard output is the XML; coverage goes beside it.
            let mut err = std::io::stderr().lock();
            for (t, report) in &coverage {
                coverage_text(&mut err, t, report)?;
            }
        }
    }
    out.flush()?;
    Ok(failed)
}

/// A workflow's coverage: a line per kind, then each part never taken.
fn coverage_text(out: &mut impl Write, t: &Tested, report: &Report) -> std::io::Result<()> {
    writeln!(out, "\ncoverage of {}: {:.1} % of its parts taken", t.name, report.percent())?;
    for tally in &report.tallies {
        writeln!(out, "  {:<12} {:>4} of {}", tally.kind.as_str(), tally.taken, tally.total)?;
        for part in &tally.missed {
            writeln!(out, "      never: {}", part.describe(&t.machine))?;
        }
    }
    Ok(())
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// JUnit XML: one testsuite, one testcase per case (classname the
/// workflow), a failure with every problem; a workflow that did not load
/// is a failed testcase of its own.
fn junit(out: &mut impl Write, results: &[&CaseResult], setup_errors: &[String], failed: usize) -> std::io::Result<()> {
    let seconds: f64 = results.iter().map(|r| r.millis).sum::<f64>() / 1000.0;
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="sfc test" tests="{}" failures="{failed}" time="{seconds:.4}">"#,
        results.len() + setup_errors.len()
    )?;
    writeln!(
        out,
        r#"  <testsuite name="sfc test" tests="{}" failures="{failed}" time="{seconds:.4}">"#,
        results.len() + setup_errors.len()
    )?;
    for r in results {
        let head = format!(r#"    <testcase classname="{}" name="{}" time="{:.4}""#, xml(&r.machine), xml(&r.case), r.millis / 1000.0);
        match r.problems.first() {
            None => writeln!(out, "{head}/>")?,
            Some(first) => {
                writeln!(out, "{head}>")?;
                writeln!(out, r#"      <failure message="{}">{}</failure>"#, xml(first), xml(&r.problems.join("\n")))?;
                writeln!(out, "    </testcase>")?;
            }
        }
    }
    for e in setup_errors {
        writeln!(
            out,
            r#"    <testcase classname="setup" name="{}"><failure message="{}"/></testcase>"#,
            xml(e.lines().next().unwrap_or("")),
            xml(e)
        )?;
    }
    writeln!(out, "  </testsuite>")?;
    writeln!(out, "</testsuites>")
}
