//! The events the browser holds in memory: a compact row per event (in date
//! order) plus a lower-cased search arena. Loaded on a worker thread with
//! progress; details, quotes' spans and article text stay in SQLite and are
//! fetched by id when an event is opened.

use std::collections::HashMap;

use rusqlite::params;

use crate::model::EventKind;
use crate::store::{Store, StoreError};

/// One event on the timeline.
#[derive(Clone, Debug)]
pub struct Row {
    pub id: Box<str>,
    /// `YYYY-MM-DD[THH:MM]`, or empty when undated.
    pub date: Box<str>,
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

/// Per-event search fields, lower-cased, in one arena.
pub const FIELDS: usize = 4;
pub const F_SUMMARY: usize = 0;
pub const F_OFFICIALS: usize = 1;
pub const F_COUNTRIES: usize = 2;
pub const F_QUOTES: usize = 3;

#[derive(Debug, Default)]
pub struct Data {
    pub rows: Vec<Row>,
    /// Country codes, by index.
    pub countries: Vec<String>,
    /// Official names (one entry per distinct name), by index.
    pub officials: Vec<String>,
    arena: String,
    /// `FIELDS` offsets per event plus one end offset.
    offs: Vec<u32>,
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
        let k = i * FIELDS + f;
        match (self.offs.get(k), self.offs.get(k + 1)) {
            (Some(&a), Some(&b)) => self.arena.get(a as usize..b as usize).unwrap_or(""),
            _ => "",
        }
    }

    /// All of event `i`'s search fields as one slice (they are adjacent
    /// in the arena): one pass rejects most non-matches.
    pub fn event_text(&self, i: usize) -> &str {
        match (self.offs.get(i * FIELDS), self.offs.get((i + 1) * FIELDS)) {
            (Some(&a), Some(&b)) => self.arena.get(a as usize..b as usize).unwrap_or(""),
            _ => "",
        }
    }

    pub fn country_code(&self, c: u16) -> &str {
        self.countries.get(c as usize).map_or("", String::as_str)
    }

    pub fn official_name(&self, o: u32) -> &str {
        self.officials.get(o as usize).map_or("", String::as_str)
    }

    /// Builds from plain rows (tests, benches); quotes per row are optional.
    pub fn from_rows(rows: Vec<crate::store::TimelineRow>, quotes: &[Vec<String>]) -> Data {
        let mut b = Builder::default();
        let mut rows: Vec<_> = rows.into_iter().enumerate().collect();
        rows.sort_by(|a, b| a.1.date_key.cmp(&b.1.date_key).then(a.0.cmp(&b.0)));
        for (i, r) in rows {
            let c: Vec<u16> = r.countries.iter().map(|c| b.country(c)).collect();
            let o: Vec<u32> = r.officials.iter().map(|o| b.official(o)).collect();
            b.rows.push(Row {
                id: r.id.into(),
                day: day_number(&r.date_key),
                date: r.date_key.into(),
                approximate: r.approximate,
                kind: r.kind,
                summary: r.summary.into(),
                countries: c.into(),
                officials: o.into(),
            });
            b.quotes
                .push(quotes.get(i).map(|q| q.join(" ¶ ")).unwrap_or_default());
        }
        b.finish()
    }
}

#[derive(Default)]
struct Builder {
    rows: Vec<Row>,
    countries: Vec<String>,
    country_at: HashMap<String, u16>,
    officials: Vec<String>,
    official_at: HashMap<String, u32>,
    quotes: Vec<String>,
}

impl Builder {
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

    /// Lays out the search arena. Country fields hold the code and the
    /// name ("jp japan") so either can be typed.
    fn finish(mut self) -> Data {
        // What reaches the screen is cleaned here, where every row passes
        // (a store may hold raw text written before ingest cleaned it, or
        // by another program).
        use crate::source::sanitize::clean_line;
        for r in &mut self.rows {
            if let std::borrow::Cow::Owned(c) = clean_line(&r.summary) {
                r.summary = c.into();
            }
        }
        for s in self.countries.iter_mut().chain(self.officials.iter_mut()) {
            if let std::borrow::Cow::Owned(c) = clean_line(s) {
                *s = c;
            }
        }
        let country_text: Vec<String> = self
            .countries
            .iter()
            .map(|c| {
                let name = crate::extract::countries::name(c).unwrap_or("");
                format!("{} {}", c, name).to_lowercase()
            })
            .collect();
        let official_text: Vec<String> = self.officials.iter().map(|o| o.to_lowercase()).collect();
        let mut arena = String::new();
        let mut offs = Vec::with_capacity(self.rows.len() * FIELDS + 1);
        for (i, r) in self.rows.iter().enumerate() {
            offs.push(arena.len() as u32);
            push_lower(&mut arena, &r.summary);
            offs.push(arena.len() as u32);
            for (k, o) in r.officials.iter().enumerate() {
                if k > 0 {
                    arena.push_str("; ");
                }
                arena.push_str(&official_text[*o as usize]);
            }
            offs.push(arena.len() as u32);
            for (k, c) in r.countries.iter().enumerate() {
                if k > 0 {
                    arena.push_str("; ");
                }
                arena.push_str(&country_text[*c as usize]);
            }
            offs.push(arena.len() as u32);
            push_lower(&mut arena, self.quotes.get(i).map_or("", String::as_str));
        }
        offs.push(arena.len() as u32);
        arena.shrink_to_fit();
        Data {
            rows: self.rows,
            countries: self.countries,
            officials: self.officials,
            arena,
            offs,
        }
    }
}

fn push_lower(out: &mut String, s: &str) {
    if s.is_ascii() {
        out.extend(s.bytes().map(|b| b.to_ascii_lowercase() as char));
    } else {
        for c in s.chars() {
            out.extend(c.to_lowercase());
        }
    }
}

/// Days since 1970-01-01 of a `YYYY-MM-DD...` key; i32::MIN when undated.
pub fn day_number(key: &str) -> i32 {
    key.get(..10)
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .map(|d| {
            let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
            (d - epoch).num_days() as i32
        })
        .unwrap_or(i32::MIN)
}

/// Loads every event's browser data. `progress(done, total)` is called
/// now and then from this (worker) thread.
pub fn load(store: &Store, mut progress: impl FnMut(usize, usize)) -> Result<Data, StoreError> {
    let conn = store.connection();
    let total: i64 = conn.query_row("SELECT count(*) FROM events", [], |r| r.get(0))?;
    let total = total.max(0) as usize;
    // Four phases share the bar: events, countries, officials, quotes.
    let steps = total.saturating_mul(4).max(1);
    progress(0, steps);
    let mut b = Builder::default();

    let mut names: HashMap<i64, u32> = HashMap::new();
    let mut stmt = conn.prepare("SELECT id, name FROM officials")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let name: String = r.get(1)?;
        names.insert(r.get(0)?, b.official(&name));
    }

    let mut seqs: Vec<(i64, Row)> = Vec::with_capacity(total);
    let mut stmt =
        conn.prepare("SELECT seq, id, date_key, approximate, kind, summary FROM events")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let kind = r.get_ref(4)?.as_str().unwrap_or("other");
        let date: String = r.get(2)?;
        let id: String = r.get(1)?;
        let summary: String = r.get(5)?;
        seqs.push((
            r.get(0)?,
            Row {
                id: id.into(),
                day: day_number(&date),
                date: date.into(),
                approximate: r.get(3)?,
                kind: EventKind::parse(kind).unwrap_or(EventKind::Other),
                summary: summary.into(),
                countries: Box::new([]),
                officials: Box::new([]),
            },
        ));
        if seqs.len() % 16384 == 0 {
            progress(seqs.len(), steps);
        }
    }
    // Table order read, sorted here: walking the date index would fetch
    // every row by a random lookup.
    seqs.sort_unstable_by(|a, b| a.1.date.cmp(&b.1.date).then(a.0.cmp(&b.0)));
    let mut at: Vec<u32> = Vec::new();
    for (i, (seq, _)) in seqs.iter().enumerate() {
        let seq = (*seq).max(0) as usize;
        if at.len() <= seq {
            at.resize(seq + 1, u32::MAX);
        }
        at[seq] = i as u32;
    }
    let slot = |seq: i64| {
        at.get(seq.max(0) as usize)
            .copied()
            .filter(|&i| i != u32::MAX)
            .map(|i| i as usize)
    };
    b.rows = seqs.into_iter().map(|(_, r)| r).collect();
    let n = b.rows.len();

    // Rows arrive grouped by event in pos order, so a small buffer per
    // event is flushed when the event changes.
    let mut current: Option<usize> = None;
    let mut buf16: Vec<u16> = Vec::new();
    let mut done = 0usize;
    let mut stmt =
        conn.prepare("SELECT event_seq, country FROM event_countries ORDER BY event_seq, pos")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let i = slot(r.get(0)?);
        if i != current {
            if let Some(c) = current {
                b.rows[c].countries = std::mem::take(&mut buf16).into();
            }
            current = i;
            done += 1;
            if done % 16384 == 0 {
                progress(n + done, steps);
            }
        }
        let code = r.get_ref(1)?.as_str().unwrap_or("");
        let k = b.country(code);
        buf16.push(k);
    }
    if let Some(c) = current {
        b.rows[c].countries = buf16.into();
    }

    let mut current: Option<usize> = None;
    let mut buf32: Vec<u32> = Vec::new();
    let mut done = 0usize;
    let mut stmt =
        conn.prepare("SELECT event_seq, official_id FROM event_officials ORDER BY event_seq, pos")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let i = slot(r.get(0)?);
        if i != current {
            if let Some(c) = current {
                b.rows[c].officials = std::mem::take(&mut buf32).into();
            }
            current = i;
            done += 1;
            if done % 16384 == 0 {
                progress(2 * n + done, steps);
            }
        }
        if let Some(&o) = names.get(&r.get::<_, i64>(1)?) {
            buf32.push(o);
        }
    }
    if let Some(c) = current {
        b.rows[c].officials = buf32.into();
    }

    // Quote texts feed the search only; cut long ones, the start of a quote
    // is what people remember.
    b.quotes = vec![String::new(); n];
    let mut stmt = conn.prepare(
        "SELECT eq.event_seq, q.text FROM event_quotes eq \
         JOIN events e ON e.seq = eq.event_seq \
         JOIN quotes q ON q.article_id = e.article_id AND q.idx = eq.idx",
    )?;
    let mut rows = stmt.query(params![])?;
    let mut done = 0usize;
    while let Some(r) = rows.next()? {
        if let Some(i) = slot(r.get(0)?) {
            let text = r.get_ref(1)?.as_str().unwrap_or("");
            let q = &mut b.quotes[i];
            if q.len() < 240 {
                if !q.is_empty() {
                    q.push_str(" ¶ ");
                }
                let cut = crate::tui::text::fit_prefix(text, 240);
                q.push_str(&text[..cut]);
            }
        }
        done += 1;
        if done % 16384 == 0 {
            progress(3 * n + done.min(n), steps);
        }
    }
    progress(steps, steps);
    Ok(b.finish())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::store::TimelineRow;

    pub fn row(id: &str, date: &str, summary: &str, c: &[&str], o: &[&str]) -> TimelineRow {
        TimelineRow {
            id: id.into(),
            date_key: date.into(),
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
