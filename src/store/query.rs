//! Reading the store: filtered event lists, single events and articles,
//! the compact timeline the browser loads, and counts.

use std::collections::HashMap;

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, OptionalExtension, Row};
use serde::Serialize;

use super::{Store, StoreError};
use crate::extract::countries;
use crate::model::EventKind;
use crate::span::Span;

/// Which events to list. Within one field any value may match; the fields
/// all have to hold together.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// ISO codes ("KR"); resolve names with `resolve_country` first.
    pub countries: Vec<String>,
    /// Names matched fuzzily against the officials table ("Kamikawa").
    pub officials: Vec<String>,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, inclusive.
    pub from: Option<String>,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, inclusive of the whole period.
    pub to: Option<String>,
    pub kinds: Vec<EventKind>,
    /// Ranks matches by a fuzzy score over summary, officials, countries and quotes.
    pub search: Option<String>,
    pub limit: Option<usize>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DateRecord {
    pub value: String,
    pub approximate: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
pub struct QuoteRecord {
    pub text: String,
    pub speaker: Option<String>,
}

/// The article an event came from, as `list` and `export` show it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ArticleRef {
    pub id: String,
    pub title: Option<String>,
    pub source: Option<String>,
    pub published: Option<String>,
    pub path: Option<String>,
    pub url: Option<String>,
}

/// One stored event with what hangs off it. Serialises to the JSON object
/// of `list --format json` and `export`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EventRecord {
    pub id: String,
    pub kind: EventKind,
    pub date: DateRecord,
    #[serde(skip)]
    pub date_key: String,
    pub summary: String,
    pub countries: Vec<String>,
    pub officials: Vec<String>,
    pub location: Option<String>,
    pub quotes: Vec<QuoteRecord>,
    pub article: ArticleRef,
    #[serde(skip)]
    pub evidence: Span,
}

/// One stored article.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ArticleRecord {
    pub id: String,
    pub title: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub path: Option<String>,
    pub published: Option<String>,
    pub published_from: String,
    pub dateline: Option<String>,
    pub authors: Vec<String>,
    pub text: String,
    pub ingested_at: String,
    /// Its events' ids, in date order.
    pub events: Vec<String>,
}

/// What the browser's timeline needs of an event, and nothing more.
#[derive(Clone, Debug, PartialEq)]
pub struct TimelineRow {
    pub id: String,
    pub date_key: String,
    pub approximate: bool,
    pub kind: EventKind,
    pub summary: String,
    pub countries: Vec<String>,
    pub officials: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Stats {
    pub articles: i64,
    pub events: i64,
    pub officials: i64,
    pub countries: i64,
    pub top_countries: Vec<CountryCount>,
    pub top_officials: Vec<OfficialCount>,
    pub events_per_month: Vec<MonthCount>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CountryCount {
    pub code: String,
    pub name: Option<String>,
    pub events: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OfficialCount {
    pub name: String,
    pub country: Option<String>,
    pub events: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MonthCount {
    /// `YYYY-MM`, or "unknown" for events without a usable date.
    pub month: String,
    pub events: i64,
}

const SEP: char = '\u{1f}';

/// The event columns every event query selects, in `event_from_row` order.
const EVENT_SELECT: &str =
    "SELECT e.id, e.kind, e.date_value, e.approximate, e.date_key, e.summary, \
     e.location, e.evidence_start, e.evidence_end, \
     a.id, a.title, a.source, a.published, a.path, a.url, \
     (SELECT group_concat(country, char(31)) FROM \
        (SELECT country FROM event_countries WHERE event_seq = e.seq ORDER BY pos)), \
     (SELECT group_concat(name, char(31)) FROM \
        (SELECT o.name FROM event_officials eo JOIN officials o ON o.id = eo.official_id \
         WHERE eo.event_seq = e.seq ORDER BY eo.pos)), \
     (SELECT json_group_array(json_object('text', q.text, 'speaker', q.speaker)) FROM \
        (SELECT q.text, q.speaker FROM event_quotes eq JOIN quotes q \
           ON q.article_id = e.article_id AND q.idx = eq.idx \
         WHERE eq.event_seq = e.seq ORDER BY eq.idx) q) \
     FROM events e JOIN articles a ON a.id = e.article_id";

fn split(s: Option<String>) -> Vec<String> {
    s.map(|s| s.split(SEP).map(str::to_string).collect())
        .unwrap_or_default()
}

fn event_from_row(r: &Row) -> rusqlite::Result<EventRecord> {
    let kind: String = r.get(1)?;
    let quotes: Option<String> = r.get(17)?;
    let quotes: Vec<QuoteRecord> = quotes
        .and_then(|q| serde_json::from_str(&q).ok())
        .unwrap_or_default();
    let start: i64 = r.get(7)?;
    let end: i64 = r.get(8)?;
    Ok(EventRecord {
        id: r.get(0)?,
        kind: EventKind::parse(&kind).unwrap_or(EventKind::Other),
        date: DateRecord {
            value: r.get(2)?,
            approximate: r.get(3)?,
        },
        date_key: r.get(4)?,
        summary: r.get(5)?,
        location: r.get(6)?,
        evidence: Span {
            start: start.max(0) as usize,
            end: end.max(start).max(0) as usize,
        },
        article: ArticleRef {
            id: r.get(9)?,
            title: r.get(10)?,
            source: r.get(11)?,
            published: r.get(12)?,
            path: r.get(13)?,
            url: r.get(14)?,
        },
        countries: split(r.get(15)?),
        officials: split(r.get(16)?),
        quotes,
    })
}

/// Checks a `--from`/`--to` date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
pub fn check_date_bound(s: &str) -> Result<String, String> {
    let s = s.trim();
    let ok = match s.len() {
        4 => s.parse::<u32>().is_ok(),
        7 => chrono::NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d").is_ok(),
        10 => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok(),
        _ => false,
    };
    if ok {
        Ok(s.to_string())
    } else {
        Err(format!("{s:?}: expected YYYY, YYYY-MM or YYYY-MM-DD"))
    }
}

/// A country code from what a person typed: the gazetteer's lookup, then
/// the names stored with ingested articles, then any two letters as a code.
pub fn resolve_country(store: Option<&Store>, input: &str) -> Option<String> {
    let input = input.trim();
    if let Some(code) = countries::lookup(input) {
        return Some(code.to_string());
    }
    if let Some(store) = store {
        let found: Option<String> = store
            .conn
            .query_row(
                "SELECT code FROM article_countries WHERE lower(name) = lower(?1) LIMIT 1",
                params![input],
                |r| r.get(0),
            )
            .optional()
            .ok()
            .flatten();
        if found.is_some() {
            return found;
        }
    }
    (input.len() == 2 && input.chars().all(|c| c.is_ascii_alphabetic()))
        .then(|| input.to_ascii_uppercase())
}

fn matcher() -> SkimMatcherV2 {
    SkimMatcherV2::default().ignore_case()
}

impl Store {
    /// Ids of officials whose name matches one of `queries`: for each
    /// query, the best-scoring names and those close behind them.
    pub fn match_officials(&self, queries: &[String]) -> Result<Vec<i64>, StoreError> {
        let mut stmt = self.conn.prepare_cached("SELECT id, name FROM officials")?;
        let all: Vec<(i64, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let m = matcher();
        let mut ids = Vec::new();
        for q in queries {
            let scored: Vec<(i64, i64)> = all
                .iter()
                .filter_map(|(id, name)| m.fuzzy_match(name, q.trim()).map(|s| (*id, s)))
                .collect();
            let best = scored.iter().map(|s| s.1).max().unwrap_or(0);
            // Loose subsequence hits far below the best one are noise.
            ids.extend(scored.iter().filter(|s| s.1 * 2 >= best).map(|s| s.0));
        }
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }

    /// The events that pass `filter`: in date order, or by search score
    /// when `filter.search` is set.
    pub fn events(&self, filter: &Filter) -> Result<Vec<EventRecord>, StoreError> {
        let mut sql = String::from(EVENT_SELECT);
        let mut args: Vec<Value> = Vec::new();
        let mut clauses: Vec<String> = Vec::new();
        let marks = |n: usize| vec!["?"; n].join(", ");
        if !filter.countries.is_empty() {
            clauses.push(format!(
                "EXISTS (SELECT 1 FROM event_countries c WHERE c.event_seq = e.seq AND c.country IN ({}))",
                marks(filter.countries.len())
            ));
            args.extend(
                filter
                    .countries
                    .iter()
                    .map(|c| Value::Text(c.to_ascii_uppercase())),
            );
        }
        if !filter.officials.is_empty() {
            let ids = self.match_officials(&filter.officials)?;
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            clauses.push(format!(
                "EXISTS (SELECT 1 FROM event_officials o WHERE o.event_seq = e.seq AND o.official_id IN ({}))",
                marks(ids.len())
            ));
            args.extend(ids.into_iter().map(Value::Integer));
        }
        if let Some(from) = &filter.from {
            clauses.push("e.date_key >= ?".into());
            args.push(Value::Text(from.clone()));
        }
        if let Some(to) = &filter.to {
            // '~' sorts after every character a key holds after the prefix.
            clauses.push("e.date_key <= ?".into());
            args.push(Value::Text(format!("{to}~")));
        }
        if !filter.kinds.is_empty() {
            clauses.push(format!("e.kind IN ({})", marks(filter.kinds.len())));
            args.extend(filter.kinds.iter().map(|k| Value::Text(k.as_str().into())));
        }
        if !clauses.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&clauses.join(" AND "));
        }
        sql.push_str(" ORDER BY e.date_key, e.seq");
        let search = filter
            .search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        if let (Some(limit), None) = (filter.limit, search) {
            sql.push_str(&format!(" LIMIT {limit}"));
        }
        let mut stmt = self.conn.prepare(&sql)?;
        let rows: Vec<EventRecord> = stmt
            .query_map(params_from_iter(args.iter()), event_from_row)?
            .collect::<Result<_, _>>()?;
        let Some(q) = search else {
            return Ok(rows);
        };
        let m = matcher();
        let mut scored: Vec<(i64, EventRecord)> = rows
            .into_iter()
            .filter_map(|e| search_score(&m, &e, q).map(|s| (s, e)))
            .collect();
        // Stable: equal scores stay in date order.
        scored.sort_by_key(|s| std::cmp::Reverse(s.0));
        let limit = filter.limit.unwrap_or(usize::MAX);
        Ok(scored.into_iter().take(limit).map(|(_, e)| e).collect())
    }

    /// The event with this id, or the only one whose id starts with it.
    pub fn event(&self, id: &str) -> Result<Option<EventRecord>, StoreError> {
        let exact = format!("{EVENT_SELECT} WHERE e.id = ?1");
        if let Some(e) = self
            .conn
            .query_row(&exact, params![id], event_from_row)
            .optional()?
        {
            return Ok(Some(e));
        }
        let ids = self.event_ids_with_prefix(id, 2)?;
        match ids.as_slice() {
            [only] => Ok(self
                .conn
                .query_row(&exact, params![only], event_from_row)
                .optional()?),
            _ => Ok(None),
        }
    }

    /// Up to `limit` event ids starting with `prefix`.
    pub fn event_ids_with_prefix(
        &self,
        prefix: &str,
        limit: usize,
    ) -> Result<Vec<String>, StoreError> {
        if prefix.is_empty() {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM events WHERE substr(id, 1, length(?1)) = ?1 ORDER BY id LIMIT ?2",
        )?;
        let ids = stmt
            .query_map(params![prefix, limit as i64], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(ids)
    }

    pub fn article(&self, id: &str) -> Result<Option<ArticleRecord>, StoreError> {
        let art = self
            .conn
            .query_row(
                "SELECT id, title, source, url, path, published, published_from, dateline, \
                 authors, text, ingested_at FROM articles WHERE id = ?1",
                params![id],
                |r| {
                    let authors: String = r.get(8)?;
                    Ok(ArticleRecord {
                        id: r.get(0)?,
                        title: r.get(1)?,
                        source: r.get(2)?,
                        url: r.get(3)?,
                        path: r.get(4)?,
                        published: r.get(5)?,
                        published_from: r.get(6)?,
                        dateline: r.get(7)?,
                        authors: serde_json::from_str(&authors).unwrap_or_default(),
                        text: r.get(9)?,
                        ingested_at: r.get(10)?,
                        events: Vec::new(),
                    })
                },
            )
            .optional()?;
        let Some(mut art) = art else { return Ok(None) };
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM events WHERE article_id = ?1 ORDER BY date_key, seq")?;
        art.events = stmt
            .query_map(params![id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(Some(art))
    }

    /// Every event's timeline data, in date order: four plain scans merged
    /// in memory, which is far quicker than a join per event.
    pub fn load_timeline(&self) -> Result<Vec<TimelineRow>, StoreError> {
        let mut names: HashMap<i64, String> = HashMap::new();
        let mut stmt = self.conn.prepare("SELECT id, name FROM officials")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            names.insert(r.get(0)?, r.get(1)?);
        }

        // Read in table order (sequential) and sort here: walking the date
        // index would fetch every row by a random lookup.
        let mut out: Vec<(i64, TimelineRow)> = Vec::new();
        let mut stmt = self
            .conn
            .prepare("SELECT seq, id, date_key, approximate, kind, summary FROM events")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let kind = r.get_ref(4)?.as_str().unwrap_or("other");
            out.push((
                r.get(0)?,
                TimelineRow {
                    id: r.get(1)?,
                    date_key: r.get(2)?,
                    approximate: r.get(3)?,
                    kind: EventKind::parse(kind).unwrap_or(EventKind::Other),
                    summary: r.get(5)?,
                    countries: Vec::new(),
                    officials: Vec::new(),
                },
            ));
        }
        out.sort_unstable_by(|a, b| a.1.date_key.cmp(&b.1.date_key).then(a.0.cmp(&b.0)));
        // seq -> index in `out`; seqs are dense rowids, so a Vec does.
        let mut at: Vec<u32> = Vec::new();
        for (i, (seq, _)) in out.iter().enumerate() {
            let seq = (*seq).max(0) as usize;
            if at.len() <= seq {
                at.resize(seq + 1, u32::MAX);
            }
            at[seq] = i as u32;
        }
        let mut out: Vec<TimelineRow> = out.into_iter().map(|(_, r)| r).collect();
        let slot = |seq: i64| {
            at.get(seq.max(0) as usize)
                .copied()
                .filter(|&i| i != u32::MAX)
        };

        let mut stmt = self
            .conn
            .prepare("SELECT event_seq, country FROM event_countries ORDER BY event_seq, pos")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            if let Some(i) = slot(r.get(0)?) {
                out[i as usize].countries.push(r.get(1)?);
            }
        }
        let mut stmt = self.conn.prepare(
            "SELECT event_seq, official_id FROM event_officials ORDER BY event_seq, pos",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            if let (Some(i), Some(name)) = (slot(r.get(0)?), names.get(&r.get::<_, i64>(1)?)) {
                out[i as usize].officials.push(name.clone());
            }
        }
        Ok(out)
    }

    pub fn stats(&self, top: usize) -> Result<Stats, StoreError> {
        let count = |sql: &str| -> Result<i64, StoreError> {
            Ok(self.conn.query_row(sql, [], |r| r.get(0))?)
        };
        let mut s = Stats {
            articles: count("SELECT count(*) FROM articles")?,
            events: count("SELECT count(*) FROM events")?,
            officials: count("SELECT count(*) FROM officials")?,
            countries: count(
                "SELECT count(*) FROM (SELECT country FROM event_countries \
                 UNION SELECT code FROM article_countries)",
            )?,
            ..Stats::default()
        };
        let mut stmt = self.conn.prepare(
            "SELECT country, n, (SELECT name FROM article_countries WHERE code = t.country LIMIT 1) \
             FROM (SELECT country, count(*) AS n FROM event_countries GROUP BY country \
             ORDER BY n DESC, country LIMIT ?1) t",
        )?;
        s.top_countries = stmt
            .query_map(params![top as i64], |r| {
                let code: String = r.get(0)?;
                // The gazetteer's name first; else the name an article gave.
                let name = match countries::name(&code) {
                    Some(n) => Some(n.to_string()),
                    None => r.get(2)?,
                };
                Ok(CountryCount {
                    name,
                    code,
                    events: r.get(1)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        let mut stmt = self.conn.prepare(
            "SELECT o.name, o.country, t.n FROM \
             (SELECT official_id, count(*) AS n FROM event_officials GROUP BY official_id \
              ORDER BY n DESC LIMIT ?1) t JOIN officials o ON o.id = t.official_id \
             ORDER BY t.n DESC, o.name",
        )?;
        s.top_officials = stmt
            .query_map(params![top as i64], |r| {
                let country: String = r.get(1)?;
                Ok(OfficialCount {
                    name: r.get(0)?,
                    country: (!country.is_empty()).then_some(country),
                    events: r.get(2)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        let mut stmt = self.conn.prepare(
            "SELECT CASE WHEN length(date_key) >= 7 THEN substr(date_key, 1, 7) ELSE 'unknown' END AS m, \
             count(*) FROM events GROUP BY m ORDER BY m",
        )?;
        s.events_per_month = stmt
            .query_map([], |r| {
                Ok(MonthCount {
                    month: r.get(0)?,
                    events: r.get(1)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(s)
    }
}

/// The best fuzzy score of `q` over the event's searchable fields.
fn search_score(m: &SkimMatcherV2, e: &EventRecord, q: &str) -> Option<i64> {
    let mut best: Option<i64> = None;
    let mut consider = |text: &str| {
        if let Some(s) = m.fuzzy_match(text, q) {
            best = Some(best.map_or(s, |b| b.max(s)));
        }
    };
    consider(&e.summary);
    for o in &e.officials {
        consider(o);
    }
    for c in &e.countries {
        consider(c);
        if let Some(n) = countries::name(c) {
            consider(n);
        }
    }
    for quote in &e.quotes {
        consider(&quote.text);
    }
    best
}
