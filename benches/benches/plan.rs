//! The planning job on the demo catalogue (weekly SKUs x 104 weeks, horizon 4, default AutoModel):
//! forecasting, ABC classification and recommendations, on all cores. The 100,000-SKU end-to-end
//! figure comes from the main job (`cargo run --release --example daily_plan -- --skus 100000`), see
//! docs/benchmarks.md.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use forestock::plan::{run_plan, PlanConfig};
use forestock_cli::demo;

fn bench_plan(c: &mut Criterion) {
    let catalogue = demo::generate(2_000, 104, 7);
    let config = PlanConfig::default();
    let mut group = c.benchmark_group("plan");
    group.sample_size(10).measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Elements(catalogue.histories.len() as u64));
    group.bench_function("weekly_2000_skus", |b| {
        b.iter(|| {
            let out = run_plan(black_box(&catalogue.histories), &catalogue.items, &config)
                .unwrap_or_else(|e| panic!("plan failed: {e}"));
            black_box(out.stats.planned)
        })
    });
    group.finish();
}

criterion_group!(benches, bench_plan);
criterion_main!(benches);
