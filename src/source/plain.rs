//! Plain-text articles, as saved from a web page or a transcript.
//!
//! Order of work: front matter, paragraphs, header lines (`VOA NEWS`, a
//! printed date), page furniture, headline, dateline. What the text says
//! about itself fills the metadata:
//!
//! - `published`: front matter (FrontMatter) > a standalone date line in
//!   the header (Metadata) > a dateline's month and day with the year of
//!   the latest full date written in the text (Dateline). A dateline date
//!   with no year anywhere in the text gives nothing: a guessed year would
//!   be wrong as often as right.
//! - `source`: front matter > a `X NEWS` header line > the dateline's
//!   agency > a byline or the agency's self-description.
//! - `title`: front matter, else a first paragraph that reads as a
//!   headline (short, no closing full stop). The headline stays in `text`
//!   as its first paragraph; a front-matter title missing from the body is
//!   put there.
//! - The dateline stays in the text; only the place is read from it.

use std::sync::LazyLock;

use regex::Regex;

use super::{
    agency, dateline, dates, frontmatter, furniture, normalize_ws, push_words_after, sanitize,
    Published, SourceArticle,
};
use crate::model::PublishedFrom;

/// Reads one plain-text article.
pub fn read(raw: &str) -> SourceArticle {
    read_noted(raw).0
}

/// `read`, with notes on what the text's own metadata got wrong (a front
/// matter date that is no date: the other fields are kept).
pub fn read_noted(raw: &str) -> (SourceArticle, Vec<String>) {
    let mut notes = Vec::new();
    let clean = sanitize::clean_cow(raw);
    let (fm, body) = frontmatter::split(&clean);
    let fm = fm.unwrap_or_default();
    // All paragraphs live in one buffer; the steps below pass slices of it
    // around, and the text is built from the ones kept.
    let mut buf = String::with_capacity(body.len());
    let spans = split_paragraphs_into(body, &mut buf);
    let paras: Vec<&str> = spans.into_iter().map(|r| &buf[r]).collect();
    // A front-matter title put at the head of the text.
    let title_para: String;

    let mut art = SourceArticle {
        url: fm.url.clone(),
        authors: fm.authors.clone(),
        ..Default::default()
    };
    if let Some(raw_date) = fm.published.as_deref() {
        match dates::parse(raw_date) {
            Some(p) => {
                art.published = Some(Published {
                    date: p.date,
                    display: p.display,
                    from: PublishedFrom::FrontMatter,
                });
            }
            None => notes.push(format!(
                "front matter: {:?} is not a date; the other fields are kept",
                raw_date.chars().take(60).collect::<String>()
            )),
        }
    }

    let (paras, header) = read_header(paras);
    if art.published.is_none() {
        art.published = header.published.map(|p| Published {
            date: p.date,
            display: p.display,
            from: PublishedFrom::Metadata,
        });
    }

    let cleaned = furniture::clean_slices(paras);
    let mut paras = cleaned.paragraphs;
    if art.authors.is_empty() {
        art.authors = cleaned.authors;
    }

    art.title = fm.title.clone();
    match &art.title {
        Some(t) => {
            let same = paras.first().is_some_and(|p| p.eq_ignore_ascii_case(t));
            if !same {
                title_para = normalize_ws(t);
                paras.insert(0, &title_para);
            }
        }
        None => {
            if paras.len() > 1 && looks_like_headline(paras[0]) {
                art.title = Some(paras[0].to_string());
            }
        }
    }

    // The dateline opens the first paragraph of the story proper.
    let first_body = usize::from(art.title.is_some());
    let dl = dateline::find(&paras, first_body);
    if let Some(d) = &dl {
        art.dateline = Some(d.place.clone());
    }

    let text = furniture::join_text(&paras);
    if art.published.is_none() {
        if let Some((m, d)) = dl.as_ref().and_then(|d| d.month_day) {
            if let Some(year) = latest_year(&text) {
                if let Some(date) = chrono::NaiveDate::from_ymd_opt(year, m, d) {
                    art.published = Some(Published {
                        date,
                        display: date.to_string(),
                        from: PublishedFrom::Dateline,
                    });
                }
            }
        }
    }

    art.source = fm
        .source
        .clone()
        .or(header.source)
        .or_else(|| {
            dl.as_ref()
                .and_then(|d| d.agency.as_deref())
                .map(|a| agency::canonical(a).unwrap_or(a).to_string())
        })
        .or(cleaned.agency);
    art.text = text;
    (art, notes)
}

/// Splits text into paragraphs: blank lines always separate; inside a
/// block, each line is its own paragraph unless the text is hard-wrapped
/// (a line of typical wrap width not ending a sentence continues on the
/// next). Whitespace inside each paragraph is collapsed.
pub fn split_paragraphs(text: &str) -> Vec<String> {
    let mut buf = String::new();
    split_paragraphs_into(text, &mut buf)
        .into_iter()
        .map(|r| buf[r].to_string())
        .collect()
}

/// `split_paragraphs`, writing the paragraphs one after another into `buf`
/// and returning where each lies in it.
fn split_paragraphs_into(text: &str, buf: &mut String) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    // The paragraph being built (from `start` to the end of `buf`) is
    // already in `normalize_ws` form: lines are added word by word, so it
    // needs no second pass.
    let mut start = buf.len();
    let mut prev_wraps = false;
    // Split at '\n' as `str::lines` does; the '\r' it would strip goes with
    // the trim, and a last empty line changes nothing. `memchr` finds the
    // line ends a vector at a time.
    let mut newlines = memchr::memchr_iter(b'\n', text.as_bytes());
    let mut from = 0;
    while from <= text.len() {
        let end = newlines.next().unwrap_or(text.len());
        // '\n' is ASCII, so both ends are char boundaries.
        let line = text.get(from..end).unwrap_or_default();
        from = end + 1;
        let l = line.trim();
        if l.is_empty() {
            if buf.len() > start {
                out.push(start..buf.len());
                start = buf.len();
            }
            prev_wraps = false;
            continue;
        }
        if buf.len() > start && !prev_wraps {
            out.push(start..buf.len());
            start = buf.len();
        }
        push_words_after(buf, start, l);
        // A line of 40 to 100 chars has 40 to 400 bytes: count chars only
        // then, and only for a line that does not end a sentence.
        prev_wraps = (40..=400).contains(&l.len())
            && !l.ends_with(['.', '!', '?', ':', '"', '”', '’', '\'', ')'])
            && (40..=100).contains(&l.chars().count());
    }
    if buf.len() > start {
        out.push(start..buf.len());
    }
    out
}

/// What the header lines of a transcript or saved page say.
#[derive(Default)]
struct Header {
    source: Option<String>,
    published: Option<dates::DateValue>,
    /// The date held is an "updated" one.
    updated: bool,
}

static RE_NEWS_HEADER: LazyLock<Regex> = LazyLock::new(|| super::regex(r"(?i)^(.{2,30}?)\s+news$"));
static RE_DATE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    super::regex(
        r"(?i)^(?:(published|posted|updated|last updated|date|first published)(?:\s+on)?\s*:?\s*)?(.{6,60})$",
    )
});

/// Takes header lines off the top: a `VOA NEWS`-style line naming an
/// agency, and a line that is only a date (optionally labelled
/// "Published:"). Only the first few paragraphs are looked at.
fn read_header(paras: Vec<&str>) -> (Vec<&str>, Header) {
    let mut h = Header::default();
    let mut out = Vec::with_capacity(paras.len());
    for (i, p) in paras.into_iter().enumerate() {
        if i < 6 && p.len() <= 80 {
            if h.source.is_none() && p.chars().filter(|c| c.is_lowercase()).count() == 0 {
                let name = RE_NEWS_HEADER
                    .captures(p)
                    .and_then(|c| c.get(1))
                    .map(|m| m.as_str())
                    .unwrap_or(p);
                if let Some(a) = agency::canonical(name) {
                    h.source = Some(a.to_string());
                    continue;
                }
            }
            if let Some((updated, text)) = date_label(p) {
                if let Some(v) = dates::parse(text) {
                    // A first-published date beats an "updated" one.
                    if h.published.is_none() || (h.updated && !updated) {
                        h.published = Some(v);
                        h.updated = updated;
                    }
                    continue;
                }
            }
        }
        out.push(p);
    }
    (out, h)
}

/// What `RE_DATE_LABEL` reads from a header line: whether its label says
/// "updated", and the text after the label. `None` for a line that holds
/// no date for sure.
fn date_label(p: &str) -> Option<(bool, &str)> {
    // A date needs digits (`dates::parse` reads no year or day without
    // them), and the pattern takes almost any short line: look for a digit
    // before running it.
    if !p.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    // Every label starts with one of these letters (none has other case
    // forms); without one the label cannot match and the pattern is
    // `^(.{6,60})$`, the whole line.
    let labelled = p
        .as_bytes()
        .first()
        .is_some_and(|c| matches!(c.to_ascii_lowercase(), b'p' | b'u' | b'l' | b'd' | b'f'));
    if !labelled {
        let whole = !p.contains('\n') && (6..=60).contains(&p.chars().count());
        return whole.then_some((false, p));
    }
    let c = RE_DATE_LABEL.captures(p)?;
    let updated = c
        .get(1)
        .is_some_and(|m| m.as_str().to_ascii_lowercase().contains("updated"));
    Some((updated, c.get(2)?.as_str()))
}

/// A headline: short, several words, not a finished sentence.
fn looks_like_headline(p: &str) -> bool {
    let words = p.split_whitespace().count();
    p.len() <= 200
        && (2..=25).contains(&words)
        && !p.ends_with(['.', ':', ';', ','])
        && !p.ends_with(".\"")
        && !p.ends_with(".”")
        && dateline::read(p).is_none()
}

static RE_FULL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    super::regex(
        r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},?\s+((?:19|20)\d{2})\b|\b\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+((?:19|20)\d{2})\b",
    )
});

/// The year of the latest full date ("Nov. 16, 2023", "16 November 2023")
/// written in the text.
fn latest_year(text: &str) -> Option<i32> {
    RE_FULL_DATE
        .captures_iter(text)
        .filter_map(|c| {
            c.get(1)
                .or_else(|| c.get(2))
                .and_then(|m| m.as_str().parse().ok())
        })
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;

    const WIRE: &str = "Skip to main content\n\nBreaking News\n\nMinisters Agree to Fisheries Talks\n\nPortugal's fisheries minister, left, greets her Spanish counterpart in Lisbon, March 3, 2024.\nPortugal's fisheries minister, left, greets her Spanish counterpart in Lisbon, March 3, 2024.\n\nLISBON, March 8 (Globex) - Portugal and Spain agreed on Friday to hold talks on fishing quotas, the two governments said.\n\n\"We want a fair deal,\" the Portuguese minister told reporters.\n\n  • 16x9 Image\n\n\n    Globex Wire is a news agency founded in 1901 and based in Lisbon. It serves newspapers around the world.";

    #[test]
    fn reads_a_saved_page() {
        let a = read(WIRE);
        assert_eq!(
            a.title.as_deref(),
            Some("Ministers Agree to Fisheries Talks")
        );
        assert_eq!(a.source.as_deref(), Some("Globex"));
        assert_eq!(a.dateline.as_deref(), Some("LISBON"));
        assert_eq!(
            a.published.as_ref().map(|p| (p.date.to_string(), p.from)),
            Some(("2024-03-08".into(), PublishedFrom::Dateline))
        );
        assert!(a
            .text
            .starts_with("Ministers Agree to Fisheries Talks\n\nPortugal's fisheries minister"));
        assert_eq!(a.text.matches("greets her Spanish counterpart").count(), 1);
        for bad in ["Skip to", "Breaking", "16x9", "news agency founded", "•"] {
            assert!(!a.text.contains(bad), "{bad:?} left in text");
        }
        assert!(a.text.ends_with("told reporters."));
    }

    #[test]
    fn front_matter_wins() {
        let a = read("---\ntitle: Talks Resume\npublished: 2024-05-02T09:30:00+02:00\nsource: Globex Wire\nauthors: Jane Roe\n---\nMADRID (AP) - Talks resumed on Thursday.\n");
        assert_eq!(a.title.as_deref(), Some("Talks Resume"));
        assert_eq!(a.source.as_deref(), Some("Globex Wire"));
        assert_eq!(a.authors, vec!["Jane Roe".to_string()]);
        let p = a.published.unwrap_or_else(|| unreachable!());
        assert_eq!(
            (p.date.to_string(), p.display.as_str(), p.from),
            (
                "2024-05-02".into(),
                "2024-05-02T09:30:00+02:00",
                PublishedFrom::FrontMatter
            )
        );
        assert_eq!(
            a.text,
            "Talks Resume\n\nMADRID (AP) - Talks resumed on Thursday."
        );
        assert_eq!(a.dateline.as_deref(), Some("MADRID"));
    }

    #[test]
    fn newscast_header() {
        let a = read("VOA NEWS\nMarch 9, 2024\n\nThis is VOA news. I'm Jane Roe.\n\n\nThe parliament of Ruritania voted on Friday to dissolve itself.\n\n[wire-service correspondent segment removed]\n\n\nYou can find more on these stories at our website. This is VOA news.\n\n\nFloods hit the capital on Saturday.");
        assert_eq!(a.source.as_deref(), Some("VOA"));
        let p = a.published.unwrap_or_else(|| unreachable!());
        assert_eq!(
            (p.date.to_string(), p.from),
            ("2024-03-09".into(), PublishedFrom::Metadata)
        );
        assert_eq!(a.title, None);
        assert_eq!(a.text, "The parliament of Ruritania voted on Friday to dissolve itself.\n\nFloods hit the capital on Saturday.");
    }

    #[test]
    fn dateline_without_year_sets_no_date() {
        let a = read("WASHINGTON, May 4 (AP) - Congress passed the bill.\n\nThe president is expected to sign it.");
        assert_eq!(a.published, None);
        assert_eq!(a.source.as_deref(), Some("AP"));
        assert_eq!(a.title, None);
    }

    #[test]
    fn date_label_agrees_with_pattern() {
        let long = format!("{}1", "x".repeat(60));
        for p in [
            "November 20, 2020",
            "Published: Nov 3, 2020",
            "PUBLISHED ON 2020-11-03",
            "Updated on 2020-11-03 10:00",
            "last updated 3 Nov 2020",
            "First published: 2 May",
            "Date 1",
            "Date: 1 May 2020 and more",
            "12345",
            "123456",
            "Ölçü 2020 x",
            "ölçü 20",
            "Posted 2020",
            "d 2020-11-03",
            "published",
            long.as_str(),
            "No digits here at all",
        ] {
            let pattern = RE_DATE_LABEL.captures(p).and_then(|c| {
                let updated = c
                    .get(1)
                    .is_some_and(|m| m.as_str().to_ascii_lowercase().contains("updated"));
                Some((updated, c.get(2)?.as_str()))
            });
            let digits = p.bytes().any(|b| b.is_ascii_digit());
            assert_eq!(date_label(p), pattern.filter(|_| digits), "{p:?}");
        }
    }

    #[test]
    fn hard_wrapped_text_is_joined() {
        let p = split_paragraphs("The ministers met in the capital on Friday and agreed\nto hold further talks next month, officials said.\n\nNext paragraph.");
        assert_eq!(p, vec!["The ministers met in the capital on Friday and agreed to hold further talks next month, officials said.".to_string(), "Next paragraph.".to_string()]);
    }

    #[test]
    fn odd_input_does_not_panic() {
        for s in [
            "",
            "\u{1b}[31m",
            "---",
            "---\n---",
            "Ölçü — ß",
            "By",
            "• • •",
            "\n\n\n",
        ] {
            let _ = read(s);
        }
    }
}
