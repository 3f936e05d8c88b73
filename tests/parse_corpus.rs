//! The parser on real articles: the dev-set scores the project promises,
//! and the contract (valid JSON, valid spans) on every corpus file.
//! Reads `../shared`; skips, saying so, when it is absent.

use std::path::{Path, PathBuf};
use std::process::Command;

use newsline::model::ParsedArticle;
use newsline::parse::{parse_bytes, Options};
use newsline::span::Span;

fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if p.join("corpus").is_dir() {
        Some(p)
    } else {
        eprintln!("skipping: ../shared/corpus is not here");
        None
    }
}

fn files(dir: &Path, ext: &[&str]) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    v.retain(|p| {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        !name.ends_with(".gold.json") && ext.iter().any(|e| name.ends_with(e))
    });
    v.sort();
    v
}

fn span_ok(text: &str, s: Span) -> bool {
    s.start <= s.end
        && s.end <= text.len()
        && text.is_char_boundary(s.start)
        && text.is_char_boundary(s.end)
}

/// Every span lies on character boundaries of `article.text`, and quote and
/// time texts are exactly the text under their spans.
fn check_contract(doc: &ParsedArticle, file: &Path) {
    let t = &doc.article.text;
    let name = file.display();
    for c in &doc.countries {
        assert_eq!(c.code.len(), 2, "{name}: country code {}", c.code);
        assert!(
            c.mentions.iter().all(|m| span_ok(t, *m)),
            "{name}: country span"
        );
    }
    for o in &doc.officials {
        assert!(
            o.mentions.iter().all(|m| span_ok(t, *m)),
            "{name}: official span"
        );
    }
    for q in &doc.quotes {
        assert!(span_ok(t, q.span), "{name}: quote span");
        assert_eq!(q.span.slice(t), q.text, "{name}: quote text");
        if let Some(s) = q.speaker_span {
            assert!(span_ok(t, s), "{name}: speaker span");
        }
    }
    for x in &doc.times {
        assert!(span_ok(t, x.span), "{name}: time span");
        assert_eq!(x.span.slice(t), x.text, "{name}: time text");
    }
    for e in &doc.events {
        assert!(span_ok(t, e.evidence), "{name}: evidence span");
        assert!(
            e.quotes.iter().all(|&q| q < doc.quotes.len()),
            "{name}: quote index"
        );
        assert!(
            !e.summary.is_empty() && !e.summary.contains('\n'),
            "{name}: summary is one line"
        );
    }
    assert!(
        !t.chars().any(|c| c.is_control() && c != '\n'),
        "{name}: control characters in text"
    );
}

#[test]
fn every_corpus_file_parses_within_the_contract() {
    let Some(sh) = shared() else { return };
    let c = sh.join("corpus");
    let mut n = 0;
    for (dir, ext) in [
        ("dev", &[".txt"][..]),
        ("voa-2020", &[".txt"]),
        ("feeds", &[".xml", ".json"]),
        ("html", &[".html"]),
    ] {
        for f in files(&c.join(dir), ext) {
            let bytes = std::fs::read(&f).expect("corpus file readable");
            let docs = parse_bytes(&bytes, &Options::default())
                .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            assert!(!docs.is_empty(), "{}: no article", f.display());
            for d in &docs {
                check_contract(d, &f);
                serde_json::to_string(d).expect("serializes");
            }
            n += 1;
        }
    }
    assert!(n >= 60, "read {n} corpus files");
}

#[test]
fn the_cli_prints_valid_json_for_every_dev_and_voa_file() {
    let Some(sh) = shared() else { return };
    let c = sh.join("corpus");
    for dir in ["dev", "voa-2020"] {
        for f in files(&c.join(dir), &[".txt"]) {
            let out = Command::new(env!("CARGO_BIN_EXE_newsline"))
                .arg("parse")
                .arg(&f)
                .output()
                .expect("runs");
            assert!(
                out.status.success(),
                "{}: exit {:?}",
                f.display(),
                out.status
            );
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
            assert_eq!(v["schema"], "newsline.article/1");
        }
    }
}

/// Runs the project's scorer with this build's binary and returns its figures.
fn score(dir: &Path) -> Option<serde_json::Value> {
    let sh = shared()?;
    let script = sh.join("eval/score.py");
    let out_json = tempfile::NamedTempFile::new().expect("temp file");
    let run = Command::new("python3")
        .arg(&script)
        .arg(dir)
        .arg("--bin")
        .arg(env!("CARGO_BIN_EXE_newsline"))
        .arg("--quiet")
        .arg("--json")
        .arg(out_json.path())
        .output();
    let run = match run {
        Ok(r) => r,
        Err(e) => {
            eprintln!("skipping: python3 not available ({e})");
            return None;
        }
    };
    eprintln!("{}", String::from_utf8_lossy(&run.stdout));
    assert!(
        run.status.success(),
        "scorer failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let text = std::fs::read_to_string(out_json.path()).expect("figures written");
    Some(serde_json::from_str(&text).expect("figures are JSON"))
}

fn at_least(fig: &serde_json::Value, key: &str, min: f64) {
    let v = fig[key].as_f64().unwrap_or(-1.0);
    assert!(v >= min, "{key} = {v:.3}, want at least {min}");
}

#[test]
fn dev_set_meets_the_promised_scores() {
    let Some(sh) = shared() else { return };
    let Some(fig) = score(&sh.join("corpus/dev")) else {
        return;
    };
    assert_eq!(fig["failed_runs"], 0);
    assert_eq!(fig["contract_problems"], 0);
    at_least(&fig, "countries_f1", 0.97);
    at_least(&fig, "officials_f1", 0.90);
    at_least(&fig, "quotes_f1", 0.95);
    at_least(&fig, "speaker_acc", 0.90);
    at_least(&fig, "times_f1", 0.90);
    at_least(&fig, "time_value_acc", 0.90);
    at_least(&fig, "events_recall", 0.85);
    at_least(&fig, "event_date_acc", 0.90);
}

#[test]
fn the_sample_article_is_read_in_full() {
    let Some(sh) = shared() else { return };
    let dev = sh.join("corpus/dev");
    let dir = tempfile::tempdir().expect("temp dir");
    for f in [
        "japan-china-security-talks.txt",
        "japan-china-security-talks.gold.json",
    ] {
        std::fs::copy(dev.join(f), dir.path().join(f)).expect("copy to a temp dir");
    }
    let Some(fig) = score(dir.path()) else { return };
    for key in [
        "countries_f1",
        "officials_f1",
        "officials_country_acc",
        "officials_title_acc",
        "officials_fullname_acc",
        "quotes_f1",
        "speaker_acc",
        "speaker_full_acc",
        "times_f1",
        "time_value_acc",
        "events_recall",
        "event_date_acc",
    ] {
        at_least(&fig, key, 1.0);
    }
    at_least(&fig, "events_precision", 0.90);
    at_least(&fig, "event_kind_acc", 0.90);
    at_least(&fig, "event_officials_jaccard", 0.90);
    at_least(&fig, "event_countries_jaccard", 0.90);
}
