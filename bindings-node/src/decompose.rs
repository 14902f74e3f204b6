//! `STL` (R `stats::stl`) and the decomposition results of `STL#decompose` and `MSTL#decompose`.
//!
//! The options are renamed to the core's `Stl` fields and read by the core's serde definition; the
//! smoothing is the core's. Decompositions run synchronously, like `fit` (STL is linear in the
//! series length: a few milliseconds for years of daily data).

use std::collections::HashMap;

use forestock::models::{MstlDecomposition, Stl, StlDecomposition};
use forestock::Error;
use napi::bindgen_prelude::{Either, Float64Array, Object};
use napi_derive::napi;
use serde_json::{Map, Value};

use crate::convert::{json_fields, to_js_json};
use crate::errors::{guarded, to_js_error};
use crate::fitted::{unused_periods, values, UnusedPeriod};
use crate::spec::normalize_number;
use crate::values::Values;

/// JS option name -> core `Stl` field.
const STL_FIELDS: [(&str, &str); 13] = [
    ("seasonLength", "period"),
    ("seasonalWindow", "s_window"),
    ("seasonalDegree", "s_degree"),
    ("trendWindow", "t_window"),
    ("trendDegree", "t_degree"),
    ("lowPassWindow", "l_window"),
    ("lowPassDegree", "l_degree"),
    ("seasonalJump", "s_jump"),
    ("trendJump", "t_jump"),
    ("lowPassJump", "l_jump"),
    ("robust", "robust"),
    ("inner", "inner"),
    ("outer", "outer"),
];

/// The JS option name of a core `Stl` field (errors name the option as the caller spelled it).
fn js_name(core: &str) -> String {
    if core == "span" {
        return "seasonalWindow".to_string();
    }
    STL_FIELDS.iter().find(|(_, c)| *c == core).map_or_else(|| core.to_string(), |(js, _)| js.to_string())
}

/// Relabel an invalid-parameter error with the JS option name.
fn js_error(e: Error) -> Error {
    match e {
        Error::InvalidParameter { name, value, reason } => {
            Error::InvalidParameter { name: js_name(&name), value, reason }
        }
        other => other,
    }
}

fn stl_from_options(options: &Object<'_>) -> Result<Stl, Error> {
    let Value::Object(given) = json_fields(options, &[])? else {
        return Err(Error::invalid_parameter("options", "?", "must be an object"));
    };
    let mut settings = Map::new();
    for (key, value) in given {
        if value.is_null() {
            continue;
        }
        let Some((_, core)) = STL_FIELDS.iter().find(|(js, _)| *js == key) else {
            return Err(Error::invalid_parameter(
                key,
                value,
                "unknown STL option (seasonLength, seasonalWindow, robust, seasonalDegree, trendWindow, trendDegree, \
                 lowPassWindow, lowPassDegree, seasonalJump, trendJump, lowPassJump, inner, outer)",
            ));
        };
        let value = match (*core, value) {
            ("s_window", Value::String(s)) if s == "periodic" => Value::String(s),
            ("s_window", Value::String(s)) => {
                return Err(Error::invalid_parameter("seasonalWindow", s, "must be 'periodic' or an odd integer"))
            }
            ("s_window", span) => serde_json::json!({ "span": normalize_number(span) }),
            (_, other) => normalize_number(other),
        };
        settings.insert(core.to_string(), value);
    }
    settings.entry("s_window").or_insert_with(|| Value::String("periodic".to_string()));
    if !settings.contains_key("period") {
        return Err(Error::invalid_parameter("seasonLength", "undefined", "is required, e.g. 7 or 12"));
    }
    forestock::models::from_settings::<Stl>(&Value::Object(settings)).map_err(js_error)
}

/// STL decomposition: trend, seasonal and remainder (R `stats::stl`, Cleveland et al. 1990).
#[napi(js_name = "STL")]
pub struct StlModel {
    stl: Stl,
}

/// Options of [`StlModel`] (`new STL({ seasonLength: 7, seasonalWindow: 'periodic' })`); unset
/// options take R's defaults.
#[napi(object, object_to_js = false)]
#[allow(dead_code)]
pub struct StlOptions {
    /// Observations per cycle (R `frequency`), at least 2; the series needs two full cycles.
    pub season_length: f64,
    /// `'periodic'` (default: an exactly periodic seasonal) or an odd span in cycles (R `s.window`).
    #[napi(ts_type = "'periodic' | number")]
    pub seasonal_window: Option<Value>,
    /// Robust fitting with bisquare weights (R `robust = TRUE`; default `false`).
    pub robust: Option<bool>,
    /// Seasonal loess degree, 0 or 1 (R `s.degree`).
    pub seasonal_degree: Option<f64>,
    /// Trend loess span (R `t.window`).
    pub trend_window: Option<f64>,
    /// Trend loess degree, 0 or 1 (R `t.degree`, default 1).
    pub trend_degree: Option<f64>,
    /// Low-pass loess span (R `l.window`).
    pub low_pass_window: Option<f64>,
    /// Low-pass loess degree (R `l.degree`).
    pub low_pass_degree: Option<f64>,
    /// Seasonal jump (R `s.jump`).
    pub seasonal_jump: Option<f64>,
    /// Trend jump (R `t.jump`).
    pub trend_jump: Option<f64>,
    /// Low-pass jump (R `l.jump`).
    pub low_pass_jump: Option<f64>,
    /// Inner loop passes (R `inner`).
    pub inner: Option<f64>,
    /// Outer (robustness) loop passes (R `outer`).
    pub outer: Option<f64>,
}

/// The result of `STL#decompose`: `y = trend + seasonal + remainder`.
#[napi(object, object_from_js = false)]
pub struct StlResult {
    /// Trend component.
    #[napi(ts_type = "Float64Array")]
    pub trend: Values,
    /// Seasonal component.
    #[napi(ts_type = "Float64Array")]
    pub seasonal: Values,
    /// Remainder `y - trend - seasonal`.
    #[napi(ts_type = "Float64Array")]
    pub remainder: Values,
    /// Final robustness weights (all 1 unless robust).
    #[napi(ts_type = "Float64Array")]
    pub weights: Values,
    /// The settings used once R's defaults are resolved (windows, degrees, jumps, inner, outer, periodic).
    #[napi(ts_type = "Record<string, number | boolean>")]
    pub params: Value,
}

impl StlResult {
    fn from_core(d: StlDecomposition) -> Result<StlResult, Error> {
        Ok(StlResult {
            params: to_js_json(serde_json::to_value(d.params)?),
            trend: Values(d.trend),
            seasonal: Values(d.seasonal),
            remainder: Values(d.remainder),
            weights: Values(d.weights),
        })
    }
}

#[napi]
impl StlModel {
    /// Create the decomposition from its options (`seasonLength` is required).
    #[napi(constructor, ts_args_type = "options: StlOptions")]
    pub fn new(options: Object<'_>) -> napi::Result<Self, String> {
        Ok(StlModel { stl: stl_from_options(&options).map_err(|e| to_js_error(&e))? })
    }

    /// Decompose `y` (oldest first; at least two full cycles, no NaN/Infinity).
    #[napi]
    pub fn decompose(&self, y: Either<Float64Array, Vec<f64>>) -> napi::Result<StlResult, String> {
        guarded(|| self.stl.decompose(values(&y)).map_err(js_error).and_then(StlResult::from_core))
            .map_err(|e| to_js_error(&e))
    }

    /// The core `Stl` settings as JSON, e.g. `{"period":7,"s_window":"periodic",...}`.
    #[napi(getter)]
    pub fn spec(&self) -> napi::Result<String, String> {
        serde_json::to_string(&self.stl).map_err(|e| to_js_error(&e.into()))
    }
}

/// The result of `MSTL#decompose`: `y = trend + Σ seasonal[p] + remainder` (in the Box-Cox scale
/// when `lambda` is set).
#[napi(object, object_from_js = false)]
pub struct MstlResult {
    /// The periods used, increasing.
    pub periods: Vec<f64>,
    /// Trend component.
    #[napi(ts_type = "Float64Array")]
    pub trend: Values,
    /// One seasonal component per period used, keyed by the period (`seasonal[7]`).
    #[napi(ts_type = "Record<number, Float64Array>")]
    pub seasonal: HashMap<String, Values>,
    /// Remainder.
    #[napi(ts_type = "Float64Array")]
    pub remainder: Values,
    /// Periods given but not used, each `{ period, reason }` (e.g. fewer than two full cycles).
    pub dropped: Vec<UnusedPeriod>,
    /// The Box-Cox parameter applied, if any.
    pub lambda: Option<f64>,
}

impl From<MstlDecomposition> for MstlResult {
    fn from(d: MstlDecomposition) -> Self {
        MstlResult {
            periods: d.periods.iter().map(|p| *p as f64).collect(),
            seasonal: d.periods.iter().zip(d.seasonals).map(|(p, s)| (p.to_string(), Values(s))).collect(),
            trend: Values(d.trend),
            remainder: Values(d.remainder),
            dropped: unused_periods(d.dropped),
            lambda: d.lambda,
        }
    }
}
