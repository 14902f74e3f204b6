//! JSON values -> JS values without napi's cap on the number of values.
//!
//! napi's own `serde_json::Value` conversion stops at one million values (`Exceeded maximum JSON
//! value count`, a guard against shared-object DAGs when *reading* JS objects). The results this
//! crate hands to JS are trees the core built (no sharing, a few levels deep), whose size grows with
//! the caller's batch: a plan of 20,000 SKUs or a backtest of 5,000 series passes a million values.
//! So results are converted here node by node, with only the nesting depth bounded (the core's
//! values nest a handful of levels; the bound keeps the recursion off the end of the stack).

use napi::bindgen_prelude::ToNapiValue;
use napi::{check_status, sys};
use serde_json::Value;

/// Deepest nesting converted (core results nest fewer than ten levels).
const MAX_DEPTH: u32 = 64;

/// Convert `value` into a JS value in `env`: arrays and objects are built element by element.
///
/// # Safety
/// `env` must be the valid `napi_env` of the current call, as for any [`ToNapiValue`].
pub(crate) unsafe fn json_to_js(env: sys::napi_env, value: &Value) -> napi::Result<sys::napi_value> {
    // SAFETY: forwarded from the caller.
    unsafe { convert(env, value, MAX_DEPTH) }
}

unsafe fn convert(env: sys::napi_env, value: &Value, depth: u32) -> napi::Result<sys::napi_value> {
    if depth == 0 {
        return Err(napi::Error::from_reason("result nested too deeply to convert"));
    }
    // SAFETY (all blocks below): `env` is valid for this call (caller contract); every napi_value
    // passed back in was just created in the same env and scope.
    match value {
        Value::Array(items) => {
            let mut array = std::ptr::null_mut();
            check_status!(unsafe { sys::napi_create_array_with_length(env, items.len(), &mut array) })?;
            for (index, item) in items.iter().enumerate() {
                let index = u32::try_from(index).map_err(|_| napi::Error::from_reason("array too long for JS"))?;
                let element = unsafe { convert(env, item, depth - 1) }?;
                check_status!(unsafe { sys::napi_set_element(env, array, index, element) })?;
            }
            Ok(array)
        }
        Value::Object(map) => {
            let mut object = std::ptr::null_mut();
            check_status!(unsafe { sys::napi_create_object(env, &mut object) })?;
            for (key, item) in map {
                let key = unsafe { <&str as ToNapiValue>::to_napi_value(env, key.as_str()) }?;
                let element = unsafe { convert(env, item, depth - 1) }?;
                check_status!(unsafe { sys::napi_set_property(env, object, key, element) })?;
            }
            Ok(object)
        }
        // A scalar is a single value: napi's conversion of it never meets the cap.
        scalar => unsafe { <&Value as ToNapiValue>::to_napi_value(env, scalar) },
    }
}
