//! The health of a planning run, decided from its counts, so that every caller (the main job, the
//! Python and Node jobs and schedulers) calls the same run failed or degraded.

use serde::{Deserialize, Serialize};

/// Health of a planning run (serialized `"ok"`, `"degraded"`, `"failed"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    /// At least half of the SKUs were planned.
    #[default]
    Ok,
    /// Some SKUs were planned but more than half failed: the plan is usable, the input is suspect.
    Degraded,
    /// No SKU was planned (including an empty catalogue): nothing to act on.
    Failed,
}

impl RunStatus {
    /// The status of a run that planned `planned` SKUs and failed `failed`:
    /// `Failed` when `planned = 0`, `Degraded` when `failed > (planned + failed) / 2`, else `Ok`.
    ///
    /// A run where most SKUs fail usually means a systematic input problem (a column missing or
    /// misnamed, a unit error) rather than a few bad SKUs, so it must not pass as a success.
    pub fn of(planned: usize, failed: usize) -> RunStatus {
        if planned == 0 {
            RunStatus::Failed
        } else if failed > planned {
            RunStatus::Degraded
        } else {
            RunStatus::Ok
        }
    }

    /// The serialized name: `"ok"`, `"degraded"` or `"failed"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            RunStatus::Ok => "ok",
            RunStatus::Degraded => "degraded",
            RunStatus::Failed => "failed",
        }
    }

    /// Whether the run needs attention (degraded or failed).
    pub const fn is_alarming(self) -> bool {
        !matches!(self, RunStatus::Ok)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds() {
        assert_eq!(RunStatus::of(0, 0), RunStatus::Failed);
        assert_eq!(RunStatus::of(0, 5), RunStatus::Failed);
        assert_eq!(RunStatus::of(1, 2), RunStatus::Degraded);
        assert_eq!(RunStatus::of(2, 2), RunStatus::Ok); // exactly half failed: not more than half
        assert_eq!(RunStatus::of(500, 0), RunStatus::Ok);
        assert_eq!(serde_json::to_string(&RunStatus::Degraded).expect("json"), "\"degraded\"");
    }
}
