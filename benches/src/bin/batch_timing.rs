//! Time the core's `forecast_batch` on a long CSV file, as the Rust baseline of the binding
//! overhead benchmark (`benches/scripts/binding_overhead.py` runs this, Python and Node on the same
//! file in one go).
//!
//! ```text
//! batch_timing <file.csv> <model-spec-json> <h> <levels, comma separated or -> <repeats>
//! ```
//! The file has a header `unique_id,ds,y` with each series' rows contiguous and in time order (the
//! layout the benchmark writes). Reading the file is not timed; each repeat times one
//! `forecast_batch` call over every series. Prints one JSON object: `series`, `failed` and the
//! per-repeat `seconds`.

use std::process::ExitCode;
use std::time::Instant;

use forestock::models::forecast_batch;
use forestock::{Error, ModelSpec};

struct Args {
    path: String,
    spec: ModelSpec,
    h: usize,
    levels: Vec<f64>,
    repeats: usize,
}

fn parse_args() -> Result<Args, Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [path, spec, h, levels, repeats] = args.as_slice() else {
        return Err(Error::invalid_parameter(
            "arguments",
            args.len(),
            "usage: batch_timing <file.csv> <model-spec-json> <h> <levels|-> <repeats>",
        ));
    };
    let number = |name: &str, text: &str| -> Result<usize, Error> {
        text.parse().map_err(|_| Error::invalid_parameter(name, text, "must be a positive integer"))
    };
    let levels = if levels == "-" {
        Vec::new()
    } else {
        levels
            .split(',')
            .map(|l| l.parse::<f64>().map_err(|_| Error::invalid_parameter("levels", l, "must be numbers")))
            .collect::<Result<_, _>>()?
    };
    Ok(Args {
        path: path.clone(),
        spec: ModelSpec::from_json(spec)?,
        h: number("h", h)?,
        levels,
        repeats: number("repeats", repeats)?.max(1),
    })
}

/// Series of the file in file order: (id, values).
fn read_series(path: &str) -> Result<Vec<(String, Vec<f64>)>, Error> {
    let mut reader = csv::Reader::from_path(path).map_err(|e| Error::Io(format!("{path}: {e}")))?;
    let mut out: Vec<(String, Vec<f64>)> = Vec::new();
    for (row, record) in reader.records().enumerate() {
        let record = record.map_err(|e| Error::InvalidRow { row: row + 1, reason: e.to_string() })?;
        let (Some(id), Some(y)) = (record.get(0), record.get(2)) else {
            return Err(Error::InvalidRow { row: row + 1, reason: "expected unique_id,ds,y".into() });
        };
        let y: f64 = y.parse().map_err(|_| Error::InvalidRow { row: row + 1, reason: format!("bad y `{y}`") })?;
        match out.last_mut() {
            Some((last, values)) if last == id => values.push(y),
            _ => out.push((id.to_string(), vec![y])),
        }
    }
    Ok(out)
}

fn run() -> Result<(), Error> {
    let args = parse_args()?;
    let series = read_series(&args.path)?;
    let borrowed: Vec<(&str, &[f64])> = series.iter().map(|(id, y)| (id.as_str(), y.as_slice())).collect();
    let mut seconds = Vec::with_capacity(args.repeats);
    let mut failed = 0;
    for _ in 0..args.repeats {
        let started = Instant::now();
        let results = forecast_batch(&borrowed, &args.spec, args.h, &args.levels);
        seconds.push(started.elapsed().as_secs_f64());
        failed = results.iter().filter(|r| r.is_err()).count();
    }
    let report = serde_json::json!({ "series": series.len(), "failed": failed, "seconds": seconds });
    println!("{report}");
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("batch_timing: {e}");
            ExitCode::FAILURE
        }
    }
}
