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
use super::keymap::{Action, Config};
use super::layout::{layout, Layout, Tier};
use super::search::{Hits, Query};
use crate::span::Span;
use crate::store::EventRecord;

/// Everything the loop's queue carries.
#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// Loading progress: done of total steps.
    Progress(usize, usize),
    Loaded(Result<Arc<Data>, String>),
    Searched(Hits),
    Detail(Box<Detail>),
    Source(Box<SourceDoc>),
    /// Something the user should read in the status line.
    Error(String),
}

#[derive(Debug, PartialEq)]
pub enum Effect {
    Search(Query),
    CancelSearch(u64),
    /// Fetch the detail of event `index` (its id is in the data).
    LoadDetail(u32),
    /// Open the article of event `index`, landing on quote `quote`.
    OpenSource {
        index: u32,
        quote: Option<usize>,
    },
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
}

/// An article opened from an event.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceDoc {
    pub index: u32,
    pub title: String,
    pub byline: String,
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
}

#[derive(Clone, Debug, PartialEq)]
pub enum Overlay {
    Help { scroll: usize },
    Picker(Picker),
    Source(SourceView),
}

#[derive(Clone, Debug, Default)]
pub struct SearchState {
    pub editing: bool,
    pub query: String,
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
    pub prefilter: Prefilter,
    pub countries: BTreeSet<u16>,
    pub officials: BTreeSet<u32>,
    pub kept: Option<KeptSearch>,
    /// Event indices shown, in date order.
    pub view: Arc<Vec<u32>>,
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
}

/// One line of the timeline pane.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TLine {
    /// A day heading, for the event at this view position.
    Heading(usize),
    Event(usize),
}

fn day_of(date: &str) -> &str {
    date.get(..10).unwrap_or(date)
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
            prefilter,
            countries: BTreeSet::new(),
            officials: BTreeSet::new(),
            kept: None,
            view: Arc::new(Vec::new()),
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
        }
    }

    pub fn layout(&self) -> Layout {
        layout(Rect::new(0, 0, self.size.0, self.size.1), self.focus)
    }

    /// The event under the cursor.
    pub fn current(&self) -> Option<u32> {
        self.view.get(self.cursor).copied()
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
        while out.len() < height && p < self.view.len() {
            let day = data
                .rows
                .get(self.view[p] as usize)
                .map_or("", |r| day_of(&r.date));
            if prev != Some(day) {
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
        let day = |p: usize| {
            data.rows
                .get(self.view[p] as usize)
                .map_or("", |r| day_of(&r.date))
        };
        // The smallest top from which the cursor still fits.
        let mut t = self.cursor;
        let mut need = 2;
        while t > self.top {
            let extra = 1 + usize::from(day(t - 1) != day(t));
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
            && self.kept.as_ref().is_none_or(|k| k.hits.contains(i as u32))
    }

    /// Recomputes the view after a filter change, keeping the cursor on the
    /// same event (or the nearest later one), and reruns the live search.
    fn refilter(&mut self) -> Vec<Effect> {
        let Some(data) = self.data.clone() else {
            return Vec::new();
        };
        let keep = self.current();
        let view: Vec<u32> = (0..data.len())
            .filter(|&i| self.passes(&data, i, None))
            .map(|i| i as u32)
            .collect();
        self.view = Arc::new(view);
        let pos = keep.map_or(0, |k| self.view.partition_point(|&v| v < k));
        self.top = self.top.min(pos);
        let mut fx = self.set_cursor(pos);
        self.rebuild_strip();
        if !self.search.query.is_empty() {
            fx.extend(self.start_search());
        }
        fx
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
            s.first = days().next().unwrap_or(0);
            s.last = days().next_back().unwrap_or(0);
            s.counts = vec![0; width];
            if width > 0 {
                for d in days() {
                    if let Some(c) = s.column(d) {
                        s.counts[c] += 1;
                    }
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

    fn start_search(&mut self) -> Vec<Effect> {
        self.search.gen += 1;
        if self.search.query.trim().is_empty() {
            self.search.hits = None;
            self.mark_strip_hits();
            return vec![Effect::CancelSearch(self.search.gen)];
        }
        if self.data.is_none() {
            return Vec::new();
        }
        vec![Effect::Search(Query {
            gen: self.search.gen,
            text: self.search.query.clone(),
            candidates: self.view.clone(),
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
            if let Ok(at) = self.view.binary_search(&ev) {
                self.search.pos = p;
                return self.set_cursor(at);
            }
        }
        Vec::new()
    }

    fn clear_search(&mut self) -> Vec<Effect> {
        self.search.editing = false;
        self.search.query.clear();
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
        };
        let mut counts = vec![0usize; n];
        for (i, r) in data.rows.iter().enumerate() {
            if !self.passes(&data, i, Some(kind)) {
                continue;
            }
            match kind {
                PickKind::Country => r.countries.iter().for_each(|&c| counts[c as usize] += 1),
                PickKind::Official => r.officials.iter().for_each(|&o| counts[o as usize] += 1),
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
        }
    }

    fn narrow_picker(&mut self) {
        let Some(Overlay::Picker(p)) = self.overlays.last() else {
            return;
        };
        let m = SkimMatcherV2::default().ignore_case();
        let q = p.query.clone();
        let kind = p.kind;
        let mut scored: Vec<(i64, usize)> = p
            .items
            .iter()
            .enumerate()
            .filter_map(|(k, &(i, _))| {
                if q.is_empty() {
                    return Some((0, k));
                }
                m.fuzzy_match(&self.picker_label(kind, i), &q)
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
        }));
        self.land_on_quote(q);
    }

    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Key(k) => self.on_key(k),
            Msg::Mouse(m) => self.on_mouse(m),
            Msg::Resize(w, h) => {
                self.size = (w, h);
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
                if self.data.is_none() {
                    self.loading = Some((done, total));
                }
                Vec::new()
            }
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
                    let found: Vec<u32> = (0..data.officials.len() as u32)
                        .filter(|&i| data.official_name(i).to_lowercase().contains(&want))
                        .collect();
                    if found.is_empty() {
                        self.error = Some(format!("no events for official {o}"));
                    }
                    self.officials.extend(found);
                }
                self.data = Some(data);
                self.refilter()
            }
            Msg::Loaded(Err(e)) => {
                self.loading = None;
                self.error = Some(e);
                Vec::new()
            }
            Msg::Searched(h) => self.on_hits(h),
            Msg::Detail(d) => {
                if Some(d.index) == self.current() {
                    self.detail = Some(d);
                }
                Vec::new()
            }
            Msg::Source(doc) => {
                // Only when it is still the event the user is on.
                if Some(doc.index) == self.current() {
                    self.overlays.retain(|o| !matches!(o, Overlay::Source(_)));
                    self.open_source(doc);
                }
                Vec::new()
            }
            Msg::Error(e) => {
                self.error = Some(e);
                Vec::new()
            }
        }
    }

    fn on_hits(&mut self, h: Hits) -> Vec<Effect> {
        if h.gen != self.search.gen {
            return Vec::new();
        }
        let first = self.search.hits.as_ref().is_none_or(|old| old.partial);
        let h = Arc::new(h);
        self.search.hits = Some(h.clone());
        self.mark_strip_hits();
        let mut fx = Vec::new();
        if let Some(k) = &mut self.kept {
            if k.gen == h.gen {
                k.hits = h.clone();
                fx.extend(self.refilter());
                return fx;
            }
        }
        // Land on the best match as it arrives (partial then final).
        if first || h.partial {
            self.search.pos = 0;
            if let Some(at) = h
                .ranked
                .first()
                .and_then(|e| self.view.binary_search(e).ok())
            {
                fx.extend(self.set_cursor(at));
            }
        }
        fx
    }

    fn on_key(&mut self, k: KeyEvent) -> Vec<Effect> {
        self.error = None;
        // Ctrl-C quits from anywhere, whatever the keymap says.
        if k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL) {
            self.quit = true;
            return Vec::new();
        }
        match self.overlays.last() {
            Some(Overlay::Help { .. }) => return self.help_key(k),
            Some(Overlay::Picker(_)) => return self.picker_key(k),
            Some(Overlay::Source(_)) => return self.source_key(k),
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
            Action::Top => self.set_cursor(0),
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
                self.kept = None;
                self.refilter()
            }
            Action::OpenSource => match self.current() {
                Some(index) => {
                    let quote = (in_detail || self.quote_sel > 0).then_some(self.quote_sel);
                    vec![Effect::OpenSource { index, quote }]
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
                        self.refilter()
                    }
                    None => Vec::new(),
                }
            }
            KeyCode::Backspace => {
                self.search.query.pop();
                self.start_search()
            }
            KeyCode::Char('u') if ctrl => {
                self.search.query.clear();
                self.start_search()
            }
            KeyCode::Char('c') if ctrl => {
                self.quit = true;
                Vec::new()
            }
            KeyCode::Down | KeyCode::Tab => self.jump_to_match(1),
            KeyCode::Up | KeyCode::BackTab => self.jump_to_match(-1),
            KeyCode::Char(c) if !ctrl => {
                self.search.query.push(c);
                self.start_search()
            }
            _ => Vec::new(),
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

    fn source_key(&mut self, k: KeyEvent) -> Vec<Effect> {
        let a = self.cfg.keymap.action(&k);
        let h = self.source_height();
        let Some(Overlay::Source(v)) = self.overlays.last_mut() else {
            return Vec::new();
        };
        let max = v.lines.len().saturating_sub(1);
        let nq = v.doc.quotes.len();
        match a {
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
            if let Some(data) = &self.data {
                let pos = self
                    .view
                    .partition_point(|&i| data.rows.get(i as usize).is_none_or(|r| r.day < day));
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
