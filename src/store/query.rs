//! Reading the store: filtered event lists, single events and articles,
//! the compact timeline the browser loads, and counts.

use std::collections::HashMap;

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, OptionalExtension, Row};
use rustc_hash::FxHashMap;
use serde::Serialize;

use super::{Store, StoreError, StoryRef};
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
    /// Only events of articles from feeds with one of these tags.
    pub tags: Vec<String>,
}

impl Filter {
    /// True when the filter is a search and nothing else (a limit aside).
    pub fn is_search_only(&self) -> bool {
        // Every field named: a new one must be decided on here.
        let Filter {
            countries,
            officials,
            from,
            to,
            kinds,
            search,
            limit: _,
            tags,
        } = self;
        search.is_some()
            && countries.is_empty()
            && officials.is_empty()
            && from.is_none()
            && to.is_none()
            && kinds.is_empty()
            && tags.is_empty()
    }
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
    /// The date as the parser gave it ("2019", "2019-W18"); empty when undated.
    pub date_value: String,
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
/// The countries come from the event's own list (schema 10, the same
/// codes in the same order as `event_countries`): one index probe fewer
/// per event read back.
const EVENT_SELECT: &str =
    "SELECT e.id, e.kind, e.date_value, e.approximate, e.date_key, e.summary, \
     e.location, e.evidence_start, e.evidence_end, \
     a.id, a.title, a.source, a.published, a.path, a.url, \
     nullif(e.country_list, ''), \
     (SELECT group_concat(name, char(31)) FROM \
        (SELECT o.name FROM event_officials eo JOIN officials o ON o.id = eo.official_id \
         WHERE eo.event_seq = e.seq ORDER BY eo.pos)), \
     (SELECT json_group_array(json_object('text', q.text, 'speaker', q.speaker)) FROM \
        (SELECT q.text, q.speaker FROM event_quotes eq JOIN quotes q \
           ON q.article_id = e.article_id AND q.idx = eq.idx \
         WHERE eq.event_seq = e.seq ORDER BY eq.idx) q), \
     e.seq \
     FROM events e JOIN articles a ON a.id = e.article_id";

/// From this many events on, a search reads the store in two halves at
/// once.
const PARALLEL_SCAN: i64 = 20_000;

/// How many search results `each_event` reads back in one query.
const FETCH_BATCH: usize = 512;

/// The seqs as a comma-separated SQL list (numbers only: nothing from
/// input), smallest first: the B-trees are then walked in order.
fn seq_list(seqs: &[i64]) -> String {
    let mut sorted = seqs.to_vec();
    sorted.sort_unstable();
    sorted
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

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
        // Names and aliases both: an official matches through either.
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, name FROM officials UNION ALL SELECT official_id, alias FROM official_aliases",
        )?;
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

    /// The WHERE clause (without the keyword) and its arguments for the
    /// filter's non-search fields; None when nothing can match (an
    /// official filter that names nobody).
    fn filter_clause(&self, filter: &Filter) -> Result<Option<(String, Vec<Value>)>, StoreError> {
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
                return Ok(None);
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
        if !filter.tags.is_empty() {
            clauses.push(format!(
                "EXISTS (SELECT 1 FROM feed_items fi JOIN feed_tags t ON t.feed_id = fi.feed_id \
                 WHERE fi.article_id = e.article_id AND t.tag IN ({}))",
                marks(filter.tags.len())
            ));
            args.extend(filter.tags.iter().map(|t| Value::Text(t.clone())));
        }
        if !filter.kinds.is_empty() {
            clauses.push(format!("e.kind IN ({})", marks(filter.kinds.len())));
            args.extend(filter.kinds.iter().map(|k| Value::Text(k.as_str().into())));
        }
        if clauses.is_empty() {
            clauses.push("1".into());
        }
        Ok(Some((clauses.join(" AND "), args)))
    }

    /// The events that pass `filter`: in date order, or by search rank
    /// when `filter.search` is set.
    pub fn events(&self, filter: &Filter) -> Result<Vec<EventRecord>, StoreError> {
        let mut out = Vec::new();
        self.each_event(filter, |e| {
            out.push(e);
            Ok(())
        })?;
        Ok(out)
    }

    /// Like `events`, but hands each event to `f` as it is read, so a
    /// long list never sits in memory. `f`'s error stops the walk.
    pub fn each_event(
        &self,
        filter: &Filter,
        mut f: impl FnMut(EventRecord) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        self.walk_events(filter, false, |e, _| f(e))
    }

    /// `each_event` with each event's story (None for an event in no
    /// story yet): what `list` and `export` write. The stories are read
    /// for a batch of events in one query, not one query per event.
    pub fn each_event_with_story(
        &self,
        filter: &Filter,
        f: impl FnMut(EventRecord, Option<StoryRef>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        self.walk_events(filter, true, f)
    }

    fn walk_events(
        &self,
        filter: &Filter,
        stories: bool,
        mut f: impl FnMut(EventRecord, Option<StoryRef>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let Some((clause, args)) = self.filter_clause(filter)? else {
            return Ok(());
        };
        let search = filter
            .search
            .as_deref()
            .and_then(super::search::Matcher::new);
        let Some(m) = search else {
            // Date order straight from the date index, handed out a batch
            // at a time (the batch's stories in one query).
            let mut sql = format!("{EVENT_SELECT} WHERE {clause} ORDER BY e.date_key, e.seq");
            if let Some(limit) = filter.limit {
                sql.push_str(&format!(" LIMIT {limit}"));
            }
            let mut stmt = self.conn.prepare(&sql)?;
            let mut rows = stmt.query(params_from_iter(args.iter()))?;
            let mut batch: Vec<(i64, EventRecord)> = Vec::with_capacity(FETCH_BATCH);
            loop {
                let row = rows.next()?;
                if let Some(r) = row {
                    batch.push((r.get(18)?, event_from_row(r)?));
                    if batch.len() < FETCH_BATCH {
                        continue;
                    }
                }
                for (e, s) in self.with_stories(std::mem::take(&mut batch), stories)? {
                    f(e, s)?;
                }
                if row.is_none() {
                    return Ok(());
                }
            }
        };
        let mut seqs = self.search_seqs(&m, &clause, &args)?;
        seqs.truncate(filter.limit.unwrap_or(usize::MAX));
        self.walk_seqs(&seqs, stories, f)
    }

    /// The events of `ids` in that order (ids not in the store are
    /// skipped), with their stories: what `list --search` writes when the
    /// ranking came from the browser's saved copy (`tui::data::snapshot`).
    pub fn each_event_of_ids(
        &self,
        ids: &[Box<str>],
        f: impl FnMut(EventRecord, Option<StoryRef>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut seq_of: FxHashMap<String, i64> = FxHashMap::default();
        for batch in ids.chunks(FETCH_BATCH) {
            let marks = vec!["?"; batch.len()].join(",");
            let mut stmt = self
                .conn
                .prepare(&format!("SELECT id, seq FROM events WHERE id IN ({marks})"))?;
            let mut rows = stmt.query(params_from_iter(batch.iter().map(|b| &**b)))?;
            while let Some(r) = rows.next()? {
                seq_of.insert(r.get(0)?, r.get(1)?);
            }
        }
        let seqs: Vec<i64> = ids
            .iter()
            .filter_map(|id| seq_of.get(&**id).copied())
            .collect();
        self.walk_seqs(&seqs, true, f)
    }

    /// The events of `seqs` in that order, with their stories when
    /// `stories` is set.
    fn walk_seqs(
        &self,
        seqs: &[i64],
        stories: bool,
        mut f: impl FnMut(EventRecord, Option<StoryRef>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        // Read back in batches, each in one query (see `fetch_events`).
        // A long list is read on two connections at once, alternate
        // batches, and still handed out in rank order.
        let batches: Vec<&[i64]> = seqs.chunks(FETCH_BATCH).collect();
        let other = (batches.len() > 2)
            .then(|| Store::open_read_only(&self.path).ok())
            .flatten();
        let Some(other) = other else {
            for batch in batches {
                for (e, s) in self.fetch_events(batch, stories)? {
                    f(e, s)?;
                }
            }
            return Ok(());
        };
        std::thread::scope(|sc| {
            let (tx, rx) = std::sync::mpsc::sync_channel(1);
            let odd: Vec<&[i64]> = batches.iter().skip(1).step_by(2).copied().collect();
            sc.spawn(move || {
                for batch in odd {
                    let got = other.fetch_events(batch, stories);
                    let failed = got.is_err();
                    // A closed queue: the caller stopped reading.
                    if tx.send(got).is_err() || failed {
                        break;
                    }
                }
            });
            for (k, batch) in batches.iter().enumerate() {
                let got = if k % 2 == 0 {
                    self.fetch_events(batch, stories)?
                } else {
                    // Closed only if the reader thread died (it panicked).
                    rx.recv()
                        .map_err(|_| StoreError::Db("the second reader stopped".into()))??
                };
                for (e, s) in got {
                    f(e, s)?;
                }
            }
            Ok(())
        })
    }

    /// The events of `seqs`, in that order, read in one query (the rows
    /// in storage order, then put in the order asked): far fewer page
    /// reads than one lookup per event. With their stories when
    /// `stories` is set.
    fn fetch_events(
        &self,
        seqs: &[i64],
        stories: bool,
    ) -> Result<Vec<(EventRecord, Option<StoryRef>)>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "{EVENT_SELECT} WHERE e.seq IN ({})",
            seq_list(seqs)
        ))?;
        let mut rows = stmt.query([])?;
        let mut by_seq: HashMap<i64, EventRecord> = HashMap::with_capacity(seqs.len());
        while let Some(r) = rows.next()? {
            by_seq.insert(r.get(18)?, event_from_row(r)?);
        }
        let batch = seqs
            .iter()
            .filter_map(|s| by_seq.remove(s).map(|e| (*s, e)))
            .collect();
        self.with_stories(batch, stories)
    }

    /// The events of a batch (seq, record) with their stories, read in
    /// one query by seq when `stories` is set (else None each).
    fn with_stories(
        &self,
        batch: Vec<(i64, EventRecord)>,
        stories: bool,
    ) -> Result<Vec<(EventRecord, Option<StoryRef>)>, StoreError> {
        let mut found: HashMap<i64, StoryRef> = HashMap::new();
        if stories && !batch.is_empty() {
            let seqs: Vec<i64> = batch.iter().map(|(s, _)| *s).collect();
            let mut stmt = self.conn.prepare(&format!(
                "SELECT se.event_seq, st.id, st.sources FROM story_events se \
                 JOIN stories st ON st.id = se.story WHERE se.event_seq IN ({})",
                seq_list(&seqs)
            ))?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let story = StoryRef {
                    id: r.get(1)?,
                    sources: r.get(2)?,
                };
                found.insert(r.get(0)?, story);
            }
        }
        Ok(batch
            .into_iter()
            .map(|(seq, e)| (e, found.remove(&seq)))
            .collect())
    }

    /// The seqs of the events matching `m` among those passing `clause`,
    /// best first: one streaming pass scores every event (the browser's
    /// definition of a match, `store::search`), the best few are re-ranked
    /// with their skim score.
    fn search_seqs(
        &self,
        m: &super::search::Matcher,
        clause: &str,
        args: &[Value],
    ) -> Result<Vec<i64>, StoreError> {
        use super::search::{self, Hit};
        let aliases = self.official_aliases()?;
        // Looked up for every official and country of every event: Fx
        // hashing (SipHash showed at 4% of a search's instructions).
        let folded_names: FxHashMap<i64, String> = self
            .official_names()?
            .into_iter()
            .map(|(id, n)| {
                (
                    id,
                    search::fold(&search::official_text(&n, aliases.get(&id))),
                )
            })
            .collect();
        let fields_of = |e: &ScanEvent, buf: &mut String, ct: &mut FxHashMap<String, String>| {
            buf.clear();
            for c in &e.countries {
                if !ct.contains_key(c) {
                    ct.insert(c.clone(), search::country_text(c));
                }
            }
            search::push_fields(
                buf,
                &e.summary,
                e.officials
                    .iter()
                    .filter_map(|o| folded_names.get(o).map(String::as_str)),
                e.countries
                    .iter()
                    .filter_map(|c| ct.get(c).map(String::as_str)),
                &e.quotes,
            )
        };
        // (hit, date key) per match, and the buffers to build fields in.
        type Part = (Vec<(Hit<i64>, Box<str>)>, String, FxHashMap<String, String>);
        let parts = self.scan_events_halves(
            clause,
            args,
            || -> Part { Default::default() },
            |(hits, buf, ct): &mut Part, e| {
                let at = fields_of(e, buf, ct);
                if let Some(score) = m.score(search::split_fields(buf, at), buf) {
                    hits.push((
                        Hit {
                            id: e.seq,
                            score,
                            newest: 0,
                        },
                        e.date_key.as_str().into(),
                    ));
                }
                Ok(())
            },
            |_| {},
        )?;
        let mut hits: Vec<(Hit<i64>, Box<str>)> =
            parts.into_iter().flat_map(|(h, _, _)| h).collect();
        // Ties go newest first, undated last: the browser's order.
        hits.sort_unstable_by(|a, b| {
            (a.1.is_empty(), a.1.is_empty().then_some(a.0.id))
                .cmp(&(b.1.is_empty(), b.1.is_empty().then_some(b.0.id)))
                .then_with(|| b.1.cmp(&a.1))
                .then_with(|| b.0.id.cmp(&a.0.id))
        });
        let mut hits: Vec<Hit<i64>> = hits
            .into_iter()
            .enumerate()
            .map(|(k, (h, _))| Hit {
                newest: k as u64,
                ..h
            })
            .collect();
        // The head's fields again, for the skim score.
        let head: Vec<i64> = {
            let mut v: Vec<Hit<i64>> = hits.clone();
            let k = search::RESCORE.min(v.len());
            if v.len() > k {
                v.select_nth_unstable_by(k, |a, b| {
                    b.score.cmp(&a.score).then(a.newest.cmp(&b.newest))
                });
            }
            v.truncate(k);
            v.into_iter().map(|h| h.id).collect()
        };
        let mut skims: HashMap<i64, i64> = HashMap::new();
        if !head.is_empty() {
            let list = head
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join(",");
            let (mut buf, mut country_text) = (String::new(), FxHashMap::default());
            self.scan_events_of(Seqs::List(&list), "1", &[], |e| {
                let at = fields_of(e, &mut buf, &mut country_text);
                skims.insert(e.seq, m.skim(search::split_fields(&buf, at)));
                Ok(())
            })?;
        }
        search::rank(&mut hits, search::RESCORE, |seq| {
            skims.get(&seq).copied().unwrap_or(0)
        });
        Ok(hits.into_iter().map(|h| h.id).collect())
    }

    /// The officials of an event in the parser's order, with the title
    /// the article gave them (else the one stored with the person).
    pub fn event_officials(&self, id: &str) -> Result<Vec<EventOfficial>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT o.name, COALESCE(ao.title, o.title), o.country \
             FROM events e JOIN event_officials eo ON eo.event_seq = e.seq \
             JOIN officials o ON o.id = eo.official_id \
             LEFT JOIN article_officials ao ON ao.article_id = e.article_id AND ao.official_id = o.id \
             WHERE e.id = ?1 ORDER BY eo.pos",
        )?;
        let v = stmt
            .query_map(params![id], |r| {
                Ok(EventOfficial {
                    name: r.get(0)?,
                    title: r.get(1)?,
                    country: r.get(2)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(v)
    }

    /// An event's quotes: text, speaker and span in the article.
    pub fn event_quote_spans(
        &self,
        id: &str,
    ) -> Result<Vec<(String, Option<String>, Span)>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT q.text, q.speaker, q.span_start, q.span_end \
             FROM events e JOIN event_quotes eq ON eq.event_seq = e.seq \
             JOIN quotes q ON q.article_id = e.article_id AND q.idx = eq.idx \
             WHERE e.id = ?1 ORDER BY eq.idx",
        )?;
        let rows = stmt
            .query_map(params![id], |r| {
                let (a, b): (i64, i64) = (r.get(2)?, r.get(3)?);
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    Span {
                        start: a.max(0) as usize,
                        end: b.max(a).max(0) as usize,
                    },
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Where the publication date of an event's article came from.
    pub fn published_from(&self, id: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT a.published_from FROM events e JOIN articles a ON a.id = e.article_id \
                 WHERE e.id = ?1",
                params![id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// The words the event's date was read from, as the parser found them
    /// (None for events stored before schema 3, or when there were none).
    pub fn date_phrase(&self, id: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT date_phrase FROM events WHERE id = ?1",
                params![id],
                |r| r.get::<_, Option<String>>(0),
            )
            .optional()?
            .flatten()
            .filter(|p| !p.is_empty()))
    }

    /// The first `limit` events of the timeline, newest first (undated
    /// last), straight from the date index: what the browser shows while
    /// the rest loads.
    pub fn newest_events(&self, limit: usize) -> Result<Vec<TimelineRow>, StoreError> {
        let mut out = Vec::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, id, date_key, approximate, kind, summary, date_value FROM events \
             WHERE date_key > '' ORDER BY date_key DESC, seq DESC LIMIT ?1",
        )?;
        let mut seqs = Vec::new();
        let mut rows = stmt.query(params![limit as i64])?;
        while let Some(r) = rows.next()? {
            let kind = r.get_ref(4)?.as_str().unwrap_or("other");
            seqs.push(r.get::<_, i64>(0)?);
            out.push(TimelineRow {
                id: r.get(1)?,
                date_key: r.get(2)?,
                date_value: r.get(6)?,
                approximate: r.get(3)?,
                kind: EventKind::parse(kind).unwrap_or(EventKind::Other),
                summary: r.get(5)?,
                countries: Vec::new(),
                officials: Vec::new(),
            });
        }
        let mut cs = self.conn.prepare_cached(
            "SELECT country FROM event_countries WHERE event_seq = ?1 ORDER BY pos",
        )?;
        let mut os = self.conn.prepare_cached(
            "SELECT o.name FROM event_officials eo JOIN officials o ON o.id = eo.official_id \
             WHERE eo.event_seq = ?1 ORDER BY eo.pos",
        )?;
        for (row, seq) in out.iter_mut().zip(&seqs) {
            row.countries = cs
                .query_map(params![seq], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            row.officials = os
                .query_map(params![seq], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
        }
        Ok(out)
    }

    /// The reader's marks: (event id, read, starred) of every marked event.
    pub fn marks(&self) -> Result<Vec<(String, bool, bool)>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT event_id, read, starred FROM event_marks WHERE read OR starred",
        )?;
        let v = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        Ok(v)
    }

    /// Stores the read and starred marks of one event.
    pub fn set_mark(&self, id: &str, read: bool, starred: bool) -> Result<(), StoreError> {
        self.conn
            .prepare_cached(
                "INSERT INTO event_marks (event_id, read, starred) VALUES (?1, ?2, ?3) \
                 ON CONFLICT(event_id) DO UPDATE SET read = ?2, starred = ?3",
            )?
            .execute(params![id, read, starred])?;
        Ok(())
    }

    pub fn event_count(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM events", [], |r| r.get(0))?)
    }

    /// A number that differs whenever the events, stories, officials or
    /// their other names have changed (schema v12 keeps it by trigger):
    /// the browser's saved copy of its rows is current while it matches.
    pub fn browse_generation(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT n FROM changes WHERE what = 'browse'", [], |r| {
                r.get(0)
            })?)
    }

    /// Every official's other names (`official_aliases`), by id.
    pub fn official_aliases(&self) -> Result<HashMap<i64, Vec<String>>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT official_id, alias FROM official_aliases ORDER BY official_id, alias",
        )?;
        let mut out: HashMap<i64, Vec<String>> = HashMap::new();
        for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
            let (id, alias) = row?;
            out.entry(id).or_default().push(alias);
        }
        Ok(out)
    }

    /// Every official's id and name.
    pub fn official_names(&self) -> Result<Vec<(i64, String)>, StoreError> {
        let mut stmt = self.conn.prepare_cached("SELECT id, name FROM officials")?;
        let v = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        Ok(v)
    }

    /// `scan_events` in two halves by seq, at once: the first on this
    /// connection and thread, the second on a read-only connection of its
    /// own, when the store is big enough for it to pay (else one part does
    /// all). `f` sees each event with its part's state (made by `init`);
    /// the parts come back in seq order. `tick(n)` is called on this
    /// thread now and then with how many events the first part has seen.
    pub fn scan_events_halves<T: Send>(
        &self,
        clause: &str,
        args: &[Value],
        init: impl Fn() -> T,
        f: impl Fn(&mut T, &ScanEvent) -> Result<(), StoreError> + Sync,
        mut tick: impl FnMut(usize),
    ) -> Result<Vec<T>, StoreError> {
        let max_seq: i64 =
            self.conn
                .query_row("SELECT coalesce(max(seq), 0) FROM events", [], |r| r.get(0))?;
        let second = (max_seq >= PARALLEL_SCAN)
            .then(|| Store::open_read_only(&self.path).ok())
            .flatten();
        let (mut first, mut later) = (init(), init());
        let mut seen = 0usize;
        let mut main = |part: &mut T, seqs: Seqs| {
            self.scan_events_of(seqs, clause, args, |e| {
                seen += 1;
                if seen % 16384 == 0 {
                    tick(seen);
                }
                f(part, e)
            })
        };
        match second {
            Some(other) => {
                let mid = max_seq / 2;
                let f = &f;
                std::thread::scope(|sc| {
                    let rest = sc.spawn(move || {
                        other.scan_events_of(
                            Seqs::Range(mid + 1, i64::MAX),
                            clause,
                            args,
                            |e| f(&mut later, e),
                        )?;
                        Ok::<_, StoreError>(later)
                    });
                    main(&mut first, Seqs::Range(i64::MIN, mid))?;
                    let later = rest
                        .join()
                        .unwrap_or_else(|p| std::panic::resume_unwind(p))?;
                    Ok(vec![first, later])
                })
            }
            None => {
                main(&mut first, Seqs::All)?;
                Ok(vec![first, later])
            }
        }
    }

    /// Walks the events passing `clause` (over `events e`) in storage
    /// order with their countries, official ids and quotes field, all read
    /// from the event's row (schema 10 keeps the lists there): one
    /// sequential read of the events table.
    pub fn scan_events(
        &self,
        clause: &str,
        args: &[Value],
        f: impl FnMut(&ScanEvent) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        self.scan_events_of(Seqs::All, clause, args, f)
    }

    /// `scan_events` over the events of `seqs` only.
    fn scan_events_of(
        &self,
        seqs: Seqs,
        clause: &str,
        args: &[Value],
        mut f: impl FnMut(&ScanEvent) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut es = self.conn.prepare(&format!(
            "SELECT e.seq, e.id, e.date_key, e.approximate, e.kind, e.summary, e.date_value, \
             e.quote_text, e.country_list, e.official_list FROM events e \
             WHERE ({clause}) AND {} ORDER BY e.seq",
            seqs.test("e.seq")
        ))?;
        let mut erows = es.query(params_from_iter(args.iter()))?;
        let mut e = ScanEvent::default();
        let text = |r: &Row, i: usize, out: &mut String| -> rusqlite::Result<()> {
            out.clear();
            out.push_str(r.get_ref(i)?.as_str().unwrap_or(""));
            Ok(())
        };
        while let Some(r) = erows.next()? {
            e.seq = r.get(0)?;
            text(r, 1, &mut e.id)?;
            text(r, 2, &mut e.date_key)?;
            e.approximate = r.get(3)?;
            e.kind = EventKind::parse(r.get_ref(4)?.as_str().unwrap_or("other"))
                .unwrap_or(EventKind::Other);
            text(r, 5, &mut e.summary)?;
            text(r, 6, &mut e.date_value)?;
            text(r, 7, &mut e.quotes)?;
            read_countries(r.get_ref(8)?.as_str().unwrap_or(""), &mut e.countries);
            read_officials(r.get_ref(9)?.as_str().unwrap_or(""), &mut e.officials);
            f(&e)?;
        }
        Ok(())
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
        let mut stmt = self.conn.prepare(
            "SELECT seq, id, date_key, approximate, kind, summary, date_value FROM events",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let kind = r.get_ref(4)?.as_str().unwrap_or("other");
            out.push((
                r.get(0)?,
                TimelineRow {
                    id: r.get(1)?,
                    date_key: r.get(2)?,
                    date_value: r.get(6)?,
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

    /// What the store holds. Event counts come from the tables schema 8's
    /// triggers keep (a few hundred rows), not from counting the events.
    pub fn stats(&self, top: usize) -> Result<Stats, StoreError> {
        let count = |sql: &str| -> Result<i64, StoreError> {
            Ok(self.conn.query_row(sql, [], |r| r.get(0))?)
        };
        let mut s = Stats {
            articles: count("SELECT count(*) FROM articles")?,
            events: count("SELECT coalesce(sum(n), 0) FROM count_months")?,
            officials: count("SELECT count(*) FROM officials")?,
            // Codes on events, and those only articles name (a loose index
            // scan: skipping through the index, not sorting its rows).
            countries: count(
                "WITH RECURSIVE \
                 ac(x) AS (SELECT min(code) FROM article_countries UNION ALL \
                   SELECT (SELECT min(code) FROM article_countries WHERE code > ac.x) \
                   FROM ac WHERE x IS NOT NULL) \
                 SELECT count(*) FROM (SELECT country AS x FROM count_countries WHERE n > 0 \
                   UNION SELECT x FROM ac WHERE x IS NOT NULL)",
            )?,
            ..Stats::default()
        };
        let mut stmt = self.conn.prepare(
            "SELECT country, n, (SELECT name FROM article_countries WHERE code = t.country LIMIT 1) \
             FROM count_countries t WHERE n > 0 ORDER BY n DESC, country LIMIT ?1",
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
            "SELECT o.name, o.country, t.n FROM count_officials t \
             JOIN officials o ON o.id = t.official_id WHERE t.n > 0 \
             ORDER BY t.n DESC, o.name LIMIT ?1",
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
        let mut stmt = self
            .conn
            .prepare("SELECT month, n FROM count_months WHERE n > 0 ORDER BY month")?;
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

/// An official of one event, with the title used for them there.
#[derive(Clone, Debug, PartialEq)]
pub struct EventOfficial {
    pub name: String,
    pub title: Option<String>,
    pub country: Option<String>,
}

/// One event as `scan_events` walks them. Its buffers are reused from
/// one event to the next.
#[derive(Clone, Debug)]
pub struct ScanEvent {
    pub seq: i64,
    pub id: String,
    pub date_key: String,
    pub date_value: String,
    pub approximate: bool,
    pub kind: EventKind,
    pub summary: String,
    pub countries: Vec<String>,
    /// Official ids, in the parser's order.
    pub officials: Vec<i64>,
    /// Its quotes as search reads them (`search::quotes_field`, stored).
    pub quotes: String,
}

impl Default for ScanEvent {
    fn default() -> Self {
        ScanEvent {
            seq: 0,
            id: String::new(),
            date_key: String::new(),
            date_value: String::new(),
            approximate: false,
            kind: EventKind::Other,
            summary: String::new(),
            countries: Vec::new(),
            officials: Vec::new(),
            quotes: String::new(),
        }
    }
}

/// Which events a scan reads, by seq.
#[derive(Clone, Copy)]
enum Seqs<'a> {
    All,
    /// Inclusive.
    Range(i64, i64),
    /// A comma-separated list of seqs.
    List(&'a str),
}

impl Seqs<'_> {
    /// The SQL test of `col` (numbers only: nothing from input).
    fn test(self, col: &str) -> String {
        match self {
            Seqs::All => "1".into(),
            Seqs::Range(lo, hi) => format!("{col} BETWEEN {lo} AND {hi}"),
            Seqs::List(list) => format!("{col} IN ({list})"),
        }
    }
}

/// Reads `events.country_list` into `out`, reusing its strings (the
/// scan hands out one event after another through the same buffers).
fn read_countries(list: &str, out: &mut Vec<String>) {
    let mut n = 0;
    for code in list
        .split(super::schema::LIST_SEP)
        .filter(|c| !c.is_empty())
    {
        match out.get_mut(n) {
            Some(s) => {
                s.clear();
                s.push_str(code);
            }
            None => out.push(code.to_string()),
        }
        n += 1;
    }
    out.truncate(n);
}

/// Reads `events.official_list` (ids joined by commas) into `out`; a
/// piece that is not a number is skipped.
pub(crate) fn read_officials(list: &str, out: &mut Vec<i64>) {
    out.clear();
    // Digits read by hand: `str::parse` per id cost as much as the rest
    // of the list's reading.
    for piece in list.as_bytes().split(|&b| b == b',') {
        let id = piece.iter().try_fold(0i64, |n, &c| {
            c.is_ascii_digit()
                .then(|| n.checked_mul(10)?.checked_add(i64::from(c - b'0')))
                .flatten()
        });
        if let (Some(id), false) = (id, piece.is_empty()) {
            out.push(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The scan's buffers go from one event to the next: a shorter list
    /// leaves nothing of a longer one behind, and an empty list is none.
    #[test]
    fn lists_read_into_reused_buffers() {
        let mut cs = Vec::new();
        read_countries("JP\u{1f}KR\u{1f}US", &mut cs);
        assert_eq!(cs, ["JP", "KR", "US"]);
        read_countries("FR", &mut cs);
        assert_eq!(cs, ["FR"]);
        read_countries("", &mut cs);
        assert!(cs.is_empty());
        let mut os = vec![9];
        read_officials("12,3,40", &mut os);
        assert_eq!(os, [12, 3, 40]);
        read_officials("", &mut os);
        assert!(os.is_empty());
        read_officials("5,x,,99999999999999999999,6", &mut os);
        assert_eq!(os, [5, 6]);
        let list = crate::store::schema::official_list(&[7, 8]);
        read_officials(&list, &mut os);
        assert_eq!(os, [7, 8]);
    }
}
