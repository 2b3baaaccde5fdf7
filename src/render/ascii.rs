//! `--ascii`: the same text with plain ASCII for the symbols that East
//! Asian terminals draw two columns wide. Box-drawing lines, arrows, ✓ and
//! ①② are "ambiguous width" in Unicode (UAX #11): a terminal in a CJK
//! locale often gives them two columns, and the ladder's columns then
//! shift. Chinese characters themselves are wide everywhere and stay.
//!
//! Every symbol becomes one ASCII character, so that rows, tables and
//! wrapped prose keep their widths; only ⇄ (at a line's end), … and —
//! become several.

use std::borrow::Cow;
use std::sync::atomic::{AtomicBool, Ordering};

static ASCII: AtomicBool = AtomicBool::new(false);

/// From now on, text written to the terminal is plain ASCII's symbols.
pub fn set_ascii(on: bool) {
    ASCII.store(on, Ordering::Relaxed);
}

pub fn is_ascii() -> bool {
    ASCII.load(Ordering::Relaxed)
}

/// `line` as the terminal is to show it: unchanged, or with `--ascii`
/// its symbols replaced.
pub fn for_terminal(line: &str) -> Cow<'_, str> {
    if is_ascii() {
        Cow::Owned(plain(line))
    } else {
        Cow::Borrowed(line)
    }
}

/// The ASCII for a symbol socklab draws; `None` for characters that stay.
fn replacement(c: char) -> Option<&'static str> {
    Some(match c {
        // One column for one column: rows and tables keep their alignment.
        '─' | '━' | '–' => "-",
        '═' => "=",
        '│' | '┃' => "|",
        // The state diagram's corners and crossings, and its arrowheads.
        '┌' | '┐' | '└' | '┘' | '├' | '┤' | '┬' | '┴' | '┼' | '┏' | '┓' | '┗' | '┛' | '┣' | '┫'
        | '┳' | '┻' | '╋' => "+",
        '▲' => "^",
        '▼' => "v",
        '▶' => ">",
        '◀' => "<",
        '✓' => "+",
        '✗' => "x",
        '≠' => "#",
        '·' => ".",
        '•' => "*",
        '‘' | '’' => "'",
        '“' | '”' => "\"",
        '→' | '↳' => ">",
        '←' => "<",
        '⏸' => "|",
        '⏱' => "~",
        '⧉' => "=",
        '⚡' => "!",
        '×' => "x",
        '①' => "1",
        '②' => "2",
        '③' => "3",
        '④' => "4",
        '⑤' => "5",
        '⑥' => "6",
        // The congestion chart (render::chart): a full cell, more or less
        // than half of one (its axes' corners are the state diagram's, above),
        // the divider before the readings that depend on the kernel's clock,
        // and their mark.
        '█' => "#",
        '▄' | '▅' | '▆' | '▇' => "=",
        '▁' | '▂' | '▃' => "_",
        '┆' => ":",
        '◷' => "~",
        '−' => "-",
        // Wider, where nothing is aligned after them: at a line's end (the
        // kernel view's addresses), in prose.
        '⇄' => "<->",
        '…' => "...",
        '—' => "--",
        '∞' => "inf",
        'β' => "beta",
        '³' => "^3",
        _ => return None,
    })
}

/// `text` with every symbol replaced.
pub fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match replacement(c) {
            Some(ascii) => out.push_str(ascii),
            None => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ladder_row_keeps_its_columns() {
        let row = "   0.000  SYN-SENT     ── SYN seq=0 len=0 win=65495 ────────────▶ SYN-RECEIVED";
        let ascii = plain(row);
        assert_eq!(
            ascii,
            "   0.000  SYN-SENT     -- SYN seq=0 len=0 win=65495 ------------> SYN-RECEIVED"
        );
        assert_eq!(ascii.chars().count(), row.chars().count());
        assert!(ascii.is_ascii());
    }

    #[test]
    fn chinese_stays_and_symbols_go() {
        assert_eq!(plain("握手 ①：client"), "握手 1：client");
        assert_eq!(plain("✓ 通过"), "+ 通过");
    }

    #[test]
    fn every_symbol_becomes_ascii() {
        for c in "─━–═│┃▶◀✓✗≠·•‘’“”⇄→←↳⏸⏱⧉⚡…—①②③④⑤⑥×┌┐└┘├┤┬┴┼┏┓┗┛┣┫┳┻╋▲▼█▁▂▃▄▅▆▇┆◷−∞β³".chars()
        {
            let text = c.to_string();
            assert!(plain(&text).is_ascii(), "{c}");
        }
    }
}
