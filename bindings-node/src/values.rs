//! Output arrays: a core `Vec<f64>` handed to JS as a `Float64Array` by copy.
//!
//! napi's owned `Float64Array` gives the `Vec` to V8 as an *external* buffer with a finalizer. For
//! the many short arrays of a batch result (mean, lower and upper of every series) the finalizer
//! bookkeeping costs far more than copying a few numbers into a buffer V8 owns, which is what
//! [`Values`] does: `forecastBatch` over 10,000 series with one interval level spends about a third
//! of the time converting its results this way (docs/benchmarks.md, "Binding overhead").

use std::ptr;

use napi::bindgen_prelude::{ToNapiValue, TypeName};
use napi::{check_status, sys, ValueType};

/// Numbers returned to JS as a fresh `Float64Array` (copied into a V8-owned `ArrayBuffer`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Values(pub Vec<f64>);

impl From<Vec<f64>> for Values {
    fn from(values: Vec<f64>) -> Self {
        Values(values)
    }
}

impl TypeName for Values {
    fn type_name() -> &'static str {
        "Float64Array"
    }

    fn value_type() -> ValueType {
        ValueType::Object
    }
}

impl ToNapiValue for Values {
    unsafe fn to_napi_value(env: sys::napi_env, values: Self) -> napi::Result<sys::napi_value> {
        let bytes = std::mem::size_of_val(values.0.as_slice());
        let mut data: *mut std::ffi::c_void = ptr::null_mut();
        let mut buffer = ptr::null_mut();
        // SAFETY: `env` is the live environment napi passes in; `data` receives `bytes` writable
        // bytes owned by the new ArrayBuffer, which the copy below fills exactly.
        check_status!(
            unsafe { sys::napi_create_arraybuffer(env, bytes, &mut data, &mut buffer) },
            "Failed to create an ArrayBuffer of {} bytes",
            bytes
        )?;
        if bytes > 0 {
            // SAFETY: source and destination are `bytes` long and do not overlap.
            unsafe { ptr::copy_nonoverlapping(values.0.as_ptr().cast::<u8>(), data.cast::<u8>(), bytes) };
        }
        let mut array = ptr::null_mut();
        // SAFETY: `buffer` holds exactly `values.0.len()` f64 values from offset 0.
        check_status!(
            unsafe {
                sys::napi_create_typedarray(
                    env,
                    sys::TypedarrayType::float64_array,
                    values.0.len(),
                    buffer,
                    0,
                    &mut array,
                )
            },
            "Failed to create a Float64Array"
        )?;
        Ok(array)
    }
}
