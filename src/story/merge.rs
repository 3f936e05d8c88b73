//! Keeping stories in the store: each new article's events join the
//! stories they match (found through the `story_keys` index of officials
//! and countries by day, never by a scan), and `rebuild` makes them all
//! again in memory after a rules change.
//!
//! Both paths use the same pairwise test and the same candidate window, and
//! a story is a connected group of events under that test with the smallest
//! event id as its name, so the stories are the same whichever way, and in
//! whichever order, the articles came in.

use rusqlite::{params, Connection};
use rustc_hash::{FxHashMap, FxHashSet};

use super::similarity::{match_score, reports_day, Features, MAX_VAGUE_DAYS};
use super::{story_id, summarize, Member};
use crate::model::EventKind;
use crate::store::StoreError;

const SEP: char = '\u{1f}';

/// The event columns the story code reads, in `member_from_row` order.
const MEMBER_SELECT: &str = "SELECT e.seq, e.id, e.article_id, a.published, e.kind, \
     e.date_value, e.date_phrase, e.summary, \
     (SELECT group_concat(name, char(31)) FROM \
        (SELECT o.name FROM event_officials eo JOIN officials o ON o.id = eo.official_id \
         WHERE eo.event_seq = e.seq ORDER BY eo.pos)), \
     (SELECT group_concat(country, char(31)) FROM \
        (SELECT country FROM event_countries WHERE event_seq = e.seq ORDER BY pos)) \
     FROM events e JOIN articles a ON a.id = e.article_id";

fn split(s: Option<String>) -> Vec<String> {
    s.map(|s| s.split(SEP).map(str::to_string).collect())
        .unwrap_or_default()
}

fn member_from_row(r: &rusqlite::Row) -> rusqlite::Result<(i64, Member)> {
    let kind: String = r.get(4)?;
    Ok((
        r.get(0)?,
        Member {
            event_id: r.get(1)?,
            article: r.get(2)?,
            published: r.get(3)?,
            kind: EventKind::parse(&kind).unwrap_or(EventKind::Other),
            date_value: r.get(5)?,
            date_phrase: r.get(6)?,
            summary: r.get(7)?,
            officials: split(r.get(8)?),
            countries: split(r.get(9)?),
        },
    ))
}

/// The stored events selected by `clause` (a WHERE clause over `e`).
pub(crate) fn load_members(
    conn: &Connection,
    clause: &str,
    args: impl rusqlite::Params,
) -> Result<Vec<(i64, Member)>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("{MEMBER_SELECT} {clause}"))?;
    let rows = stmt.query_map(args, member_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn words_blob(words: &[u32]) -> Vec<u8> {
    words.iter().flat_map(|w| w.to_le_bytes()).collect()
}

fn words_from_blob(b: &[u8]) -> Vec<u32> {
    b.chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

/// The index keys of an event: its officials, its countries, and its
/// article (a headline that names nobody still finds its own lead). A
/// vague-dated event's keys start with `v`, so that a look-up for exact
/// days never reads through the month of vague events before them.
fn stored_keys(f: &Features) -> impl Iterator<Item = String> + '_ {
    let v = if f.is_vague() { "v" } else { "" };
    keys(f).map(move |k| format!("{v}{k}"))
}

/// An event's keys without the `v` of vague dates.
fn keys(f: &Features) -> impl Iterator<Item = String> + '_ {
    f.officials
        .iter()
        .map(|o| format!("o:{o}"))
        .chain(f.countries.iter().map(|c| format!("c:{c}")))
        .chain(std::iter::once(format!("a:{}", f.article)))
}

/// The most index rows one key's look-up reads for one event, in (first
/// day, store order): a guard that keeps the work per event bounded
/// however many events share a key and a day. Far above what real or
/// generated news reaches (see `benches/stories.rs`); only where it binds
/// can the grouping depend on the order events were stored in.
pub const MAX_CANDIDATES_PER_KEY: usize = 1000;

/// Where an event's candidates are, for one of its keys `k` (an exact
/// key, without the `v`): (key, first days from, to, last day at least).
/// An exact day meets the exact days beside it and the vague dates that
/// hold it; a vague date meets only the exact days it holds (two vague
/// dates never match, see `similarity::match_score`).
fn lookups(k: &str, span: (i32, i32), vague: bool) -> Vec<(String, i32, i32, i32)> {
    if vague {
        vec![(k.to_string(), span.0, span.1, span.0)]
    } else {
        let d = span.0;
        vec![
            (k.to_string(), d - 1, d + 1, d - 1),
            (format!("v{k}"), d - MAX_VAGUE_DAYS, d, d),
        ]
    }
}

fn put_event(conn: &Connection, seq: i64, story: &str, f: &Features) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO story_events \
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
            stmt.execute(params![k, lo, seq])?;
        }
    }
    Ok(())
}

fn features_from_row(r: &rusqlite::Row, first: usize) -> rusqlite::Result<Features> {
    let kind: String = r.get(first + 1)?;
    let lo: Option<i32> = r.get(first + 2)?;
    let hi: Option<i32> = r.get(first + 3)?;
    let officials: String = r.get(first + 4)?;
    let countries: String = r.get(first + 5)?;
    let words: Vec<u8> = r.get(first + 6)?;
    let list = |s: &str| -> Vec<String> {
        s.split(' ')
            .filter(|x| !x.is_empty())
            .map(str::to_string)
            .collect()
    };
    Ok(Features {
        article: r.get(first)?,
        kind: EventKind::parse(&kind).unwrap_or(EventKind::Other),
        span: lo.zip(hi),
        officials: list(&officials),
        countries: list(&countries),
        words: words_from_blob(&words),
        future: r.get(first + 7)?,
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
        let rows = stmt.query_map(params![article], |r| features_from_row(r, 0))?;
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
    let mut stmt = conn.prepare_cached(
        "SELECT s.event_seq, s.story, e.id, s.anchor, s.anchor_score, \
         s.article, s.kind, s.lo, s.hi, s.officials, s.countries, s.words, s.future \
         FROM story_keys k JOIN story_events s ON s.event_seq = k.event_seq \
         JOIN events e ON e.seq = s.event_seq \
         WHERE k.key = ?1 AND k.lo BETWEEN ?2 AND ?3 AND s.hi >= ?4 \
         ORDER BY k.lo, k.event_seq LIMIT ?5",
    )?;
    for (i, f) in feats.iter().enumerate() {
        let Some(span) = f.span else { continue };
        let my_id = members[i].1.event_id.as_str();
        let mut seen: FxHashSet<i64> = FxHashSet::default();
        seen.insert(members[i].0);
        // For a vague event: the best exact match, (score, id, story).
        let mut best: Option<(f32, String, String)> = None;
        let places = keys(f).flat_map(|k| lookups(&k, span, f.is_vague()));
        for (k, from, to, min_hi) in places {
            let limit = MAX_CANDIDATES_PER_KEY as i64;
            let rows = stmt.query_map(params![k, from, to, min_hi, limit], |r| {
                Ok(Candidate {
                    seq: r.get(0)?,
                    story: r.get(1)?,
                    event_id: r.get(2)?,
                    anchor: r.get(3)?,
                    anchor_score: r.get(4)?,
                    features: features_from_row(r, 5)?,
                })
            })?;
            for row in rows {
                let c = row?;
                if !seen.insert(c.seq) {
                    continue;
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
                        if better(
                            score,
                            &c.event_id,
                            best.as_ref().map(|b| (b.0, b.1.as_str())),
                        ) {
                            best = Some((score, c.event_id.clone(), c.story.clone()));
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
    for s in name_by_smallest(conn, touched)? {
        refresh_story(conn, &s)?;
    }
    Ok(())
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
    event_id: String,
    anchor: Option<String>,
    anchor_score: Option<f32>,
    features: Features,
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
/// detour through temporary names), drops the empty ones, and returns the
/// names.
fn name_by_smallest(
    conn: &Connection,
    stories: FxHashSet<String>,
) -> Result<Vec<String>, StoreError> {
    let mut renames = Vec::new();
    let mut names = Vec::new();
    for s in stories {
        let min: Option<String> = conn
            .prepare_cached(
                "SELECT min(e.id) FROM story_events se JOIN events e ON e.seq = se.event_seq \
                 WHERE se.story = ?1",
            )?
            .query_row(params![s], |r| r.get(0))?;
        let Some(min) = min else {
            conn.prepare_cached("DELETE FROM stories WHERE id = ?1")?
                .execute(params![s])?;
            continue;
        };
        let name = story_id(&min);
        if name != s {
            conn.prepare_cached("DELETE FROM stories WHERE id = ?1")?
                .execute(params![s])?;
            renames.push((s, name.clone()));
        }
        names.push(name);
    }
    let mut relabel = conn.prepare_cached("UPDATE story_events SET story = ?1 WHERE story = ?2")?;
    for (old, _) in &renames {
        relabel.execute(params![format!("\u{1f}{old}"), old])?;
    }
    for (old, new) in &renames {
        relabel.execute(params![new, format!("\u{1f}{old}")])?;
    }
    Ok(names)
}

/// Rewrites a story's summary row from its events.
fn refresh_story(conn: &Connection, id: &str) -> Result<(), StoreError> {
    let members = load_members(
        conn,
        "WHERE e.seq IN (SELECT event_seq FROM story_events WHERE story = ?1)",
        params![id],
    )?;
    let refs: Vec<&Member> = members.iter().map(|(_, m)| m).collect();
    if refs.is_empty() {
        conn.prepare_cached("DELETE FROM stories WHERE id = ?1")?
            .execute(params![id])?;
        return Ok(());
    }
    put_summary(conn, &summarize(id, &refs))
}

fn put_summary(conn: &Connection, s: &super::Summary) -> Result<(), StoreError> {
    let join = |v: &[(String, usize)]| {
        v.iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>()
            .join("\u{1f}")
    };
    conn.prepare_cached(
        "INSERT OR REPLACE INTO stories (id, date_value, date_key, disagreement, kind, summary, \
         sources, events, officials, countries) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
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
        join(&s.countries)
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
pub fn rebuild(
    conn: &mut Connection,
    progress: &mut dyn FnMut(Stage, u64, u64),
) -> Result<RebuildStats, StoreError> {
    let tx = conn.transaction()?;
    let total: i64 = tx.query_row("SELECT count(*) FROM events", [], |r| r.get(0))?;
    progress(Stage::Reading, 0, total as u64);
    let mut members: Vec<(i64, Member)> = Vec::with_capacity(total.max(0) as usize);
    {
        let mut stmt = tx.prepare(&format!("{MEMBER_SELECT} ORDER BY e.seq"))?;
        let rows = stmt.query_map([], member_from_row)?;
        for row in rows {
            members.push(row?);
            if members.len() % 10_000 == 0 {
                progress(Stage::Reading, members.len() as u64, total as u64);
            }
        }
    }
    let n = members.len();
    progress(Stage::Reading, n as u64, n as u64);
    let feats: Vec<Features> = members.iter().map(|(_, m)| m.features()).collect();

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

    tx.execute_batch("DELETE FROM story_keys; DELETE FROM story_events; DELETE FROM stories;")?;
    let mut written = 0u64;
    for (root, list) in &groups {
        let id = story_id(&members[name[*root as usize] as usize].1.event_id);
        for &i in list {
            put_event(&tx, members[i as usize].0, &id, &feats[i as usize])?;
        }
        let refs: Vec<&Member> = list.iter().map(|&i| &members[i as usize].1).collect();
        put_summary(&tx, &summarize(&id, &refs))?;
        written += list.len() as u64;
        if written % 10_000 < list.len() as u64 {
            progress(Stage::Writing, written, n as u64);
        }
    }
    for a in anchors {
        let (seq, id) = (
            members[a.event as usize].0,
            &members[a.anchor as usize].1.event_id,
        );
        set_anchor(&tx, seq, a.score, id)?;
    }
    progress(Stage::Writing, n as u64, n as u64);
    tx.commit()?;
    Ok(RebuildStats {
        events: n,
        stories: groups.len(),
    })
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
/// in-memory twin of `assign_article`'s index look-ups (`lookups`). Two
/// threads share the comparisons.
pub fn group(
    feats: &[Features],
    ids: &[&str],
    progress: &mut dyn FnMut(usize),
) -> (Vec<u32>, Vec<Anchor>) {
    let n = feats.len();
    // Keys become numbers; the index holds the exact-dated events only, as
    // sorted (key, day, event): an exact day looks up the exact days beside
    // it, a vague date the exact days it holds.
    let mut key_ids: FxHashMap<String, u32> = FxHashMap::default();
    let mut event_keys: Vec<u32> = Vec::with_capacity(n * 5);
    let mut first_key: Vec<u32> = Vec::with_capacity(n + 1);
    let mut index: Vec<(u32, i32, u32)> = Vec::with_capacity(n * 5);
    let mut by_article: FxHashMap<&str, Vec<u32>> = FxHashMap::default();
    for (i, f) in feats.iter().enumerate() {
        first_key.push(event_keys.len() as u32);
        by_article.entry(&f.article).or_default().push(i as u32);
        let Some((lo, _)) = f.span else { continue };
        for k in keys(f) {
            let next = key_ids.len() as u32;
            let id = *key_ids.entry(k).or_insert(next);
            event_keys.push(id);
            if !f.is_vague() {
                index.push((id, lo, i as u32));
            }
        }
    }
    first_key.push(event_keys.len() as u32);
    drop(key_ids);
    index.sort_unstable();
    let article_of = |i: usize| -> Vec<&Features> {
        by_article
            .get(feats[i].article.as_str())
            .map(|v| v.iter().map(|&j| &feats[j as usize]).collect())
            .unwrap_or_default()
    };
    type Found = (Vec<(u32, u32)>, Vec<Anchor>);
    let edges_for = |range: std::ops::Range<usize>, tick: &dyn Fn(usize)| -> Found {
        let mut edges = Vec::new();
        let mut anchors = Vec::new();
        let mut seen: FxHashSet<u32> = FxHashSet::default();
        for i in range {
            if i % 10_000 == 0 {
                tick(i);
            }
            let f = &feats[i];
            let Some(span) = f.span else { continue };
            let vague = f.is_vague();
            let (from, to) = if vague {
                span
            } else {
                (span.0 - 1, span.0 + 1)
            };
            seen.clear();
            // A vague event's best exact match: (score, id, event).
            let mut best: Option<(f32, &str, u32)> = None;
            let own = &event_keys[first_key[i] as usize..first_key[i + 1] as usize];
            for &key in own {
                let start = index.partition_point(|&(k, d, _)| (k, d) < (key, from));
                let mut read = 0;
                for &(k, d, j) in &index[start..] {
                    if k != key || d > to {
                        break;
                    }
                    // Exact pairs once, from the later event (which, in the
                    // store, found the earlier one); a vague event looks at
                    // every exact one.
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
    let step = |_: usize| {
        done.fetch_add(10_000, std::sync::atomic::Ordering::Relaxed);
    };
    let progress = std::cell::RefCell::new(progress);
    let report = |i: usize| {
        step(i);
        let d = done.load(std::sync::atomic::Ordering::Relaxed).min(n);
        (progress.borrow_mut())(d);
    };
    let half = n / 2;
    let ((mut edges, mut anchors), (more, more_anchors)) = std::thread::scope(|s| {
        let second = s.spawn(|| edges_for(half..n, &step));
        let first = edges_for(0..half, &report);
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
