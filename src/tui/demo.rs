//! `newsline demo`: the bundled demo articles, parsed into a throwaway
//! store, browsed. The user's own store is never touched.

use std::path::PathBuf;

use anyhow::Context;

use crate::parse::Options;
use crate::store::Store;

/// (file name, contents) of every `assets/demo/*.txt`, embedded at build
/// time by `build.rs`.
pub const FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/demo_files.rs"));

/// Parses `files` into a new store at `dir/demo.db`; returns its path and
/// the number of events.
pub fn build_store(
    dir: &std::path::Path,
    files: &[(&str, &str)],
) -> Result<(PathBuf, usize), String> {
    let path = dir.join("demo.db");
    let mut store = Store::open(&path).map_err(|e| format!("demo store: {e}"))?;
    let mut events = 0;
    for (name, text) in files {
        let docs = crate::store::ingest::parse_input(text.as_bytes(), &Options::default())
            .map_err(|e| format!("{name}: {e}"))?;
        let stats = store
            .ingest(&docs, Some(name))
            .map_err(|e| format!("{name}: {e}"))?;
        events += stats.events_added;
    }
    Ok((path, events))
}

/// Runs the browser on the demo articles.
/// The temporary store is removed on every way out, a signal included.
pub fn run(opts: super::Options) -> anyhow::Result<()> {
    if FILES.is_empty() {
        anyhow::bail!("this build has no demo articles (assets/demo is empty)");
    }
    let dir = tempfile::tempdir().map_err(|e| anyhow::anyhow!("temporary folder: {e}"))?;
    super::signals::remove_on_exit(dir.path());
    let (path, _) = build_store(dir.path(), FILES).map_err(anyhow::Error::msg)?;
    let opts = super::Options {
        label: Some("the demo store".into()),
        ..opts
    };
    super::run(&path, opts)
}

/// `newsline demo --live`: the demo articles served as a feed on
/// 127.0.0.1, a new item every few seconds, followed through the real
/// fetch path (`fetch::update`) into a throwaway store the browser shows.
pub fn run_live(opts: super::Options) -> anyhow::Result<()> {
    if FILES.is_empty() {
        anyhow::bail!("this build has no demo articles (assets/demo is empty)");
    }
    let dir = tempfile::tempdir().context("temporary folder")?;
    super::signals::remove_on_exit(dir.path());
    let path = dir.path().join("demo.db");
    let feed = live::serve(FILES, live::FIRST_ITEMS, live::EVERY).map_err(anyhow::Error::msg)?;
    let mut store = Store::open(&path).context("demo store")?;
    let now = crate::fetch::stamp(chrono::Utc::now());
    store
        .add_feed(
            &crate::store::feeds::NewFeed {
                url: feed.clone(),
                title: Some("newsline live demo".into()),
                tags: vec!["demo".into()],
                every_secs: 2,
                full_text: "never".into(),
            },
            &now,
        )
        .context("demo store")?;
    drop(store);
    // The first items are in before the browser opens.
    live::update_once(&path);
    live::follow(path.clone());
    let opts = super::Options {
        label: Some(format!("the live demo ({feed})")),
        ..opts
    };
    super::run(&path, opts)
}

mod live {
    //! The demo's feed server and the background fetcher.

    use std::io::{BufRead, BufReader, Write};
    use std::net::{TcpListener, TcpStream};
    use std::path::PathBuf;
    use std::time::{Duration, Instant};

    use crate::fetch::{self, Settings};
    use crate::store::feeds::FeedSelection;
    use crate::store::Store;

    /// Items published at once, then one more every `EVERY`.
    pub const FIRST_ITEMS: usize = 3;
    pub const EVERY: Duration = Duration::from_secs(4);

    /// Serves `/feed.xml` on a free port of 127.0.0.1; returns its URL.
    pub fn serve(
        files: &'static [(&'static str, &'static str)],
        first: usize,
        every: Duration,
    ) -> Result<String, String> {
        let listener =
            TcpListener::bind("127.0.0.1:0").map_err(|e| format!("demo feed server: {e}"))?;
        let port = listener
            .local_addr()
            .map_err(|e| format!("demo feed server: {e}"))?
            .port();
        let started = Instant::now();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let shown = (first
                    + (started.elapsed().as_secs_f64() / every.as_secs_f64()) as usize)
                    .min(files.len());
                answer(stream, files, shown, port);
            }
        });
        Ok(format!("http://127.0.0.1:{port}/feed.xml"))
    }

    /// One request: the feed of the first `shown` articles, 304 when the
    /// reader already has it.
    fn answer(stream: TcpStream, files: &[(&str, &str)], shown: usize, port: u16) {
        let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
        let mut reader = BufReader::new(&stream);
        let mut etag_sent = None;
        let mut line = String::new();
        while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                if k.trim().eq_ignore_ascii_case("if-none-match") {
                    etag_sent = Some(v.trim().to_string());
                }
            }
            line.clear();
        }
        let etag = format!("\"demo-{shown}\"");
        let mut out = &stream;
        if etag_sent.as_deref() == Some(etag.as_str()) {
            let _ = write!(
                out,
                "HTTP/1.1 304 Not Modified\r\nETag: {etag}\r\nConnection: close\r\n\r\n"
            );
            return;
        }
        let body = feed_xml(&files[..shown], port);
        let _ = write!(
            out,
            "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml; charset=utf-8\r\nETag: {etag}\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        let _ = out.write_all(body.as_bytes());
    }

    /// RSS 2.0 of demo articles (front matter gives title, date, link).
    fn feed_xml(files: &[(&str, &str)], port: u16) -> String {
        let mut s = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>\
             <title>Newsline Demo Wire (live)</title>",
        );
        s.push_str(&format!("<link>http://127.0.0.1:{port}/</link><description>The bundled demo articles, one more every few seconds</description>\n"));
        // Newest first, as feeds are.
        for (name, text) in files.iter().rev() {
            let (meta, body) = split_front_matter(text);
            let field = |k: &str| {
                meta.lines()
                    .find_map(|l| l.strip_prefix(k)?.strip_prefix(':'))
                    .map(str::trim)
                    .unwrap_or("")
            };
            let date = chrono::NaiveDate::parse_from_str(field("published"), "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(9, 0, 0))
                .map(|d| d.and_utc().to_rfc2822())
                .unwrap_or_default();
            let html: String = body
                .split("\n\n")
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .skip(1) // the headline, which is the title
                .map(|p| format!("<p>{}</p>", esc(p)))
                .collect();
            s.push_str(&format!(
                "<item><guid isPermaLink=\"false\">{}</guid><title>{}</title><link>http://127.0.0.1:{port}/demo/{}</link><pubDate>{date}</pubDate><description>{}</description></item>\n",
                esc(name),
                esc(field("title")),
                esc(name.trim_end_matches(".txt")),
                esc(&html)
            ));
        }
        s.push_str("</channel></rss>\n");
        s
    }

    fn split_front_matter(text: &str) -> (&str, &str) {
        if let Some(rest) = text.strip_prefix("---\n") {
            if let Some(end) = rest.find("\n---\n") {
                return (&rest[..end], &rest[end + 5..]);
            }
        }
        ("", text)
    }

    fn esc(s: &str) -> String {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    }

    /// Fetches the due feeds of the store every second, as `update` would.
    pub fn follow(path: PathBuf) {
        std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_secs(1));
            update_once(&path);
        });
    }

    /// One `update` of the feeds that are due.
    pub fn update_once(path: &std::path::Path) {
        let settings = Settings {
            host_delay: Duration::ZERO,
            jobs: 1,
            ..Settings::default()
        };
        let now = chrono::Utc::now();
        let lease = fetch::stamp(now + chrono::Duration::seconds(60));
        let claimed = Store::open(path).and_then(|mut s| {
            s.claim_due(&FeedSelection::default(), false, &fetch::stamp(now), &lease)
        });
        if let Ok((feeds, _)) = claimed {
            if !feeds.is_empty() {
                fetch::update::run(path, feeds, &settings, now, |_| {});
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn demo_feed_is_a_feed_of_the_articles() {
            let files = super::super::FILES;
            if files.len() < 2 {
                return;
            }
            let xml = feed_xml(&files[..2], 1);
            let items = crate::source::feed::read(xml.as_bytes()).unwrap();
            assert_eq!(items.len(), 2);
            assert!(items
                .iter()
                .all(|i| i.published.is_some() && i.title.is_some()));
            assert!(items[0].text.split_whitespace().count() > 80);
        }
    }
}
