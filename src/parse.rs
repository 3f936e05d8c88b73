//! The whole parse: source article in, `ParsedArticle` (the contract) out.

use chrono::{Local, NaiveDate};

use crate::extract::{countries, times};
use crate::model::*;
use crate::source::{self, Published, SourceArticle, SourceError};
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
    let text = src.text;
    let doc = Doc::new(&text);

    let country_mentions = countries::find(&text);
    let mut countries_out: Vec<CountryOut> = Vec::new();
    for m in &country_mentions {
        match countries_out.iter_mut().find(|c| c.code == m.code) {
            Some(c) => c.mentions.push(m.span),
            None => countries_out.push(CountryOut {
                code: m.code.to_string(),
                name: countries::name(m.code).unwrap_or(m.code).to_string(),
                mentions: vec![m.span],
            }),
        }
    }

    let times_found = times::extract(&doc, dct);
    let times_out = times_found
        .iter()
        .map(|t| TimeOut {
            text: t.span.slice(&text).to_string(),
            span: t.span,
            value: t.value.clone(),
            kind: t.kind.as_str().to_string(),
        })
        .collect();

    ParsedArticle {
        schema: SCHEMA.to_string(),
        article: ArticleInfo {
            id: src.id,
            title: src.title,
            source: src.source,
            url: src.url,
            published: published.map(|p| p.display),
            published_from,
            dateline: src.dateline,
            authors: src.authors,
            text: text.clone(),
        },
        countries: countries_out,
        officials: Vec::new(),
        quotes: Vec::new(),
        times: times_out,
        events: Vec::new(),
    }
}

/// Guesses the publication date from the latest full date written in the text.
fn infer_published(text: &str) -> Option<NaiveDate> {
    times::explicit_dates(text).into_iter().max()
}
