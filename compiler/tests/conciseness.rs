//! Each shipped workflow is at most a third of the lines of the
//! pretty-printed ASL it compiles to: the language must read much shorter
//! than what it replaces. `check` lines are not counted: they are
//! properties for `sfc check`, which no ASL holds; nor are `on`,
//! `schedule` and `alarm` lines, which compile to the deployment plan.

use std::path::Path;

#[test]
fn shipped_workflows_are_a_third_of_their_asl() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for entry in std::fs::read_dir(root.join("workflows")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let sfc = lines_without_checks(&std::fs::read_to_string(&path).unwrap());
        let asl = std::fs::read_to_string(root.join("fixtures/workflows").join(format!("{name}.asl.json"))).unwrap().lines().count();
        assert!(sfc * 3 <= asl, "{name}: {sfc} lines of sfc for {asl} lines of ASL (more than a third)");
    }
}

/// Lines of a workflow, its `check "..."` lines, `check { ... }` blocks
/// and deployment lines left out.
fn lines_without_checks(src: &str) -> usize {
    let mut in_block = false;
    src.lines()
        .filter(|l| {
            let t = l.trim();
            let skip = in_block || ["check ", "on ", "schedule ", "alarm "].iter().any(|k| t.starts_with(k));
            if t.starts_with("check {") {
                in_block = !t.ends_with('}');
            } else if in_block && t == "}" {
                in_block = false;
            }
            !skip
        })
        .count()
}
