//! Evaluation throughput on the shared workloads: the policy compiled once, the query
//! evaluated repeatedly. Each result is checked against `expected.json` before timing.

use criterion::Criterion;
use std::time::Duration;

fn bench_workload(c: &mut Criterion, name: &str) {
    let Some(w) = rego_benches::workload(name) else {
        rego_benches::report_missing(name);
        return;
    };
    let prepared = w.prepare();
    let got = prepared.eval().expect("the query is defined");
    assert!(prepared.matches(&got), "{name}: wrong result {got}");
    let mut group = c.benchmark_group("eval");
    if name == "aggregate" {
        group
            .sample_size(10)
            .measurement_time(Duration::from_secs(10));
    }
    group.bench_function(name, |b| b.iter(|| prepared.eval()));
    group.finish();
}

fn benches(c: &mut Criterion) {
    for name in ["admission", "rbac", "aggregate"] {
        bench_workload(c, name);
    }
}

// What `criterion_group!` + `criterion_main!` expand to, written out so the generated
// public function does not need a doc comment.
fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    benches(&mut criterion);
    criterion.final_summary();
}
