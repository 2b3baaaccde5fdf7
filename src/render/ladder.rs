//! The time-line ("ladder") diagram of the classic TCP textbooks: one
//! column per endpoint with its state, one arrow per packet with its flags,
//! relative numbers, length and window, and a sentence under each arrow.
//!
//! ```text
//!       ms  client                                                  server
//!           127.0.0.1:41234                                 127.0.0.1:5000
//!           CLOSED                                                  LISTEN
//!    0.000  SYN-SENT     ──── SYN seq=0 len=0 win=65495 ────▶ SYN-RECEIVED
//! ```

use std::net::SocketAddr;
use std::time::Duration;

use owo_colors::Style;

use super::{Painter, WIDTH, styles, wrap};
use crate::kernel::TcpInfo;
use crate::packet::Fate;
use crate::packet::{TcpOption, Transport};
use crate::track::congestion::{Change, Cut, CutRule};
use crate::track::{Note, Row, TcpState};

/// Width of the time column.
const TIME: usize = 8;
/// Width of a state column ("SYN-RECEIVED").
const STATE: usize = 12;
/// Width of the arrow between the state columns.
const ARROW: usize = 42;
/// Where the arrow starts, and the notes under it.
const ARROW_COL: usize = TIME + 2 + STATE + 1;

/// One endpoint of a conversation, as the learner knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Side {
    pub actor: String,
    /// Position of the actor in the lesson, for its colour.
    pub actor_index: usize,
    pub addr: SocketAddr,
}

/// The two columns of a conversation, in the lesson's actor order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    pub left: Side,
    pub right: Side,
}

/// A time for the time column, always `TIME` wide: milliseconds to the
/// microsecond under 10 s (the column's unit), seconds with a unit after.
pub fn time_text(since: Duration) -> String {
    let ms = since.as_secs_f64() * 1000.0;
    if ms < 10_000.0 {
        format!("{ms:>TIME$.3}")
    } else if ms < 1_000_000.0 {
        format!("{:>w$.1} s", ms / 1000.0, w = TIME - 2)
    } else {
        let s = (ms / 1000.0).round();
        if s < 1e6 {
            format!("{s:>w$.0} s", w = TIME - 2)
        } else {
            format!("{:>TIME$}", "> 11 d")
        }
    }
}

fn pad(text: &str, width: usize) -> String {
    let w = textwrap::core::display_width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(w)))
}

fn state_text(state: Option<TcpState>) -> String {
    state.map(|s| s.to_string()).unwrap_or_default()
}

/// A column's address: IP and port, or the IP alone for ARP (no ports).
fn address(addr: std::net::SocketAddr) -> String {
    if addr.port() == 0 {
        addr.ip().to_string()
    } else {
        addr.to_string()
    }
}

/// The column titles, addresses and the states before the first packet.
pub fn header(
    p: &Painter,
    cols: &Columns,
    left_state: Option<TcpState>,
    right_state: Option<TcpState>,
) -> Vec<String> {
    let right_col = ARROW_COL + ARROW + 1;
    let line = |gutter: &str, left: &str, right: &str, styles: (Style, Style)| {
        let mut text = p.paint(&format!("{gutter:>TIME$}  "), styles::dim());
        text.push_str(&p.paint(&pad(left, right_col - TIME - 2), styles.0));
        if !right.is_empty() {
            text.push_str(&p.paint(right, styles.1));
        }
        text.trim_end().to_string()
    };
    let l = styles::actor(cols.left.actor_index);
    let r = styles::actor(cols.right.actor_index);
    let mut lines = vec![
        line(
            "ms",
            &cols.left.actor,
            &cols.right.actor,
            (l.bold(), r.bold()),
        ),
        line(
            "",
            &address(cols.left.addr),
            &address(cols.right.addr),
            (l, r),
        ),
    ];
    if left_state.is_some() || right_state.is_some() {
        lines.push(line(
            "",
            &state_text(left_state),
            &state_text(right_state),
            (styles::state(), styles::state()),
        ));
    }
    lines
}

/// The label on a packet's arrow: flags, relative numbers, length, window.
pub fn label(row: &Row) -> String {
    match (&row.packet.transport, &row.tcp) {
        (Transport::Tcp(_), Some(tcp)) => {
            let mut text = format!("{} seq={}", tcp.flags, tcp.rel_seq);
            if let Some(ack) = tcp.rel_ack {
                text.push_str(&format!(" ack={ack}"));
            }
            text.push_str(&format!(" len={} win={}", tcp.len, tcp.window));
            text
        }
        (Transport::Udp { payload_len, .. }, _) => format!("UDP len={payload_len}"),
        (Transport::PortUnreachable, _) => "ICMP port unreachable".to_string(),
        // Over IPv6, neighbour solicitation (NS) and advertisement (NA).
        (Transport::Resolution { reply: false, .. }, _) => format!(
            "{} who has {}? tell {}",
            if row.packet.src.is_ipv6() {
                "NS"
            } else {
                "ARP"
            },
            row.packet.dst.ip(),
            row.packet.src.ip()
        ),
        (
            Transport::Resolution {
                reply: true,
                sender_mac,
            },
            _,
        ) => format!(
            "{} {} is at {}",
            if row.packet.src.is_ipv6() {
                "NA"
            } else {
                "ARP"
            },
            row.packet.src.ip(),
            mac_text(sender_mac)
        ),
        (Transport::Icmp(icmp), _) => icmp.to_string(),
        (
            Transport::Fragment {
                offset, len, more, ..
            },
            _,
        ) => format!(
            "IP fragment offset={offset} len={len}{}",
            if *more { " MF" } else { "" }
        ),
        (Transport::Tcp(_), None) => unreachable!("the tracker explains every TCP segment"),
    }
}

/// A MAC address as `ip link` writes it.
pub fn mac_text(mac: &[u8; 6]) -> String {
    mac.iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// A range of bytes as the learner reads it: `first–last`.
fn byte_range(first: u32, len: u32) -> String {
    format!("{first}–{}", first + len.saturating_sub(1))
}

/// An arrow `ARROW` wide with the label in it (wider if the label needs it),
/// as (tail, label with spaces, head).
fn arrow(label: &str, rightwards: bool) -> (String, String, String) {
    let inner = format!(" {label} ");
    let width = textwrap::core::display_width(&inner);
    // Two characters before the label both ways ("──" or "◀─"), so that the
    // common labels (up to "SYN,ACK seq=0 ack=1 len=0 win=65483") fit.
    if rightwards {
        let after = ARROW.saturating_sub(width + 3).max(2);
        ("──".to_string(), inner, format!("{}▶", "─".repeat(after)))
    } else {
        let after = ARROW.saturating_sub(width + 2).max(2);
        ("◀─".to_string(), inner, "─".repeat(after))
    }
}

/// Gap between a lost arrow's ✗ and the receiver's column.
const LOST_GAP: usize = 5;

/// A lost frame's arrow stops short of the receiver with ✗, at the same
/// overall width.
fn lost(
    (tail, inner, head): (String, String, String),
    rightwards: bool,
) -> (String, String, String) {
    // The head's dashes are shared out: some stay, the rest become the gap.
    let dashes = head.chars().filter(|c| *c == '─').count();
    let keep = dashes.saturating_sub(LOST_GAP);
    let gap = " ".repeat(dashes - keep);
    if rightwards {
        (tail, inner, format!("{}✗{gap}", "─".repeat(keep)))
    } else {
        (format!("{gap}✗─"), inner, "─".repeat(keep))
    }
}

/// The arrow in the sender's colour, its flags stressed: SYN green, FIN
/// yellow, RST red, so that a projected ladder reads at a glance. A lost
/// frame's arrow ends in a red ✗.
fn paint_arrow(p: &Painter, label: &str, rightwards: bool, dropped: bool, actor: Style) -> String {
    let mut parts = arrow(label, rightwards);
    if dropped {
        parts = lost(parts, rightwards);
    }
    let (tail, inner, head) = parts;
    let paint_end = |end: &str| match end.split_once('✗') {
        Some((before, after)) => format!(
            "{}{}{}",
            p.paint(before, actor),
            p.paint("✗", Style::new().red().bold()),
            p.paint(after, actor)
        ),
        None => p.paint(end, actor),
    };
    let (flags, rest) = inner[1..].split_once(' ').unwrap_or((&inner[1..], ""));
    let flag_style = if flags.contains("RST") {
        Style::new().red().bold()
    } else if flags.contains("SYN") {
        Style::new().green().bold()
    } else if flags.contains("FIN") {
        Style::new().yellow().bold()
    } else {
        Style::new().bold()
    };
    format!(
        "{} {} {}{}",
        paint_end(&tail),
        p.paint(flags, flag_style),
        p.paint(rest, actor),
        paint_end(&head)
    )
}

/// What the lab wire did to a frame, when it did something.
/// A retransmission of any kind (not out-of-order: that one is true of a
/// held-up original too).
fn is_retransmission(note: &Note) -> bool {
    matches!(
        note,
        Note::Retransmission { .. }
            | Note::FastRetransmission { .. }
            | Note::SpuriousRetransmission { .. }
    )
}

/// `resend`: the analysis names the frame a retransmission (by where it
/// comes on the wire).
fn fate_sentence(fate: Fate, s: &str, r: &str, tcp: bool, resend: bool) -> Option<String> {
    Some(match fate {
        Fate::Delivered => return None,
        Fate::Dropped if tcp => format!(
            "✗ lost on the wire: the lesson's wire dropped this frame, so {r} never \
             receives it. Only {s}'s own timers can notice."
        ),
        Fate::Dropped => format!(
            "✗ lost on the wire: the lesson's wire dropped this frame, so {r} never \
             receives it, and nobody will notice: UDP has no acknowledgements."
        ),
        Fate::Duplicate if tcp => format!(
            "⧉ duplicated on the wire: {r} receives this same frame a second time. \
             {s}'s kernel sent it once; in a capture the copy looks exactly like a \
             retransmission, and tshark names it one."
        ),
        Fate::Duplicate => {
            format!("⧉ duplicated on the wire: {r} receives this same frame a second time.")
        }
        Fate::Delayed(by) if resend => format!(
            "⏱ delayed on the wire by {} ms: this is the first copy {s}'s kernel \
             sent, overtaken by the one it sent again when its timer ran out. A \
             capture sees it come second and calls it a retransmission (tshark \
             too).",
            by.as_millis()
        ),
        Fate::Delayed(by) => format!(
            "⏱ delayed on the wire by {} ms: frames sent after it may overtake it.",
            by.as_millis()
        ),
        Fate::Reordered => format!(
            "⇄ reordered on the wire: held back, and delivered to {r} after a frame {s} sent later."
        ),
        Fate::Corrupted => format!(
            "⚡ corrupted on the wire: one byte flipped. {r}'s kernel finds the checksum \
             wrong and throws the frame away without a word (RFC 9293 §3.1, RFC 768)."
        ),
    })
}

/// One packet: the arrow line, then its notes. `brief[i]` asks for the
/// short form of note `i`, for notes the learner has already read in full.
pub fn row(
    p: &Painter,
    cols: &Columns,
    row: &Row,
    since_start: Duration,
    brief: &[bool],
    fate: Fate,
) -> Vec<String> {
    let rightwards = row.packet.src == cols.left.addr;
    let (sender, receiver) = if rightwards {
        (&cols.left, &cols.right)
    } else {
        (&cols.right, &cols.left)
    };
    let (left_state, right_state) = match &row.tcp {
        Some(tcp) if rightwards => (Some(tcp.sender.after), Some(tcp.receiver.after)),
        Some(tcp) => (Some(tcp.receiver.after), Some(tcp.sender.after)),
        None => (None, None),
    };
    let time = time_text(since_start);
    let arrow_text = paint_arrow(
        p,
        &label(row),
        rightwards,
        fate == Fate::Dropped,
        styles::actor(sender.actor_index),
    );
    let mut lines = vec![
        format!(
            "{}  {} {} {}",
            p.paint(&time, styles::dim()),
            p.paint(&pad(&state_text(left_state), STATE), styles::state()),
            arrow_text,
            p.paint(&state_text(right_state), styles::state()),
        )
        .trim_end()
        .to_string(),
    ];
    let indent = " ".repeat(ARROW_COL);
    let resend = row.notes.iter().any(is_retransmission);
    let tcp = row.tcp.is_some();
    if let Some(text) = fate_sentence(fate, &sender.actor, &receiver.actor, tcp, resend) {
        lines.extend(
            wrap(&text, &indent, WIDTH)
                .into_iter()
                .map(|l| p.paint(&l, Style::new().red().bold())),
        );
    }
    for (i, note) in row.notes.iter().enumerate() {
        // The sender did not resend a copy the wire made, nor the original
        // the wire held up: the fate line above says what happened instead.
        let made_by_the_wire = match fate {
            Fate::Duplicate => note.is_resend(),
            Fate::Delayed(_) => is_retransmission(note),
            _ => false,
        };
        if made_by_the_wire {
            continue;
        }
        let brief = brief.get(i).copied().unwrap_or(false);
        let text = sentence(note, &sender.actor, &receiver.actor, brief);
        lines.extend(
            wrap(&text, &indent, WIDTH)
                .into_iter()
                .map(|l| p.paint(&l, styles::note())),
        );
        for line in detail(note).iter().flat_map(|d| d.lines()) {
            lines.push(p.paint(&format!("{indent}{line}"), styles::dim()));
        }
    }
    lines
}

/// Many data and ACK packets in one row: what a run of them amounted to.
pub fn summary(p: &Painter, run: &super::fold::Summary) -> Vec<String> {
    let cols = &run.columns;
    let last = &run.last;
    let time = time_text(run.since);
    let mut lines = Vec::new();
    let mut sentences = Vec::new();
    // The side that sent first in the run comes first.
    let mut sides = [(&cols.left, &run.left), (&cols.right, &run.right)];
    if run.first.packet.src == cols.right.addr {
        sides.swap(0, 1);
    }
    for (side, tally) in sides {
        if tally.segments + tally.acks == 0 {
            continue;
        }
        let rightwards = side.addr == cols.left.addr;
        let mut label = Vec::new();
        if tally.segments > 0 {
            let mut text = format!(
                "{}, {} bytes",
                count(tally.segments, "segment"),
                tally.bytes
            );
            // Counted when watch or replay folds a long run's losses into it,
            // or a lesson the losses after the first few.
            if tally.resent > 0 {
                text.push_str(&format!(", {} resent", tally.resent));
            }
            if tally.lost > 0 {
                text.push_str(&format!(", {} lost", tally.lost));
            }
            label.push(text);
            let first = tally.first.unwrap_or(0);
            let again = match tally.resent {
                0 => String::new(),
                1 => ", one of them sent again (a retransmission)".to_string(),
                n => format!(", {n} of them sent again (retransmissions)"),
            };
            let lost = match tally.lost {
                0 => String::new(),
                n if n == tally.segments => " Every one was lost on the wire.".to_string(),
                1 => " One of them was lost on the wire.".to_string(),
                n => format!(" {n} of them were lost on the wire."),
            };
            sentences.push(format!(
                "{} sent bytes {first}–{} of its stream in {} of up to {} bytes{again}.{lost}",
                side.actor,
                tally.last,
                count(tally.segments, "segment"),
                tally.largest
            ));
        }
        if tally.acks > 0 {
            let mut text = count(tally.acks, "ACK");
            if tally.duplicates > 0 {
                text.push_str(&format!(", {} dup", tally.duplicates));
            }
            label.push(text);
            let last_ack = tally.last_ack.unwrap_or(0);
            let dup = match tally.duplicates {
                0 => String::new(),
                1 => " (one a duplicate, asking again for a missing segment)".to_string(),
                n => format!(" ({n} duplicates, asking again for missing segments)"),
            };
            sentences.push(format!(
                "{} acknowledged with {}{dup}, the last one ack={last_ack}: everything \
                 before byte {last_ack} had arrived.",
                side.actor,
                count(tally.acks, "ACK")
            ));
        }
        let (tail, inner, head) = arrow(&label.join(", "), rightwards);
        let double = |s: String| s.replace('─', "═");
        let arrow_text = p.paint(
            &format!("{}{inner}{}", double(tail), double(head)),
            styles::actor(side.actor_index),
        );
        lines.push(format!(
            "{}  {} {arrow_text}",
            " ".repeat(TIME),
            " ".repeat(STATE)
        ));
    }
    // The states after the last packet, on the last line.
    if let (Some(tcp), Some(line)) = (&last.tcp, lines.last_mut()) {
        let rightwards = last.packet.src == cols.left.addr;
        let (left, right) = if rightwards {
            (tcp.sender.after, tcp.receiver.after)
        } else {
            (tcp.receiver.after, tcp.sender.after)
        };
        let arrow_part = line[TIME + 2 + STATE + 1..].to_string();
        *line = format!(
            "{}  {} {arrow_part} {}",
            p.paint(&time, styles::dim()),
            p.paint(&pad(&left.to_string(), STATE), styles::state()),
            p.paint(&right.to_string(), styles::state())
        );
    }
    let text = format!(
        "… {} more packets like those above, summarised: {} `--all-packets` \
         shows every one.",
        run.count,
        sentences.join(" ")
    );
    let indent = " ".repeat(ARROW_COL);
    lines.extend(
        wrap(&text, &indent, WIDTH)
            .into_iter()
            .map(|l| p.paint(&l, styles::note())),
    );
    // On a line of its own, like the ISNs: its varying width never changes
    // how the sentence above is wrapped.
    let span = last.packet.at.saturating_sub(run.first.packet.at);
    lines.push(p.paint(
        &format!(
            "{indent}over {:.3} ms, from the first of them to the last",
            span.as_secs_f64() * 1000.0
        ),
        styles::dim(),
    ));
    lines
}

/// "1 ACK", "3 ACKs".
fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// Numbers that go with a note, on a line of their own so that their
/// varying length never changes how the sentence above is wrapped. The
/// options are shown on every SYN, brief or not: they differ from one
/// connection to the next (an MSS set with TCP_MAXSEG, say).
pub fn detail(note: &Note) -> Option<String> {
    match note {
        Note::HandshakeSyn { isn, options } | Note::HandshakeSynAck { isn, options } => {
            let shown: Vec<String> = options
                .iter()
                .filter(|o| !matches!(o, TcpOption::Sack))
                .map(ToString::to_string)
                .collect();
            let mut text = format!("ISN {isn}");
            if !shown.is_empty() {
                text.push_str(&format!("\noptions: {}", shown.join(", ")));
            }
            Some(text)
        }
        _ => None,
    }
}

/// The sentence under an arrow. `s` sent the packet, `r` receives it.
/// `brief`: the learner has read the full sentence already in this run.
pub fn sentence(note: &Note, s: &str, r: &str, brief: bool) -> String {
    if brief && let Some(short) = short_sentence(note, s, r) {
        return short;
    }
    match note {
        Note::HandshakeSyn { .. } => format!(
            "handshake ①: {s} asks {r} to open a connection. seq=0 stands for \
             {s}'s initial sequence number (ISN), which the kernel picks at \
             random; socklab counts from it, as Wireshark does."
        ),
        Note::HandshakeSynAck { .. } => format!(
            "handshake ②: {s} agrees. One segment carries its own SYN (seq=0, \
             counted from its own random ISN) and ACK 1: \"got your SYN, send \
             byte 1 next\"."
        ),
        Note::HandshakeAck => format!(
            "handshake ③: {s} acknowledges {r}'s SYN (ack=1). Both ends are \
             ESTABLISHED: three packets, and the connection is open."
        ),
        Note::Data { len, first, last } => {
            let bytes = if *len == 1 { "byte" } else { "bytes" };
            format!("{s} sends {len} {bytes} of data: bytes {first}–{last} of its stream.")
        }
        Note::Ack { next } => format!(
            "{s} acknowledges: every byte before {next} has arrived, byte {next} \
             is the next it expects."
        ),
        Note::FinFirst => format!(
            "close ①: {s} sends FIN: it has no more data to send. {s} may still \
             receive until {r} closes too."
        ),
        Note::FinAcked => format!(
            "close ②: {s}'s kernel acknowledges the FIN (ack = FIN's seq + 1). \
             {s}'s program is not told with a packet: its next recv() returns \
             no data (end of stream)."
        ),
        Note::FinSecond => format!("close ③: {s} closes its side too: its own FIN."),
        Note::FinAckMerged => format!(
            "close ②+③ in one segment: {s} acknowledges {r}'s FIN and sends its \
             own FIN together. The kernel held its ACK back briefly (a delayed \
             ACK), {s}'s program closed in the meantime, and one segment did \
             both jobs: four steps, three packets."
        ),
        Note::LastAck => format!(
            "close ④: {s} acknowledges the last FIN. {r} is now CLOSED; {s} \
             waits in TIME-WAIT (60 s on Linux) so that a stray old segment \
             cannot be taken for part of a new connection."
        ),
        Note::Reset => format!("RST: {s} aborts the connection; nothing more will be exchanged."),
        Note::ZeroWindow => format!(
            "win=0: {s}'s receive buffer is full, because its program is not \
             reading. {r} may send nothing more until the window opens."
        ),
        Note::WindowUpdate {
            window,
            reopened: true,
        } => format!(
            "window update: {s}'s program has read, and {window} bytes are free \
             again: {r} may go on sending."
        ),
        Note::WindowUpdate { window, .. } => format!(
            "window update: {s} sends nothing new, only a new window: {r} may now \
             have {window} bytes in flight (the program read, or the kernel grew \
             the receive buffer). Wireshark: TCP Window Update."
        ),
        Note::Probe => format!(
            "probe: {s} sends an empty segment carrying an old sequence number, \
             only to make {r} answer with its current window (a zero-window \
             probe; Wireshark calls it a keep-alive). It is repeated at \
             growing intervals while the window stays closed."
        ),
        Note::Retransmission {
            first,
            len,
            fin,
            syn,
        } => {
            if *syn {
                return format!(
                    "retransmission: {s} sends its SYN again, same sequence number. \
                     No answer had come back before its timer ran out (1 s for a \
                     first SYN, RFC 6298 §2.1), so its kernel took the first SYN for \
                     lost. If that one arrives after all, {r} has seen it already \
                     and does not open a second connection."
                );
            }
            let what = match (len, fin) {
                (0, true) => "its FIN".to_string(),
                (_, true) => format!("bytes {} and its FIN", byte_range(*first, *len)),
                _ => format!("bytes {}", byte_range(*first, *len)),
            };
            format!(
                "retransmission: {s} sends {what} again. No acknowledgement had \
                 come back before its retransmission timer ran out (RFC 6298), \
                 so its kernel took the first copy for lost. If that copy did \
                 arrive after all, {r} drops the duplicate and acknowledges."
            )
        }
        Note::FastRetransmission { first, len } => format!(
            "fast retransmission: {s} resends bytes {} at once. The duplicate \
             ACKs told it this segment is missing while later ones arrived, so \
             it does not wait for its timer (RFC 5681 §3.2).",
            byte_range(*first, *len)
        ),
        Note::SpuriousRetransmission { first, len } => format!(
            "spurious retransmission: {s} sends bytes {} again, but {r} had \
             already acknowledged them: this copy was not needed, and {r} \
             drops it.",
            byte_range(*first, *len)
        ),
        Note::OutOfOrder { first, len } => format!(
            "out of order: bytes {} arrive after later bytes of {s}'s stream. \
             They were held up on the way, not resent; {r}'s TCP puts them \
             back in order before its program reads them.",
            byte_range(*first, *len)
        ),
        Note::DuplicateAck {
            count,
            next,
            after_copy: true,
        } => format!(
            "duplicate ACK #{count}: {s} repeats its last ACK (still ack={next}). \
             What it just received was a copy of something it already had, so \
             its stream did not move on: nothing is missing."
        ),
        Note::DuplicateAck { count, next, .. } => format!(
            "duplicate ACK #{count}: {s} still expects byte {next}. A segment \
             arrived that did not move its stream on (one beyond a gap, or a \
             copy of bytes it had), so it repeats its last ACK at once. \
             Several in a row tell {r} that a segment is missing."
        ),
        Note::ChallengeAck => format!(
            "challenge ACK: {s}'s connection is already open, so a SYN cannot \
             start a new one. {s} drops it and answers with an ACK that \
             restates where the connection stands (RFC 5961 §4.2)."
        ),
        Note::Sack { blocks } => {
            let held: Vec<String> = blocks
                .iter()
                .map(|(first, after)| byte_range(*first, after.wrapping_sub(*first)))
                .collect();
            format!(
                "SACK: {s} also holds bytes {} beyond the gap (selective \
                 acknowledgement, RFC 2018), so {r} need resend only what is \
                 missing.",
                held.join(" and ")
            )
        }
        Note::DuplicateSack { first, after } => format!(
            "D-SACK: {s} tells {r} that bytes {} arrived twice (RFC 2883): \
             one copy was not needed.",
            byte_range(*first, after.wrapping_sub(*first))
        ),
        Note::ArpRequest { .. } => format!(
            "ARP: before its first IP packet to {r}, {s} must learn {r}'s \
             Ethernet (MAC) address. It broadcasts the question to every host \
             on the segment (RFC 826)."
        ),
        Note::ArpReply { .. } => format!(
            "ARP reply: {s} answers with its MAC address, to {r} alone. Both \
             kernels keep the answer in their ARP cache (`ip neigh`), so the \
             packets that follow go straight out."
        ),
        Note::NeighbourSolicitation => format!(
            "neighbour solicitation: IPv6 has no ARP. Before its first packet \
             to {r}, {s} must learn {r}'s Ethernet (MAC) address, so it asks \
             over ICMPv6, and not of every host: of the solicited-node group \
             of the address it looks for (ff02::1:ff and the address's last 24 \
             bits), which only that host has joined (RFC 4861 §4.3)."
        ),
        Note::NeighbourAdvertisement { .. } => format!(
            "neighbour advertisement: {s} answers with its MAC address, to {r} \
             alone. Both kernels keep it in their neighbour cache (`ip -6 \
             neigh`), so the packets that follow go straight out."
        ),
        Note::Refused => format!(
            "RST: nothing listens on this port, so {s}'s kernel refuses the \
             connection. {r}'s connect() fails with \"Connection refused\"."
        ),
        Note::PortUnreachable => format!(
            "ICMP: {s}'s kernel reports that no socket is bound to the port \
             the datagram went to. A UDP socket that connect()ed hears of it as \
             an error; one that only used sendto() is never told."
        ),
        Note::Datagram { len, first } => {
            let bytes = if *len == 1 { "byte" } else { "bytes" };
            if *first {
                format!(
                    "one UDP datagram, {len} {bytes} of data. No handshake came \
                     before it and no acknowledgement follows: UDP just sends."
                )
            } else {
                format!("one more datagram, {len} {bytes}: a message of its own.")
            }
        }
        Note::Broadcast { port } => format!(
            "broadcast: addressed to every host on the local network at once. \
             Each gets a copy, and on each one every socket bound to port {port} \
             reads it: one sendto(), one packet, many receivers."
        ),
        Note::Multicast {
            group,
            port,
            all_nodes: true,
        } => format!(
            "multicast to {group}, the all-nodes group: every IPv6 host on the \
             link is in it, so each gets a copy and every socket bound to port \
             {port} reads it. IPv6's broadcast, without SO_BROADCAST."
        ),
        Note::Multicast { group, port, .. } => format!(
            "multicast to the group {group}: only hosts whose kernel joined the \
             group keep a copy (a simple switch sends the frame to every host, \
             and the others drop it). On those hosts every socket bound to port \
             {port} reads it."
        ),
        Note::Icmp(icmp) => icmp_sentence(icmp, s, r),
        Note::KeepAlive => format!(
            "keep-alive: nothing new, one byte before {s}'s next sequence \
             number. The connection has been idle; {s} checks that {r} is still \
             there, and {r} must answer with an ACK (RFC 9293 §3.8.4). \
             Wireshark: TCP Keep-Alive."
        ),
        Note::KeepAliveAck => format!(
            "{s} answers the keep-alive with the same ACK as before: still here, \
             nothing new. Wireshark: TCP Keep-Alive ACK."
        ),
        Note::ZeroWindowProbe => format!(
            "zero-window probe: {r}'s window is 0, so {s} sends a single byte to \
             ask whether room has opened (RFC 9293 §3.8.6.1). Wireshark: TCP \
             ZeroWindowProbe."
        ),
        Note::ZeroWindowProbeAck => format!(
            "{s} answers the probe: its window is still 0, the byte is not taken. \
             Wireshark: TCP ZeroWindowProbeAck."
        ),
        Note::WindowFull => format!(
            "window full: this segment reaches the edge of the window {r} \
             advertised; {s} may send no more until {r} acknowledges (RFC 9293 \
             §3.8.6). Wireshark: TCP Window Full."
        ),
        Note::PortsReused => "a new connection on the same addresses and ports as an earlier \
                              one (a new ISN): its numbers start again from 0. Wireshark: TCP \
                              Port numbers reused."
            .to_string(),
        Note::PreviousSegmentNotCaptured => format!(
            "{s} skips ahead: the bytes just before this segment have not been \
             seen (held up on the way and still to come, lost before the capture \
             point, or sent before the capture started). Wireshark: TCP Previous \
             segment not captured."
        ),
        Note::AckedUnseenSegment => format!(
            "{s} acknowledges bytes the capture never saw {r} send: they went \
             by unseen. Wireshark: TCP ACKed unseen segment."
        ),
        Note::Fragment {
            protocol,
            offset,
            len,
            more,
        } => format!(
            "IP fragment: bytes {offset}–{} of a {} datagram too big for the \
             link, cut in pieces on the way (RFC 791 §2.3, RFC 8200 §4.5). {r} \
             puts it back together{}; Wireshark shows it whole at the last piece.",
            (offset + len).saturating_sub(1),
            protocol_name(*protocol),
            if *more {
                " once every piece has come"
            } else {
                ", but a piece before this one is missing"
            }
        ),
    }
}

/// What a congestion reading means: the rule the sender's kernel followed
/// since the reading before, with the RFC that defines it. `s`: the actor
/// whose kernel was read. Numbers that depend on the kernel's clock (CUBIC
/// in congestion avoidance) are never in these sentences: they are on the
/// reading's own line, marked.
pub fn congestion_sentence(change: &Change, info: &TcpInfo, s: &str) -> String {
    match change {
        Change::First { cwnd } if *cwnd == 10 => format!(
            "the initial window: {s}'s kernel may send {cwnd} segments before the first \
             ACK comes back (RFC 6928). ssthresh is not set yet (\"infinite\"), so the \
             window grows by slow start."
        ),
        Change::First { .. } => "the first reading of this connection.".to_string(),
        Change::SlowStart {
            from,
            to,
            delivered,
            reached: true,
        } => format!(
            "slow start: {delivered} segments acknowledged, each adding one segment to \
             the window, until it reached ssthresh: {from} → {to} (RFC 5681 §3.1). From \
             here on it grows by congestion avoidance."
        ),
        Change::SlowStart {
            from,
            to,
            delivered,
            ..
        } if to - from < *delivered => format!(
            "slow start: {delivered} segments acknowledged, and the window grew {from} → \
             {to}: one segment for each (RFC 5681 §3.1), up to twice what {s} had in \
             flight. Linux grows it no further while it is not full."
        ),
        Change::SlowStart {
            from,
            to,
            delivered,
            ..
        } => format!(
            "slow start: each of the {delivered} segments acknowledged since the last \
             reading added one segment to the window, {from} → {to} (RFC 5681 §3.1). A \
             whole window is acknowledged every round trip, so the window doubles every \
             round trip."
        ),
        Change::Avoidance {
            from,
            to,
            delivered,
            clock: false,
        } => format!(
            "congestion avoidance: the window has reached ssthresh, so it grows by one \
             segment only once a whole window of segments has been acknowledged (RFC \
             5681 §3.1, equation 3): {from} → {to} after {delivered} acknowledged. About \
             one segment per round trip: a straight line, where slow start doubled."
        ),
        Change::Avoidance { clock: true, .. } => format!(
            "congestion avoidance, CUBIC: the window follows a curve of the time since \
             the loss, W(t) = C·(t − K)³ + W_max (RFC 9438 §4.2). It climbs fast back \
             towards W_max, the window at the loss, levels off near it, then probes \
             beyond. {s}'s kernel measures that time in ticks of its clock, so the \
             numbers marked ◷ may differ by a segment or more from one run to the next."
        ),
        Change::Waiting { cwnd, unacked: 0 } => format!(
            "everything sent is acknowledged, and there is nothing more to send: the \
             window stays at {cwnd}."
        ),
        Change::Waiting { cwnd, unacked } => format!(
            "nothing acknowledged since the last reading: the window stays at {cwnd}, \
             and {unacked} segments wait for their ACK."
        ),
        Change::Disorder { cwnd } => format!(
            "Disorder: duplicate ACKs or SACK blocks came, too few yet to call a segment \
             lost (RFC 5681 §3.2 waits for the third). The window stays at {cwnd}."
        ),
        Change::Recovery { cut, cwnd } if info.sack => format!(
            "fast retransmit and fast recovery: duplicate ACKs and SACK blocks showed a \
             segment lost (RFC 5681 §3.2; Linux decides with RACK, RFC 8985), {s} resent \
             it at once, and its kernel entered recovery (with SACK, RFC 6675). {} While \
             recovery lasts, the window comes down to ssthresh step by step, about one \
             new segment sent for every two that leave the network (Proportional Rate \
             Reduction, RFC 6937): cwnd {cwnd} now.",
            cut_sentence(cut, info)
        ),
        Change::Recovery { cut, cwnd } => format!(
            "fast retransmit and fast recovery: at the third duplicate ACK {s}'s kernel \
             took the segment for lost and resent it at once (RFC 5681 §3.2), and \
             entered recovery (NewReno, RFC 6582: without SACK, each duplicate ACK \
             counts as one segment that left the network). {} While recovery lasts, the \
             window comes down to ssthresh step by step, about one new segment sent for \
             every two that leave the network (Proportional Rate Reduction, RFC 6937): \
             cwnd {cwnd} now.",
            cut_sentence(cut, info)
        ),
        Change::StillRecovering {
            cwnd,
            ssthresh,
            unacked: 0,
        } => format!(
            "everything is acknowledged, the resent segment too, yet the kernel still \
             says Recovery: without SACK, Linux leaves it only when an ACK covers data \
             sent after the loss was found, so that duplicate ACKs left over from \
             before cannot set off another fast retransmission (RFC 6582 §3.2). cwnd \
             {cwnd}, ssthresh {ssthresh}."
        ),
        Change::StillRecovering { cwnd, ssthresh, .. } => format!(
            "still in recovery: the resent segment is on its way. Each duplicate ACK \
             said that one more segment had left the network, and {s} sent about one \
             new segment for every two (Proportional Rate Reduction, RFC 6937), so the \
             window came down to cwnd {cwnd}, towards ssthresh ({ssthresh})."
        ),
        Change::Recovered {
            ssthresh,
            clock: false,
            ..
        } => format!(
            "recovery is over: an ACK covered everything that was in flight when the \
             loss was found. The window starts again from ssthresh, {ssthresh} (RFC 6937 \
             §3), and grows from here by congestion avoidance."
        ),
        Change::Recovered { ssthresh, .. } => format!(
            "recovery is over: an ACK covered everything that was in flight when the \
             loss was found. The window started again from ssthresh, {ssthresh} (RFC \
             6937 §3), and grows from here on CUBIC's curve, by the kernel's clock (◷)."
        ),
        Change::Timeout { cut, cwnd } => format!(
            "retransmission timeout: no ACK came back before {s}'s retransmission timer \
             ran out (RFC 6298 §5), so its kernel takes every segment in flight for lost \
             (the Loss state) and resends the first. {} The window falls to {cwnd}: the \
             loss window of one segment (RFC 5681 §3.1). It grows again by slow start, \
             and the segments taken for lost go out again as it grows.",
            cut_sentence(cut, info)
        ),
        Change::StillLost {
            to,
            ssthresh,
            unacked: 0,
            ..
        } => format!(
            "every segment taken for lost has been resent and acknowledged, yet the \
             kernel still says Loss: without SACK, Linux leaves it only when an ACK \
             covers data sent after the timeout, so that duplicate ACKs of segments \
             sent before it cannot set off a fast retransmission (RFC 6582 §4). cwnd \
             {to}, ssthresh {ssthresh}."
        ),
        Change::StillLost {
            from, to, ssthresh, ..
        } if from >= ssthresh && from == to => format!(
            "still in the Loss state, but the window has reached ssthresh ({ssthresh}): \
             it grows by congestion avoidance now, and stays at {to} until a whole \
             window of segments has been acknowledged (RFC 5681 §3.1)."
        ),
        Change::StillLost {
            from, to, ssthresh, ..
        } if from >= ssthresh => format!(
            "still in the Loss state, but the window has reached ssthresh ({ssthresh}): \
             it grows by congestion avoidance now, {from} → {to} (RFC 5681 §3.1)."
        ),
        Change::StillLost {
            from, to, ssthresh, ..
        } => format!(
            "still in the Loss state: each resent segment acknowledged added one segment \
             to the window, {from} → {to}, slow start again (RFC 5681 §3.1) up to \
             ssthresh, {ssthresh}; the segments taken for lost go out as it grows."
        ),
        Change::LossRecovered { cwnd, ssthresh } if cwnd < ssthresh => format!(
            "every segment sent before the timeout has been acknowledged: the Loss state \
             ends. The window, {cwnd}, is still below ssthresh ({ssthresh}): slow start \
             goes on."
        ),
        Change::LossRecovered { ssthresh, .. } => format!(
            "every segment sent before the timeout has been acknowledged: the Loss state \
             ends. The window has reached ssthresh ({ssthresh}): congestion avoidance \
             from here."
        ),
        Change::SlowStartEnded { ssthresh, .. } => format!(
            "slow start ended without a loss: CUBIC's HyStart, a Linux addition (RFC 9438 \
             §4.10 allows it), saw the round trip grow, a sign of a queue filling, and \
             set ssthresh to the window, {ssthresh}."
        ),
        Change::Undone {
            cwnd,
            ssthresh: None,
        } => format!(
            "the cut is undone: {s}'s kernel found that the segment it resent had not \
             been lost after all (the first copy's ACK came: the timestamps or a D-SACK \
             said so, RFC 3522 and RFC 3708), so it put the window back, {cwnd}, with \
             ssthresh unset again."
        ),
        Change::Undone {
            cwnd,
            ssthresh: Some(ssthresh),
        } => format!(
            "the cut is undone: {s}'s kernel found that the segment it resent had not \
             been lost after all (the first copy's ACK came: the timestamps or a D-SACK \
             said so, RFC 3522 and RFC 3708), so it put the window back, {cwnd}, and \
             ssthresh, {ssthresh}."
        ),
        Change::Unexplained { algorithm } => format!(
            "{algorithm} sets its window by rules of its own, not RFC 5681's: socklab \
             shows its numbers, and explains only Reno and CUBIC (choose one with \
             setsockopt TCP_CONGESTION)."
        ),
        Change::Reduced { cwnd, .. } => format!(
            "CWR: the window is reduced to {cwnd} without a loss: an ECN congestion \
             signal (RFC 3168) or the host's own full queue."
        ),
    }
}

/// The short form of a congestion reading's sentence, for a change the
/// learner has read in full already (`None`: it has no short form).
pub fn short_congestion_sentence(change: &Change) -> Option<String> {
    Some(match change {
        Change::SlowStart {
            from,
            to,
            delivered,
            reached: false,
        } if to - from == *delivered => {
            format!("slow start: {from} → {to}, one segment for each of {delivered} acknowledged.")
        }
        Change::Avoidance {
            from,
            to,
            delivered,
            clock: false,
        } => format!("congestion avoidance: {from} → {to} after {delivered} acknowledged."),
        Change::Avoidance { clock: true, .. } => {
            "congestion avoidance on CUBIC's curve, by the kernel's clock (◷).".to_string()
        }
        Change::Unexplained { algorithm } => {
            format!("{algorithm}: its numbers only; socklab explains Reno and CUBIC.")
        }
        Change::StillRecovering { cwnd, unacked, .. } if *unacked > 0 => {
            format!("still in recovery: cwnd {cwnd}.")
        }
        Change::StillLost {
            from,
            to,
            ssthresh,
            unacked,
        } if *unacked > 0 && from < ssthresh => {
            format!("still in the Loss state, slow start again: {from} → {to}.")
        }
        _ => return None,
    })
}

/// The algorithm's rule for ssthresh after a loss, with its numbers.
fn cut_sentence(cut: &Cut, info: &TcpInfo) -> String {
    let (before, flight) = (cut.cwnd_before, cut.flight_before);
    match (cut.rule, cut.expected) {
        (Some(CutRule::Half), Some(expected)) if flight == before => format!(
            "Reno halves the window: ssthresh = max(cwnd / 2, 2) = max({before} / 2, 2) = \
             {expected}. RFC 5681's equation 4 says max(FlightSize / 2, 2), the same here: \
             the whole window, {flight} segments, was in flight."
        ),
        (Some(CutRule::Half), Some(expected)) => format!(
            "Reno halves the window: ssthresh = max(cwnd / 2, 2) = max({before} / 2, 2) = \
             {expected}. RFC 5681's equation 4 says max(FlightSize / 2, 2), which for the \
             {flight} segments in flight at the last reading gives {}.",
            cut.rfc5681
        ),
        (Some(CutRule::CubicBeta), Some(expected)) => format!(
            "CUBIC keeps 70% of the window where Reno keeps half: ssthresh = cwnd × \
             β_cubic = {before} × 717 / 1024 = {expected} (RFC 9438 §4.6, β_cubic = 0.7)."
        ),
        _ => format!("{} set ssthresh to {}.", info.algorithm, cut.ssthresh),
    }
}

/// Whether the kernel's numbers fit the rule the reading names, as a
/// sentence: none where there is no rule to check them with.
pub fn congestion_check(change: &Change) -> Option<String> {
    let fits = change.fits()?;
    Some(match (change, fits) {
        (Change::Recovery { cut, .. }, true) => format!(
            "✓ the kernel's ssthresh is {}, as the rule gives.",
            cut.ssthresh
        ),
        (Change::Timeout { cut, cwnd }, true) => format!(
            "✓ the kernel's ssthresh is {} and its cwnd {cwnd}, as the rules give.",
            cut.ssthresh
        ),
        (Change::Timeout { cwnd, cut }, false) if cut.agrees() == Some(true) => {
            format!("≠ the kernel's cwnd is {cwnd}, not the loss window of one segment.")
        }
        (Change::Recovery { cut, .. } | Change::Timeout { cut, .. }, false) => format!(
            "≠ the kernel's ssthresh is {}, where the rule gives {} for the window of the \
             last reading, {}: the window moved between the reading and the loss.",
            cut.ssthresh,
            cut.expected.unwrap_or(0),
            cut.cwnd_before
        ),
        (_, true) => "✓ the kernel's numbers fit that rule.".to_string(),
        (_, false) => "≠ the kernel's numbers do not fit that rule.".to_string(),
    })
}

/// An IP protocol number's name (IANA "Assigned Internet Protocol Numbers").
fn protocol_name(protocol: u8) -> String {
    match protocol {
        1 => "ICMP".to_string(),
        6 => "TCP".to_string(),
        17 => "UDP".to_string(),
        58 => "ICMPv6".to_string(),
        n => format!("protocol {n}"),
    }
}

/// What an ICMP message tells the learner (RFC 792, RFC 4443).
fn icmp_sentence(icmp: &crate::packet::Icmp, s: &str, r: &str) -> String {
    use crate::packet::{Icmp, IcmpKind};
    match icmp.kind {
        IcmpKind::EchoRequest { .. } => format!(
            "ping: {s} asks {r} to echo this message back (an ICMP echo request, \
             RFC 792). No port and no socket of {r}'s is involved: {r}'s kernel \
             answers by itself."
        ),
        IcmpKind::EchoReply { .. } => format!(
            "pong: {s}'s kernel echoes the ping back; the id and seq match the \
             request's, which is how ping pairs them and measures the round trip."
        ),
        IcmpKind::Unreachable { code } => format!(
            "ICMP destination unreachable ({}): {s} reports that a packet {r} \
             sent could not be delivered. The message quotes the start of that \
             packet, so {r}'s kernel can tell the socket (connect() and send() \
             then fail, RFC 1122 §4.2.3.9).",
            Icmp::unreachable_reason(icmp.v6, code)
        ),
        IcmpKind::TimeExceeded { code: 1 } => format!(
            "ICMP time exceeded: {s} gave up reassembling a fragmented datagram \
             from {r}: a piece never came (RFC 792)."
        ),
        IcmpKind::TimeExceeded { .. } => format!(
            "ICMP time exceeded: a packet from {r} ran out of hops (its TTL or \
             hop limit reached 0) at {s}, which dropped it and says so. \
             traceroute sends packets with TTL 1, 2, 3… to hear from each router \
             on the way."
        ),
        IcmpKind::PacketTooBig { mtu } => format!(
            "ICMPv6 packet too big: a packet from {r} did not fit the next link \
             (MTU {mtu} bytes) at {s}. IPv6 routers never cut packets: the \
             sender must send smaller ones (path MTU discovery, RFC 8201)."
        ),
        IcmpKind::Other { kind, code } => format!(
            "an {} message of type {kind}, code {code}: a control message of the \
             IP layer, not data of any socket.",
            if icmp.v6 { "ICMPv6" } else { "ICMP" }
        ),
    }
}

/// The short form of the notes whose full sentence is long.
fn short_sentence(note: &Note, s: &str, r: &str) -> Option<String> {
    Some(match note {
        Note::HandshakeSyn { .. } => format!("handshake ①: {s} asks {r} to open a connection."),
        Note::HandshakeSynAck { .. } => format!("handshake ②: {s} agrees: SYN+ACK."),
        Note::HandshakeAck => format!("handshake ③: {s} acknowledges; the connection is open."),
        Note::FinFirst => format!("close ①: {s} sends FIN: no more data from {s}."),
        Note::FinAcked => format!("close ②: {s} acknowledges the FIN."),
        Note::FinAckMerged => {
            format!("close ②+③ in one segment: {s} acknowledges {r}'s FIN and sends its own.")
        }
        Note::LastAck => format!("close ④: {s} acknowledges the last FIN and waits in TIME-WAIT."),
        Note::Refused => "RST: nothing listens on this port; connection refused.".to_string(),
        Note::PortUnreachable => "ICMP: no socket on that port.".to_string(),
        Note::Data { first, last, .. } => format!("{s} sends bytes {first}–{last}."),
        Note::Ack { next } => format!("{s}: everything before byte {next} has arrived."),
        Note::ZeroWindow => format!("win=0: {s}'s buffer is full."),
        Note::Probe => format!("probe: {s} asks for {r}'s window again."),
        Note::DuplicateAck {
            count,
            after_copy: true,
            ..
        } => format!("duplicate ACK #{count}: {s} answers a copy; nothing is missing."),
        Note::DuplicateAck { count, next, .. } => {
            format!("duplicate ACK #{count}: {s} still waits for byte {next}.")
        }
        Note::ArpRequest { .. } => format!("ARP: {s} asks for {r}'s MAC address."),
        Note::ArpReply { .. } => format!("ARP reply: {s} gives its MAC address."),
        Note::NeighbourSolicitation => {
            format!("neighbour solicitation: {s} asks for {r}'s MAC address.")
        }
        Note::NeighbourAdvertisement { .. } => {
            format!("neighbour advertisement: {s} gives its MAC address.")
        }
        Note::Datagram { len, first: true } => {
            format!("one UDP datagram, {len} bytes of data.")
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined((tail, inner, head): (String, String, String)) -> String {
        format!("{tail}{inner}{head}")
    }

    #[test]
    fn lost_arrows_stop_short_of_the_receiver_at_the_same_width() {
        for (label, rightwards) in [
            ("UDP len=1", true),
            ("UDP len=1", false),
            ("PSH,ACK seq=6 ack=1 len=6 win=64512", true),
            ("PSH,ACK seq=6 ack=1 len=6 win=64512", false),
        ] {
            let whole = joined(arrow(label, rightwards));
            let cut = joined(lost(arrow(label, rightwards), rightwards));
            assert_eq!(
                textwrap::core::display_width(&cut),
                textwrap::core::display_width(&whole)
            );
            assert_eq!(cut.matches('✗').count(), 1, "{cut:?}");
            if label.len() > 20 {
                // A long label leaves less room: the ✗ comes right after it.
                continue;
            }
            // The ✗ is where the frame died: LOST_GAP short of the receiver.
            let ends = if rightwards {
                cut.ends_with(&format!("✗{}", " ".repeat(LOST_GAP)))
            } else {
                cut.starts_with(&format!("{}✗─", " ".repeat(LOST_GAP)))
            };
            assert!(ends, "{cut:?}");
        }
    }

    #[test]
    fn times_keep_the_column_width() {
        let ms = Duration::from_millis;
        for (time, text) in [
            (Duration::ZERO, "   0.000"),
            (Duration::from_micros(21), "   0.021"),
            (ms(9_999), "9999.000"),
            (ms(30_490), "  30.5 s"),
            (ms(999_000), " 999.0 s"),
            (ms(3_600_000), "  3600 s"),
            (Duration::from_secs(2_000_000), "  > 11 d"),
        ] {
            assert_eq!(time_text(time), text);
            assert_eq!(time_text(time).chars().count(), TIME);
        }
    }

    #[test]
    fn arrows_have_the_same_width_both_ways() {
        let right = joined(arrow("SYN seq=0 len=0 win=65495", true));
        let left = joined(arrow("SYN seq=0 len=0 win=65495", false));
        assert_eq!(
            textwrap::core::display_width(&right),
            textwrap::core::display_width(&left)
        );
        assert_eq!(textwrap::core::display_width(&right), ARROW);
        assert!(right.ends_with('▶') && left.starts_with('◀'));
    }

    #[test]
    fn handshake_labels_fit_the_column() {
        for label in [
            "SYN,ACK seq=0 ack=1 len=0 win=65483",
            "PSH,ACK seq=1 ack=1 len=5 win=65536",
        ] {
            for rightwards in [true, false] {
                let text = joined(arrow(label, rightwards));
                assert_eq!(textwrap::core::display_width(&text), ARROW, "{text}");
            }
        }
    }

    #[test]
    fn long_labels_stretch_the_arrow() {
        let label = "PSH,ACK seq=4294967295 ack=4294967295 len=65483 win=6291456";
        assert!(joined(arrow(label, true)).contains(label));
    }

    #[test]
    fn painted_arrow_is_the_plain_arrow_when_colour_is_off() {
        let plain = Painter::new(false);
        let label = "FIN,ACK seq=6 ack=7 len=0 win=65536";
        assert_eq!(
            paint_arrow(&plain, label, false, false, Style::new()),
            joined(arrow(label, false))
        );
    }
}
