//! The stories view of the browser (issue 9): which of stories and single
//! events the timeline shows, `v` switching between them, and the story
//! detail's sources (`j`/`k` choose one, Enter opens its article at the
//! sentence it reports the happening in).
//!
//! `App::data` is always what is shown; the other kind waits here with
//! its marks, and filters follow a switch by name.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use super::{App, Effect, Msg, Order, Overlay, Pane, Reload, SourceDoc};
use crate::tui::data::Data;
use crate::tui::stories::{Stories, StoryDetail, StoryInfo};

/// What the stories view keeps.
#[derive(Debug)]
pub struct StoryView {
    /// Stories are wanted (`v` switches); shown when the store has any.
    pub want: bool,
    /// `App::data` holds the stories' rows.
    pub shown: bool,
    pub stories: Option<Arc<Stories>>,
    /// The latest events' data (loaded after the stories).
    pub events: Option<Arc<Data>>,
    /// The marks of the kind not shown, by its row index.
    pub other_marks: HashMap<u32, (bool, bool)>,
    pub detail: Option<Box<StoryDetail>>,
    /// The source chosen in the detail pane.
    pub source: usize,
}

impl Default for StoryView {
    fn default() -> StoryView {
        StoryView {
            want: true,
            shown: false,
            stories: None,
            events: None,
            other_marks: HashMap::new(),
            detail: None,
            source: 0,
        }
    }
}

impl App {
    /// The timeline shows stories.
    pub fn stories_shown(&self) -> bool {
        self.stories.shown
    }

    /// What a row of the timeline is: "stories" or "events".
    pub fn unit(&self) -> &'static str {
        if self.stories.shown {
            "stories"
        } else {
            "events"
        }
    }

    /// The badge fields of row `i`, when stories are shown.
    pub fn story_info(&self, i: u32) -> Option<StoryInfo> {
        if !self.stories.shown {
            return None;
        }
        self.stories.stories.as_ref()?.info(i)
    }

    /// The story detail of the row under the cursor, when it is in.
    pub fn story_detail(&self) -> Option<&StoryDetail> {
        self.stories
            .detail
            .as_deref()
            .filter(|d| self.stories.shown && Some(d.index) == self.current())
    }

    /// The source chosen in the detail pane.
    pub fn story_source(&self) -> usize {
        self.stories.source
    }

    /// Stories arrived (the first screen's, or all of them).
    pub(super) fn on_stories(&mut self, s: Arc<Stories>, preview: bool) -> Vec<Effect> {
        if preview && self.stories.stories.is_some() {
            return Vec::new();
        }
        let show = self.stories.want && !s.data.is_empty();
        let marks: HashMap<u32, (bool, bool)> =
            s.marks.iter().map(|&(i, r, st)| (i, (r, st))).collect();
        self.stories.stories = Some(s.clone());
        if !show {
            if self.stories.shown && !preview {
                // The stories are gone (the store was emptied or rebuilt
                // without any): the events are shown.
                return self.show_events_data();
            }
            return Vec::new();
        }
        if !self.stories.shown && self.data.is_some() && !self.preview && !preview {
            // Events are on screen (the store had no stories before): the
            // switch `v` makes, filters carried over.
            let fx = self.switch_data(s.data.clone(), true);
            self.marks = marks;
            return fx;
        }
        if !self.stories.shown {
            self.stories.shown = true;
            self.stories.detail = None;
            self.detail = None;
        }
        if preview {
            return self.update(Msg::Preview(s.data.clone()));
        }
        if let Some(base) = self.data.clone().filter(|_| !self.preview) {
            // New stories while the browser is open: the selection stays
            // on its line and the new rows above are counted, as for events.
            let fx = self.on_reload(Reload::between(base, s.data.clone()));
            self.marks = marks;
            return fx;
        }
        let fx = self.update(Msg::Loaded(Ok(s.data.clone())));
        self.marks = marks;
        fx
    }

    /// Keeps loaded events: true when they wait (stories are shown) and
    /// the message is done with.
    pub(super) fn keep_events(&mut self, data: &Arc<Data>) -> bool {
        let is_stories = self
            .stories
            .stories
            .as_ref()
            .is_some_and(|s| Arc::ptr_eq(&s.data, data));
        if is_stories {
            return false;
        }
        self.stories.events = Some(data.clone());
        self.stories.shown
    }

    /// Keeps the events' marks while stories are shown: true when kept.
    pub(super) fn keep_event_marks(&mut self, marks: &[(u32, bool, bool)]) -> bool {
        if !self.stories.shown {
            return false;
        }
        self.stories.other_marks = marks.iter().map(|&(i, r, s)| (i, (r, s))).collect();
        true
    }

    /// `v`: stories to single events and back, keeping the filters, the
    /// search and, where it can, the place.
    pub(super) fn toggle_stories(&mut self) -> Vec<Effect> {
        if self.stories.shown {
            if self.stories.events.is_none() {
                self.note = Some("the events are still loading".into());
                return Vec::new();
            }
            self.stories.want = false;
            // The chosen source's event is where the events view opens.
            let event = self.story_detail().and_then(|d| {
                d.sources
                    .get(self.stories.source)
                    .map(|s| s.source.event_id.clone())
            });
            let mut fx = self.show_events_data();
            if let Some(id) = event {
                fx.extend(self.go_to_id(&id));
            }
            fx
        } else {
            let has = self
                .stories
                .stories
                .as_ref()
                .is_some_and(|s| !s.data.is_empty());
            if !has {
                self.note = Some("no stories in this store (newsline restory builds them)".into());
                return Vec::new();
            }
            self.stories.want = true;
            let event = self.current_id();
            let Some(s) = self.stories.stories.clone() else {
                return Vec::new();
            };
            let mut fx = self.switch_data(s.data.clone(), true);
            if let Some(id) = event {
                fx.push(Effect::FindStory(id.to_string()));
            }
            fx
        }
    }

    fn show_events_data(&mut self) -> Vec<Effect> {
        match self.stories.events.clone() {
            Some(e) => self.switch_data(e, false),
            None => {
                self.stories.shown = false;
                Vec::new()
            }
        }
    }

    /// Puts `data` on screen. Picked countries and officials are carried
    /// over by name; a kept search becomes a live one (its hits were rows
    /// of the other kind) and runs again on the new rows.
    fn switch_data(&mut self, data: Arc<Data>, stories: bool) -> Vec<Effect> {
        let old = self.data.clone();
        let countries: Vec<String> = old.as_ref().map_or_else(Vec::new, |d| {
            self.countries
                .iter()
                .map(|&c| d.country_code(c).to_string())
                .collect()
        });
        let officials: Vec<String> = old.as_ref().map_or_else(Vec::new, |d| {
            self.officials
                .iter()
                .map(|&o| d.official_name(o).to_string())
                .collect()
        });
        self.countries = countries
            .iter()
            .filter_map(|c| data.countries.iter().position(|x| x == c))
            .map(|i| i as u16)
            .collect::<BTreeSet<u16>>();
        self.officials = officials
            .iter()
            .filter_map(|o| data.officials.iter().position(|x| x == o))
            .map(|i| i as u32)
            .collect::<BTreeSet<u32>>();
        self.kept = None;
        // New-row counts are indices into the rows being replaced.
        self.fresh.clear();
        if self.order == Order::Ranked {
            self.order = Order::Newest;
        }
        self.search.hits = None;
        self.search.pos = 0;
        std::mem::swap(&mut self.marks, &mut self.stories.other_marks);
        self.stories.shown = stories;
        self.stories.detail = None;
        self.stories.source = 0;
        self.detail = None;
        self.data = Some(data);
        self.preview = false;
        let mut fx = self.refilter();
        if !self.search.query.trim().is_empty()
            && !fx.iter().any(|f| matches!(f, Effect::Search(_)))
        {
            fx.extend(self.start_search());
        }
        fx
    }

    /// Puts the cursor on the row with this id, when it is shown.
    fn go_to_id(&mut self, id: &str) -> Vec<Effect> {
        let Some(data) = self.data.clone() else {
            return Vec::new();
        };
        let found = data
            .rows
            .iter()
            .position(|r| &*r.id == id)
            .and_then(|i| self.pos_of(i as u32));
        match found {
            Some(p) => {
                self.top = p;
                self.set_cursor(p)
            }
            None => Vec::new(),
        }
    }

    /// The story an event is in was found (after `v` from that event).
    pub(super) fn on_story_of(&mut self, id: String) -> Vec<Effect> {
        if self.stories.shown {
            self.go_to_id(&id)
        } else {
            Vec::new()
        }
    }

    /// Asks for the story under the cursor when its detail is not in.
    pub(super) fn story_detail_effect(&mut self) -> Vec<Effect> {
        match self.current() {
            Some(i) if self.stories.detail.as_ref().map(|d| d.index) != Some(i) => {
                self.detail_scroll = 0;
                self.stories.source = 0;
                vec![Effect::LoadStory(i)]
            }
            _ => Vec::new(),
        }
    }

    pub(super) fn on_story_detail(&mut self, d: Box<StoryDetail>) -> Vec<Effect> {
        if self.stories.shown && Some(d.index) == self.current() {
            self.stories.source = self.stories.source.min(d.sources.len().saturating_sub(1));
            self.stories.detail = Some(d);
        }
        Vec::new()
    }

    /// `j`/`k` in the detail pane: the next or previous source, scrolled
    /// into view.
    pub(super) fn step_source(&mut self, step: isize) -> Vec<Effect> {
        let n = self.story_detail().map_or(0, |d| d.sources.len());
        if n == 0 {
            return Vec::new();
        }
        let s = (self.stories.source as isize + step).clamp(0, n as isize - 1) as usize;
        self.stories.source = s;
        let l = self.layout();
        let Some(area) = l.detail else {
            return Vec::new();
        };
        let inside = if l.bordered() {
            crate::tui::layout::inner(area)
        } else {
            area
        };
        let height = inside.height as usize;
        let lines = crate::tui::ui::detail::lines(self, inside.width as usize);
        let first = lines.iter().position(|(_, q)| *q == Some(s));
        let last = lines.iter().rposition(|(_, q)| *q == Some(s));
        if let (Some(a), Some(b)) = (first, last) {
            if a < self.detail_scroll {
                self.detail_scroll = a;
            } else if b >= self.detail_scroll + height {
                // The whole block when it fits, else its start.
                self.detail_scroll = (b + 1).saturating_sub(height).min(a);
            }
        }
        Vec::new()
    }

    /// Enter on a story: the chosen source's article, at its sentence.
    pub(super) fn open_story_source(&mut self) -> Vec<Effect> {
        let Some(index) = self.current() else {
            return Vec::new();
        };
        let Some(src) = self
            .story_detail()
            .and_then(|d| d.sources.get(self.stories.source))
        else {
            self.note = Some("the story is still loading".into());
            return Vec::new();
        };
        let mut fx = vec![Effect::OpenStorySource {
            index,
            event_id: src.source.event_id.clone(),
        }];
        let (read, star) = self.mark(index);
        if !read {
            fx.extend(self.set_mark(index, true, star));
        }
        fx
    }

    /// The article of a story's source: the view lands on the evidence
    /// sentence; `n` goes on to the first quote after it.
    pub(super) fn on_story_source(&mut self, doc: Box<SourceDoc>) -> Vec<Effect> {
        if !self.stories.shown || Some(doc.index) != self.current() {
            return Vec::new();
        }
        self.overlays.retain(|o| !matches!(o, Overlay::Source(_)));
        self.open_source(doc);
        let h = self.source_height();
        if let Some(Overlay::Source(v)) = self.overlays.last_mut() {
            let at = v.doc.evidence.start;
            let line = v.lines.partition_point(|&(_, end)| end <= at);
            v.scroll = line.saturating_sub(h / 3);
            v.current = v.doc.quotes.iter().position(|q| q.end > at).unwrap_or(0);
        }
        Vec::new()
    }

    /// The chosen source's link (`b`, `y` on a story).
    pub(super) fn story_link(&self) -> Option<Option<String>> {
        if !self.stories.shown {
            return None;
        }
        Some(
            self.story_detail()
                .and_then(|d| d.sources.get(self.stories.source))
                .and_then(|s| s.source.url.clone()),
        )
    }

    /// Whether the detail pane has the focus on a story.
    pub(super) fn in_story_detail(&self) -> bool {
        self.stories.shown && self.focus == Pane::Detail
    }
}
