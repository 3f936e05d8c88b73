//! The whole parse: source article in, `ParsedArticle` (the contract) out.

use chrono::{Local, NaiveDate};

use crate::extract::{actors, countries, events, officials, quotes, times};
use crate::model::*;
use crate::source::{self, Published, SourceArticle, SourceError};
use crate::span::Span;
use crate::text::Doc;

#[derive(Clone, Debug, Default)]
pub struct Options {
    /// `--published`: beats any date the source carries.
    pub published: Option<Published>,
    /// The input's file name: a date in it (`2020-11-25-talks.txt`) is the
    /// publication date when the source itself gives none.
    pub file_name: Option<String>,
}

/// A date written in a file name: `2020-11-25` (or with `_` or `.`
/// between the parts) or `20201125`, standing alone (not inside a longer
/// run of digits), in the years 1990 to 2099.
pub fn date_from_file_name(name: &str) -> Option<NaiveDate> {
    // Only the last path component names the file.
    let name = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let b = name.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let num = |from: usize, len: usize| -> Option<u32> { name.get(from..from + len)?.parse().ok() };
    for i in 0..b.len() {
        if !digit(i) || (i > 0 && digit(i - 1)) {
            continue;
        }
        let run = (i..b.len()).take_while(|&k| digit(k)).count();
        let (y, m, d) = if run == 4
            && matches!(b.get(i + 4), Some(b'-' | b'_' | b'.'))
            && b.get(i + 4) == b.get(i + 7)
            && digit(i + 5)
            && digit(i + 6)
            && digit(i + 8)
            && digit(i + 9)
            && !digit(i + 10)
        {
            (num(i, 4), num(i + 5, 2), num(i + 8, 2))
        } else if run == 8 {
            (num(i, 4), num(i + 4, 2), num(i + 6, 2))
        } else {
            continue;
        };
        let (Some(y), Some(m), Some(d)) = (y, m, d) else {
            continue;
        };
        if !(1990..=2099).contains(&y) {
            continue;
        }
        if let Some(date) = NaiveDate::from_ymd_opt(y as i32, m, d) {
            return Some(date);
        }
    }
    None
}

/// Parses `--published YYYY-MM-DD[THH:MM[:SS][Z|±HH:MM]]`.
pub fn parse_published_arg(s: &str) -> Result<Published, String> {
    let s = s.trim();
    let date_part = s.get(..10).unwrap_or(s);
    let date = NaiveDate::parse_from_str(date_part, "%Y-%m-%d")
        .map_err(|_| format!("--published {s:?}: expected YYYY-MM-DD[THH:MM[:SS][Z|±HH:MM]]"))?;
    if s.len() > 10 {
        let rest = &s[10..];
        let ok = rest.starts_with('T') || rest.starts_with(' ');
        let valid = ok
            && (chrono::DateTime::parse_from_rfc3339(&s.replace(' ', "T")).is_ok()
                || chrono::NaiveDateTime::parse_from_str(
                    &s.replace(' ', "T"),
                    "%Y-%m-%dT%H:%M:%S",
                )
                .is_ok()
                || chrono::NaiveDateTime::parse_from_str(&s.replace(' ', "T"), "%Y-%m-%dT%H:%M")
                    .is_ok()
                || chrono::DateTime::parse_from_str(&s.replace(' ', "T"), "%Y-%m-%dT%H:%M%:z")
                    .is_ok()
                || chrono::NaiveDateTime::parse_from_str(
                    s.replace(' ', "T").trim_end_matches('Z'),
                    "%Y-%m-%dT%H:%M",
                )
                .is_ok());
        if !valid {
            return Err(format!(
                "--published {s:?}: expected YYYY-MM-DD[THH:MM[:SS][Z|±HH:MM]]"
            ));
        }
    }
    Ok(Published {
        date,
        display: s.to_string(),
        from: PublishedFrom::Cli,
    })
}

/// Reads and parses every article in `bytes` (one for a page, many for a feed).
pub fn parse_bytes(bytes: &[u8], opts: &Options) -> Result<Vec<ParsedArticle>, SourceError> {
    parse_bytes_noted(bytes, opts).map(|(docs, _)| docs)
}

/// `parse_bytes`, with notes for the user (one line each, without the file
/// name): what the source layer mended or lost, and articles left without
/// a publication date.
pub fn parse_bytes_noted(
    bytes: &[u8],
    opts: &Options,
) -> Result<(Vec<ParsedArticle>, Vec<String>), SourceError> {
    let (arts, notes) = source::read_noted(bytes)?;
    Ok(parse_sources_noted(arts, notes, opts))
}

/// Parses articles already read by the source layer, adding to `notes`
/// the one about articles without a publication date.
pub fn parse_sources_noted(
    arts: Vec<SourceArticle>,
    mut notes: Vec<String>,
    opts: &Options,
) -> (Vec<ParsedArticle>, Vec<String>) {
    let docs: Vec<ParsedArticle> = arts.into_iter().map(|a| parse_article(a, opts)).collect();
    let undated = docs
        .iter()
        .filter(|d| d.article.published.is_none())
        .count();
    if undated > 0 {
        let which = if docs.len() == 1 {
            "no publication date".to_string()
        } else {
            format!("{undated} of {} items have no publication date", docs.len())
        };
        notes.push(format!(
            "{which} (none in the source, the file name or the text; give one with --published): its events are stored undated"
        ));
    }
    (docs, notes)
}

/// Runs the extractors over one article.
pub fn parse_article(src: SourceArticle, opts: &Options) -> ParsedArticle {
    // The article is consumed: its text and fields move into the output.
    let SourceArticle {
        id,
        title,
        source,
        url,
        authors,
        published,
        dateline,
        text,
    } = src;
    let published = opts
        .published
        .clone()
        .or(published)
        .or_else(|| {
            let date = date_from_file_name(opts.file_name.as_deref()?)?;
            Some(Published {
                date,
                display: date.to_string(),
                from: PublishedFrom::Filename,
            })
        })
        .or_else(|| {
            let d = infer_published(&text)?;
            Some(Published {
                date: d,
                display: d.to_string(),
                from: PublishedFrom::Inferred,
            })
        });
    let published_from = published
        .as_ref()
        .map(|p| p.from)
        .unwrap_or(PublishedFrom::None);
    let ctx = |dct| ChunkContext {
        article_id: &id,
        dct,
        dct_guess: published_from.is_guess(),
        dateline: dateline.as_deref(),
    };
    let out = match &published {
        Some(p) => extract_all(&text, &ctx(p.date)),
        // No date anywhere: nothing may be dated today. The text is read
        // against two reference dates that differ in year, month, day and
        // weekday; whatever value changes with the reference rests on it
        // and keeps only the parts that did not change ("Friday" is
        // XXXX-XX-XX, "March 5" XXXX-03-05), and an event dated by it is
        // undated.
        None => {
            let today = Local::now().date_naive();
            let mut out = extract_all(&text, &ctx(today));
            let other = extract_all(&text, &ctx(today - chrono::Duration::days(400)));
            unresolve(&mut out, &other);
            out
        }
    };
    ParsedArticle {
        schema: SCHEMA.to_string(),
        article: ArticleInfo {
            id,
            title,
            source,
            url,
            published: published.map(|p| p.display),
            published_from,
            dateline,
            authors,
            text,
        },
        countries: out.countries,
        officials: out.officials,
        quotes: out.quotes,
        times: out.times,
        events: out.events,
    }
}

/// Extracts every chunk of `text` against one context.
fn extract_all(text: &str, ctx: &ChunkContext) -> Extracted {
    // Very long inputs are read in paragraph-aligned chunks so that the
    // per-document rules (coreference, quote attribution) stay linear in
    // the input size; a news article is always a single chunk.
    let mut out = Extracted::default();
    for (start, end) in chunks(text, CHUNK_BYTES) {
        let part = extract_chunk(&text[start..end], start, ctx);
        out.merge(part);
    }
    out
}

/// Leaves unresolved every time value and event date of `out` that `other`
/// (the same text read against another reference date) does not agree on.
fn unresolve(out: &mut Extracted, other: &Extracted) {
    for t in &mut out.times {
        let same = other.times.iter().find(|o| o.span == t.span);
        t.value = underspecified(&t.value, same.map(|o| o.value.as_str()));
    }
    for e in &mut out.events {
        let same = other
            .events
            .iter()
            .find(|o| o.evidence == e.evidence && o.kind == e.kind);
        let value = underspecified(&e.date.value, same.map(|o| o.date.value.as_str()));
        if value != e.date.value {
            e.date.value = value;
            e.date.approximate = true;
        }
    }
}

/// The parts of a TIMEX3 value that two readings agree on, the digits of
/// the others replaced by `X` (`2026-12-04` and `2025-10-31` give
/// `XXXX-XX-XX`, `2026-W49` and `2025-W44` give `XXXX-WXX`); a value
/// without a counterpart or of another shape is `XXXX-XX-XX`.
fn underspecified(value: &str, other: Option<&str>) -> String {
    const UNKNOWN: &str = "XXXX-XX-XX";
    let Some(other) = other else {
        return if value.bytes().any(|b| b.is_ascii_digit()) {
            UNKNOWN.to_string()
        } else {
            value.to_string()
        };
    };
    if value == other {
        return value.to_string();
    }
    let parts = |v: &str| -> Vec<String> {
        v.split_inclusive(['-', 'T', ':'])
            .map(str::to_string)
            .collect()
    };
    let (a, b) = (parts(value), parts(other));
    if a.len() != b.len() || a.iter().zip(&b).any(|(x, y)| x.len() != y.len()) {
        return UNKNOWN.to_string();
    }
    a.iter()
        .zip(&b)
        .map(|(x, y)| {
            if x == y {
                x.clone()
            } else {
                x.chars()
                    .map(|c| if c.is_ascii_digit() { 'X' } else { c })
                    .collect()
            }
        })
        .collect()
}

/// An event's stable id: a 64-bit FNV-1a hash of its article's id, its
/// evidence span and its kind, in hex. The same input always gives the same
/// ids; events of one article never share one (their spans or kinds differ).
fn event_id(article_id: &str, evidence: Span, kind: EventKind) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    eat(article_id.as_bytes());
    eat(&(evidence.start as u64).to_le_bytes());
    eat(&(evidence.end as u64).to_le_bytes());
    eat(kind.as_str().as_bytes());
    source::hex(&h.to_be_bytes())
}

/// Inputs longer than this are extracted chunk by chunk.
const CHUNK_BYTES: usize = 64 * 1024;

/// Splits `text` into spans of about `max` bytes, cut at paragraph breaks
/// (or, failing those, at a line break or a space) on char boundaries.
fn chunks(text: &str, max: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    while text.len() - start > max {
        let mut limit = start + max;
        while !text.is_char_boundary(limit) {
            limit -= 1;
        }
        let window = &text[start..limit];
        let cut = window
            .rfind("\n\n")
            .or_else(|| window.rfind('\n'))
            .or_else(|| window.rfind(' '))
            .filter(|&c| c > 0)
            .map(|c| start + c)
            .unwrap_or(limit);
        out.push((start, cut));
        start = cut;
    }
    out.push((start, text.len()));
    out
}

struct ChunkContext<'a> {
    article_id: &'a str,
    dct: NaiveDate,
    dct_guess: bool,
    dateline: Option<&'a str>,
}

/// The contract's lists for one chunk, spans already in whole-text offsets.
#[derive(Default)]
struct Extracted {
    countries: Vec<CountryOut>,
    officials: Vec<OfficialOut>,
    quotes: Vec<QuoteOut>,
    times: Vec<TimeOut>,
    events: Vec<EventOut>,
}

impl Extracted {
    /// Appends a later chunk: countries and officials merged by code and
    /// name, quote indexes of events shifted.
    fn merge(&mut self, other: Extracted) {
        for c in other.countries {
            match self.countries.iter_mut().find(|x| x.code == c.code) {
                Some(x) => x.mentions.extend(c.mentions),
                None => self.countries.push(c),
            }
        }
        for o in other.officials {
            match self.officials.iter_mut().find(|x| x.name == o.name) {
                Some(x) => {
                    x.mentions.extend(o.mentions);
                    x.title = x.title.take().or(o.title);
                    x.country = x.country.take().or(o.country);
                }
                None => self.officials.push(o),
            }
        }
        let shift = self.quotes.len();
        self.quotes.extend(other.quotes);
        self.times.extend(other.times);
        self.events.extend(other.events.into_iter().map(|mut e| {
            for q in &mut e.quotes {
                *q += shift;
            }
            e
        }));
    }
}

fn extract_chunk(text: &str, base: usize, ctx: &ChunkContext) -> Extracted {
    let at = |s: Span| Span::new(s.start + base, s.end + base);
    let doc = Doc::new(text);
    let dct = ctx.dct;

    let country_mentions = countries::find(text);
    let mut countries_out: Vec<CountryOut> = Vec::new();
    for m in &country_mentions {
        match countries_out.iter_mut().find(|c| c.code == m.code) {
            Some(c) => c.mentions.push(at(m.span)),
            None => countries_out.push(CountryOut {
                code: m.code.to_string(),
                name: countries::name(m.code).unwrap_or(m.code).to_string(),
                mentions: vec![at(m.span)],
            }),
        }
    }

    let times_found = times::extract(&doc, dct);
    let registry = officials::extract(&doc, &country_mentions, dct);
    let actor_list = actors::find(&doc, &registry, &country_mentions);
    let quote_list = quotes::extract(&doc, &registry, &actor_list);
    let event_list = events::extract(&events::Input {
        doc: &doc,
        registry: &registry,
        actors: &actor_list,
        countries: &country_mentions,
        quotes: &quote_list,
        times: &times_found,
        dct,
        dct_guess: ctx.dct_guess,
        dateline: ctx.dateline,
    });

    // The lists move into the contract's shapes, events first: they name
    // the registry's persons, which move out after them.
    let events_out = event_list
        .into_iter()
        .map(|e| {
            let evidence = at(e.evidence);
            EventOut {
                id: event_id(ctx.article_id, evidence, e.kind),
                kind: e.kind,
                date: EventDate {
                    value: e.date,
                    approximate: e.approximate,
                    phrase: e.phrase.map(|p| p.slice(text).to_string()),
                },
                summary: e.summary,
                countries: e.countries.iter().map(|c| c.to_string()).collect(),
                officials: e
                    .persons
                    .iter()
                    .map(|&p| registry.persons[p].name.clone())
                    .collect(),
                location: e.location,
                quotes: e.quotes,
                evidence,
            }
        })
        .collect();
    let officials_out = registry
        .persons
        .into_iter()
        .filter(|p| p.official)
        .map(|p| OfficialOut {
            name: p.name,
            title: p.title,
            country: p.country.map(str::to_string),
            mentions: p.mentions.iter().map(|&m| at(m)).collect(),
        })
        .collect();
    let quotes_out = quote_list
        .into_iter()
        .map(|q| QuoteOut {
            text: q.span.slice(text).to_string(),
            span: at(q.span),
            speaker: q.speaker,
            speaker_span: q.speaker_span.map(at),
        })
        .collect();
    let times_out = times_found
        .into_iter()
        .map(|t| TimeOut {
            text: t.span.slice(text).to_string(),
            span: at(t.span),
            value: t.value,
            kind: t.kind.as_str().to_string(),
        })
        .collect();
    Extracted {
        countries: countries_out,
        officials: officials_out,
        quotes: quotes_out,
        times: times_out,
        events: events_out,
    }
}

/// Guesses the publication date from the latest full date written in the text.
fn infer_published(text: &str) -> Option<NaiveDate> {
    times::explicit_dates(text).into_iter().max()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_file_names() {
        let d = |s: &str| date_from_file_name(s).map(|d| d.to_string());
        assert_eq!(d("2020-11-25-talks.txt"), Some("2020-11-25".into()));
        assert_eq!(
            d("/news/2019/talks_20201125.html"),
            Some("2020-11-25".into())
        );
        assert_eq!(d("talks.2021.03.04.txt"), Some("2021-03-04".into()));
        assert_eq!(d("1588026728.html"), None);
        assert_eq!(d("2020-13-45.txt"), None);
        assert_eq!(d("report-2020-11.txt"), None);
        assert_eq!(d("2020-11_25.txt"), None);
    }

    #[test]
    fn values_resting_on_the_reference_date_are_left_unresolved() {
        assert_eq!(
            underspecified("2026-12-04", Some("2025-10-31")),
            "XXXX-XX-XX"
        );
        assert_eq!(
            underspecified("2026-03-05", Some("2025-03-05")),
            "XXXX-03-05"
        );
        assert_eq!(underspecified("2026-W49", Some("2025-W44")), "XXXX-WXX");
        assert_eq!(underspecified("2026-FA", Some("2025-FA")), "XXXX-FA");
        assert_eq!(underspecified("1968", Some("1968")), "1968");
        assert_eq!(underspecified("PRESENT_REF", None), "PRESENT_REF");
        assert_eq!(underspecified("2026-12", None), "XXXX-XX-XX");
        assert_eq!(underspecified("PRESENT_REF", Some("2025-10")), "XXXX-XX-XX");
    }

    #[test]
    fn undated_text_is_never_dated_today() {
        let opts = Options::default();
        let src = crate::source::read(
            b"Ministers of Ruritania met on Friday and will meet again next month, officials said.",
        )
        .unwrap_or_default();
        let a = parse_article(src.into_iter().next().unwrap_or_default(), &opts);
        assert_eq!(a.article.published, None);
        assert_eq!(a.article.published_from, PublishedFrom::None);
        let today = Local::now().date_naive();
        let this_month = today.format("%Y-%m").to_string();
        assert!(!a.events.is_empty());
        for e in &a.events {
            assert!(!e.date.value.starts_with(&this_month), "{:?}", e.date);
            assert!(e.date.approximate);
        }
        for t in &a.times {
            assert!(
                !t.value.starts_with(&today.format("%Y").to_string()),
                "{t:?}"
            );
        }
    }
}
