//! newsline: news articles in, dated events out.
//!
//! `source` reads inputs into cleaned text and metadata, `extract` finds
//! countries, officials, quotes, time expressions and events in it, and
//! `parse` puts the pieces together into the `newsline parse` contract.

#![forbid(unsafe_code)]

pub mod cli;
pub mod extract;
pub mod fetch;
pub mod model;
pub mod output;
pub mod parse;
pub mod source;
pub mod span;
pub mod store;
pub mod story;
pub mod text;
pub mod tui;

// Parsing allocates many small strings and vectors; mimalloc serves them
// faster than the system allocator (a few per cent of parse throughput in
// benches/parse.rs). Declared in the library so that the binary, the tests
// and the benchmarks all run on the same allocator.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;
