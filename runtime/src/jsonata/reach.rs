//! What an expression can reach: the variables and functions it names,
//! whether it calls `$eval` (then every variable and every Step Functions
//! function is bound for it, not only those it names), and whether it can
//! reach `$states.context`. Building the context object costs more than many
//! expressions (its times are formatted, the execution's input is
//! converted), and most never read it, so it is built only for those that
//! can.
//!
//! The answer errs towards yes. An expression reaches the context unless
//! every use of `$states` is a path whose next step names `input`,
//! `result` or `errorOutput`; anything else that names `$states` (bound to
//! a variable, passed to `$lookup`, a wildcard step), `$eval` (which can
//! evaluate any text) and the parent operator `%` (which can step back up
//! from `$states.input`) count as reaching it.
//!
//! Found while the tree is walked once after parsing (see
//! [`super::tree`]), which is why it takes the tree as `parse` holds it.

use jsonata_core::ast::{AstNode, PathStep};

/// The parts of `$states` that never lead to the context.
const DATA: [&str; 3] = ["input", "result", "errorOutput"];

/// What an expression can reach.
pub(super) struct Reach {
    /// `$states.context`.
    pub context: bool,
    /// Anything at all: it names `$eval`, which evaluates text it makes,
    /// so it can read any variable and call any function, not only those
    /// it names.
    pub evaluates_text: bool,
    /// The names (without `$`) of the variables and functions it reads or
    /// calls, sorted, each once.
    pub names: Vec<String>,
}

impl Reach {
    /// Whether the expression can read variable or function `name`.
    pub fn can_read(&self, name: &str) -> bool {
        self.evaluates_text || self.names.binary_search_by(|n| n.as_str().cmp(name)).is_ok()
    }
}

pub(super) fn reach(ast: &mut AstNode) -> Reach {
    // Every `$states` must be the head of a path to one of DATA: each such
    // path holds exactly one, so the two counts differ when any is not.
    let (mut states, mut data_heads, mut other_way, mut names) = (0usize, 0usize, false, Vec::new());
    super::tree::each_node(ast, |node| {
        match node {
            AstNode::Variable(name) if name == "states" => states += 1,
            AstNode::Path { steps } if reads_data(steps) => data_heads += 1,
            AstNode::Function { name, .. } if name == "states" => other_way = true,
            AstNode::Parent(_) => other_way = true,
            _ => {}
        }
        if let AstNode::Variable(name) | AstNode::Function { name, .. } = node {
            names.push(name.clone());
        }
    });
    names.sort_unstable();
    names.dedup();
    let eval = names.iter().any(|n| n == "eval");
    Reach { context: eval || other_way || states != data_heads, evaluates_text: eval, names }
}

/// Whether a path goes from `$states` straight on to one of [`DATA`]: its
/// first step is `$states` alone (no filter, focus, index or ancestor
/// binding) and its second names one of them.
fn reads_data(steps: &[PathStep]) -> bool {
    let Some(first) = steps.first() else { return false };
    let plain = first.stages.is_empty() && first.focus.is_none() && first.index_var.is_none() && first.ancestor_label.is_none();
    plain
        && matches!(&first.node, AstNode::Variable(v) if v == "states")
        && matches!(steps.get(1).map(|s| &s.node), Some(AstNode::Name(n)) if DATA.contains(&n.as_str()))
}

#[cfg(test)]
mod tests {
    use super::reach;

    fn reaches(expr: &str) -> bool {
        reach(&mut jsonata_core::parser::parse(expr).unwrap()).context
    }

    #[test]
    fn data_paths_do_not_reach_the_context() {
        for e in [
            "$states.input.x",
            "$states.input.items[0].id",
            "$states.result.a + $x",
            "$states.errorOutput.Cause",
            "$count($states.input.items) > 0",
            "$",
            "$$.a",
            "{'a': $states.input.a, 'b': [1, 2]}",
            "$states.input.items[id = $states.input.first].name",
            "function($v){ $v * 2 }($states.input.n)",
            "$map($states.input.items, function($i){ $i.id })",
        ] {
            assert!(!reaches(e), "{e}");
        }
    }

    #[test]
    fn any_other_way_to_states_reaches_it() {
        for e in [
            "$states.context.Execution.Id",
            "$states",
            "$states.*",
            "$states.**",
            "$lookup($states, 'context')",
            "$keys($states)",
            "$string($states)",
            "($s := $states; $s.context)",
            "$states@$s.input",
            "$states#$i.input",
            "$states[true].input",
            "$states.input.%",
            "$states.input.a.%.%.context",
            "$eval('$states.context')",
            "($e := $eval; $e('1'))",
            "$states.input[$states.context.x]",
            "$states.(context)",
            "$states.input ~> function($v){ $states.context }",
        ] {
            assert!(reaches(e), "{e}");
        }
    }

    /// As deep as the parser allows, in a debug build on a test thread's
    /// stack: found at the bottom, and no overflow.
    #[test]
    fn the_deepest_expressions_are_searched_to_the_bottom() {
        for (open, close) in [("(", ")"), ("[", "]"), ("$f(", ")"), ("{'a': ", "}")] {
            let nest = |n: usize, inner: &str| format!("{}{inner}{}", open.repeat(n), close.repeat(n));
            // `inner` nested as deep as parses, found by halving.
            let deep = |inner: &str| {
                let (mut parses, mut fails) = (1, 2000);
                while fails - parses > 1 {
                    let mid = (parses + fails) / 2;
                    match jsonata_core::parser::parse(&nest(mid, inner)) {
                        Ok(_) => parses = mid,
                        Err(_) => fails = mid,
                    }
                }
                assert!(parses > 300, "{open}: {parses}");
                nest(parses, inner)
            };
            assert!(reaches(&deep("$states.context.Execution.Id")), "{open}");
            assert!(!reaches(&deep("$states.input.x")), "{open}");
        }
    }

    #[test]
    fn names_are_those_of_the_variables_and_functions_read() {
        let names = |e: &str| reach(&mut jsonata_core::parser::parse(e).unwrap()).names;
        assert_eq!(names("$x + $count($items) ~> $f($y.name)"), ["count", "f", "items", "x", "y"]);
        assert_eq!(names("$map($a, function($v){ $v * $k })"), ["a", "k", "map", "v"]);
        assert_eq!(names("$states.input.name & 'x'"), ["states"]);
        assert!(names("x.y[z = 1]").is_empty());
        let all = reach(&mut jsonata_core::parser::parse("$eval('$x')").unwrap());
        assert!(all.can_read("x") && all.can_read("partition"));
    }

    #[test]
    fn only_eval_evaluates_text() {
        let evaluates = |e: &str| reach(&mut jsonata_core::parser::parse(e).unwrap()).evaluates_text;
        assert!(evaluates("$eval('1 + 1')"));
        assert!(evaluates("($e := $eval; $e('1'))"));
        assert!(!evaluates("$states.input.evaluation"));
        assert!(!evaluates("$partition([1, 2], 1)"));
    }
}
