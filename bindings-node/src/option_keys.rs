//! Option objects of the model classes are read strictly: a key the options type does not have
//! (`new SeasonalNaive({ seasonLength: 12, windw: 3 })`) is an error with the core's "did you mean"
//! hint, as option keys of `plan` are. napi's own object conversion drops unknown keys silently.

use forestock::Error;
use napi::bindgen_prelude::Object;
use serde::de::{self, DeserializeOwned, Visitor};
use serde_json::Value;

use crate::convert::json_fields;
use crate::spec::{camel_case, snake_case};

/// Read a class's options object into `T` (camelCase keys), rejecting keys `T` does not have.
/// An absent object reads as `{}`, so a type with a required field names it as missing.
pub(crate) fn read_options<T: DeserializeOwned>(options: Option<&Object<'_>>) -> Result<T, Error> {
    let value = match options {
        Some(object) => json_fields(object, &[])?,
        None => Value::Object(Default::default()),
    };
    if let Value::Object(fields) = &value {
        let known = field_names::<T>();
        let given: Vec<String> = fields.keys().map(|k| camel_case(&snake_case(k))).collect();
        forestock::options::check_known(given.iter().map(String::as_str), known)?;
    }
    let camel = match value {
        Value::Object(fields) => {
            Value::Object(fields.into_iter().map(|(k, v)| (camel_case(&snake_case(&k)), v)).collect())
        }
        other => other,
    };
    // The core names the field holding a value of the wrong type, or the missing field.
    forestock::models::from_settings(&camel)
}

/// The field names `T`'s `Deserialize` reads (serde's own list, asked for by a probe that only
/// records the names passed to `deserialize_struct`).
fn field_names<T: DeserializeOwned>() -> &'static [&'static str] {
    let mut probe = Probe { fields: &[] };
    let _ = T::deserialize(&mut probe);
    probe.fields
}

struct Probe {
    fields: &'static [&'static str],
}

#[derive(Debug)]
struct Stop;

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("field names probed")
    }
}

impl std::error::Error for Stop {}

impl de::Error for Stop {
    fn custom<M: std::fmt::Display>(_: M) -> Self {
        Stop
    }
}

impl<'de> de::Deserializer<'de> for &mut Probe {
    type Error = Stop;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
        Err(Stop)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Stop> {
        self.fields = fields;
        Err(Stop)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
    }
}
