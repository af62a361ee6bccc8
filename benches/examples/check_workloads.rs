//! Evaluates each workload once, checks the result and prints evaluations per second over a
//! short loop: `cargo run --release -p rego-benches --example check_workloads`. Names given as
//! arguments pick workloads (`-- rbac`, for profiling one of them); none runs all. With
//! `REGO_BENCH_ITERS=n` the loop runs exactly `n` evaluations instead, so that instruction
//! counts (`valgrind --tool=callgrind` at two values of `n`, subtracted) are per evaluation.

use std::time::{Duration, Instant};

fn main() {
    let picked: Vec<String> = std::env::args().skip(1).collect();
    for name in ["admission", "rbac", "aggregate"] {
        if !picked.is_empty() && !picked.iter().any(|p| p == name) {
            continue;
        }
        let Some(w) = rego_benches::workload(name) else {
            rego_benches::report_missing(name);
            continue;
        };
        let prepared = w.prepare();
        let start = Instant::now();
        let got = prepared.eval();
        let first = start.elapsed();
        let ok = got.as_ref().is_some_and(|g| prepared.matches(g));
        let iters: Option<u32> = std::env::var("REGO_BENCH_ITERS")
            .ok()
            .and_then(|n| n.parse().ok());
        let mut n = 0u32;
        let start = Instant::now();
        while match iters {
            Some(limit) => n < limit,
            None => start.elapsed() < Duration::from_secs(2) && n < 100_000,
        } {
            prepared.eval();
            n += 1;
        }
        let per_sec = f64::from(n) / start.elapsed().as_secs_f64();
        println!("{name}: correct={ok} first={first:?} {per_sec:.1} evals/s");
        if !ok {
            println!(
                "  got {}",
                got.map(|g| g.to_string()).unwrap_or("undefined".into())
            );
        }
    }
}
