//! The code of each call and what it gave back, in the language the
//! learner chose: Python (the tutorials' language, the default) or Rust
//! (socket2, the very calls socklab performs).

use super::{Painter, python, rust, styles, wrap};
use crate::lesson::{Addressing, Call, Lesson, Outcome, SockType};
use crate::t;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Lang {
    /// Python's `socket` module, typed at the `>>>` prompt.
    #[default]
    Python,
    /// Rust with the socket2 crate.
    Rust,
}

/// A lesson's prose with its placeholders (`{python: b'' | rust: Ok(0)}`)
/// in the words of the code shown.
pub fn prose(lang: Lang, text: &str) -> std::borrow::Cow<'_, str> {
    let code = match lang {
        Lang::Python => "python",
        Lang::Rust => "rust",
    };
    crate::lesson::prose::for_code(text, code)
}

/// A line of code as the learner sees it, folded to the page: `>>>` (or
/// nothing, in Rust) before it, and `...` before the rest of a statement
/// too long for one line.
fn line(p: &Painter, lang: Lang, code: &str) -> Vec<String> {
    prompted(p, lang, code, ">>>")
}

/// `code` after its prompt (`>>>` or `...`, Python; none in Rust), folded
/// to the page where the language lets a statement go on: after a comma
/// inside brackets (Python's implicit line joining, Reference 2.1.6; in
/// Rust a line break is a space). The rest of the statement goes on under
/// `...` in Python, as the prompt shows it, indented four more columns.
/// A comment wraps as prose. What cannot be folded stays whole: code that
/// would no longer run is worse than a long line.
fn prompted(p: &Painter, lang: Lang, code: &str, prompt: &str) -> Vec<String> {
    let (lead, continued) = match lang {
        Lang::Python => (format!("  {prompt} "), "  ... ".to_string()),
        Lang::Rust => ("  ".to_string(), "  ".to_string()),
    };
    let room = p.width().saturating_sub(display_width(&lead));
    let body = code.trim_start();
    let indent = &code[..code.len() - body.len()];
    let comment = match lang {
        Lang::Rust => ["///", "//"].into_iter().find(|m| body.starts_with(m)),
        Lang::Python => body.starts_with('#').then_some("#"),
    };
    let pieces = match comment {
        Some(marker) if display_width(code) > room => {
            let text = body[marker.len()..].trim_start();
            wrap(text, &format!("{indent}{marker} "), room)
        }
        _ => fold_code(code, room, lang),
    };
    pieces
        .iter()
        .enumerate()
        .map(|(i, piece)| {
            let prompt = if i == 0 { &lead } else { &continued };
            let prompt = match lang {
                Lang::Python => format!("  {}", p.paint(prompt.trim_start(), styles::prompt())),
                Lang::Rust => prompt.to_string(),
            };
            let style = if comment.is_some() {
                styles::comment()
            } else {
                styles::code()
            };
            format!("{prompt}{}", p.paint(piece, style))
        })
        .collect()
}

fn display_width(text: &str) -> usize {
    textwrap::core::display_width(text)
}

/// `code` cut into lines of at most `room` columns, the later lines
/// indented four more than the first, where the statement may go on on the
/// next line: after a comma inside brackets (its space dropped), else
/// after an opening bracket or before a method call (`.encode(`) inside
/// brackets (and anywhere in Rust); never inside a string. Each line is as
/// long as fits; a piece with no place to cut stays whole.
fn fold_code(code: &str, room: usize, lang: Lang) -> Vec<String> {
    if display_width(code) <= room {
        return vec![code.to_string()];
    }
    let quotes: &[char] = match lang {
        Lang::Python => &['"', '\''],
        Lang::Rust => &['"'],
    };
    // (where the line ends, where the next one starts, (how good a place
    // it is: a comma, a method call, an opening bracket; its depth)).
    let mut cuts: Vec<(usize, usize, (u8, usize))> = Vec::new();
    let (mut depth, mut quote, mut escaped, mut previous) = (0usize, None::<char>, false, ' ');
    for (i, c) in code.char_indices() {
        let may_go_on = depth > 0 || lang == Lang::Rust;
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None if quotes.contains(&c) => quote = Some(c),
            None => match c {
                '(' | '[' | '{' => {
                    depth += 1;
                    let next = code[i + 1..].chars().next();
                    if next.is_some_and(|n| !matches!(n, ')' | ']' | '}' | ' ')) {
                        cuts.push((i + 1, i + 1, (2, 0)));
                    }
                }
                ')' | ']' | '}' => depth = depth.saturating_sub(1),
                ',' if depth > 0 && code[i + 1..].starts_with(' ') => {
                    cuts.push((i + 1, i + 2, (0, depth)));
                }
                '.' if may_go_on
                    && matches!(previous, ')' | ']' | '"' | '\'')
                    && code[i + 1..].starts_with(|n: char| n.is_alphabetic()) =>
                {
                    cuts.push((i, i, (1, 0)));
                }
                _ => {}
            },
        }
        previous = c;
    }
    let body = code.trim_start();
    let more = format!("{}    ", &code[..code.len() - body.len()]);
    let mut lines = Vec::new();
    let mut start = 0;
    loop {
        let prefix = if start == 0 { "" } else { more.as_str() };
        let rest = &code[start..];
        let room = room.saturating_sub(display_width(prefix));
        if display_width(rest) <= room {
            lines.push(format!("{prefix}{rest}"));
            return lines;
        }
        let later = || cuts.iter().copied().filter(|&(end, _, _)| end > start);
        // A comma between the outermost arguments first (not the one
        // inside `("127.0.0.1", 7788)`), then before a method call, then
        // after a bracket, each as far on as fits, and leaving more than a
        // stub (`0)`) for the next line; else the first cut.
        let fitting = || later().filter(|&(end, _, _)| display_width(&code[start..end]) <= room);
        let best = |cuts: &mut dyn Iterator<Item = (usize, usize, (u8, usize))>| {
            cuts.min_by_key(|&(end, _, place)| (place, std::cmp::Reverse(end)))
        };
        let cut = best(&mut fitting().filter(|&(_, next, _)| display_width(&code[next..]) >= 8))
            .or_else(|| best(&mut fitting()))
            .or_else(|| later().next());
        match cut {
            Some((end, next, _)) => {
                lines.push(format!("{prefix}{}", &code[start..end]));
                start = next;
            }
            None => {
                lines.push(format!("{prefix}{rest}"));
                return lines;
            }
        }
    }
}

fn output(p: &Painter, text: &str) -> String {
    format!("  {}", p.paint(text, styles::output()))
}

fn comment(p: &Painter, lang: Lang, text: &str) -> Vec<String> {
    let marker = match lang {
        Lang::Python => "  # ",
        Lang::Rust => "  // ",
    };
    wrap(text, marker, p.width())
        .into_iter()
        .map(|l| p.paint(&l, styles::comment()))
        .collect()
}

/// Every call a lesson makes ([`Lesson::calls`]).
pub fn lesson_calls(lesson: &Lesson) -> Vec<Call> {
    lesson.calls()
}

/// The lines a program needs before the lesson's calls: Python's imports;
/// Rust's `use` lines and the functions of its own the calls use.
pub fn preamble(lang: Lang, calls: &[Call], addressing: &Addressing) -> Vec<String> {
    match lang {
        Lang::Python => python::imports(calls),
        Lang::Rust => {
            let code: Vec<String> = calls
                .iter()
                .flat_map(|c| rust::statements(c, addressing, false))
                .collect();
            let mut lines = rust::uses(&code);
            lines.extend(rust::helpers(&code));
            lines
        }
    }
}

/// What a lesson shows once, before its first call: the lines the program
/// needs first (imports), and in Rust where the lines that follow go.
/// `calls`: every call of the lesson ([`lesson_calls`]).
pub fn prelude(p: Painter, lang: Lang, calls: &[Call], addressing: &Addressing) -> Vec<String> {
    let p = &p;
    let mut lines: Vec<String> = preamble(lang, calls, addressing)
        .iter()
        .flat_map(|code| line(p, lang, code))
        .collect();
    if lang == Lang::Rust {
        let socket2 = rust::SOCKET2_VERSION;
        lines.extend(comment(p, lang, &t!("code-rust-main", version = socket2)));
        lines.extend(comment(
            p,
            lang,
            "fn main() -> Result<(), Box<dyn std::error::Error>> { … }",
        ));
    }
    lines
}

/// The lines of code that perform a call; `fails`: the lesson shows the
/// error it gets.
pub fn statement(
    p: &Painter,
    lang: Lang,
    call: &Call,
    fails: bool,
    addressing: &Addressing,
) -> Vec<String> {
    match lang {
        Lang::Python => python::statement(call, addressing)
            .lines()
            .flat_map(|code| {
                // Python's prompt: `>>>` for each statement, `...` for the
                // indented lines of a block.
                let prompt = if code.starts_with(' ') { "..." } else { ">>>" };
                prompted(p, lang, code, prompt)
            })
            .collect(),
        Lang::Rust => rust::statements(call, addressing, fails)
            .iter()
            .flat_map(|s| line(p, lang, s))
            .collect(),
    }
}

/// The error a call failed with, as the language reports it.
pub fn raised(p: &Painter, lang: Lang, raised: &crate::event::Raised) -> Vec<String> {
    let text = match lang {
        Lang::Python => python::exception(raised),
        Lang::Rust => format!("Err: {}", raised.message),
    };
    vec![format!("  {}", p.paint(&text, styles::error()))]
}

/// What a receive loop amounted to.
fn received_all(lang: Lang, calls: usize, call: &Call) -> String {
    let bufsize = match call {
        Call::RecvAll { bufsize, .. } => *bufsize,
        _ => 0,
    };
    let (recv, empty) = match lang {
        Lang::Python => ("recv()", "b''"),
        Lang::Rust => ("read()", "Ok(0)"),
    };
    t!(
        "code-received-all",
        calls = calls,
        recv = recv,
        bufsize = bufsize,
        empty = empty
    )
}

/// What a call gave back, as the prompt (Python) or a comment (Rust) shows it.
pub fn outcome(
    p: &Painter,
    lang: Lang,
    call: &Call,
    kind: Option<SockType>,
    outcome: &Outcome,
) -> Vec<String> {
    let connected = |local: &std::net::SocketAddr| {
        let (socket, local) = (call.socket().to_string(), local.to_string());
        let text = match kind {
            Some(SockType::Datagram) => t!("code-connected-udp", socket = socket, local = local),
            _ => t!("code-connected-tcp", socket = socket, local = local),
        };
        comment(p, lang, &text)
    };
    let closed_note = match lang {
        Lang::Python => t!("code-closed-python"),
        Lang::Rust => t!("code-closed-rust"),
    };
    let mut lines = match outcome {
        Outcome::Connected { local } => connected(local),
        _ => vec![],
    };
    match lang {
        Lang::Python => {
            for echo in python::echoes(outcome) {
                match echo {
                    python::Echo::Value(value) => lines.push(output(p, &value)),
                    python::Echo::Expr { expr, value } => {
                        lines.extend(line(p, lang, &expr));
                        lines.push(output(p, &value));
                    }
                }
            }
        }
        Lang::Rust => {
            // A value is one line, however long, as Python's prompt
            // echoes it: a program prints it so.
            for shown in rust::results(outcome) {
                lines.push(p.paint(&format!("  // {}", shown.comment), styles::comment()));
            }
        }
    }
    match outcome {
        Outcome::ReceivedAll { calls, .. } => {
            lines.extend(comment(p, lang, &received_all(lang, *calls, call)));
        }
        Outcome::Received { data } if data.is_empty() => {
            lines.extend(comment(p, lang, &closed_note))
        }
        _ => {}
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    const BROADCAST: &str =
        r#"sender.sendto("hello, everyone".encode("utf-8"), ("127.255.255.255", 7788))"#;

    #[test]
    fn code_that_fits_stays_on_one_line() {
        assert_eq!(fold_code(BROADCAST, 80, Lang::Python), [BROADCAST]);
    }

    #[test]
    fn code_folds_after_the_outermost_comma_never_in_a_string() {
        assert_eq!(
            fold_code(BROADCAST, 74, Lang::Python),
            [
                r#"sender.sendto("hello, everyone".encode("utf-8"),"#,
                r#"    ("127.255.255.255", 7788))"#
            ]
        );
        // No comma to cut at: before the method call.
        assert_eq!(
            fold_code(
                r#"conn.sendall("ERROR: no such file: missing.txt".encode("utf-8"))"#,
                54,
                Lang::Python
            ),
            [
                r#"conn.sendall("ERROR: no such file: missing.txt""#,
                r#"    .encode("utf-8"))"#
            ]
        );
        // A number's dot is not a method call.
        let timeout = "udp.set_write_timeout(Some(Duration::from_secs_f64(0.5)))?;";
        for line in fold_code(timeout, 40, Lang::Rust) {
            assert!(!line.trim_start().starts_with('5'), "{line}");
        }
    }

    #[test]
    fn code_folds_leave_more_than_a_stub() {
        let mreq =
            r#"mreq = socket.inet_pton(socket.AF_INET6, "ff02::7788") + struct.pack("@I", 0)"#;
        assert_eq!(
            fold_code(mreq, 74, Lang::Python),
            [
                "mreq = socket.inet_pton(socket.AF_INET6,",
                r#"    "ff02::7788") + struct.pack("@I", 0)"#
            ]
        );
    }

    #[test]
    fn a_statement_folded_in_a_block_keeps_its_indent() {
        let folded = fold_code(
            r#"    data = conn.recv(1024, socket.MSG_WAITALL | socket.MSG_PEEK)"#,
            40,
            Lang::Python,
        );
        assert_eq!(
            folded,
            [
                "    data = conn.recv(1024,",
                "        socket.MSG_WAITALL | socket.MSG_PEEK)"
            ]
        );
    }

    #[test]
    fn lines_of_code_fit_the_page_with_their_prompt() {
        for width in [60, 80] {
            let p = Painter::new(false).with_width(width);
            let lines = prompted(&p, Lang::Python, BROADCAST, ">>>");
            assert!(lines[0].starts_with("  >>> sender.sendto("), "{lines:?}");
            for line in &lines[1..] {
                assert!(line.starts_with("  ...     "), "{lines:?}");
            }
            for line in &lines {
                assert!(display_width(line) <= width, "{line}");
            }
            let comment = "/// The local time as C's ctime(3) writes it, without its newline";
            for line in prompted(&p, Lang::Rust, comment, "") {
                assert!(line.starts_with("  /// "), "{line}");
                assert!(display_width(&line) <= width, "{line}");
            }
        }
    }
}
