//! Following feeds over HTTP: `http` sends one request as a well-behaved
//! reader, `schedule` decides when a feed may be asked again, `update`
//! fetches the due feeds (one request at a time per host, several hosts at
//! once) and stores their items, `opml` reads and writes subscription
//! lists.
//!
//! Time comes in as a value (`now`), never read inside, so tests can move
//! the clock: the CLI reads it from `NEWSLINE_NOW` when set.

pub mod http;
pub mod opml;
pub mod schedule;
pub mod update;

use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};

/// Where the User-Agent points server operators: the package's repository
/// when Cargo.toml names one.
pub const PROJECT_URL: &str = match option_env!("CARGO_PKG_REPOSITORY") {
    Some(r) if !r.is_empty() => r,
    _ => "https://crates.io/crates/newsline",
};

/// The environment variable that sets the clock (RFC 3339), for tests.
pub const NOW_ENV: &str = "NEWSLINE_NOW";

/// How fetching behaves. The defaults are the polite ones; the
/// environment can shorten the timeouts and the per-host delay (tests and
/// benches on 127.0.0.1).
#[derive(Clone, Debug)]
pub struct Settings {
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    /// Pause between two requests to one host (remote hosts: at least 1 s).
    pub host_delay: Duration,
    pub max_feed_bytes: u64,
    pub max_page_bytes: u64,
    /// Feeds fetched at once (never two at once from one host).
    pub jobs: usize,
    /// `--full-text auto` fetches the page of items shorter than this.
    pub short_words: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            host_delay: Duration::from_secs(1),
            max_feed_bytes: 16 << 20,
            max_page_bytes: 8 << 20,
            jobs: 4,
            short_words: 80,
        }
    }
}

impl Settings {
    /// The defaults, with `NEWSLINE_CONNECT_TIMEOUT`, `NEWSLINE_TIMEOUT`
    /// and `NEWSLINE_HOST_DELAY` (seconds, fractions allowed) applied.
    pub fn from_env() -> Settings {
        let secs = |name: &str| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.trim().parse::<f64>().ok())
                .filter(|v| v.is_finite() && (0.0..=86_400.0).contains(v))
                .map(Duration::from_secs_f64)
        };
        let mut s = Settings::default();
        if let Some(d) = secs("NEWSLINE_CONNECT_TIMEOUT") {
            s.connect_timeout = d;
        }
        if let Some(d) = secs("NEWSLINE_TIMEOUT") {
            s.request_timeout = d;
        }
        if let Some(d) = secs("NEWSLINE_HOST_DELAY") {
            s.host_delay = d;
        }
        s
    }

    /// The delay between requests to `host`: the setting, and never under
    /// a second for a host that is not this machine.
    pub fn delay_for(&self, host: &str) -> Duration {
        if schedule::is_loopback(http::host_name(host)) {
            self.host_delay
        } else {
            self.host_delay.max(Duration::from_secs(1))
        }
    }
}

/// The current time: `NEWSLINE_NOW` when set (tests), else the clock.
pub fn now() -> Result<DateTime<Utc>, String> {
    match std::env::var(NOW_ENV) {
        Ok(v) if !v.trim().is_empty() => DateTime::parse_from_rfc3339(v.trim())
            .map(|d| d.with_timezone(&Utc))
            .map_err(|e| format!("{NOW_ENV}={v:?}: {e}")),
        _ => Ok(Utc::now()),
    }
}

/// How times are kept in the store: sortable as text.
pub fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// True for an http(s) URL (what `ingest` fetches instead of opening).
pub fn is_url(s: &str) -> bool {
    let l = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    l.starts_with("http://") || l.starts_with("https://")
}

/// Fetches one page or feed for `newsline ingest URL`: one request, by
/// the same rules as `update` (User-Agent, redirects, size caps).
pub fn fetch_once(url: &str) -> Result<Vec<u8>, String> {
    let settings = Settings::from_env();
    let client = http::Client::new(&settings);
    let resp = client
        .get(&http::Request {
            url,
            limit: settings.max_feed_bytes,
            accept: update::ACCEPT_ANY,
            ..Default::default()
        })
        .map_err(|e| crate::cli::update::clean(&e.to_string()))?;
    if resp.status != 200 {
        return Err(format!("HTTP {}", resp.status));
    }
    if resp.body.iter().all(|b| b.is_ascii_whitespace()) {
        return Err("empty response".into());
    }
    Ok(resp.body)
}
