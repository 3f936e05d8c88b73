//! Writing parse results into the store.
//!
//! One call of `Store::ingest` is one transaction: a file's articles are
//! stored whole or not at all, so a crash or Ctrl-C mid-ingest leaves every
//! earlier file complete and no half-written article.

use chrono::{NaiveDate, Weekday};
use rusqlite::{params, OptionalExtension, Transaction};

use super::{Store, StoreError};
use crate::model::{ParsedArticle, SCHEMA};
use crate::parse::{self, Options};
use crate::source::SourceError;

/// What one ingest call changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IngestStats {
    pub articles_new: usize,
    /// Articles already in the store (same id, same text and dates): left
    /// exactly as they were.
    pub articles_unchanged: usize,
    /// Articles already in the store (same id or same URL) whose text,
    /// title or publication date changed: replaced, keeping their id.
    pub articles_replaced: usize,
    pub events_added: usize,
}

impl std::ops::AddAssign for IngestStats {
    fn add_assign(&mut self, o: IngestStats) {
        self.articles_new += o.articles_new;
        self.articles_unchanged += o.articles_unchanged;
        self.articles_replaced += o.articles_replaced;
        self.events_added += o.events_added;
    }
}

/// Reads an input for ingest: the JSON of `newsline parse` (one object, or
/// JSON Lines) is taken as it is, so parse results made elsewhere can be
/// stored; anything else goes through the parser.
pub fn parse_input(bytes: &[u8], opts: &Options) -> Result<Vec<ParsedArticle>, SourceError> {
    parse_input_noted(bytes, opts).map(|(docs, _)| docs)
}

/// `parse_input`, with the parser's notes for the user (see
/// `parse::parse_bytes_noted`); parse JSON read as it is has none.
pub fn parse_input_noted(
    bytes: &[u8],
    opts: &Options,
) -> Result<(Vec<ParsedArticle>, Vec<String>), SourceError> {
    let head = &bytes[..bytes.len().min(512)];
    let trimmed = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map(|i| &head[i..]);
    if trimmed.is_some_and(|h| h.starts_with(b"{") && contains(h, SCHEMA.as_bytes())) {
        let text = std::str::from_utf8(bytes)
            .map_err(|_| SourceError::Malformed("parse JSON is not valid UTF-8".into()))?;
        let mut out = Vec::new();
        for item in serde_json::Deserializer::from_str(text).into_iter::<ParsedArticle>() {
            let mut a = item.map_err(|e| SourceError::Malformed(format!("bad parse JSON: {e}")))?;
            clean_parse_json(&mut a)?;
            out.push(a);
        }
        if out.is_empty() {
            return Err(SourceError::Empty);
        }
        return Ok((out, Vec::new()));
    }
    // Other JSON (data files, evaluation answers) is no article, but the
    // source layer would read it as text; JSON Feed is left to it.
    let starts_json = trimmed.is_some_and(|h| h.starts_with(b"{") || h.starts_with(b"["));
    if starts_json
        && !contains(head, b"jsonfeed.org")
        && serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_ok()
    {
        return Err(SourceError::NotArticle(
            "JSON data, neither an article nor `newsline parse` output".into(),
        ));
    }
    parse::parse_bytes_noted(bytes, opts)
}

/// Parse JSON made elsewhere is untrusted like any input: every text field
/// but the article's text loses control, bidi and zero-width characters
/// and escape sequences. The text itself is refused when it holds any,
/// since cleaning it would move every span that points into it.
fn clean_parse_json(a: &mut ParsedArticle) -> Result<(), SourceError> {
    use crate::source::sanitize::{clean_line, needs_any_cleaning};
    if needs_any_cleaning(&a.article.text) {
        return Err(SourceError::Malformed(
            "parse JSON whose article.text holds control characters or escape sequences \
             (its spans would not survive cleaning); parse the article again with `newsline parse`"
                .into(),
        ));
    }
    let one = |s: &mut String| {
        if let std::borrow::Cow::Owned(c) = clean_line(s) {
            *s = c;
        }
    };
    let opt = |s: &mut Option<String>| {
        if let Some(s) = s {
            one(s)
        }
    };
    let info = &mut a.article;
    one(&mut a.schema);
    one(&mut info.id);
    opt(&mut info.title);
    opt(&mut info.source);
    opt(&mut info.url);
    opt(&mut info.published);
    opt(&mut info.dateline);
    info.authors.iter_mut().for_each(one);
    for c in &mut a.countries {
        one(&mut c.code);
        one(&mut c.name);
    }
    for o in &mut a.officials {
        one(&mut o.name);
        opt(&mut o.title);
        opt(&mut o.country);
    }
    for q in &mut a.quotes {
        one(&mut q.text);
        opt(&mut q.speaker);
    }
    for t in &mut a.times {
        one(&mut t.text);
        one(&mut t.value);
        one(&mut t.kind);
    }
    for e in &mut a.events {
        one(&mut e.id);
        one(&mut e.date.value);
        opt(&mut e.date.phrase);
        one(&mut e.summary);
        opt(&mut e.location);
        e.countries.iter_mut().for_each(one);
        e.officials.iter_mut().for_each(one);
    }
    Ok(())
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

impl Store {
    /// Stores the articles of one input file (`path` is recorded with them)
    /// in one transaction. An article already stored (same id, or same URL)
    /// is left untouched when its text, title and dates are the same, and
    /// replaced, keeping its id, when they changed (an edited feed item, or
    /// another `--published`).
    pub fn ingest(
        &mut self,
        articles: &[ParsedArticle],
        path: Option<&str>,
    ) -> Result<IngestStats, StoreError> {
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        // IMMEDIATE: the write lock is taken (waiting for another writer)
        // before the first read, so the transaction never has to upgrade a
        // read snapshot that another process's commit made stale.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut stats = IngestStats::default();
        for a in articles {
            match stored_as(&tx, a)? {
                Stored::No => {
                    if insert_article(&tx, a, &a.article.id, path, &now)? {
                        // Each new article's events join their stories as they land.
                        crate::story::merge::assign_article(&tx, &a.article.id)?;
                        stats.articles_new += 1;
                        stats.events_added += a.events.len();
                    } else {
                        stats.articles_unchanged += 1;
                    }
                }
                Stored::Same => stats.articles_unchanged += 1,
                Stored::Changed(id) => {
                    crate::story::merge::forget_article(&tx, &id)?;
                    tx.prepare_cached("DELETE FROM articles WHERE id = ?1")?
                        .execute(params![id])?;
                    insert_article(&tx, a, &id, path, &now)?;
                    crate::story::merge::assign_article(&tx, &id)?;
                    stats.articles_replaced += 1;
                    stats.events_added += a.events.len();
                }
            }
        }
        tx.commit()?;
        Ok(stats)
    }
}

/// Whether an article is in the store already, and as what.
enum Stored {
    No,
    Same,
    /// Stored under this id with other text, title or dates.
    Changed(String),
}

/// Looks the article up by id, then by URL (a feed item edited after it
/// was stored has a new id but the same link).
fn stored_as(tx: &Transaction, a: &ParsedArticle) -> Result<Stored, StoreError> {
    type Row = (String, Option<String>, String, Option<String>, String);
    let get = |r: &rusqlite::Row| -> rusqlite::Result<Row> {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    };
    let info = &a.article;
    let mut found: Option<Row> = tx
        .prepare_cached(
            "SELECT id, published, published_from, title, text FROM articles WHERE id = ?1",
        )?
        .query_row(params![info.id], get)
        .optional()?;
    if found.is_none() {
        if let Some(url) = info.url.as_deref().filter(|u| !u.trim().is_empty()) {
            found = tx
                .prepare_cached(
                    "SELECT id, published, published_from, title, text FROM articles \
                     WHERE url = ?1 ORDER BY ingested_at DESC LIMIT 1",
                )?
                .query_row(params![url], get)
                .optional()?;
        }
    }
    Ok(match found {
        None => Stored::No,
        Some((_, published, from, title, text))
            if published == info.published
                && from == info.published_from.as_str()
                && title == info.title
                && text == info.text =>
        {
            Stored::Same
        }
        Some((id, ..)) => Stored::Changed(id),
    })
}

/// Inserts one article under `id` and everything hanging off it; false
/// when an article of that id was already there.
pub(crate) fn insert_article(
    tx: &Transaction,
    a: &ParsedArticle,
    id: &str,
    path: Option<&str>,
    now: &str,
) -> Result<bool, StoreError> {
    let info = &a.article;
    let authors = serde_json::to_string(&info.authors).unwrap_or_else(|_| "[]".into());
    let added = tx
        .prepare_cached(
            "INSERT OR IGNORE INTO articles (id, title, source, url, path, published, \
             published_from, dateline, text, ingested_at, authors) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?
        .execute(params![
            id,
            info.title,
            info.source,
            info.url,
            path,
            info.published,
            info.published_from.as_str(),
            info.dateline,
            info.text,
            now,
            authors
        ])?;
    if added == 0 {
        return Ok(false);
    }

    for c in &a.countries {
        tx.prepare_cached(
            "INSERT OR IGNORE INTO article_countries (article_id, code, name, mentions) \
             VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![id, c.code, c.name, spans_json(&c.mentions)])?;
    }
    for o in &a.officials {
        let oid = official_id(tx, &o.name, o.country.as_deref(), o.title.as_deref())?;
        tx.prepare_cached(
            "INSERT OR IGNORE INTO article_officials (article_id, official_id, title, mentions) \
             VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![id, oid, o.title, spans_json(&o.mentions)])?;
        store_aliases(tx, oid, o, &a.article.text)?;
    }
    for (i, q) in a.quotes.iter().enumerate() {
        tx.prepare_cached(
            "INSERT OR IGNORE INTO quotes (article_id, idx, text, speaker, span_start, span_end) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            id,
            i as i64,
            q.text,
            q.speaker,
            q.span.start as i64,
            q.span.end as i64
        ])?;
    }

    for (n, e) in a.events.iter().enumerate() {
        let key = date_key(&e.date.value, info.published.as_deref());
        // The event's countries and officials, each once, in the parser's
        // order: the link tables' rows and the event's own lists (v10).
        // The officials are looked up before the event is written, which
        // needs their ids.
        let mut countries: Vec<&str> = Vec::new();
        for c in &e.countries {
            if !countries.contains(&c.as_str()) {
                countries.push(c);
            }
        }
        let mut officials: Vec<i64> = Vec::new();
        for name in &e.officials {
            // The article's officials list knows the person's country and title.
            let known = a.officials.iter().find(|o| &o.name == name);
            let oid = official_id(
                tx,
                name,
                known.and_then(|o| o.country.as_deref()),
                known.and_then(|o| o.title.as_deref()),
            )?;
            if !officials.contains(&oid) {
                officials.push(oid);
            }
        }
        let country_list = super::schema::country_list(countries.iter().copied());
        let official_list = super::schema::official_list(&officials);
        let mut insert = tx.prepare_cached(
            "INSERT OR IGNORE INTO events (id, article_id, kind, date_value, approximate, date_key, \
             summary, location, evidence_start, evidence_end, date_phrase, quote_text, \
             country_list, official_list) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        )?;
        // The quotes as search reads them, in the order `event_quotes`
        // keeps them (by index, once each).
        let mut idxs: Vec<usize> = e
            .quotes
            .iter()
            .copied()
            .filter(|&q| q < a.quotes.len())
            .collect();
        idxs.sort_unstable();
        idxs.dedup();
        let quote_text =
            super::search::quotes_field(idxs.iter().map(|&q| a.quotes[q].text.as_str()));
        let mut put = |event_id: &str| {
            insert.execute(params![
                event_id,
                id,
                e.kind.as_str(),
                e.date.value,
                e.date.approximate,
                key,
                e.summary,
                e.location,
                e.evidence.start as i64,
                e.evidence.end as i64,
                e.date.phrase,
                quote_text,
                country_list,
                official_list
            ])
        };
        // Event ids are the parser's; should two articles ever give the same
        // id, the later event gets a suffixed id rather than being lost.
        let mut stored = put(&e.id)?;
        if stored == 0 {
            let alt = format!("{}-{}-{n}", e.id, id.get(..8).unwrap_or(id));
            stored = put(&alt)?;
        }
        if stored == 0 {
            continue;
        }
        let seq = tx.last_insert_rowid();
        for (pos, c) in countries.iter().enumerate() {
            tx.prepare_cached(
                "INSERT INTO event_countries (event_seq, pos, country) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![seq, pos as i64, c])?;
        }
        for (pos, oid) in officials.iter().enumerate() {
            tx.prepare_cached(
                "INSERT INTO event_officials (event_seq, pos, official_id) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![seq, pos as i64, oid])?;
        }
        for &qi in &e.quotes {
            if qi < a.quotes.len() {
                tx.prepare_cached(
                    "INSERT OR IGNORE INTO event_quotes (event_seq, idx) VALUES (?1, ?2)",
                )?
                .execute(params![seq, qi as i64])?;
            }
        }
    }
    Ok(true)
}

fn spans_json(spans: &[crate::span::Span]) -> String {
    serde_json::to_string(spans).unwrap_or_else(|_| "[]".into())
}

/// A person's name as the officials table keys it: one key per person
/// across case, dots, diacritics, hyphens and the spelling variants the
/// press uses (see `extract::officials::identity_key`).
pub fn normalize_name(name: &str) -> String {
    crate::extract::officials::identity_key(name)
}

/// The id of the official record for this person, made when new. A record
/// without a country is merged into the first one of the same name, and a
/// countryless record takes the country of the first mention that has one.
pub(crate) fn official_id(
    tx: &Transaction,
    name: &str,
    country: Option<&str>,
    title: Option<&str>,
) -> Result<i64, StoreError> {
    let norm = normalize_name(name);
    let country = country.unwrap_or("");
    type Found = Option<(i64, Option<String>)>;
    let row = |r: &rusqlite::Row| Ok((r.get(0)?, r.get(1)?));
    let found: Found = if country.is_empty() {
        tx.prepare_cached(
            "SELECT id, title FROM officials WHERE norm_name = ?1 \
             ORDER BY country = '' DESC, id LIMIT 1",
        )?
        .query_row(params![norm], row)
        .optional()?
    } else {
        let same_country: Found = tx
            .prepare_cached(
                "SELECT id, title FROM officials WHERE norm_name = ?1 AND country = ?2",
            )?
            .query_row(params![norm, country], row)
            .optional()?;
        match same_country {
            Some(f) => Some(f),
            None => {
                // The person was stored before any article gave their
                // country: that record learns it, rather than the person
                // splitting in two.
                let countryless: Found = tx
                    .prepare_cached(
                        "SELECT id, title FROM officials WHERE norm_name = ?1 AND country = ''",
                    )?
                    .query_row(params![norm], row)
                    .optional()?;
                if let Some((id, _)) = &countryless {
                    tx.prepare_cached("UPDATE officials SET country = ?2 WHERE id = ?1")?
                        .execute(params![id, country])?;
                }
                countryless
            }
        }
    };
    if let Some((id, known_title)) = found {
        // Fill in a title learnt later; never overwrite one.
        if known_title.is_none() && title.is_some() {
            tx.prepare_cached("UPDATE officials SET title = ?2 WHERE id = ?1")?
                .execute(params![id, title])?;
        }
        return Ok(id);
    }
    tx.prepare_cached(
        "INSERT INTO officials (name, norm_name, country, title) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![name, norm, country, title])?;
    Ok(tx.last_insert_rowid())
}

/// Keeps the other names an official goes by: this article's spelling of
/// the name when the store knew the person under another one ("Kim
/// Jong-un" for "Kim Jong Un"), and the shorter forms the article uses
/// ("Kamikawa"). Mentions that are pronouns or titles ("she", "the
/// minister") are not names and are left out.
fn store_aliases(
    tx: &Transaction,
    oid: i64,
    o: &crate::model::OfficialOut,
    text: &str,
) -> Result<(), StoreError> {
    let stored: String = tx
        .prepare_cached("SELECT name FROM officials WHERE id = ?1")?
        .query_row(params![oid], |r| r.get(0))?;
    // The article's own spelling, then each mention made only of words of
    // that name (so "Kamikawa", never "the minister" or "she").
    let words: Vec<String> = o.name.split_whitespace().map(str::to_lowercase).collect();
    let short = o
        .mentions
        .iter()
        .filter_map(|m| text.get(m.start..m.end))
        .map(str::trim)
        .filter(|n| {
            n.split_whitespace()
                .all(|w| words.contains(&w.to_lowercase()))
        });
    for n in std::iter::once(o.name.as_str()).chain(short) {
        let is_name = n.chars().next().is_some_and(char::is_uppercase)
            && !n.contains(char::is_control)
            && n.chars().count() <= 80;
        if !is_name || n == stored {
            continue;
        }
        tx.prepare_cached(
            "INSERT OR IGNORE INTO official_aliases (official_id, alias) VALUES (?1, ?2)",
        )?
        .execute(params![oid, n])?;
    }
    Ok(())
}

/// A key that sorts TIMEX3 values in time order as plain strings: the first
/// day of the period (`2023-11` -> `2023-11-01`, `2023-W47` -> its Monday,
/// `2023-Q4` -> `2023-10-01`), full timestamps as they are. References like
/// `PRESENT_REF` take the article's publication date; with none, "".
pub fn date_key(value: &str, published: Option<&str>) -> String {
    let v = value.trim();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    // Decades and centuries ("202X", "19XX") start at their first year.
    // "XXXX-03-05" (a value left unresolved for want of a publication
    // date) has no year: it is undated, like a reference with no date.
    let year_part = v
        .get(..4)
        .filter(|y| y.bytes().any(|b| b.is_ascii_digit()))
        .map(|y| y.replace(['X', 'x'], "0"));
    let Some(year) = year_part.filter(|y| digits(y)) else {
        return published
            .map(|p| date_key(p, None))
            .filter(|k| !k.is_empty())
            .unwrap_or_default();
    };
    let rest = v.get(4..).unwrap_or("");
    if rest.is_empty() {
        return format!("{year}-01-01");
    }
    let Some(rest) = rest.strip_prefix('-') else {
        return format!("{year}-01-01");
    };
    let y: i32 = year.parse().unwrap_or(0);
    let month_start = |m: u32| format!("{year}-{m:02}-01");
    if let Some(month) = rest.get(..2).filter(|m| digits(m)) {
        let after = rest.get(2..).unwrap_or("");
        let day = after
            .strip_prefix('-')
            .and_then(|a| a.get(..2))
            .filter(|d| digits(d));
        return match day {
            // A full date, possibly with a time: keep up to the minute.
            Some(_) => format!("{year}-{month}{}", after.get(..9).unwrap_or(after)),
            None => format!("{year}-{month}-01"),
        };
    }
    if let Some(w) = rest
        .strip_prefix('W')
        .and_then(|w| w.get(..2))
        .and_then(|w| w.parse().ok())
    {
        if let Some(d) = NaiveDate::from_isoywd_opt(y, w, Weekday::Mon) {
            return d.format("%Y-%m-%d").to_string();
        }
    }
    match rest.get(..2) {
        Some("Q1") | Some("H1") | Some("WI") => month_start(1),
        Some("Q2") => month_start(4),
        Some("SP") => month_start(3),
        Some("Q3") | Some("H2") => month_start(7),
        Some("SU") => month_start(6),
        Some("FA") => month_start(9),
        Some("Q4") => month_start(10),
        _ => format!("{year}-01-01"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_keys_sort_in_time_order() {
        assert_eq!(date_key("2023-11-25", None), "2023-11-25");
        assert_eq!(date_key("2023-11-25T14:30", None), "2023-11-25T14:30");
        assert_eq!(date_key("2023-11", None), "2023-11-01");
        assert_eq!(date_key("2023", None), "2023-01-01");
        assert_eq!(date_key("2023-W47", None), "2023-11-20");
        assert_eq!(date_key("2023-Q4", None), "2023-10-01");
        assert_eq!(date_key("2023-SU", None), "2023-06-01");
        assert_eq!(date_key("202X", None), "2020-01-01");
        assert_eq!(
            date_key("PRESENT_REF", Some("2023-11-25T09:00:00Z")),
            "2023-11-25T09:00"
        );
        assert_eq!(date_key("PAST_REF", None), "");
        assert_eq!(date_key("XXXX-XX-XX", None), "");
        assert_eq!(date_key("XXXX-03-05", None), "");
        assert_eq!(date_key("garbage", None), "");
        assert_eq!(date_key("2023-1é", None), "2023-01-01");
        let mut keys =
            ["2023-11-25", "2023-W47", "2023-11", "2022", "2023-Q4"].map(|v| date_key(v, None));
        keys.sort();
        assert_eq!(
            keys,
            [
                "2022-01-01",
                "2023-10-01",
                "2023-11-01",
                "2023-11-20",
                "2023-11-25"
            ]
        );
    }

    #[test]
    fn names_normalise() {
        assert_eq!(normalize_name("  Yoko  KAMIKAWA "), "yoko kamikawa");
        assert_eq!(normalize_name("Antony J. Blinken"), "antony j blinken");
    }

    #[test]
    fn parse_json_is_read_back() {
        let bytes = br#"{"schema":"newsline.article/1","article":{"id":"a1","title":null,"source":null,"url":null,"published":null,"published_from":"none","text":"x"},"countries":[],"officials":[],"quotes":[],"times":[],"events":[]}"#;
        let got = parse_input(bytes, &Options::default()).unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].article.id, "a1");
        assert!(parse_input(
            b"{\"schema\":\"newsline.article/1\", broken",
            &Options::default()
        )
        .is_err());
        let other = parse_input(
            br#"{"article": "x.txt", "countries": []}"#,
            &Options::default(),
        );
        // JSON that is neither (an evaluation file) is skipped, not failed.
        assert!(matches!(
            other,
            Err(SourceError::NotArticle(why)) if why.starts_with("JSON data")
        ));
    }
}
