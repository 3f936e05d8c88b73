//! Direct quotations and who spoke them.

use crate::span::Span;

#[derive(Clone, Debug, PartialEq)]
pub struct Quote {
    /// The words inside the marks.
    pub span: Span,
    pub speaker: Option<String>,
    pub speaker_span: Option<Span>,
}
