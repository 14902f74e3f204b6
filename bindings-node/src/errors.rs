//! Core errors -> JS `Error` objects whose `code` is the stable [`forestock::Error::code`].

use napi::bindgen_prelude::{JsError, Object};
use napi::{Env, Unknown};

/// A JS error (a binding call returning `napi::Result<T, String>` throws it; the status string
/// becomes the error's `code`) with `code` = the core error's code and the core's message.
pub(crate) fn to_js_error(error: &forestock::Error) -> napi::Error<String> {
    napi::Error::new(error.code().to_string(), error.to_string())
}

/// Run a core call, turning a panic into the core's [`forestock::Error::Internal`]
/// (`code: 'ERR_INTERNAL'` in JS).
///
/// A last resort: the core returns typed errors for bad input, but a panic that reached the napi
/// boundary would abort the whole Node process (a panic cannot unwind through `extern "C"`). Every
/// core call of this crate goes through here: the synchronous functions and methods, and the
/// `compute` of every `AsyncTask` on the libuv pool.
pub(crate) fn guarded<T>(work: impl FnOnce() -> forestock::Result<T>) -> forestock::Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work))
        .unwrap_or_else(|payload| Err(forestock::Error::from_panic(payload.as_ref())))
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
