//! `newsline ingest` through the built binary: bad inputs among good ones,
//! bad store files, re-ingest, and a SIGKILL in the middle of a big ingest.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{meeting, write_parse_json};
use newsline::store::{Filter, Store};

fn newsline(store: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsline"))
        .arg("--store")
        .arg(store)
        .args(args)
        .env_remove("NEWSLINE_STORE")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const WIRE: &str = "SEOUL, Nov 26 (Test Wire) - South Korea's foreign minister said on Sunday \
he would travel to Tokyo next week for talks on export controls.\n\n\"We expect progress,\" \
the minister told reporters.\n";

#[test]
fn bad_inputs_are_reported_and_the_rest_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(input.join("sub")).unwrap();
    std::fs::create_dir_all(input.join(".cache")).unwrap();
    std::fs::write(input.join("good.txt"), WIRE).unwrap();
    std::fs::write(
        input.join("sub/other.txt"),
        WIRE.replace("Tokyo", "Beijing"),
    )
    .unwrap();
    write_parse_json(&input, "parsed.json", &meeting("m1", "2023-11-25"));
    std::fs::write(input.join(".cache/hidden.txt"), "hidden, never read").unwrap();
    std::fs::write(input.join("empty.txt"), "").unwrap();
    std::fs::write(
        input.join("image.bin"),
        [0x89u8, b'P', b'N', b'G', 0, 0, 0, 13, 0, 1, 2],
    )
    .unwrap();
    // 100 MB, sparse: refused by its size before anything is read.
    let big = std::fs::File::create(input.join("huge.txt")).unwrap();
    big.set_len(100 * 1024 * 1024).unwrap();
    drop(big);
    // A file that vanished between listing and reading looks like this.
    std::os::unix::fs::symlink(input.join("gone.txt"), input.join("vanished.txt")).unwrap();
    std::fs::write(
        input.join("broken.json"),
        "{\"schema\":\"newsline.article/1\", \"article\": 3",
    )
    .unwrap();

    let store = dir.path().join("s.db");
    let out = newsline(&store, &["ingest", input.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let line_for = |name: &str| {
        err.lines()
            .filter(|l| l.starts_with("newsline: ") && l.contains(name))
            .collect::<Vec<_>>()
    };
    assert_eq!(line_for("empty.txt").len(), 1, "{err}");
    assert!(line_for("empty.txt")[0].ends_with("empty file"), "{err}");
    assert!(line_for("image.bin")[0].contains("binary"), "{err}");
    assert!(line_for("huge.txt")[0].contains("too large"), "{err}");
    assert!(
        line_for("vanished.txt")[0].contains("No such file"),
        "{err}"
    );
    assert!(
        line_for("broken.json")[0].contains("bad parse JSON"),
        "{err}"
    );
    assert!(!err.contains("hidden"), "{err}");
    assert!(
        // The event count depends on the parser; the files and articles do not.
        err.contains("ingested 3 files: 3 new articles, 0 unchanged,")
            && err.contains("; 5 failed"),
        "{err}"
    );

    let s = Store::open_existing(&store).unwrap();
    let n: i64 = s
        .connection()
        .query_row("SELECT count(*) FROM articles", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 3);
    let e = s.event("m1-e1").unwrap().unwrap();
    assert_eq!(e.officials, ["Yoko Kamikawa", "Wang Yi"]);
    // Paths are stored absolute.
    let paths: Vec<String> = s
        .connection()
        .prepare("SELECT path FROM articles ORDER BY path")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(paths.iter().all(|p| p.starts_with('/')), "{paths:?}");
}

#[test]
fn unreadable_file_is_reported() {
    if common::running_as_root() {
        eprintln!("skipped: root reads files whatever their mode");
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("secret.txt");
    std::fs::write(&f, WIRE).unwrap();
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o000)).unwrap();
    let good = dir.path().join("good.txt");
    std::fs::write(&good, WIRE).unwrap();
    let out = newsline(
        &dir.path().join("s.db"),
        &["ingest", f.to_str().unwrap(), good.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("secret.txt: Permission denied"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("1 new article"), "{}", stderr(&out));
}

#[test]
fn reingest_reports_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("a.txt");
    std::fs::write(&f, WIRE).unwrap();
    let j = write_parse_json(dir.path(), "m.json", &meeting("m2", "2023-11-25"));
    let store = dir.path().join("s.db");
    let args = ["ingest", f.to_str().unwrap(), j.to_str().unwrap()];
    let first = newsline(&store, &args);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        stderr(&first).contains("2 new articles, 0 unchanged,"),
        "{}",
        stderr(&first)
    );
    let second = newsline(&store, &args);
    assert!(second.status.success());
    assert!(
        stderr(&second).contains("0 new articles, 2 unchanged, 0 events added"),
        "{}",
        stderr(&second)
    );
}

#[test]
fn reads_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s.db");
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsline"))
        .args([
            "--store",
            store.to_str().unwrap(),
            "ingest",
            "--published",
            "2023-11-26",
            "-",
        ])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(WIRE.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let s = Store::open_existing(&store).unwrap();
    let (published, from): (String, String) = s
        .connection()
        .query_row("SELECT published, published_from FROM articles", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((published.as_str(), from.as_str()), ("2023-11-26", "cli"));
}

#[test]
fn bad_published_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = newsline(
        &dir.path().join("s.db"),
        &["ingest", "--published", "yesterday", "x.txt"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out).lines().count(), 1);
}

#[test]
fn store_that_is_not_sqlite_is_refused_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s.db");
    std::fs::write(&store, "shopping list: eggs, milk\n").unwrap();
    let f = dir.path().join("a.txt");
    std::fs::write(&f, WIRE).unwrap();
    for args in [
        vec!["ingest", f.to_str().unwrap()],
        vec!["list"],
        vec!["stats"],
    ] {
        let out = newsline(&store, &args);
        assert_eq!(out.status.code(), Some(1));
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("not a newsline store"), "{err}");
    }
    assert_eq!(
        std::fs::read_to_string(&store).unwrap(),
        "shopping list: eggs, milk\n"
    );
}

#[test]
fn corrupted_store_is_one_line_no_panic() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s.db");
    assert!(newsline(&store, &["generate", "--events", "2000"])
        .status
        .success());
    {
        let s = Store::open(&store).unwrap();
        s.connection()
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .unwrap();
    }
    let mut bytes = std::fs::read(&store).unwrap();
    for (i, b) in bytes.iter_mut().enumerate().skip(4096) {
        *b = (i * 17 % 253) as u8;
    }
    std::fs::write(&store, &bytes).unwrap();
    for args in [vec!["list"], vec!["stats"], vec!["export"]] {
        let out = newsline(&store, &args);
        let err = stderr(&out);
        assert!(!err.contains("panicked"), "{err}");
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

#[test]
fn read_only_store_refuses_ingest_but_lists() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s.db");
    let j = write_parse_json(dir.path(), "m.json", &meeting("m3", "2023-11-25"));
    assert!(newsline(&store, &["ingest", j.to_str().unwrap()])
        .status
        .success());
    if common::running_as_root() {
        eprintln!("skipped the read-only part: root writes files whatever their mode");
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&store, std::fs::Permissions::from_mode(0o444)).unwrap();
    let j2 = write_parse_json(dir.path(), "m2.json", &meeting("m4", "2023-11-26"));
    let out = newsline(&store, &["ingest", j2.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("read-only"), "{}", stderr(&out));
    let out = newsline(&store, &["list", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn store_path_under_a_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "x").unwrap();
    let f = dir.path().join("a.txt");
    std::fs::write(&f, WIRE).unwrap();
    let out = newsline(&blocker.join("s.db"), &["ingest", f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
}

/// Kills the ingest of 2000 files with SIGKILL once some are stored; the
/// store must pass its integrity check and every stored article must have
/// all its events, quotes and links.
#[test]
fn sigkill_mid_ingest_leaves_a_consistent_store() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    let mut rng = newsline::store::generate::Rng::new(42);
    let mut expected = std::collections::HashMap::new();
    for i in 0..2000u64 {
        let a = newsline::store::generate::article(&mut rng, i, 1 + (i % 5) as usize);
        expected.insert(
            a.article.id.clone(),
            (a.events.len() as i64, a.quotes.len() as i64),
        );
        write_parse_json(&input, &format!("{i:05}.json"), &a);
    }
    let store = dir.path().join("s.db");
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsline"))
        .args([
            "--store",
            store.to_str().unwrap(),
            "ingest",
            input.to_str().unwrap(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until a few files are in (the store is readable while written:
    // WAL), then kill without warning.
    let start = Instant::now();
    loop {
        std::thread::sleep(Duration::from_millis(20));
        // A plain read-only connection: opening a `Store` would set pragmas
        // and check the schema, taking locks the ingest then waits for.
        let stored = rusqlite::Connection::open_with_flags(
            &store,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .ok()
        .and_then(|c| {
            c.query_row("SELECT count(*) FROM articles", [], |r| r.get::<_, i64>(0))
                .ok()
        })
        .unwrap_or(0);
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the ingest ended ({status}) before it could be killed ({stored} stored)");
        }
        if stored >= 50 || start.elapsed() > Duration::from_secs(60) {
            break;
        }
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(
        !status.success(),
        "the ingest finished before it could be killed"
    );

    let s = Store::open(&store).unwrap();
    assert_eq!(s.integrity_check().unwrap(), "ok");
    let fk: i64 = s
        .connection()
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(fk, 0);
    let mut stmt = s
        .connection()
        .prepare(
            "SELECT a.id, (SELECT count(*) FROM events e WHERE e.article_id = a.id), \
             (SELECT count(*) FROM quotes q WHERE q.article_id = a.id), \
             (SELECT count(*) FROM events e WHERE e.article_id = a.id \
                AND NOT EXISTS (SELECT 1 FROM event_countries c WHERE c.event_seq = e.seq)) \
             FROM articles a",
        )
        .unwrap();
    let rows: Vec<(String, i64, i64, i64)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(
        rows.len() >= 50 && rows.len() < 2000,
        "{} articles stored",
        rows.len()
    );
    for (id, events, quotes, bare) in &rows {
        assert_eq!(Some(&(*events, *quotes)), expected.get(id), "article {id}");
        assert_eq!(*bare, 0, "article {id} has events without countries");
    }
    // Every event is reachable through the query layer too.
    let all = s.events(&Filter::default()).unwrap();
    assert_eq!(all.len() as i64, rows.iter().map(|r| r.1).sum::<i64>());

    // Resuming the ingest stores the rest, keeping what was there.
    let out = newsline(&store, &["ingest", input.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "{} new articles, {} unchanged",
            2000 - rows.len(),
            rows.len()
        )),
        "{err}"
    );
}

/// The real dev articles ingest cleanly; their gold answers (plain JSON) are
/// refused as "not an article" rather than stored as text.
#[test]
fn corpus_dev_ingests() {
    let dev = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/dev");
    if !dev.is_dir() {
        eprintln!("skipped: {} is absent", dev.display());
        return;
    }
    let txt = std::fs::read_dir(&dev)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "txt"))
        .count();
    let gold = std::fs::read_dir(&dev)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".gold.json"))
        .count();
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s.db");
    let out = newsline(&store, &["ingest", dev.to_str().unwrap()]);
    let err = stderr(&out);
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        err.contains(&format!("ingested {txt} files: {txt} new articles")),
        "{err}"
    );
    assert_eq!(err.matches("JSON data").count(), gold, "{err}");
    let s = Store::open_existing(&store).unwrap();
    assert_eq!(s.integrity_check().unwrap(), "ok");
}

/// An article with no date anywhere is stored undated, never under today:
/// a date in the file name, front matter or the text dates the others.
#[test]
fn undated_file_is_stored_undated_never_today() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    let story = "The foreign minister of Ruritania met her Freedonian counterpart on Friday \
to discuss a fishing accord, officials said.\n\n\"We will meet again next month,\" the \
minister told reporters.\n";
    std::fs::write(input.join("undated.txt"), story).unwrap();
    std::fs::write(
        input.join("talks-2020-11-25.txt"),
        story.replace("Ruritania", "Elbonia"),
    )
    .unwrap();
    std::fs::write(
        input.join("front.txt"),
        format!(
            "---\ntitle: Accord talks\npublished: 2019-03-08\n---\n{}",
            story.replace("Ruritania", "Genovia")
        ),
    )
    .unwrap();
    let store = dir.path().join("s.db");
    let out = newsline(&store, &["ingest", input.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("undated.txt: warning: no publication date"),
        "{err}"
    );
    assert!(!err.contains("talks-2020-11-25.txt: warning"), "{err}");

    let today = chrono::Local::now().date_naive().to_string();
    let s = Store::open_existing(&store).unwrap();
    let all = s.events(&Filter::default()).unwrap();
    assert!(all.len() >= 3, "{} events", all.len());
    let mut undated = 0;
    for e in &all {
        assert!(
            !e.date.value.starts_with(&today) && !e.date_key.starts_with(&today),
            "event dated today: {e:?}"
        );
        let path = e.article.path.clone().unwrap_or_default();
        if path.ends_with("undated.txt") {
            undated += 1;
            assert_eq!(e.date_key, "", "{e:?}");
            assert!(!e.date.value.bytes().any(|b| b.is_ascii_digit()), "{e:?}");
            assert_eq!(e.article.published, None);
        } else if path.ends_with("talks-2020-11-25.txt") {
            assert_eq!(e.date.value, "2020-11-20", "{e:?}");
        } else {
            assert_eq!(e.date.value, "2019-03-08", "{e:?}");
        }
    }
    assert!(undated > 0);
}
