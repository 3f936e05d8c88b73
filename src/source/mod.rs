//! Reading inputs: detect what a file is, decode it, and turn it into one or
//! more `SourceArticle`s (cleaned text plus metadata) for the extractor.
//!
//! Each kind of input has its own reader beside this file; they all return
//! the same type, so the parser does not care where an article came from.

pub mod agency;
pub mod dateline;
pub mod dates;
pub mod feed;
pub mod frontmatter;
pub mod furniture;
pub mod html;
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
    /// A readable file that is not news (a software licence beside some
    /// feeds): skipped, with this note.
    #[error("skipped: {0}")]
    NotArticle(String),
}

/// Room for the lazy DFA of one pattern. The default (2 MB) is too small
/// for patterns with bounded repeats of Unicode classes (`[\w ]{0,24}`,
/// `\p{L}{0,40}`): the regex crate then skips its DFA and runs a
/// backtracker that clears a bitset of pattern size times text length on
/// every call. Which engine runs never changes what matches.
const LAZY_DFA_BYTES: usize = 16 << 20;

/// Compiles one of the source layer's built-in patterns.
fn regex(pattern: &str) -> regex::Regex {
    regex::RegexBuilder::new(pattern)
        .dfa_size_limit(LAZY_DFA_BYTES)
        .build()
        .unwrap_or_else(|_| unreachable!())
}

/// The stable id of an input: the first 16 bytes of its SHA-256, in hex.
pub fn content_id(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes)[..16])
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    out
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
    // Counted per 32-byte block in a small counter, which compiles to
    // vector code. Bytes below 0x20 bound the count from above: when even
    // they are few (text has a newline every line, not one in ten bytes),
    // the exact count is not needed.
    let low: usize = head
        .chunks(32)
        .map(|block| usize::from(block.iter().fold(0u8, |n, &b| n + u8::from(b < 0x20))))
        .sum();
    if low * 10 <= head.len() {
        return false;
    }
    let control: usize = head
        .chunks(32)
        .map(|block| {
            let n = block.iter().fold(0u8, |n, &b| {
                n + u8::from(b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x1b | 0x0c))
            });
            usize::from(n)
        })
        .sum();
    !head.is_empty() && control * 10 > head.len()
}

/// UTF-16 text without a byte-order mark, decoded: text in a Latin script
/// has a NUL in every other byte (the high byte of each char), on the odd
/// bytes for little-endian and the even ones for big-endian, and none on
/// the others. `None` for anything else, or when it does not decode
/// cleanly.
fn utf16_without_bom(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(4096) & !1];
    let pairs = head.len() / 2;
    // Other text has no NUL at all: one vector search tells.
    if pairs < 2 || bytes.len() % 2 != 0 || memchr::memchr(0, head).is_none() {
        return None;
    }
    let nul_even = head.iter().step_by(2).filter(|&&b| b == 0).count();
    let nul_odd = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    let enc = if nul_odd * 10 >= pairs * 7 && nul_even * 20 < pairs {
        encoding_rs::UTF_16LE
    } else if nul_even * 10 >= pairs * 7 && nul_odd * 20 < pairs {
        encoding_rs::UTF_16BE
    } else {
        return None;
    };
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    (!had_errors).then(|| text.into_owned())
}

/// The largest char boundary of `s` at or below `at`.
fn floor_char_boundary(s: &str, at: usize) -> usize {
    let mut end = at.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    end
}

/// Tells a feed, an HTML page and plain text apart by their content.
pub fn detect(text: &str) -> InputKind {
    // Feeds and pages open with `<` or `{`; anything else is text, and
    // needs no lower-cased copy of its head.
    if !text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with(['<', '{'])
    {
        return InputKind::Text;
    }
    let head: String = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .take(1024)
        .collect::<String>()
        .to_ascii_lowercase();
    if head.starts_with('{') && head.contains("jsonfeed.org") {
        return InputKind::Feed;
    }
    let looks_xml = head.starts_with("<?xml") || head.starts_with('<');
    // A page that says it is HTML is HTML, whatever feed links it holds.
    if head.starts_with("<!doctype html") || head.starts_with("<html") {
        return InputKind::Html;
    }
    if looks_xml && (head.contains("<rss") || head.contains("<feed") || head.contains("<rdf:rdf")) {
        return InputKind::Feed;
    }
    if looks_xml
        && (head.contains("<html")
            || head.contains("<!doctype html")
            || head.contains("<body")
            || head.contains("<head")
            // A bare fragment of a page.
            || head.starts_with("<p")
            || head.starts_with("<div")
            || head.starts_with("<article")
            || head.starts_with("<section")
            || head.starts_with("<main")
            || head.starts_with("<h1"))
    {
        return InputKind::Html;
    }
    InputKind::Text
}

/// Collapses every run of whitespace to one space and trims: the inner
/// form of a paragraph in the cleaned text.
pub fn normalize_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_words(&mut out, s);
    out
}

/// Appends the words of `s` (split on Unicode whitespace, as
/// `str::split_whitespace`) to `out`, one space before each word when
/// `out` is not empty. Stretches that are already words separated by
/// single spaces are copied whole, so tidy text costs one scan and one copy.
pub(crate) fn push_words(out: &mut String, s: &str) {
    push_words_after(out, 0, s);
}

/// `push_words` for a paragraph that starts at byte `start` of `out`
/// (a space goes before each word when the paragraph is not empty), so
/// that many paragraphs can be built one after another in one buffer.
pub(crate) fn push_words_after(out: &mut String, start: usize, s: &str) {
    let b = s.as_bytes();
    if b.is_empty() {
        return;
    }
    let push_word = |out: &mut String, w: &str| {
        if out.len() > start {
            out.push(' ');
        }
        out.push_str(w);
    };
    if is_tidy(b) {
        push_word(out, s);
        return;
    }
    // Start of the pending stretch of single-spaced words.
    let mut run: Option<usize> = None;
    let mut i = 0;
    while i < b.len() {
        if !may_start_ws(b[i]) {
            run.get_or_insert(i);
            i += 1;
            continue;
        }
        let w = ws_len_at(b, i);
        if w == 0 {
            run.get_or_insert(i);
            i += 1;
            continue;
        }
        // A lone ASCII space between two words stays inside the stretch.
        if run.is_some() && b[i] == b' ' && i + 1 < b.len() && ws_len_at(b, i + 1) == 0 {
            i += 1;
            continue;
        }
        if let Some(r) = run.take() {
            push_word(out, &s[r..i]);
        }
        i += w;
    }
    if let Some(r) = run {
        push_word(out, &s[r..]);
    }
}

/// True for a byte that may begin a whitespace char.
#[inline(always)]
fn may_start_ws(c: u8) -> bool {
    matches!(c, b'\t'..=b'\r' | b' ' | 0xc2 | 0xe1 | 0xe2 | 0xe3)
}

/// Already in `normalize_ws` form, for sure: no space at either end, no
/// two spaces in a row, no other whitespace (nor a byte that may start
/// one). Written as folds over blocks so that it compiles to vector code.
fn is_tidy(b: &[u8]) -> bool {
    if b.first() == Some(&b' ') || b.last() == Some(&b' ') {
        return false;
    }
    let odd = b.chunks(32).any(|block| {
        block.iter().fold(false, |acc, &c| {
            acc | (c.wrapping_sub(b'\t') <= b'\r' - b'\t') | matches!(c, 0xc2 | 0xe1 | 0xe2 | 0xe3)
        })
    });
    if odd {
        return false;
    }
    let pairs = b.len().saturating_sub(1);
    let (head, tail) = (&b[..pairs], &b[1..]);
    !head.chunks(32).zip(tail.chunks(32)).any(|(x, y)| {
        x.iter()
            .zip(y)
            .fold(false, |acc, (&p, &q)| acc | ((p == b' ') & (q == b' ')))
    })
}

/// The byte length of the whitespace char (`char::is_whitespace`) that
/// starts at `b[i]`, or 0 when there is none. Continuation bytes of other
/// chars never match, so scanning may step one byte at a time.
#[inline(always)]
fn ws_len_at(b: &[u8], i: usize) -> usize {
    match b[i] {
        b'\t'..=b'\r' | b' ' => 1,
        // U+0085, U+00A0
        0xc2 => match b.get(i + 1) {
            Some(0x85 | 0xa0) => 2,
            _ => 0,
        },
        // U+1680
        0xe1 => match (b.get(i + 1), b.get(i + 2)) {
            (Some(0x9a), Some(0x80)) => 3,
            _ => 0,
        },
        // U+2000..=U+200A, U+2028, U+2029, U+202F, U+205F
        0xe2 => match (b.get(i + 1), b.get(i + 2)) {
            (Some(0x80), Some(0x80..=0x8a | 0xa8 | 0xa9 | 0xaf)) | (Some(0x81), Some(0x9f)) => 3,
            _ => 0,
        },
        // U+3000
        0xe3 => match (b.get(i + 1), b.get(i + 2)) {
            (Some(0x80), Some(0x80)) => 3,
            _ => 0,
        },
        _ => 0,
    }
}

/// The charset an HTML page declares (`<meta charset>` or the
/// `http-equiv` content type) in its first few kilobytes.
fn html_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let at = head.find("charset=")? + "charset=".len();
    let label: String = head[at..]
        .trim_start_matches(['"', '\'', ' '])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        .collect();
    encoding_rs::Encoding::for_label(label.as_bytes())
}

/// Decodes a page by its byte-order mark or declared charset, else as
/// (lossy) UTF-8.
fn decode_html(bytes: &[u8]) -> String {
    if let Some((enc, _)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc.decode(bytes).0.into_owned();
    }
    match html_charset(bytes) {
        Some(enc) if enc != encoding_rs::UTF_8 && std::str::from_utf8(bytes).is_err() => {
            enc.decode(bytes).0.into_owned()
        }
        _ => decode(bytes).0,
    }
}

/// Reads every article in `bytes`: one for a text file or a page, one per
/// item for a feed. The kind is told from the content.
pub fn read(bytes: &[u8]) -> Result<Vec<SourceArticle>, SourceError> {
    read_noted(bytes).map(|(arts, _)| arts)
}

/// `read`, with notes for the user about what was mended or lost on the
/// way (a broken feed's lost items, an invalid date in front matter,
/// invalid UTF-8), each one line without the file name.
pub fn read_noted(bytes: &[u8]) -> Result<(Vec<SourceArticle>, Vec<String>), SourceError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(SourceError::Empty);
    }
    // UTF-16 text has NUL bytes but is not binary, with or without a BOM.
    let bytes: std::borrow::Cow<[u8]> = match encoding_rs::Encoding::for_bom(bytes) {
        Some((enc, _)) if enc != encoding_rs::UTF_8 => {
            std::borrow::Cow::Owned(enc.decode(bytes).0.into_owned().into_bytes())
        }
        _ => match utf16_without_bom(bytes) {
            Some(text) => std::borrow::Cow::Owned(text.into_bytes()),
            None => std::borrow::Cow::Borrowed(bytes),
        },
    };
    let bytes: &[u8] = &bytes;
    if looks_binary(bytes) {
        return Err(SourceError::Binary);
    }
    let id = content_id(bytes);
    // Valid UTF-8 (the usual case) is checked once and then read in place.
    let utf8 = std::str::from_utf8(bytes).ok();
    // Only the head is needed to tell the kind; decoding it lossily is
    // enough whatever the charset.
    let head = match utf8 {
        // Cutting at a char boundary instead of leaving a replacement char
        // for a split one tells the same kind: detect only looks for ASCII.
        Some(s) => std::borrow::Cow::Borrowed(&s[..floor_char_boundary(s, 4096)]),
        None => String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]),
    };
    let mut notes = Vec::new();
    let mut arts = match detect(&head) {
        InputKind::Feed => match feed::read_noted(bytes) {
            Ok((items, feed_notes)) => {
                notes = feed_notes;
                items
            }
            // A file that looks like a feed but has no items and does not
            // parse may still be a page or text with markup; read it as
            // HTML. A feed with items that cannot be read, or JSON, is an
            // error: its markup or JSON must not become article text.
            Err(SourceError::Malformed(_))
                if !head.trim_start().starts_with('{')
                    && feed::find_tag(bytes, b"<item").is_none()
                    && feed::find_tag(bytes, b"<entry").is_none() =>
            {
                vec![html::read(&decode_html(bytes))]
            }
            Err(e) => return Err(e),
        },
        InputKind::Html => vec![html::read(&decode_html(bytes))],
        InputKind::Text if furniture::is_not_article(&head) => {
            return Err(SourceError::NotArticle(
                "a software licence or notice, not an article".into(),
            ))
        }
        InputKind::Text => {
            let (art, plain_notes) = match utf8 {
                Some(s) => plain::read_noted(s),
                None => {
                    notes.push("invalid UTF-8, decoded with replacement characters".into());
                    plain::read_noted(&decode(bytes).0)
                }
            };
            notes.extend(plain_notes);
            vec![art]
        }
    };
    for a in arts.iter_mut() {
        if a.id.is_empty() {
            a.id = id.clone();
        }
        a.title = a
            .title
            .as_deref()
            .map(|t| normalize_ws(&sanitize::clean(t)))
            .filter(|t| !t.is_empty());
        a.source = a
            .source
            .as_deref()
            .map(|t| normalize_ws(&sanitize::clean(t)))
            .filter(|t| !t.is_empty());
        a.dateline = a
            .dateline
            .as_deref()
            .map(|t| normalize_ws(&sanitize::clean(t)))
            .filter(|t| !t.is_empty());
        for au in a.authors.iter_mut() {
            // "(Jane Roe)", "By Jane Roe" as some feeds and pages print them.
            let clean = normalize_ws(&sanitize::clean(au));
            let clean = clean.trim_start_matches('(').trim_end_matches(')');
            let clean = clean
                .strip_prefix("By ")
                .or_else(|| clean.strip_prefix("by "))
                .unwrap_or(clean);
            *au = clean.trim().to_string();
        }
        a.authors.retain(|au| !au.is_empty());
        // Text is built from sanitized paragraphs already; this is the
        // last guard that nothing unsafe reaches the store.
        if sanitize::has_control(&a.text) {
            a.text = sanitize::clean(&a.text);
        }
    }
    arts.retain(|a| !a.text.trim().is_empty());
    if arts.is_empty() {
        return Err(SourceError::NoText);
    }
    Ok((arts, notes))
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
        assert_eq!(
            detect("<!DOCTYPE html><link type=\"application/rss+xml\"><feed>"),
            InputKind::Html
        );
        assert_eq!(detect("<div><p>Ministers met.</p></div>"), InputKind::Html);
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
    fn read_dispatches_and_sanitizes() {
        let arts =
            read(b"Talks Resume\n\nLISBON (Globex) - Ministers \x1b[31mmet\x1b[0m on Friday.\x07")
                .unwrap_or_default();
        assert_eq!(arts.len(), 1);
        assert_eq!(
            arts[0].text,
            "Talks Resume\n\nLISBON (Globex) - Ministers met on Friday."
        );
        assert_eq!(arts[0].id.len(), 32);
        let page = read(b"<html><head><title>T\x1b]0;x\x07</title></head><body><p>Body text here.</p></body></html>").unwrap_or_default();
        assert_eq!(page[0].title.as_deref(), Some("T"));
        // Latin-1 page declared in a meta tag.
        let latin = read(b"<html><head><meta charset=\"iso-8859-1\"></head><body><p>S\xe3o Paulo voted.</p></body></html>").unwrap_or_default();
        assert!(latin[0].text.contains("S\u{e3}o Paulo"));
        assert!(matches!(
            read(b"<html><body><script>x()</script></body></html>"),
            Err(SourceError::NoText)
        ));
        // Invalid UTF-8 in plain text is replaced, not fatal.
        assert!(read(b"Caf\xe9 owners protested on Monday.").is_ok());
    }

    #[test]
    fn whitespace_bytes_agree_with_chars() {
        for c in (0u32..0x4000).filter_map(char::from_u32) {
            let s = c.to_string();
            let w = ws_len_at(s.as_bytes(), 0);
            assert_eq!(w != 0, c.is_whitespace(), "{c:?}");
            if w != 0 {
                assert_eq!(w, c.len_utf8());
            }
        }
    }

    #[test]
    fn normalizes_like_split_whitespace() {
        let old = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        for s in [
            "",
            " ",
            "a",
            " a ",
            "a  b",
            "a b c",
            "a\tb\n c\u{a0}\u{a0}d",
            "\u{3000}x\u{2028}y\u{205f}",
            "ü ö\u{85}ß",
            "end ",
            " \u{a0}",
        ] {
            assert_eq!(normalize_ws(s), old(s), "{s:?}");
        }
        let mut out = String::from("x");
        push_words(&mut out, "  a  b ");
        assert_eq!(out, "x a b");
    }

    #[test]
    fn ids_are_stable() {
        assert_eq!(content_id(b"abc"), content_id(b"abc"));
        assert_ne!(content_id(b"abc"), content_id(b"abd"));
        assert_eq!(content_id(b"abc").len(), 32);
    }
}
