//! `sfc graph`'s Mermaid, rendered by mermaid itself in a real headless
//! Chromium: the shipped workflows, plain and with coverage, must parse and
//! render with every state's name in the picture. Needs
//! `SFC_MERMAID_JS` (mermaid's dist/mermaid.min.js, from npm) and
//! `SFC_CHROMIUM` (Debian's chromium); `.ci/run` installs both and sets
//! `SFC_REQUIRE_BROWSER=1`, without which the test skips with a line.

use std::path::{Path, PathBuf};
use std::process::Command;

fn sfc(args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_sfc")).args(args).current_dir(env!("CARGO_MANIFEST_DIR")).output().expect("sfc runs");
    assert!(o.status.success(), "sfc {args:?}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

/// Mermaid and Chromium, or None (and a line saying why) to skip.
fn tools() -> Option<(PathBuf, PathBuf)> {
    let found = |var: &str| std::env::var_os(var).map(PathBuf::from).filter(|p| p.is_file());
    match (found("SFC_MERMAID_JS"), found("SFC_CHROMIUM")) {
        (Some(js), Some(chromium)) => Some((js, chromium)),
        _ if std::env::var("SFC_REQUIRE_BROWSER").is_ok_and(|v| v == "1") => {
            panic!("SFC_REQUIRE_BROWSER=1 but SFC_MERMAID_JS or SFC_CHROMIUM does not name a file")
        }
        _ => {
            eprintln!("skipped: set SFC_MERMAID_JS (mermaid.min.js) and SFC_CHROMIUM to render graphs in a browser");
            None
        }
    }
}

/// Renders each diagram with mermaid in one headless Chromium page; each
/// result is `RENDERED <svg>` or `ERROR <message>`.
fn render_all(js: &Path, chromium: &Path, diagrams: &[String]) -> Vec<String> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("graph-render");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let page = dir.join("page.html");
    let script = r#"
mermaid.initialize({startOnLoad: false});
(async () => {
  for (let i = 0; i < diagrams.length; i++) {
    const out = document.createElement('pre');
    out.id = 'r' + i;
    try {
      await mermaid.parse(diagrams[i]);
      const {svg} = await mermaid.render('g' + i, diagrams[i]);
      out.textContent = 'RENDERED ' + svg;
    } catch (e) {
      out.textContent = 'ERROR ' + (e && e.message ? e.message : String(e));
    }
    document.body.appendChild(out);
  }
  document.body.appendChild(Object.assign(document.createElement('pre'), {id: 'done', textContent: 'done'}));
})();
"#;
    let html = format!(
        "<!doctype html><html><body><script src=\"file://{}\"></script><script>const diagrams = {};\n{script}</script></body></html>",
        js.display(),
        serde_json::to_string(diagrams).unwrap()
    );
    std::fs::write(&page, html).unwrap();
    let out = Command::new(chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking"])
        .args(["--disable-component-update", "--disable-sync", "--allow-file-access-from-files", "--virtual-time-budget=60000"])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(dom.contains("<pre id=\"done\">done</pre>"), "the page did not finish: {}", String::from_utf8_lossy(&out.stderr));
    (0..diagrams.len())
        .map(|i| {
            let start = format!("<pre id=\"r{i}\">");
            let from = dom.find(&start).map(|at| at + start.len()).expect("a result per diagram");
            let text = &dom[from..];
            let text = &text[..text.find("</pre>").unwrap_or(text.len())];
            // The DOM is dumped as HTML: the SVG's text comes escaped.
            text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&")
        })
        .collect()
}

#[test]
fn shipped_workflows_render_in_mermaid_plain_and_with_coverage() {
    let Some((js, chromium)) = tools() else { return };
    let mut workflows: Vec<PathBuf> = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("workflows"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sfc"))
        .collect();
    workflows.sort();
    workflows.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/coverage/Shipping.asl.json"));
    let mut diagrams = Vec::new();
    let mut names = Vec::new();
    for wf in &workflows {
        let path = wf.to_str().unwrap();
        let machine: serde_json::Value = match path.ends_with(".sfc") {
            true => serde_json::from_str(&sfc(&["compile", path])).unwrap(),
            false => serde_json::from_str(&std::fs::read_to_string(wf).unwrap()).unwrap(),
        };
        let states: Vec<String> = machine["States"].as_object().unwrap().keys().cloned().collect();
        for extra in [&[][..], &["--coverage"][..]] {
            diagrams.push(sfc(&[&["graph", path][..], extra].concat()));
            names.push((wf.display().to_string(), extra.to_vec(), states.clone()));
        }
    }
    // A control: a diagram mermaid cannot parse must come back an error,
    // or this check could not fail.
    diagrams.push("flowchart TD\n  s0 -->|\"unclosed| s1\n  s1[\"x\"\n".to_string());
    let results = render_all(&js, &chromium, &diagrams);
    let (control, results) = results.split_last().unwrap();
    assert!(control.starts_with("ERROR"), "a broken diagram must fail to render: {}", &control[..control.len().min(200)]);
    for ((wf, extra, states), result) in names.iter().zip(results) {
        assert!(result.starts_with("RENDERED <svg"), "{wf} {extra:?}: {}", &result[..result.len().min(400)]);
        for state in states {
            assert!(result.contains(state.as_str()), "{wf} {extra:?}: state {state} is not in the picture");
        }
    }
}
