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

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

pub use ingest::{date_key, IngestStats};
pub use query::{ArticleRecord, ArticleRef, EventRecord, Filter, QuoteRecord, Stats, TimelineRow};

/// The environment variable that overrides the store's location.
pub const STORE_ENV: &str = "NEWSLINE_STORE";

/// Why the store could not be used. Messages are written to follow
/// `newsline: STORE_PATH: ` on one line.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no store here yet (run `newsline ingest` first)")]
    Missing,
    #[error("not a newsline store (the file is not an SQLite database)")]
    NotSqlite,
    #[error("the store file is corrupted ({0})")]
    Corrupt(String),
    #[error("the store is read-only ({0})")]
    ReadOnly(String),
    #[error(
        "the store was written by a newer newsline (schema {found}; this one knows up to {known})"
    )]
    TooNew { found: i64, known: i64 },
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
}

impl Store {
    /// Opens the store at `path`, creating it (and its folder) when absent,
    /// and migrates it to the current schema.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        check_header(path)?;
        let conn = Connection::open(path)?;
        Store::setup(conn, path, true)
    }

    /// Opens a store that must already exist (for the read-only commands).
    /// A store that cannot be written to is still readable.
    pub fn open_existing(path: &Path) -> Result<Store, StoreError> {
        if !path.exists() {
            return Err(StoreError::Missing);
        }
        check_header(path)?;
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        );
        match conn
            .map_err(StoreError::from)
            .and_then(|c| Store::setup(c, path, true))
        {
            Ok(s) => Ok(s),
            Err(StoreError::ReadOnly(_)) => {
                let conn = Connection::open_with_flags(
                    path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                Store::setup(conn, path, false)
            }
            Err(e) => Err(e),
        }
    }

    fn setup(mut conn: Connection, path: &Path, write: bool) -> Result<Store, StoreError> {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "foreign_keys", true)?;
        // 32 MB of page cache (the default is 2 MB): index updates during a
        // big ingest and the timeline's scans stay in memory.
        conn.pragma_update(None, "cache_size", -32768)?;
        if write {
            // WAL: readers (the browser) never block the ingest, and a crash
            // mid-write loses only the uncommitted transaction.
            let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(StoreError::ReadOnly(format!(
                    "cannot switch to WAL (journal mode {mode})"
                )));
            }
            // NORMAL is durable across application crashes in WAL mode; only
            // a power loss may drop the last transactions.
            conn.pragma_update(None, "synchronous", "NORMAL")?;
            // Checkpoint (copy the WAL into the database, with an fsync)
            // every ~64 MB rather than every 4 MB: a big ingest then pays
            // for few of them.
            conn.pragma_update(None, "wal_autocheckpoint", 16384)?;
            conn.pragma_update(None, "temp_store", "MEMORY")?;
            schema::migrate(&mut conn)?;
        } else {
            let v = schema::version(&conn)?;
            if v > schema::CURRENT {
                return Err(StoreError::TooNew {
                    found: v,
                    known: schema::CURRENT,
                });
            }
            if v < schema::CURRENT {
                return Err(StoreError::ReadOnly(format!(
                    "it needs an upgrade from schema {v} to {}",
                    schema::CURRENT
                )));
            }
        }
        Ok(Store {
            conn,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(schema::version(&self.conn)?)
    }

    /// Fails now, before any work, when the store cannot take writes: a
    /// real write inside a transaction that is then rolled back.
    pub fn check_writable(&self) -> Result<(), StoreError> {
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

    /// `PRAGMA integrity_check`: "ok" or SQLite's first complaint.
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        Ok(self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }

    /// The raw connection, for tests and tools that need SQL.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

/// A file that exists, is non-empty and does not start with SQLite's magic
/// is refused before SQLite touches it (it would otherwise try to use it).
fn check_header(path: &Path) -> Result<(), StoreError> {
    use std::io::Read;
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    if meta.is_dir() {
        return Err(StoreError::Io(std::io::Error::other(
            "is a directory, not a store file",
        )));
    }
    if meta.len() == 0 {
        return Ok(());
    }
    let mut head = [0u8; 16];
    let mut f = std::fs::File::open(path)?;
    let n = f.read(&mut head)?;
    if n < 16 || &head != b"SQLite format 3\0" {
        return Err(StoreError::NotSqlite);
    }
    Ok(())
}
