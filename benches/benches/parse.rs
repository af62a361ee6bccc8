//! Lexing and parsing throughput on the `parse` workload (a ~90 KB generated module).

use criterion::{Criterion, Throughput};
use rego_syntax::{SourceMap, lexer, parse_module};
use std::hint::black_box;

/// `parse/lex` (tokens only) and `parse/parse_module` (lex + parse + annotations).
fn parse(c: &mut Criterion) {
    let Some(workload) = rego_benches::workload("parse") else {
        rego_benches::report_missing("parse");
        return;
    };
    let text = workload.policy.as_str();
    let mut sources = SourceMap::new();
    let file = sources.add("policy.rego", text);
    if let Err(errors) = parse_module(&sources, file) {
        panic!("the parse workload does not parse: {errors}");
    }

    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("lex", |b| {
        b.iter(|| lexer::lex(black_box(text), file, 0..text.len(), false))
    });
    group.bench_function("parse_module", |b| {
        b.iter(|| parse_module(black_box(&sources), file).expect("parses"))
    });
    group.finish();
}

// What `criterion_group!` + `criterion_main!` expand to, written out so the generated
// public function does not need a doc comment.
fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    parse(&mut criterion);
    criterion.final_summary();
}
