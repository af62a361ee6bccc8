//! Checks the manifests workload against `expected.json`, then reports manifests checked
//! per second, on one thread and on all cores (each loop about 2 s).
//!
//! `cargo run --release -p rego-benches --example check_manifests`

use std::time::{Duration, Instant};

fn main() {
    let Some(w) = rego_benches::manifests::prepare() else {
        rego_benches::report_missing("manifests");
        std::process::exit(1);
    };
    if let Err(e) = w.verify() {
        eprintln!("manifests: WRONG RESULT: {e}");
        std::process::exit(1);
    }
    println!(
        "manifests: all {} results match expected.json",
        w.manifests.len()
    );
    let rate = |check: &dyn Fn() -> usize| {
        let started = Instant::now();
        let mut checked = 0usize;
        while started.elapsed() < Duration::from_secs(2) {
            std::hint::black_box(check());
            checked += w.manifests.len();
        }
        checked as f64 / started.elapsed().as_secs_f64()
    };
    let serial = rate(&|| w.check_serial());
    let parallel = rate(&|| w.check_parallel());
    println!("manifests checked per second: {serial:.0} on one thread");
    println!(
        "manifests checked per second: {parallel:.0} on {} threads",
        rayon::current_num_threads()
    );
}
