//! Plain-text articles as saved from a web page.
//! (Minimal first version: cleaning only. Front matter, datelines and page
//! furniture come next.)

use super::{sanitize, SourceArticle};

pub fn read(raw: &str) -> SourceArticle {
    let text = sanitize::clean(raw);
    SourceArticle {
        text: text.trim().to_string(),
        ..Default::default()
    }
}
