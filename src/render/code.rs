//! The code of each call and what it gave back, in the language the
//! learner chose: Python (the tutorials' language, the default) or Rust
//! (socket2, the very calls socklab performs).

use std::io;

use super::{Painter, WIDTH, python, rust, styles, wrap};
use crate::lesson::{Addressing, Call, Outcome, PyError, SockType};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Lang {
    /// Python's `socket` module, typed at the `>>>` prompt.
    #[default]
    Python,
    /// Rust with the socket2 crate.
    Rust,
}

/// Received data longer than this is shown by its length, as one would look
/// at it at a prompt, not byte by byte.
const LONG_DATA: usize = 64;

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
    wrap(text, marker, WIDTH)
        .into_iter()
        .map(|l| p.paint(&l, styles::dim()))
        .collect()
}

/// The lines of code that perform a call.
pub fn statement(p: &Painter, lang: Lang, call: &Call, addressing: &Addressing) -> Vec<String> {
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
        Lang::Rust => rust::statements(call, addressing)
            .iter()
            .map(|s| line(p, lang, s))
            .collect(),
    }
}

/// The error a call failed with, as the language reports it.
pub fn raised(p: &Painter, lang: Lang, error: PyError, os_error: &io::Error) -> Vec<String> {
    let text = match lang {
        Lang::Python => python::exception(error, os_error),
        Lang::Rust => format!("Err: {os_error}"),
    };
    vec![format!("  {}", p.paint(&text, styles::error()))]
}

/// What a receive loop amounted to.
fn received_all(calls: usize, call: &Call) -> String {
    let bufsize = match call {
        Call::RecvAll { bufsize, .. } => *bufsize,
        _ => 0,
    };
    let calls = match calls {
        1 => "1 recv() call".to_string(),
        n => format!("{n} recv() calls"),
    };
    format!(
        "{calls} with a {bufsize}-byte buffer returned data, then one returned \
         b'': the peer had closed. What one recv() returns depends on the buffer \
         and on what has arrived by then, not on how the bytes were cut into \
         segments."
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
    let connected = |local| {
        let what = match kind {
            Some(SockType::Datagram) => {
                "connect() on a UDP socket sends nothing: it only fixes the peer."
            }
            _ => "connect() returned: the handshake is done.",
        };
        comment(
            p,
            lang,
            &format!(
                "{what} The kernel gave {} the address {local}: a random \
                 (ephemeral) port, since it never bound one.",
                call.socket()
            ),
        )
    };
    let closed_note = "recv() returned empty bytes: the peer has closed its side. \
                       This is how a program learns that the other end is gone.";
    match lang {
        Lang::Python => match outcome {
            Outcome::Nothing => vec![],
            Outcome::Connected { local } => connected(local),
            Outcome::Accepted { peer } => {
                vec![line(p, lang, "addr"), output(p, &python::addr_repr(*peer))]
            }
            Outcome::Sent(n) => vec![output(p, &n.to_string())],
            Outcome::ReceivedAll { calls, data } => {
                let mut lines = vec![
                    line(p, lang, "len(received)"),
                    output(p, &data.len().to_string()),
                ];
                lines.extend(comment(p, lang, &received_all(*calls, call)));
                lines
            }
            Outcome::Received(data) if data.len() > LONG_DATA => vec![
                line(p, lang, "len(data)"),
                output(p, &data.len().to_string()),
                line(p, lang, "data[:16]"),
                output(p, &python::bytes_repr(&data[..16])),
            ],
            Outcome::Received(data) => {
                let mut lines = vec![line(p, lang, "data"), output(p, &python::bytes_repr(data))];
                if data.is_empty() {
                    lines.extend(comment(p, lang, closed_note));
                } else if let Ok(text) = std::str::from_utf8(data) {
                    lines.push(line(p, lang, "data.decode(\"utf-8\")"));
                    lines.push(output(p, &python::str_repr(text)));
                }
                lines
            }
            Outcome::ReceivedFrom(data, from) if data.len() > LONG_DATA => vec![
                line(p, lang, "len(data), addr"),
                output(
                    p,
                    &format!("({}, {})", data.len(), python::addr_repr(*from)),
                ),
            ],
            Outcome::ReceivedFrom(data, from) => vec![
                line(p, lang, "data, addr"),
                output(
                    p,
                    &format!(
                        "({}, {})",
                        python::bytes_repr(data),
                        python::addr_repr(*from)
                    ),
                ),
            ],
        },
        Lang::Rust => match outcome {
            Outcome::Nothing => vec![],
            Outcome::Connected { local } => connected(local),
            Outcome::Accepted { peer } => comment(p, lang, &format!("addr == {peer}")),
            Outcome::Sent(n) => comment(p, lang, &format!("Ok({n}): {n} bytes taken")),
            Outcome::ReceivedAll { calls, data } => {
                let mut lines = comment(p, lang, &format!("received.len() == {}", data.len()));
                lines.extend(comment(p, lang, &received_all(*calls, call)));
                lines
            }
            Outcome::Received(data) => {
                let mut lines = comment(
                    p,
                    lang,
                    &format!("n == {}: {}", data.len(), rust::bytes(data)),
                );
                if data.is_empty() {
                    lines.extend(comment(p, lang, closed_note));
                }
                lines
            }
            Outcome::ReceivedFrom(data, from) => comment(
                p,
                lang,
                &format!("n == {}: {}, addr == {from}", data.len(), rust::bytes(data)),
            ),
        },
    }
}
