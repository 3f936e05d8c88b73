//! Time expressions with TIMEX3 values, resolved against the publication
//! date (the document creation time) and the tense of their clause.

use chrono::NaiveDate;

use crate::span::Span;
use crate::text::Doc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimexType {
    Date,
    Time,
    Duration,
    Set,
}

impl TimexType {
    pub fn as_str(self) -> &'static str {
        match self {
            TimexType::Date => "DATE",
            TimexType::Time => "TIME",
            TimexType::Duration => "DURATION",
            TimexType::Set => "SET",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct TimeExpr {
    pub span: Span,
    /// TIMEX3 value: `2023-11-25`, `2023-11`, `2023-W47`, `P1Y`, `FUTURE_REF` ...
    pub value: String,
    pub kind: TimexType,
}

/// Every time expression in the document, in order.
pub fn extract(doc: &Doc, dct: NaiveDate) -> Vec<TimeExpr> {
    let _ = (doc, dct);
    Vec::new()
}

/// Full calendar dates written out in the text ("Nov. 16, 2023",
/// "2023-11-16"), used to guess a publication date when none is given.
pub fn explicit_dates(text: &str) -> Vec<NaiveDate> {
    let _ = text;
    Vec::new()
}
