//! Options given by name (a Python keyword, a key of a Node options object): a name the callee does
//! not know is an error that suggests the closest known one, so a typo such as `horizn=8` fails
//! loudly instead of being ignored while the default applies.
//!
//! The suggestion is the known name at the smallest Damerau-Levenshtein distance (adjacent
//! transpositions count one edit; Damerau 1964), offered when that distance is at most a third of
//! the longer name (at least 1), so `horizn` suggests `horizon` and `colour` suggests nothing.

use crate::error::{Error, Result};

/// Check that every name in `given` is one of `known` (both spelled as the caller spells them).
/// The first unknown name is an [`Error::InvalidParameter`] naming it, with "did you mean `x`?" when
/// a known name is close, else the list of known names.
///
/// ```
/// use forestock::options::check_known;
/// let known = ["horizon", "levels", "periods_per_year"];
/// assert!(check_known(["horizon"], &known).is_ok());
/// let err = check_known(["horizn"], &known).unwrap_err().to_string();
/// assert!(err.contains("`horizn`") && err.contains("did you mean `horizon`?"), "{err}");
/// ```
pub fn check_known<'a>(given: impl IntoIterator<Item = &'a str>, known: &[&str]) -> Result<()> {
    for name in given {
        if known.contains(&name) {
            continue;
        }
        let reason = match closest(name, known) {
            Some(candidate) => format!("is not an option; did you mean `{candidate}`?"),
            None => format!("is not an option (options: {})", known.join(", ")),
        };
        return Err(Error::invalid_parameter(name, name, reason));
    }
    Ok(())
}

/// How a caller spells option and field names: Rust and Python write the core's snake_case
/// (`season_length`), Node writes camelCase (`seasonLength`). Messages name fields the caller's way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Spelling {
    /// `season_length` (Rust, Python).
    #[default]
    SnakeCase,
    /// `seasonLength` (Node).
    CamelCase,
}

impl Spelling {
    /// The core's snake_case `name` as this caller spells it.
    ///
    /// ```
    /// use forestock::options::Spelling;
    /// assert_eq!(Spelling::CamelCase.spell("season_length"), "seasonLength");
    /// assert_eq!(Spelling::SnakeCase.spell("season_length"), "season_length");
    /// ```
    pub fn spell(self, name: &str) -> String {
        match self {
            Spelling::SnakeCase => name.to_string(),
            Spelling::CamelCase => {
                let mut out = String::with_capacity(name.len());
                let mut upper = false;
                for c in name.chars() {
                    if c == '_' {
                        upper = true;
                    } else if upper {
                        out.extend(c.to_uppercase());
                        upper = false;
                    } else {
                        out.push(c);
                    }
                }
                out
            }
        }
    }
}

/// The known name closest to `name`, if close enough to be a typo of it.
pub(crate) fn closest<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
    let lower = name.to_ascii_lowercase();
    known
        .iter()
        .map(|k| (edit_distance(&lower, &k.to_ascii_lowercase()), *k))
        .filter(|(d, k)| *d <= (name.chars().count().max(k.chars().count()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions).
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    d[0] = (0..=b.len()).collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_get_the_closest_name_and_strangers_the_list() {
        let known = ["horizon", "levels", "periods_per_year", "service_levels", "abc", "sizing", "model"];
        let hint = |name: &str| check_known([name], &known).expect_err("unknown").to_string();
        assert!(hint("horizn").contains("did you mean `horizon`?"));
        assert!(hint("hroizon").contains("did you mean `horizon`?")); // a transposition is one edit
        assert!(hint("service_level").contains("did you mean `service_levels`?"));
        assert!(hint("Levels").contains("did you mean `levels`?"));
        let far = hint("colour");
        assert!(far.contains("is not an option (options: horizon, levels"), "{far}");
        assert!(check_known(["abc", "model"], &known).is_ok());
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("ab", "ba"), 1);
    }
}
