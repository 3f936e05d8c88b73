//! The parser proper: rule- and dictionary-based extractors over a `Doc`.

pub mod actors;
pub mod countries;
pub mod events;
pub mod lexicon;
pub mod officeholders;
pub mod officials;
pub mod quotes;
pub mod swar;
pub mod times;
pub mod tokens;
pub mod triggers;
pub mod wordset;
