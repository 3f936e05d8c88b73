//! One-line text editing for the search bar and the prompts: a caret,
//! Left/Right, Home/End, Backspace/Delete, Ctrl-W (word back), Ctrl-U
//! (to the start), Ctrl-A/Ctrl-E.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineEdit {
    pub text: String,
    /// Byte offset of the caret, always on a char boundary.
    pub caret: usize,
}

/// What a key did to the line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edited {
    /// The text changed.
    Text,
    /// Only the caret moved.
    Caret,
    /// Not an editing key.
    No,
}

impl LineEdit {
    pub fn new(text: &str) -> LineEdit {
        LineEdit {
            text: text.to_string(),
            caret: text.len(),
        }
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.caret = 0;
    }

    fn prev(&self) -> usize {
        self.text[..self.caret]
            .char_indices()
            .next_back()
            .map_or(0, |(i, _)| i)
    }

    fn next(&self) -> usize {
        self.text[self.caret..]
            .chars()
            .next()
            .map_or(self.caret, |c| self.caret + c.len_utf8())
    }

    /// Where the word before the caret starts (spaces before it skipped).
    fn word_start(&self) -> usize {
        let before = &self.text[..self.caret];
        let trimmed = before.trim_end();
        trimmed
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(0, |(i, c)| i + c.len_utf8())
    }

    pub fn key(&mut self, k: &KeyEvent) -> Edited {
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        let alt = k.modifiers.contains(KeyModifiers::ALT);
        self.caret = self.caret.min(self.text.len());
        match k.code {
            KeyCode::Left if self.caret > 0 => self.caret = self.prev(),
            KeyCode::Right if self.caret < self.text.len() => self.caret = self.next(),
            KeyCode::Home => self.caret = 0,
            KeyCode::End => self.caret = self.text.len(),
            KeyCode::Char('a') if ctrl => self.caret = 0,
            KeyCode::Char('e') if ctrl => self.caret = self.text.len(),
            KeyCode::Backspace if self.caret > 0 => {
                let p = self.prev();
                self.text.replace_range(p..self.caret, "");
                self.caret = p;
                return Edited::Text;
            }
            KeyCode::Delete if self.caret < self.text.len() => {
                let n = self.next();
                self.text.replace_range(self.caret..n, "");
                return Edited::Text;
            }
            KeyCode::Char('w') if ctrl => {
                let w = self.word_start();
                self.text.replace_range(w..self.caret, "");
                self.caret = w;
                return Edited::Text;
            }
            KeyCode::Char('u') if ctrl => {
                self.text.replace_range(..self.caret, "");
                self.caret = 0;
                return Edited::Text;
            }
            KeyCode::Char(c) if !ctrl && !alt && !c.is_control() => {
                self.text.insert(self.caret, c);
                self.caret += c.len_utf8();
                return Edited::Text;
            }
            KeyCode::Left | KeyCode::Right | KeyCode::Backspace | KeyCode::Delete => {
                return Edited::Caret
            }
            _ => return Edited::No,
        }
        Edited::Caret
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    #[test]
    fn caret_moves_and_edits_in_place() {
        let mut e = LineEdit::new("coast guard");
        assert_eq!(e.key(&k(KeyCode::Home)), Edited::Caret);
        e.key(&k(KeyCode::Right));
        e.key(&k(KeyCode::Char('n')));
        assert_eq!(e.text, "cnoast guard");
        e.key(&k(KeyCode::Backspace));
        assert_eq!(e.text, "coast guard");
        e.key(&k(KeyCode::End));
        assert_eq!(e.key(&ctrl('w')), Edited::Text);
        assert_eq!(e.text, "coast ");
        e.key(&k(KeyCode::Char('é')));
        e.key(&k(KeyCode::Left));
        e.key(&k(KeyCode::Left));
        e.key(&ctrl('u'));
        assert_eq!((e.text.as_str(), e.caret), (" é", 0));
        e.key(&k(KeyCode::Delete));
        assert_eq!(e.text, "é");
        assert_eq!(e.key(&k(KeyCode::F(2))), Edited::No);
    }
}
