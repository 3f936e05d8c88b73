//! The events the browser holds in memory: a compact row per event (in date
//! order) plus a lower-cased search arena. Loaded on a worker thread with
//! progress; details, quotes' spans and article text stay in SQLite and are
//! fetched by id when an event is opened.

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use crate::model::EventKind;
use crate::store::search;
use crate::store::{Store, StoreError};

pub mod snapshot;

/// One event on the timeline.
#[derive(Clone, Debug)]
pub struct Row {
    pub id: Box<str>,
    /// `YYYY-MM-DD[THH:MM]`, or empty when undated (the sort key).
    pub date: Box<str>,
    /// The date as the parser gave it ("2019", "2019-W18", "2019-SU").
    pub value: Box<str>,
    /// Days since 1970-01-01 (i32::MIN when undated), for the density strip.
    pub day: i32,
    pub approximate: bool,
    pub kind: EventKind,
    pub summary: Box<str>,
    /// Indices into `Data::countries`.
    pub countries: Box<[u16]>,
    /// Indices into `Data::officials`.
    pub officials: Box<[u32]>,
}

/// Per-event search fields, lower-cased, in one arena (the layout is the
/// shared search's: `store::search`).
pub use crate::store::search::{FIELDS, F_COUNTRIES, F_OFFICIALS, F_QUOTES, F_SUMMARY};

#[derive(Debug, Default)]
pub struct Data {
    pub rows: Vec<Row>,
    /// Country codes, by index.
    pub countries: Vec<String>,
    /// Official names (one entry per distinct name), by index.
    pub officials: Vec<String>,
    /// Their other names (aliases from the store), by the same index; may
    /// be shorter than `officials`.
    official_aliases: Vec<Vec<String>>,
    /// The search fields of the rows, in row (date) order so that a
    /// search reads them front to back: `per` rows to each piece (the
    /// load builds the pieces on two threads at once).
    text: Vec<Text>,
    per: usize,
    /// How many rows have a date (they come first).
    pub dated: usize,
}

/// Search fields of events, lower-cased, in one arena: `FIELDS` offsets
/// per event plus one end offset.
#[derive(Debug, Default)]
struct Text {
    arena: String,
    offs: Vec<u32>,
}

impl Text {
    fn with_capacity(events: usize, bytes: usize) -> Text {
        let mut offs = Vec::with_capacity(events * FIELDS + 1);
        offs.push(0);
        Text {
            arena: String::with_capacity(bytes),
            offs,
        }
    }

    /// Appends one event's fields (see `search::push_fields`).
    fn push<'a>(
        &mut self,
        summary: &str,
        officials: impl IntoIterator<Item = &'a str>,
        countries: impl IntoIterator<Item = &'a str>,
        quotes: &str,
    ) {
        // The end offset of the last event is the start of this one.
        self.offs.pop();
        let at = search::push_fields(&mut self.arena, summary, officials, countries, quotes);
        self.offs.extend(at.iter().map(|&a| a as u32));
        self.offs.push(self.arena.len() as u32);
    }

    fn field(&self, k: usize, f: usize) -> &str {
        let j = k * FIELDS + f;
        match (self.offs.get(j), self.offs.get(j + 1)) {
            (Some(&a), Some(&b)) => self.arena.get(a as usize..b as usize).unwrap_or(""),
            _ => "",
        }
    }

    fn event(&self, k: usize) -> &str {
        match (self.offs.get(k * FIELDS), self.offs.get((k + 1) * FIELDS)) {
            (Some(&a), Some(&b)) => self.arena.get(a as usize..b as usize).unwrap_or(""),
            _ => "",
        }
    }
}

/// Strings one after another in one buffer (no allocation per string).
#[derive(Default)]
struct Pieces {
    buf: String,
    /// Where each piece ends.
    ends: Vec<u32>,
}

impl Pieces {
    fn with_capacity(n: usize, bytes: usize) -> Pieces {
        Pieces {
            buf: String::with_capacity(bytes),
            ends: Vec::with_capacity(n),
        }
    }

    fn push(&mut self, s: &str) {
        self.buf.push_str(s);
        self.ends.push(self.buf.len() as u32);
    }

    fn append(&mut self, other: &Pieces) {
        let base = self.buf.len() as u32;
        self.buf.push_str(&other.buf);
        self.ends.extend(other.ends.iter().map(|&e| e + base));
    }

    fn get(&self, k: usize) -> &str {
        let start = match k {
            0 => 0,
            _ => self.ends.get(k - 1).copied().unwrap_or(0),
        };
        let end = self.ends.get(k).copied().unwrap_or(start);
        self.buf.get(start as usize..end as usize).unwrap_or("")
    }
}

impl Data {
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The lower-cased search text of one field of event `i`.
    pub fn field(&self, i: usize, f: usize) -> &str {
        match self.text.get(i / self.per.max(1)) {
            Some(t) => t.field(i % self.per.max(1), f),
            None => "",
        }
    }

    /// All of event `i`'s search fields as one slice (they are adjacent
    /// in the arena): one pass rejects most non-matches.
    pub fn event_text(&self, i: usize) -> &str {
        match self.text.get(i / self.per.max(1)) {
            Some(t) => t.event(i % self.per.max(1)),
            None => "",
        }
    }

    /// The place of event `i` in the newest-first order (undated last):
    /// search ties go by it.
    pub fn newest(&self, i: usize) -> u64 {
        if i < self.dated {
            (self.dated - 1 - i) as u64
        } else {
            i as u64
        }
    }

    pub fn country_code(&self, c: u16) -> &str {
        self.countries.get(c as usize).map_or("", String::as_str)
    }

    pub fn official_name(&self, o: u32) -> &str {
        self.officials.get(o as usize).map_or("", String::as_str)
    }

    /// The other names official `o` goes by (none when the store knows none).
    pub fn official_aliases(&self, o: u32) -> &[String] {
        self.official_aliases
            .get(o as usize)
            .map_or(&[], Vec::as_slice)
    }

    /// Builds from plain rows (tests, benches); quotes per row are optional.
    pub fn from_rows(rows: Vec<crate::store::TimelineRow>, quotes: &[Vec<String>]) -> Data {
        Data::from_rows_aliased(rows, quotes, &HashMap::new())
    }

    /// `from_rows` with the officials' other names (by official name), so
    /// that the picker and the search find a person under any of them.
    pub fn from_rows_aliased(
        rows: Vec<crate::store::TimelineRow>,
        quotes: &[Vec<String>],
        aliases: &HashMap<String, Vec<String>>,
    ) -> Data {
        let fields = (0..rows.len())
            .map(|i| {
                quotes
                    .get(i)
                    .map(|q| search::quotes_field(q.iter().map(String::as_str)))
                    .unwrap_or_default()
            })
            .collect();
        Data::from_rows_fields(rows, fields, aliases)
    }

    /// `from_rows_aliased` with each row's quotes already made into its
    /// search field (`search::quotes_field`), by row.
    pub fn from_rows_fields(
        rows: Vec<crate::store::TimelineRow>,
        mut fields: Vec<String>,
        aliases: &HashMap<String, Vec<String>>,
    ) -> Data {
        let mut names = Names::default();
        let mut rows: Vec<_> = rows.into_iter().enumerate().collect();
        rows.sort_by(|a, b| {
            timeline_order((&a.1.date_key, a.0 as i64), (&b.1.date_key, b.0 as i64))
        });
        let mut built = Vec::with_capacity(rows.len());
        let mut row_quotes = Vec::with_capacity(rows.len());
        for (i, r) in rows {
            let c: Vec<u16> = r.countries.iter().map(|c| names.country(c)).collect();
            let o: Vec<u32> = r.officials.iter().map(|o| names.official(o)).collect();
            built.push(Row {
                id: r.id.into(),
                day: day_number(&r.date_key),
                date: r.date_key.into(),
                value: r.date_value.into(),
                approximate: r.approximate,
                kind: r.kind,
                summary: clean(&r.summary),
                countries: c.into(),
                officials: o.into(),
            });
            row_quotes.push(fields.get_mut(i).map(std::mem::take).unwrap_or_default());
        }
        if !aliases.is_empty() {
            names.aliases = names
                .officials
                .iter()
                .map(|o| aliases.get(o).cloned().unwrap_or_default())
                .collect();
        }
        names.clean();
        let official_text = names.official_texts();
        let country_text = names.country_texts();
        // The search text in two halves at once when there are many rows
        // (the stories of a big store), as `load` builds the events'.
        let per = match built.len() {
            n if n < 20_000 => n.max(1),
            n => n.div_ceil(2),
        };
        let build = |lo: usize| {
            let hi = (lo + per).min(built.len());
            let bytes = (built[lo..hi].iter().zip(&row_quotes[lo..hi]))
                .map(|(r, q)| r.summary.len() + q.len() + 64)
                .sum();
            let mut t = Text::with_capacity(hi - lo, bytes);
            for (r, q) in built[lo..hi].iter().zip(&row_quotes[lo..hi]) {
                t.push(
                    &r.summary,
                    r.officials
                        .iter()
                        .map(|&o| official_text[o as usize].as_str()),
                    r.countries
                        .iter()
                        .map(|&c| country_text[c as usize].as_str()),
                    q,
                );
            }
            t
        };
        let text = std::thread::scope(|sc| {
            let later = (per < built.len()).then(|| sc.spawn(|| build(per)));
            let mut text = vec![build(0)];
            if let Some(h) = later {
                text.push(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
            }
            text
        });
        Data::new(built, names, text, per)
    }

    fn new(rows: Vec<Row>, names: Names, text: Vec<Text>, per: usize) -> Data {
        let dated = rows.partition_point(|r| !r.date.is_empty());
        Data {
            dated,
            rows,
            countries: names.countries,
            officials: names.officials,
            official_aliases: names.aliases,
            text,
            per,
        }
    }
}

/// The text that reaches the screen, cleaned here where every row passes
/// (a store may hold raw text written before ingest cleaned it, or by
/// another program).
fn clean(s: &str) -> Box<str> {
    crate::source::sanitize::clean_line(s).into()
}

/// The countries and officials rows point to, by index.
#[derive(Default)]
struct Names {
    countries: Vec<String>,
    // Fx hashing: a name is looked up per row (SipHash's cost showed at
    // a quarter of a million stories); the store is the user's own.
    country_at: rustc_hash::FxHashMap<String, u16>,
    officials: Vec<String>,
    official_at: rustc_hash::FxHashMap<String, u32>,
    /// Each official's other names (by index), searched with the name.
    aliases: Vec<Vec<String>>,
}

impl Names {
    fn country(&mut self, code: &str) -> u16 {
        if let Some(&i) = self.country_at.get(code) {
            return i;
        }
        let i = self.countries.len().min(u16::MAX as usize) as u16;
        self.countries.push(code.to_string());
        self.country_at.insert(code.to_string(), i);
        i
    }

    fn official(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.official_at.get(name) {
            return i;
        }
        let i = self.officials.len() as u32;
        self.officials.push(name.to_string());
        self.official_at.insert(name.to_string(), i);
        i
    }

    /// Cleans the names for the screen (see `clean`); the lookups by the
    /// stored name stay as they were.
    fn clean(&mut self) {
        use crate::source::sanitize::clean_line;
        for s in self.countries.iter_mut().chain(self.officials.iter_mut()) {
            if let std::borrow::Cow::Owned(c) = clean_line(s) {
                *s = c;
            }
        }
    }

    /// Each official's search text (name and aliases, folded), by index.
    fn official_texts(&self) -> Vec<String> {
        self.officials
            .iter()
            .enumerate()
            .map(|(i, o)| search::fold(&search::official_text(o, self.aliases.get(i))))
            .collect()
    }

    /// Each country's search text ("jp japan"), by index.
    fn country_texts(&self) -> Vec<String> {
        self.countries
            .iter()
            .map(|c| search::country_text(c))
            .collect()
    }
}

/// Days since 1970-01-01 of a `YYYY-MM-DD...` key; i32::MIN when undated.
pub fn day_number(key: &str) -> i32 {
    // Read by hand: chrono's format parser cost more than the rest of a
    // row at a million events.
    let b = key.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let d = b.get(r)?;
        d.iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let date = (|| {
        if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
            return None;
        }
        let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        chrono::NaiveDate::from_ymd_opt(y as i32, m, d)
    })();
    // 719,163 is 1970-01-01's day count from 0001-01-01 (day 1).
    date.map(|d| chrono::Datelike::num_days_from_ce(&d) - 719_163)
        .unwrap_or(i32::MIN)
}

/// Loads every event's browser data through the store's scan.
/// `progress(done, total)` is called now and then from this (worker)
/// thread.
pub fn load(store: &Store, mut progress: impl FnMut(usize, usize)) -> Result<Data, StoreError> {
    no_huge_pages();
    let total = store.event_count()?.max(0) as usize;
    let steps = total.max(1);
    progress(0, steps);
    let mut names = Names::default();
    // Looked up twice an event: Fx hashing, not SipHash (the ids are ours).
    let mut by_id: FxHashMap<i64, u32> = FxHashMap::default();
    let aliases = store.official_aliases()?;
    for (id, name) in store.official_names()? {
        let i = names.official(&name);
        if let Some(a) = aliases.get(&id) {
            if names.aliases.len() <= i as usize {
                names.aliases.resize(i as usize + 1, Vec::new());
            }
            names.aliases[i as usize].extend(a.iter().cloned());
        }
        by_id.insert(id, i);
    }
    // Both halves of the store are read at once (see
    // `Store::scan_events_halves`), each into a part of its own. Each part
    // has room for every event (address space only: pages that are never
    // written cost nothing), so that the first can take in the second
    // without moving.
    let by_id = &by_id;
    let parts = store.scan_events_halves(
        "1",
        &[],
        || Part::with_capacity(total),
        |p: &mut Part, e| {
            let countries: Vec<u16> = e.countries.iter().map(|c| p.country(c)).collect();
            let officials: Vec<u32> = e
                .officials
                .iter()
                .filter_map(|o| by_id.get(o).copied())
                .collect();
            if p.plain {
                match TimelineKey::of(&e.date_key, p.rows.len() as u32) {
                    Some(k) => p.keys.push(k),
                    None => {
                        p.plain = false;
                        p.keys = Vec::new();
                    }
                }
            }
            p.quotes.push(&e.quotes);
            p.seqs.push(e.seq);
            p.rows.push(Row {
                id: e.id.as_str().into(),
                day: day_number(&e.date_key),
                date: e.date_key.as_str().into(),
                value: e.date_value.as_str().into(),
                approximate: e.approximate,
                kind: e.kind,
                summary: clean(&e.summary),
                countries: countries.into(),
                officials: officials.into(),
            });
            Ok(())
        },
        |seen| progress((seen * 2).min(steps), steps),
    )?;
    let (mut rows, mut seqs, mut quotes) = (Vec::new(), Vec::new(), Pieces::default());
    let mut keys: Option<Vec<TimelineKey>> = Some(Vec::new());
    for (k, part) in parts.into_iter().enumerate() {
        // The part's country indices become the store-wide ones (the
        // first part's are already).
        let map: Vec<u16> = part.countries.iter().map(|c| names.country(c)).collect();
        // Its keys' row indices become indices into all the rows.
        let base = rows.len() as u32;
        keys = match (keys, part.plain) {
            (Some(mut all), true) => {
                all.extend(part.keys.into_iter().map(|key| key.moved(base)));
                Some(all)
            }
            _ => None,
        };
        if k == 0 {
            (rows, seqs, quotes) = (part.rows, part.seqs, part.quotes);
            continue;
        }
        rows.extend(part.rows.into_iter().map(|mut r| {
            for c in r.countries.iter_mut() {
                *c = map.get(*c as usize).copied().unwrap_or(*c);
            }
            r
        }));
        seqs.extend(part.seqs);
        quotes.append(&part.quotes);
    }
    let split = part_split(&seqs);
    let order = match keys {
        Some(keys) => plain_date_order(keys, split),
        None => date_order(&rows, &seqs, split),
    };
    drop(seqs);
    // The rows are moved into place where they are (no second copy of a
    // million rows).
    permute(&mut rows, &order);
    // Names for the screen, then the search text of every row in date
    // order (a search reads it front to back), two halves at once.
    names.clean();
    let official_text = names.official_texts();
    let country_text = names.country_texts();
    let per = rows.len().div_ceil(2).max(1);
    let build = |lo: usize| {
        let hi = (lo + per).min(rows.len());
        let bytes: usize = rows[lo..hi].iter().map(|r| r.summary.len() + 200).sum();
        let mut t = Text::with_capacity(hi - lo, bytes);
        for (r, &k) in rows[lo..hi].iter().zip(&order[lo..hi]) {
            t.push(
                &r.summary,
                r.officials
                    .iter()
                    .map(|&o| official_text.get(o as usize).map_or("", String::as_str)),
                r.countries
                    .iter()
                    .map(|&c| country_text.get(c as usize).map_or("", String::as_str)),
                quotes.get(k as usize),
            );
        }
        t
    };
    let text = std::thread::scope(|sc| {
        let later = sc.spawn(|| build(per));
        let first = build(0);
        let later = later
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        vec![first, later]
    });
    progress(steps, steps);
    Ok(Data::new(rows, names, text, per))
}

/// From this many rows on, a fresh load is saved for the next start
/// (`snapshot`): below it the load from SQLite takes a fraction of a
/// second anyway (0.28 s at 100,000 events).
pub const SAVE_FROM: usize = 50_000;

/// A fresh load to save once it is on the screen (`Save::write`): the
/// saving is off the path to the first search.
#[derive(Debug)]
pub struct Save {
    path: std::path::PathBuf,
    generation: i64,
}

impl Save {
    /// Writes the copy; a failure (a read-only folder, a full disk) only
    /// means the next start loads from the store again.
    pub fn write(&self, data: &Data, info: Option<&[(u32, bool)]>) {
        let _ = snapshot::write(&self.path, self.generation, data, info);
    }

    /// Whether a load of `rows` rows at `generation` (read before the load
    /// and again after it: no write came between) is worth saving.
    pub fn after(
        store: &Store,
        kind: snapshot::Kind,
        generation: Option<i64>,
        rows: usize,
        from: usize,
    ) -> Option<Save> {
        let g = generation?;
        (rows >= from && store.browse_generation().ok() == Some(g)).then(|| Save {
            path: snapshot::path_for(store.path(), kind),
            generation: g,
        })
    }
}

/// `load`, or the saved copy of the last load when the store has not
/// changed since (see `snapshot`). A fresh load of a big store comes with
/// the `Save` to write once it is shown.
pub fn load_cached(
    store: &Store,
    progress: impl FnMut(usize, usize),
) -> Result<(Data, Option<Save>), StoreError> {
    load_cached_from(store, progress, SAVE_FROM)
}

/// `load_cached` with the least number of rows worth saving (tests save
/// small stores).
pub fn load_cached_from(
    store: &Store,
    mut progress: impl FnMut(usize, usize),
    from: usize,
) -> Result<(Data, Option<Save>), StoreError> {
    no_huge_pages();
    let generation = store.browse_generation().ok();
    if let Some(g) = generation {
        let path = snapshot::path_for(store.path(), snapshot::Kind::Events);
        if let Ok((data, _)) = snapshot::read(&path, g) {
            progress(1, 1);
            return Ok((data, None));
        }
    }
    let data = load(store, progress)?;
    let save = Save::after(store, snapshot::Kind::Events, generation, data.len(), from);
    Ok((data, save))
}

/// Turns transparent huge pages off for this process (Linux). The load
/// touches most of a GB of fresh memory at a million events, and
/// mimalloc asks for huge pages there: with the kernel's default
/// (`defrag = madvise`) each first touch of 2 MB may stall while the
/// kernel compacts memory for it, which took a third of a measured load.
/// Plain pages fault in far more cheaply; the search over them is as fast.
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        // A kernel without the setting keeps its own (nothing to do).
        ONCE.call_once(|| {
            let _ = rustix::thread::disable_transparent_huge_pages(true);
        });
    }
}

/// What one half of the store's scan collects.
struct Part {
    rows: Vec<Row>,
    /// The rows' quotes fields, in the same order.
    quotes: Pieces,
    /// The seq of each row.
    seqs: Vec<i64>,
    /// Each row's `TimelineKey`, while `plain` (every date key so far has
    /// one).
    keys: Vec<TimelineKey>,
    plain: bool,
    /// Country codes by this part's index.
    countries: Vec<String>,
    /// Looked up for every country of every event: Fx hashing.
    country_at: FxHashMap<String, u16>,
}

impl Part {
    fn with_capacity(n: usize) -> Part {
        Part {
            rows: Vec::with_capacity(n),
            quotes: Pieces::with_capacity(n, n * 64),
            seqs: Vec::with_capacity(n),
            keys: Vec::with_capacity(n),
            plain: true,
            countries: Vec::new(),
            country_at: FxHashMap::default(),
        }
    }

    fn country(&mut self, code: &str) -> u16 {
        if let Some(&i) = self.country_at.get(code) {
            return i;
        }
        let i = self.countries.len().min(u16::MAX as usize) as u16;
        self.countries.push(code.to_string());
        self.country_at.insert(code.to_string(), i);
        i
    }
}

/// Where the second part of a two-part load starts: seqs rise within
/// each part, so the first fall (if any) marks it.
fn part_split(seqs: &[i64]) -> usize {
    seqs.windows(2)
        .position(|w| w[1] < w[0])
        .map_or(seqs.len(), |k| k + 1)
}

/// The rows' date order (undated last, then by seq), as the index of the
/// row at each place. The two halves before and after `split` are sorted
/// at once on two threads, on compact keys, then merged.
fn date_order(rows: &[Row], seqs: &[i64], split: usize) -> Vec<u32> {
    let keys: Vec<SortKey> = rows
        .iter()
        .zip(seqs)
        .enumerate()
        .map(|(i, (r, &seq))| SortKey::new(&r.date, seq, i as u32))
        .collect();
    sort_halves(keys, split, |x, y| x.cmp(y, rows), |k| k.at)
}

/// `date_order` when every row has a `TimelineKey`: the same order from
/// plain numbers, which sort several times faster than `SortKey`s.
fn plain_date_order(keys: Vec<TimelineKey>, split: usize) -> Vec<u32> {
    sort_halves(keys, split, TimelineKey::cmp, |k| k.at())
}

/// Sorts `keys` before and after `split` at once on two threads, then
/// merges the halves: the `at` of the key at each place.
fn sort_halves<K: Send>(
    mut keys: Vec<K>,
    split: usize,
    cmp: impl Fn(&K, &K) -> std::cmp::Ordering + Sync,
    at: impl Fn(&K) -> u32,
) -> Vec<u32> {
    let split = split.min(keys.len());
    let (a, b) = keys.split_at_mut(split);
    let cmp = &cmp;
    std::thread::scope(|sc| {
        let later = sc.spawn(|| b.sort_unstable_by(cmp));
        a.sort_unstable_by(cmp);
        later
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
    });
    let (a, b) = keys.split_at(split);
    let mut out = Vec::with_capacity(keys.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        // Ties go to the first half (the lower seqs).
        if cmp(&b[j], &a[i]) == std::cmp::Ordering::Less {
            out.push(at(&b[j]));
            j += 1;
        } else {
            out.push(at(&a[i]));
            i += 1;
        }
    }
    out.extend(a[i..].iter().map(&at));
    out.extend(b[j..].iter().map(&at));
    out
}

/// A row's place in the timeline order as one number, for the date keys
/// ingest writes ("YYYY-MM-DD", "YYYY-MM-DDTHH:MM") and undated rows: the
/// key's digits (a date without a time before the same date with one),
/// then the row's index. The index stands for the seq: the load's rows
/// are in seq order.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
struct TimelineKey(u128);

impl TimelineKey {
    /// None for a key of any other shape (the load then sorts by
    /// `SortKey`s, which order every key).
    fn of(date: &str, at: u32) -> Option<TimelineKey> {
        let b = date.as_bytes();
        let num = |r: std::ops::Range<usize>| -> Option<u64> {
            b.get(r)?.iter().try_fold(0u64, |n, &c| {
                c.is_ascii_digit().then(|| n * 10 + u64::from(c - b'0'))
            })
        };
        let when = match b.len() {
            // Undated rows come last.
            0 => u64::MAX,
            10 | 16 => {
                if b[4] != b'-' || b[7] != b'-' {
                    return None;
                }
                let day = num(0..4)? * 10_000 + num(5..7)? * 100 + num(8..10)?;
                // 0 without a time, else 1 + HHMM (at most 10,000).
                let time = if b.len() == 16 {
                    if b[10] != b'T' || b[13] != b':' {
                        return None;
                    }
                    1 + num(11..13)? * 100 + num(14..16)?
                } else {
                    0
                };
                day * 10_001 + time
            }
            _ => return None,
        };
        Some(TimelineKey(u128::from(when) << 64 | u128::from(at)))
    }

    fn at(self) -> u32 {
        self.0 as u32
    }

    /// The same key for the row `by` places further on.
    fn moved(self, by: u32) -> TimelineKey {
        TimelineKey(self.0 + u128::from(by))
    }
}

/// What the timeline sorts by, kept small: the date key's first 16 bytes
/// as a number (all of `YYYY-MM-DDTHH:MM`; longer keys are compared in
/// full when these tie), the seq, and where the row is.
struct SortKey {
    /// u128::MAX when undated (last).
    head: u128,
    seq: i64,
    at: u32,
}

impl SortKey {
    fn new(date: &str, seq: i64, at: u32) -> SortKey {
        let head = if date.is_empty() {
            u128::MAX
        } else {
            // Zero padding keeps the byte order: text bytes are never 0
            // in a key, and a shorter key sorts before its extensions.
            let mut b = [0u8; 16];
            let n = date.len().min(16);
            b[..n].copy_from_slice(&date.as_bytes()[..n]);
            u128::from_be_bytes(b)
        };
        SortKey { head, seq, at }
    }

    fn cmp(&self, other: &SortKey, rows: &[Row]) -> std::cmp::Ordering {
        self.head
            .cmp(&other.head)
            .then_with(|| {
                let (a, b) = (&rows[self.at as usize].date, &rows[other.at as usize].date);
                if a.len() > 16 || b.len() > 16 {
                    a.cmp(b)
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .then(self.seq.cmp(&other.seq))
    }
}

/// Reorders `rows` in place so that position k holds what was at
/// `order[k]` (a permutation), following its cycles.
fn permute(rows: &mut [Row], order: &[u32]) {
    let mut done = vec![false; order.len()];
    for start in 0..order.len() {
        if done[start] {
            continue;
        }
        let mut k = start;
        loop {
            done[k] = true;
            let from = order[k] as usize;
            if from == start || from >= rows.len() {
                break;
            }
            rows.swap(k, from);
            k = from;
        }
    }
}

/// The timeline's order of (date key, seq): by date, undated last.
pub fn timeline_order(a: (&str, i64), b: (&str, i64)) -> std::cmp::Ordering {
    (a.0.is_empty(), a.0, a.1).cmp(&(b.0.is_empty(), b.0, b.1))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::store::TimelineRow;

    pub fn row(id: &str, date: &str, summary: &str, c: &[&str], o: &[&str]) -> TimelineRow {
        TimelineRow {
            id: id.into(),
            date_key: date.into(),
            date_value: date.into(),
            approximate: false,
            kind: EventKind::Meet,
            summary: summary.into(),
            countries: c.iter().map(|s| s.to_string()).collect(),
            officials: o.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn rows_sorted_and_fields_lowercased() {
        let d = Data::from_rows(
            vec![
                row("b", "2024-02-01", "Later Talks", &["JP"], &["Wang Yi"]),
                row("a", "2024-01-01", "Earlier ÉVÉNEMENT", &["KR", "JP"], &[]),
            ],
            &[vec!["We will Talk".into()], vec![]],
        );
        assert_eq!(&*d.rows[0].id, "a");
        assert_eq!(d.field(0, F_SUMMARY), "earlier événement");
        assert_eq!(d.field(1, F_OFFICIALS), "wang yi");
        assert!(d.field(0, F_COUNTRIES).starts_with("kr "));
        assert_eq!(d.field(1, F_QUOTES), "we will talk");
        assert_eq!(d.field(9, F_QUOTES), "");
        assert_eq!(day_number("1970-01-02"), 1);
        assert_eq!(day_number(""), i32::MIN);
    }

    #[test]
    fn compact_sort_keys_and_permutation_give_the_timeline_order() {
        let dates = [
            "2024-02-01T10:30",
            "",
            "2024-02-01",
            "2024-02-01T10:30:45.5+09:00",
            "2024-02-01T10:30:45.1+09:00",
            "1999-12-31",
            "2024-02-01",
            "",
            "2024-02-01T10:30",
        ];
        let mut rows: Vec<Row> = dates
            .iter()
            .enumerate()
            .map(|(i, d)| Row {
                id: i.to_string().into(),
                date: (*d).into(),
                value: (*d).into(),
                day: day_number(d),
                approximate: false,
                kind: EventKind::Meet,
                summary: "".into(),
                countries: Box::new([]),
                officials: Box::new([]),
            })
            .collect();
        // Seqs run backwards so that ties show they are kept in seq order.
        let seq = |i: usize| (100 - i) as i64;
        let mut keys: Vec<SortKey> = dates
            .iter()
            .enumerate()
            .map(|(i, d)| SortKey::new(d, seq(i), i as u32))
            .collect();
        keys.sort_unstable_by(|a, b| a.cmp(b, &rows));
        let order: Vec<u32> = keys.iter().map(|k| k.at).collect();
        let mut want: Vec<usize> = (0..dates.len()).collect();
        want.sort_by(|&a, &b| timeline_order((dates[a], seq(a)), (dates[b], seq(b))));
        assert_eq!(order, want.iter().map(|&i| i as u32).collect::<Vec<_>>());
        permute(&mut rows, &order);
        for (k, &i) in want.iter().enumerate() {
            assert_eq!(&*rows[k].id, i.to_string());
        }
    }

    /// The plain keys give the order the general ones give, ties and
    /// undated rows included, across the two halves' merge.
    #[test]
    fn plain_keys_order_rows_as_the_timeline_does() {
        assert!(TimelineKey::of("2024-02-01T10:30:45", 0).is_none());
        assert!(TimelineKey::of("2024-02-01T10", 0).is_none());
        assert!(TimelineKey::of("2024/02/01", 0).is_none());
        let mut rng = crate::store::generate::Rng::new(11);
        let shapes = [
            "",
            "2024-02-01",
            "2024-02-01T00:00",
            "2024-02-01T23:59",
            "1999-12-31",
        ];
        let mut dates: Vec<String> = Vec::new();
        for _ in 0..2000 {
            let d = match rng.below(4) {
                0 => rng.pick(&shapes).to_string(),
                1 => format!(
                    "20{:02}-{:02}-{:02}",
                    rng.below(30),
                    1 + rng.below(12),
                    1 + rng.below(28)
                ),
                _ => format!(
                    "20{:02}-{:02}-{:02}T{:02}:{:02}",
                    rng.below(30),
                    1 + rng.below(12),
                    1 + rng.below(28),
                    rng.below(24),
                    rng.below(60)
                ),
            };
            dates.push(d);
        }
        let rows: Vec<Row> = dates
            .iter()
            .map(|d| Row {
                id: "".into(),
                date: d.as_str().into(),
                value: d.as_str().into(),
                day: day_number(d),
                approximate: false,
                kind: EventKind::Meet,
                summary: "".into(),
                countries: Box::new([]),
                officials: Box::new([]),
            })
            .collect();
        // Rows in seq order, as the load has them.
        let seqs: Vec<i64> = (0..rows.len() as i64).map(|i| i * 3 + 1).collect();
        let keys: Vec<TimelineKey> = dates
            .iter()
            .enumerate()
            .map(|(i, d)| TimelineKey::of(d, i as u32).unwrap())
            .collect();
        for split in [0, 700, 2000] {
            assert_eq!(
                plain_date_order(keys.clone(), split),
                date_order(&rows, &seqs, split)
            );
        }
        let mut want: Vec<usize> = (0..dates.len()).collect();
        want.sort_by(|&a, &b| timeline_order((&dates[a], seqs[a]), (&dates[b], seqs[b])));
        let want: Vec<u32> = want.into_iter().map(|i| i as u32).collect();
        assert_eq!(plain_date_order(keys, 1000), want);
        assert_eq!(day_number("2024-02-29"), 19_782);
        assert_eq!(day_number("2023-02-29"), i32::MIN);
    }

    /// Big enough for the store to be read in two halves at once: the
    /// result is the one-pass timeline, and the browser's search finds
    /// exactly what `list --search` (also read in halves) lists, in order.
    #[test]
    fn a_store_read_in_halves_loads_and_searches_as_one() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(&dir.path().join("s.db")).unwrap();
        crate::store::generate::generate(&mut s, 21_000, 5).unwrap();
        let d = load(&s, |_, _| {}).unwrap();
        let t = s.load_timeline().unwrap();
        assert_eq!(d.len(), t.len());
        for (i, r) in t.iter().enumerate() {
            assert_eq!(&*d.rows[i].id, r.id.as_str());
            let cs: Vec<&str> = d.rows[i]
                .countries
                .iter()
                .map(|&c| d.country_code(c))
                .collect();
            assert_eq!(cs, r.countries);
            let os: Vec<&str> = d.rows[i]
                .officials
                .iter()
                .map(|&o| d.official_name(o))
                .collect();
            assert_eq!(os, r.officials);
        }
        for q in ["tanaka", "minister talks", "kyiv"] {
            let listed: Vec<String> = s
                .events(&crate::store::Filter {
                    search: Some(q.into()),
                    ..Default::default()
                })
                .unwrap()
                .into_iter()
                .map(|e| e.id)
                .collect();
            let h = crate::tui::search::search_all(
                &d,
                &crate::tui::search::Query {
                    gen: 1,
                    text: q.into(),
                    candidates: std::sync::Arc::new((0..d.len() as u32).collect()),
                },
            );
            let browsed: Vec<String> = h
                .ranked
                .iter()
                .map(|&i| d.rows[i as usize].id.to_string())
                .collect();
            assert!(!listed.is_empty(), "{q}");
            assert_eq!(listed, browsed, "{q}");
        }
    }

    #[test]
    fn loads_a_generated_store() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(&dir.path().join("s.db")).unwrap();
        crate::store::generate::generate(&mut s, 300, 7).unwrap();
        let mut calls = 0;
        let d = load(&s, |_, _| calls += 1).unwrap();
        assert_eq!(d.len(), 300);
        assert!(calls >= 2);
        assert!(d.rows.windows(2).all(|w| w[0].date <= w[1].date));
        assert!(d.rows.iter().all(|r| !r.countries.is_empty()));
        assert!(d.rows.iter().any(|r| !r.officials.is_empty()));
        assert!((0..d.len()).any(|i| !d.field(i, F_QUOTES).is_empty()));
        let t = s.load_timeline().unwrap();
        assert_eq!(&*d.rows[0].id, t[0].id.as_str());
    }
}
