//! Officials: people who hold public office or speak for a government or an
//! international body, found by title + name patterns, with later mentions
//! (surname, pronoun, "the minister") folded into the same person.

use crate::span::Span;

#[derive(Clone, Debug, PartialEq)]
pub struct Official {
    pub name: String,
    pub title: Option<String>,
    pub country: Option<String>,
    pub mentions: Vec<Span>,
}
