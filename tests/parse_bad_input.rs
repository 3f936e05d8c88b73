//! Bad input to `newsline parse`: one clear line naming the file and the
//! reason, or a valid (possibly empty) result; never a panic.

use std::io::Write;
use std::process::{Command, Output};

use newsline::parse::{parse_bytes, Options};
use proptest::prelude::*;

fn parse_file(bytes: &[u8]) -> (Output, tempfile::TempPath) {
    let mut f = tempfile::NamedTempFile::new().expect("temp file");
    f.write_all(bytes).expect("write");
    let path = f.into_temp_path();
    let out = Command::new(env!("CARGO_BIN_EXE_newsline"))
        .args(["parse", "--published", "2024-03-02"])
        .arg(&path)
        .output()
        .expect("runs");
    (out, path)
}

fn one_line_error(out: &Output, path: &std::path::Path, reason: &str) {
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(
        err.contains(&path.display().to_string()),
        "names the file: {err}"
    );
    assert!(err.contains(reason), "says why ({reason}): {err}");
    assert!(!err.contains("panicked"));
}

#[test]
fn empty_file_is_a_one_line_error() {
    let (out, path) = parse_file(b"");
    one_line_error(&out, &path, "empty");
    let (out, path) = parse_file(b"  \n\n \t ");
    one_line_error(&out, &path, "empty");
}

#[test]
fn binary_file_is_a_one_line_error() {
    let mut bytes = vec![0x7f, b'E', b'L', b'F', 2, 1, 1, 0];
    bytes.extend((0..4000u32).map(|i| (i * 7 % 256) as u8));
    let (out, path) = parse_file(&bytes);
    one_line_error(&out, &path, "binary");
}

#[test]
fn missing_file_is_a_one_line_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_newsline"))
        .args(["parse", "/nonexistent/dir/story.txt"])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("/nonexistent/dir/story.txt") && err.trim_end().lines().count() == 1,
        "{err}"
    );
}

#[test]
fn invalid_utf8_is_decoded_with_a_warning() {
    let mut bytes = b"Minister Hana Kell said on Friday that talks would resume.\n\nShe added: \"We are ready \xff\xfe to talk.\"".to_vec();
    bytes.extend_from_slice(b"\n");
    let (out, path) = parse_file(&bytes);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("warning")
            && err.contains("UTF-8")
            && err.contains(&path.display().to_string()),
        "{err}"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert!(v["article"]["text"]
        .as_str()
        .is_some_and(|t| t.contains('\u{fffd}')));
}

#[test]
fn escape_sequences_and_control_characters_are_removed() {
    let bytes = "Prime Minister Ola Brandt\x1b[31m said\x1b[0m on Monday \x1b]0;pwned\x07that the \x07vote\x08 would go ahead.\r\n".as_bytes();
    let (out, _path) = parse_file(bytes);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let text = v["article"]["text"].as_str().expect("text");
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "{text:?}"
    );
    assert!(
        text.contains("Prime Minister Ola Brandt said on Monday that the vote would go ahead."),
        "{text:?}"
    );
}

#[test]
fn an_article_without_events_is_a_valid_empty_result() {
    let (out, _path) = parse_file(b"the weather stayed mild and the river was calm all week.\n");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(v["events"].as_array().map(Vec::len), Some(0));
    assert_eq!(v["officials"].as_array().map(Vec::len), Some(0));
}

#[test]
fn a_30_mb_file_is_parsed() {
    // Unique paragraphs so that no duplicate filter shrinks the input.
    let mut text = String::with_capacity(30_500_000);
    let mut i = 0u64;
    while text.len() < 30_000_000 {
        text.push_str(&format!(
            "Foreign Minister Tomas Rell said on Tuesday that talks with Norway would resume in Oslo, item {i}. \
             \"We expect progress,\" Rell told reporters after meeting Chinese officials on Nov. 3.\n\n"
        ));
        i += 1;
    }
    let (out, _path) = parse_file(text.as_bytes());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert!(v["events"].as_array().is_some_and(|e| e.len() > 60_000));
}

/// Issue 11, item 10: `parse` has the same 32 MiB cap as `ingest`, for a
/// file, standard input and a file that never ends.
#[test]
fn item10_parse_input_is_capped_at_32_mib() {
    let big = vec![b'a'; 32 * 1024 * 1024 + 10];
    let (out, path) = parse_file(&big);
    one_line_error(&out, &path, "too large");
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsline"))
        .args(["parse", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("runs");
    let mut stdin = child.stdin.take().unwrap();
    // The writer stops when the reader gives up (a broken pipe).
    let feeder = std::thread::spawn(move || {
        let chunk = vec![b'b'; 1 << 20];
        for _ in 0..40 {
            if stdin.write_all(&chunk).is_err() {
                break;
            }
        }
    });
    let out = child.wait_with_output().expect("ends");
    let _ = feeder.join();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("too large"));
    // A device that never ends is refused before it is read.
    let out = Command::new(env!("CARGO_BIN_EXE_newsline"))
        .args(["parse", "/dev/zero"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a regular file"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    /// Any bytes: an error or a result whose spans all fit the text.
    #[test]
    fn any_bytes_parse_without_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        if let Ok(docs) = parse_bytes(&bytes, &Options::default()) {
            for d in docs {
                let t = &d.article.text;
                for q in &d.quotes {
                    prop_assert_eq!(q.span.slice(t), q.text.as_str());
                }
                for e in &d.events {
                    prop_assert!(t.is_char_boundary(e.evidence.start) && t.is_char_boundary(e.evidence.end) && e.evidence.end <= t.len());
                }
            }
        }
    }

    /// News-like text built from pieces that trip the rules: quotes, titles,
    /// dates, multi-byte marks, unbalanced brackets.
    #[test]
    fn newsy_text_parses_without_panic(parts in proptest::collection::vec(prop_oneof![
        Just("President "), Just("Foreign Minister "), Just("Ana Lopes"), Just(" said"), Just(" on Saturday"),
        Just(", \u{201c}"), Just("\u{201d} "), Just("\""), Just("'s "), Just("Japan"), Just("Chinese "),
        Just(". "), Just("\n\n"), Just("Nov. 17"), Just("[um...]"), Just("\u{2019}"), Just("she "),
        Just("the minister "), Just("will meet "), Just("von der "), Just("U.S. "), Just("\u{1b}[2J"),
        Just("習近平 "), Just("🙂"), Just("in Seoul"), Just("last week"), Just(" told reporters."),
    ], 0..80)) {
        let text: String = parts.concat();
        let docs = parse_bytes(text.as_bytes(), &Options::default());
        if let Ok(docs) = docs {
            for d in docs {
                for o in &d.officials {
                    for m in &o.mentions {
                        prop_assert!(d.article.text.get(m.start..m.end).is_some());
                    }
                }
            }
        }
    }
}
