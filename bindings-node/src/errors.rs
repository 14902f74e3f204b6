//! Core errors -> JS `Error` objects whose `code` is the stable [`forestock::Error::code`].

use napi::bindgen_prelude::{JsError, Object};
use napi::{Env, Unknown};

/// A JS error (a binding call returning `napi::Result<T, String>` throws it; the status string
/// becomes the error's `code`) with `code` = the core error's code and the core's message.
pub(crate) fn to_js_error(error: &forestock::Error) -> napi::Error<String> {
    napi::Error::new(error.code().to_string(), error.to_string())
}

/// The same error as a JS value, for settling a Promise from an `AsyncTask` (whose reject path
/// only knows napi's own status codes): a reference to a ready-made JS error keeps our `code`.
/// A cancelled job (`ERR_CANCELLED`) is also named `AbortError`, as Node names aborted operations.
pub(crate) fn to_js_rejection(env: Env, error: &forestock::Error) -> napi::Error {
    let value: Unknown<'_> = JsError::from(to_js_error(error)).into_unknown(env);
    if matches!(error, forestock::Error::Cancelled) {
        // SAFETY: a JS error is an object.
        if let Ok(mut object) = unsafe { value.cast::<Object<'_>>() } {
            let _ = object.set("name", "AbortError");
        }
    }
    napi::Error::from(value)
}
