//! The parser proper: rule- and dictionary-based extractors over a `Doc`.

pub mod countries;
pub mod events;
pub mod officeholders;
pub mod officials;
pub mod quotes;
pub mod times;
