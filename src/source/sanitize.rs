//! Removing what must never reach the store or the screen: terminal escape
//! sequences and control characters. Article text is untrusted.

/// Strips ANSI/VT escape sequences (CSI, OSC, and two-byte escapes) and
/// control characters other than newline and tab. Carriage returns become
/// newlines; tabs become spaces.
pub fn clean(input: &str) -> String {
    // Most text has nothing to remove: check cheaply, copy once.
    if !input.chars().any(needs_cleaning) {
        return input.to_string();
    }
    let mut out = String::with_capacity(input.len());
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            // C1 control: CSI introducer.
            '\u{9b}' => skip_csi(&mut chars),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\n' => out.push('\n'),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            // Zero-width and bidi controls can hide or reorder text on screen.
            '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            | '\u{feff}'
            | '\u{ad}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A char that `clean` drops or changes.
fn needs_cleaning(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}' | '\u{ad}')
}

fn skip_escape(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    match chars.peek().copied() {
        Some('[') => {
            chars.next();
            skip_csi(chars);
        }
        Some(']') | Some('P') | Some('X') | Some('^') | Some('_') => {
            // OSC / DCS / SOS / PM / APC: run to BEL or ST (ESC \).
            chars.next();
            while let Some(c) = chars.next() {
                if c == '\u{7}' {
                    break;
                }
                if c == '\u{1b}' {
                    if chars.peek() == Some(&'\\') {
                        chars.next();
                    }
                    break;
                }
            }
        }
        Some(c) if ('\u{20}'..='\u{7e}').contains(&c) => {
            // Two-byte escape (ESC c, ESC 7, ESC ( B ...).
            chars.next();
            if matches!(c, '(' | ')' | '*' | '+' | '#' | '%') {
                chars.next();
            }
        }
        _ => {}
    }
}

fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    // Parameter and intermediate bytes, then one final byte in 0x40..=0x7e.
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) {
            break;
        }
        if !('\u{20}'..='\u{3f}').contains(&c) {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_escapes_and_controls() {
        let s = "Red \u{1b}[31mtext\u{1b}[0m and \u{1b}]0;title\u{7}ok\u{7}\u{8}\r\nnext\tcol";
        assert_eq!(clean(s), "Red text and ok\nnext col");
    }

    #[test]
    fn keeps_unicode() {
        assert_eq!(
            clean("Ōsaka “quoted” 習近平 🙂"),
            "Ōsaka “quoted” 習近平 🙂"
        );
    }

    #[test]
    fn unterminated_escape_is_harmless() {
        assert_eq!(clean("a\u{1b}[12"), "a");
        assert_eq!(clean("a\u{1b}"), "a");
    }
}
