//! newsline: news articles in, dated events out.
//!
//! `source` reads inputs into cleaned text and metadata, `extract` finds
//! countries, officials, quotes, time expressions and events in it, and
//! `parse` puts the pieces together into the `newsline parse` contract.

pub mod cli;
pub mod extract;
pub mod model;
pub mod output;
pub mod parse;
pub mod source;
pub mod span;
pub mod store;
pub mod text;
pub mod tui;
