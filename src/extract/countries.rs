//! Countries: names, short names, demonyms, capitals, well-known places and
//! institutions, looked up in the gazetteer shipped in `assets/`.

use crate::span::Span;

/// How a country was named.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cue {
    /// "Japan", "South Korea", "the U.S."
    Name,
    /// "Japanese", "South Korean", "Britons"
    Demonym,
    /// "Beijing", "Seoul": a capital, often standing for its government.
    Capital,
    /// "San Francisco", "Fukushima": a place inside the country.
    Place,
    /// "the Kremlin", "the White House"
    Institution,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CountryMention {
    /// ISO 3166-1 alpha-2.
    pub code: &'static str,
    pub span: Span,
    pub cue: Cue,
}

/// Every country mention in `text`, in order.
pub fn find(text: &str) -> Vec<CountryMention> {
    let _ = text;
    Vec::new()
}

/// The English short name of a country code ("JP" -> "Japan").
pub fn name(code: &str) -> Option<&'static str> {
    let _ = code;
    None
}

/// A code from a code or a name a person might type ("kr", "South Korea").
pub fn lookup(query: &str) -> Option<&'static str> {
    let _ = query;
    None
}
