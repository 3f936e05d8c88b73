//! The events the browser holds in memory: a compact row per event (in date
//! order) plus a lower-cased search arena. Loaded on a worker thread with
//! progress; details, quotes' spans and article text stay in SQLite and are
//! fetched by id when an event is opened.

use std::collections::HashMap;

use crate::model::EventKind;
use crate::store::search;
use crate::store::{Store, StoreError};

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
    date.map(|d| {
        let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
        (d - epoch).num_days() as i32
    })
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
    let mut by_id: HashMap<i64, u32> = HashMap::new();
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
    for (k, part) in parts.into_iter().enumerate() {
        // The part's country indices become the store-wide ones (the
        // first part's are already).
        let map: Vec<u16> = part.countries.iter().map(|c| names.country(c)).collect();
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
    let order = date_order(&rows, &seqs, part_split(&seqs));
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
    /// Country codes by this part's index.
    countries: Vec<String>,
    country_at: HashMap<String, u16>,
}

impl Part {
    fn with_capacity(n: usize) -> Part {
        Part {
            rows: Vec::with_capacity(n),
            quotes: Pieces::with_capacity(n, n * 64),
            seqs: Vec::with_capacity(n),
            countries: Vec::new(),
            country_at: HashMap::new(),
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
    let mut keys: Vec<SortKey> = rows
        .iter()
        .zip(seqs)
        .enumerate()
        .map(|(i, (r, &seq))| SortKey::new(&r.date, seq, i as u32))
        .collect();
    let split = split.min(keys.len());
    let (a, b) = keys.split_at_mut(split);
    std::thread::scope(|sc| {
        let later = sc.spawn(|| b.sort_unstable_by(|x, y| x.cmp(y, rows)));
        a.sort_unstable_by(|x, y| x.cmp(y, rows));
        later
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
    });
    let (a, b) = keys.split_at(split);
    let mut order = Vec::with_capacity(keys.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if b[j].cmp(&a[i], rows) == std::cmp::Ordering::Less {
            order.push(b[j].at);
            j += 1;
        } else {
            order.push(a[i].at);
            i += 1;
        }
    }
    order.extend(a[i..].iter().map(|k| k.at));
    order.extend(b[j..].iter().map(|k| k.at));
    order
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
