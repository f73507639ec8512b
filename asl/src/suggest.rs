//! "Did you mean ...?": the known name closest to a misspelt one.

/// Names longer than this (in characters, once normalised) are neither
/// given a suggestion nor suggested: no real name comes near (AWS takes
/// state names of at most 80 characters), and it bounds the work of one
/// comparison, which a 64 MiB source could otherwise make quadratic in
/// its size.
const LONGEST: usize = 128;

/// Known names prepared once for many lookups: a workflow that names many
/// missing states asks about each against the same states.
pub struct Suggester<'a> {
    /// Each known name as given and normalised (in characters).
    known: Vec<(&'a str, Vec<char>)>,
}

impl<'a> Suggester<'a> {
    pub fn new<S: AsRef<str>>(known: &'a [S]) -> Self {
        let known = known.iter().map(|k| (k.as_ref(), normalised(k.as_ref()))).filter(|(_, n)| n.len() <= LONGEST).collect();
        Suggester { known }
    }

    /// The known name closest to `name` (case, spaces, `_` and `-`
    /// ignored), if any is close enough to be a likely typo or is
    /// contained in it (`bugInputPath` suggests `InputPath`).
    pub fn closest(&self, name: &str) -> Option<&'a str> {
        let n = normalised(name);
        if n.len() > LONGEST {
            return None;
        }
        let mut rows = (Vec::new(), Vec::new());
        self.known
            .iter()
            .filter_map(|(given, k)| {
                let near = 2.max(given.len() / 4);
                // A name that contains a known one is that far from it:
                // the characters around it are deleted.
                if contains(&n, k) {
                    return Some((n.len() - k.len(), *given));
                }
                // Names whose lengths differ by more than `near` are
                // farther apart than that.
                if n.len().abs_diff(k.len()) > near {
                    return None;
                }
                let d = edit_distance(&n, k, &mut rows);
                (d <= near).then_some((d, *given))
            })
            .min_by_key(|(d, _)| *d)
            .map(|(_, c)| c)
    }
}

/// [`Suggester::closest`] for one lookup.
pub fn closest<'a, S: AsRef<str>>(name: &str, known: &'a [S]) -> Option<&'a str> {
    Suggester::new(known).closest(name)
}

fn normalised(s: &str) -> Vec<char> {
    s.chars().filter(|c| !matches!(c, ' ' | '_' | '-')).map(|c| c.to_ascii_lowercase()).collect()
}

fn contains(haystack: &[char], needle: &[char]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}

/// Levenshtein distance, in two rows reused from call to call.
fn edit_distance(a: &[char], b: &[char], rows: &mut (Vec<usize>, Vec<usize>)) -> usize {
    let (prev, cur) = rows;
    prev.clear();
    prev.extend(0..=b.len());
    for (i, ca) in a.iter().enumerate() {
        cur.clear();
        cur.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            cur.push((prev[j] + usize::from(ca != cb)).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        std::mem::swap(prev, cur);
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
        assert_eq!(closest("NEXT", &["Next", "Nest"]), Some("Next"));
    }

    /// A name far longer than any real one is not compared (a quarter of
    /// a megabyte against each operator once took seconds), and one
    /// Suggester answers many lookups as one-off calls do.
    #[test]
    fn long_names_get_no_suggestion_and_lookups_share_the_known_names() {
        let long = format!("TimestampGreater{}", "a".repeat(256 * 1024));
        assert_eq!(closest(&long, &["TimestampGreaterThan", "Next"]), None);
        assert_eq!(closest("Next", &[long.as_str(), "Nest"]), Some("Nest"));
        let states: Vec<String> = (0..50).map(|i| format!("State{i:02}")).collect();
        let suggester = Suggester::new(&states);
        for (i, state) in states.iter().enumerate() {
            let typo = format!("Stat{i:02}");
            assert_eq!(suggester.closest(&typo), Some(state.as_str()));
            assert_eq!(closest(&typo, &states), Some(state.as_str()));
        }
    }
}
