//! The browser's stories: one timeline row per happening (a story from
//! `crate::story`), with how many sources report it and whether they
//! disagree on the date, and the detail of one story with its sources.
//!
//! A story row is a `Data` row like an event's (its id is the story's), so
//! the timeline, search, pickers and strip work on stories unchanged; what
//! only stories have sits beside it in `Stories::info`, by row index.

use std::collections::HashMap;
use std::sync::Arc;

use super::data::{snapshot, timeline_order, Data, Save};
use crate::store::stories::{StoryQuote, StoryRecord, StoryRow, StorySource};
use crate::store::{Store, StoreError, TimelineRow};

/// What a story row shows besides an event row's fields.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StoryInfo {
    /// Distinct articles that report the happening.
    pub sources: u32,
    /// The sources give dates that differ beyond the date's precision.
    pub disagreement: bool,
}

/// The stories as the browser holds them.
#[derive(Debug, Default)]
pub struct Stories {
    pub data: Arc<Data>,
    /// By row index of `data`.
    pub info: Vec<StoryInfo>,
    /// The reader's marks by row index: (index, read, starred).
    pub marks: Vec<(u32, bool, bool)>,
}

impl Stories {
    pub fn info(&self, i: u32) -> Option<StoryInfo> {
        self.info.get(i as usize).copied()
    }

    /// Builds from story rows and each story's quotes (by story id).
    pub fn from_rows(rows: Vec<StoryRow>, quotes: HashMap<String, Vec<String>>) -> Stories {
        Stories::from_rows_aliased(rows, quotes, &HashMap::new())
    }

    /// `from_rows` with the officials' other names (by official name):
    /// the picker and the search find a person in the stories under any
    /// of them, as in the events.
    pub fn from_rows_aliased(
        rows: Vec<StoryRow>,
        mut quotes: HashMap<String, Vec<String>>,
        aliases: &HashMap<String, Vec<String>>,
    ) -> Stories {
        let fields = rows
            .iter()
            .map(|r| {
                let qs = quotes.remove(&r.id).unwrap_or_default();
                crate::store::search::quotes_field(qs.iter().map(String::as_str))
            })
            .collect();
        Stories::from_rows_fields(rows, fields, aliases)
    }

    /// `from_rows_aliased` with each row's quotes already made into its
    /// search field (the store keeps it so: `stories.quote_text`), by row.
    pub fn from_rows_fields(
        rows: Vec<StoryRow>,
        fields: Vec<String>,
        aliases: &HashMap<String, Vec<String>>,
    ) -> Stories {
        // `Data::from_rows_aliased` puts the rows in timeline order: the
        // same sort of their positions says where each row's badge goes,
        // without a map by id.
        let mut order: Vec<u32> = (0..rows.len() as u32).collect();
        order.sort_by(|&a, &b| {
            timeline_order(
                (&rows[a as usize].date_key, a as i64),
                (&rows[b as usize].date_key, b as i64),
            )
        });
        let info_at: Vec<StoryInfo> = rows
            .iter()
            .map(|r| StoryInfo {
                sources: r.sources.min(u32::MAX as usize) as u32,
                disagreement: r.disagreement,
            })
            .collect();
        let rows: Vec<TimelineRow> = rows
            .into_iter()
            .map(|r| TimelineRow {
                id: r.id,
                date_key: r.date_key,
                date_value: r.date_value,
                approximate: false,
                kind: r.kind,
                summary: r.summary,
                countries: r.countries,
                officials: r.officials,
            })
            .collect();
        let data = Data::from_rows_fields(rows, fields, aliases);
        let info = order.iter().map(|&i| info_at[i as usize]).collect();
        Stories {
            data: Arc::new(data),
            info,
            marks: Vec::new(),
        }
    }
}

/// Every story with its quotes and the reader's marks: one read of the
/// stories (their quotes' search field is kept with them), none per row.
pub fn load(store: &Store) -> Result<Stories, StoreError> {
    let (rows, quotes) = store.story_rows_with_quotes()?;
    let mut s = Stories::from_rows_fields(rows, quotes, &aliases_by_name(store)?);
    add_marks(store, &mut s)?;
    Ok(s)
}

/// `load`, or the saved copy of the last load when the store has not
/// changed since (`data::snapshot`, as for the events). A fresh load of
/// a big store comes with the `Save` to write once it is shown.
pub fn load_cached(store: &Store) -> Result<(Stories, Option<Save>), StoreError> {
    load_cached_from(store, super::data::SAVE_FROM)
}

/// `load_cached` with the least number of stories worth saving.
pub fn load_cached_from(store: &Store, from: usize) -> Result<(Stories, Option<Save>), StoreError> {
    let generation = store.browse_generation().ok();
    let path = snapshot::path_for(store.path(), snapshot::Kind::Stories);
    if let Some((data, Some(info))) = generation.and_then(|g| snapshot::read(&path, g).ok()) {
        if info.len() == data.len() {
            let info = info
                .into_iter()
                .map(|(sources, disagreement)| StoryInfo {
                    sources,
                    disagreement,
                })
                .collect();
            let mut s = Stories {
                data: Arc::new(data),
                info,
                marks: Vec::new(),
            };
            add_marks(store, &mut s)?;
            return Ok((s, None));
        }
    }
    let s = load(store)?;
    let save = Save::after(
        store,
        snapshot::Kind::Stories,
        generation,
        s.data.len(),
        from,
    );
    Ok((s, save))
}

impl Stories {
    /// The per-row story info as the saved copy keeps it.
    pub fn info_pairs(&self) -> Vec<(u32, bool)> {
        self.info
            .iter()
            .map(|i| (i.sources, i.disagreement))
            .collect()
    }
}

/// The reader's marks on the stories, by row index.
fn add_marks(store: &Store, s: &mut Stories) -> Result<(), StoreError> {
    let marks = store.story_marks()?;
    if !marks.is_empty() {
        let at: HashMap<&str, u32> = s
            .data
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| (&*r.id, i as u32))
            .collect();
        s.marks = marks
            .iter()
            .filter_map(|(id, r, st)| at.get(id.as_str()).map(|&i| (i, *r, *st)))
            .collect();
    }
    Ok(())
}

/// Every official's other names, by the name the stories show.
fn aliases_by_name(store: &Store) -> Result<HashMap<String, Vec<String>>, StoreError> {
    let mut by_id = store.official_aliases()?;
    if by_id.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(store
        .official_names()?
        .into_iter()
        .filter_map(|(id, name)| by_id.remove(&id).map(|a| (name, a)))
        .collect())
}

/// The newest stories, for the first screen while the rest loads.
pub fn preview(store: &Store, limit: usize) -> Result<Stories, StoreError> {
    let rows = store.newest_story_rows(limit)?;
    Ok(Stories::from_rows(rows, HashMap::new()))
}

/// One source as the detail pane lists it: its quotes that no other
/// source carries (the shared ones are listed once for the story).
#[derive(Clone, Debug, PartialEq)]
pub struct ShownSource {
    pub source: StorySource,
    /// Indices into `source.quotes` of the quotes only this source has.
    pub own_quotes: Vec<usize>,
    /// Its date differs from the story's.
    pub differs: bool,
}

/// A story as the detail pane shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct StoryDetail {
    /// The row index in the stories' data.
    pub index: u32,
    pub story: StoryRecord,
    pub sources: Vec<ShownSource>,
    /// Quotes carried by two sources or more, each once.
    pub shared: Vec<StoryQuote>,
    /// Set (to the number of sources) when the story has too many sources
    /// to read them all for the pane: only its row is shown.
    pub too_many: Option<u32>,
}

/// Stories with more sources than this are not read whole for the detail
/// pane: that would stall the browser (a store of generated events can
/// hold one story of most of its events).
pub const MAX_LISTED_SOURCES: u32 = 500;

impl StoryDetail {
    pub fn new(index: u32, story: StoryRecord) -> StoryDetail {
        let shared: Vec<StoryQuote> = story
            .quotes
            .iter()
            .filter(|q| q.sources > 1)
            .cloned()
            .collect();
        let keys: Vec<String> = shared
            .iter()
            .map(|q| crate::story::similarity::identity_key(&q.text))
            .collect();
        // The same test the story's quote list was made with: the same
        // words, or words inside a longer quote of the same speech.
        let is_shared = |text: &str| {
            let k = crate::story::similarity::identity_key(text);
            !k.is_empty()
                && keys
                    .iter()
                    .any(|s| s.contains(&k) || k.contains(s.as_str()))
        };
        let date = &story.date;
        let sources = story
            .sources
            .iter()
            .map(|s| ShownSource {
                own_quotes: (0..s.quotes.len())
                    .filter(|&k| !is_shared(&s.quotes[k].text))
                    .collect(),
                differs: story.date_disagreement && s.date != *date,
                source: s.clone(),
            })
            .collect();
        StoryDetail {
            index,
            story,
            sources,
            shared,
            too_many: None,
        }
    }

    /// The detail of a story too large to read whole: what its row says.
    pub fn from_row(data: &Data, index: u32, info: StoryInfo) -> Option<StoryDetail> {
        let r = data.rows.get(index as usize)?;
        let named = |name: &str| crate::store::stories::Counted {
            name: name.to_string(),
            sources: 0,
        };
        let story = StoryRecord {
            id: r.id.to_string(),
            date: r.value.to_string(),
            date_disagreement: info.disagreement,
            kind: r.kind,
            summary: r.summary.to_string(),
            sources: Vec::new(),
            officials: r
                .officials
                .iter()
                .map(|&o| named(data.official_name(o)))
                .collect(),
            countries: r
                .countries
                .iter()
                .map(|&c| named(data.country_code(c)))
                .collect(),
            quotes: Vec::new(),
            events: Vec::new(),
            date_key: r.date.to_string(),
        };
        Some(StoryDetail {
            too_many: Some(info.sources),
            ..StoryDetail::new(index, story)
        })
    }
}

/// The story of row `index` (id `id`), whole.
pub fn load_detail(store: &Store, index: u32, id: &str) -> Result<Option<StoryDetail>, StoreError> {
    Ok(store.story(id)?.map(|mut s| {
        if let Some(whole) = whole_summary(&s) {
            s.summary = whole;
        }
        StoryDetail::new(index, s)
    }))
}

/// The representative source's whole sentence, for a summary cut with "…"
/// for the timeline's one line: the detail pane has room for all of it.
fn whole_summary(s: &StoryRecord) -> Option<String> {
    let cut = s.summary.strip_suffix('…')?.trim_end();
    let tidy = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    let cut = tidy(cut);
    s.sources
        .iter()
        .map(|src| tidy(&src.evidence))
        .find(|e| e.starts_with(&cut) && e.len() > cut.len())
}

/// Cleans what a story detail shows for the screen (the store may hold
/// text written by another program).
pub fn clean_detail(d: &mut StoryDetail) {
    use crate::source::sanitize::clean_line;
    let one = |s: &mut String| {
        if let std::borrow::Cow::Owned(c) = clean_line(s) {
            *s = c;
        }
    };
    let opt = |s: &mut Option<String>| {
        if let Some(s) = s {
            if let std::borrow::Cow::Owned(c) = clean_line(s) {
                *s = c;
            }
        }
    };
    one(&mut d.story.summary);
    one(&mut d.story.date);
    for c in d
        .story
        .officials
        .iter_mut()
        .chain(d.story.countries.iter_mut())
    {
        one(&mut c.name);
    }
    for q in d.shared.iter_mut() {
        one(&mut q.text);
        opt(&mut q.speaker);
    }
    for s in &mut d.sources {
        let s = &mut s.source;
        opt(&mut s.outlet);
        opt(&mut s.title);
        opt(&mut s.published);
        opt(&mut s.url);
        one(&mut s.evidence);
        one(&mut s.date);
        opt(&mut s.date_phrase);
        for q in &mut s.quotes {
            one(&mut q.text);
            opt(&mut q.speaker);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EventKind;

    fn srow(id: &str, date: &str, sources: usize, disagree: bool) -> StoryRow {
        StoryRow {
            id: id.into(),
            date_key: date.into(),
            date_value: date.into(),
            disagreement: disagree,
            kind: EventKind::Meet,
            summary: format!("story {id}"),
            sources,
            events: sources,
            officials: vec!["Ana Ruiz".into()],
            countries: vec!["PE".into()],
        }
    }

    #[test]
    fn story_rows_keep_their_badges_in_timeline_order() {
        let mut q = HashMap::new();
        q.insert("s2".to_string(), vec!["We stand together".to_string()]);
        let s = Stories::from_rows(
            vec![
                srow("s2", "2026-03-02", 3, true),
                srow("s0", "", 1, false),
                srow("s1", "2026-03-01", 2, false),
            ],
            q,
        );
        let ids: Vec<&str> = s.data.rows.iter().map(|r| &*r.id).collect();
        assert_eq!(ids, ["s1", "s2", "s0"]);
        assert_eq!(
            s.info(1).map(|i| (i.sources, i.disagreement)),
            Some((3, true))
        );
        assert_eq!(s.info(0).map(|i| i.sources), Some(2));
        assert_eq!(
            s.data.field(1, super::super::data::F_QUOTES),
            "we stand together"
        );
        assert_eq!(s.data.dated, 2);
    }

    #[test]
    fn shared_quotes_are_listed_once_and_not_per_source() {
        use crate::store::query::QuoteRecord;
        let q = |t: &str| QuoteRecord {
            text: t.into(),
            speaker: Some("Ana Ruiz".into()),
        };
        let src = |art: &str, date: &str, quotes: Vec<QuoteRecord>| StorySource {
            outlet: Some(format!("Outlet {art}")),
            title: None,
            published: None,
            url: None,
            article_id: art.into(),
            event_id: format!("e-{art}"),
            evidence: "Ruiz met the envoys.".into(),
            date: date.into(),
            date_phrase: None,
            quotes,
            evidence_start: 0,
        };
        let story = StoryRecord {
            id: "s1".into(),
            date: "2026-03-02".into(),
            date_disagreement: true,
            kind: EventKind::Meet,
            summary: "Ruiz met the envoys".into(),
            sources: vec![
                src(
                    "a",
                    "2026-03-02",
                    vec![q("We stand together."), q("Talks go on")],
                ),
                src("b", "2026-03-03", vec![q("we stand together")]),
            ],
            officials: Vec::new(),
            countries: Vec::new(),
            quotes: vec![
                StoryQuote {
                    text: "We stand together.".into(),
                    speaker: Some("Ana Ruiz".into()),
                    sources: 2,
                },
                StoryQuote {
                    text: "Talks go on".into(),
                    speaker: Some("Ana Ruiz".into()),
                    sources: 1,
                },
            ],
            events: vec!["e-a".into(), "e-b".into()],
            date_key: "2026-03-02".into(),
        };
        let d = StoryDetail::new(4, story);
        assert_eq!(d.shared.len(), 1);
        assert_eq!(d.sources[0].own_quotes, [1]);
        assert!(d.sources[1].own_quotes.is_empty());
        assert!(!d.sources[0].differs);
        assert!(d.sources[1].differs);
    }

    #[test]
    fn a_cut_summary_is_shown_whole_from_the_source_it_came_from() {
        let src = |evidence: &str| StorySource {
            outlet: None,
            title: None,
            published: None,
            url: None,
            article_id: "a".into(),
            event_id: "e".into(),
            evidence: evidence.into(),
            date: "2026-03-02".into(),
            date_phrase: None,
            quotes: Vec::new(),
            evidence_start: 0,
        };
        let mut story = StoryRecord {
            id: "s1".into(),
            date: "2026-03-02".into(),
            date_disagreement: false,
            kind: EventKind::Meet,
            summary: "Ruiz met the envoys of three coastal states in…".into(),
            sources: vec![
                src("Ruiz met the envoys on Monday."),
                src("Ruiz met the envoys of three coastal states in\n Callao to talk about fishing rights."),
            ],
            officials: Vec::new(),
            countries: Vec::new(),
            quotes: Vec::new(),
            events: vec!["e".into()],
            date_key: "2026-03-02".into(),
        };
        assert_eq!(
            whole_summary(&story).as_deref(),
            Some("Ruiz met the envoys of three coastal states in Callao to talk about fishing rights.")
        );
        // A whole summary stays as it is.
        story.summary = "Ruiz met the envoys on Monday.".into();
        assert_eq!(whole_summary(&story), None);
    }
}
