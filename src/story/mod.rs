//! Stories: one happening reported by one or more articles.
//!
//! Events that report the same happening (`similarity::same_happening`:
//! compatible dates, kinds, actors and wording) are joined into one story.
//! A story is a connected group under that pairwise test, so the grouping
//! does not depend on the order articles are ingested in; `merge` keeps
//! the groups in the store as articles arrive and rebuilds them all.
//! `summarize` turns a story's events into what the timeline shows: a date
//! most sources agree on, a representative summary, the source count.

pub mod merge;
pub mod similarity;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::model::EventKind;
use similarity::{date_span, identity_key, Features, Keys};

/// A story's id: `s` and the smallest id of its events, so it is the same
/// however the story was built.
pub fn story_id(min_event_id: &str) -> String {
    format!("s{min_event_id}")
}

/// One stored event as the story code reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    pub event_id: String,
    pub article: String,
    pub published: Option<String>,
    pub kind: EventKind,
    pub date_value: String,
    pub date_phrase: Option<String>,
    pub summary: String,
    /// Officials' names as the article wrote them.
    pub officials: Vec<String>,
    pub countries: Vec<String>,
}

impl Member {
    /// What the pairwise test compares.
    pub fn features(&self) -> Features {
        let officials: Keys = self
            .officials
            .iter()
            .map(|n| identity_key(n))
            .filter(|k| !k.is_empty())
            .collect();
        let countries = Keys::new(self.countries.clone());
        let names: Vec<&str> = self.officials.iter().map(String::as_str).collect();
        let span = date_span(&self.date_value);
        let published = self
            .published
            .as_deref()
            .and_then(|p| date_span(p.get(..10).unwrap_or(p)));
        let future = matches!((span, published), (Some(s), Some(p)) if s.0 > p.1);
        // A report of what took place cannot be of a day after it was
        // published: "in December" told on December 14 is December 1 to 14,
        // and never the deal struck on the 24th.
        let span = match (span, published) {
            (Some((lo, hi)), Some((p, _))) if !future && hi > p => Some((lo, p)),
            _ => span,
        };
        Features {
            future,
            stated: self.date_phrase.is_some(),
            article: self.article.clone(),
            kind: self.kind,
            span,
            officials,
            countries,
            words: similarity::words(&self.summary, &names),
        }
    }
}

/// What one story shows in a timeline row.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub id: String,
    /// The date most sources give (TIMEX value).
    pub date_value: String,
    pub date_key: String,
    /// Two sources give dates that cannot both be right.
    pub disagreement: bool,
    pub kind: EventKind,
    pub summary: String,
    /// Distinct articles.
    pub sources: usize,
    pub events: usize,
    /// Names, the most reported first.
    pub officials: Vec<(String, usize)>,
    pub countries: Vec<(String, usize)>,
}

/// The date each source (article) gives the story: its finest one, the
/// earliest of equals. In the order of the articles' first events.
pub fn source_dates<'a>(members: &[&'a Member]) -> Vec<(&'a str, &'a Member)> {
    let len = |m: &Member| date_span(&m.date_value).map_or(i32::MAX, |(lo, hi)| hi - lo);
    let mut by_article: Vec<(&str, &Member)> = Vec::new();
    let mut at: FxHashMap<&str, usize> = FxHashMap::default();
    for m in members {
        match at.get(m.article.as_str()) {
            Some(&i) => {
                let slot = &mut by_article[i];
                if (len(m), &m.date_value) < (len(slot.1), &slot.1.date_value) {
                    slot.1 = m;
                }
            }
            None => {
                at.insert(&m.article, by_article.len());
                by_article.push((&m.article, m));
            }
        }
    }
    by_article
}

/// Sums a story up from its events. `members` must not be empty.
pub fn summarize(id: &str, members: &[&Member]) -> Summary {
    let dates = source_dates(members);
    let spans: Vec<Option<(i32, i32)>> = dates
        .iter()
        .map(|(_, m)| date_span(&m.date_value))
        .collect();
    // The date most sources give (a vaguer date counts for the finer ones
    // it holds), then the finer, then the one the earliest source gives.
    // Distinct dates with how many sources give each: a story has few.
    let mut distinct: Vec<((i32, i32), usize)> = Vec::new();
    for s in spans.iter().flatten() {
        match distinct.iter_mut().find(|(o, _)| o == s) {
            Some(d) => d.1 += 1,
            None => distinct.push((*s, 1)),
        }
    }
    let mut best: Option<(usize, i32, Option<&str>, &Member)> = None;
    for (i, (_, m)) in dates.iter().enumerate() {
        let votes = match spans[i] {
            Some(s) => distinct
                .iter()
                .filter(|(o, _)| o.0 <= s.0 && s.1 <= o.1)
                .map(|(_, n)| n)
                .sum(),
            None => 0,
        };
        let len = spans[i].map_or(i32::MAX, |(lo, hi)| hi - lo);
        let published = m.published.as_deref();
        let better = match &best {
            None => true,
            Some((v, l, p, _)) => {
                (votes, -len) > (*v, -*l) || ((votes, -len) == (*v, -*l) && earlier(published, *p))
            }
        };
        if better {
            best = Some((votes, len, published, m));
        }
    }
    let dated = best.map(|b| b.3).unwrap_or(members[0]);
    let disagreement = distinct.iter().enumerate().any(|(i, (a, _))| {
        distinct[i + 1..]
            .iter()
            .any(|(b, _)| a.1 < b.0 || b.1 < a.0)
    });

    let rep = most_complete(members);

    let mut kinds: FxHashMap<EventKind, usize> = FxHashMap::default();
    for m in members {
        *kinds.entry(m.kind).or_default() += 1;
    }
    let kind = kinds
        .iter()
        .max_by_key(|(k, n)| (**k != EventKind::Statement, **n, std::cmp::Reverse(**k)))
        .map(|(k, _)| *k)
        .unwrap_or(rep.kind);

    Summary {
        id: id.to_string(),
        date_value: dated.date_value.clone(),
        date_key: crate::store::date_key(&dated.date_value, dated.published.as_deref()),
        disagreement,
        kind,
        summary: rep.summary.clone(),
        sources: dates.len(),
        events: members.len(),
        officials: counted(members, |m| &m.officials, identity_key),
        countries: counted(members, |m| &m.countries, |c| c.to_string()),
    }
}

/// How completely an event reports its happening: most actors named, then
/// the fuller sentence; a bare quote is a poor summary of a happening.
pub fn completeness(m: &Member) -> i64 {
    let quote = m.summary.starts_with(['"', '\u{201c}']);
    (m.officials.len() + m.countries.len()) as i64 * 2
        + (m.summary.chars().count().min(240) / 40) as i64
        - if quote { 6 } else { 0 }
}

/// The most complete of `members` (not empty), the earliest published of
/// equals: the story's representative summary.
pub fn most_complete<'a>(members: &[&'a Member]) -> &'a Member {
    let mut rep = members[0];
    for m in &members[1..] {
        let (a, b) = (completeness(m), completeness(rep));
        if a > b || (a == b && earlier(m.published.as_deref(), rep.published.as_deref())) {
            rep = m;
        }
    }
    rep
}

/// Names counted by the sources that give them, spellings of one person
/// counted together under the most used spelling; the most counted first.
fn counted<'a>(
    members: &[&'a Member],
    names: impl Fn(&'a Member) -> &'a Vec<String>,
    key: impl Fn(&str) -> String,
) -> Vec<(String, usize)> {
    // key -> (articles, spelling -> uses)
    type Slot<'a> = (String, FxHashSet<&'a str>, Vec<(&'a str, usize)>);
    let mut by_key: Vec<Slot<'a>> = Vec::new();
    let mut at: FxHashMap<String, usize> = FxHashMap::default();
    // Each spelling's slot: the key is worked out once per spelling, not
    // once per mention (a big story names the same few people thousands
    // of times).
    let mut spelled: FxHashMap<&'a str, usize> = FxHashMap::default();
    for m in members {
        for n in names(m) {
            let i = match spelled.get(n.as_str()) {
                Some(&i) => i,
                None => {
                    let k = key(n);
                    let i = match at.get(&k) {
                        Some(&i) => i,
                        None => {
                            at.insert(k.clone(), by_key.len());
                            by_key.push((k, FxHashSet::default(), Vec::new()));
                            by_key.len() - 1
                        }
                    };
                    spelled.insert(n, i);
                    i
                }
            };
            let slot = &mut by_key[i];
            slot.1.insert(&m.article);
            match slot.2.iter_mut().find(|(s, _)| *s == n) {
                Some(s) => s.1 += 1,
                None => slot.2.push((n, 1)),
            }
        }
    }
    let mut out: Vec<(String, usize)> = by_key
        .into_iter()
        .map(|(_, arts, spellings)| {
            let name = spellings
                .iter()
                .max_by_key(|(s, n)| (*n, std::cmp::Reverse(*s)))
                .map(|(s, _)| s.to_string())
                .unwrap_or_default();
            (name, arts.len())
        })
        .collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}

/// Is publication date `a` before `b`? A known date is earlier than none.
fn earlier(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a < b,
        (Some(_), None) => true,
        _ => false,
    }
}
