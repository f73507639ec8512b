//! What a path that is not definite may cost, bounded before
//! serde_json_path parses and evaluates it. Its text is read once
//! ([`Shape::read`]): two kinds of path it cannot take are refused (found
//! by fuzzing), and what can multiply the nodes it visits is counted.
//! serde_json_path evaluates deep scans and unions without a limit:
//! `$..a..a..a..a..a` on a 700-byte input nested 100 deep lists each node
//! once per chain of ancestors (10^10 visits), `$..*` on a chain over a
//! wide array copies the array once per ancestor, and a union of 100,000
//! selectors lists every node 100,000 times. A path is refused before it
//! runs when its worst case passes [`MAX_VISITS`], and its result is
//! copied only while it stays under [`MAX_RESULT_NODES`].

use super::paths::PathError;
use serde_json::Value;

/// Brackets and parentheses a path may nest before it is refused.
pub const MAX_PATH_NESTING: usize = 10;

/// Nodes a query may visit (and list) at worst: its lists of references
/// stay under 32 MiB.
pub const MAX_VISITS: usize = 1 << 22;

/// Nodes a query's result may hold: at least 2 MiB of JSON, 8 times the
/// largest payload Step Functions takes.
pub const MAX_RESULT_NODES: usize = 1 << 20;

/// What the text of a path says before it is parsed: what can multiply
/// the nodes it visits, its deep scans (`..`) and the product of its
/// unions' widths (`[0,1,2]` lists a node thrice), counted outside quoted
/// names (filters' deep scans included).
#[derive(Debug, PartialEq, Eq)]
pub struct Shape {
    deep_scans: u32,
    union_width: usize,
}

impl Shape {
    /// Reads `path`, refusing two kinds serde_json_path 0.7 cannot take:
    /// one ending inside a `\u` escape, on which it panics (a streaming
    /// parser meets the end of input), and one nesting brackets past
    /// [`MAX_PATH_NESTING`], on which its backtracking takes time that
    /// doubles with each level (an unclosed filter 25 deep ran for minutes).
    pub fn read(path: &str) -> Result<Shape, PathError> {
        let bytes = path.as_bytes();
        let mut shape = Shape { deep_scans: 0, union_width: 1 };
        let (mut quote, mut depth, mut commas, mut i) = (None, 0usize, 0usize, 0);
        while i < bytes.len() {
            match (bytes[i], quote) {
                (b'\\', _) => {
                    if bytes.get(i + 1) == Some(&b'u') {
                        let digits = bytes[i + 2..].iter().take(4).take_while(|b| b.is_ascii_hexdigit()).count();
                        if digits < 4 && i + 2 + digits == bytes.len() {
                            return Err(PathError::Invalid(format!("{path:?} has a \\u escape without its four hex digits")));
                        }
                    }
                    i += 1;
                }
                (q @ (b'\'' | b'"'), None) => quote = Some(q),
                (q, Some(open)) if q == open => quote = None,
                (b'.', None) if bytes.get(i + 1) == Some(&b'.') && (i == 0 || bytes[i - 1] != b'.') => shape.deep_scans += 1,
                (b'[' | b'(', None) => {
                    depth += 1;
                    if depth > MAX_PATH_NESTING {
                        return Err(PathError::Invalid(format!("{path:?} nests brackets more than {MAX_PATH_NESTING} deep")));
                    }
                    if depth == 1 {
                        commas = 0;
                    }
                }
                (b',', None) if depth == 1 => commas += 1,
                (b']' | b')', None) => {
                    if depth == 1 {
                        shape.union_width = shape.union_width.saturating_mul(commas + 1);
                    }
                    depth = depth.saturating_sub(1);
                }
                _ => {}
            }
            i += 1;
        }
        Ok(shape)
    }

    /// Whether the worst case is a small multiple of the data's size,
    /// which holds for nearly every path: no need to measure the data.
    fn is_small(&self) -> bool {
        self.deep_scans <= 1 && self.union_width <= 16
    }

    /// Refuses this path (`path`) on `root` when it could visit more than
    /// [`MAX_VISITS`] nodes: after the first deep scan each one can reach a
    /// node once per ancestor, and a union lists each node once per
    /// selector.
    pub fn check_visits(&self, path: &str, root: &Value) -> Result<(), PathError> {
        if self.is_small() {
            return Ok(());
        }
        let (nodes, depth) = size_and_depth(root);
        let worst = (1..self.deep_scans).fold(nodes, |w, _| w.saturating_mul(depth)).saturating_mul(self.union_width);
        if worst <= MAX_VISITS {
            return Ok(());
        }
        let unions = if self.union_width > 1 { format!(", unions listing a node up to {} times", self.union_width) } else { String::new() };
        Err(PathError::TooCostly(format!(
            "The JSONPath '{path}' could visit up to {worst} nodes of data of {nodes} nodes nested {depth} deep \
             ({} deep scans '..'{unions}); sfc evaluates paths of at most {MAX_VISITS} visits: \
             use fewer '..' steps or unions, or narrow the data first",
            self.deep_scans
        )))
    }
}

/// The nodes of `v` and how deep they nest (a scalar is 1 deep).
fn size_and_depth(v: &Value) -> (usize, usize) {
    let mut stack = vec![(v, 1usize)];
    let (mut nodes, mut depth) = (0usize, 0usize);
    while let Some((v, d)) = stack.pop() {
        nodes += 1;
        depth = depth.max(d);
        match v {
            Value::Array(a) => stack.extend(a.iter().map(|c| (c, d + 1))),
            Value::Object(m) => stack.extend(m.values().map(|c| (c, d + 1))),
            _ => {}
        }
    }
    (nodes, depth)
}

/// Copies the nodes `path` found while they hold at most
/// [`MAX_RESULT_NODES`] nodes in all.
pub fn copy_result(path: &str, found: &[&Value]) -> Result<Vec<Value>, PathError> {
    let mut left = MAX_RESULT_NODES;
    found.iter().map(|v| copy_within(v, &mut left)).collect::<Option<Vec<Value>>>().ok_or_else(|| {
        PathError::TooCostly(format!(
            "The JSONPath '{path}' selects more than {MAX_RESULT_NODES} nodes of data, \
             far more than the largest payload Step Functions takes (256 KiB)"
        ))
    })
}

/// A copy of `v`, counting its nodes against `left`; `None` once they run out.
fn copy_within(v: &Value, left: &mut usize) -> Option<Value> {
    *left = left.checked_sub(1)?;
    Some(match v {
        Value::Array(a) => Value::Array(a.iter().map(|c| copy_within(c, left)).collect::<Option<_>>()?),
        Value::Object(m) => Value::Object(m.iter().map(|(k, c)| Some((k.clone(), copy_within(c, left)?))).collect::<Option<_>>()?),
        scalar => scalar.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn deep_scans_and_unions_are_counted_outside_names() {
        let of = |p: &str| {
            let s = Shape::read(p).unwrap();
            (s.deep_scans, s.union_width)
        };
        assert_eq!(of("$.a[*].b"), (0, 1));
        assert_eq!(of("$..a..b"), (2, 1));
        assert_eq!(of("$..[0]"), (1, 1));
        assert_eq!(of("$['a..b'].c"), (0, 1));
        assert_eq!(of("$['it\\'s..'].c"), (0, 1));
        assert_eq!(of("$[0,1,2]['x','y']"), (0, 6));
        assert_eq!(of("$[?(@.a == 'x,y')]"), (0, 1));
        assert_eq!(of("$[?(@..b)]"), (1, 1));
        assert_eq!(of("$[?(@.a in [1,2])]"), (0, 1));
    }

    /// A chain 100 deep scanned five times over is refused before it runs;
    /// twice over, it runs. A wide union over a small array runs.
    #[test]
    fn repeated_deep_scans_of_deep_data_are_refused() {
        let mut chain = json!({});
        for _ in 0..100 {
            chain = json!({"a": chain});
        }
        let check = |path: &str, root: &Value| Shape::read(path).unwrap().check_visits(path, root);
        let err = check("$..a..a..a..a..a", &chain).unwrap_err();
        assert!(matches!(&err, PathError::TooCostly(m) if m.contains("5 deep scans") && m.contains("nested 101 deep")), "{err:?}");
        assert_eq!(check("$..a..a", &chain), Ok(()));
        let union = format!("$[{}]", vec!["0"; 100_000].join(","));
        assert!(check(&union, &json!([1, 2, 3])).is_ok());
        let wide: Vec<Value> = (0..100).map(|i| json!(i)).collect();
        assert!(check(&union, &Value::Array(wide)).is_err());
    }

    #[test]
    fn results_are_copied_within_the_bound() {
        let small = json!({"a": [1, 2, {"b": null}]});
        assert_eq!(copy_result("$", &[&small, &small]), Ok(vec![small.clone(), small.clone()]));
        let wide = Value::Array(vec![json!(0); MAX_RESULT_NODES / 4]);
        assert_eq!(copy_result("$", &[&wide; 3]).map(|r| r.len()), Ok(3));
        assert!(matches!(copy_result("$..*", &[&wide; 5]), Err(PathError::TooCostly(_))));
    }
}
