//! Reading inputs: detect what a file is, decode it, and turn it into one or
//! more `SourceArticle`s (cleaned text plus metadata) for the extractor.
//!
//! Each kind of input has its own reader beside this file; they all return
//! the same type, so the parser does not care where an article came from.

pub mod plain;
pub mod sanitize;

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use crate::model::PublishedFrom;

/// A publication date and where it was read.
#[derive(Clone, Debug, PartialEq)]
pub struct Published {
    pub date: NaiveDate,
    /// What `article.published` shows: `YYYY-MM-DD`, or the full timestamp
    /// when the source gave one.
    pub display: String,
    pub from: PublishedFrom,
}

/// One article as read from its source, before extraction.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SourceArticle {
    /// A hash of the source text (see `content_id`).
    pub id: String,
    pub title: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub authors: Vec<String>,
    pub published: Option<Published>,
    /// The place named by a wire dateline ("BUSAN, South Korea").
    pub dateline: Option<String>,
    /// The cleaned text: headline material and body, paragraphs separated by
    /// blank lines, no control characters, no page furniture.
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputKind {
    Text,
    Html,
    Feed,
}

/// Why an input holds no article.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("empty file")]
    Empty,
    #[error("binary data, not an article")]
    Binary,
    #[error("no article text found")]
    NoText,
    #[error("{0}")]
    Malformed(String),
}

/// The stable id of an input: the first 16 bytes of its SHA-256, in hex.
pub fn content_id(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// Decodes bytes as UTF-8, replacing invalid sequences. The flag says
/// whether anything had to be replaced, so the caller can warn.
pub fn decode(bytes: &[u8]) -> (String, bool) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), false),
        Err(_) => (String::from_utf8_lossy(bytes).into_owned(), true),
    }
}

/// True when the bytes look like a binary file rather than text: NUL bytes
/// or a high share of control bytes near the start.
pub fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return true;
    }
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x1b | 0x0c))
        .count();
    !head.is_empty() && control * 10 > head.len()
}

/// Tells a feed, an HTML page and plain text apart by their content.
pub fn detect(text: &str) -> InputKind {
    let head: String = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .take(2048)
        .collect::<String>()
        .to_ascii_lowercase();
    if head.starts_with('{') && head.contains("jsonfeed.org") {
        return InputKind::Feed;
    }
    let looks_xml = head.starts_with("<?xml") || head.starts_with('<');
    if looks_xml && (head.contains("<rss") || head.contains("<feed") || head.contains("<rdf:rdf")) {
        return InputKind::Feed;
    }
    if looks_xml
        && (head.contains("<html")
            || head.contains("<!doctype html")
            || head.contains("<body")
            || head.contains("<head"))
    {
        return InputKind::Html;
    }
    InputKind::Text
}

/// Reads every article in `bytes`. Plain text yields one article; the other
/// kinds are handled by their readers as they are added.
pub fn read(bytes: &[u8]) -> Result<Vec<SourceArticle>, SourceError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(SourceError::Empty);
    }
    if looks_binary(bytes) {
        return Err(SourceError::Binary);
    }
    let (text, _) = decode(bytes);
    let id = content_id(bytes);
    match detect(&text) {
        InputKind::Text | InputKind::Html | InputKind::Feed => {
            let mut art = plain::read(&text);
            art.id = id;
            if art.text.trim().is_empty() {
                return Err(SourceError::NoText);
            }
            Ok(vec![art])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_kinds() {
        assert_eq!(
            detect("<?xml version=\"1.0\"?><rss version=\"2.0\">"),
            InputKind::Feed
        );
        assert_eq!(
            detect("<feed xmlns=\"http://www.w3.org/2005/Atom\">"),
            InputKind::Feed
        );
        assert_eq!(detect("<!DOCTYPE html><html><body>x"), InputKind::Html);
        assert_eq!(
            detect("{\"version\": \"https://jsonfeed.org/version/1\"}"),
            InputKind::Feed
        );
        assert_eq!(detect("TOKYO (Reuters) - Japan said"), InputKind::Text);
    }

    #[test]
    fn binary_and_empty_are_errors() {
        assert!(matches!(read(b""), Err(SourceError::Empty)));
        assert!(matches!(read(b"  \n "), Err(SourceError::Empty)));
        assert!(matches!(
            read(&[0x7f, 0x45, 0x4c, 0x46, 0, 0, 1]),
            Err(SourceError::Binary)
        ));
    }

    #[test]
    fn ids_are_stable() {
        assert_eq!(content_id(b"abc"), content_id(b"abc"));
        assert_ne!(content_id(b"abc"), content_id(b"abd"));
        assert_eq!(content_id(b"abc").len(), 32);
    }
}
