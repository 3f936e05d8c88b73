//! The browser's state and its one `update` function. `update` changes
//! state only and returns effects (start a search, fetch a detail, open the
//! article); the loop performs them. No terminal, no I/O here.

use std::collections::BTreeSet;
use std::sync::Arc;

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::{Position, Rect};

use super::data::Data;
use super::edit::{Edited, LineEdit};
use super::keymap::{Action, Config};
use super::layout::{layout, Layout, Tier};
use super::search::{Hits, Query};
use super::stories::{Stories, StoryDetail};
use crate::model::EventKind;
use crate::span::Span;
use crate::store::EventRecord;

mod story_view;
pub use story_view::StoryView;

/// Everything the loop's queue carries.
#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// Loading progress: done of total steps.
    Progress(usize, usize),
    Loaded(Result<Arc<Data>, String>),
    /// The reader's marks as loaded: (event index, read, starred).
    Marks(Vec<(u32, bool, bool)>),
    /// The first screen of rows (newest first) read from the date index,
    /// shown while the whole store loads.
    Preview(Arc<Data>),
    Searched(Hits),
    Detail(Box<Detail>),
    Source(Box<SourceDoc>),
    /// Something the user should read in the status line.
    Error(String),
    /// Something done, said in the status line (not an error).
    Note(String),
    /// Rows another connection committed, matched to the rows shown.
    Reloaded(Box<Reload>),
    /// How the browser's own feed refresh is going.
    Feeds(FeedsProgress),
    /// Stories as timeline rows: the first screen's (`preview`) or all.
    Stories {
        stories: Arc<Stories>,
        preview: bool,
    },
    StoryDetail(Box<StoryDetail>),
    /// A story source's article, to open at its evidence sentence.
    StorySource(Box<SourceDoc>),
    /// The story an event is in (its id), after `v` from the event.
    StoryOf(String),
}

/// The store read again after another connection committed, with each
/// row shown before matched to its place in the new rows (so that the
/// selection, marks and search results can stay where they are).
#[derive(Debug)]
pub struct Reload {
    pub data: Arc<Data>,
    /// The data the match was made against.
    pub base: Arc<Data>,
    /// Index in `base` -> index in `data` (u32::MAX: gone).
    pub remap: Vec<u32>,
    /// Indices in `data` of the rows `base` did not have.
    pub fresh: Vec<u32>,
}

impl Reload {
    /// Matches `data`'s rows to `base`'s by event id.
    pub fn between(base: Arc<Data>, data: Arc<Data>) -> Reload {
        let at: std::collections::HashMap<&str, u32> = base
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| (&*r.id, i as u32))
            .collect();
        let mut remap = vec![u32::MAX; base.len()];
        let mut fresh = Vec::new();
        for (i, r) in data.rows.iter().enumerate() {
            match at.get(&*r.id) {
                Some(&o) => remap[o as usize] = i as u32,
                None => fresh.push(i as u32),
            }
        }
        drop(at);
        Reload {
            data,
            base,
            remap,
            fresh,
        }
    }

    fn map(&self, i: u32) -> Option<u32> {
        self.remap
            .get(i as usize)
            .copied()
            .filter(|&n| n != u32::MAX)
    }
}

/// The browser's feed refresh, as the status line tells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FeedsProgress {
    /// `done` of `total` feeds fetched so far.
    Updating {
        done: usize,
        total: usize,
        failed: usize,
    },
    Updated {
        total: usize,
        failed: usize,
        new_events: usize,
    },
}

impl FeedsProgress {
    /// "updating 3/12 · 1 failed", "+17 events".
    pub fn text(self) -> String {
        let failed = |n: usize| {
            if n > 0 {
                format!(" · {n} failed")
            } else {
                String::new()
            }
        };
        match self {
            FeedsProgress::Updating { total: 0, .. } => "updating feeds…".into(),
            FeedsProgress::Updating {
                done,
                total,
                failed: f,
            } => format!("updating {done}/{total}{}", failed(f)),
            FeedsProgress::Updated { total: 0, .. } => "feeds: none to fetch now".into(),
            FeedsProgress::Updated {
                new_events: 0,
                failed: f,
                ..
            } => format!("feeds: no new events{}", failed(f)),
            FeedsProgress::Updated {
                new_events,
                failed: f,
                ..
            } => format!(
                "+{new_events} event{}{}",
                if new_events == 1 { "" } else { "s" },
                failed(f)
            ),
        }
    }
}

#[derive(Debug, PartialEq)]
pub enum Effect {
    /// Open a link in the user's browser.
    OpenLink(String),
    /// Fetch the feeds now (on the refresher's thread).
    RefreshFeeds,
    /// Put a link on the clipboard (OSC 52).
    CopyLink(String),
    /// Store an event's marks.
    SaveMark {
        id: Box<str>,
        read: bool,
        starred: bool,
    },
    /// Write these events (view order) to a file; CSV, or JSON for `.json`.
    Export {
        path: String,
        events: Arc<Vec<u32>>,
    },
    Search(Query),
    CancelSearch(u64),
    /// Fetch the detail of event `index` (its id is in the data).
    LoadDetail(u32),
    /// Open the article of event `index`, landing on quote `quote`.
    OpenSource {
        index: u32,
        quote: Option<usize>,
    },
    /// Fetch the story of row `index` with its sources.
    LoadStory(u32),
    /// Open the article of one source (event `event_id`) of story row
    /// `index`, at its evidence sentence.
    OpenStorySource {
        index: u32,
        event_id: String,
    },
    /// Store a story's marks on all its events.
    SaveStoryMark {
        id: Box<str>,
        read: bool,
        starred: bool,
    },
    /// Find the story event `0` is in (answered with `Msg::StoryOf`).
    FindStory(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct OfficialInfo {
    pub name: String,
    pub title: Option<String>,
    pub country: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct QuoteInfo {
    pub text: String,
    pub speaker: Option<String>,
    pub span: Span,
}

/// An event as the detail pane shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Detail {
    pub index: u32,
    pub rec: EventRecord,
    pub officials: Vec<OfficialInfo>,
    pub quotes: Vec<QuoteInfo>,
    /// Where the publication date came from (dateline, metadata...).
    pub published_from: Option<String>,
    /// The words the date was read from ("on Saturday"), when found.
    pub phrase: Option<String>,
    /// The whole evidence sentence, when the stored summary was cut short
    /// ("…"): the pane has room to show all of it.
    pub full_summary: Option<String>,
}

/// An article opened from an event.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceDoc {
    pub index: u32,
    pub title: String,
    pub byline: String,
    /// The article's link, shown in the status line of the source view.
    pub url: Option<String>,
    pub text: String,
    pub evidence: Span,
    pub quotes: Vec<Span>,
    pub start_quote: Option<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pane {
    Timeline,
    Detail,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PickKind {
    Country,
    Official,
    Kind,
}

/// The timeline's order. Newest first is where a news reader starts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Order {
    #[default]
    Newest,
    Oldest,
    /// Best match first: only while a search is kept as a filter.
    Ranked,
}

impl Order {
    pub fn label(self) -> &'static str {
        match self {
            Order::Newest => "newest first",
            Order::Oldest => "oldest first",
            Order::Ranked => "best match first",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PromptKind {
    JumpDate,
    DateRange,
    Export,
}

impl PromptKind {
    pub fn title(self) -> &'static str {
        match self {
            PromptKind::JumpDate => "jump to date (2019-05, 2019-05-08, last week): ",
            PromptKind::DateRange => {
                "date range (2019, 2019-05..2019-06, last month; empty clears): "
            }
            PromptKind::Export => "export the view to: ",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Prompt {
    pub kind: PromptKind,
    pub line: LineEdit,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Picker {
    pub kind: PickKind,
    pub query: String,
    /// (value index, events under the other filters), most first.
    pub items: Vec<(u32, usize)>,
    /// Indices into `items` that match the query, best first.
    pub shown: Vec<usize>,
    pub sel: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SourceView {
    pub doc: Box<SourceDoc>,
    /// Wrapped lines as byte ranges into `doc.text`.
    pub lines: Vec<(usize, usize)>,
    pub wrap_width: u16,
    pub scroll: usize,
    pub current: usize,
    /// A search inside the article (`/`): while it is on, `n`/`N` step
    /// through its hits instead of the quotes.
    pub find: Option<Find>,
}

/// A search inside the source view.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Find {
    pub line: LineEdit,
    /// Typing in it (else kept while reading).
    pub editing: bool,
    /// Byte ranges of the hits in the article text, in order.
    pub hits: Vec<(usize, usize)>,
    /// Which hit `n`/`N` last landed on.
    pub current: usize,
}

/// The most hits a search inside an article keeps.
const MAX_FIND_HITS: usize = 10_000;

/// Where `query` occurs in `text`, ignoring case, as byte ranges of
/// `text`: plain text, not fuzzy (a reader looks for the words on the
/// page). Each char is compared by the first char of its lower case, so
/// the ranges stay on `text`'s char boundaries.
pub fn find_all(text: &str, query: &str) -> Vec<(usize, usize)> {
    let low = |c: char| c.to_lowercase().next().unwrap_or(c);
    let q: Vec<char> = query.trim().chars().map(low).collect();
    if q.is_empty() {
        return Vec::new();
    }
    let t: Vec<(usize, char)> = text.char_indices().map(|(i, c)| (i, low(c))).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i + q.len() <= t.len() && out.len() < MAX_FIND_HITS {
        if t[i..i + q.len()].iter().zip(&q).all(|(a, b)| a.1 == *b) {
            let end = t.get(i + q.len()).map_or(text.len(), |x| x.0);
            out.push((t[i].0, end));
            i += q.len();
        } else {
            i += 1;
        }
    }
    out
}

#[derive(Clone, Debug, PartialEq)]
pub enum Overlay {
    Help { scroll: usize },
    Picker(Picker),
    Source(SourceView),
    Prompt(Prompt),
}

#[derive(Clone, Debug, Default)]
pub struct SearchState {
    pub editing: bool,
    pub query: String,
    /// Byte offset of the caret in `query`.
    pub caret: usize,
    pub gen: u64,
    pub hits: Option<Arc<Hits>>,
    /// Which of `hits.ranked` the cursor was sent to.
    pub pos: usize,
}

/// The search query kept as a filter (Enter in the search bar).
#[derive(Clone, Debug)]
pub struct KeptSearch {
    pub query: String,
    pub gen: u64,
    pub hits: Arc<Hits>,
}

/// The density strip's buckets, recomputed when the view or width changes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Strip {
    pub first: i32,
    pub last: i32,
    pub counts: Vec<u32>,
    pub hits: Vec<bool>,
    /// Events before `first` and after `last`: the strip spans where most
    /// events are, and says how many lie outside it.
    pub before: usize,
    pub after: usize,
}

impl Strip {
    pub fn column(&self, day: i32) -> Option<usize> {
        let w = self.counts.len();
        if w == 0 || day == i32::MIN {
            return None;
        }
        let span = (self.last - self.first).max(1) as i64;
        let c = (day as i64 - self.first as i64) * (w as i64 - 1) / span;
        Some(c.clamp(0, w as i64 - 1) as usize)
    }

    pub fn day_at(&self, col: usize) -> i32 {
        let w = self.counts.len().max(2) as i64;
        let span = (self.last - self.first).max(1) as i64;
        (self.first as i64 + (col as i64 * span + w - 2) / (w - 1)) as i32
    }
}

/// Filters asked for on the command line, applied once the data is in.
#[derive(Clone, Debug, Default)]
pub struct Prefilter {
    pub countries: Vec<String>,
    pub officials: Vec<String>,
}

pub struct App {
    pub cfg: Config,
    pub size: (u16, u16),
    pub store_label: String,
    pub data: Option<Arc<Data>>,
    pub loading: Option<(usize, usize)>,
    pub error: Option<String>,
    /// A short confirmation for the status line, cleared by the next key.
    pub note: Option<String>,
    /// `data` holds only the first screen; the whole store is loading.
    pub preview: bool,
    pub prefilter: Prefilter,
    pub countries: BTreeSet<u16>,
    pub officials: BTreeSet<u32>,
    /// Kinds shown (indices into `EventKind::ALL`); empty: all.
    pub kinds: BTreeSet<u8>,
    /// Date bounds as `YYYY[-MM[-DD]]` (inclusive, the whole period).
    pub range: Option<(String, String)>,
    /// Read and starred marks by event index (absent: neither).
    pub marks: std::collections::HashMap<u32, (bool, bool)>,
    pub unread_only: bool,
    pub starred_only: bool,
    pub kept: Option<KeptSearch>,
    pub order: Order,
    /// Event indices shown, in the order shown.
    pub view: Arc<Vec<u32>>,
    /// The same events ascending (what a search scans).
    pub members: Arc<Vec<u32>>,
    /// Event index -> its place in `view` (u32::MAX: not shown).
    at: Vec<u32>,
    /// Today, for "last week" (fixed in tests).
    pub today: chrono::NaiveDate,
    pub cursor: usize,
    pub top: usize,
    pub focus: Pane,
    pub search: SearchState,
    pub detail: Option<Box<Detail>>,
    pub detail_scroll: usize,
    pub quote_sel: usize,
    pub overlays: Vec<Overlay>,
    pub strip: Strip,
    pub quit: bool,
    /// The browser's feed refresh: in progress, or what the last one brought.
    pub feeds: Option<FeedsProgress>,
    /// Events that arrived while the browser was open (by index): those
    /// above the screen are counted in the status line until `g`.
    pub fresh: Vec<u32>,
    /// The search generation rerun after a reload: its results replace
    /// the old ones without moving the cursor.
    quiet_gen: Option<u64>,
    /// Stories or single events (`v`), the story detail.
    pub stories: StoryView,
}

/// One line of the timeline pane.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TLine {
    /// A day heading, for the event at this view position.
    Heading(usize),
    Event(usize),
}

/// Index of a kind in `EventKind::ALL`.
pub fn kind_index(k: EventKind) -> u8 {
    EventKind::ALL.iter().position(|&x| x == k).unwrap_or(0) as u8
}

fn kind_name(i: u32) -> &'static str {
    EventKind::ALL.get(i as usize).map_or("", |k| k.as_str())
}

/// What a timeline heading groups by (see `dates::heading_key`).
fn day_of(r: &super::data::Row) -> &str {
    if r.date.is_empty() {
        ""
    } else {
        super::dates::heading_key(&r.value)
    }
}

impl App {
    pub fn new(cfg: Config, size: (u16, u16), store_label: String, prefilter: Prefilter) -> App {
        App {
            cfg,
            size,
            store_label,
            data: None,
            loading: Some((0, 1)),
            error: None,
            note: None,
            preview: false,
            prefilter,
            countries: BTreeSet::new(),
            officials: BTreeSet::new(),
            kinds: BTreeSet::new(),
            range: None,
            marks: Default::default(),
            unread_only: false,
            starred_only: false,
            kept: None,
            order: Order::default(),
            view: Arc::new(Vec::new()),
            members: Arc::new(Vec::new()),
            at: Vec::new(),
            today: chrono::Local::now().date_naive(),
            cursor: 0,
            top: 0,
            focus: Pane::Timeline,
            search: SearchState::default(),
            detail: None,
            detail_scroll: 0,
            quote_sel: 0,
            overlays: Vec::new(),
            strip: Strip::default(),
            quit: false,
            feeds: None,
            fresh: Vec::new(),
            quiet_gen: None,
            stories: StoryView::default(),
        }
    }

    pub fn layout(&self) -> Layout {
        layout(Rect::new(0, 0, self.size.0, self.size.1), self.focus)
    }

    /// The event under the cursor.
    pub fn current(&self) -> Option<u32> {
        self.view.get(self.cursor).copied()
    }

    fn current_id(&self) -> Option<Box<str>> {
        let i = self.current()?;
        Some(self.data.as_ref()?.rows.get(i as usize)?.id.clone())
    }

    fn timeline_height(&self) -> usize {
        self.layout().timeline_inner().height as usize
    }

    /// The lines the timeline pane shows from `top`, `height` of them: a
    /// heading first (the day of the top event), then a heading whenever
    /// the day changes.
    pub fn timeline_lines(&self, height: usize) -> Vec<TLine> {
        let mut out = Vec::with_capacity(height);
        let Some(data) = &self.data else {
            return out;
        };
        let mut prev: Option<&str> = None;
        let mut p = self.top;
        let headings = self.order != Order::Ranked;
        while out.len() < height && p < self.view.len() {
            let day = data.rows.get(self.view[p] as usize).map_or("", day_of);
            if headings && prev != Some(day) {
                out.push(TLine::Heading(p));
                prev = Some(day);
                continue;
            }
            out.push(TLine::Event(p));
            p += 1;
        }
        out
    }

    /// Moves `top` so the cursor's row is on screen.
    fn ensure_visible(&mut self) {
        let height = self.timeline_height().max(2);
        if self.cursor < self.top {
            self.top = self.cursor;
            return;
        }
        let Some(data) = &self.data else { return };
        let day = |p: usize| data.rows.get(self.view[p] as usize).map_or("", day_of);
        // The smallest top from which the cursor still fits.
        let headings = self.order != Order::Ranked;
        let mut t = self.cursor;
        let mut need = 1 + usize::from(headings);
        while t > self.top {
            let extra = 1 + usize::from(headings && day(t - 1) != day(t));
            if need + extra > height {
                break;
            }
            need += extra;
            t -= 1;
        }
        self.top = self.top.max(t);
    }

    fn set_cursor(&mut self, pos: usize) -> Vec<Effect> {
        if self.view.is_empty() {
            self.cursor = 0;
            self.top = 0;
            return Vec::new();
        }
        self.cursor = pos.min(self.view.len() - 1);
        self.ensure_visible();
        self.detail_effect()
    }

    fn detail_effect(&mut self) -> Vec<Effect> {
        if self.stories_shown() {
            return self.story_detail_effect();
        }
        match self.current() {
            Some(i) if self.detail.as_ref().map(|d| d.index) != Some(i) => {
                self.detail_scroll = 0;
                self.quote_sel = 0;
                vec![Effect::LoadDetail(i)]
            }
            _ => Vec::new(),
        }
    }

    fn passes(&self, data: &Data, i: usize, skip: Option<PickKind>) -> bool {
        let Some(r) = data.rows.get(i) else {
            return false;
        };
        (skip == Some(PickKind::Country)
            || self.countries.is_empty()
            || r.countries.iter().any(|c| self.countries.contains(c)))
            && (skip == Some(PickKind::Official)
                || self.officials.is_empty()
                || r.officials.iter().any(|o| self.officials.contains(o)))
            && (skip == Some(PickKind::Kind)
                || self.kinds.is_empty()
                || self.kinds.contains(&kind_index(r.kind)))
            && self.range.as_ref().is_none_or(|(from, to)| {
                !r.date.is_empty() && *r.date >= **from && *r.date <= *format!("{to}~")
            })
            && (!self.unread_only || !self.mark(i as u32).0)
            && (!self.starred_only || self.mark(i as u32).1)
            && self.kept.as_ref().is_none_or(|k| k.hits.contains(i as u32))
    }

    /// (read, starred) of event `i`.
    pub fn mark(&self, i: u32) -> (bool, bool) {
        self.marks.get(&i).copied().unwrap_or_default()
    }

    /// Sets event `i`'s marks and asks for them to be stored.
    fn set_mark(&mut self, i: u32, read: bool, starred: bool) -> Vec<Effect> {
        let Some(id) = self
            .data
            .as_ref()
            .and_then(|d| d.rows.get(i as usize))
            .map(|r| r.id.clone())
        else {
            return Vec::new();
        };
        if (read, starred) == (false, false) {
            self.marks.remove(&i);
        } else {
            self.marks.insert(i, (read, starred));
        }
        if self.stories_shown() {
            return vec![Effect::SaveStoryMark { id, read, starred }];
        }
        vec![Effect::SaveMark { id, read, starred }]
    }

    /// The place of event `i` in the view.
    pub fn pos_of(&self, i: u32) -> Option<usize> {
        self.at
            .get(i as usize)
            .copied()
            .filter(|&p| p != u32::MAX)
            .map(|p| p as usize)
    }

    /// Recomputes the view after a filter change: the cursor lands on
    /// the first result, scrolled to the top so as many as fit are in
    /// view; the live search reruns.
    fn refilter(&mut self) -> Vec<Effect> {
        self.rebuild_view(None)
    }

    /// Recomputes the view keeping the cursor on event `keep` when it is
    /// still shown (an order change), else on the first result.
    fn rebuild_view(&mut self, keep: Option<u32>) -> Vec<Effect> {
        if !self.compute_view() {
            return Vec::new();
        }
        // A new view starts at its top: nothing new is hidden above it.
        self.fresh.clear();
        let pos = keep.and_then(|k| self.pos_of(k)).unwrap_or(0);
        self.top = 0;
        let mut fx = self.set_cursor(pos);
        self.rebuild_strip();
        if !self.search.query.is_empty() && self.kept.is_none() {
            fx.extend(self.start_search());
        }
        fx
    }

    /// Recomputes `view`, `members` and `at` from the data and the
    /// filters; false when there is no data.
    fn compute_view(&mut self) -> bool {
        let Some(data) = self.data.clone() else {
            return false;
        };
        let members: Vec<u32> = (0..data.len())
            .filter(|&i| self.passes(&data, i, None))
            .map(|i| i as u32)
            .collect();
        if self.order == Order::Ranked && self.kept.is_none() {
            self.order = Order::Newest;
        }
        let view: Vec<u32> = match (self.order, &self.kept) {
            (Order::Oldest, _) => members.clone(),
            (Order::Ranked, Some(k)) => k
                .hits
                .ranked
                .iter()
                .copied()
                .filter(|&i| self.passes(&data, i as usize, None))
                .collect(),
            _ => {
                // Newest first, undated last.
                let split = members.partition_point(|&i| (i as usize) < data.dated);
                let mut v: Vec<u32> = members[..split].iter().rev().copied().collect();
                v.extend_from_slice(&members[split..]);
                v
            }
        };
        self.at = vec![u32::MAX; data.len()];
        for (p, &i) in view.iter().enumerate() {
            if let Some(slot) = self.at.get_mut(i as usize) {
                *slot = p as u32;
            }
        }
        self.view = Arc::new(view);
        self.members = Arc::new(members);
        true
    }

    /// The line of the timeline pane the cursor's row is on.
    fn cursor_row(&self) -> Option<usize> {
        self.timeline_lines(self.timeline_height())
            .iter()
            .position(|l| *l == TLine::Event(self.cursor))
    }

    /// Puts the cursor on view position `pos`, scrolled so that its row
    /// is on pane line `row` (as near as the day headings allow).
    fn place(&mut self, pos: usize, row: usize) {
        if self.view.is_empty() {
            self.cursor = 0;
            self.top = 0;
            return;
        }
        self.cursor = pos.min(self.view.len() - 1);
        let Some(data) = &self.data else { return };
        let day = |p: usize| data.rows.get(self.view[p] as usize).map_or("", day_of);
        let headings = self.order != Order::Ranked;
        // Lines from `t` to the cursor: each row, a heading on top and one
        // where the day changes.
        let mut t = self.cursor;
        let mut used = 1 + usize::from(headings);
        while t > 0 {
            let extra = 1 + usize::from(headings && day(t - 1) != day(t));
            if used + extra > row + 1 {
                break;
            }
            used += extra;
            t -= 1;
        }
        self.top = t;
        self.ensure_visible();
    }

    /// How many events that arrived while the browser was open sit above
    /// the screen (the status line counts them; `g` shows them).
    pub fn new_above(&self) -> usize {
        self.fresh
            .iter()
            .filter(|&&i| self.pos_of(i).is_some_and(|p| p < self.top))
            .count()
    }

    /// New rows from the store: the selected event stays selected on the
    /// same line of the screen, the filters and the search stay, marks
    /// and results follow their events to their new places, and the new
    /// rows above the screen are counted.
    pub(super) fn on_reload(&mut self, r: Reload) -> Vec<Effect> {
        let same = match &self.data {
            Some(d) => Arc::ptr_eq(d, &r.base) && !self.preview,
            None => false,
        };
        if !same {
            // Not what is shown (the first load is still on its way): a
            // plain load.
            return self.update(Msg::Loaded(Ok(r.data)));
        }
        let row = self.cursor_row().unwrap_or(0);
        let keep = self.current().and_then(|i| r.map(i));
        self.marks = std::mem::take(&mut self.marks)
            .into_iter()
            .filter_map(|(i, m)| r.map(i).map(|n| (n, m)))
            .collect();
        match self.detail.as_ref().map(|d| r.map(d.index)) {
            Some(Some(n)) => {
                if let Some(d) = &mut self.detail {
                    d.index = n;
                }
            }
            Some(None) => self.detail = None,
            None => {}
        }
        for o in &mut self.overlays {
            if let Overlay::Source(v) = o {
                // An article whose event is gone stays open; it just no
                // longer follows the cursor.
                v.doc.index = r.map(v.doc.index).unwrap_or(u32::MAX);
            }
        }
        let remap_hits = |h: &Hits| -> Arc<Hits> {
            let ranked: Vec<u32> = h.ranked.iter().filter_map(|&i| r.map(i)).collect();
            let mut bits = vec![0u64; r.data.len().div_ceil(64)];
            for &i in &ranked {
                bits[i as usize / 64] |= 1 << (i % 64);
            }
            Arc::new(Hits {
                ranked,
                bits,
                ..h.clone()
            })
        };
        if let Some(h) = &self.search.hits {
            self.search.hits = Some(remap_hits(h));
        }
        if let Some(k) = &mut self.kept {
            k.hits = remap_hits(&k.hits);
        }
        // Country and official filters hold indices into the value lists,
        // which a new load may number differently: matched by name.
        let (old, new) = (&r.base, &r.data);
        self.countries = std::mem::take(&mut self.countries)
            .into_iter()
            .filter_map(|c| {
                let code = old.country_code(c);
                new.countries
                    .iter()
                    .position(|x| x == code)
                    .map(|i| i as u16)
            })
            .collect();
        self.officials = std::mem::take(&mut self.officials)
            .into_iter()
            .filter_map(|o| {
                let name = old.official_name(o);
                new.officials
                    .iter()
                    .position(|x| x == name)
                    .map(|i| i as u32)
            })
            .collect();
        // An open picker lists the old values: it closes.
        self.overlays.retain(|o| !matches!(o, Overlay::Picker(_)));
        let mut fresh: Vec<u32> = self.fresh.iter().filter_map(|&i| r.map(i)).collect();
        fresh.extend_from_slice(&r.fresh);
        self.fresh = fresh;
        self.data = Some(r.data.clone());
        // In the events view, `v` back and forth keeps these rows.
        if !self.stories.shown {
            self.stories.events = Some(r.data.clone());
        }
        self.compute_view();
        let pos = match keep.and_then(|k| self.pos_of(k)) {
            Some(p) => p,
            // The selected event is gone (its article was replaced): the
            // cursor stays on the same place of the list.
            None => self.cursor,
        };
        self.place(pos, row);
        self.rebuild_strip();
        let mut fx = self.detail_effect();
        // The search runs again over the new rows; its results replace
        // the old ones quietly.
        if !self.search.query.trim().is_empty() {
            // Quiet only when the last results were in: a search still
            // on its way lands on its best match as usual.
            let settled = self
                .search
                .hits
                .as_ref()
                .is_some_and(|h| h.gen == self.search.gen && !h.partial);
            // A kept search reruns over what the other filters pass.
            let (kept, order) = (self.kept.take(), self.order);
            if kept.is_some() {
                self.compute_view();
            }
            let search = self.start_search();
            (self.kept, self.order) = (kept, order);
            if self.kept.is_some() {
                self.compute_view();
            }
            if let Some(k) = &mut self.kept {
                k.gen = self.search.gen;
            }
            if !search.is_empty() && settled {
                self.quiet_gen = Some(self.search.gen);
            }
            fx.extend(search);
        }
        fx
    }

    /// After the quiet search of a reload: the view with the new results,
    /// the cursor's event kept on its line.
    fn settle_view(&mut self) -> Vec<Effect> {
        let row = self.cursor_row().unwrap_or(0);
        let keep = self.current();
        self.compute_view();
        let pos = keep.and_then(|k| self.pos_of(k)).unwrap_or(self.cursor);
        self.place(pos, row);
        self.rebuild_strip();
        self.detail_effect()
    }

    /// Recounts the strip's buckets over the view (a filter or the width
    /// changed), then re-marks the matches.
    pub fn rebuild_strip(&mut self) {
        let width = self.layout().strip.width as usize;
        let mut s = Strip::default();
        if let Some(data) = &self.data {
            let days = || {
                self.view
                    .iter()
                    .map(|&i| data.rows[i as usize].day)
                    .filter(|&d| d != i32::MIN)
            };
            // The width goes to the range that holds all but the first and
            // last 1% of the events: a stray 1968 date does not squeeze
            // the rest into a few columns.
            let mut ds: Vec<i32> = days().collect();
            let n = ds.len();
            if n >= 100 {
                let (lo, hi) = (n / 100, n - 1 - n / 100);
                s.first = *ds.select_nth_unstable(lo).1;
                s.last = *ds.select_nth_unstable(hi).1;
            } else {
                s.first = ds.iter().copied().min().unwrap_or(0);
                s.last = ds.iter().copied().max().unwrap_or(0);
            }
            s.counts = vec![0; width];
            for d in ds {
                if d < s.first {
                    s.before += 1;
                } else if d > s.last {
                    s.after += 1;
                } else if let Some(c) = s.column(d) {
                    s.counts[c] += 1;
                }
            }
        }
        self.strip = s;
        self.mark_strip_hits();
    }

    /// Marks the strip columns holding search matches (new results only:
    /// the counts stay).
    fn mark_strip_hits(&mut self) {
        let mut hits = vec![false; self.strip.counts.len()];
        if let (Some(data), Some(h)) = (&self.data, &self.search.hits) {
            for &i in &h.ranked {
                if let Some(c) = data
                    .rows
                    .get(i as usize)
                    .and_then(|r| self.strip.column(r.day))
                {
                    hits[c] = true;
                }
            }
        }
        self.strip.hits = hits;
    }

    /// The view position of the event closest to `day` (the first such in
    /// the view's order).
    fn nearest_day(&self, day: i32) -> Option<usize> {
        let data = self.data.as_ref()?;
        self.view
            .iter()
            .enumerate()
            .filter_map(|(p, &i)| {
                let d = data.rows.get(i as usize)?.day;
                (d != i32::MIN).then(|| ((d as i64 - day as i64).abs(), p))
            })
            .min()
            .map(|(_, p)| p)
    }

    /// Jumps to the newest event within `period` (newest-first order) or
    /// the oldest (oldest first), else the nearest one before/after it.
    fn jump_to_period(&mut self, from: &str, to: &str) -> Vec<Effect> {
        let Some(data) = self.data.clone() else {
            return Vec::new();
        };
        let to_end = format!("{to}~");
        let date = |p: usize| {
            data.rows
                .get(self.view[p] as usize)
                .map_or("", |r| &*r.date)
        };
        let n = self.view.len();
        let found = match self.order {
            Order::Oldest => (0..n).find(|&p| !date(p).is_empty() && date(p) >= from),
            Order::Newest => (0..n).find(|&p| !date(p).is_empty() && *date(p) <= *to_end),
            Order::Ranked => (0..n).find(|&p| date(p) >= from && *date(p) <= *to_end),
        };
        match found {
            Some(p) => {
                self.top = p;
                self.set_cursor(p)
            }
            None => {
                self.error = Some(format!("no event near {from}"));
                Vec::new()
            }
        }
    }

    fn start_search(&mut self) -> Vec<Effect> {
        self.search.gen += 1;
        if self.search.query.trim().is_empty() {
            self.search.hits = None;
            self.mark_strip_hits();
            return vec![Effect::CancelSearch(self.search.gen)];
        }
        if self.data.is_none() || self.preview {
            // Runs when the whole store is in (Loaded refilters).
            return Vec::new();
        }
        vec![Effect::Search(Query {
            gen: self.search.gen,
            text: self.search.query.clone(),
            candidates: self.members.clone(),
        })]
    }

    fn jump_to_match(&mut self, step: isize) -> Vec<Effect> {
        let Some(h) = self.search.hits.clone() else {
            return Vec::new();
        };
        let n = h.ranked.len();
        if n == 0 {
            return Vec::new();
        }
        // Matches no longer in the view (a filter changed) are skipped.
        for k in 0..n {
            let p = (self.search.pos as isize + step * (k as isize + 1)).rem_euclid(n as isize)
                as usize;
            let ev = h.ranked[p];
            if let Some(at) = self.pos_of(ev) {
                self.search.pos = p;
                return self.set_cursor(at);
            }
        }
        Vec::new()
    }

    fn clear_search(&mut self) -> Vec<Effect> {
        self.search.editing = false;
        self.search.query.clear();
        self.search.caret = 0;
        self.search.pos = 0;
        let mut fx = self.start_search();
        if self.kept.take().is_some() {
            fx.extend(self.refilter());
        }
        fx
    }

    fn open_picker(&mut self, kind: PickKind) {
        let Some(data) = self.data.clone() else {
            return;
        };
        let n = match kind {
            PickKind::Country => data.countries.len(),
            PickKind::Official => data.officials.len(),
            PickKind::Kind => EventKind::ALL.len(),
        };
        let mut counts = vec![0usize; n];
        for (i, r) in data.rows.iter().enumerate() {
            if !self.passes(&data, i, Some(kind)) {
                continue;
            }
            match kind {
                PickKind::Country => r.countries.iter().for_each(|&c| counts[c as usize] += 1),
                PickKind::Official => r.officials.iter().for_each(|&o| counts[o as usize] += 1),
                PickKind::Kind => counts[kind_index(r.kind) as usize] += 1,
            }
        }
        let mut items: Vec<(u32, usize)> = counts
            .into_iter()
            .enumerate()
            .map(|(i, c)| (i as u32, c))
            .filter(|&(i, c)| c > 0 || self.is_picked(kind, i))
            .collect();
        let name = |i: u32| match kind {
            PickKind::Country => data.country_code(i as u16).to_string(),
            PickKind::Official => data.official_name(i).to_string(),
            PickKind::Kind => kind_name(i).to_string(),
        };
        items.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| name(a.0).cmp(&name(b.0))));
        let shown = (0..items.len()).collect();
        self.overlays.push(Overlay::Picker(Picker {
            kind,
            query: String::new(),
            items,
            shown,
            sel: 0,
        }));
    }

    pub fn is_picked(&self, kind: PickKind, i: u32) -> bool {
        match kind {
            PickKind::Country => self.countries.contains(&(i as u16)),
            PickKind::Official => self.officials.contains(&i),
            PickKind::Kind => self.kinds.contains(&(i as u8)),
        }
    }

    /// The text a picker item is matched and shown by.
    pub fn picker_label(&self, kind: PickKind, i: u32) -> String {
        let Some(data) = &self.data else {
            return String::new();
        };
        match kind {
            PickKind::Country => {
                let code = data.country_code(i as u16);
                match crate::extract::countries::name(code) {
                    Some(n) => format!("{code}  {n}"),
                    None => code.to_string(),
                }
            }
            PickKind::Official => data.official_name(i).to_string(),
            PickKind::Kind => kind_name(i).to_string(),
        }
    }

    fn narrow_picker(&mut self) {
        let Some(Overlay::Picker(p)) = self.overlays.last() else {
            return;
        };
        let m = SkimMatcherV2::default().ignore_case();
        let q = p.query.clone();
        let kind = p.kind;
        // A name people use for a country ("UK", "Britain", "America")
        // puts that country first.
        let named = (kind == PickKind::Country)
            .then(|| crate::extract::countries::lookup(q.trim()))
            .flatten();
        let mut scored: Vec<(i64, usize)> = p
            .items
            .iter()
            .enumerate()
            .filter_map(|(k, &(i, _))| {
                if q.is_empty() {
                    return Some((0, k));
                }
                if let (Some(code), Some(d)) = (named, &self.data) {
                    if d.country_code(i as u16) == code {
                        return Some((i64::MAX, k));
                    }
                }
                // An official is also found by the other names they go by.
                let aliases = match (kind, &self.data) {
                    (PickKind::Official, Some(d)) => d.official_aliases(i),
                    _ => &[],
                };
                std::iter::once(self.picker_label(kind, i))
                    .chain(aliases.iter().cloned())
                    .filter_map(|t| m.fuzzy_match(&t, &q))
                    .max()
                    .map(|s| (s, k))
            })
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        if let Some(Overlay::Picker(p)) = self.overlays.last_mut() {
            p.shown = scored.into_iter().map(|(_, k)| k).collect();
            p.sel = 0;
        }
    }

    fn toggle_picked(&mut self) -> Vec<Effect> {
        let Some(Overlay::Picker(p)) = self.overlays.last() else {
            return Vec::new();
        };
        let Some(&(i, _)) = p.shown.get(p.sel).and_then(|&k| p.items.get(k)) else {
            return Vec::new();
        };
        match p.kind {
            PickKind::Country => {
                let c = i as u16;
                if !self.countries.remove(&c) {
                    self.countries.insert(c);
                }
            }
            PickKind::Official => {
                if !self.officials.remove(&i) {
                    self.officials.insert(i);
                }
            }
            PickKind::Kind => {
                let k = i as u8;
                if !self.kinds.remove(&k) {
                    self.kinds.insert(k);
                }
            }
        }
        self.refilter()
    }

    fn source_height(&self) -> usize {
        self.layout().overlay_inner().height as usize
    }

    fn source_wrap_width(&self) -> u16 {
        self.layout().overlay_inner().width.max(1)
    }

    /// Scrolls the source view so quote `q` sits a third down the page.
    fn land_on_quote(&mut self, q: usize) {
        let h = self.source_height();
        if let Some(Overlay::Source(v)) = self.overlays.last_mut() {
            let target = v.doc.quotes.get(q).copied().unwrap_or(v.doc.evidence).start;
            let line = v.lines.partition_point(|&(_, end)| end <= target);
            v.current = q;
            v.scroll = line.saturating_sub(h / 3);
        }
    }

    fn open_source(&mut self, doc: Box<SourceDoc>) {
        let w = self.source_wrap_width();
        let lines = super::text::wrap(&doc.text, w as usize);
        let q = doc.start_quote.unwrap_or(0);
        self.overlays.push(Overlay::Source(SourceView {
            doc,
            lines,
            wrap_width: w,
            scroll: 0,
            current: 0,
            find: None,
        }));
        self.land_on_quote(q);
    }

    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Key(k) => self.on_key(k),
            Msg::Mouse(m) => self.on_mouse(m),
            Msg::Resize(w, h) => {
                self.size = (w, h);
                // Lines rewrap at a new width: the old offset means nothing.
                self.detail_scroll = 0;
                let ww = self.source_wrap_width();
                for o in &mut self.overlays {
                    if let Overlay::Source(v) = o {
                        if v.wrap_width != ww {
                            v.lines = super::text::wrap(&v.doc.text, ww as usize);
                            v.wrap_width = ww;
                        }
                    }
                }
                if let Some(Overlay::Source(v)) = self.overlays.last() {
                    let q = v.current;
                    self.land_on_quote(q);
                }
                self.ensure_visible();
                self.rebuild_strip();
                Vec::new()
            }
            Msg::Progress(done, total) => {
                if self.data.is_none() || self.preview {
                    self.loading = Some((done, total));
                }
                Vec::new()
            }
            Msg::Loaded(Ok(data)) if self.keep_events(&data) => Vec::new(),
            Msg::Marks(marks) if self.keep_event_marks(&marks) => Vec::new(),
            Msg::Stories { stories, preview } => self.on_stories(stories, preview),
            Msg::StoryDetail(d) => self.on_story_detail(d),
            Msg::StorySource(doc) => self.on_story_source(doc),
            Msg::StoryOf(id) => self.on_story_of(id),
            Msg::Loaded(Ok(data)) => {
                self.loading = None;
                // Command-line filters: codes or country names, official
                // names matched case-insensitively as substrings.
                for c in &self.prefilter.countries {
                    let code = crate::store::query::resolve_country(None, c)
                        .unwrap_or_else(|| c.to_uppercase());
                    if let Some(i) = data.countries.iter().position(|x| *x == code) {
                        self.countries.insert(i as u16);
                    } else {
                        self.error = Some(format!("no events for country {c}"));
                    }
                }
                for o in &self.prefilter.officials {
                    let want = o.to_lowercase();
                    // A person is found under any of their names.
                    let found: Vec<u32> = (0..data.officials.len() as u32)
                        .filter(|&i| {
                            std::iter::once(data.official_name(i))
                                .chain(data.official_aliases(i).iter().map(String::as_str))
                                .any(|n| n.to_lowercase().contains(&want))
                        })
                        .collect();
                    if found.is_empty() {
                        self.error = Some(format!("no events for official {o}"));
                    }
                    self.officials.extend(found);
                }
                // Stay on the row the preview (or the data before a reload:
                // another program's commit, or this browser's own marks)
                // showed under the cursor.
                let was = self.current_id().filter(|_| self.cursor > 0);
                self.preview = false;
                self.data = Some(data.clone());
                let keep = was.and_then(|id| data.rows.iter().position(|r| *r.id == *id));
                self.rebuild_view(keep.map(|k| k as u32))
            }
            Msg::Marks(marks) => {
                self.marks = marks.into_iter().map(|(i, r, s)| (i, (r, s))).collect();
                if self.unread_only || self.starred_only {
                    return self.refilter();
                }
                Vec::new()
            }
            Msg::Preview(data) => {
                if self.data.is_none()
                    && self.prefilter.countries.is_empty()
                    && self.prefilter.officials.is_empty()
                {
                    self.preview = true;
                    self.data = Some(data);
                    return self.refilter();
                }
                Vec::new()
            }
            Msg::Loaded(Err(e)) => {
                self.loading = None;
                self.error = Some(e);
                Vec::new()
            }
            Msg::Searched(h) => self.on_hits(h),
            Msg::Detail(d) => {
                if Some(d.index) == self.current() && !self.stories_shown() {
                    self.detail = Some(d);
                }
                Vec::new()
            }
            Msg::Source(doc) => {
                // Only when it is still the event the user is on.
                if Some(doc.index) == self.current() && !self.stories_shown() {
                    self.overlays.retain(|o| !matches!(o, Overlay::Source(_)));
                    self.open_source(doc);
                }
                Vec::new()
            }
            Msg::Error(e) => {
                self.error = Some(e);
                Vec::new()
            }
            Msg::Note(n) => {
                self.note = Some(n);
                Vec::new()
            }
            Msg::Reloaded(r) => self.on_reload(*r),
            Msg::Feeds(p) => {
                self.feeds = Some(p);
                Vec::new()
            }
        }
    }

    fn on_hits(&mut self, h: Hits) -> Vec<Effect> {
        if h.gen != self.search.gen {
            return Vec::new();
        }
        let quiet = self.quiet_gen == Some(h.gen);
        if quiet && h.partial {
            // The old results (matched to the new rows) stay until the
            // whole scan is in.
            return Vec::new();
        }
        // The first results of a query (each new keystroke's too: the
        // cursor must not stay on a match of the shorter query).
        let first = self
            .search
            .hits
            .as_ref()
            .is_none_or(|old| old.partial || old.query != h.query);
        let h = Arc::new(h);
        self.search.hits = Some(h.clone());
        self.mark_strip_hits();
        let mut fx = Vec::new();
        if let Some(k) = &mut self.kept {
            if k.gen == h.gen {
                k.hits = h.clone();
                if quiet {
                    fx.extend(self.settle_view());
                } else {
                    fx.extend(self.refilter());
                }
                return fx;
            }
        }
        // Land on the best match as it arrives (partial then final), but
        // not when the search only reran over new rows.
        if !quiet && (first || h.partial) {
            self.search.pos = 0;
            if let Some(at) = h.ranked.first().and_then(|&e| self.pos_of(e)) {
                fx.extend(self.set_cursor(at));
            }
        }
        fx
    }

    fn on_key(&mut self, k: KeyEvent) -> Vec<Effect> {
        // Esc then a key typed quickly reaches us as Alt+key: when nothing
        // is bound to that, it is taken as the two keys it was.
        if k.modifiers == KeyModifiers::ALT && self.cfg.keymap.action(&k).is_none() {
            if let KeyCode::Char(_) = k.code {
                let mut fx = self.on_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
                if !self.quit {
                    fx.extend(self.on_key(KeyEvent::new(k.code, KeyModifiers::NONE)));
                }
                return fx;
            }
        }
        self.error = None;
        self.note = None;
        // Ctrl-C quits from anywhere, whatever the keymap says.
        if k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL) {
            self.quit = true;
            return Vec::new();
        }
        match self.overlays.last() {
            Some(Overlay::Help { .. }) => return self.help_key(k),
            Some(Overlay::Picker(_)) => return self.picker_key(k),
            Some(Overlay::Source(_)) => return self.source_key(k),
            Some(Overlay::Prompt(_)) => return self.prompt_key(k),
            None => {}
        }
        if self.search.editing {
            return self.search_key(k);
        }
        let Some(a) = self.cfg.keymap.action(&k) else {
            return Vec::new();
        };
        self.act(a)
    }

    /// A keymap action on the main screen.
    pub fn act(&mut self, a: Action) -> Vec<Effect> {
        let page = self.timeline_height().saturating_sub(2).max(1);
        let in_detail = self.focus == Pane::Detail;
        match a {
            Action::Quit => {
                self.quit = true;
                Vec::new()
            }
            Action::Help => {
                self.overlays.push(Overlay::Help { scroll: 0 });
                Vec::new()
            }
            Action::Down if self.in_story_detail() => self.step_source(1),
            Action::Up if self.in_story_detail() => self.step_source(-1),
            Action::Down if in_detail => {
                let n = self.detail.as_ref().map_or(0, |d| d.quotes.len());
                if self.quote_sel + 1 < n {
                    self.quote_sel += 1;
                } else {
                    self.detail_scroll += 1;
                }
                Vec::new()
            }
            Action::Up if in_detail => {
                if self.detail_scroll > 0 {
                    self.detail_scroll -= 1;
                } else {
                    self.quote_sel = self.quote_sel.saturating_sub(1);
                }
                Vec::new()
            }
            Action::Down => self.set_cursor(self.cursor + 1),
            Action::Up => self.set_cursor(self.cursor.saturating_sub(1)),
            Action::PageDown => self.set_cursor(self.cursor + page),
            Action::PageUp => self.set_cursor(self.cursor.saturating_sub(page)),
            Action::Top => {
                // The newest, in the default order: what arrived is seen.
                self.fresh.clear();
                self.top = 0;
                self.set_cursor(0)
            }
            Action::Refresh => {
                if matches!(self.feeds, Some(FeedsProgress::Updating { .. })) {
                    self.note = Some("the feeds are being updated".into());
                    return Vec::new();
                }
                self.feeds = Some(FeedsProgress::Updating {
                    done: 0,
                    total: 0,
                    failed: 0,
                });
                vec![Effect::RefreshFeeds]
            }
            Action::Bottom => self.set_cursor(self.view.len().saturating_sub(1)),
            Action::NextPane => {
                self.focus = match self.focus {
                    Pane::Timeline => Pane::Detail,
                    Pane::Detail => Pane::Timeline,
                };
                self.ensure_visible();
                Vec::new()
            }
            Action::Search => {
                self.search.editing = true;
                self.search.caret = self.search.query.len();
                Vec::new()
            }
            Action::NextMatch => self.jump_to_match(1),
            Action::PrevMatch => self.jump_to_match(-1),
            Action::Countries => {
                self.open_picker(PickKind::Country);
                Vec::new()
            }
            Action::Officials => {
                self.open_picker(PickKind::Official);
                Vec::new()
            }
            Action::ClearFilters => {
                self.countries.clear();
                self.officials.clear();
                self.kinds.clear();
                self.range = None;
                self.unread_only = false;
                self.starred_only = false;
                self.kept = None;
                // The search text goes too: the next `/` starts afresh.
                self.search.editing = false;
                self.search.query.clear();
                self.search.caret = 0;
                self.search.pos = 0;
                let mut fx = self.start_search();
                fx.extend(self.refilter());
                fx
            }
            Action::Order => {
                self.order = match (self.order, self.kept.is_some()) {
                    (Order::Newest, _) => Order::Oldest,
                    (Order::Oldest, true) => Order::Ranked,
                    _ => Order::Newest,
                };
                let keep = self.current();
                self.rebuild_view(keep)
            }
            Action::Kinds => {
                self.open_picker(PickKind::Kind);
                Vec::new()
            }
            Action::JumpDate => {
                self.open_prompt(PromptKind::JumpDate, "");
                Vec::new()
            }
            Action::DateRange => {
                let now = match &self.range {
                    Some((a, b)) if a == b => a.clone(),
                    Some((a, b)) => format!("{a}..{b}"),
                    None => String::new(),
                };
                self.open_prompt(PromptKind::DateRange, &now);
                Vec::new()
            }
            Action::OpenLink | Action::CopyLink => match self.link() {
                Ok(url) if a == Action::OpenLink => vec![Effect::OpenLink(url)],
                Ok(url) => vec![Effect::CopyLink(url)],
                Err(e) => {
                    self.error = Some(e.into());
                    Vec::new()
                }
            },
            Action::Export => {
                let name = chrono::Local::now()
                    .format("newsline-%Y%m%d-%H%M%S.csv")
                    .to_string();
                self.open_prompt(PromptKind::Export, &name);
                Vec::new()
            }
            Action::ToggleRead | Action::ToggleStar => match self.current() {
                Some(i) => {
                    let (read, star) = self.mark(i);
                    if a == Action::ToggleRead {
                        self.set_mark(i, !read, star)
                    } else {
                        self.set_mark(i, read, !star)
                    }
                }
                None => Vec::new(),
            },
            Action::UnreadOnly => {
                self.unread_only = !self.unread_only;
                self.refilter()
            }
            Action::StarredOnly => {
                self.starred_only = !self.starred_only;
                self.refilter()
            }
            Action::OpenSource if self.stories_shown() => self.open_story_source(),
            Action::Stories => self.toggle_stories(),
            Action::OpenSource => match self.current() {
                Some(index) => {
                    let quote = (in_detail || self.quote_sel > 0).then_some(self.quote_sel);
                    let mut fx = vec![Effect::OpenSource { index, quote }];
                    // Opening the article reads it.
                    let (read, star) = self.mark(index);
                    if !read {
                        fx.extend(self.set_mark(index, true, star));
                    }
                    fx
                }
                None => Vec::new(),
            },
            Action::Back => {
                if in_detail {
                    self.focus = Pane::Timeline;
                    Vec::new()
                } else if self.search.hits.is_some() || self.kept.is_some() {
                    self.clear_search()
                } else {
                    Vec::new()
                }
            }
        }
    }

    fn open_prompt(&mut self, kind: PromptKind, text: &str) {
        self.overlays.push(Overlay::Prompt(Prompt {
            kind,
            line: LineEdit::new(text),
        }));
    }

    /// The current event's article link, when there is one to use.
    fn link(&self) -> Result<String, &'static str> {
        if let Some(story) = self.story_link() {
            return story
                .ok_or("this source has no link")
                .and_then(|u| plain_link(&u));
        }
        let d = self
            .detail
            .as_ref()
            .filter(|d| Some(d.index) == self.current())
            .ok_or("no event selected")?;
        let url = d
            .rec
            .article
            .url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .ok_or("this article has no link")?;
        plain_link(url)
    }

    fn prompt_key(&mut self, k: KeyEvent) -> Vec<Effect> {
        let Some(Overlay::Prompt(p)) = self.overlays.last_mut() else {
            return Vec::new();
        };
        match k.code {
            KeyCode::Esc => {
                self.overlays.pop();
                Vec::new()
            }
            KeyCode::Enter => {
                let kind = p.kind;
                let text = p.line.text.trim().to_string();
                self.overlays.pop();
                self.apply_prompt(kind, &text)
            }
            KeyCode::Char('c') if k.modifiers.contains(KeyModifiers::CONTROL) => {
                self.quit = true;
                Vec::new()
            }
            _ => {
                p.line.key(&k);
                Vec::new()
            }
        }
    }

    fn apply_prompt(&mut self, kind: PromptKind, text: &str) -> Vec<Effect> {
        match kind {
            PromptKind::JumpDate => match parse_period(text, self.today) {
                Ok((from, to)) => self.jump_to_period(&from, &to),
                Err(e) => {
                    self.error = Some(e);
                    Vec::new()
                }
            },
            PromptKind::DateRange if text.is_empty() => {
                self.range = None;
                self.refilter()
            }
            PromptKind::DateRange => match parse_period(text, self.today) {
                Ok(r) => {
                    self.range = Some(r);
                    self.refilter()
                }
                Err(e) => {
                    self.error = Some(e);
                    Vec::new()
                }
            },
            PromptKind::Export if text.is_empty() => Vec::new(),
            PromptKind::Export => vec![Effect::Export {
                path: text.to_string(),
                events: self.view.clone(),
            }],
        }
    }

    fn search_key(&mut self, k: KeyEvent) -> Vec<Effect> {
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        match k.code {
            KeyCode::Esc => self.clear_search(),
            KeyCode::Enter => {
                self.search.editing = false;
                if self.search.query.trim().is_empty() {
                    return self.clear_search();
                }
                match self.search.hits.clone() {
                    Some(h) => {
                        self.kept = Some(KeptSearch {
                            query: self.search.query.clone(),
                            gen: h.gen,
                            hits: h,
                        });
                        // The filtered view keeps the ranking (S: by date).
                        self.order = Order::Ranked;
                        self.refilter()
                    }
                    None => Vec::new(),
                }
            }
            KeyCode::Char('c') if ctrl => {
                self.quit = true;
                Vec::new()
            }
            KeyCode::Down | KeyCode::Tab => self.jump_to_match(1),
            KeyCode::Up | KeyCode::BackTab => self.jump_to_match(-1),
            _ => {
                let mut line = LineEdit {
                    text: std::mem::take(&mut self.search.query),
                    caret: self.search.caret,
                };
                let edited = line.key(&k);
                self.search.query = line.text;
                self.search.caret = line.caret;
                if edited == Edited::Text {
                    // A changed query searches the whole filtered view again.
                    if self.kept.take().is_some() {
                        let mut fx = self.refilter();
                        fx.extend(self.start_search());
                        return fx;
                    }
                    self.start_search()
                } else {
                    Vec::new()
                }
            }
        }
    }

    fn help_key(&mut self, k: KeyEvent) -> Vec<Effect> {
        let a = self.cfg.keymap.action(&k);
        if let Some(Overlay::Help { scroll }) = self.overlays.last_mut() {
            match a {
                Some(Action::Down) => *scroll += 1,
                Some(Action::Up) => *scroll = scroll.saturating_sub(1),
                Some(Action::Back | Action::Help | Action::Quit) => {
                    self.overlays.pop();
                }
                _ => {}
            }
        }
        Vec::new()
    }

    fn picker_key(&mut self, k: KeyEvent) -> Vec<Effect> {
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        let Some(Overlay::Picker(p)) = self.overlays.last_mut() else {
            return Vec::new();
        };
        match k.code {
            KeyCode::Esc => {
                self.overlays.pop();
            }
            KeyCode::Enter | KeyCode::Tab => return self.toggle_picked(),
            KeyCode::Down => p.sel = (p.sel + 1).min(p.shown.len().saturating_sub(1)),
            KeyCode::Char('n') if ctrl => p.sel = (p.sel + 1).min(p.shown.len().saturating_sub(1)),
            KeyCode::Up => p.sel = p.sel.saturating_sub(1),
            KeyCode::Char('p') if ctrl => p.sel = p.sel.saturating_sub(1),
            KeyCode::PageDown => p.sel = (p.sel + 10).min(p.shown.len().saturating_sub(1)),
            KeyCode::PageUp => p.sel = p.sel.saturating_sub(10),
            KeyCode::Char('c') if ctrl => self.quit = true,
            KeyCode::Backspace => {
                p.query.pop();
                self.narrow_picker();
            }
            KeyCode::Char(c) if !ctrl => {
                p.query.push(c);
                self.narrow_picker();
            }
            _ => {}
        }
        Vec::new()
    }

    /// Typing in the source view's search line.
    fn find_key(&mut self, k: KeyEvent) {
        let Some(Overlay::Source(v)) = self.overlays.last_mut() else {
            return;
        };
        let Some(f) = &mut v.find else { return };
        match k.code {
            KeyCode::Esc => v.find = None,
            KeyCode::Enter if f.line.text.trim().is_empty() => v.find = None,
            KeyCode::Enter => f.editing = false,
            _ => {
                if f.line.key(&k) == Edited::Text {
                    f.hits = find_all(&v.doc.text, &f.line.text);
                    // The first hit from the top of the page on.
                    let from = v.lines.get(v.scroll).map_or(0, |l| l.0);
                    f.current = f.hits.iter().position(|h| h.0 >= from).unwrap_or(0);
                    self.land_on_find();
                }
            }
        }
    }

    /// Scrolls the source view so its current search hit sits a third
    /// down the page.
    fn land_on_find(&mut self) {
        let h = self.source_height();
        if let Some(Overlay::Source(v)) = self.overlays.last_mut() {
            if let Some(&(start, _)) = v.find.as_ref().and_then(|f| f.hits.get(f.current)) {
                let line = v.lines.partition_point(|&(_, end)| end <= start);
                v.scroll = line.saturating_sub(h / 3);
            }
        }
    }

    fn source_key(&mut self, k: KeyEvent) -> Vec<Effect> {
        let a = self.cfg.keymap.action(&k);
        let h = self.source_height();
        let Some(Overlay::Source(v)) = self.overlays.last_mut() else {
            return Vec::new();
        };
        if v.find.as_ref().is_some_and(|f| f.editing) {
            self.find_key(k);
            return Vec::new();
        }
        let max = v.lines.len().saturating_sub(1);
        let nq = v.doc.quotes.len();
        // While a search in the article is on, n/N step through its hits.
        let nf = v.find.as_ref().map(|f| f.hits.len());
        match a {
            Some(Action::Search) => {
                let f = v.find.get_or_insert_with(Find::default);
                f.editing = true;
                f.line.caret = f.line.text.len();
            }
            Some(Action::NextMatch | Action::PrevMatch) if nf.is_some() => {
                if let (Some(f), Some(n)) = (&mut v.find, nf.filter(|&n| n > 0)) {
                    f.current = if a == Some(Action::NextMatch) {
                        (f.current + 1) % n
                    } else {
                        (f.current + n - 1) % n
                    };
                    self.land_on_find();
                }
            }
            Some(Action::Back) if v.find.is_some() => v.find = None,
            Some(Action::Down) => v.scroll = (v.scroll + 1).min(max),
            Some(Action::Up) => v.scroll = v.scroll.saturating_sub(1),
            Some(Action::PageDown) => v.scroll = (v.scroll + h.max(2) - 1).min(max),
            Some(Action::PageUp) => v.scroll = v.scroll.saturating_sub(h.max(2) - 1),
            Some(Action::Top) => v.scroll = 0,
            Some(Action::Bottom) => v.scroll = max.saturating_sub(h.saturating_sub(1)),
            Some(Action::NextMatch) if nq > 0 => {
                let q = (v.current + 1) % nq;
                self.land_on_quote(q);
            }
            Some(Action::PrevMatch) if nq > 0 => {
                let q = (v.current + nq - 1) % nq;
                self.land_on_quote(q);
            }
            Some(Action::Back | Action::OpenSource) => {
                self.overlays.pop();
            }
            Some(Action::Quit) => {
                self.overlays.pop();
            }
            Some(Action::Help) => self.overlays.push(Overlay::Help { scroll: 0 }),
            Some(a @ (Action::OpenLink | Action::CopyLink)) => {
                return self.act(a);
            }
            _ => {}
        }
        Vec::new()
    }

    fn on_mouse(&mut self, m: MouseEvent) -> Vec<Effect> {
        let at = Position::new(m.column, m.row);
        let l = self.layout();
        let wheel = match m.kind {
            MouseEventKind::ScrollDown => 3isize,
            MouseEventKind::ScrollUp => -3,
            MouseEventKind::Down(MouseButton::Left) => 0,
            _ => return Vec::new(),
        };
        match self.overlays.last_mut() {
            Some(Overlay::Source(v)) => {
                if wheel != 0 {
                    let max = v.lines.len().saturating_sub(1) as isize;
                    v.scroll = (v.scroll as isize + wheel).clamp(0, max.max(0)) as usize;
                }
                return Vec::new();
            }
            Some(Overlay::Help { scroll }) => {
                *scroll = (*scroll as isize + wheel).max(0) as usize;
                return Vec::new();
            }
            Some(Overlay::Prompt(_)) => return Vec::new(),
            Some(Overlay::Picker(p)) => {
                if wheel != 0 {
                    let max = p.shown.len().saturating_sub(1) as isize;
                    p.sel = (p.sel as isize + wheel.signum()).clamp(0, max.max(0)) as usize;
                }
                return Vec::new();
            }
            None => {}
        }
        if l.tier == Tier::TooSmall {
            return Vec::new();
        }
        if let Some(d) = l.detail.filter(|d| d.contains(at)) {
            if wheel != 0 {
                self.detail_scroll = (self.detail_scroll as isize + wheel).max(0) as usize;
                return Vec::new();
            }
            self.focus = Pane::Detail;
            // A click on a quote opens the article there.
            // Bordered panes start their text one cell in.
            let edge = u16::from(l.bordered());
            let inside = if l.bordered() {
                super::layout::inner(d)
            } else {
                d
            };
            let lines = super::ui::detail::lines(self, inside.width as usize);
            let row = (at.y.saturating_sub(d.y + edge)) as usize + self.detail_scroll;
            if let Some(q) = lines
                .get(row)
                .and_then(|(_, q)| *q)
                .filter(|_| inside.contains(at))
            {
                if self.stories_shown() {
                    self.stories.source = q;
                    return self.open_story_source();
                }
                self.quote_sel = q;
                if let Some(index) = self.current() {
                    return vec![Effect::OpenSource {
                        index,
                        quote: Some(q),
                    }];
                }
            }
            return Vec::new();
        }
        if l.strip.contains(at) && wheel == 0 {
            let day = self.strip.day_at((at.x - l.strip.x) as usize);
            if let Some(pos) = self.nearest_day(day) {
                return self.set_cursor(pos);
            }
            return Vec::new();
        }
        let t = l.timeline_inner();
        if l.timeline.contains(at) {
            if wheel != 0 {
                let pos = (self.cursor as isize + wheel).max(0) as usize;
                return self.set_cursor(pos);
            }
            self.focus = Pane::Timeline;
            if t.contains(at) {
                let lines = self.timeline_lines(t.height as usize);
                match lines.get((at.y - t.y) as usize) {
                    Some(TLine::Event(p)) | Some(TLine::Heading(p)) => return self.set_cursor(*p),
                    None => {}
                }
            }
        }
        Vec::new()
    }
}

/// Only plain links leave for a browser or a terminal sequence.
fn plain_link(url: &str) -> Result<String, &'static str> {
    let url = url.trim();
    if url.is_empty() {
        return Err("this article has no link");
    }
    if url.chars().any(|c| c.is_control() || c.is_whitespace())
        || !(url.starts_with("http://") || url.starts_with("https://"))
    {
        return Err("the article's link is not a web address");
    }
    Ok(url.to_string())
}

/// A period typed at the date prompts, as inclusive `YYYY[-MM[-DD]]`
/// bounds: "2019", "2019-05", "2019-05-08", "A..B" (either side may be
/// left out), "today", "yesterday", "this week", "last week", "this
/// month", "last month", "last year", "N days ago".
pub fn parse_period(text: &str, today: chrono::NaiveDate) -> Result<(String, String), String> {
    use chrono::{Datelike, Duration};
    let t = text.trim().to_lowercase();
    let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    let week = |d: chrono::NaiveDate| {
        let monday = d - Duration::days(d.weekday().num_days_from_monday() as i64);
        (day(monday), day(monday + Duration::days(6)))
    };
    let month = |d: chrono::NaiveDate| {
        let m = d.format("%Y-%m").to_string();
        (m.clone(), m)
    };
    let first_of_month = today.with_day(1).unwrap_or(today);
    match t.as_str() {
        "today" => return Ok((day(today), day(today))),
        "yesterday" => {
            let y = today - Duration::days(1);
            return Ok((day(y), day(y)));
        }
        "this week" => return Ok(week(today)),
        "last week" => return Ok(week(today - Duration::days(7))),
        "this month" => return Ok(month(today)),
        "last month" => return Ok(month(first_of_month - Duration::days(1))),
        "this year" => return Ok((today.year().to_string(), today.year().to_string())),
        "last year" => {
            let y = (today.year() - 1).to_string();
            return Ok((y.clone(), y));
        }
        _ => {}
    }
    if let Some(n) = t
        .strip_suffix(" days ago")
        .or(t.strip_suffix(" day ago"))
        .and_then(|n| n.trim().parse::<i64>().ok())
    {
        let d = today - Duration::days(n.clamp(0, 100_000));
        return Ok((day(d), day(d)));
    }
    let bound = |s: &str| crate::store::query::check_date_bound(s);
    if let Some((a, b)) = t.split_once("..") {
        let from = if a.trim().is_empty() {
            "0000".to_string()
        } else {
            bound(a)?
        };
        let to = if b.trim().is_empty() {
            "9999".to_string()
        } else {
            bound(b)?
        };
        if from > to {
            return Err(format!("{from} is after {to}"));
        }
        return Ok((from, to));
    }
    let d = bound(&t)?;
    Ok((d.clone(), d))
}
