//! The terminal browser: one loop, one queue.
//!
//! An input thread (key presses, mouse, resize), the store loader and the
//! search worker all send `Msg`s into one `mpsc` channel. The loop drains
//! everything queued, lets `App::update` change state and return effects,
//! performs them, and draws once.

pub mod app;
pub mod data;
pub mod dates;
pub mod demo;
pub mod edit;
pub mod keymap;
pub mod layout;
pub mod live;
pub mod search;
pub mod signals;
pub mod stories;
pub mod text;
pub mod theme;
pub mod ui;

use std::io;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Arc;

use anyhow::Context;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use ratatui::Terminal;

use app::{App, Detail, Effect, Msg, OfficialInfo, Prefilter, QuoteInfo, SourceDoc};
use data::Data;
use search::Worker;

use crate::source::sanitize::{blank_for_display, clean_line};
use crate::span::Span;
use crate::store::{Store, StoreError};

/// What the loop needs besides the state: the store for details and
/// articles, the search worker, and the queue's sending end.
pub struct Runtime {
    pub store_path: PathBuf,
    store: Option<Store>,
    worker: Option<Worker>,
    pub tx: Sender<Msg>,
    /// The last error the browser showed: the exit code says there was one.
    pub last_error: Option<String>,
    /// Called on Ctrl-Z: gives the terminal back, stops the process, and
    /// takes the terminal again on `fg` (only with a real terminal).
    pub suspend: Option<fn()>,
    /// Fetches the feeds when `R` asks (none: the key says so).
    pub refresher: Option<live::Refresher>,
    /// What the browser shows, for the store watcher to match new rows to.
    pub shown: Option<live::Shown>,
}

impl Runtime {
    pub fn new(store_path: PathBuf, tx: Sender<Msg>) -> Runtime {
        Runtime {
            store_path,
            store: None,
            worker: None,
            tx,
            last_error: None,
            suspend: None,
            refresher: None,
            shown: None,
        }
    }

    fn store(&mut self) -> Result<&Store, StoreError> {
        if self.store.is_none() {
            self.store = Some(Store::open_existing(&self.store_path)?);
        }
        self.store.as_ref().ok_or(StoreError::Missing)
    }

    /// Performs one effect; what it yields goes straight back to `update`.
    pub fn perform(&mut self, app: &App, fx: Effect) -> Option<Msg> {
        match fx {
            Effect::RefreshFeeds => match &self.refresher {
                Some(r) if r.now() => None,
                _ => Some(Msg::Note("the feeds cannot be refreshed from here".into())),
            },
            Effect::OpenLink(url) => match open_link(&url) {
                Ok(()) => Some(Msg::Note(format!("opened {url}"))),
                Err(e) => Some(Msg::Error(format!("opening the link: {e}"))),
            },
            Effect::CopyLink(url) => {
                let mut out = io::stdout();
                match osc52(&mut out, &url) {
                    Ok(()) => Some(Msg::Note(format!("copied {url}"))),
                    Err(e) => Some(Msg::Error(format!("copying the link: {e}"))),
                }
            }
            Effect::Export { path, events } => {
                let data = app.data.clone()?;
                let ids: Vec<&str> = events
                    .iter()
                    .filter_map(|&i| data.rows.get(i as usize).map(|r| &*r.id))
                    .collect();
                // Stories are written as their events.
                let stories = app.stories_shown();
                let export = |s: &Store| {
                    if stories {
                        let mut all = Vec::new();
                        for id in &ids {
                            all.extend(s.story_event_ids(id)?);
                        }
                        let all: Vec<&str> = all.iter().map(String::as_str).collect();
                        export_view(s, &all, Path::new(&path))
                    } else {
                        export_view(s, &ids, Path::new(&path))
                    }
                };
                match self.store().and_then(export) {
                    Ok(n) => Some(Msg::Note(format!("wrote {n} events to {path}"))),
                    Err(e) => Some(Msg::Error(format!("{path}: {e}"))),
                }
            }
            Effect::SaveMark { id, read, starred } => {
                // A read-only store keeps the marks for this session only;
                // the status line already says the store is read-only.
                let save = |s: &Store| {
                    if s.is_read_only() {
                        Ok(())
                    } else {
                        s.set_mark(&id, read, starred)
                    }
                };
                match self.store().and_then(save) {
                    Ok(()) => None,
                    Err(e) => Some(Msg::Error(format!("saving the mark: {e}"))),
                }
            }
            Effect::Search(mut q) => {
                let data = app.data.clone()?;
                // The same cap as `list --search`: a fuzzy match's cost
                // grows with the query for every event.
                let max = crate::cli::list::MAX_SEARCH_CHARS;
                let long = q.text.char_indices().nth(max).map(|(at, _)| at);
                if let Some(at) = long {
                    q.text.truncate(at);
                }
                let stale = self
                    .worker
                    .as_ref()
                    .is_none_or(|w| !Arc::ptr_eq(w.data(), &data));
                if stale {
                    self.worker = Some(Worker::spawn(data, self.tx.clone(), Msg::Searched));
                }
                if let Some(w) = &self.worker {
                    w.submit(q);
                }
                long.map(|_| Msg::Error(format!("{SEARCH_CAP_NOTICE} ({max})")))
            }
            Effect::CancelSearch(gen) => {
                if let Some(w) = &self.worker {
                    w.cancel(gen);
                }
                None
            }
            Effect::LoadDetail(index) => {
                let id = app.data.as_ref()?.rows.get(index as usize)?.id.clone();
                match self.store().and_then(|s| load_detail(s, index, &id)) {
                    Ok(Some(d)) => Some(Msg::Detail(Box::new(d))),
                    Ok(None) => None,
                    Err(e) => Some(Msg::Error(format!("reading the event: {e}"))),
                }
            }
            Effect::LoadStory(index) => {
                let data = app.data.clone()?;
                let id = data.rows.get(index as usize)?.id.clone();
                let huge = app
                    .story_info(index)
                    .filter(|i| i.sources > stories::MAX_LISTED_SOURCES);
                if let Some(info) = huge {
                    let d = stories::StoryDetail::from_row(&data, index, info)?;
                    return Some(Msg::StoryDetail(Box::new(d)));
                }
                match self
                    .store()
                    .and_then(|s| stories::load_detail(s, index, &id))
                {
                    Ok(Some(d)) => Some(Msg::StoryDetail(Box::new(d))),
                    Ok(None) => None,
                    Err(e) => Some(Msg::Error(format!("reading the story: {e}"))),
                }
            }
            Effect::OpenStorySource { index, event_id } => {
                match self
                    .store()
                    .and_then(|s| load_source(s, index, &event_id, None))
                {
                    Ok(Some(d)) => Some(Msg::StorySource(Box::new(d))),
                    Ok(None) => Some(Msg::Error("the article is not in the store".into())),
                    Err(e) => Some(Msg::Error(format!("reading the article: {e}"))),
                }
            }
            Effect::SaveStoryMark { id, read, starred } => {
                let save = |s: &Store| {
                    if s.is_read_only() {
                        Ok(())
                    } else {
                        s.set_story_mark(&id, read, starred)
                    }
                };
                match self.store().and_then(save) {
                    Ok(()) => None,
                    Err(e) => Some(Msg::Error(format!("saving the mark: {e}"))),
                }
            }
            Effect::FindStory(event_id) => {
                match self.store().map(|s| s.story_of_event(&event_id)) {
                    Ok(Ok(Some(id))) => Some(Msg::StoryOf(id)),
                    _ => None,
                }
            }
            Effect::OpenSource { index, quote } => {
                let id = app.data.as_ref()?.rows.get(index as usize)?.id.clone();
                match self.store().and_then(|s| load_source(s, index, &id, quote)) {
                    Ok(Some(d)) => Some(Msg::Source(Box::new(d))),
                    Ok(None) => Some(Msg::Error("the article is not in the store".into())),
                    Err(e) => Some(Msg::Error(format!("reading the article: {e}"))),
                }
            }
        }
    }
}

/// The event with its officials' titles and its quotes' spans.
pub fn load_detail(store: &Store, index: u32, id: &str) -> Result<Option<Detail>, StoreError> {
    let Some(rec) = store.event(id)? else {
        return Ok(None);
    };
    let officials = store
        .event_officials(id)?
        .into_iter()
        .map(|o| OfficialInfo {
            name: o.name,
            title: o.title,
            country: o.country,
        })
        .collect();
    let quotes = quotes_of(store, id)?;
    let published_from = store.published_from(id)?;
    let phrase = date_phrase(store, &rec);
    let full_summary = full_summary(store, &rec);
    Ok(Some(Detail {
        index,
        rec,
        officials,
        quotes,
        published_from,
        phrase,
        full_summary,
    }))
}

/// The evidence sentence in full, for a summary the parser cut with "…"
/// (summaries are kept short for the timeline's one line). None when the
/// summary is whole or the span does not fit the article.
fn full_summary(store: &Store, rec: &crate::store::EventRecord) -> Option<String> {
    if !rec.summary.ends_with('…') {
        return None;
    }
    let art = store.article(&rec.article.id).ok()??;
    let s = art.text.get(rec.evidence.start..rec.evidence.end)?;
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (s.chars().count() > rec.summary.chars().count()).then_some(s)
}

/// The words the date was read from: stored with the event since schema
/// 3; for events stored before, the article's time expressions are found
/// again and the one inside the evidence sentence with the event's value
/// is taken (else the first one there).
fn date_phrase(store: &Store, rec: &crate::store::EventRecord) -> Option<String> {
    if let Ok(Some(p)) = store.date_phrase(&rec.id) {
        return Some(p);
    }
    let published = rec.article.published.as_deref()?;
    let dct = chrono::NaiveDate::parse_from_str(published.get(..10)?, "%Y-%m-%d").ok()?;
    let art = store.article(&rec.article.id).ok()??;
    let doc = crate::text::Doc::new(&art.text);
    let ev = rec.evidence;
    let inside: Vec<_> = crate::extract::times::extract(&doc, dct)
        .into_iter()
        .filter(|t| ev.start <= t.span.start && t.span.end <= ev.end)
        .collect();
    let t = inside
        .iter()
        .find(|t| t.value == rec.date.value)
        .or(inside.first())?;
    art.text.get(t.span.start..t.span.end).map(str::to_string)
}

fn quotes_of(store: &Store, id: &str) -> Result<Vec<QuoteInfo>, StoreError> {
    Ok(store
        .event_quote_spans(id)?
        .into_iter()
        .map(|(text, speaker, span)| QuoteInfo {
            text,
            speaker,
            span,
        })
        .collect())
}

/// Opens `url` with `$BROWSER` (the first of its `:`-separated commands;
/// `%s` is replaced by the link, else the link is the last argument), or
/// the platform's opener.
pub fn open_link(url: &str) -> Result<(), String> {
    let browser = std::env::var("BROWSER").unwrap_or_default();
    let Some(cmd) = browser.split(':').map(str::trim).find(|c| !c.is_empty()) else {
        return open::that_detached(url).map_err(|e| e.to_string());
    };
    let mut words: Vec<String> = cmd.split_whitespace().map(str::to_string).collect();
    if words.iter().any(|w| w.contains("%s")) {
        for w in &mut words {
            *w = w.replace("%s", url);
        }
    } else {
        words.push(url.to_string());
    }
    let (prog, args) = words.split_first().ok_or("empty $BROWSER")?;
    let mut child = std::process::Command::new(prog)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("{prog}: {e}"))?;
    // Reaped on its own thread: a browser may run for hours.
    std::thread::spawn(move || child.wait());
    Ok(())
}

/// Writes the OSC 52 sequence that puts `text` on the clipboard of the
/// terminal (also over SSH and in tmux with set-clipboard on). The caller
/// has checked `text` holds no control characters.
pub fn osc52(out: &mut impl io::Write, text: &str) -> io::Result<()> {
    write!(out, "\x1b]52;c;{}\x07", base64(text.as_bytes()))?;
    out.flush()
}

fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let n = (c[0] as u32) << 16
            | (c.get(1).copied().unwrap_or(0) as u32) << 8
            | c.get(2).copied().unwrap_or(0) as u32;
        for k in 0..4 {
            if k <= c.len() {
                out.push(A[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Writes events `ids` (in that order) to `path`: JSON for `.json`, else
/// CSV, both as `newsline export` writes them. Returns how many.
pub fn export_view(store: &Store, ids: &[&str], path: &Path) -> Result<usize, StoreError> {
    let mut events = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(e) = store.event(id)? {
            events.push(e);
        }
    }
    let file = std::fs::File::create(path)?;
    let mut out = io::BufWriter::new(file);
    let json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if json {
        crate::cli::list::write_json(&mut out, &events)?;
    } else {
        crate::cli::export::write_csv(&mut out, &events)?;
    }
    io::Write::flush(&mut out)?;
    Ok(events.len())
}

/// The article of an event, with the spans to mark. Spans that do not fit
/// the text (a damaged store) are dropped rather than trusted.
pub fn load_source(
    store: &Store,
    index: u32,
    id: &str,
    quote: Option<usize>,
) -> Result<Option<SourceDoc>, StoreError> {
    let Some(ev) = store.event(id)? else {
        return Ok(None);
    };
    let Some(art) = store.article(&ev.article.id)? else {
        return Ok(None);
    };
    let ok = |s: &Span| {
        s.start <= s.end
            && s.end <= art.text.len()
            && art.text.is_char_boundary(s.start)
            && art.text.is_char_boundary(s.end)
    };
    let quotes: Vec<Span> = quotes_of(store, id)?
        .into_iter()
        .map(|q| q.span)
        .filter(ok)
        .collect();
    let evidence = if ok(&ev.evidence) {
        ev.evidence
    } else {
        Span { start: 0, end: 0 }
    };
    let byline = [art.source.clone(), art.published.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    Ok(Some(SourceDoc {
        index,
        title: art.title.unwrap_or_else(|| "(untitled)".into()),
        byline,
        url: art.url.clone(),
        text: art.text,
        evidence,
        quotes,
        start_quote: quote,
    }))
}

/// Rows read for the first screen: more than any terminal shows.
const PREVIEW_ROWS: usize = 200;

/// Loads the store on a worker thread, reporting progress into the queue.
/// A missing store loads as an empty one (the screen says how to fill it).
pub fn spawn_loader(path: PathBuf, tx: Sender<Msg>) {
    std::thread::spawn(move || {
        let result = match Store::open_existing(&path) {
            Ok(store) => {
                let read_only = store.is_read_only();
                // Stories come first: they are the first screen.
                let (storied, stories_save) = send_stories(&store, &tx, true);
                // Events stored before stories existed (an older store, then
                // a new article) are in none: the stories view misses them.
                if storied && store.has_loose_events().unwrap_or(false) {
                    let _ = tx.send(Msg::Note(LOOSE_NOTICE.into()));
                }
                // The first screen straight from the date index.
                if !storied {
                    if let Ok(rows) = store.newest_events(PREVIEW_ROWS) {
                        if !rows.is_empty() {
                            let _ = tx.send(Msg::Preview(Arc::new(Data::from_rows(rows, &[]))));
                        }
                    }
                }
                let ptx = tx.clone();
                let mut last = 0;
                let (loaded, save) = match data::load_cached(&store, |done, total| {
                    // Only whole percent steps reach the queue.
                    let pct = done * 100 / total.max(1);
                    if pct != last || done == 0 {
                        last = pct;
                        let _ = ptx.send(Msg::Progress(done, total));
                    }
                }) {
                    Ok((data, save)) => (Ok(Arc::new(data)), save),
                    Err(e) => (Err(format!("{}: {e}", path.display())), None),
                };
                // A fresh load of a big store is saved for the next start
                // once the browser has it (this thread has nothing else
                // to do then).
                let saving = save.zip(loaded.as_ref().ok().cloned());
                // The reader's marks, by index in the loaded data.
                let marks = match (&loaded, store.marks()) {
                    (Ok(data), Ok(marks)) if !marks.is_empty() => {
                        let by_id: std::collections::HashMap<&str, (bool, bool)> = marks
                            .iter()
                            .map(|(id, r, s)| (id.as_str(), (*r, *s)))
                            .collect();
                        data.rows
                            .iter()
                            .enumerate()
                            .filter_map(|(i, row)| {
                                by_id.get(&*row.id).map(|&(r, s)| (i as u32, r, s))
                            })
                            .collect()
                    }
                    _ => Vec::new(),
                };
                let _ = tx.send(Msg::Loaded(loaded));
                if !marks.is_empty() {
                    let _ = tx.send(Msg::Marks(marks));
                }
                if read_only {
                    let _ = tx.send(Msg::Error(READ_ONLY_NOTICE.into()));
                }
                if let Some((save, data)) = saving {
                    save.write(&data, None);
                }
                if let Some(save) = stories_save {
                    save.write();
                }
                return;
            }
            Err(StoreError::Missing) => Ok(Arc::new(Data::default())),
            Err(e) => Err(format!("{}: {e}", path.display())),
        };
        let _ = tx.send(Msg::Loaded(result));
    });
}

/// Which of the saved copies of the store's load (`data::snapshot`) a
/// write has left to be made: one that exists and is not current, or one
/// that does not exist for a load of `from` rows or more.
pub fn copies_to_make(store: &Store, from: usize) -> Result<Vec<data::snapshot::Kind>, StoreError> {
    use data::snapshot::{self, Kind};
    let generation = store.browse_generation()?;
    let mut out = Vec::new();
    for kind in [Kind::Events, Kind::Stories] {
        let path = snapshot::path_for(store.path(), kind);
        let wanted = if path.exists() {
            !snapshot::is_current(&path, generation)
        } else {
            let rows = match kind {
                Kind::Events => store.event_count()?,
                Kind::Stories => store.story_count()?,
            };
            rows.max(0) as usize >= from
        };
        if wanted {
            out.push(kind);
        }
    }
    Ok(out)
}

/// Makes the copies `copies_to_make` names (for `newsline
/// refresh-copies`, which runs in the background after a write). A copy is
/// not written when another write comes during its load.
pub fn refresh_copies(store: &Store, from: usize) -> Result<(), StoreError> {
    use data::snapshot::Kind;
    for kind in copies_to_make(store, from)? {
        match kind {
            Kind::Events => {
                let (data, save) = data::load_cached_from(store, |_, _| {}, 0)?;
                if let Some(save) = save {
                    save.write(&data, None);
                }
            }
            Kind::Stories => {
                let (s, save) = stories::load_cached_from(store, 0)?;
                if let Some(save) = save {
                    save.write(&s.data, Some(&s.info_pairs()));
                }
            }
        }
    }
    Ok(())
}

/// Sends the store's stories into the queue: the newest first when
/// `preview`, then all of them (an empty set too, so the browser knows
/// to show events). True when the store holds stories, with the copy of
/// a fresh load to save once the rest is loaded.
pub(crate) fn send_stories(
    store: &Store,
    tx: &Sender<Msg>,
    preview: bool,
) -> (bool, Option<StoriesSave>) {
    if !store.has_stories().unwrap_or(false) {
        let _ = tx.send(Msg::Stories {
            stories: Arc::new(stories::Stories::default()),
            preview: false,
        });
        return (false, None);
    }
    if preview {
        if let Ok(s) = stories::preview(store, PREVIEW_ROWS) {
            let _ = tx.send(Msg::Stories {
                stories: Arc::new(s),
                preview: true,
            });
        }
    }
    match stories::load_cached(store) {
        Ok((s, save)) => {
            let s = Arc::new(s);
            let _ = tx.send(Msg::Stories {
                stories: s.clone(),
                preview: false,
            });
            (true, save.map(|save| StoriesSave(save, s)))
        }
        Err(e) => {
            let _ = tx.send(Msg::Error(format!("reading the stories: {e}")));
            (true, None)
        }
    }
}

/// A fresh load of the stories, to save for the next start once the
/// loading is over (`data::Save`).
pub(crate) struct StoriesSave(data::Save, Arc<stories::Stories>);

impl StoriesSave {
    pub(crate) fn write(self) {
        self.0.write(&self.1.data, Some(&self.1.info_pairs()));
    }
}

/// Reloads the store when another connection commits, sending each new
/// load as `Msg::Loaded` (see `live::spawn_watcher`, which the browser
/// uses to keep its place).
pub fn spawn_watcher(path: PathBuf, tx: Sender<Msg>) {
    live::spawn_watcher(path, tx, None);
}

/// Reads the terminal on its own thread: key presses (not releases or
/// repeats-as-release), mouse and resize.
pub fn spawn_input(tx: Sender<Msg>) {
    std::thread::spawn(move || loop {
        let msg = match event::read() {
            Ok(Event::Key(k)) if k.kind == KeyEventKind::Press => Msg::Key(k),
            Ok(Event::Mouse(m)) => Msg::Mouse(m),
            Ok(Event::Resize(w, h)) => Msg::Resize(w, h),
            Ok(_) => continue,
            Err(_) => return,
        };
        if tx.send(msg).is_err() {
            return;
        }
    });
}

/// Updates with `msg` and everything its effects yield, depth first.
/// Everything that came from the store or from errors is cleaned for the
/// screen on its way in.
fn apply(app: &mut App, rt: &mut Runtime, msg: Msg) {
    let mut queue = vec![msg];
    while let Some(m) = queue.pop() {
        let m = clean_msg(m);
        // The watcher matches new rows against what the loop was sent.
        if let Msg::Loaded(Ok(d)) | Msg::Preview(d) = &m {
            live::remember(rt.shown.as_ref(), d);
        }
        match &m {
            Msg::Error(e) | Msg::Loaded(Err(e)) if !is_notice(e) => {
                rt.last_error = Some(e.clone());
            }
            _ => {}
        }
        for fx in app.update(m) {
            if let Some(back) = rt.perform(app, fx) {
                queue.push(back);
            }
        }
    }
}

/// What the status line says when the store cannot be written.
pub const READ_ONLY_NOTICE: &str = "read-only store: shown as it is; nothing will be written to it";

/// What the status line says when some events are in no story.
pub const LOOSE_NOTICE: &str =
    "some events are in no story yet: newsline restory groups them (v shows every event)";

/// What the status line says when a search query was cut.
pub const SEARCH_CAP_NOTICE: &str = "search: only the first characters of the query are used";

/// Status-line notices that are not errors (the exit code ignores them).
fn is_notice(e: &str) -> bool {
    e == READ_ONLY_NOTICE || e.starts_with(SEARCH_CAP_NOTICE)
}

fn clean_one(s: &mut String) {
    if let std::borrow::Cow::Owned(c) = clean_line(s) {
        *s = c;
    }
}

fn clean_opt(s: &mut Option<String>) {
    if let Some(s) = s {
        clean_one(s);
    }
}

/// Cleans the text of a message for the screen: one-line fields lose
/// escape sequences, control, bidi and zero-width characters; an article's
/// text has them blanked byte for byte so its spans stay valid.
pub fn clean_msg(m: Msg) -> Msg {
    match m {
        Msg::Error(mut e) => {
            clean_one(&mut e);
            Msg::Error(e)
        }
        Msg::Loaded(Err(mut e)) => {
            clean_one(&mut e);
            Msg::Loaded(Err(e))
        }
        Msg::Detail(mut d) => {
            crate::cli::clean_event(&mut d.rec);
            for o in &mut d.officials {
                clean_one(&mut o.name);
                clean_opt(&mut o.title);
                clean_opt(&mut o.country);
            }
            for q in &mut d.quotes {
                clean_one(&mut q.text);
                clean_opt(&mut q.speaker);
            }
            clean_opt(&mut d.published_from);
            clean_opt(&mut d.phrase);
            clean_opt(&mut d.full_summary);
            Msg::Detail(d)
        }
        Msg::Source(mut doc) => {
            clean_doc(&mut doc);
            Msg::Source(doc)
        }
        Msg::StorySource(mut doc) => {
            clean_doc(&mut doc);
            Msg::StorySource(doc)
        }
        Msg::StoryDetail(mut d) => {
            stories::clean_detail(&mut d);
            Msg::StoryDetail(d)
        }
        m => m,
    }
}

fn clean_doc(doc: &mut SourceDoc) {
    clean_one(&mut doc.title);
    clean_one(&mut doc.byline);
    if let std::borrow::Cow::Owned(t) = blank_for_display(&doc.text) {
        doc.text = t;
    }
}

/// Ctrl-Z: the terminal's suspend key, which raw mode delivers as a key.
fn is_suspend(m: &Msg) -> bool {
    matches!(m, Msg::Key(k) if k.code == KeyCode::Char('z')
        && k.modifiers.contains(KeyModifiers::CONTROL))
}

/// Suspends (when the runtime can) instead of passing Ctrl-Z on; true
/// when it did, and the screen must be drawn again from scratch.
fn suspended<B: Backend>(terminal: &mut Terminal<B>, rt: &Runtime, m: &Msg) -> io::Result<bool> {
    match rt.suspend {
        Some(suspend) if is_suspend(m) => {
            suspend();
            terminal.clear()?;
            Ok(true)
        }
        _ => Ok(false),
    }
}

/// The loop: draw, then per wake-up drain the queue, update, draw once.
/// Ends when the app quits or every sender is gone.
pub fn run_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    rt: &mut Runtime,
    rx: &Receiver<Msg>,
) -> io::Result<()> {
    terminal.draw(|f| ui::render(app, f))?;
    while !app.quit {
        let Ok(first) = rx.recv() else { break };
        if !suspended(terminal, rt, &first)? {
            apply(app, rt, first);
        }
        while !app.quit {
            match rx.try_recv() {
                Ok(m) => {
                    if !suspended(terminal, rt, &m)? {
                        apply(app, rt, m)
                    }
                }
                Err(_) => break,
            }
        }
        if app.quit {
            break;
        }
        terminal.draw(|f| ui::render(app, f))?;
    }
    Ok(())
}

/// Options of `newsline`, `newsline tui` and `newsline demo`.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub prefilter: Prefilter,
    /// Shown in the empty-store notice instead of the path.
    pub label: Option<String>,
}

/// Opens the browser on the store at `path` in the real terminal. The
/// terminal is given back as it was on every way out: quitting, an error,
/// a panic, SIGTERM, SIGINT or SIGHUP; Ctrl-Z suspends and `fg` resumes.
/// Fails after the browser showed an error, so the exit code says so.
pub fn run(path: &Path, opts: Options) -> anyhow::Result<()> {
    // An unknown country is an error here as in every command, not a
    // browser opened unfiltered.
    for c in &opts.prefilter.countries {
        let store = Store::open_read_only(path).ok();
        if crate::store::query::resolve_country(store.as_ref(), c).is_none() {
            return Err(crate::cli::Usage(format!("--country {c:?}: unknown country")).into());
        }
    }
    let no_color = ui_no_color();
    let config_path = crate::store::config_path();
    let cfg = keymap::load_config(config_path.as_deref(), no_color).map_err(anyhow::Error::msg)?;
    let (tx, rx) = mpsc::channel();
    // Loading starts before the terminal is set up: the first frame
    // never waits for it.
    spawn_loader(path.to_path_buf(), tx.clone());
    let shown = live::Shown::default();
    live::spawn_watcher(path.to_path_buf(), tx.clone(), Some(shown.clone()));
    let refresher = live::spawn_refresher(
        path.to_path_buf(),
        live::auto_update(cfg.auto_update),
        tx.clone(),
    );
    // ratatui's hook (installed by init) restores the screen, then calls
    // this one: mouse reporting must be switched off too.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        hook(info);
    }));
    let signals = signals::watch(tx.clone()).context("terminal: signal handlers")?;
    let res = run_in_terminal(path, opts, cfg, tx, &rx, (refresher, shown));
    restore_terminal();
    let stopped_by = signals.finish();
    res?;
    if let Some(sig) = stopped_by {
        return Err(crate::cli::Signal(sig).into());
    }
    Ok(())
}

fn run_in_terminal(
    path: &Path,
    opts: Options,
    cfg: keymap::Config,
    tx: Sender<Msg>,
    rx: &Receiver<Msg>,
    (refresher, shown): (live::Refresher, live::Shown),
) -> anyhow::Result<()> {
    // Like ratatui::try_init, but frames go through one large buffer and
    // reach the terminal whole, never half drawn.
    enter_terminal().context("terminal")?;
    let backend = ratatui::backend::CrosstermBackend::new(io::BufWriter::with_capacity(
        1 << 20,
        io::stdout(),
    ));
    let mut terminal = ratatui::Terminal::new(backend).context("terminal")?;
    let size = terminal
        .size()
        .map(|s| (s.width, s.height))
        .unwrap_or((80, 24));
    let label = opts
        .label
        .clone()
        .unwrap_or_else(|| path.display().to_string());
    let label = clean_line(&label).into_owned();
    let mut app = App::new(cfg, size, label, opts.prefilter);
    spawn_input(tx.clone());
    let mut rt = Runtime::new(path.to_path_buf(), tx);
    rt.suspend = Some(suspend_process);
    rt.refresher = Some(refresher);
    rt.shown = Some(shown);
    let res = run_loop(&mut terminal, &mut app, &mut rt, rx);
    let _ = terminal.show_cursor();
    res.context("terminal")?;
    if let Some(e) = rt.last_error {
        anyhow::bail!("the browser stopped after an error: {e}");
    }
    Ok(())
}

/// Raw mode, the alternate screen and mouse reporting, as the browser
/// runs.
fn enter_terminal() -> io::Result<()> {
    use ratatui::crossterm::terminal::{enable_raw_mode, EnterAlternateScreen};
    enable_raw_mode()?;
    ratatui::crossterm::execute!(
        io::stdout(),
        EnterAlternateScreen,
        event::EnableMouseCapture,
        ratatui::crossterm::cursor::Hide
    )
}

/// Gives the terminal back: mouse reporting off, the main screen, the
/// cursor visible, cooked mode. Safe to call more than once.
pub fn restore_terminal() {
    use ratatui::crossterm::terminal::{disable_raw_mode, LeaveAlternateScreen};
    let _ = ratatui::crossterm::execute!(
        io::stdout(),
        event::DisableMouseCapture,
        LeaveAlternateScreen,
        ratatui::crossterm::cursor::Show
    );
    let _ = disable_raw_mode();
}

/// Ctrl-Z: restore the terminal, stop as the shell expects (SIGTSTP's
/// default action), and take the terminal again when continued.
fn suspend_process() {
    restore_terminal();
    let _ = signal_hook::low_level::raise(signal_hook::consts::SIGTSTP);
    // Here after `fg` (SIGCONT).
    let _ = enter_terminal();
}

fn ui_no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}
