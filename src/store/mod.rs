//! The local event store: one SQLite file (WAL mode) holding every ingested
//! article with its events, officials, countries and quotes.
//!
//! `ingest` writes parse results, `query` reads them back (for `list`,
//! `show`, `export`, `stats` and the terminal browser), `generate` fills a
//! store with synthetic events for benchmarks.

pub mod feeds;
pub mod generate;
pub mod ingest;
pub mod query;
pub mod schema;
pub mod search;
pub mod stories;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

pub use ingest::{date_key, IngestStats};
pub use query::{ArticleRecord, ArticleRef, EventRecord, Filter, QuoteRecord, Stats, TimelineRow};
pub use stories::{StoryRecord, StoryRef, StoryRow};

/// The environment variable that overrides the store's location.
pub const STORE_ENV: &str = "NEWSLINE_STORE";

/// How much of a store a read-only connection maps into memory (see
/// `Store::open_read_only`).
const MMAP_BYTES: i64 = 1 << 31;

/// Why the store could not be used. Messages are written to follow
/// `newsline: STORE_PATH: ` on one line.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no store here yet (run `newsline ingest` first)")]
    Missing,
    #[error("not a newsline store (the file is not an SQLite database); it was left as it was")]
    NotSqlite,
    #[error(
        "not a newsline store (an SQLite database with its own tables: {0}); it was left as it was, \
         pass --store with another path"
    )]
    Foreign(String),
    #[error(
        "the store file is corrupted ({0}); nothing more was written to it. \
         Run `newsline check` for details, then restore a copy or move the file away and ingest again"
    )]
    Corrupt(String),
    #[error("the store is read-only ({0})")]
    ReadOnly(String),
    #[error(
        "the store was written by a newer newsline (schema {found}; this one knows up to {known})"
    )]
    TooNew { found: i64, known: i64 },
    #[error(
        "the store has schema {found} and needs an upgrade to {known}, which reading commands \
         never do: run `newsline upgrade` (or open the browser) once"
    )]
    NeedsUpgrade { found: i64, known: i64 },
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Db(String),
}

impl From<rusqlite::Error> for StoreError {
    /// Sorts SQLite's failures into the few a person can act on.
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ffi::ErrorCode;
        let msg = e.to_string();
        match e.sqlite_error_code() {
            Some(ErrorCode::NotADatabase) => StoreError::NotSqlite,
            Some(ErrorCode::DatabaseCorrupt) => StoreError::Corrupt(msg),
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly(msg),
            _ => StoreError::Db(msg),
        }
    }
}

/// Where the store lives when neither `--store` nor `NEWSLINE_STORE` says.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "newsline").map(|d| d.data_dir().join("newsline.db"))
}

/// Where a config file would live (none is read yet; `--version` shows it).
pub fn config_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "newsline").map(|d| d.config_dir().join("config.toml"))
}

/// `--store` (already merged with `NEWSLINE_STORE` by clap), else the default.
pub fn resolve_path(cli: Option<&Path>) -> Option<PathBuf> {
    match cli {
        Some(p) if !p.as_os_str().is_empty() => Some(p.to_path_buf()),
        _ => std::env::var_os(STORE_ENV)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(default_path),
    }
}

pub struct Store {
    pub(crate) conn: Connection,
    path: PathBuf,
    read_only: bool,
}

/// What is at a store path, found without changing a byte of it.
#[derive(Debug, PartialEq, Eq)]
enum Found {
    /// Nothing, an empty file or an SQLite database without tables: a
    /// writer may make a store here.
    Nothing,
    /// A newsline store of this schema version.
    Newsline(i64),
}

/// The tables every newsline store has; a writer checks they are all there.
const TABLES: [&str; 9] = [
    "articles",
    "events",
    "officials",
    "event_officials",
    "event_countries",
    "quotes",
    "event_quotes",
    "article_countries",
    "article_officials",
];

impl Store {
    /// Opens the store at `path` for writing, creating it (and its folder)
    /// when nothing is there, and migrates it to the current schema. A file
    /// that is not a newsline store is refused and left as it was.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        inspect(path)?;
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        Store::setup_writer(conn, path)
    }

    /// Opens an existing store for reading only: never creates, migrates or
    /// changes it (`list`, `show`, `stats`, `export`). Works on a store whose
    /// file or folder cannot be written, and on a read-only mount.
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        match inspect(path)? {
            Found::Nothing => Err(StoreError::Missing),
            Found::Newsline(v) if v < schema::CURRENT => Err(StoreError::NeedsUpgrade {
                found: v,
                known: schema::CURRENT,
            }),
            Found::Newsline(_) => {
                let conn = read_only_connection(path)?;
                Store::setup_common(&conn)?;
                conn.pragma_update(None, "query_only", true)?;
                // Reads through a memory map of the file instead of a
                // read(2) per page: `list --search` reads back tens of
                // thousands of events at random places, and on a VM each
                // page's system call cost more than the query (1M store:
                // 1.4 s of system time, 0.4 s mapped). The mapped pages
                // are the kernel's page cache, shared and dropped at will;
                // SQLite caps the map at its compile-time limit (2 GB).
                conn.pragma_update(None, "mmap_size", MMAP_BYTES)?;
                Ok(Store {
                    conn,
                    path: path.to_path_buf(),
                    read_only: true,
                })
            }
        }
    }

    /// Opens an existing store for the browser: for writing when it can be
    /// written (and then migrated), else read-only (`is_read_only`). Never
    /// creates one.
    pub fn open_existing(path: &Path) -> Result<Store, StoreError> {
        if inspect(path)? == Found::Nothing {
            return Err(StoreError::Missing);
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        );
        match conn
            .map_err(StoreError::from)
            .and_then(|c| Store::setup_writer(c, path))
            .and_then(|s| s.check_writable().map(|()| s))
        {
            Ok(s) => Ok(s),
            Err(StoreError::ReadOnly(_)) => Store::open_read_only(path),
            Err(StoreError::Db(m)) if m.contains("readonly") || m.contains("unable to open") => {
                Store::open_read_only(path)
            }
            Err(e) => Err(e),
        }
    }

    fn setup_common(conn: &Connection) -> Result<(), StoreError> {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "foreign_keys", true)?;
        // 32 MB of page cache (the default is 2 MB): index updates during a
        // big ingest and the timeline's scans stay in memory.
        conn.pragma_update(None, "cache_size", -32768)?;
        // An ingest with its story merge cycles through more cached
        // statements than rusqlite's default 16: past that, each is
        // compiled anew on every use (a quarter of the merge's
        // instructions in the stories tests).
        conn.set_prepared_statement_cache_capacity(64);
        Ok(())
    }

    fn setup_writer(mut conn: Connection, path: &Path) -> Result<Store, StoreError> {
        Store::setup_common(&conn)?;
        // WAL: readers (the browser) never block the ingest, and a crash
        // mid-write loses only the uncommitted transaction.
        let mode = wal_mode(&conn)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::ReadOnly(format!(
                "cannot switch to WAL (journal mode {mode})"
            )));
        }
        // NORMAL is durable across application crashes in WAL mode; only
        // a power loss may drop the last transactions.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // SQLite's own checkpoints come every ~64 MB of WAL rather than
        // every 4 MB (few fsyncs in a big ingest); `checkpoint_if_large`
        // keeps the WAL below half the store so the disk never needs much
        // more than the store's own size.
        conn.pragma_update(None, "wal_autocheckpoint", 16384)?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        let from = schema::migrate(&mut conn)?;
        schema::check_tables(&conn, &TABLES)?;
        stories::rebuild_if_format_changed(&mut conn, from)?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            read_only: false,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// True when the store was opened for reading only (it cannot be written).
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(schema::version(&self.conn)?)
    }

    /// Fails now, before any work, when the store cannot take writes: a
    /// real write inside a transaction that is then rolled back.
    pub fn check_writable(&self) -> Result<(), StoreError> {
        if self.read_only {
            return Err(StoreError::ReadOnly("opened for reading only".into()));
        }
        let v = schema::version(&self.conn)?;
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        let probe = self
            .conn
            .execute_batch(&format!("PRAGMA user_version = {v}"));
        let end = self.conn.execute_batch("ROLLBACK");
        probe?;
        end?;
        Ok(())
    }

    /// The check a writer makes before its first write: SQLite's
    /// `quick_check` (every page and index entry is readable and in order;
    /// about a second per 200 MB). A store that fails it is `Corrupt`.
    pub fn check_sound(&self) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare("PRAGMA quick_check(5)")?;
        let found: Vec<String> = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<Result<_, _>>()?;
        if found.len() == 1 && found[0] == "ok" {
            Ok(())
        } else {
            Err(StoreError::Corrupt(found.join("; ")))
        }
    }

    /// `PRAGMA integrity_check`: "ok" or SQLite's first complaint.
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        Ok(self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }

    /// Every complaint of SQLite's full `integrity_check` (at most `max`),
    /// or `["ok"]` (`newsline check`).
    pub fn integrity_report(&self, max: usize) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(&format!("PRAGMA integrity_check({})", max.max(1)))?;
        let rows = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Copies the WAL into the store and empties it once it holds more than
    /// half the store's size (and at least 1 MB): an ingest then needs at
    /// most about 1.5 times the store's final size in free disk.
    pub fn checkpoint_if_large(&self) -> Result<bool, StoreError> {
        if self.read_only {
            return Ok(false);
        }
        let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
        let mut wal = self.path.clone().into_os_string();
        wal.push("-wal");
        let (db, wal) = (size(&self.path), size(Path::new(&wal)));
        if wal <= (db / 2).max(1 << 20) {
            return Ok(false);
        }
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(true)
    }

    /// The raw connection, for tests and tools that need SQL.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

/// Switches to WAL and returns the journal mode SQLite reports. Another
/// process creating the same store may hold the lock the switch needs
/// (SQLite does not wait for it here): retried for up to five seconds.
fn wal_mode(conn: &Connection) -> Result<String, StoreError> {
    let start = std::time::Instant::now();
    loop {
        match conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get::<_, String>(0)) {
            Ok(mode) => return Ok(mode),
            Err(e)
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
                    && start.elapsed() < std::time::Duration::from_secs(5) =>
            {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// A read-only connection. Where SQLite cannot make the WAL's shared-memory
/// file (a read-only folder or mount), the file is opened as immutable.
fn read_only_connection(path: &Path) -> Result<Connection, StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    // A writer may hold the lock for a moment (creating the store).
    let probe = |c: &Connection| {
        c.busy_timeout(std::time::Duration::from_secs(5))?;
        c.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))
    };
    if let Ok(c) = Connection::open_with_flags(path, flags) {
        match probe(&c) {
            Ok(()) => return Ok(c),
            // Not a question of access: say so rather than retry.
            Err(e)
                if matches!(
                    e.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt)
                ) =>
            {
                return Err(e.into())
            }
            Err(_) => {}
        }
    }
    let uri = format!("file:{}?immutable=1", uri_path(path));
    let c = Connection::open_with_flags(uri, flags | OpenFlags::SQLITE_OPEN_URI)?;
    probe(&c)?;
    Ok(c)
}

/// `path` percent-encoded for an SQLite `file:` URI.
fn uri_path(path: &Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = String::new();
    for b in abs.as_os_str().as_encoded_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                out.push(*b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Looks at what is at `path` without changing it: nothing (or an empty
/// file or database), a newsline store of some version, or something else
/// (refused).
fn inspect(path: &Path) -> Result<Found, StoreError> {
    use std::io::Read;
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Found::Nothing),
        Err(e) => return Err(e.into()),
    };
    if meta.is_dir() {
        return Err(StoreError::Io(std::io::Error::other(
            "is a directory, not a store file",
        )));
    }
    if !meta.is_file() {
        return Err(StoreError::Io(std::io::Error::other(
            "is not a regular file, not a store file",
        )));
    }
    if meta.len() == 0 {
        return Ok(Found::Nothing);
    }
    let mut head = [0u8; 16];
    let mut f = std::fs::File::open(path)?;
    let n = f.read(&mut head)?;
    if n < 16 || &head != b"SQLite format 3\0" {
        return Err(StoreError::NotSqlite);
    }
    drop(f);
    let conn = read_only_connection(path)?;
    // The version and the table list from one snapshot: read apart, a
    // store another process is creating could show its tables but not yet
    // its version, and look foreign.
    let snapshot = conn.unchecked_transaction()?;
    let v = schema::version(&snapshot)?;
    let too_new = StoreError::TooNew {
        found: v,
        known: schema::CURRENT,
    };
    let tables: Vec<String> = snapshot
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             ORDER BY name",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    drop(snapshot);
    if v == 0 && tables.is_empty() {
        return Ok(Found::Nothing);
    }
    if v > schema::CURRENT && tables.is_empty() {
        return Err(too_new);
    }
    let ours = |t: &str| tables.iter().any(|x| x == t);
    if v == 0 || !ours("articles") || !ours("events") {
        let mut names: Vec<String> = tables
            .iter()
            .take(5)
            .map(|t| crate::source::sanitize::clean_line(t).into_owned())
            .collect();
        if tables.len() > 5 {
            names.push("…".into());
        }
        if names.is_empty() {
            names.push(format!("none, but user_version {v}"));
        }
        return Err(StoreError::Foreign(names.join(", ")));
    }
    if v > schema::CURRENT {
        return Err(too_new);
    }
    Ok(Found::Newsline(v))
}
