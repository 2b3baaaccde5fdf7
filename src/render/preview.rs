//! A packet's data on one line, as a learner wants to see their own
//! message in `replay` and `watch`: text in quotes (`"hello"`, `"你好"`),
//! bytes that are not text as Python writes them (`b'\x16\x03\x01'`).

use textwrap::core::display_width;

/// The most columns the data itself takes on the line.
const COLUMNS: usize = 40;

/// `data`, the first bytes of a payload of `total` bytes, on one line;
/// `…` when there is more than the line shows.
pub fn preview(data: &[u8], total: usize) -> String {
    let cut = total > data.len();
    match text_of(data) {
        Some(text) => {
            let pieces = text.chars().map(|c| match c {
                '\n' => "\\n".to_string(),
                '\r' => "\\r".to_string(),
                '\t' => "\\t".to_string(),
                '"' => "\\\"".to_string(),
                '\\' => "\\\\".to_string(),
                c => c.to_string(),
            });
            quoted("\"", "\"", pieces, cut || text.len() < data.len())
        }
        None => {
            let pieces = data.iter().map(|&byte| match byte {
                b'\n' => "\\n".to_string(),
                b'\r' => "\\r".to_string(),
                b'\t' => "\\t".to_string(),
                b'\'' => "\\'".to_string(),
                b'\\' => "\\\\".to_string(),
                0x20..=0x7e => char::from(byte).to_string(),
                _ => format!("\\x{byte:02x}"),
            });
            quoted("b'", "'", pieces, cut)
        }
    }
}

/// `open`, as many escaped `pieces` as fit in `COLUMNS` display columns,
/// `close`, and `…` when some were left out or `more` was already true.
fn quoted(open: &str, close: &str, pieces: impl Iterator<Item = String>, mut more: bool) -> String {
    let mut shown = String::from(open);
    for piece in pieces {
        if display_width(&shown) + display_width(&piece) > COLUMNS {
            more = true;
            break;
        }
        shown.push_str(&piece);
    }
    shown.push_str(close);
    if more {
        shown.push('…');
    }
    shown
}

/// The data as text, if it is: UTF-8 (a character cut by the end of the
/// preview aside) without control characters other than line ends and
/// tabs.
fn text_of(data: &[u8]) -> Option<&str> {
    let text = match std::str::from_utf8(data) {
        Ok(text) => text,
        // Cut in the middle of a character by the preview's end.
        Err(e) if e.error_len().is_none() => std::str::from_utf8(&data[..e.valid_up_to()]).ok()?,
        Err(_) => return None,
    };
    let readable = text
        .chars()
        .all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'));
    (readable && !text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_reads_as_text() {
        assert_eq!(preview(b"hello", 5), "\"hello\"");
        assert_eq!(preview("你好".as_bytes(), 6), "\"你好\"");
        assert_eq!(preview(b"byebye\n", 7), "\"byebye\\n\"");
        assert_eq!(preview(b"say \"hi\"", 8), "\"say \\\"hi\\\"\"");
    }

    #[test]
    fn more_than_shown_ends_with_an_ellipsis() {
        // A longer payload of which only the start was kept.
        assert_eq!(preview(b"GET / HTTP/1.1", 200), "\"GET / HTTP/1.1\"…");
        // A line longer than the room.
        let long = "x".repeat(60);
        let shown = preview(long.as_bytes(), 60);
        assert!(shown.ends_with("\"…"), "{shown}");
        assert!(display_width(&shown) <= COLUMNS + 2, "{shown}");
        // A Chinese character cut by the preview's end is left out.
        let cut = &"你好".as_bytes()[..4];
        assert_eq!(preview(cut, 6), "\"你\"…");
    }

    #[test]
    fn bytes_that_are_not_text_read_as_python_bytes() {
        assert_eq!(preview(&[0x16, 0x03, 0x01], 3), "b'\\x16\\x03\\x01'");
        assert_eq!(preview(&[b'a', 0, b'b'], 3), "b'a\\x00b'");
        assert_eq!(preview(&[0xff, 0xfe], 2), "b'\\xff\\xfe'");
        let many = [0u8; 40];
        let shown = preview(&many, 40);
        assert!(
            shown.ends_with("'…") && shown.len() <= COLUMNS + 4,
            "{shown}"
        );
    }
}
