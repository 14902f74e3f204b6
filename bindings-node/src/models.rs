//! The model classes exposed to JS: one line per core model in the `models!` table below.
//!
//! Each class holds a core [`ModelSpec`] built from its options object (camelCase settings, turned
//! into the core's snake_case fields) and offers `fit(y)`, `fitAsync(y, options)` (on the libuv pool,
//! abortable), `forecast(y, h, levels)` and `spec`.
//! To expose a new core model: declare its options struct (fields as the core names them, numbers
//! as `f64`, optional ones as `Option<_>`) and add a line `Class "Class" (Options) => "core_tag": "doc";` (the doc is a plain string so that
//! napi copies it into `index.d.ts`).

use forestock::{Error, ModelSpec};
use napi::bindgen_prelude::{AsyncTask, Either, Float64Array, Object, Unknown};
use napi::Env;
use napi_derive::napi;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::convert::{json_fields, model_like, model_list, to_core_json};
use crate::errors::to_js_error;

use crate::control::ControlledTask;
use crate::fitted::{FitJob, FittedModel, ForecastResult};
use crate::option_keys::read_options;
use crate::spec::model_spec;

/// Build the spec of a model class from its options struct.
fn class_spec(tag: &str, options: &impl Serialize) -> napi::Result<ModelSpec, String> {
    let settings = serde_json::to_value(options).map_err(|e| to_js_error(&e.into()))?;
    model_spec(tag, settings).map_err(|e| to_js_error(&e))
}

/// A model class: the struct holding its spec and the methods every model shares.
macro_rules! model_class {
    ($class:ident $js_name:tt: $doc:literal) => {
        #[doc = $doc]
        #[napi(js_name = $js_name)]
        pub struct $class {
            spec: ModelSpec,
        }

        #[napi]
        impl $class {
            /// Estimate the model on `y` (oldest observation first).
            #[napi]
            pub fn fit(&self, y: Either<Float64Array, Vec<f64>>) -> napi::Result<FittedModel, String> {
                FittedModel::fit(&self.spec, &y)
            }

            /// `fit` on the libuv thread pool, off the JS thread: resolves to the same `FittedModel`.
            /// `options.signal` (an `AbortSignal`) stops the fit within one objective evaluation
            /// and rejects with an `AbortError` whose `code` is `'ERR_CANCELLED'`.
            #[napi(
                ts_args_type = "y: Float64Array | Array<number>, options?: JobControlOptions",
                ts_return_type = "Promise<FittedModel>"
            )]
            pub fn fit_async(
                &self,
                env: Env,
                y: Either<Float64Array, Vec<f64>>,
                options: Option<Object<'_>>,
            ) -> napi::Result<AsyncTask<ControlledTask<FitJob>>> {
                FittedModel::fit_async(&env, &self.spec, &y, options.as_ref())
            }

            /// Fit on `y` and forecast `h` steps with intervals at `levels` (percent).
            #[napi]
            pub fn forecast(
                &self,
                y: Either<Float64Array, Vec<f64>>,
                h: f64,
                levels: Option<Vec<f64>>,
            ) -> napi::Result<ForecastResult, String> {
                FittedModel::fit(&self.spec, &y)?.predict(h, levels)
            }

            /// The core model specification as JSON, e.g. `{"model":"seasonal_naive","season_length":12}`.
            #[napi(getter)]
            pub fn spec(&self) -> napi::Result<String, String> {
                serde_json::to_string(&self.spec).map_err(|e| to_js_error(&e.into()))
            }
        }
    };
}

macro_rules! models {
    ($($class:ident $js_name:tt ($options:ty, $ts_args:literal) => $tag:literal: $doc:literal;)+) => {$(
        model_class!($class $js_name: $doc);

        #[napi]
        impl $class {
            /// Create the model from its options (a key the options do not have is an error).
            #[napi(constructor, ts_args_type = $ts_args)]
            pub fn new(options: Option<Object<'_>>) -> napi::Result<Self, String> {
                let options: $options = read_options(options.as_ref()).map_err(|e| to_js_error(&e))?;
                Ok($class { spec: class_spec($tag, &options)? })
            }
        }
    )+};
}

/// Options of [`Naive`]: none.
#[napi(object)]
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NaiveOptions {}

/// Options of [`SeasonalNaive`].
#[napi(object)]
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SeasonalNaiveOptions {
    /// Number of periods in a season (12 for monthly data with yearly seasonality).
    pub season_length: f64,
}

/// Options of [`ETS`]: one fixed ETS form (R `forecast::ets(model = "MAdM")`).
#[napi(object)]
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EtsOptions {
    /// Model code: error `A|M`, trend `N|A|Ad|M|Md`, season `N|A|M`, e.g. `'MAdM'` (core field `spec`).
    #[serde(rename(serialize = "spec"))]
    pub model: String,
    /// Number of periods in a season (default 1: non-seasonal).
    pub season_length: Option<f64>,
    /// Force a damped (`true`) or undamped (`false`) trend; unset keeps the code.
    pub damped: Option<bool>,
    /// Fixed level smoothing α (estimated when unset).
    pub alpha: Option<f64>,
    /// Fixed trend smoothing β (estimated when unset).
    pub beta: Option<f64>,
    /// Fixed seasonal smoothing γ (estimated when unset).
    pub gamma: Option<f64>,
    /// Fixed damping φ (estimated when unset).
    pub phi: Option<f64>,
    /// Permit a multiplicative trend (default `false`, as in R).
    pub allow_multiplicative_trend: Option<bool>,
    /// Refuse the unstable forms R forbids (default `true`).
    pub restrict: Option<bool>,
    /// Minimiser: `'hybrid'` (default: projected BFGS on the analytic likelihood gradient for a seasonal form; for a non-seasonal one R's search to a coarse tolerance, finished by the gradient), `'nelder_mead'` (R's search on the shorter-chain arithmetic for every form, R's estimates up to rounding), `'nelder_mead_r'` (R's estimates bit for bit) or `'lbfgs'` (the gradient for every form).
    pub optimizer: Option<String>,
}

/// Options of [`AutoETS`]: automatic selection among ETS forms (R `forecast::ets()`).
#[napi(object)]
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AutoEtsOptions {
    /// Number of periods in a season (default 1: non-seasonal).
    pub season_length: Option<f64>,
    /// Pattern with `Z` wildcards, default `'ZZZ'` (core field `pattern`).
    #[serde(rename(serialize = "pattern"))]
    pub model: Option<String>,
    /// Only damped (`true`) or only undamped (`false`) trends; unset tries both.
    pub damped: Option<bool>,
    /// Information criterion: `'aicc'` (default), `'aic'` or `'bic'`.
    pub ic: Option<String>,
    /// Also try multiplicative trends (default `false`, as in R).
    pub allow_multiplicative_trend: Option<bool>,
    /// Only additive forms (R `additive.only`).
    pub additive_only: Option<bool>,
    /// R's `restrict` rule (default `true`).
    pub restrict: Option<bool>,
    /// Minimiser: `'hybrid'` (default: projected BFGS on the analytic likelihood gradient for the seasonal forms; for the non-seasonal ones R's search to a coarse tolerance, finished by the gradient), `'nelder_mead'` (R's search on the shorter-chain arithmetic for every form, R's choice and estimates up to rounding), `'nelder_mead_r'` (R's search bit for bit) or `'lbfgs'` (the gradient for every form).
    pub optimizer: Option<String>,
}

/// Options of [`HoltWinters`] (R `stats::HoltWinters`).
#[napi(object)]
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HoltWintersOptions {
    /// Number of periods in a season (at least 2).
    pub season_length: f64,
    /// `'additive'` (default) or `'multiplicative'`.
    pub seasonality: Option<String>,
    /// Fixed level smoothing α (estimated when unset).
    pub alpha: Option<f64>,
    /// Fixed trend smoothing β (estimated when unset).
    pub beta: Option<f64>,
    /// Fixed seasonal smoothing γ (estimated when unset).
    pub gamma: Option<f64>,
    /// Trend damping φ in (0, 1] (undamped when unset).
    pub phi: Option<f64>,
}

/// Options of the intermittent methods without settings (Croston, SBA, ADIDA, IMAPA): none.
#[napi(object)]
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IntermittentOptions {}

/// Options of [`TSB`]; constants left unset are optimised.
#[napi(object)]
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TsbOptions {
    /// Smoothing constant of the demand sizes, in (0, 1].
    pub alpha_d: Option<f64>,
    /// Smoothing constant of the demand probability, in (0, 1].
    pub alpha_p: Option<f64>,
}

/// Options of [`AutoModel`].
#[napi(object)]
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AutoModelOptions {
    /// Seasonal period(s) of the data, e.g. `52` or `[7, 365]` (1 = non-seasonal): one period of at most 24 goes to AutoETS, a longer one or several to MSTL when the history holds two cycles.
    #[napi(ts_type = "number | number[]")]
    pub season_length: Value,
    /// Minimiser of its AutoETS searches: `'hybrid'` (default), `'nelder_mead'`, `'nelder_mead_r'` (R's arithmetic bit for bit) or `'lbfgs'`, as for `AutoETS`.
    pub optimizer: Option<String>,
}

/// Options of [`Theta`].
#[napi(object)]
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ThetaOptions {
    /// Season length tested for seasonality before the multiplicative adjustment (default 1).
    pub season_length: Option<f64>,
}

/// Options of [`AutoTheta`].
#[napi(object)]
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AutoThetaOptions {
    /// Season length tested for seasonality before the multiplicative adjustment (default 1).
    pub season_length: Option<f64>,
    /// Fit only this variant: `'STM'`, `'OTM'`, `'DSTM'` or `'DOTM'` (default: all four, best in-sample MSE; core field `variant`).
    #[napi(ts_type = "'STM' | 'OTM' | 'DSTM' | 'DOTM'")]
    #[serde(rename(serialize = "variant"))]
    pub model: Option<String>,
    /// Fixed smoothing parameter alpha in (0, 1] (estimated when unset).
    pub alpha: Option<f64>,
    /// Fixed theta >= 1 for OTM/DOTM (estimated when unset).
    pub theta: Option<f64>,
}

// Class "JS class name" (options type) => "core ModelSpec tag": "doc comment";
// (the JS name is spelled out because napi would turn `ETS` into `Ets`).
models! {
    Naive "Naive" (NaiveOptions, "options?: NaiveOptions | undefined | null") => "naive":
        "Naive (random walk): every forecast equals the last observation (R `forecast::naive`).";
    SeasonalNaive "SeasonalNaive" (SeasonalNaiveOptions, "options: SeasonalNaiveOptions") => "seasonal_naive":
        "Seasonal naive: repeats the last observed season (R `forecast::snaive`).";
    ETS "ETS" (EtsOptions, "options: EtsOptions") => "ets":
        "One fixed ETS form, e.g. `new ETS({ model: 'MAdM', seasonLength: 12 })` (R `forecast::ets`).";
    AutoETS "AutoETS" (AutoEtsOptions, "options?: AutoEtsOptions | undefined | null") => "auto_ets":
        "ETS with automatic model selection by AICc (R `forecast::ets` defaults).";
    HoltWinters "HoltWinters" (HoltWintersOptions, "options: HoltWintersOptions") => "holt_winters":
        "Holt-Winters, additive or multiplicative seasonality (R `stats::HoltWinters`).";
    CrostonClassic "CrostonClassic" (IntermittentOptions, "options?: IntermittentOptions | undefined | null") => "croston_classic":
        "Croston's method with alpha = 0.1 (statsforecast `CrostonClassic`).";
    CrostonOptimized "CrostonOptimized" (IntermittentOptions, "options?: IntermittentOptions | undefined | null") => "croston_optimized":
        "Croston's method with optimised smoothing constants (statsforecast `CrostonOptimized`).";
    CrostonSBA "CrostonSBA" (IntermittentOptions, "options?: IntermittentOptions | undefined | null") => "croston_sba":
        "Syntetos-Boylan approximation, debiased Croston (statsforecast `CrostonSBA`).";
    TSB "TSB" (TsbOptions, "options?: TsbOptions | undefined | null") => "tsb":
        "Teunter-Syntetos-Babai for intermittent demand (statsforecast `TSB`).";
    ADIDA "ADIDA" (IntermittentOptions, "options?: IntermittentOptions | undefined | null") => "adida":
        "Aggregate-disaggregate intermittent demand approach (statsforecast `ADIDA`).";
    IMAPA "IMAPA" (IntermittentOptions, "options?: IntermittentOptions | undefined | null") => "imapa":
        "Intermittent multiple aggregation prediction algorithm (statsforecast `IMAPA`).";
    Theta "Theta" (ThetaOptions, "options?: ThetaOptions | undefined | null") => "theta":
        "The Theta method as R `forecast::thetaf()` computes it: SES with drift on the seasonally adjusted series.";
    AutoTheta "AutoTheta" (AutoThetaOptions, "options?: AutoThetaOptions | undefined | null") => "auto_theta":
        "The four state-space theta models (STM, OTM, DSTM, DOTM; Fiorucci et al. 2016), best in-sample MSE (statsforecast `AutoTheta`).";
    AutoModel "AutoModel" (AutoModelOptions, "options: AutoModelOptions") => "auto_model":
        "Routes each series by its demand pattern and seasons: AutoETS, MSTL (long or several seasons), Croston-SBA, TSB or naive.";
}

model_class!(Conformal "Conformal":
    "Split-conformal intervals around any model's point forecasts, calibrated on its own rolling-origin backtest errors (core `Conformal`).");

/// Options of [`Conformal`].
#[napi(object, object_to_js = false)]
#[allow(dead_code)]
pub struct ConformalOptions {
    /// The model whose point forecasts are used: a model instance (`new CrostonSBA()`), a name, or `{ model, ...settings }`.
    #[napi(ts_type = "ModelInstance | string | ({ model: string } & Record<string, unknown>)")]
    pub base: Value,
    /// Season length of the data (backtest design and MASE scale; default 1).
    pub season_length: Option<f64>,
    /// Backtest windows used for the calibration (default 12; fewer when the series is short).
    pub windows: Option<f64>,
    /// Calibration horizon (default `max(6, min(2 * seasonLength, 24))`).
    pub horizon: Option<f64>,
}

#[napi]
impl Conformal {
    /// Create the model from its options (`base` is required).
    #[napi(constructor, ts_args_type = "options: ConformalOptions")]
    pub fn new(options: Object<'_>) -> napi::Result<Self, String> {
        let build = || -> Result<ModelSpec, Error> {
            let base =
                options.get::<Unknown<'_>>("base").map_err(|e| Error::invalid_parameter("base", "?", e.reason))?;
            let base = base.ok_or_else(|| {
                Error::invalid_parameter(
                    "base",
                    "undefined",
                    "is required: a model instance, name or { model, ...settings }",
                )
            })?;
            let base = serde_json::to_value(model_like(&base, "base")?)?;
            let Value::Object(mut settings) = json_fields(&options, &["base"])? else {
                return Err(Error::invalid_parameter("options", "?", "must be an object"));
            };
            settings.insert("base".to_string(), base);
            model_spec("conformal", Value::Object(settings))
        };
        Ok(Conformal { spec: build().map_err(|e| to_js_error(&e))? })
    }
}

/// A model argument: an instance of any model class, a model name, or `{ model, ...settings }`
/// (declared for the types).
#[napi(object, object_to_js = false)]
#[allow(dead_code)]
pub struct ModelInstance {
    /// The core spec JSON of the model (every model class has this getter).
    pub spec: String,
}

model_class!(Mstl "MSTL":
    "MSTL (R forecast `mstl()` + `forecast.mstl()`): STL over each seasonal period, the seasonally adjusted series forecast by `trendForecaster` (default AutoETS 'ZZN', R's `stlf`), each seasonal's last cycle added back.");

/// Options of [`Mstl`].
#[napi(object, object_to_js = false)]
#[allow(dead_code)]
pub struct MstlOptions {
    /// Seasonal period(s), e.g. `52` or `[7, 365]`; periods with fewer than two full cycles in the data are dropped (core field `periods`).
    #[napi(ts_type = "number | number[]")]
    pub season_length: Value,
    /// Forecaster of the seasonally adjusted series (default AutoETS with pattern 'ZZN'): a model instance, a name, or `{ model, ...settings }`.
    #[napi(ts_type = "ModelInstance | string | ({ model: string } & Record<string, unknown>)")]
    pub trend_forecaster: Option<Value>,
    /// Fixed Box-Cox parameter (none by default).
    pub lambda: Option<f64>,
    /// Robust STL fits (default `false`).
    pub robust: Option<bool>,
}

#[napi]
impl Mstl {
    /// Create the model from its options (`seasonLength` is required).
    #[napi(constructor, ts_args_type = "options: MstlOptions")]
    pub fn new(options: Object<'_>) -> napi::Result<Self, String> {
        let build = || -> Result<ModelSpec, Error> {
            let trend = options
                .get::<Unknown<'_>>("trendForecaster")
                .map_err(|e| Error::invalid_parameter("trendForecaster", "?", e.reason))?;
            let Value::Object(mut settings) = json_fields(&options, &["trendForecaster"])? else {
                return Err(Error::invalid_parameter("options", "?", "must be an object"));
            };
            let periods = settings.remove("seasonLength").ok_or_else(|| {
                Error::invalid_parameter("seasonLength", "undefined", "is required, e.g. 52 or [7, 365]")
            })?;
            let periods = match periods {
                Value::Array(list) => Value::Array(list),
                one => Value::Array(vec![one]),
            };
            settings.insert("periods".to_string(), periods);
            if let Some(trend) = trend {
                settings.insert(
                    "trendForecaster".to_string(),
                    serde_json::to_value(model_like(&trend, "trendForecaster")?)?,
                );
            }
            model_spec("mstl", Value::Object(settings))
        };
        Ok(Mstl { spec: build().map_err(|e| to_js_error(&e))? })
    }

    /// The MSTL decomposition of `y` (R forecast `mstl()`): trend, `seasonal[period]` for each
    /// period used, remainder, and `dropped` (the periods not used, each `{ period, reason }`).
    #[napi]
    pub fn decompose(&self, y: Either<Float64Array, Vec<f64>>) -> napi::Result<crate::decompose::MstlResult, String> {
        let ModelSpec::Mstl(mstl) = &self.spec else {
            return Err(to_js_error(&Error::invalid_parameter("model", self.spec.name(), "not an MSTL model")));
        };
        crate::errors::guarded(|| mstl.decompose(crate::fitted::values(&y)))
            .map(crate::decompose::MstlResult::from)
            .map_err(|e| match e {
                // The core's `periods` is the caller's `seasonLength`.
                Error::InvalidParameter { name, value, reason } if name == "periods" => {
                    to_js_error(&Error::InvalidParameter { name: "seasonLength".into(), value, reason })
                }
                other => to_js_error(&other),
            })
    }
}

model_class!(Ensemble "Ensemble":
    "Backtest-weighted combination (AutoETS + Holt-Winters by default) with conformal intervals (core `Ensemble`).");

/// Options of [`Ensemble`].
#[napi(object, object_to_js = false)]
#[allow(dead_code)]
pub struct EnsembleOptions {
    /// Seasonal period(s) of the data, e.g. `12` or `[7, 365]` (1 = non-seasonal); the default members depend on them.
    #[napi(ts_type = "number | number[]")]
    pub season_length: Value,
    /// Members (model instances, names or `{ model, ...settings }`); default AutoETS with additive and multiplicative Holt-Winters (seasonal) or AutoETS and damped AutoETS.
    #[napi(ts_type = "Array<ModelInstance | string | ({ model: string } & Record<string, unknown>)>")]
    pub members: Option<Value>,
    /// Weighting scheme (default inverse MAE).
    #[napi(
        ts_type = "{ scheme: 'equal' } | { scheme: 'inverseError', metric: 'mae' | 'mse' | 'rmse' | 'mape' | 'smape' | 'mase', floor: number } | { scheme: 'incumbent' } | { scheme: 'optimized', shrinkage: number }"
    )]
    pub scheme: Option<Value>,
    /// Backtest windows used for the weights and the conformal calibration (default 12).
    pub windows: Option<f64>,
    /// Calibration horizon (default `max(6, min(2 * seasonLength, 24))`).
    pub horizon: Option<f64>,
    /// Widen conformal intervals to at least the weighted members' own bounds (default `true`).
    pub member_interval_floor: Option<bool>,
    /// Re-estimate every member at every backtest window (default `false`: each member is estimated once on the whole series and re-filtered from every origin).
    pub refit: Option<bool>,
}

#[napi]
impl Ensemble {
    /// Create the ensemble from its options.
    #[napi(constructor, ts_args_type = "options: EnsembleOptions")]
    pub fn new(options: Object<'_>) -> napi::Result<Self, String> {
        let build = || -> Result<ModelSpec, Error> {
            let Value::Object(mut settings) = json_fields(&options, &["members"])? else {
                return Err(Error::invalid_parameter("options", "?", "must be an object"));
            };
            if let Some(members) = model_list(&options, "members")? {
                settings.insert("members".to_string(), serde_json::to_value(members)?);
            }
            if let Some(scheme) = settings.remove("scheme") {
                settings.insert("scheme".to_string(), to_core_json(scheme));
            }
            model_spec("ensemble", Value::Object(settings))
        };
        Ok(Ensemble { spec: build().map_err(|e| to_js_error(&e))? })
    }
}
