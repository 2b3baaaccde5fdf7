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

fn line(p: &Painter, lang: Lang, code: &str) -> String {
    match lang {
        Lang::Python => format!(
            "  {} {}",
            p.paint(">>>", styles::dim()),
            p.paint(code, styles::code())
        ),
        Lang::Rust => format!("  {}", p.paint(code, styles::code())),
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
        .map(|l| p.paint(&l, styles::dim()))
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
        .map(|code| line(p, lang, code))
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
            .map(|code| {
                // Python's prompt: `>>>` for each statement, `...` for the
                // indented lines of a block.
                if !code.starts_with(' ') {
                    line(p, lang, code)
                } else {
                    format!(
                        "  {} {}",
                        p.paint("...", styles::dim()),
                        p.paint(code, styles::code())
                    )
                }
            })
            .collect(),
        Lang::Rust => rust::statements(call, addressing, fails)
            .iter()
            .map(|s| line(p, lang, s))
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
                        lines.push(line(p, lang, &expr));
                        lines.push(output(p, &value));
                    }
                }
            }
        }
        Lang::Rust => {
            // A value is one line, however long, as Python's prompt
            // echoes it: a program prints it so.
            for shown in rust::results(outcome) {
                lines.push(p.paint(&format!("  // {}", shown.comment), styles::dim()));
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
