//! Time from an empty engine to the first answer on a workload (default `parse`), phase by
//! phase: registry, parse, data, compile, prepare, evaluate. The median of 21 runs.
//!
//! `cargo run --release -p rego-benches --example first_answer [WORKLOAD]`

use std::time::{Duration, Instant};

fn main() {
    let name = std::env::args().nth(1).unwrap_or_else(|| "parse".into());
    let Some(w) = rego_benches::workload(&name) else {
        rego_benches::report_missing(&name);
        std::process::exit(1);
    };
    let phases = [
        "registry", "parse", "data", "compile", "prepare", "evaluate", "total",
    ];
    let mut samples: Vec<Vec<Duration>> = vec![Vec::new(); phases.len()];
    for _ in 0..21 {
        let mut times = Vec::new();
        let start = Instant::now();
        let mut mark = start;
        let mut lap = |times: &mut Vec<Duration>| {
            let now = Instant::now();
            times.push(now - mark);
            mark = now;
        };
        let mut engine = rego_eval::Engine::with_registry(rego_builtins::standard());
        lap(&mut times);
        engine.add_module("policy.rego", &w.policy).expect("parses");
        lap(&mut times);
        engine.add_data_json(&w.data).expect("data");
        lap(&mut times);
        let policy = engine.compile().expect("compiles");
        lap(&mut times);
        let query = policy.prepare(w.query.trim()).expect("query");
        let input = rego_eval::Value::from_json_str(&w.input).expect("input");
        lap(&mut times);
        let results = query
            .eval(Some(&input), &rego_eval::EvalOptions::default())
            .expect("evaluates");
        lap(&mut times);
        assert!(!results.is_empty(), "the query has an answer");
        times.push(start.elapsed());
        for (sample, time) in samples.iter_mut().zip(times) {
            sample.push(time);
        }
    }
    for (phase, mut sample) in phases.iter().zip(samples) {
        sample.sort();
        println!(
            "{phase:>9}: {:>8.3} ms",
            sample[sample.len() / 2].as_secs_f64() * 1e3
        );
    }
}
