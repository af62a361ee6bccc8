//! `rego validate` on the manifests workload: parsing the 1,000-document YAML file, and
//! checking every manifest against the compiled policy, on one thread and on all cores.

use criterion::{Criterion, Throughput};
use rego_cli::inputs::{self, Format};

fn manifests(c: &mut Criterion) {
    let Some(w) = rego_benches::manifests::prepare() else {
        rego_benches::report_missing("manifests");
        return;
    };
    w.verify().expect("results match expected.json");
    let mut group = c.benchmark_group("manifests");
    group.throughput(Throughput::Elements(w.manifests.len() as u64));
    group.bench_function("parse_yaml", |b| {
        b.iter(|| inputs::parse("manifests.yaml", &w.yaml, Format::Yaml).expect("parses"))
    });
    group.bench_function("check_serial", |b| b.iter(|| w.check_serial()));
    group.bench_function("check_parallel", |b| b.iter(|| w.check_parallel()));
    group.finish();
}

// What `criterion_group!` + `criterion_main!` expand to, written out so the generated
// public function does not need a doc comment.
fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    manifests(&mut criterion);
    criterion.final_summary();
}
