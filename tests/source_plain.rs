//! The plain-text reader on the shared corpus: saved pages lose their
//! furniture, newscasts get their printed date and source. Skips when
//! `../shared` is absent.

use std::path::{Path, PathBuf};

use newsline::model::PublishedFrom;
use newsline::source;

fn corpus(sub: &str) -> Option<Vec<PathBuf>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus")
        .join(sub);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!(
            "skipping: {} not found (the shared corpus is not here)",
            dir.display()
        );
        return None;
    };
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    Some(files)
}

const FURNITURE: &[&str] = &[
    "Accessibility links",
    "Breaking News",
    "16x9 Image",
    "is a news agency founded",
    "This is VOA news",
    "[wire-service correspondent segment removed]",
    "You can find more on these stories",
    "VOA NEWS",
];

#[test]
fn newscasts_have_date_and_source() {
    let Some(files) = corpus("voa-2020") else {
        return;
    };
    assert!(!files.is_empty());
    for f in files {
        let name = f
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_string();
        let arts = source::read(&std::fs::read(&f).expect("readable"))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let a = &arts[0];
        let p = a
            .published
            .as_ref()
            .unwrap_or_else(|| panic!("{name}: no date"));
        assert_eq!(
            (p.date.to_string(), p.from),
            (name.clone(), PublishedFrom::Metadata),
            "{name}"
        );
        assert_eq!(a.source.as_deref(), Some("VOA"), "{name}");
        for bad in FURNITURE {
            assert!(!a.text.contains(bad), "{name}: {bad:?} left in text");
        }
    }
}

#[test]
fn dev_articles_are_clean() {
    let Some(files) = corpus("dev") else { return };
    for f in files {
        let name = f.display().to_string();
        let raw = std::fs::read(&f).expect("readable");
        let a = &source::read(&raw).unwrap_or_else(|e| panic!("{name}: {e}"))[0];
        for bad in FURNITURE {
            assert!(!a.text.contains(bad), "{name}: {bad:?} left in text");
        }
        // No paragraph is printed twice.
        let paras: Vec<&str> = a.text.split("\n\n").collect();
        for (i, p) in paras.iter().enumerate() {
            assert!(!paras[..i].contains(p), "{name}: paragraph repeated: {p:?}");
            assert_eq!(
                p.split_whitespace().collect::<Vec<_>>().join(" "),
                *p,
                "{name}: whitespace not normalised"
            );
        }
        // A saved page with a headline keeps it as the title and first paragraph.
        if let Some(t) = &a.title {
            assert!(a.text.starts_with(t.as_str()), "{name}");
        }
    }
}

#[test]
fn saved_wire_page_keeps_headline_and_agency() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/dev/japan-china-security-talks.txt");
    let Ok(raw) = std::fs::read(&path) else {
        eprintln!("skipping: {} not found", path.display());
        return;
    };
    let a = &source::read(&raw).expect("reads")[0];
    assert_eq!(a.source.as_deref(), Some("Reuters"));
    assert!(a.title.is_some());
    assert!(!a.text.contains('•'));
}

#[test]
fn front_matter_bad_date_keeps_other_fields() {
    let raw = "---\ntitle: Harbour Reopens\npublished: 2020-02-30\nsource: Globex Wire\nauthors: Jane Roe\n---\nThe port of Valdoria reopened on Monday, the harbour master said.\n";
    let (arts, notes) = source::read_noted(raw.as_bytes()).expect("reads");
    let a = &arts[0];
    assert_eq!(a.title.as_deref(), Some("Harbour Reopens"));
    assert_eq!(a.source.as_deref(), Some("Globex Wire"));
    assert_eq!(a.authors, vec!["Jane Roe".to_string()]);
    assert_eq!(a.published, None);
    assert!(!a.text.contains("published:"), "{}", a.text);
    assert!(
        notes
            .iter()
            .any(|n| n.contains("front matter") && n.contains("2020-02-30")),
        "{notes:?}"
    );
}

#[test]
fn utf16_without_bom_is_text_and_with_bom_has_no_warning() {
    let text = "The port of Valdoria reopened on Monday, the harbour master said.";
    let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    for bytes in [&le, &be] {
        let arts = source::read(bytes).expect("UTF-16 is not binary");
        assert_eq!(arts[0].text, text);
    }
    // With a BOM, through the command: read without a word about UTF-8.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("utf16.txt");
    let mut with_bom = vec![0xff, 0xfe];
    with_bom.extend_from_slice(&le);
    std::fs::write(&path, &with_bom).expect("written");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_newsline"))
        .arg("parse")
        .arg("--published")
        .arg("2020-11-09")
        .arg(&path)
        .output()
        .expect("runs");
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("UTF-8"), "{err}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("harbour master"));
}
