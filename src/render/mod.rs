//! Rendering: everything the learner reads, as lines of text.
//!
//! Plain text is the contract (snapshot tests read it); colour is a layer
//! that [`Painter`] adds only when it is switched on. Functions here return
//! lines and never write, wait or read the clock: the runner does that.

pub mod chart;
pub mod code;
pub mod export;
pub mod fold;
pub mod ladder;
pub mod mermaid;
pub mod python;
pub mod rust;
pub mod text;

use owo_colors::{OwoColorize, Style};

use crate::lesson::Family;
use crate::packet::{Packet, Transport};

/// The width text is wrapped to: a classic terminal, and readable on a
/// projector.
pub const WIDTH: usize = 80;

/// Applies colour when it is on, and nothing otherwise.
#[derive(Debug, Clone, Copy)]
pub struct Painter {
    color: bool,
}

impl Painter {
    pub fn new(color: bool) -> Painter {
        Painter { color }
    }

    pub fn is_on(&self) -> bool {
        self.color
    }

    /// `text` in `style`; blank text gets no escape codes, so that a line
    /// ending in it can still be trimmed as in plain output.
    pub fn paint(&self, text: &str, style: Style) -> String {
        if self.color && !text.trim().is_empty() {
            text.style(style).to_string()
        } else {
            text.to_string()
        }
    }
}

/// The styles of socklab's output, named for what they mark.
pub mod styles {
    use owo_colors::Style;

    pub fn title() -> Style {
        Style::new().bold().bright_blue()
    }
    pub fn rule() -> Style {
        Style::new().blue()
    }
    pub fn code() -> Style {
        Style::new().bright_green()
    }
    pub fn output() -> Style {
        Style::new().white()
    }
    pub fn note() -> Style {
        Style::new().italic()
    }
    pub fn dim() -> Style {
        Style::new().dimmed()
    }
    pub fn state() -> Style {
        Style::new().bold()
    }
    pub fn good() -> Style {
        Style::new().green()
    }
    pub fn warn() -> Style {
        Style::new().yellow().bold()
    }
    pub fn error() -> Style {
        Style::new().red().bold()
    }
    /// One colour per actor, by its position in the lesson.
    pub fn actor(index: usize) -> Style {
        match index % 4 {
            0 => Style::new().cyan(),
            1 => Style::new().magenta(),
            2 => Style::new().yellow(),
            _ => Style::new().green(),
        }
    }
}

/// Wraps prose to `width`, every line starting with `indent`.
pub fn wrap(text: &str, indent: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for (i, paragraph) in text.split("\n\n").enumerate() {
        if i > 0 {
            lines.push(String::new());
        }
        // ASCII whitespace only: a no-break space (French "port\u{a0}:")
        // keeps its words together.
        let joined = paragraph
            .split_ascii_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        // Never split at hyphens: "TIME-WAIT" is one word to a learner.
        let options = textwrap::Options::new(width)
            .initial_indent(indent)
            .subsequent_indent(indent)
            .word_splitter(textwrap::WordSplitter::NoHyphenation);
        lines.extend(
            textwrap::wrap(&joined, options)
                .into_iter()
                .map(|l| l.into_owned()),
        );
    }
    lines
}

/// The banner at the start of a lesson.
pub fn lesson_header(
    p: &Painter,
    title: &str,
    summary: &str,
    family: Family,
    on_wire: bool,
) -> Vec<String> {
    let mut lines = vec![
        p.paint(&format!("socklab · {title}"), styles::title()),
        p.paint(&"═".repeat(WIDTH), styles::rule()),
    ];
    lines.extend(wrap(summary, "", WIDTH));
    if family == Family::V6 {
        let text = if !on_wire {
            "Over IPv6: the sockets are AF_INET6, loopback is ::1 and \"any \
             address\" is ::. The IPv6 header is 40 bytes long where IPv4's \
             is 20, so the largest TCP segment on loopback (the MSS in the \
             SYN) is 20 bytes smaller: 65476 instead of 65495. Addresses \
             from recvfrom() and accept() are 4-tuples: (host, port, flow \
             info, scope id)."
        } else {
            // On the wire, link-local addresses make the scope id matter.
            "Over IPv6: the sockets are AF_INET6 and \"any address\" is ::. \
             Addresses from recvfrom() and accept() are 4-tuples: (host, port, \
             flow info, scope id); the scope id is the number of the interface \
             a link-local address (fe80::) belongs to."
        };
        lines.push(String::new());
        lines.extend(
            wrap(text, "", WIDTH)
                .into_iter()
                .map(|l| p.paint(&l, styles::note())),
        );
    }
    lines.push(String::new());
    lines
}

/// The title and prose of a step.
pub fn step_header(
    p: &Painter,
    number: usize,
    total: usize,
    title: &str,
    text: &str,
) -> Vec<String> {
    let head = format!("── Step {number} of {total} · {title} ");
    let fill = WIDTH.saturating_sub(textwrap::core::display_width(&head));
    let mut lines = vec![
        p.paint(&format!("{head}{}", "─".repeat(fill)), styles::title()),
        String::new(),
    ];
    lines.extend(wrap(text, "", WIDTH));
    lines.push(String::new());
    lines
}

/// The answer to a question nobody answered (`--auto`): the right choice
/// (from 1) and why.
pub fn answer(p: &Painter, choices: &[String], answer: usize, explain: &str) -> Vec<String> {
    let head = format!("Answer: {answer}. ");
    let right = choices.get(answer - 1).map_or("", String::as_str);
    let mut lines: Vec<String> = hanging(&head, right, 2)
        .into_iter()
        .map(|l| p.paint(&l, styles::good()))
        .collect();
    lines.extend(wrap(explain, "  ", WIDTH));
    lines
}

/// `text` wrapped to the page after `head`, its later lines indented to
/// line up with the text: "      2. waits, and …" / "         probes …".
fn hanging(head: &str, text: &str, indent: usize) -> Vec<String> {
    let hang = " ".repeat(indent + head.chars().count());
    let mut lines = wrap(text, &hang, WIDTH);
    if let Some(first) = lines.first_mut() {
        *first = format!("{}{head}{}", " ".repeat(indent), &first[hang.len()..]);
    }
    lines
}

/// A question and its numbered choices.
pub fn question(p: &Painter, ask: &str, choices: &[String]) -> Vec<String> {
    let mut lines = vec![String::new()];
    // A hanging "?" on the first line only.
    let mut ask = wrap(ask, "    ", WIDTH);
    if let Some(first) = ask.first_mut() {
        first.replace_range(..4, "  ? ");
    }
    lines.extend(ask.into_iter().map(|l| p.paint(&l, styles::title())));
    for (i, choice) in choices.iter().enumerate() {
        lines.extend(hanging(&format!("{}. ", i + 1), choice, 6));
    }
    lines
}

/// Right or wrong, and why; `answer` and `given` count from 1.
pub fn verdict(p: &Painter, explain: &str, answer: usize, given: usize) -> Vec<String> {
    let head = if given == answer {
        p.paint("  ✓ Right.", styles::good())
    } else {
        p.paint(
            &format!("  ✗ Not quite: the answer is {answer}."),
            styles::warn(),
        )
    };
    let mut lines = vec![head];
    lines.extend(wrap(explain, "  ", WIDTH));
    lines
}

/// A frame waiting on the wire in hold mode: who sent it, to whom, and
/// what it is (flags and length; its relative numbers come when it is
/// delivered and drawn on the ladder). `again`: a frame like it was held
/// earlier in the step, so this is a copy its sender sent again. `fate`:
/// what the lesson's wire did to it before it was held.
pub fn held(
    p: &Painter,
    from: &str,
    to: &str,
    packet: &Packet,
    again: bool,
    fate: crate::packet::Fate,
) -> Vec<String> {
    let what = match &packet.transport {
        Transport::Tcp(segment) => {
            let mut text = segment.flags.to_string();
            if segment.payload_len > 0 {
                text.push_str(&format!(" with {} bytes of data", segment.payload_len));
            }
            text
        }
        Transport::Udp { payload_len, .. } => format!("a UDP datagram of {payload_len} bytes"),
        Transport::PortUnreachable => "ICMP port unreachable".to_string(),
        Transport::Resolution { .. } if packet.src.is_ipv6() => "neighbour discovery".to_string(),
        Transport::Resolution { .. } => "ARP".to_string(),
        other => other.short_name(),
    };
    let to_many = matches!(
        packet.transport,
        Transport::Udp {
            broadcast: true,
            ..
        } | Transport::Udp {
            multicast: true,
            ..
        }
    );
    let waiting = if to_many {
        "No host has received it.".to_string()
    } else if let crate::packet::Fate::Delayed(by) = fate {
        format!(
            "It is the first one {from} sent, which the wire delayed by {} ms. {to} \
             has not received it.",
            by.as_millis()
        )
    } else if again {
        format!(
            "{} {to} has not received this copy.",
            why_again(from, packet)
        )
    } else {
        format!("{to} has not received it.")
    };
    let text = format!("held on the wire: {from} → {to}, {what}. {waiting}");
    let mut lines = vec![String::new()];
    lines.extend(
        hanging("⏸ ", &text, 2)
            .into_iter()
            .map(|l| p.paint(&l, styles::warn())),
    );
    lines
}

/// Why a sender put the same segment on the wire again: a segment that
/// takes sequence space (SYN, FIN, data) is resent by its retransmission
/// timer (RFC 6298); a bare ACK is never resent, only sent again in answer
/// to a copy that came in.
fn why_again(from: &str, packet: &Packet) -> String {
    let resent_by_timer = match &packet.transport {
        Transport::Tcp(segment) => segment.seg_len() > 0,
        _ => false,
    };
    if resent_by_timer {
        format!("A copy: {from}'s kernel sent it again when its retransmission timer ran out.")
    } else {
        format!("The same ACK again: {from}'s answer to a copy that reached it.")
    }
}

/// In hold mode, after the learner let a frame go: copies of it that its
/// sender sent while it waited go with it.
pub fn let_go_with_copies(p: &Painter, from: &str, packet: &Packet, copies: usize) -> Vec<String> {
    let what = match copies {
        1 => "1 copy".to_string(),
        n => format!("{n} copies"),
    };
    let text = format!(
        "Let go, with {what} that {from} sent while it waited. {}",
        why_again(from, packet)
    );
    wrap(&text, "  ↳ ", WIDTH)
        .into_iter()
        .enumerate()
        .map(|(i, line)| {
            let line = if i == 0 {
                line
            } else {
                line.replacen("↳", " ", 1)
            };
            p.paint(&line, styles::warn())
        })
        .collect()
}

/// The closing words of a step.
pub fn after(p: &Painter, text: &str) -> Vec<String> {
    let mut lines = vec![String::new()];
    lines.extend(
        wrap(text, "", WIDTH)
            .into_iter()
            .map(|l| p.paint(&l, styles::note())),
    );
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_paragraphs_and_indent() {
        let lines = wrap("one two three\n\nfour", "  ", 10);
        assert_eq!(lines, vec!["  one two", "  three", "", "  four"]);
    }

    #[test]
    fn long_choices_hang_under_their_text() {
        let long =
            "waits, and now and then sends a tiny probe to ask whether the window has opened";
        let lines = hanging("2. ", long, 6);
        assert_eq!(
            lines,
            vec![
                "      2. waits, and now and then sends a tiny probe to ask whether the window",
                "         has opened",
            ]
        );
        assert!(lines.iter().all(|l| l.chars().count() <= WIDTH));
    }

    #[test]
    fn plain_painter_adds_nothing() {
        assert_eq!(Painter::new(false).paint("SYN", styles::warn()), "SYN");
        assert_ne!(Painter::new(true).paint("SYN", styles::warn()), "SYN");
    }
}
