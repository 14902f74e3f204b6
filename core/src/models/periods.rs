//! Seasonal periods: one season length or several.
//!
//! Weekly demand has a yearly cycle (52), daily demand a weekly and a yearly one (7 and 365),
//! half-hourly load a daily and a weekly one (48 and 336). [`Periods`] carries any of these. It is
//! written the way callers write it: a number (`12`) or a list (`[7, 365]`), in Rust
//! (`Periods::from(12)`, `Periods::from([7, 365])`), in JSON and in the bindings. `1` means no
//! seasonality.
//!
//! Models that take [`Periods`] ([`crate::models::AutoModel`], [`crate::models::Mstl`],
//! [`crate::models::ensemble::Ensemble`]) use every period the data supports and report the others with the
//! reason; models with a single season (ETS, Holt-Winters, seasonal naive, Theta) take a `usize`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};
use crate::series::validate_season_length;

/// One or several seasonal periods, as given (see the [module docs](self)).
///
/// ```
/// use forestock::models::Periods;
/// let p = Periods::from([365, 7]);
/// assert_eq!(p.normalized()?, vec![7, 365]);
/// assert_eq!(p.shortest(), 7);
/// assert_eq!(Periods::from(1).normalized()?, Vec::<usize>::new());
/// assert_eq!(serde_json::to_string(&Periods::from(52)).unwrap(), "52");
/// assert_eq!(serde_json::from_str::<Periods>("[7, 365]").unwrap(), Periods::from(vec![7, 365]));
/// # Ok::<(), forestock::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Periods(Vec<usize>);

impl Periods {
    /// No seasonality (the single period 1).
    pub fn none() -> Periods {
        Periods(vec![1])
    }

    /// The periods exactly as given.
    pub fn as_given(&self) -> &[usize] {
        &self.0
    }

    /// The seasonal periods sorted, without duplicates and without 1 (an empty list means
    /// non-seasonal). Fails on an empty list or a period of 0, naming `season_length`.
    pub fn normalized(&self) -> Result<Vec<usize>> {
        if self.0.is_empty() {
            return Err(Error::invalid_parameter(
                "season_length",
                "[]",
                "give at least one period (use 1 for non-seasonal data)",
            ));
        }
        for &m in &self.0 {
            validate_season_length(m)?;
        }
        let mut periods: Vec<usize> = self.0.iter().copied().filter(|&m| m > 1).collect();
        periods.sort_unstable();
        periods.dedup();
        Ok(periods)
    }

    /// The shortest seasonal period, or 1 when there is none (the scale of seasonal-naive MASE).
    pub fn shortest(&self) -> usize {
        self.0.iter().copied().filter(|&m| m > 1).min().unwrap_or(1)
    }

    /// The longest seasonal period, or 1 when there is none.
    pub fn longest(&self) -> usize {
        self.0.iter().copied().max().unwrap_or(1).max(1)
    }

    /// The only period when exactly one is given (1 for non-seasonal), `None` for several.
    pub fn single(&self) -> Option<usize> {
        match self.normalized() {
            Ok(p) if p.is_empty() => Some(1),
            Ok(p) if p.len() == 1 => Some(p[0]),
            _ => None,
        }
    }
}

impl Default for Periods {
    fn default() -> Self {
        Periods::none()
    }
}

impl From<usize> for Periods {
    fn from(m: usize) -> Self {
        Periods(vec![m])
    }
}

impl From<Vec<usize>> for Periods {
    fn from(periods: Vec<usize>) -> Self {
        Periods(periods)
    }
}

impl From<&[usize]> for Periods {
    fn from(periods: &[usize]) -> Self {
        Periods(periods.to_vec())
    }
}

impl<const N: usize> From<[usize; N]> for Periods {
    fn from(periods: [usize; N]) -> Self {
        Periods(periods.to_vec())
    }
}

impl std::fmt::Display for Periods {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0.as_slice() {
            [m] => write!(f, "{m}"),
            many => {
                let parts: Vec<String> = many.iter().map(|m| m.to_string()).collect();
                write!(f, "[{}]", parts.join(", "))
            }
        }
    }
}

/// A single period serializes as a number (so records written before lists existed read the same),
/// several as a list.
impl Serialize for Periods {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        match self.0.as_slice() {
            [m] => serializer.serialize_u64(*m as u64),
            many => many.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Periods {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct PeriodsVisitor;

        impl<'de> serde::de::Visitor<'de> for PeriodsVisitor {
            type Value = Periods;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a whole number or a list of whole numbers, e.g. 12 or [7, 365]")
            }

            fn visit_u64<E: serde::de::Error>(self, m: u64) -> std::result::Result<Periods, E> {
                usize::try_from(m).map(|m| Periods(vec![m])).map_err(|_| E::custom("season length too large"))
            }

            fn visit_i64<E: serde::de::Error>(self, m: i64) -> std::result::Result<Periods, E> {
                usize::try_from(m)
                    .map(|m| Periods(vec![m]))
                    .map_err(|_| E::invalid_value(serde::de::Unexpected::Signed(m), &self))
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Periods, A::Error> {
                let mut periods = Vec::new();
                while let Some(m) = seq.next_element::<usize>()? {
                    periods.push(m);
                }
                Ok(Periods(periods))
            }
        }

        deserializer.deserialize_any(PeriodsVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_and_rejects() {
        assert_eq!(Periods::from([365, 7, 7, 1]).normalized().expect("ok"), vec![7, 365]);
        assert!(Periods::from(0).normalized().is_err());
        assert!(Periods::from(Vec::new()).normalized().is_err());
        assert_eq!(Periods::from([7, 365]).single(), None);
        assert_eq!(Periods::from(1).single(), Some(1));
        assert_eq!(Periods::from(52).single(), Some(52));
        assert_eq!(Periods::from([48, 336]).longest(), 336);
        assert_eq!(Periods::none().shortest(), 1);
    }

    #[test]
    fn serde_round_trip() {
        for p in [Periods::from(12), Periods::from([7, 365])] {
            let json = serde_json::to_string(&p).expect("ser");
            assert_eq!(serde_json::from_str::<Periods>(&json).expect("de"), p);
        }
        assert_eq!(serde_json::to_string(&Periods::from([48, 336])).expect("ser"), "[48,336]");
        assert!(serde_json::from_str::<Periods>("\"weekly\"").is_err());
        assert!(serde_json::from_str::<Periods>("-3").is_err());
        // A missing field keeps serde's own message, so callers learn which field is missing.
        #[derive(Debug, Deserialize)]
        struct Holder {
            #[allow(dead_code)]
            season_length: Periods,
        }
        let err = serde_json::from_str::<Holder>("{}").expect_err("missing");
        assert!(err.to_string().starts_with("missing field `season_length`"), "{err}");
    }
}
