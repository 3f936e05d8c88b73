//! The parse result: plain serde types in the shape of `newsline parse`
//! (see `../shared/CONTRACT.md`). The store and the browser read the same
//! types, so the JSON contract and what is kept can never drift apart.

use serde::{Deserialize, Serialize};

use crate::span::Span;

pub const SCHEMA: &str = "newsline.article/1";

/// Where the publication date (the document creation time) came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PublishedFrom {
    /// `--published` on the command line.
    Cli,
    /// The page's own metadata (JSON-LD, meta tags, the URL path).
    Metadata,
    /// A feed item's date.
    Feed,
    /// A `---` front-matter block at the top of a text file.
    FrontMatter,
    /// A wire-service dateline (`TOKYO, Nov 25 (Reuters) -`).
    Dateline,
    /// A date in the file name (`2020-11-25-talks.txt`, `20201125.html`).
    Filename,
    /// Guessed from dates in the text; every date resolved against it is approximate.
    Inferred,
    /// Nothing to go on.
    None,
}

impl PublishedFrom {
    pub fn as_str(self) -> &'static str {
        match self {
            PublishedFrom::Cli => "cli",
            PublishedFrom::Metadata => "metadata",
            PublishedFrom::Feed => "feed",
            PublishedFrom::FrontMatter => "front-matter",
            PublishedFrom::Dateline => "dateline",
            PublishedFrom::Filename => "filename",
            PublishedFrom::Inferred => "inferred",
            PublishedFrom::None => "none",
        }
    }

    /// Dates resolved against a guessed publication date are approximate.
    pub fn is_guess(self) -> bool {
        matches!(self, PublishedFrom::Inferred | PublishedFrom::None)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ParsedArticle {
    pub schema: String,
    pub article: ArticleInfo,
    pub countries: Vec<CountryOut>,
    pub officials: Vec<OfficialOut>,
    pub quotes: Vec<QuoteOut>,
    pub times: Vec<TimeOut>,
    pub events: Vec<EventOut>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArticleInfo {
    /// A hash of the source text: the same input always gets the same id.
    pub id: String,
    pub title: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    /// `YYYY-MM-DD`, or the full timestamp when the source gave one.
    pub published: Option<String>,
    pub published_from: PublishedFrom,
    /// The place of a wire dateline (`BUSAN, South Korea`), when there is one.
    #[serde(default)]
    pub dateline: Option<String>,
    #[serde(default)]
    pub authors: Vec<String>,
    /// The cleaned body that every span points into.
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CountryOut {
    pub code: String,
    pub name: String,
    pub mentions: Vec<Span>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OfficialOut {
    pub name: String,
    pub title: Option<String>,
    pub country: Option<String>,
    pub mentions: Vec<Span>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuoteOut {
    pub text: String,
    pub span: Span,
    pub speaker: Option<String>,
    pub speaker_span: Option<Span>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimeOut {
    pub text: String,
    pub span: Span,
    pub value: String,
    #[serde(rename = "type")]
    pub kind: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventDate {
    pub value: String,
    pub approximate: bool,
    /// The words the date was read from ("Saturday"), when the sentence had any.
    #[serde(default)]
    pub phrase: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventOut {
    pub id: String,
    pub kind: EventKind,
    pub date: EventDate,
    pub summary: String,
    pub countries: Vec<String>,
    pub officials: Vec<String>,
    pub location: Option<String>,
    pub quotes: Vec<usize>,
    pub evidence: Span,
}

/// What happened, coarsely: each kind maps to a CAMEO root (or to one of our
/// own extensions where CAMEO has none).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    Statement,
    Appeal,
    Demand,
    Intent,
    Meet,
    Visit,
    Agree,
    Cooperate,
    Aid,
    Criticize,
    Reject,
    Threaten,
    Protest,
    Sanction,
    Appoint,
    Resign,
    Elect,
    Attack,
    Other,
}

impl EventKind {
    pub const ALL: [EventKind; 19] = [
        EventKind::Statement,
        EventKind::Appeal,
        EventKind::Demand,
        EventKind::Intent,
        EventKind::Meet,
        EventKind::Visit,
        EventKind::Agree,
        EventKind::Cooperate,
        EventKind::Aid,
        EventKind::Criticize,
        EventKind::Reject,
        EventKind::Threaten,
        EventKind::Protest,
        EventKind::Sanction,
        EventKind::Appoint,
        EventKind::Resign,
        EventKind::Elect,
        EventKind::Attack,
        EventKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Statement => "statement",
            EventKind::Appeal => "appeal",
            EventKind::Demand => "demand",
            EventKind::Intent => "intent",
            EventKind::Meet => "meet",
            EventKind::Visit => "visit",
            EventKind::Agree => "agree",
            EventKind::Cooperate => "cooperate",
            EventKind::Aid => "aid",
            EventKind::Criticize => "criticize",
            EventKind::Reject => "reject",
            EventKind::Threaten => "threaten",
            EventKind::Protest => "protest",
            EventKind::Sanction => "sanction",
            EventKind::Appoint => "appoint",
            EventKind::Resign => "resign",
            EventKind::Elect => "elect",
            EventKind::Attack => "attack",
            EventKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The CAMEO root code this kind stands for; `None` for our extensions
    /// (CAMEO has no appointments, resignations or elections).
    pub fn cameo_root(self) -> Option<&'static str> {
        Some(match self {
            EventKind::Statement => "01",
            EventKind::Appeal => "02",
            EventKind::Intent => "03",
            EventKind::Meet | EventKind::Visit => "04",
            EventKind::Agree => "05",
            EventKind::Cooperate => "06",
            EventKind::Aid => "07",
            EventKind::Demand => "10",
            EventKind::Criticize => "11",
            EventKind::Reject => "12",
            EventKind::Threaten => "13",
            EventKind::Protest => "14",
            EventKind::Sanction => "16",
            EventKind::Attack => "19",
            EventKind::Appoint | EventKind::Resign | EventKind::Elect | EventKind::Other => {
                return None
            }
        })
    }
}
