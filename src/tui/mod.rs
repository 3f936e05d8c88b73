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
pub mod search;
pub mod text;
pub mod theme;
pub mod ui;

use std::io;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Arc;

use ratatui::backend::Backend;
use ratatui::crossterm::event::{self, Event, KeyEventKind};
use ratatui::Terminal;

use app::{App, Detail, Effect, Msg, OfficialInfo, Prefilter, QuoteInfo, SourceDoc};
use data::Data;
use search::Worker;

use crate::span::Span;
use crate::store::{Store, StoreError};

/// What the loop needs besides the state: the store for details and
/// articles, the search worker, and the queue's sending end.
pub struct Runtime {
    pub store_path: PathBuf,
    store: Option<Store>,
    worker: Option<Worker>,
    pub tx: Sender<Msg>,
}

impl Runtime {
    pub fn new(store_path: PathBuf, tx: Sender<Msg>) -> Runtime {
        Runtime {
            store_path,
            store: None,
            worker: None,
            tx,
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
                match self
                    .store()
                    .and_then(|s| export_view(s, &ids, Path::new(&path)))
                {
                    Ok(n) => Some(Msg::Note(format!("wrote {n} events to {path}"))),
                    Err(e) => Some(Msg::Error(format!("{path}: {e}"))),
                }
            }
            Effect::SaveMark { id, read, starred } => {
                match self.store().and_then(|s| s.set_mark(&id, read, starred)) {
                    Ok(()) => None,
                    Err(e) => Some(Msg::Error(format!("saving the mark: {e}"))),
                }
            }
            Effect::Search(q) => {
                let data = app.data.clone()?;
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
                None
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
    Ok(Some(Detail {
        index,
        rec,
        officials,
        quotes,
        published_from,
        phrase,
    }))
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
                // The first screen straight from the date index.
                if let Ok(rows) = store.newest_events(PREVIEW_ROWS) {
                    if !rows.is_empty() {
                        let _ = tx.send(Msg::Preview(Arc::new(Data::from_rows(rows, &[]))));
                    }
                }
                let ptx = tx.clone();
                let mut last = 0;
                let loaded = data::load(&store, |done, total| {
                    // Only whole percent steps reach the queue.
                    let pct = done * 100 / total.max(1);
                    if pct != last || done == 0 {
                        last = pct;
                        let _ = ptx.send(Msg::Progress(done, total));
                    }
                })
                .map(Arc::new)
                .map_err(|e| format!("{}: {e}", path.display()));
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
                if !marks.is_empty() {
                    let _ = tx.send(Msg::Loaded(loaded));
                    let _ = tx.send(Msg::Marks(marks));
                    return;
                }
                loaded
            }
            Err(StoreError::Missing) => Ok(Arc::new(Data::default())),
            Err(e) => Err(format!("{}: {e}", path.display())),
        };
        let _ = tx.send(Msg::Loaded(result));
    });
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
fn apply(app: &mut App, rt: &mut Runtime, msg: Msg) {
    let mut queue = vec![msg];
    while let Some(m) = queue.pop() {
        for fx in app.update(m) {
            if let Some(back) = rt.perform(app, fx) {
                queue.push(back);
            }
        }
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
        apply(app, rt, first);
        while !app.quit {
            match rx.try_recv() {
                Ok(m) => apply(app, rt, m),
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

/// Opens the browser on the store at `path` in the real terminal.
pub fn run(path: &Path, opts: Options) -> Result<(), String> {
    // An unknown country is an error here as in every command, not a
    // browser opened unfiltered.
    for c in &opts.prefilter.countries {
        let store = Store::open_existing(path).ok();
        if crate::store::query::resolve_country(store.as_ref(), c).is_none() {
            return Err(format!("--country {c:?}: unknown country"));
        }
    }
    let no_color = ui_no_color();
    let config_path = crate::store::config_path();
    let cfg = keymap::load_config(config_path.as_deref(), no_color)?;
    let (tx, rx) = mpsc::channel();
    // Loading starts before the terminal is set up: the first frame
    // never waits for it.
    spawn_loader(path.to_path_buf(), tx.clone());
    // ratatui's hook (installed by init) restores the screen, then calls
    // this one: mouse reporting must be switched off too.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = ratatui::crossterm::execute!(io::stdout(), event::DisableMouseCapture);
        ratatui::restore();
        hook(info);
    }));
    // Like ratatui::try_init, but frames go through one large buffer and
    // reach the terminal whole, never half drawn.
    ratatui::crossterm::terminal::enable_raw_mode().map_err(|e| format!("terminal: {e}"))?;
    if let Err(e) = ratatui::crossterm::execute!(
        io::stdout(),
        ratatui::crossterm::terminal::EnterAlternateScreen
    ) {
        ratatui::restore();
        return Err(format!("terminal: {e}"));
    }
    let backend = ratatui::backend::CrosstermBackend::new(io::BufWriter::with_capacity(
        1 << 20,
        io::stdout(),
    ));
    let mut terminal = match ratatui::Terminal::new(backend) {
        Ok(t) => t,
        Err(e) => {
            ratatui::restore();
            return Err(format!("terminal: {e}"));
        }
    };
    let _ = ratatui::crossterm::execute!(io::stdout(), event::EnableMouseCapture);
    let size = terminal
        .size()
        .map(|s| (s.width, s.height))
        .unwrap_or((80, 24));
    let label = opts
        .label
        .clone()
        .unwrap_or_else(|| path.display().to_string());
    let mut app = App::new(cfg, size, label, opts.prefilter);
    spawn_input(tx.clone());
    let mut rt = Runtime::new(path.to_path_buf(), tx);
    let res = run_loop(&mut terminal, &mut app, &mut rt, &rx);
    let _ = ratatui::crossterm::execute!(io::stdout(), event::DisableMouseCapture);
    ratatui::restore();
    res.map_err(|e| format!("terminal: {e}"))
}

fn ui_no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}
