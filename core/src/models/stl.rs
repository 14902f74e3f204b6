//! STL: Seasonal-Trend decomposition by Loess, a port of R's `stats::stl` (Fortran `stl.f`).
//!
//! Source: R. B. Cleveland, W. S. Cleveland, J. E. McRae and I. Terpenning (1990), "STL: A
//! Seasonal-Trend Decomposition Procedure Based on Loess", *Journal of Official Statistics* 6(1),
//! 3–73. The series is split additively, `y_t = T_t + S_t + R_t`, by two nested loops:
//!
//! - **inner loop** (`inner` passes): detrend `y − T`; smooth each cycle-subseries (the values at
//!   the same position of the period) by loess of span `s_window`, extended by one period at each
//!   end; remove the low-pass part of that (moving averages of lengths `period`, `period`, 3 then a
//!   loess of span `l_window`) to get `S`; smooth the deseasonalised `y − S` by loess of span
//!   `t_window` to get `T`;
//! - **outer loop** (`outer` passes): bisquare robustness weights `ρ_t = B(|R_t| / (6 median|R|))`,
//!   `B(u) = (1 − u²)²` for `u < 1`, 0 otherwise, multiply the loess neighbourhood weights of the
//!   next inner loop.
//!
//! Every loess uses tricube neighbourhood weights `(1 − (|t − x| / h)³)³`, local degree 0 or 1,
//! and is evaluated only at every `jump`-th point with linear interpolation in between.
//! With `s_window = periodic` the seasonal is smoothed with a span of `10 n + 1` and degree 0, and
//! then replaced by the mean of each cycle position, as R does.

mod loess;
mod psort;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use loess::{inner_passes, robustness_weights, Smoother, Smoothers, Workspace};

/// The seasonal smoothing window of [`Stl`]: R's `s.window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeasonalWindow {
    /// R's `s.window = "periodic"`: span `10 n + 1`, degree 0, then the seasonal is replaced by the
    /// mean of each cycle position (an exactly periodic seasonal).
    Periodic,
    /// Loess span in lags for the cycle-subseries (odd; an even value is increased by 1, a value
    /// below 3 becomes 3, as in `stl.f`). Small values let the seasonal pattern change quickly.
    Span(usize),
}

/// STL settings, with R's `stats::stl` defaults.
///
/// | field       | R argument  | default (as R)                                                  |
/// |-------------|-------------|-----------------------------------------------------------------|
/// | `period`    | `frequency` | required, `>= 2`                                                |
/// | `s_window`  | `s.window`  | required: `Periodic` or `Span(odd)`                             |
/// | `s_degree`  | `s.degree`  | 0 (forced to 0 when periodic)                                   |
/// | `t_window`  | `t.window`  | `nextodd(ceil(1.5 period / (1 − 1.5 / s.window)))`              |
/// | `t_degree`  | `t.degree`  | 1                                                               |
/// | `l_window`  | `l.window`  | `nextodd(period)`                                               |
/// | `l_degree`  | `l.degree`  | `t_degree`                                                      |
/// | `s_jump`    | `s.jump`    | `ceil(s.window / 10)` (`s.window = 10 n + 1` when periodic)     |
/// | `t_jump`    | `t.jump`    | `ceil(t.window / 10)`                                           |
/// | `l_jump`    | `l.jump`    | `ceil(l.window / 10)`                                           |
/// | `robust`    | `robust`    | `false`                                                         |
/// | `inner`     | `inner`     | 2, or 1 when robust                                             |
/// | `outer`     | `outer`     | 0, or 15 when robust                                            |
///
/// `None` means "R's default". Degrees are 0 or 1 (as in R). The series must hold at least two full
/// periods (R's `stl` asks for more than two; two years of weekly history, the usual planning
/// history, is exactly two yearly cycles, and the cycle-subseries smoothers are well defined on two
/// points each, so forestock accepts it); the work memory is `5 (n + 2 period)` values, so it is bounded by the series length.
///
/// ```
/// use forestock::models::{SeasonalWindow, Stl};
/// let y: Vec<f64> = (0..48).map(|t| 10.0 + 0.2 * t as f64 + [3.0, -1.0, -2.0, 0.0][t % 4]).collect();
/// let d = Stl::new(4, SeasonalWindow::Periodic).decompose(&y)?;
/// assert!((d.seasonal[0] - d.seasonal[4]).abs() < 1e-12);
/// assert!(y.iter().zip(&d.trend).zip(&d.seasonal).zip(&d.remainder)
///     .all(|(((y, t), s), r)| (y - t - s - r).abs() < 1e-9));
/// # Ok::<(), forestock::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stl {
    /// Number of observations per cycle (R: `frequency(x)`), at least 2.
    pub period: usize,
    /// Seasonal smoothing window.
    pub s_window: SeasonalWindow,
    /// Degree of the seasonal loess (0 or 1); ignored (0) when periodic.
    #[serde(default)]
    pub s_degree: u8,
    /// Trend loess span; `None` for R's default.
    pub t_window: Option<usize>,
    /// Degree of the trend loess (0 or 1).
    #[serde(default = "default_t_degree")]
    pub t_degree: u8,
    /// Span of the low-pass loess; `None` for `nextodd(period)`.
    pub l_window: Option<usize>,
    /// Degree of the low-pass loess; `None` for `t_degree`.
    pub l_degree: Option<u8>,
    /// Seasonal jump; `None` for `ceil(s.window / 10)`.
    pub s_jump: Option<usize>,
    /// Trend jump; `None` for `ceil(t.window / 10)`.
    pub t_jump: Option<usize>,
    /// Low-pass jump; `None` for `ceil(l.window / 10)`.
    pub l_jump: Option<usize>,
    /// Robust fitting (chooses the default `inner` / `outer` counts).
    #[serde(default)]
    pub robust: bool,
    /// Passes of the inner loop; `None` for 2 (1 when robust).
    pub inner: Option<usize>,
    /// Passes of the outer (robustness) loop; `None` for 0 (15 when robust).
    pub outer: Option<usize>,
}

/// R's `t.degree` default.
fn default_t_degree() -> u8 {
    1
}

/// The numbers an STL run used once R's defaults are resolved (R's `win`, `deg`, `jump`, `inner`,
/// `outer`), before `stl.f` makes the windows odd and at least 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StlParams {
    /// Seasonal span (`10 n + 1` when periodic).
    pub s_window: usize,
    /// Trend span.
    pub t_window: usize,
    /// Low-pass span.
    pub l_window: usize,
    /// Seasonal degree.
    pub s_degree: u8,
    /// Trend degree.
    pub t_degree: u8,
    /// Low-pass degree.
    pub l_degree: u8,
    /// Seasonal jump.
    pub s_jump: usize,
    /// Trend jump.
    pub t_jump: usize,
    /// Low-pass jump.
    pub l_jump: usize,
    /// Inner passes.
    pub inner: usize,
    /// Outer passes.
    pub outer: usize,
    /// Whether the seasonal was made exactly periodic.
    pub periodic: bool,
}

/// The result of [`Stl::decompose`]: `y = trend + seasonal + remainder`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StlDecomposition {
    /// Seasonal component.
    pub seasonal: Vec<f64>,
    /// Trend component.
    pub trend: Vec<f64>,
    /// Remainder `y − seasonal − trend`.
    pub remainder: Vec<f64>,
    /// Final robustness weights (all 1 without outer passes).
    pub weights: Vec<f64>,
    /// The settings used.
    pub params: StlParams,
}

/// R's `nextodd`: round, then add 1 if even.
fn next_odd(x: usize) -> usize {
    if x.is_multiple_of(2) {
        x + 1
    } else {
        x
    }
}

/// `stl.f`'s adjustment of a span: at least 3, and odd.
fn odd_span(x: usize) -> usize {
    next_odd(x.max(3))
}

fn check_degree(name: &str, degree: u8) -> Result<u8> {
    if degree > 1 {
        return Err(Error::invalid_parameter(name, degree, "STL loess degrees are 0 or 1"));
    }
    Ok(degree)
}

fn check_at_least_one(name: &str, value: Option<usize>) -> Result<()> {
    if value == Some(0) {
        return Err(Error::invalid_parameter(name, 0, "must be at least 1"));
    }
    Ok(())
}

impl Stl {
    /// STL with period `period` and seasonal window `s_window`, every other setting as R.
    pub fn new(period: usize, s_window: SeasonalWindow) -> Stl {
        Stl {
            period,
            s_window,
            s_degree: 0,
            t_window: None,
            t_degree: 1,
            l_window: None,
            l_degree: None,
            s_jump: None,
            t_jump: None,
            l_jump: None,
            robust: false,
            inner: None,
            outer: None,
        }
    }
    /// Robust fitting (R `robust = TRUE`: inner 1, outer 15 unless set).
    pub fn robust(mut self, robust: bool) -> Self {
        self.robust = robust;
        self
    }
    /// Degree of the seasonal loess (0 or 1).
    pub fn with_s_degree(mut self, degree: u8) -> Self {
        self.s_degree = degree;
        self
    }
    /// Trend span.
    pub fn with_t_window(mut self, window: usize) -> Self {
        self.t_window = Some(window);
        self
    }
    /// Degree of the trend loess (0 or 1).
    pub fn with_t_degree(mut self, degree: u8) -> Self {
        self.t_degree = degree;
        self
    }
    /// Low-pass span.
    pub fn with_l_window(mut self, window: usize) -> Self {
        self.l_window = Some(window);
        self
    }
    /// Degree of the low-pass loess (0 or 1).
    pub fn with_l_degree(mut self, degree: u8) -> Self {
        self.l_degree = Some(degree);
        self
    }
    /// Jumps of the seasonal, trend and low-pass smoothers.
    pub fn with_jumps(mut self, s_jump: usize, t_jump: usize, l_jump: usize) -> Self {
        self.s_jump = Some(s_jump);
        self.t_jump = Some(t_jump);
        self.l_jump = Some(l_jump);
        self
    }
    /// Inner and outer pass counts.
    pub fn with_iterations(mut self, inner: usize, outer: usize) -> Self {
        self.inner = Some(inner);
        self.outer = Some(outer);
        self
    }

    /// The settings R would use on a series of length `n` (defaults resolved, see the table).
    pub fn params(&self, n: usize) -> Result<StlParams> {
        if self.period < 2 {
            return Err(Error::invalid_parameter("period", self.period, "STL needs a period of at least 2"));
        }
        // Caller-controlled sizes, checked before anything is allocated or looped over.
        use crate::limits::{check_at_most, MAX_SEASON_LENGTH, MAX_STL_PASSES, MAX_STL_SPAN};
        check_at_most("period", self.period, MAX_SEASON_LENGTH)?;
        if let SeasonalWindow::Span(w) = self.s_window {
            check_at_most("s_window", w, MAX_STL_SPAN)?;
        }
        for (name, v) in [
            ("t_window", self.t_window),
            ("l_window", self.l_window),
            ("s_jump", self.s_jump),
            ("t_jump", self.t_jump),
            ("l_jump", self.l_jump),
        ] {
            check_at_most(name, v.unwrap_or(0), MAX_STL_SPAN)?;
        }
        check_at_most("inner", self.inner.unwrap_or(0), MAX_STL_PASSES)?;
        check_at_most("outer", self.outer.unwrap_or(0), MAX_STL_PASSES)?;
        let (s_window, s_degree, periodic) = match self.s_window {
            SeasonalWindow::Periodic => (10 * n + 1, 0, true),
            SeasonalWindow::Span(0) => {
                return Err(Error::invalid_parameter("s_window", 0, "must be at least 1 (or periodic)"))
            }
            SeasonalWindow::Span(w) => (w, check_degree("s_degree", self.s_degree)?, false),
        };
        let t_degree = check_degree("t_degree", self.t_degree)?;
        let l_degree = check_degree("l_degree", self.l_degree.unwrap_or(t_degree))?;
        for (name, v) in [
            ("t_window", self.t_window),
            ("l_window", self.l_window),
            ("s_jump", self.s_jump),
            ("t_jump", self.t_jump),
            ("l_jump", self.l_jump),
            ("inner", self.inner),
        ] {
            check_at_least_one(name, v)?;
        }
        let t_window = self.t_window.unwrap_or_else(|| {
            // R: nextodd(ceiling(1.5 period / (1 - 1.5 / s.window))); a window of 1 makes the
            // denominator negative, which stl.f turns into its minimum span 3.
            let raw = (1.5 * self.period as f64 / (1.0 - 1.5 / s_window as f64)).ceil();
            if raw.is_finite() && raw >= 3.0 {
                next_odd(raw as usize)
            } else {
                3
            }
        });
        let l_window = self.l_window.unwrap_or(next_odd(self.period));
        Ok(StlParams {
            s_window,
            t_window,
            l_window,
            s_degree,
            t_degree,
            l_degree,
            s_jump: self.s_jump.unwrap_or(s_window.div_ceil(10)),
            t_jump: self.t_jump.unwrap_or(t_window.div_ceil(10)),
            l_jump: self.l_jump.unwrap_or(l_window.div_ceil(10)),
            inner: self.inner.unwrap_or(if self.robust { 1 } else { 2 }),
            outer: self.outer.unwrap_or(if self.robust { 15 } else { 0 }),
            periodic,
        })
    }

    /// Decompose `y` (oldest first) into trend, seasonal and remainder.
    ///
    /// Errors: a period below 2 or an invalid setting ([`Error::InvalidParameter`]), a non-finite
    /// value ([`Error::NonFinite`]), fewer than `2 period` observations ([`Error::TooShort`]).
    pub fn decompose(&self, y: &[f64]) -> Result<StlDecomposition> {
        let params = self.params(y.len())?;
        crate::series::validate_finite(y, 2 * self.period, "STL (two full periods)")?;
        let n = y.len();
        let smoothers = Smoothers {
            period: self.period,
            seasonal: Smoother { span: odd_span(params.s_window), degree: params.s_degree, jump: params.s_jump },
            trend: Smoother { span: odd_span(params.t_window), degree: params.t_degree, jump: params.t_jump },
            low_pass: Smoother { span: odd_span(params.l_window), degree: params.l_degree, jump: params.l_jump },
        };
        let mut ws = Workspace::new(n, self.period);
        let mut seasonal = vec![0.0; n];
        let mut trend = vec![0.0; n];
        let mut weights = vec![1.0; n];
        let mut fit = vec![0.0; n];
        let mut scratch = vec![0.0; n];
        let mut use_weights = false;
        let mut pass = 0;
        loop {
            let robustness = if use_weights { Some(weights.as_slice()) } else { None };
            inner_passes(y, &smoothers, params.inner, robustness, &mut seasonal, &mut trend, &mut ws);
            pass += 1;
            if pass > params.outer {
                break;
            }
            for i in 0..n {
                fit[i] = trend[i] + seasonal[i];
            }
            robustness_weights(y, &fit, &mut weights, &mut scratch);
            use_weights = true;
        }
        if params.outer == 0 {
            weights.fill(1.0);
        }
        if params.periodic {
            make_periodic(&mut seasonal, self.period);
        }
        let remainder = y.iter().zip(&seasonal).zip(&trend).map(|((y, s), t)| y - s - t).collect();
        Ok(StlDecomposition { seasonal, trend, remainder, weights, params })
    }
}

/// Local-linear tricube loess of `x` with an odd `span` (>= 3), every point fitted: the STL trend
/// smoother on its own, used by MSTL when no period is usable. `out` and `w` have `x`'s length.
pub(crate) fn smooth_trend(x: &[f64], span: usize, out: &mut [f64], w: &mut [f64]) {
    loess::smooth(x, Smoother { span: odd_span(span), degree: 1, jump: 1 }, None, out, w);
}

/// Replace each value by the mean of its cycle position (R: `tapply(seasonal, cycle(x), mean)`).
fn make_periodic(seasonal: &mut [f64], period: usize) {
    for j in 0..period {
        let (sum, count) = seasonal.iter().skip(j).step_by(period).fold((0.0, 0usize), |(s, c), v| (s + v, c + 1));
        let mean = sum / count as f64;
        for v in seasonal.iter_mut().skip(j).step_by(period) {
            *v = mean;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seasonal_series(n: usize) -> Vec<f64> {
        (0..n)
            .map(|t| 20.0 + 0.3 * t as f64 + [4.0, -1.0, -3.0, 0.5, 2.0, -2.5][t % 6] + ((t * 7) % 5) as f64 * 0.1)
            .collect()
    }

    #[test]
    fn components_add_up_and_periodic_is_periodic() {
        let y = seasonal_series(60);
        for robust in [false, true] {
            let d = Stl::new(6, SeasonalWindow::Periodic).robust(robust).decompose(&y).expect("stl");
            for (t, v) in y.iter().enumerate() {
                assert!((d.trend[t] + d.seasonal[t] + d.remainder[t] - v).abs() < 1e-10);
            }
            for t in 6..60 {
                assert_eq!(d.seasonal[t], d.seasonal[t - 6]);
            }
            assert_eq!(d.weights.iter().all(|w| *w == 1.0), !robust);
        }
    }

    #[test]
    fn defaults_follow_r() {
        // AirPassengers training part (126 points), as recorded from R.
        let p = Stl::new(12, SeasonalWindow::Periodic).params(126).expect("params");
        assert_eq!((p.s_window, p.t_window, p.l_window, p.s_jump, p.t_jump, p.l_jump), (1261, 19, 13, 127, 2, 2));
        let p = Stl::new(12, SeasonalWindow::Span(7)).robust(true).params(126).expect("params");
        assert_eq!((p.s_window, p.t_window, p.s_jump, p.t_jump, p.inner, p.outer), (7, 23, 1, 3, 1, 15));
    }

    #[test]
    fn bad_input_is_a_typed_error() {
        let y = seasonal_series(24);
        assert!(matches!(Stl::new(1, SeasonalWindow::Periodic).decompose(&y), Err(Error::InvalidParameter { .. })));
        assert!(matches!(
            Stl::new(12, SeasonalWindow::Periodic).decompose(&y[..23]),
            Err(Error::TooShort { len: 23, min: 24, .. })
        ));
        // Exactly two full cycles are enough (R asks for more).
        assert!(Stl::new(12, SeasonalWindow::Periodic).decompose(&y).is_ok());
        let mut bad = y.clone();
        bad[5] = f64::NAN;
        assert!(matches!(Stl::new(6, SeasonalWindow::Span(7)).decompose(&bad), Err(Error::NonFinite { index: 5, .. })));
        assert!(matches!(
            Stl::new(6, SeasonalWindow::Span(7)).with_t_degree(2).decompose(&y),
            Err(Error::InvalidParameter { .. })
        ));
        assert!(matches!(
            Stl::new(6, SeasonalWindow::Span(7)).with_jumps(0, 1, 1).decompose(&y),
            Err(Error::InvalidParameter { .. })
        ));
    }
}
