//! "Did you mean ...?": the known name closest to a misspelt one.

/// The entry of `known` closest to `name` (case, spaces, `_` and `-`
/// ignored), if any is close enough to be a likely typo.
pub fn closest<'a, S: AsRef<str>>(name: &str, known: &'a [S]) -> Option<&'a str> {
    let norm = |s: &str| s.to_ascii_lowercase().replace([' ', '_', '-'], "");
    let n = norm(name);
    known
        .iter()
        .map(|c| (edit_distance(&n, &norm(c.as_ref())), c.as_ref()))
        .filter(|(d, c)| *d <= 2.max(c.len() / 4) || n.contains(&norm(c)))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push((prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_name() {
        assert_eq!(closest("Error Equals", &["ErrorEquals", "Next"]), Some("ErrorEquals"));
        assert_eq!(closest("bugInputPath", &["InputPath", "OutputPath", "Type"]), Some("InputPath"));
        assert_eq!(closest("ContainerOverides", &["ContainerOverrides", "JobName"]), Some("ContainerOverrides"));
        assert_eq!(closest("Zzz", &["InputPath", "Next"]), None);
    }
}
