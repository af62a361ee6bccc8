//! Shared helpers for the criterion benches: locating the workloads.
