//! A small HTTP/1.1 server on 127.0.0.1 for the feed tests: it records
//! every request newsline sends and answers with whatever the test's
//! handler says, including answers that never come or never end.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One request as received.
#[derive(Clone, Debug)]
pub struct Req {
    pub path: String,
    /// Header names lower-cased, values exactly as sent.
    pub headers: Vec<(String, String)>,
}

impl Req {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// How to answer.
#[derive(Clone, Debug)]
pub enum Reply {
    Send {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Accept the request and never answer.
    Hang,
    /// A 200 whose body never ends.
    Endless,
}

impl Reply {
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply::Send {
            status: 200,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
        }
    }

    pub fn status(status: u16) -> Reply {
        Reply::Send {
            status,
            headers: vec![],
            body: Vec::new(),
        }
    }

    pub fn with(mut self, name: &str, value: &str) -> Reply {
        if let Reply::Send { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }
}

type Handler = dyn Fn(&Req) -> Reply + Send + Sync;

pub struct Server {
    pub port: u16,
    pub requests: Arc<Mutex<Vec<Req>>>,
}

impl Server {
    pub fn start(handler: impl Fn(&Req) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let seen = Arc::clone(&requests);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let handler = Arc::clone(&handler);
                let seen = Arc::clone(&seen);
                std::thread::spawn(move || serve(stream, &*handler, &seen));
            }
        });
        Server { port, requests }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn requests(&self) -> Vec<Req> {
        self.requests.lock().unwrap().clone()
    }

    pub fn count(&self, path: &str) -> usize {
        self.requests().iter().filter(|r| r.path == path).count()
    }
}

fn serve(stream: TcpStream, handler: &Handler, seen: &Mutex<Vec<Req>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 {
            break;
        }
        let h = h.trim_end_matches(['\r', '\n']);
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    let req = Req { path, headers };
    seen.lock().unwrap().push(req.clone());
    let mut stream = stream;
    match handler(&req) {
        Reply::Send {
            status,
            headers,
            body,
        } => {
            let mut head = format!(
                "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n",
                body.len()
            );
            for (k, v) in headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str("\r\n");
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
        Reply::Hang => std::thread::sleep(Duration::from_secs(60)),
        Reply::Endless => {
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nConnection: close\r\n\r\n<rss version=\"2.0\"><channel><title>x</title>",
            );
            let chunk = vec![b' '; 64 * 1024];
            while stream.write_all(&chunk).is_ok() {}
        }
    }
}

/// An RSS feed of `(guid, title, link, description)` items.
pub fn rss(title: &str, items: &[(&str, &str, &str, &str)]) -> String {
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>{title}</title><link>http://127.0.0.1/</link><description>test</description>\n"
    );
    for (guid, t, link, desc) in items {
        s.push_str("<item>");
        if !guid.is_empty() {
            s.push_str(&format!("<guid isPermaLink=\"false\">{guid}</guid>"));
        }
        s.push_str(&format!("<title>{t}</title>"));
        if !link.is_empty() {
            s.push_str(&format!("<link>{link}</link>"));
        }
        s.push_str(&format!(
            "<pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate><description>{desc}</description></item>\n"
        ));
    }
    s.push_str("</channel></rss>\n");
    s
}

/// A long item text (over 80 words), invented.
pub fn long_text(topic: &str) -> String {
    let mut s = format!(
        "The foreign ministers of Chile and Norway met in Oslo on Tuesday to discuss {topic}."
    );
    for i in 0..12 {
        s.push_str(&format!(
            " Officials said the {i} working group would report on shipping, fisheries and research cooperation before the summer."
        ));
    }
    s
}

pub const T0: &str = "2026-03-02T12:00:00Z";

/// Runs newsline on `store` with the test clock at `now`.
pub fn newsline(store: &Path, now: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsline"))
        .args(args)
        .env("NEWSLINE_STORE", store)
        .env("NEWSLINE_NOW", now)
        .env("NEWSLINE_HOST_DELAY", "0")
        .env("NEWSLINE_CONNECT_TIMEOUT", "2")
        .env("NEWSLINE_TIMEOUT", "3")
        .output()
        .unwrap()
}

pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

pub fn store_in(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("s.db")
}

/// `t` seconds after T0.
pub fn at(secs: i64) -> String {
    let t = chrono::DateTime::parse_from_rfc3339(T0).unwrap() + chrono::Duration::seconds(secs);
    t.to_utc()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A column of one feed row.
pub fn feed_column(store: &Path, column: &str) -> Option<String> {
    let conn = rusqlite::Connection::open(store).unwrap();
    conn.query_row(
        &format!("SELECT CAST({column} AS TEXT) FROM feeds LIMIT 1"),
        [],
        |r| r.get(0),
    )
    .unwrap()
}

pub fn count(store: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(store).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}
