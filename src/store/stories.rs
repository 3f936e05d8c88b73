//! Reading stories back: which story each event is in, one story with its
//! sources side by side, and the story timeline. The grouping itself is
//! `crate::story`'s; this is what `list`, `show`, `export` and the browser
//! ask for.

use std::collections::HashMap;

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::{search, EventRecord, QuoteRecord, Store, StoreError};
use crate::model::EventKind;
use crate::story::merge::{self, load_members, RebuildStats, Stage};
use crate::story::{self, similarity, Member};

/// The story an event is in, as `list` and `export` show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StoryRef {
    pub id: String,
    pub sources: i64,
}

/// One source of a story: the article, the sentence it reports the
/// happening in, and the date it gives.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StorySource {
    pub outlet: Option<String>,
    pub title: Option<String>,
    pub published: Option<String>,
    pub url: Option<String>,
    pub article_id: String,
    /// The event whose sentence stands for this source.
    pub event_id: String,
    pub evidence: String,
    /// The date this source gives the happening (TIMEX value).
    pub date: String,
    /// The words it was read from ("on Thursday"), when there were any.
    pub date_phrase: Option<String>,
    /// Its quotes about the happening.
    pub quotes: Vec<QuoteRecord>,
    #[serde(skip)]
    pub evidence_start: usize,
}

/// A name with the number of sources that give it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Counted {
    pub name: String,
    pub sources: usize,
}

/// A quote once, however many sources carry it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StoryQuote {
    pub text: String,
    pub speaker: Option<String>,
    /// How many sources quote these words.
    pub sources: usize,
}

/// One story, whole: the JSON object of `list --stories` and `show`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StoryRecord {
    pub id: String,
    pub date: String,
    pub date_disagreement: bool,
    pub kind: EventKind,
    pub summary: String,
    pub sources: Vec<StorySource>,
    pub officials: Vec<Counted>,
    pub countries: Vec<Counted>,
    pub quotes: Vec<StoryQuote>,
    /// Its events' ids.
    pub events: Vec<String>,
    #[serde(skip)]
    pub date_key: String,
}

/// A story as one timeline row.
#[derive(Clone, Debug, PartialEq)]
pub struct StoryRow {
    pub id: String,
    pub date_key: String,
    pub date_value: String,
    pub disagreement: bool,
    pub kind: EventKind,
    pub summary: String,
    pub sources: usize,
    pub events: usize,
    pub officials: Vec<String>,
    pub countries: Vec<String>,
}

fn split(s: String) -> Vec<String> {
    s.split('\u{1f}')
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

/// One `stories` row (the columns `story_rows` selects) as a `StoryRow`.
fn story_row(r: &rusqlite::Row) -> rusqlite::Result<StoryRow> {
    let kind = r.get_ref(4)?.as_str().unwrap_or("");
    Ok(StoryRow {
        id: r.get(0)?,
        date_key: r.get(1)?,
        date_value: r.get(2)?,
        disagreement: r.get(3)?,
        kind: EventKind::parse(kind).unwrap_or(EventKind::Other),
        summary: r.get(5)?,
        sources: r.get::<_, i64>(6)?.max(0) as usize,
        events: r.get::<_, i64>(7)?.max(0) as usize,
        officials: split(r.get(8)?),
        countries: split(r.get(9)?),
    })
}

/// What `search::quotes_field` puts between two quotes.
const QUOTE_JOINT: &str = " \u{b6} ";

/// The length of `search::quotes_field`'s text once `text` follows a
/// field `len` bytes long (that is not yet full): the joint, then the
/// quote cut at `QUOTE_BYTES` on a char boundary.
fn quotes_field_len(len: usize, text: &str) -> usize {
    let mut cut = search::QUOTE_BYTES.min(text.len());
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    len + if len > 0 { QUOTE_JOINT.len() } else { 0 } + cut
}

/// Quote text compared without case, punctuation or spacing.
fn quote_key(s: &str) -> String {
    similarity::identity_key(s)
}

/// A story's quotes as its search field reads them
/// (`search::quotes_field`): the words, each once, in the order of the
/// story's events, as far as the field reaches (the quotes after it are
/// never searched). Built event by event from v9's `events.quote_text`:
/// an event whose field is exactly its one quote (no joint, shorter than
/// the cut) gives it as it is; any other (several quotes, or one long
/// one) has its quotes read whole, so that the field is the same as from
/// the quotes themselves.
#[derive(Default)]
struct QuoteField {
    quotes: Vec<String>,
    /// The length of the field the quotes make.
    len: usize,
}

/// An event's quotes, whole, in order (`QuoteField`'s fallback).
const EVENT_QUOTES: &str = "SELECT q.text FROM event_quotes eq \
     JOIN events e ON e.seq = eq.event_seq \
     JOIN quotes q ON q.article_id = e.article_id AND q.idx = eq.idx \
     WHERE eq.event_seq = ?1 ORDER BY eq.idx";

impl QuoteField {
    fn full(&self) -> bool {
        self.len >= search::QUOTE_BYTES
    }

    /// Adds the quotes of event `seq`, whose `quote_text` is `field`.
    fn add(
        &mut self,
        conn: &rusqlite::Connection,
        seq: i64,
        field: &str,
    ) -> Result<(), StoreError> {
        if self.full() || field.is_empty() {
            return Ok(());
        }
        if field.len() < search::QUOTE_BYTES && !field.contains(QUOTE_JOINT) {
            // Copied only when new to the story: most repeat a quote.
            if !self.quotes.iter().any(|q| q == field) {
                self.len = quotes_field_len(self.len, field);
                self.quotes.push(field.to_string());
            }
            return Ok(());
        }
        let mut whole = conn.prepare_cached(EVENT_QUOTES)?;
        let got = whole.query_map(params![seq], |r| r.get::<_, String>(0))?;
        for t in got {
            let t = t?;
            if self.full() {
                break;
            }
            if !self.quotes.contains(&t) {
                self.len = quotes_field_len(self.len, &t);
                self.quotes.push(t);
            }
        }
        Ok(())
    }

    fn text(&self) -> String {
        search::quotes_field(self.quotes.iter().map(String::as_str))
    }
}

/// The quotes field (`QuoteField`) of story `id`, from its events: what
/// the merge writes to `stories.quote_text` when it sums a story up.
pub(crate) fn story_quote_field(
    conn: &rusqlite::Connection,
    id: &str,
) -> Result<String, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.seq, e.quote_text FROM story_events se JOIN events e ON e.seq = se.event_seq \
         WHERE se.story = ?1 AND e.quote_text <> '' ORDER BY se.event_seq",
    )?;
    // In the story index's own order (by seq, no sort): the reading
    // stops once the field is full, however big the story.
    let mut field = QuoteField::default();
    let mut rows = stmt.query(params![id])?;
    while let Some(r) = rows.next()? {
        field.add(conn, r.get(0)?, r.get_ref(1)?.as_str().unwrap_or(""))?;
        if field.full() {
            break;
        }
    }
    Ok(field.text())
}

/// Every story's quotes field (`QuoteField`), by story id, in one pass
/// over the quoted events in seq order: what the rebuild and the v11
/// migration write to `stories.quote_text`. Stories without quotes are
/// left out.
pub(crate) fn story_quote_fields(
    conn: &rusqlite::Connection,
) -> Result<HashMap<String, String>, StoreError> {
    // CROSS JOIN keeps SQLite scanning the events in seq order and
    // looking each one's story up, not the other way round (a random
    // read of the wide events table per story member).
    let mut stmt = conn.prepare(
        "SELECT e.seq, se.story, e.quote_text FROM events e \
         CROSS JOIN story_events se ON se.event_seq = e.seq \
         WHERE e.quote_text <> ''",
    )?;
    let mut out: HashMap<String, QuoteField> = HashMap::new();
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        // Borrowed from the row until kept: most rows repeat a story id
        // already seen.
        let story = r.get_ref(1)?.as_str().unwrap_or("");
        let field = match out.get_mut(story) {
            Some(f) => f,
            None => out.entry(story.to_string()).or_default(),
        };
        field.add(conn, r.get(0)?, r.get_ref(2)?.as_str().unwrap_or(""))?;
    }
    Ok(out
        .into_iter()
        .map(|(id, f)| (id, f.text()))
        .filter(|(_, t)| !t.is_empty())
        .collect())
}

/// The schema version since which stories are stored as this version
/// merges them: the index's look-up keys by kind, vague dates apart (8),
/// and the word hashes with their series marker and vague spans cut at
/// the publication day (9). Stories of an older store are indexed in a
/// way new articles no longer find.
const STORY_FORMAT_SINCE: i64 = 9;

/// Rebuilds the stories of a store just upgraded from before
/// `STORY_FORMAT_SINCE` (once: the next open finds the new version), so
/// that new articles join the stories already there instead of repeating
/// them. A store without stories has nothing to rebuild.
pub(crate) fn rebuild_if_format_changed(
    conn: &mut rusqlite::Connection,
    upgraded_from: i64,
) -> Result<(), StoreError> {
    if !(1..STORY_FORMAT_SINCE).contains(&upgraded_from) {
        return Ok(());
    }
    let has: bool = conn.query_row("SELECT EXISTS (SELECT 1 FROM stories)", [], |r| r.get(0))?;
    if has {
        merge::rebuild(conn, &mut |_, _, _| {})?;
    }
    Ok(())
}

impl Store {
    /// The story of each of `events` that has one, by event id. A few
    /// look-ups for a short list; one pass over all stories for a long one.
    pub fn story_refs(
        &self,
        events: &[EventRecord],
    ) -> Result<HashMap<String, StoryRef>, StoreError> {
        let mut out = HashMap::with_capacity(events.len());
        if events.len() > 5_000 {
            let mut stmt = self.conn.prepare(
                "SELECT e.id, st.id, st.sources FROM events e \
                 JOIN story_events se ON se.event_seq = e.seq \
                 JOIN stories st ON st.id = se.story",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    StoryRef {
                        id: r.get(1)?,
                        sources: r.get(2)?,
                    },
                ))
            })?;
            for row in rows {
                let (id, s) = row?;
                out.insert(id, s);
            }
            return Ok(out);
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT st.id, st.sources FROM events e \
             JOIN story_events se ON se.event_seq = e.seq \
             JOIN stories st ON st.id = se.story WHERE e.id = ?1",
        )?;
        for e in events {
            let found = stmt
                .query_row(params![e.id], |r| {
                    Ok(StoryRef {
                        id: r.get(0)?,
                        sources: r.get(1)?,
                    })
                })
                .optional()?;
            if let Some(s) = found {
                out.insert(e.id.clone(), s);
            }
        }
        Ok(out)
    }

    /// The story with this id, or the only one whose id starts with it.
    pub fn story(&self, id: &str) -> Result<Option<StoryRecord>, StoreError> {
        let exact: Option<String> = self
            .conn
            .query_row("SELECT id FROM stories WHERE id = ?1", params![id], |r| {
                r.get(0)
            })
            .optional()?;
        let id = match exact {
            Some(id) => id,
            None => match self.story_ids_with_prefix(id, 2)?.as_slice() {
                [only] => only.clone(),
                _ => return Ok(None),
            },
        };
        self.story_record(&id)
    }

    /// Up to `limit` story ids starting with `prefix`.
    pub fn story_ids_with_prefix(
        &self,
        prefix: &str,
        limit: usize,
    ) -> Result<Vec<String>, StoreError> {
        if prefix.is_empty() {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM stories WHERE substr(id, 1, length(?1)) = ?1 ORDER BY id LIMIT ?2",
        )?;
        let ids = stmt
            .query_map(params![prefix, limit as i64], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(ids)
    }

    /// The stories of `events`, whole, in date order: `list --stories`
    /// lists the stories of the events its filters select.
    pub fn stories_of(&self, events: &[EventRecord]) -> Result<Vec<StoryRecord>, StoreError> {
        let refs = self.story_refs(events)?;
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        for e in events {
            let Some(r) = refs.get(&e.id) else { continue };
            if seen.insert(r.id.clone()) {
                if let Some(s) = self.story_record(&r.id)? {
                    out.push(s);
                }
            }
        }
        out.sort_by(|a, b| a.date_key.cmp(&b.date_key).then_with(|| a.id.cmp(&b.id)));
        Ok(out)
    }

    /// Every story as a timeline row, in date order.
    pub fn story_rows(&self) -> Result<Vec<StoryRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, date_key, date_value, disagreement, kind, summary, sources, events, \
             officials, countries FROM stories ORDER BY date_key, id",
        )?;
        let rows = stmt.query_map([], story_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The newest `limit` dated stories as timeline rows (newest first),
    /// straight from the date index: the browser's first screen.
    pub fn newest_story_rows(&self, limit: usize) -> Result<Vec<StoryRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, date_key, date_value, disagreement, kind, summary, sources, events, \
             officials, countries FROM stories WHERE date_key > '' \
             ORDER BY date_key DESC, id DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map(params![limit as i64], story_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every story as a timeline row with its quotes' search field
    /// (v11's `stories.quote_text`), in date order: what the browser
    /// loads. The stories table alone is read (the events are not), the
    /// later half of it by date on a second read-only connection while
    /// this one reads the earlier, when the store has one to give (a file
    /// on disk).
    pub fn story_rows_with_quotes(&self) -> Result<(Vec<StoryRow>, Vec<String>), StoreError> {
        let count: i64 = self
            .conn
            .query_row("SELECT count(*) FROM stories", [], |r| r.get(0))?;
        // The date key half the stories sort before (from the date index).
        let mid: Option<String> = self
            .conn
            .query_row(
                "SELECT date_key FROM stories ORDER BY date_key LIMIT 1 OFFSET ?1",
                params![count / 2],
                |r| r.get(0),
            )
            .optional()?;
        let half = (count.max(0) as usize).div_ceil(2);
        let (Some(mid), Ok(other)) = (mid, Store::open_read_only(&self.path)) else {
            return self.story_rows_where("", "", half * 2);
        };
        std::thread::scope(|sc| {
            let mid = mid.as_str();
            let late = sc.spawn(move || other.story_rows_where("WHERE date_key >= ?1", mid, half));
            let early = self.story_rows_where("WHERE date_key < ?1", mid, half);
            let late = late.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
            let ((mut rows, mut quotes), (more, more_quotes)) = (early?, late?);
            rows.extend(more);
            quotes.extend(more_quotes);
            Ok((rows, quotes))
        })
    }

    /// `story_rows_with_quotes` of the stories `filter` (a WHERE clause
    /// over the date key, ?1 = `key`, or nothing) selects.
    fn story_rows_where(
        &self,
        filter: &str,
        key: &str,
        capacity: usize,
    ) -> Result<(Vec<StoryRow>, Vec<String>), StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT id, date_key, date_value, disagreement, kind, summary, sources, events, \
             officials, countries, quote_text FROM stories {filter} ORDER BY date_key, id"
        ))?;
        let mut rows = Vec::with_capacity(capacity);
        let mut quotes = Vec::with_capacity(capacity);
        let mut got = if filter.is_empty() {
            stmt.query([])?
        } else {
            stmt.query(params![key])?
        };
        while let Some(r) = got.next()? {
            rows.push(story_row(r)?);
            quotes.push(r.get(10)?);
        }
        Ok((rows, quotes))
    }

    /// Every story's quotes (each once) as the join of the quoted events
    /// finds them: what `story_quotes` was before v9, to test it against.
    #[cfg(test)]
    pub(crate) fn story_quotes_joined(&self) -> Result<HashMap<String, Vec<String>>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT se.story, q.text FROM event_quotes eq \
             JOIN story_events se ON se.event_seq = eq.event_seq \
             JOIN events e ON e.seq = eq.event_seq \
             JOIN quotes q ON q.article_id = e.article_id AND q.idx = eq.idx \
             ORDER BY eq.event_seq, eq.idx",
        )?;
        let mut out: HashMap<String, Vec<String>> = HashMap::new();
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let story: String = r.get(0)?;
            let text: String = r.get(1)?;
            let qs = out.entry(story).or_default();
            if !qs.contains(&text) {
                qs.push(text);
            }
        }
        Ok(out)
    }

    /// The reader's marks by story: a story is read when one of its events
    /// is (one of its sources was opened), starred when one is starred.
    pub fn story_marks(&self) -> Result<Vec<(String, bool, bool)>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            // CROSS JOIN keeps this order: from the few marks out, not
            // from every story in.
            "SELECT se.story, max(m.read), max(m.starred) FROM event_marks m \
             CROSS JOIN events e ON e.id = m.event_id \
             CROSS JOIN story_events se ON se.event_seq = e.seq \
             WHERE m.read OR m.starred GROUP BY se.story",
        )?;
        let v = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        Ok(v)
    }

    /// Marks every event of story `id` (what marking a story row means).
    pub fn set_story_mark(&self, id: &str, read: bool, starred: bool) -> Result<(), StoreError> {
        self.conn
            .prepare_cached(
                "INSERT INTO event_marks (event_id, read, starred) \
                 SELECT e.id, ?2, ?3 FROM story_events se JOIN events e ON e.seq = se.event_seq \
                 WHERE se.story = ?1 \
                 ON CONFLICT(event_id) DO UPDATE SET read = ?2, starred = ?3",
            )?
            .execute(params![id, read, starred])?;
        Ok(())
    }

    /// The ids of story `id`'s events, in the order they were stored.
    pub fn story_event_ids(&self, id: &str) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT e.id FROM story_events se JOIN events e ON e.seq = se.event_seq \
             WHERE se.story = ?1 ORDER BY e.seq",
        )?;
        let ids = stmt
            .query_map(params![id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(ids)
    }

    /// The id of the story event `event_id` is in, if any.
    pub fn story_of_event(&self, event_id: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT se.story FROM events e JOIN story_events se ON se.event_seq = e.seq \
                 WHERE e.id = ?1",
            )?
            .query_row(params![event_id], |r| r.get(0))
            .optional()?)
    }

    /// Whether some event is in no story (stored before stories existed,
    /// or by `generate`). Every `story_events` row is one event's (its key
    /// references the event, deleted with it), so comparing the two counts
    /// says it: SQLite counts a table's rows without reading them, where
    /// looking for an event without a story read every event of a store
    /// that has none (0.4 s of CPU at 1M, as the browser's stories came in).
    pub fn has_loose_events(&self) -> Result<bool, StoreError> {
        Ok(self.conn.query_row(
            "SELECT (SELECT count(*) FROM events) > (SELECT count(*) FROM story_events)",
            [],
            |r| r.get(0),
        )?)
    }

    /// Whether the store holds any story (a store filled by `generate`
    /// holds none until `newsline restory`).
    pub fn has_stories(&self) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT EXISTS (SELECT 1 FROM stories)", [], |r| r.get(0))?)
    }

    /// How many stories there are.
    pub fn story_count(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM stories", [], |r| r.get(0))?)
    }

    /// How many stories there are, and how many events are in none (a
    /// store filled by `generate`, or upgraded from an older schema, needs
    /// `newsline restory`).
    pub fn story_counts(&self) -> Result<(i64, i64), StoreError> {
        let stories = self
            .conn
            .query_row("SELECT count(*) FROM stories", [], |r| r.get(0))?;
        let loose = self.conn.query_row(
            "SELECT count(*) FROM events e WHERE NOT EXISTS \
             (SELECT 1 FROM story_events s WHERE s.event_seq = e.seq)",
            [],
            |r| r.get(0),
        )?;
        Ok((stories, loose))
    }

    /// Builds every story again from the stored events (`newsline
    /// restory`); `progress(stage, done, total)` is called now and then.
    pub fn rebuild_stories(
        &mut self,
        progress: &mut dyn FnMut(Stage, u64, u64),
    ) -> Result<RebuildStats, StoreError> {
        merge::rebuild(&mut self.conn, progress)
    }

    /// Places one stored article's events into stories again, in its own
    /// transaction: what `ingest` does for a new article (the benchmark
    /// times the merge alone with it).
    pub fn restory_article(&mut self, article_id: &str) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        merge::assign_article(&tx, article_id)?;
        tx.commit()?;
        Ok(())
    }

    fn story_record(&self, id: &str) -> Result<Option<StoryRecord>, StoreError> {
        let members = load_members(
            &self.conn,
            "WHERE e.seq IN (SELECT event_seq FROM story_events WHERE story = ?1) ORDER BY e.seq",
            params![id],
        )?;
        if members.is_empty() {
            return Ok(None);
        }
        let refs: Vec<&Member> = members.iter().map(|(_, m)| m).collect();
        let sum = story::summarize(id, &refs);
        let dates = story::source_dates(&refs);

        let mut sources = Vec::with_capacity(dates.len());
        // words -> (text, speaker, articles)
        let mut quotes: Vec<(String, QuoteRecord, Vec<String>)> = Vec::new();
        for (article, dated) in &dates {
            let own: Vec<&Member> = refs
                .iter()
                .copied()
                .filter(|m| m.article == *article)
                .collect();
            let best = story::most_complete(&own);
            let Some(ev) = self.event(&best.event_id)? else {
                continue;
            };
            let evidence: Option<String> = self
                .conn
                .query_row(
                    "SELECT text FROM articles WHERE id = ?1",
                    params![article],
                    |r| r.get::<_, String>(0),
                )
                .optional()?
                .and_then(|t| {
                    t.get(ev.evidence.start..ev.evidence.end)
                        .map(str::to_string)
                });
            let mut source_quotes: Vec<QuoteRecord> = Vec::new();
            for m in &own {
                let Some(e) = (if m.event_id == ev.id {
                    Some(ev.clone())
                } else {
                    self.event(&m.event_id)?
                }) else {
                    continue;
                };
                for q in e.quotes {
                    if !source_quotes.contains(&q) {
                        source_quotes.push(q);
                    }
                }
            }
            for q in &source_quotes {
                add_quote(&mut quotes, q, article);
            }
            sources.push(StorySource {
                outlet: ev.article.source.clone(),
                title: ev.article.title.clone(),
                published: ev.article.published.clone(),
                url: ev.article.url.clone(),
                article_id: article.to_string(),
                event_id: ev.id.clone(),
                evidence: evidence
                    .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
                    .unwrap_or_else(|| ev.summary.clone()),
                date: dated.date_value.clone(),
                date_phrase: dated.date_phrase.clone(),
                quotes: source_quotes,
                evidence_start: ev.evidence.start,
            });
        }
        sources.sort_by(|a, b| {
            a.published
                .cmp(&b.published)
                .then_with(|| a.article_id.cmp(&b.article_id))
        });
        let counted = |v: Vec<(String, usize)>| {
            v.into_iter()
                .map(|(name, sources)| Counted { name, sources })
                .collect()
        };
        Ok(Some(StoryRecord {
            id: sum.id,
            date: sum.date_value,
            date_disagreement: sum.disagreement,
            kind: sum.kind,
            summary: sum.summary,
            sources,
            officials: counted(sum.officials),
            countries: counted(sum.countries),
            quotes: quotes
                .into_iter()
                .map(|(_, q, arts)| StoryQuote {
                    text: q.text,
                    speaker: q.speaker,
                    sources: arts.len(),
                })
                .collect(),
            events: refs.iter().map(|m| m.event_id.clone()).collect(),
            date_key: sum.date_key,
        }))
    }
}

/// Adds one source's quote: the same words (or words one source quotes
/// within another's longer quote) are one quote, kept at its longest.
fn add_quote(quotes: &mut Vec<(String, QuoteRecord, Vec<String>)>, q: &QuoteRecord, article: &str) {
    let key = quote_key(&q.text);
    if key.is_empty() {
        return;
    }
    let found = quotes
        .iter()
        .position(|(k, _, _)| k.contains(&key) || key.contains(k.as_str()));
    match found {
        Some(i) => {
            let slot = &mut quotes[i];
            if key.len() > slot.0.len() {
                slot.0 = key;
                slot.1 = q.clone();
            }
            if !slot.2.iter().any(|a| a == article) {
                slot.2.push(article.to_string());
            }
        }
        None => quotes.push((key, q.clone(), vec![article.to_string()])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{parse_bytes, Options};

    /// Every story's search field for its quotes, from `quotes`.
    fn fields(quotes: HashMap<String, Vec<String>>) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = quotes
            .into_iter()
            .map(|(id, qs)| (id, search::quotes_field(qs.iter().map(String::as_str))))
            .filter(|(_, f)| !f.is_empty())
            .collect();
        out.sort();
        out
    }

    /// Every story's stored quotes field (v11's `stories.quote_text`).
    fn stored(store: &Store) -> Vec<(String, String)> {
        let mut st = store
            .conn
            .prepare("SELECT id, quote_text FROM stories WHERE quote_text <> '' ORDER BY id")
            .unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    /// The quotes field the browser loads with each story (kept in the
    /// stories table by the merge, the rebuild and the v11 migration) is
    /// the field made from the story's quotes themselves, as the load
    /// made it before v11: several quotes in one sentence, a quote longer
    /// than the field's cut, the joint inside a quote, and the same words
    /// from two outlets.
    #[test]
    fn stored_story_quotes_match_the_quotes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let mut store = Store::open(&path).unwrap();
        let long = "We will keep building the new harbour wall until every family on \
                    the northern shore can sleep without fear of the winter storms, and \
                    we will not stop for any budget committee, any delay or any excuse \
                    that the contractors may offer us in the months to come";
        let articles = [
            format!(
                "---\npublished: 2025-03-03\n---\nHarbour plan\n\nPrime Minister Lena Varga \
                 announced a harbour plan in Tallinn on Monday. \"{long},\" Varga said. \
                 \"The wall is paid for,\" she said, adding: \"The work starts now.\"\n"
            ),
            "---\npublished: 2025-03-04\n---\nVarga unveils harbour wall\n\nEstonian Prime \
             Minister Lena Varga announced a harbour plan on Monday. \"The wall is paid \
             for,\" Varga said. \"Storms \u{b6} floods \u{b6} ice: we are ready,\" she said.\n"
                .to_string(),
            "---\npublished: 2025-03-05\n---\nTalks\n\nFinnish President Aarne Koski met \
             Varga in Helsinki on Wednesday. \"We agree on the sea lanes,\" Koski said. \
             \"We agree on the sea lanes,\" he repeated. \"And on fishing,\" he said.\n"
                .to_string(),
        ];
        let ingest = |store: &mut Store, i: usize| {
            let docs = parse_bytes(articles[i].as_bytes(), &Options::default()).unwrap();
            store.ingest(&docs, Some(&format!("a{i}.txt"))).unwrap();
        };
        crate::store::generate::generate(&mut store, 3000, 11).unwrap();
        ingest(&mut store, 0);
        // The rebuild's fields.
        store.rebuild_stories(&mut |_, _, _| {}).unwrap();
        let joined = fields(store.story_quotes_joined().unwrap());
        assert!(joined.len() > 100, "{}", joined.len());
        assert!(joined.iter().any(|(_, f)| f.len() >= search::QUOTE_BYTES));
        assert_eq!(stored(&store), joined);

        // The merge's, as articles join the stories one by one.
        ingest(&mut store, 1);
        ingest(&mut store, 2);
        let joined = fields(store.story_quotes_joined().unwrap());
        // One quote up to the cut, one event with two quotes, one quote
        // with the joint inside.
        assert!(joined
            .iter()
            .any(|(_, f)| f.len() >= search::QUOTE_BYTES && f.starts_with("We will keep")));
        assert!(joined
            .iter()
            .any(|(_, f)| f.matches(QUOTE_JOINT).count() == 1));
        assert!(joined.iter().any(|(_, f)| f.contains("floods \u{b6} ice")));
        assert_eq!(stored(&store), joined);

        // The one pass over the events and the field of one story.
        let mut all: Vec<(String, String)> = story_quote_fields(&store.conn)
            .unwrap()
            .into_iter()
            .collect();
        all.sort();
        assert_eq!(all, joined);
        for (id, f) in joined.iter().take(300) {
            assert_eq!(&story_quote_field(&store.conn, id).unwrap(), f);
        }

        // What the browser loads: the rows, each with its field.
        let (rows, quotes) = store.story_rows_with_quotes().unwrap();
        assert_eq!(rows, store.story_rows().unwrap());
        let mut loaded: Vec<(String, String)> = rows
            .into_iter()
            .zip(quotes)
            .map(|(r, q)| (r.id, q))
            .filter(|(_, q)| !q.is_empty())
            .collect();
        loaded.sort();
        assert_eq!(loaded, joined);

        // A store from before v11 gets the same fields when it is opened.
        store
            .conn
            .execute_batch("ALTER TABLE stories DROP COLUMN quote_text; PRAGMA user_version = 10;")
            .unwrap();
        drop(store);
        let store = Store::open(&path).unwrap();
        assert_eq!(
            store.schema_version().unwrap(),
            super::super::schema::CURRENT
        );
        assert_eq!(stored(&store), joined);
    }

    #[test]
    fn loose_events_are_told_by_the_counts() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("s.db")).unwrap();
        crate::store::generate::generate(&mut store, 200, 5).unwrap();
        // `generate` makes no stories.
        assert!(store.has_loose_events().unwrap());
        store.rebuild_stories(&mut |_, _, _| {}).unwrap();
        assert!(!store.has_loose_events().unwrap());
        // A new article's events join stories as it is stored.
        let text = "---\npublished: 2025-03-03\n---\nTalks\n\nPrime Minister Lena Varga \
                    met envoys in Tallinn on Monday.\n";
        let docs = parse_bytes(text.as_bytes(), &Options::default()).unwrap();
        store.ingest(&docs, Some("a.txt")).unwrap();
        assert!(!store.has_loose_events().unwrap());
        // One event out of its story (as one stored before stories were).
        store
            .conn
            .execute_batch(
                "DELETE FROM story_events WHERE event_seq = (SELECT max(seq) FROM events)",
            )
            .unwrap();
        assert!(store.has_loose_events().unwrap());
    }

    #[test]
    fn the_field_length_follows_quotes_field() {
        let texts = ["short", "é".repeat(200).as_str(), "x"].map(str::to_string);
        let mut len = 0;
        for k in 0..texts.len() {
            if len >= search::QUOTE_BYTES {
                break;
            }
            len = quotes_field_len(len, &texts[k]);
            assert_eq!(
                len,
                search::quotes_field(texts[..=k].iter().map(String::as_str)).len()
            );
        }
    }
}
