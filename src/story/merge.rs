//! Keeping stories in the store: each new article's events join the
//! stories they match (found through the `story_keys` index of officials
//! and countries by day, never by a scan), and `rebuild` makes them all
//! again in memory after a rules change.
//!
//! Both paths use the same pairwise test and the same candidate window, and
//! a story is a connected group of events under that test with the smallest
//! event id as its name, so the stories are the same whichever way, and in
//! whichever order, the articles came in.

use rusqlite::{params, Connection, OptionalExtension};
use rustc_hash::{FxHashMap, FxHashSet};

use super::similarity::{match_score, reports_day, Features, Keys, MAX_VAGUE_DAYS, RETELL_DAYS};
use super::{story_id, summarize, Member};
use crate::model::EventKind;
use crate::store::StoreError;

/// The event columns the story code reads, in `member_from_row` order.
/// Officials and countries come from the event's own lists (schema 10)
/// rather than a subquery each: a story's summary reads every member, and
/// those two look-ups per member were most of its reading.
const MEMBER_SELECT: &str = "SELECT e.seq, e.id, e.article_id, a.published, e.kind, \
     e.date_value, e.date_phrase, e.summary, e.official_list, e.country_list \
     FROM events e JOIN articles a ON a.id = e.article_id";

/// A member as read, with its officials still ids.
fn member_from_row(r: &rusqlite::Row) -> rusqlite::Result<(i64, Member, Vec<i64>)> {
    let kind = r.get_ref(4)?.as_str().unwrap_or("");
    let mut official_ids = Vec::new();
    crate::store::query::read_officials(r.get_ref(8)?.as_str().unwrap_or(""), &mut official_ids);
    let countries = r.get_ref(9)?.as_str().unwrap_or("");
    Ok((
        r.get(0)?,
        Member {
            event_id: r.get(1)?,
            article: r.get(2)?,
            published: r.get(3)?,
            kind: EventKind::parse(kind).unwrap_or(EventKind::Other),
            date_value: r.get(5)?,
            date_phrase: r.get(6)?,
            summary: r.get(7)?,
            officials: Vec::new(),
            countries: countries
                .split(crate::store::schema::LIST_SEP)
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .collect(),
        },
        official_ids,
    ))
}

/// The stored events selected by `clause` (a WHERE clause over `e`).
/// Officials' names are looked up once per official, not per event.
pub(crate) fn load_members(
    conn: &Connection,
    clause: &str,
    args: impl rusqlite::Params,
) -> Result<Vec<(i64, Member)>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("{MEMBER_SELECT} {clause}"))?;
    let rows: Vec<(i64, Member, Vec<i64>)> = stmt
        .query_map(args, member_from_row)?
        .collect::<Result<_, _>>()?;
    let mut names: FxHashMap<i64, Option<String>> = FxHashMap::default();
    let mut name_of = conn.prepare_cached("SELECT name FROM officials WHERE id = ?1")?;
    let mut out = Vec::with_capacity(rows.len());
    for (seq, mut m, ids) in rows {
        for id in ids {
            let name = match names.get(&id) {
                Some(n) => n.clone(),
                None => {
                    let n: Option<String> =
                        name_of.query_row(params![id], |r| r.get(0)).optional()?;
                    names.insert(id, n.clone());
                    n
                }
            };
            m.officials.extend(name);
        }
        out.push((seq, m));
    }
    Ok(out)
}

fn words_blob(words: &[u32]) -> Vec<u8> {
    words.iter().flat_map(|w| w.to_le_bytes()).collect()
}

fn words_from_blob(b: &[u8]) -> Vec<u32> {
    b.chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

/// What an index key names: `o:` an official, `c:` a country, `n:` a
/// country of an event that names no official, `a:` an article.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum KeyKind {
    Official,
    Country,
    Nameless,
    Article,
}

/// One index key, as parts: the in-memory rebuild numbers keys by their
/// parts without writing a string for each (that was a quarter of its
/// grouping's instructions); `text` is the key as `story_keys` holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Key<'f> {
    vague: bool,
    kind: KeyKind,
    name: &'f str,
}

impl Key<'_> {
    fn text(&self) -> String {
        let v = if self.vague { "v" } else { "" };
        let k = match self.kind {
            KeyKind::Official => 'o',
            KeyKind::Country => 'c',
            KeyKind::Nameless => 'n',
            KeyKind::Article => 'a',
        };
        format!("{v}{k}:{}", self.name)
    }
}

/// The index keys of an event: its officials (`o:`), its countries (`c:`,
/// and `n:` too when it names no official), and its article (`a:`; a
/// headline that names nobody still finds its own lead). A vague-dated
/// event's keys start with `v`, so that a look-up for exact days never
/// reads through the month of vague events before them.
fn stored_keys(f: &Features) -> Vec<Key<'_>> {
    let vague = f.is_vague();
    let key = |kind, name| Key { vague, kind, name };
    let mut out: Vec<Key> = f
        .officials
        .iter()
        .map(|o| key(KeyKind::Official, o.as_str()))
        .collect();
    for c in &f.countries {
        out.push(key(KeyKind::Country, c));
        if f.officials.is_empty() {
            out.push(key(KeyKind::Nameless, c));
        }
    }
    out.push(key(KeyKind::Article, &f.article));
    out
}

/// The most index rows one look-up reads for one event, in (first day,
/// store order): a guard that keeps the work per event bounded however
/// many events share a key and a day. Far above what real or generated
/// news reaches (see `benches/stories.rs`); only where it binds can the
/// grouping depend on the order events were stored in.
pub const MAX_CANDIDATES_PER_KEY: usize = 1000;

/// One index look-up: the events stored under `key` whose first day is in
/// `from..=to` and whose last day is at least `min_hi`.
struct Look<'f> {
    key: Key<'f>,
    from: i32,
    to: i32,
    min_hi: i32,
}

/// Where the events that may report the same happening as `f` (dated
/// `span`) are. Following `similarity::wording_needed`: on the same day
/// any shared official or country may do; a day apart, or a vague date
/// against an exact one, the actors must be one person, or a country when
/// one of the two names nobody (hence the `n:` keys); two vague dates
/// never match. Look-ups under `v` keys find vague events holding an exact
/// day: the store needs them (a new exact event may be a better anchor),
/// the in-memory rebuild finds those pairs from the vague side. Retellings
/// a few days apart are found as the comment inside says.
fn lookups<'f>(f: &'f Features, span: (i32, i32)) -> Vec<Look<'f>> {
    use KeyKind::{Article, Country, Nameless, Official};
    let named = !f.officials.is_empty();
    let mut out = Vec::new();
    let mut add = |vague: bool, kind: KeyKind, name: &'f str, from: i32, to: i32, min_hi: i32| {
        out.push(Look {
            key: Key { vague, kind, name },
            from,
            to,
            min_hi,
        })
    };
    if f.is_vague() {
        let (lo, hi) = span;
        for o in &f.officials {
            add(false, Official, o, lo, hi, lo);
        }
        for c in &f.countries {
            let k = if named { Nameless } else { Country };
            add(false, k, c, lo, hi, lo);
        }
        add(false, Article, &f.article, lo, hi, lo);
        return out;
    }
    let d = span.0;
    let held = d - MAX_VAGUE_DAYS;
    // Retellings (`similarity::retells`) are 2 to RETELL_DAYS days apart,
    // with the actors the retelling test asks for: an event that does not
    // name its day looks that far back, and any exact event looks that far
    // forward, in the same look-up as the day before and after (one
    // statement per key however far it looks).
    let back = if f.stated { d - 1 } else { d - RETELL_DAYS };
    let ahead = d + RETELL_DAYS;
    for o in &f.officials {
        add(false, Official, o, back, ahead, back);
        add(true, Official, o, held, d, d);
    }
    for c in &f.countries {
        if named {
            add(false, Country, c, d, d, d);
            add(false, Nameless, c, back, ahead, back);
            add(true, Nameless, c, held, d, d);
        } else {
            add(false, Country, c, back, ahead, back);
            add(true, Country, c, held, d, d);
        }
    }
    add(false, Article, &f.article, d - 1, d + 1, d - 1);
    add(true, Article, &f.article, held, d, d);
    out
}

fn put_event(conn: &Connection, seq: i64, story: &str, f: &Features) -> Result<(), StoreError> {
    // A delete rather than INSERT OR REPLACE: a row replaced that way
    // would not fire the trigger that deletes its keys.
    conn.prepare_cached("DELETE FROM story_events WHERE event_seq = ?1")?
        .execute(params![seq])?;
    conn.prepare_cached(
        "INSERT INTO story_events \
         (event_seq, story, article, kind, lo, hi, officials, countries, words, future) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        seq,
        story,
        f.article,
        f.kind.as_str(),
        f.span.map(|s| s.0),
        f.span.map(|s| s.1),
        f.officials.join(" "),
        f.countries.join(" "),
        words_blob(&f.words),
        f.future
    ])?;
    if let Some((lo, _)) = f.span {
        let mut stmt = conn.prepare_cached(
            "INSERT OR IGNORE INTO story_keys (key, lo, event_seq) VALUES (?1, ?2, ?3)",
        )?;
        for k in stored_keys(f) {
            stmt.execute(params![k.text(), lo, seq])?;
        }
    }
    Ok(())
}

/// `stated` is not stored with the features: the caller reads it from the
/// event's date phrase where it matters.
fn features_from_row(r: &rusqlite::Row, first: usize, stated: bool) -> rusqlite::Result<Features> {
    let kind: String = r.get(first + 1)?;
    let lo: Option<i32> = r.get(first + 2)?;
    let hi: Option<i32> = r.get(first + 3)?;
    let officials: String = r.get(first + 4)?;
    let countries: String = r.get(first + 5)?;
    let words: Vec<u8> = r.get(first + 6)?;
    let list = |s: &str| -> Keys { s.split(' ').filter(|x| !x.is_empty()).collect() };
    Ok(Features {
        article: r.get(first)?,
        kind: EventKind::parse(&kind).unwrap_or(EventKind::Other),
        span: lo.zip(hi),
        officials: list(&officials),
        countries: list(&countries),
        words: words_from_blob(&words),
        future: r.get(first + 7)?,
        stated,
    })
}

/// The stored features of every event of `article`, cached per call.
fn article_features<'c>(
    conn: &Connection,
    cache: &'c mut FxHashMap<String, Vec<Features>>,
    article: &str,
) -> Result<&'c [Features], StoreError> {
    if !cache.contains_key(article) {
        let mut stmt = conn.prepare_cached(
            "SELECT article, kind, lo, hi, officials, countries, words, future \
             FROM story_events WHERE article = ?1",
        )?;
        let rows = stmt.query_map(params![article], |r| features_from_row(r, 0, true))?;
        let list: Vec<Features> = rows.collect::<Result<_, _>>()?;
        cache.insert(article.to_string(), list);
    }
    Ok(cache.get(article).map(Vec::as_slice).unwrap_or(&[]))
}

/// Does either article of a pair one day apart report both days as
/// separate happenings?
fn both_days_reported(a: &Features, b: &Features, arts: &[&Features], brts: &[&Features]) -> bool {
    let (Some(sa), Some(sb)) = (a.span, b.span) else {
        return false;
    };
    reports_day(arts, sb.0, b) || reports_day(brts, sa.0, a)
}

/// A small union-find over story ids.
#[derive(Default)]
struct Unions(FxHashMap<String, String>);

impl Unions {
    fn find(&mut self, s: &str) -> String {
        let mut cur = s.to_string();
        while let Some(p) = self.0.get(&cur) {
            if *p == cur {
                break;
            }
            cur = p.clone();
        }
        cur
    }

    fn join(&mut self, a: &str, b: &str) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return;
        }
        // The smaller id names the joined story.
        let (keep, gone) = if ra < rb { (ra, rb) } else { (rb, ra) };
        self.0.insert(keep.clone(), keep.clone());
        self.0.insert(gone, keep);
    }
}

/// Places the events of a newly stored article into stories: each joins
/// every story it matches (joining those stories too) or opens its own.
pub fn assign_article(conn: &Connection, article_id: &str) -> Result<(), StoreError> {
    let members = load_members(
        conn,
        "WHERE e.article_id = ?1 ORDER BY e.seq",
        params![article_id],
    )?;
    if members.is_empty() {
        return Ok(());
    }
    let feats: Vec<Features> = members.iter().map(|(_, m)| m.features()).collect();
    let mut own: Vec<String> = Vec::with_capacity(members.len());
    for ((seq, m), f) in members.iter().zip(&feats) {
        let id = story_id(&m.event_id);
        put_event(conn, *seq, &id, f)?;
        own.push(id);
    }

    let mut unions = Unions::default();
    let mut cache: FxHashMap<String, Vec<Features>> = FxHashMap::default();
    let new_seqs: FxHashSet<i64> = members.iter().map(|(seq, _)| *seq).collect();
    // Vague events of earlier articles that a new exact event matches
    // better than their anchor: seq -> (score, anchor id, anchor's story).
    let mut moves: FxHashMap<i64, (f32, String, String)> = FxHashMap::default();
    let mut anchors: Vec<(i64, f32, String)> = Vec::new();
    // The cap is written into the statement rather than bound: SQLite
    // plans a bound LIMIT anew every time its value is bound. The events
    // table is not joined: most candidates never need what only it holds
    // (`Stored`), and its row is a page read of its own for each.
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT s.event_seq, s.story, s.anchor, s.anchor_score, \
         s.article, s.kind, s.lo, s.hi, s.officials, s.countries, s.words, s.future \
         FROM story_keys k JOIN story_events s ON s.event_seq = k.event_seq \
         WHERE k.key = ?1 AND k.lo BETWEEN ?2 AND ?3 AND s.hi >= ?4 \
         ORDER BY k.lo, k.event_seq LIMIT {MAX_CANDIDATES_PER_KEY}"
    ))?;
    let mut stored = Stored::new(conn)?;
    for (i, f) in feats.iter().enumerate() {
        let Some(span) = f.span else { continue };
        let my_id = members[i].1.event_id.as_str();
        let mut seen: FxHashSet<i64> = FxHashSet::default();
        seen.insert(members[i].0);
        // For a vague event: the best exact match, (score, id, story).
        let mut best: Option<(f32, String, String)> = None;
        for look in lookups(f, span) {
            let args = params![look.key.text(), look.from, look.to, look.min_hi];
            let rows = stmt.query_map(args, |r| {
                Ok(Candidate {
                    seq: r.get(0)?,
                    story: r.get(1)?,
                    anchor: r.get(2)?,
                    anchor_score: r.get(3)?,
                    features: features_from_row(r, 4, true)?,
                })
            })?;
            for row in rows {
                let mut c = row?;
                if !seen.insert(c.seq) {
                    continue;
                }
                // Whether the candidate names its own day matters only
                // where it may retell `f`: when it is dated two days or
                // more after it (`similarity::retells`).
                if c.features.span.is_some_and(|s| s.0 >= span.0 + 2) {
                    c.features.stated = stored.stated(c.seq)?;
                }
                let other = &c.features;
                let mut failed = None;
                let score = match_score(f, other, || {
                    let mut both = || -> Result<bool, StoreError> {
                        let a: Vec<Features> =
                            article_features(conn, &mut cache, &f.article)?.to_vec();
                        let b = article_features(conn, &mut cache, &other.article)?;
                        let ar: Vec<&Features> = a.iter().collect();
                        let br: Vec<&Features> = b.iter().collect();
                        Ok(both_days_reported(f, other, &ar, &br))
                    };
                    both().unwrap_or_else(|e| {
                        failed = Some(e);
                        true
                    })
                });
                if let Some(e) = failed {
                    return Err(e);
                }
                let Some(score) = score else { continue };
                match (f.is_vague(), other.is_vague()) {
                    (false, false) => unions.join(&own[i], &c.story),
                    (true, _) => {
                        let id = stored.id(c.seq)?;
                        if better(score, &id, best.as_ref().map(|b| (b.0, b.1.as_str()))) {
                            best = Some((score, id, c.story.clone()));
                        }
                    }
                    (false, true) => {
                        // A new article's own vague events pick their anchor
                        // themselves, above.
                        if new_seqs.contains(&c.seq) {
                            continue;
                        }
                        let held = c.anchor_score.zip(c.anchor.as_deref());
                        let pending = moves.get(&c.seq).map(|m| (m.0, m.1.as_str()));
                        if better(score, my_id, held) && better(score, my_id, pending) {
                            moves.insert(c.seq, (score, my_id.to_string(), own[i].clone()));
                        }
                    }
                }
            }
        }
        if let Some((score, id, story)) = best {
            unions.join(&own[i], &story);
            anchors.push((members[i].0, score, id));
        }
    }
    for (seq, score, id) in anchors {
        set_anchor(conn, seq, score, &id)?;
    }

    // Join the matched stories, move the vague events that found a better
    // anchor, then name every story touched by its smallest event id and
    // sum it up again.
    let mut touched: FxHashSet<String> = own.iter().map(|s| unions.find(s)).collect();
    let names: Vec<String> = unions.0.keys().cloned().collect();
    for s in names {
        let root = unions.find(&s);
        if root != s {
            conn.prepare_cached("UPDATE story_events SET story = ?1 WHERE story = ?2")?
                .execute(params![root, s])?;
            conn.prepare_cached("DELETE FROM stories WHERE id = ?1")?
                .execute(params![s])?;
        }
        touched.insert(root);
    }
    for (seq, (score, id, story)) in moves {
        let target = unions.find(&story);
        let old: String = conn
            .prepare_cached("SELECT story FROM story_events WHERE event_seq = ?1")?
            .query_row(params![seq], |r| r.get(0))?;
        set_anchor(conn, seq, score, &id)?;
        if old != target {
            conn.prepare_cached("UPDATE story_events SET story = ?1 WHERE event_seq = ?2")?
                .execute(params![target, seq])?;
            touched.insert(old);
            touched.insert(target);
        }
    }
    settle(conn, touched)
}

/// Takes a stored article's events out of their stories before the
/// article is replaced (a feed item or file whose text changed): the
/// stories it was in are summed up again without it, and vanish when it
/// was their only source. Stories that it had joined stay joined.
pub fn forget_article(conn: &Connection, article_id: &str) -> Result<(), StoreError> {
    let stories: Vec<String> = conn
        .prepare_cached("SELECT DISTINCT story FROM story_events WHERE article = ?1")?
        .query_map(params![article_id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    conn.prepare_cached("DELETE FROM story_events WHERE article = ?1")?
        .execute(params![article_id])?;
    for s in stories {
        refresh_story(conn, &s)?;
    }
    Ok(())
}

/// A candidate found through the index, with what choosing anchors needs.
struct Candidate {
    seq: i64,
    story: String,
    anchor: Option<String>,
    anchor_score: Option<f32>,
    /// `stated` is true until `Stored::stated` says otherwise.
    features: Features,
}

/// What the merge reads of a candidate from the events table, only when
/// it needs it.
struct Stored<'c> {
    id: rusqlite::CachedStatement<'c>,
    stated: rusqlite::CachedStatement<'c>,
}

impl<'c> Stored<'c> {
    fn new(conn: &'c Connection) -> Result<Self, StoreError> {
        Ok(Stored {
            id: conn.prepare_cached("SELECT id FROM events WHERE seq = ?1")?,
            stated: conn
                .prepare_cached("SELECT date_phrase IS NOT NULL FROM events WHERE seq = ?1")?,
        })
    }

    /// The event's id.
    fn id(&mut self, seq: i64) -> Result<String, StoreError> {
        Ok(self.id.query_row(params![seq], |r| r.get(0))?)
    }

    /// Does the event's sentence name its own date (`Features::stated`)?
    fn stated(&mut self, seq: i64) -> Result<bool, StoreError> {
        Ok(self.stated.query_row(params![seq], |r| r.get(0))?)
    }
}

/// Is a match of `score` with event `id` better than `held` (score, id)?
/// The higher score wins, then the smaller id, so the choice does not
/// depend on which came first.
fn better(score: f32, id: &str, held: Option<(f32, &str)>) -> bool {
    match held {
        None => true,
        Some((s, h)) => score > s || (score == s && id < h),
    }
}

fn set_anchor(conn: &Connection, seq: i64, score: f32, id: &str) -> Result<(), StoreError> {
    conn.prepare_cached(
        "UPDATE story_events SET anchor = ?2, anchor_score = ?3 WHERE event_seq = ?1",
    )?
    .execute(params![seq, id, score])?;
    Ok(())
}

/// Renames each of `stories` to `s` + its smallest event id where that
/// changed (an event joined or left; two stories may swap names, hence the
/// detour through temporary names), drops the empty ones, and sums each
/// up again: its events are read once for both.
fn settle(conn: &Connection, stories: FxHashSet<String>) -> Result<(), StoreError> {
    let mut renames = Vec::new();
    let mut named = Vec::new();
    for s in stories {
        let members = story_members(conn, &s)?;
        let Some(min) = members.iter().map(|(_, m)| m.event_id.as_str()).min() else {
            conn.prepare_cached("DELETE FROM stories WHERE id = ?1")?
                .execute(params![s])?;
            continue;
        };
        let name = story_id(min);
        if name != s {
            conn.prepare_cached("DELETE FROM stories WHERE id = ?1")?
                .execute(params![s])?;
            renames.push((s, name.clone()));
        }
        named.push((name, members));
    }
    let mut relabel = conn.prepare_cached("UPDATE story_events SET story = ?1 WHERE story = ?2")?;
    for (old, _) in &renames {
        relabel.execute(params![format!("\u{1f}{old}"), old])?;
    }
    for (old, new) in &renames {
        relabel.execute(params![new, format!("\u{1f}{old}")])?;
    }
    for (name, members) in &named {
        sum_up(conn, name, members)?;
    }
    Ok(())
}

fn story_members(conn: &Connection, id: &str) -> Result<Vec<(i64, Member)>, StoreError> {
    load_members(
        conn,
        "WHERE e.seq IN (SELECT event_seq FROM story_events WHERE story = ?1)",
        params![id],
    )
}

/// Rewrites a story's summary row from its events.
fn refresh_story(conn: &Connection, id: &str) -> Result<(), StoreError> {
    sum_up(conn, id, &story_members(conn, id)?)
}

/// Writes story `id`'s row from `members`, all its events; none drops it.
fn sum_up(conn: &Connection, id: &str, members: &[(i64, Member)]) -> Result<(), StoreError> {
    let refs: Vec<&Member> = members.iter().map(|(_, m)| m).collect();
    if refs.is_empty() {
        conn.prepare_cached("DELETE FROM stories WHERE id = ?1")?
            .execute(params![id])?;
        return Ok(());
    }
    let quotes = crate::store::stories::story_quote_field(conn, id)?;
    put_summary(conn, &summarize(id, &refs), &quotes)
}

/// Writes a story's row: its summary, and its quotes as its search field
/// (`quotes`, kept here so that the browser's load never reads the
/// events for them).
fn put_summary(conn: &Connection, s: &super::Summary, quotes: &str) -> Result<(), StoreError> {
    let join = |v: &[(String, usize)]| {
        v.iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>()
            .join("\u{1f}")
    };
    conn.prepare_cached(
        "INSERT OR REPLACE INTO stories (id, date_value, date_key, disagreement, kind, summary, \
         sources, events, officials, countries, quote_text) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        s.id,
        s.date_value,
        s.date_key,
        s.disagreement,
        s.kind.as_str(),
        s.summary,
        s.sources as i64,
        s.events as i64,
        join(&s.officials),
        join(&s.countries),
        quotes
    ])?;
    Ok(())
}

/// What `rebuild` did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RebuildStats {
    pub events: usize,
    pub stories: usize,
}

/// The stages `rebuild` reports progress for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Reading,
    Comparing,
    Writing,
}

/// Makes every story again from the stored events, in one transaction:
/// all events are read, compared through an in-memory form of the same
/// index, grouped, and written back. `progress(stage, done, total)` is
/// called now and then.
///
/// Foreign keys are checked row by row and the rebuild writes back only
/// events it has just read, so it turns them off while it runs (SQLite
/// allows that only outside a transaction), with a bigger page cache for
/// the tables it rewrites; both are put back afterwards, also on error.
pub fn rebuild(
    conn: &mut Connection,
    progress: &mut dyn FnMut(Stage, u64, u64),
) -> Result<RebuildStats, StoreError> {
    let fk: bool = conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
    let cache: i64 = conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
    conn.pragma_update(None, "foreign_keys", false)?;
    conn.pragma_update(None, "cache_size", REBUILD_CACHE_KIB)?;
    let out = rebuild_in(conn, progress);
    let fk_back = conn.pragma_update(None, "foreign_keys", fk);
    let cache_back = conn.pragma_update(None, "cache_size", cache);
    let stats = out?;
    fk_back?;
    cache_back?;
    Ok(stats)
}

/// The page cache while rebuilding: 256 MiB (negative: KiB, SQLite's way).
const REBUILD_CACHE_KIB: i64 = -262_144;

/// The story indexes of schema v4, dropped while a rebuild writes the
/// tables (building an index once from sorted rows is much cheaper than
/// keeping it up to date through a million random inserts) and made again
/// before it commits; the trigger that deletes an event's index keys
/// (`schema::STORY_KEYS_TRIGGER`) is dropped with them, so that emptying
/// the tables stays one quick delete.
const STORY_INDEXES: &str = "
CREATE INDEX story_events_story ON story_events(story);
CREATE INDEX story_events_article ON story_events(article);
CREATE INDEX stories_date ON stories(date_key, id);
";

const DROP_STORY_INDEXES: &str = "
DROP TRIGGER IF EXISTS story_keys_drop;
DROP INDEX IF EXISTS story_events_story;
DROP INDEX IF EXISTS story_events_article;
DROP INDEX IF EXISTS stories_date;
";

/// Every stored event as the story code reads it, in store order: one
/// scan of the events with their own lists of officials and countries
/// (schema 10), the officials' names from one scan of their table. When
/// the store is a file, the second half of the events is read on a second
/// connection and thread; the caller's transaction is a write transaction
/// already (`rebuild_in`), so no other writer commits between the two.
fn read_all(
    conn: &Connection,
    progress: &mut dyn FnMut(Stage, u64, u64),
) -> Result<Vec<(i64, Member)>, StoreError> {
    let total: i64 = conn.query_row("SELECT count(*) FROM events", [], |r| r.get(0))?;
    progress(Stage::Reading, 0, total as u64);
    let names: FxHashMap<i64, String> = conn
        .prepare("SELECT id, name FROM officials")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let second = conn
        .path()
        .filter(|p| !p.is_empty())
        .and_then(|p| {
            let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
                | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
            Connection::open_with_flags(p, flags).ok()
        })
        .filter(|c| c.busy_timeout(std::time::Duration::from_secs(5)).is_ok());
    let mid: Option<i64> = match &second {
        Some(_) if total >= 2 => conn
            .query_row(
                "SELECT seq FROM events ORDER BY seq LIMIT 1 OFFSET ?1",
                [total / 2],
                |r| r.get(0),
            )
            .optional()?,
        _ => None,
    };
    let names = &names;
    // The first half gets room for both: the second is appended to it.
    let half = (total.max(0) as usize).div_ceil(2);
    let members = match (second, mid) {
        (Some(other), Some(mid)) => std::thread::scope(|s| -> Result<_, StoreError> {
            let later = s.spawn(move || read_seqs(&other, names, mid, i64::MAX, half, &mut |_| {}));
            let mut first = read_seqs(conn, names, i64::MIN, mid, total as usize, &mut |done| {
                // The other half goes at about the same pace.
                progress(
                    Stage::Reading,
                    (done * 2).min(total as usize) as u64,
                    total as u64,
                )
            })?;
            let later = later
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e))?;
            first.extend(later);
            Ok(first)
        })?,
        _ => read_seqs(
            conn,
            names,
            i64::MIN,
            i64::MAX,
            total as usize,
            &mut |done| progress(Stage::Reading, done as u64, total as u64),
        )?,
    };
    progress(Stage::Reading, members.len() as u64, members.len() as u64);
    Ok(members)
}

/// The events with `from <= seq < to`, in store order, their officials
/// named from `names` (room made for `cap` of them); `tick` is told how
/// many were read every 50,000.
fn read_seqs(
    conn: &Connection,
    names: &FxHashMap<i64, String>,
    from: i64,
    to: i64,
    cap: usize,
    tick: &mut dyn FnMut(usize),
) -> Result<Vec<(i64, Member)>, StoreError> {
    let mut members: Vec<(i64, Member)> = Vec::with_capacity(cap);
    let mut stmt = conn.prepare(&format!(
        "{MEMBER_SELECT} WHERE e.seq >= ?1 AND e.seq < ?2 ORDER BY e.seq"
    ))?;
    let mut rows = stmt.query(params![from, to])?;
    while let Some(r) = rows.next()? {
        let (seq, mut m, ids) = member_from_row(r)?;
        m.officials = ids.iter().filter_map(|id| names.get(id).cloned()).collect();
        members.push((seq, m));
        if members.len() % 50_000 == 0 {
            tick(members.len());
        }
    }
    Ok(members)
}

/// `Member::features` of every member, on two threads.
fn all_features(members: &[(i64, Member)]) -> Vec<Features> {
    let half = members.len() / 2;
    let (a, b) = members.split_at(half);
    let (mut first, second) = std::thread::scope(|s| {
        let other = s.spawn(|| b.iter().map(|(_, m)| m.features()).collect::<Vec<_>>());
        let first: Vec<Features> = a.iter().map(|(_, m)| m.features()).collect();
        let second = other
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        (first, second)
    });
    first.extend(second);
    first
}

fn rebuild_in(
    conn: &mut Connection,
    progress: &mut dyn FnMut(Stage, u64, u64),
) -> Result<RebuildStats, StoreError> {
    // Immediate: the write lock from the start, so that `read_all`'s second
    // connection reads the same store as this transaction.
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let mut members = read_all(&tx, progress)?;
    // In the order of their first day (store order within a day) rather
    // than store order: an event is compared with events of its own and
    // the next few days, which then lie together in memory, their
    // features' lists too, as `all_features` makes them in this order (at
    // 1M events, in store order, two cache misses for each comparison
    // were most of the grouping's time). The stories do not depend on the
    // order events are compared in (the merge's order-independence).
    members.sort_by_cached_key(|(seq, m)| {
        let day = super::similarity::date_span(&m.date_value).map_or(i32::MAX, |s| s.0);
        (day, *seq)
    });
    let n = members.len();
    let feats = all_features(&members);

    let ids: Vec<&str> = members.iter().map(|(_, m)| m.event_id.as_str()).collect();
    let (parent, anchors) = group(&feats, &ids, &mut |done| {
        progress(Stage::Comparing, done as u64, n as u64)
    });

    // Name each group by its smallest event id.
    let mut name: Vec<u32> = (0..n as u32).collect();
    for i in 0..n {
        let r = parent[i] as usize;
        if members[i].1.event_id < members[name[r] as usize].1.event_id {
            name[r] = i as u32;
        }
    }
    let mut groups: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    for (i, &r) in parent.iter().enumerate() {
        groups.entry(r).or_default().push(i as u32);
    }
    // Each story's members in store order, as the merge reads them.
    for list in groups.values_mut() {
        list.sort_unstable_by_key(|&i| members[i as usize].0);
    }
    let story_of = |i: usize| story_id(&members[name[parent[i] as usize] as usize].1.event_id);
    let mut anchor_of: FxHashMap<u32, (f32, &str)> = FxHashMap::default();
    for a in &anchors {
        anchor_of.insert(a.event, (a.score, ids[a.anchor as usize]));
    }

    let mut order: Vec<(String, &Vec<u32>)> = groups
        .iter()
        .map(|(root, list)| {
            (
                story_id(&members[name[*root as usize] as usize].1.event_id),
                list,
            )
        })
        .collect();
    order.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    // The stories are summed up on a second thread while this one writes
    // the index rows.
    let summed = std::thread::scope(|s| -> Result<Vec<super::Summary>, StoreError> {
        let sums = s.spawn(|| {
            order
                .iter()
                .map(|(id, list)| {
                    let refs: Vec<&Member> = list.iter().map(|&i| &members[i as usize].1).collect();
                    summarize(id, &refs)
                })
                .collect::<Vec<_>>()
        });
        write_index_rows(&tx, &members, &feats, &story_of, &anchor_of, progress)?;
        Ok(sums.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
    })?;
    progress(Stage::Writing, (n * 3 / 4) as u64, n as u64);
    // Each story's quotes field, from the story_events just written.
    let quotes = crate::store::stories::story_quote_fields(&tx)?;
    for sum in &summed {
        let q = quotes.get(&sum.id).map_or("", String::as_str);
        put_summary(&tx, sum, q)?;
    }
    tx.execute_batch(STORY_INDEXES)?;
    tx.execute_batch(crate::store::schema::STORY_KEYS_TRIGGER)?;
    progress(Stage::Writing, n as u64, n as u64);
    tx.commit()?;
    Ok(RebuildStats {
        events: n,
        stories: groups.len(),
    })
}

/// Writes every event's story row and index keys, each table in the order
/// of its key, into tables without their indexes, which are made again at
/// the end.
fn write_index_rows(
    tx: &Connection,
    members: &[(i64, Member)],
    feats: &[Features],
    story_of: &dyn Fn(usize) -> String,
    anchor_of: &FxHashMap<u32, (f32, &str)>,
    progress: &mut dyn FnMut(Stage, u64, u64),
) -> Result<(), StoreError> {
    let n = members.len();
    tx.execute_batch(DROP_STORY_INDEXES)?;
    tx.execute_batch("DELETE FROM story_keys; DELETE FROM story_events; DELETE FROM stories;")?;
    progress(Stage::Writing, 0, n as u64);
    {
        let mut put = tx.prepare(
            "INSERT INTO story_events (event_seq, story, article, kind, lo, hi, officials, \
             countries, words, future, anchor, anchor_score) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )?;
        // In the table's key order (the members are in day order).
        let mut by_seq: Vec<usize> = (0..n).collect();
        by_seq.sort_unstable_by_key(|&i| members[i].0);
        for (done, i) in by_seq.into_iter().enumerate() {
            let (seq, f) = (members[i].0, &feats[i]);
            let anchor = anchor_of.get(&(i as u32));
            put.execute(params![
                seq,
                story_of(i),
                f.article,
                f.kind.as_str(),
                f.span.map(|s| s.0),
                f.span.map(|s| s.1),
                f.officials.join(" "),
                f.countries.join(" "),
                words_blob(&f.words),
                f.future,
                anchor.map(|a| a.1),
                anchor.map(|a| a.0),
            ])?;
            if done % 50_000 == 0 {
                progress(Stage::Writing, (done / 2) as u64, n as u64);
            }
        }
    }
    {
        // (key, first day, event), sorted as the table's primary key.
        let mut names: FxHashMap<Key, u32> = FxHashMap::default();
        let mut rows: Vec<(u32, i32, u32)> = Vec::with_capacity(n * 5);
        for (i, f) in feats.iter().enumerate() {
            let Some((lo, _)) = f.span else { continue };
            for k in stored_keys(f) {
                let next = names.len() as u32;
                let id = *names.entry(k).or_insert(next);
                rows.push((id, lo, i as u32));
            }
        }
        let mut sorted: Vec<(String, u32)> =
            names.into_iter().map(|(k, id)| (k.text(), id)).collect();
        sorted.sort_unstable();
        let mut rank = vec![0u32; sorted.len()];
        for (r, (_, id)) in sorted.iter().enumerate() {
            rank[*id as usize] = r as u32;
        }
        for row in rows.iter_mut() {
            row.0 = rank[row.0 as usize];
        }
        rows.sort_unstable_by_key(|&(k, lo, i)| (k, lo, members[i as usize].0));
        let mut put = tx
            .prepare("INSERT OR IGNORE INTO story_keys (key, lo, event_seq) VALUES (?1, ?2, ?3)")?;
        for (k, lo, i) in rows {
            put.execute(params![sorted[k as usize].0, lo, members[i as usize].0])?;
        }
    }
    Ok(())
}

/// A vague-dated event and the exact one it hangs on to.
#[derive(Clone, Copy, Debug)]
pub struct Anchor {
    pub event: u32,
    pub anchor: u32,
    pub score: f32,
}

/// Groups events (union-find roots, one per event) by the pairwise test,
/// comparing each event with those its keys find near its date: the
/// in-memory twin of `assign_article`'s index look-ups (`lookups`), with
/// the events in any order (the rebuild gives them by day): as in the
/// store, an event is compared with the events before it, whose own
/// look-ups find whatever could match them from either side. Two threads
/// share the comparisons.
pub fn group(
    feats: &[Features],
    ids: &[&str],
    progress: &mut dyn FnMut(usize),
) -> (Vec<u32>, Vec<Anchor>) {
    let n = feats.len();
    // Keys become numbers; the index holds the exact-dated events only, as
    // sorted (key, day, event): `lookups` without its `v` keys.
    let mut key_ids: FxHashMap<Key, u32> = FxHashMap::default();
    let mut index: Vec<(u32, i32, u32)> = Vec::with_capacity(n * 5);
    let mut by_article: FxHashMap<&str, Vec<u32>> = FxHashMap::default();
    for (i, f) in feats.iter().enumerate() {
        by_article.entry(&f.article).or_default().push(i as u32);
        let Some((lo, _)) = f.span else { continue };
        if f.is_vague() {
            continue;
        }
        for k in stored_keys(f) {
            let next = key_ids.len() as u32;
            let id = *key_ids.entry(k).or_insert(next);
            index.push((id, lo, i as u32));
        }
    }
    index.sort_unstable();
    // Where each key's rows start in the index: a look-up searches its
    // key's rows alone, not the whole index (five rows an event).
    let mut key_start: Vec<u32> = vec![0; key_ids.len() + 1];
    for &(k, _, _) in &index {
        key_start[k as usize + 1] += 1;
    }
    for k in 1..key_start.len() {
        key_start[k] += key_start[k - 1];
    }
    let article_of = |i: usize| -> Vec<&Features> {
        by_article
            .get(feats[i].article.as_str())
            .map(|v| v.iter().map(|&j| &feats[j as usize]).collect())
            .unwrap_or_default()
    };
    type Found = (Vec<(u32, u32)>, Vec<Anchor>);
    // Progress is counted in steps of this many events per thread.
    const STEP: usize = 10_000;
    let edges_for = |events: std::iter::StepBy<std::ops::Range<usize>>, tick: &dyn Fn()| -> Found {
        let mut edges = Vec::new();
        let mut anchors = Vec::new();
        let mut seen: FxHashSet<u32> = FxHashSet::default();
        for (k, i) in events.enumerate() {
            if k % STEP == STEP - 1 {
                tick();
            }
            let f = &feats[i];
            let Some(span) = f.span else { continue };
            let vague = f.is_vague();
            seen.clear();
            // A vague event's best exact match: (score, id, event).
            let mut best: Option<(f32, &str, u32)> = None;
            for look in lookups(f, span) {
                if look.key.vague {
                    continue;
                }
                let Some(&key) = key_ids.get(&look.key) else {
                    continue;
                };
                let (from, to) = (look.from, look.to);
                let rows =
                    &index[key_start[key as usize] as usize..key_start[key as usize + 1] as usize];
                let start = rows.partition_point(|&(_, d, _)| d < from);
                let mut read = 0;
                for &(_, d, j) in &rows[start..] {
                    if d > to {
                        break;
                    }
                    // Exact pairs once, from the later event (as the store
                    // finds the earlier one from the later); a vague event
                    // looks at every exact one.
                    if !vague && j as usize >= i {
                        continue;
                    }
                    read += 1;
                    if read > MAX_CANDIDATES_PER_KEY {
                        break;
                    }
                    if j as usize == i || !seen.insert(j) {
                        continue;
                    }
                    let g = &feats[j as usize];
                    let score = match_score(f, g, || {
                        both_days_reported(f, g, &article_of(i), &article_of(j as usize))
                    });
                    let Some(score) = score else { continue };
                    if vague {
                        let id = ids[j as usize];
                        if better(score, id, best.map(|b| (b.0, b.1))) {
                            best = Some((score, id, j));
                        }
                    } else {
                        edges.push((i as u32, j));
                    }
                }
            }
            if let Some((score, _, j)) = best {
                edges.push((i as u32, j));
                anchors.push(Anchor {
                    event: i as u32,
                    anchor: j,
                    score,
                });
            }
        }
        (edges, anchors)
    };
    let done = std::sync::atomic::AtomicUsize::new(0);
    let step = || {
        done.fetch_add(STEP, std::sync::atomic::Ordering::Relaxed);
    };
    let progress = std::cell::RefCell::new(progress);
    let report = || {
        step();
        let d = done.load(std::sync::atomic::Ordering::Relaxed).min(n);
        (progress.borrow_mut())(d);
    };
    // Every other event to each thread: an event compares itself with the
    // events stored before it, so a later one has more to do, and halves
    // of the store order would leave one thread most of the work.
    let ((mut edges, mut anchors), (more, more_anchors)) = std::thread::scope(|s| {
        let second = s.spawn(|| edges_for((1..n).step_by(2), &step));
        let first = edges_for((0..n).step_by(2), &report);
        let more = second
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        (first, more)
    });
    let progress = progress.into_inner();
    edges.extend(more);
    anchors.extend(more_anchors);

    let mut parent: Vec<u32> = (0..n as u32).collect();
    fn root(p: &mut [u32], mut x: u32) -> u32 {
        while p[x as usize] != x {
            let up = p[p[x as usize] as usize];
            p[x as usize] = up;
            x = up;
        }
        x
    }
    for (a, b) in edges {
        let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
        if ra != rb {
            parent[ra.max(rb) as usize] = ra.min(rb);
        }
    }
    for i in 0..n as u32 {
        let r = root(&mut parent, i);
        parent[i as usize] = r;
    }
    progress(n);
    (parent, anchors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A store's story tables in memory, foreign keys off: the events the
    /// rows would belong to are not needed.
    fn tables() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::store::schema::migrate(&mut conn).unwrap();
        conn.pragma_update(None, "foreign_keys", false).unwrap();
        conn
    }

    fn keys(conn: &Connection) -> Vec<(String, i32, i64)> {
        conn.prepare("SELECT key, lo, event_seq FROM story_keys ORDER BY 1, 2, 3")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    fn expected(events: &[(i64, Features)]) -> Vec<(String, i32, i64)> {
        let mut out: Vec<(String, i32, i64)> = events
            .iter()
            .filter_map(|(seq, f)| f.span.map(|s| (seq, f, s.0)))
            .flat_map(|(seq, f, lo)| {
                stored_keys(f)
                    .into_iter()
                    .map(move |k| (k.text(), lo, *seq))
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }

    fn features() -> impl Strategy<Value = Features> {
        let word = prop::collection::vec(
            prop::sample::select(vec!['a', 'k', 'z', '7', 'é', 'ø', 'ж']),
            1..6,
        )
        .prop_map(|c| c.into_iter().collect::<String>());
        let code = prop::sample::select(vec!["US", "KP", "FR", "IE"]).prop_map(str::to_string);
        let span = prop_oneof![
            Just(None),
            (738_000i32..738_003).prop_map(|d| Some((d, d))),
            (738_000i32..738_003).prop_map(|d| Some((d, d + 30))),
        ];
        (
            prop::sample::select(vec!["a1", "a2", "gen0000280defe00000"]),
            span,
            prop::collection::btree_set(word, 0..3),
            prop::collection::btree_set(code, 0..3),
        )
            .prop_map(|(article, span, officials, countries)| Features {
                article: article.to_string(),
                kind: EventKind::Other,
                span,
                officials: officials.into_iter().collect(),
                countries: countries.into_iter().collect(),
                words: vec![1, 2, 3],
                future: false,
                stated: true,
            })
    }

    /// A list that is not what the trigger expects (a quote in a key,
    /// from a store edited by hand) does not make the delete fail.
    #[test]
    fn a_row_with_an_odd_list_is_still_deleted() {
        let conn = tables();
        conn.execute(
            "INSERT INTO story_events (event_seq, story, article, kind, lo, hi, officials, \
             countries, words, future) VALUES (1, 's', 'a1', 'other', 5, 5, 'x\"y z\\', 'US', x'', 0)",
            [],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO story_keys VALUES ('a:a1', 5, 1), ('c:US', 5, 1)",
            [],
        )
        .unwrap();
        conn.execute("DELETE FROM story_events WHERE event_seq = 1", [])
            .unwrap();
        assert_eq!(keys(&conn), vec![]);
    }

    proptest! {
        /// The trigger that deletes a story event's index keys with its
        /// row (`schema::STORY_KEYS_TRIGGER`) deletes exactly the keys
        /// `stored_keys` wrote for it, whoever else shares a key and day.
        #[test]
        fn deleting_a_row_deletes_exactly_its_keys(
            events in prop::collection::vec(features(), 1..8),
            gone in any::<prop::sample::Index>(),
        ) {
            let conn = tables();
            let mut events: Vec<(i64, Features)> =
                events.into_iter().enumerate().map(|(i, f)| (i as i64 + 1, f)).collect();
            for (seq, f) in &events {
                put_event(&conn, *seq, "s", f).unwrap();
            }
            prop_assert_eq!(keys(&conn), expected(&events));
            let (seq, _) = events.remove(gone.index(events.len()));
            conn.execute("DELETE FROM story_events WHERE event_seq = ?1", [seq]).unwrap();
            prop_assert_eq!(keys(&conn), expected(&events));
            // Placing an event again with other features leaves none of
            // its old keys behind.
            if let Some((seq, f)) = events.first_mut() {
                f.countries = Keys::new(vec!["NZ".to_string()]);
                f.officials = Keys::default();
                put_event(&conn, *seq, "s", f).unwrap();
                prop_assert_eq!(keys(&conn), expected(&events));
            }
        }
    }
}
