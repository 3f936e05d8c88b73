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
    Ok(source::read(bytes)?
        .into_iter()
        .map(|a| parse_article(a, opts))
        .collect())
}

/// Runs the extractors over one article.
pub fn parse_article(src: SourceArticle, opts: &Options) -> ParsedArticle {
    let published = opts.published.clone().or_else(|| src.published.clone());
    let (dct, published) = match published {
        Some(p) => (p.date, Some(p)),
        None => match infer_published(&src.text) {
            Some(d) => (
                d,
                Some(Published {
                    date: d,
                    display: d.to_string(),
                    from: PublishedFrom::Inferred,
                }),
            ),
            None => (Local::now().date_naive(), None),
        },
    };
    let published_from = published
        .as_ref()
        .map(|p| p.from)
        .unwrap_or(PublishedFrom::None);
    let text = src.text.clone();
    let ctx = ChunkContext {
        article_id: &src.id,
        dct,
        dct_guess: published_from.is_guess(),
        dateline: src.dateline.as_deref(),
    };
    // Very long inputs are read in paragraph-aligned chunks so that the
    // per-document rules (coreference, quote attribution) stay linear in
    // the input size; a news article is always a single chunk.
    let mut out = Extracted::default();
    for (start, end) in chunks(&text, CHUNK_BYTES) {
        let part = extract_chunk(&text[start..end], start, &ctx);
        out.merge(part);
    }

    ParsedArticle {
        schema: SCHEMA.to_string(),
        article: ArticleInfo {
            id: src.id.clone(),
            title: src.title.clone(),
            source: src.source.clone(),
            url: src.url.clone(),
            published: published.map(|p| p.display),
            published_from,
            dateline: src.dateline.clone(),
            authors: src.authors.clone(),
            text,
        },
        countries: out.countries,
        officials: out.officials,
        quotes: out.quotes,
        times: out.times,
        events: out.events,
    }
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
    let times_out = times_found
        .iter()
        .map(|t| TimeOut {
            text: t.span.slice(text).to_string(),
            span: at(t.span),
            value: t.value.clone(),
            kind: t.kind.as_str().to_string(),
        })
        .collect();

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

    let officials_out = registry
        .persons
        .iter()
        .filter(|p| p.official)
        .map(|p| OfficialOut {
            name: p.name.clone(),
            title: p.title.clone(),
            country: p.country.map(str::to_string),
            mentions: p.mentions.iter().map(|&m| at(m)).collect(),
        })
        .collect();
    let quotes_out = quote_list
        .iter()
        .map(|q| QuoteOut {
            text: q.span.slice(text).to_string(),
            span: at(q.span),
            speaker: q.speaker.clone(),
            speaker_span: q.speaker_span.map(at),
        })
        .collect();
    let events_out = event_list
        .iter()
        .map(|e| {
            let evidence = at(e.evidence);
            EventOut {
                id: event_id(ctx.article_id, evidence, e.kind),
                kind: e.kind,
                date: EventDate {
                    value: e.date.clone(),
                    approximate: e.approximate,
                    phrase: e.phrase.map(|p| p.slice(text).to_string()),
                },
                summary: e.summary.clone(),
                countries: e.countries.iter().map(|c| c.to_string()).collect(),
                officials: e
                    .persons
                    .iter()
                    .map(|&p| registry.persons[p].name.clone())
                    .collect(),
                location: e.location.clone(),
                quotes: e.quotes.clone(),
                evidence,
            }
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
