//! An optional `---` block at the top of a text file, in the style of
//! static-site generators:
//!
//! ```text
//! ---
//! title: Ministers Meet in Lisbon
//! published: 2024-03-08
//! source: Globex Wire
//! url: https://example.org/ministers
//! authors: Jane Roe, John Doe
//! ---
//! ```
//!
//! Only simple `key: value` lines are read (no nested YAML); unknown keys
//! are ignored. A block that is never closed is not front matter.

#[derive(Clone, Debug, Default, PartialEq)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub published: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub authors: Vec<String>,
}

/// Splits off a front-matter block. Returns it (if any) and the rest of
/// the text.
pub fn split(text: &str) -> (Option<FrontMatter>, &str) {
    let trimmed = text.trim_start();
    let Some(after_open) = trimmed.strip_prefix("---") else {
        return (None, text);
    };
    let Some(after_open) = after_open
        .strip_prefix('\n')
        .or_else(|| after_open.strip_prefix("\r\n"))
    else {
        return (None, text);
    };
    let mut fm = FrontMatter::default();
    let mut offset = 0;
    // Front matter is short; a block of more than 60 lines is something else.
    for (n, line) in after_open.split_inclusive('\n').enumerate() {
        if n > 60 {
            return (None, text);
        }
        offset += line.len();
        let l = line.trim();
        if l == "---" || l == "..." {
            return (Some(fm), &after_open[offset..]);
        }
        let Some((key, value)) = l.split_once(':') else {
            continue;
        };
        let value = unquote(value.trim());
        if value.is_empty() {
            continue;
        }
        match key.trim().to_ascii_lowercase().as_str() {
            "title" | "headline" => fm.title = Some(value.to_string()),
            "published" | "date" | "published_at" | "pubdate" | "datepublished" => {
                fm.published = Some(value.to_string())
            }
            "source" | "agency" | "publisher" | "site" => fm.source = Some(value.to_string()),
            "url" | "link" | "canonical" => fm.url = Some(value.to_string()),
            "authors" | "author" | "byline" => {
                let list = value.trim_start_matches('[').trim_end_matches(']');
                fm.authors = list
                    .split([',', ';'])
                    .map(|a| unquote(a.trim()).to_string())
                    .filter(|a| !a.is_empty())
                    .collect();
            }
            _ => {}
        }
    }
    (None, text)
}

fn unquote(s: &str) -> &str {
    let s = s.trim();
    for q in ['"', '\''] {
        if s.len() >= 2 && s.starts_with(q) && s.ends_with(q) {
            return &s[1..s.len() - 1];
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_block() {
        let (fm, rest) = split("---\ntitle: \"Ministers Meet\"\npublished: 2024-03-08\nauthors: [Jane Roe, 'John Doe']\nsource: Globex Wire\n---\nLISBON (Globex) - Body.\n");
        let fm = fm.unwrap_or_default();
        assert_eq!(fm.title.as_deref(), Some("Ministers Meet"));
        assert_eq!(fm.published.as_deref(), Some("2024-03-08"));
        assert_eq!(
            fm.authors,
            vec!["Jane Roe".to_string(), "John Doe".to_string()]
        );
        assert_eq!(fm.source.as_deref(), Some("Globex Wire"));
        assert_eq!(rest, "LISBON (Globex) - Body.\n");
    }

    #[test]
    fn unclosed_or_absent() {
        assert_eq!(split("---\ntitle: x\nno end").0, None);
        assert_eq!(split("Plain text").0, None);
        assert_eq!(split("----- rule -----\ntext").0, None);
    }
}
