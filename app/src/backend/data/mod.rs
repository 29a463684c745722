//! Data made rather than entered: the demo data `make run` loads, and the benchmark's seeder. Uses the
//! layers below; nothing in the product's request paths uses it.

pub mod demo;
pub mod seed;
