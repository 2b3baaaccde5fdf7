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

use super::{Painter, styles, wrap};
use crate::kernel::TcpInfo;
use crate::packet::Fate;
use crate::packet::{TcpOption, Transport};
use crate::t;
use crate::track::congestion::{Change, Cut, CutRule};
use crate::track::{Note, Row, TcpState};

/// Width of the time column.
const TIME: usize = 8;
/// Width of a state column ("SYN-RECEIVED").
const STATE: usize = 12;
/// Where the arrow starts, and the notes under it.
const ARROW_COL: usize = TIME + 2 + STATE + 1;
/// Where an arrow's label starts ("── " or "◀─ " before it), and the
/// part of a label folded under its arrow.
const LABEL_COL: usize = ARROW_COL + 3;
/// Columns a row has besides its arrow: time, gap, state, the spaces
/// around the arrow, state.
const AROUND_ARROW: usize = ARROW_COL + 1 + STATE;
/// Columns the ladder leaves free at the right of the page: at 80
/// columns the arrow is 42 wide and a row 78, the classic layout.
const SPARE: usize = 2;
/// The widest ladder: on a wider page the prose gets the room, and the
/// eye does not travel further between the two ends of a conversation.
const WIDEST: usize = 100;
/// The narrowest arrow, for pages narrower than socklab allows (60).
const NARROWEST_ARROW: usize = 16;

/// The ladder's columns on a page: the arrow takes what the time and the
/// two state columns leave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Layout {
    /// The page's width, which notes wrap to.
    page: usize,
    /// The arrow's width.
    arrow: usize,
}

impl Layout {
    fn new(page: usize) -> Layout {
        let ladder = page.min(WIDEST);
        Layout {
            page,
            arrow: ladder
                .saturating_sub(AROUND_ARROW + SPARE)
                .max(NARROWEST_ARROW),
        }
    }

    fn of(p: &Painter) -> Layout {
        Layout::new(p.width())
    }

    /// Where the right-hand column (its state, actor and address) starts.
    fn right_col(&self) -> usize {
        ARROW_COL + self.arrow + 1
    }

    /// The right edge of the ladder: its rows and column titles end
    /// there or before (a row's state column leaves `SPARE` free).
    fn edge(&self) -> usize {
        self.right_col() + STATE + SPARE
    }
}

/// Where the notes under an arrow start.
pub const NOTE_INDENT: usize = ARROW_COL;

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
    let w = display_width(text);
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
/// A right-hand text wider than its column ends at the ladder's edge
/// instead (`127.255.255.255:7788`), or, when that would run into the
/// left-hand one, on a line of its own.
pub fn header(
    p: &Painter,
    cols: &Columns,
    left_state: Option<TcpState>,
    right_state: Option<TcpState>,
) -> Vec<String> {
    let layout = Layout::of(p);
    let right_col = layout.right_col();
    let line = |gutter: &str, left: &str, right: &str, styles: (Style, Style)| {
        let gutter = p.paint(&format!("{gutter:>TIME$}  "), styles::aside());
        let left_end = TIME + 2 + display_width(left);
        let right_width = display_width(right);
        let start = if right_col + right_width <= layout.edge() {
            right_col
        } else {
            layout.edge().saturating_sub(right_width)
        };
        if right.is_empty() || start >= left_end + 2 {
            let mut text = gutter;
            text.push_str(&p.paint(&pad(left, start - TIME - 2), styles.0));
            text.push_str(&p.paint(right, styles.1));
            vec![text.trim_end().to_string()]
        } else {
            vec![
                format!("{gutter}{}", p.paint(left, styles.0)),
                format!("{}{}", " ".repeat(start), p.paint(right, styles.1)),
            ]
        }
    };
    let l = styles::actor(cols.left.actor_index);
    let r = styles::actor(cols.right.actor_index);
    let mut lines = line(
        &t!("ladder-time-unit"),
        &cols.left.actor,
        &cols.right.actor,
        (l.bold(), r.bold()),
    );
    lines.extend(line(
        "",
        &address(cols.left.addr),
        &address(cols.right.addr),
        (l, r),
    ));
    if left_state.is_some() || right_state.is_some() {
        lines.extend(line(
            "",
            &state_text(left_state),
            &state_text(right_state),
            (styles::state(), styles::state()),
        ));
    }
    lines
}

fn display_width(text: &str) -> usize {
    textwrap::core::display_width(text)
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
        // The tracker explains every TCP segment it sees; only a damaged
        // recording can bring one without its numbers: say what is known.
        (Transport::Tcp(seg), None) => format!("TCP {} len={}", seg.flags, seg.payload_len),
    }
}

/// A MAC address as `ip link` writes it.
pub fn mac_text(mac: &[u8; 6]) -> String {
    mac.iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// An arrow `width` wide with the label in it (wider if the label needs
/// it), as (tail, label with spaces, head).
fn arrow(label: &str, rightwards: bool, width: usize) -> (String, String, String) {
    let inner = format!(" {label} ");
    let inner_width = display_width(&inner);
    // Two characters before the label both ways ("──" or "◀─"), so that the
    // common labels (up to "SYN,ACK seq=0 ack=1 len=0 win=65483") fit in
    // 80 columns; after it at least "──▶" or "──", but "─▶" for a label
    // one column longer (as one leftwards has room for).
    if rightwards {
        let after = width.saturating_sub(inner_width + 3).max(1);
        ("──".to_string(), inner, format!("{}▶", "─".repeat(after)))
    } else {
        let after = width.saturating_sub(inner_width + 2).max(2);
        ("◀─".to_string(), inner, "─".repeat(after))
    }
}

/// The widest label an arrow `width` wide holds, either way: its tail,
/// a space each side and the shortest head ("─▶", or "──" at the tail's
/// end) take the rest.
fn label_room(width: usize) -> usize {
    width.saturating_sub(6)
}

/// A label as drawn: the part that fits in its arrow, and the rest folded
/// under it at `LABEL_COL`, to the edge of the page, so that no row is
/// wider than the page and the state columns stay where they are. It
/// folds between words (flags and numbers stay whole: `seq=5793`), so
/// the flags, first, stay on the arrow. A word a little too wide for the
/// arrow (a MAC address at 60 columns) stretches it into the `SPARE`
/// columns; only a word wider still is broken.
fn fold_label(label: &str, on_arrow: usize, below: usize) -> (String, Vec<String>) {
    let first = first_line(label, on_arrow, SPARE);
    let mut folded = Vec::new();
    let mut left = label[first.len()..].trim_start();
    while !left.is_empty() {
        let line = first_line(left, below, 0);
        left = left[line.len()..].trim_start();
        folded.push(line.to_string());
    }
    (first.to_string(), folded)
}

/// The first line `text` wraps to at `width`, as a prefix of `text`:
/// broken where [`super::wrap`] breaks lines, and inside a word only when
/// the word is wider than `width + slack`.
fn first_line(text: &str, width: usize, slack: usize) -> &str {
    let first = |break_words: bool| {
        let options = textwrap::Options::new(width.max(1))
            .word_separator(textwrap::WordSeparator::Custom(super::words))
            .word_splitter(textwrap::WordSplitter::NoHyphenation)
            .break_words(break_words);
        // Without an indent, textwrap's lines are slices of the text: the
        // first one is a prefix, less its trailing spaces.
        let len = super::with_room(width, &[], || {
            textwrap::wrap(text, options)
                .into_iter()
                .next()
                .map_or(0, |line| line.len())
        });
        // Some progress always: at least the first character.
        let len = match len {
            0 => text.chars().next().map_or(0, char::len_utf8),
            len => len.min(text.len()),
        };
        &text[..len]
    };
    let whole_words = first(false);
    if display_width(whole_words) <= width + slack {
        whole_words
    } else {
        first(true)
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

/// A packet's arrow, its label folded to fit: the arrow line (`width`
/// wide) and the label's folded rest, each in the sender's colour, the
/// flags stressed: SYN green, FIN yellow, RST red, so that a projected
/// ladder reads at a glance. A lost frame's arrow ends in a red ✗.
fn paint_arrow(
    p: &Painter,
    label: &str,
    rightwards: bool,
    dropped: bool,
    actor: Style,
) -> (String, Vec<String>) {
    let layout = Layout::of(p);
    let (on_arrow, folded) = fold_label(
        label,
        label_room(layout.arrow),
        layout.page.saturating_sub(LABEL_COL),
    );
    let mut parts = arrow(&on_arrow, rightwards, layout.arrow);
    if dropped {
        parts = lost(parts, rightwards);
    }
    let (tail, inner, head) = parts;
    let paint_end = |end: &str| match end.split_once('✗') {
        Some((before, after)) => format!(
            "{}{}{}",
            p.paint(before, actor),
            p.paint("✗", styles::error()),
            p.paint(after, actor)
        ),
        None => p.paint(end, actor),
    };
    let (flags, rest) = inner[1..].split_once(' ').unwrap_or((&inner[1..], ""));
    let flag_style = if flags.contains("RST") {
        styles::rst()
    } else if flags.contains("SYN") {
        styles::syn()
    } else if flags.contains("FIN") {
        styles::fin()
    } else {
        Style::new().bold()
    };
    let line = format!(
        "{} {} {}{}",
        paint_end(&tail),
        p.paint(flags, flag_style),
        p.paint(rest, actor),
        paint_end(&head)
    );
    let folded = folded
        .iter()
        .map(|l| format!("{}{}", " ".repeat(LABEL_COL), p.paint(l, actor)))
        .collect();
    (line, folded)
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
        Fate::Dropped if tcp => t!("fate-dropped-tcp", s = s, r = r),
        Fate::Dropped => t!("fate-dropped-udp", r = r),
        Fate::Duplicate if tcp => t!("fate-duplicate-tcp", s = s, r = r),
        Fate::Duplicate => t!("fate-duplicate", r = r),
        Fate::Delayed(by) if resend => {
            t!("fate-delayed-first", s = s, ms = by.as_millis() as u64)
        }
        Fate::Delayed(by) => t!("fate-delayed", ms = by.as_millis() as u64),
        Fate::Reordered => t!("fate-reordered", s = s, r = r),
        Fate::Corrupted => t!("fate-corrupted", r = r),
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
    let (arrow_text, folded) = paint_arrow(
        p,
        &label(row),
        rightwards,
        fate == Fate::Dropped,
        styles::actor(sender.actor_index),
    );
    let mut lines = vec![
        format!(
            "{}  {} {} {}",
            p.paint(&time, styles::aside()),
            p.paint(&pad(&state_text(left_state), STATE), styles::state()),
            arrow_text,
            p.paint(&state_text(right_state), styles::state()),
        )
        .trim_end()
        .to_string(),
    ];
    lines.extend(folded);
    let (indent, width) = (" ".repeat(ARROW_COL), p.width());
    let resend = row.notes.iter().any(is_retransmission);
    let tcp = row.tcp.is_some();
    if let Some(text) = fate_sentence(fate, &sender.actor, &receiver.actor, tcp, resend) {
        lines.extend(
            wrap(&text, &indent, width)
                .into_iter()
                .map(|l| p.paint(&l, styles::error())),
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
            wrap(&text, &indent, width)
                .into_iter()
                .map(|l| p.paint(&l, styles::note())),
        );
        // Each line of numbers wrapped on its own, so that one never
        // changes how another is wrapped.
        for line in detail(note).iter().flat_map(|d| d.lines()) {
            lines.extend(
                wrap(line, &indent, width)
                    .into_iter()
                    .map(|l| p.paint(&l, styles::aside())),
            );
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
    let mut arrows = Vec::new();
    let mut sentences = Vec::new();
    // The side that sent data comes first, then the side that
    // acknowledged it; when both or neither did, the left side. Not the
    // side of the run's first packet: where a run starts, a data segment
    // and an ACK cross on the wire in either order from run to run, and
    // the row would change with it.
    let mut sides = [(&cols.left, &run.left), (&cols.right, &run.right)];
    if run.left.segments == 0 && run.right.segments > 0 {
        sides.swap(0, 1);
    }
    for (side, tally) in sides {
        if tally.segments + tally.acks == 0 {
            continue;
        }
        let rightwards = side.addr == cols.left.addr;
        let mut label = Vec::new();
        if tally.segments > 0 {
            let mut text = t!(
                "summary-segments",
                count = tally.segments,
                bytes = tally.bytes
            );
            // Counted when watch or replay folds a long run's losses into it,
            // or a lesson the losses after the first few.
            if tally.resent > 0 {
                text.push_str(&t!("summary-resent", count = tally.resent));
            }
            if tally.lost > 0 {
                text.push_str(&t!("summary-lost", count = tally.lost));
            }
            label.push(text);
            let mut sentence = t!(
                "summary-sent",
                side = side.actor.as_str(),
                first = tally.first.unwrap_or(0),
                last = tally.last,
                count = tally.segments,
                largest = tally.largest,
                resent = tally.resent
            );
            if tally.lost > 0 {
                sentence.push_str(&t!(
                    "summary-sent-lost",
                    lost = tally.lost,
                    all = u64::from(tally.lost == tally.segments)
                ));
            }
            if tally.reordered > 0 {
                sentence.push_str(&t!(
                    "summary-sent-reordered",
                    count = tally.reordered,
                    all = u64::from(tally.reordered == tally.segments)
                ));
            }
            sentences.push(sentence);
        }
        if tally.acks > 0 {
            let mut text = t!("summary-acks", count = tally.acks);
            let duplicates = tally.duplicates + tally.for_copies;
            if duplicates > 0 {
                text.push_str(&t!("summary-dup", count = duplicates));
            }
            label.push(text);
            sentences.push(t!(
                "summary-acked",
                side = side.actor.as_str(),
                count = tally.acks,
                dup = tally.duplicates,
                copies = tally.for_copies,
                ack = tally.last_ack.unwrap_or(0)
            ));
        }
        arrows.push(summary_arrow(
            p,
            &label.join(", "),
            rightwards,
            side.actor_index,
        ));
    }
    // The states after the last packet, on the last arrow.
    let states = last.tcp.as_ref().map(|tcp| {
        if last.packet.src == cols.left.addr {
            (tcp.sender.after, tcp.receiver.after)
        } else {
            (tcp.receiver.after, tcp.sender.after)
        }
    });
    let count = arrows.len();
    for (i, (arrow_text, folded)) in arrows.into_iter().enumerate() {
        lines.push(match states {
            Some((left, right)) if i + 1 == count => format!(
                "{}  {} {arrow_text} {}",
                p.paint(&time, styles::aside()),
                p.paint(&pad(&left.to_string(), STATE), styles::state()),
                p.paint(&right.to_string(), styles::state())
            ),
            _ => format!("{}  {} {arrow_text}", " ".repeat(TIME), " ".repeat(STATE)),
        });
        lines.extend(folded);
    }
    let text = t!(
        "summary-text",
        count = run.count,
        sentences = super::join_sentences(&sentences)
    );
    let indent = " ".repeat(ARROW_COL);
    lines.extend(
        wrap(&text, &indent, p.width())
            .into_iter()
            .map(|l| p.paint(&l, styles::note())),
    );
    // On a line of its own, like the ISNs: its varying width never changes
    // how the sentence above is wrapped.
    let span = last.packet.at.saturating_sub(run.first.packet.at);
    let span = t!(
        "summary-span",
        ms = format!("{:.3}", span.as_secs_f64() * 1000.0)
    );
    lines.extend(
        wrap(&span, &indent, p.width())
            .into_iter()
            .map(|l| p.paint(&l, styles::aside())),
    );
    lines
}

/// A summary row's arrow, doubled (═══▶) and in one colour: it stands for
/// many packets, none of them with flags worth stressing. Its label folds
/// as a packet's does.
fn summary_arrow(
    p: &Painter,
    label: &str,
    rightwards: bool,
    actor_index: usize,
) -> (String, Vec<String>) {
    let layout = Layout::of(p);
    let actor = styles::actor(actor_index);
    let (on_arrow, folded) = fold_label(
        label,
        label_room(layout.arrow),
        layout.page.saturating_sub(LABEL_COL),
    );
    let (tail, inner, head) = arrow(&on_arrow, rightwards, layout.arrow);
    let double = |s: String| s.replace('─', "═");
    let line = p.paint(&format!("{}{inner}{}", double(tail), double(head)), actor);
    let folded = folded
        .iter()
        .map(|l| format!("{}{}", " ".repeat(LABEL_COL), p.paint(l, actor)))
        .collect();
    (line, folded)
}

/// "1 ACK", "3 ACKs".
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
            let mut text = t!("detail-isn", isn = *isn);
            if !shown.is_empty() {
                text.push('\n');
                text.push_str(&t!("detail-options", options = shown.join(", ")));
            }
            Some(text)
        }
        _ => None,
    }
}

/// The last byte of a range of `len` bytes from `first`.
fn last(first: u32, len: u32) -> u32 {
    first.wrapping_add(len.saturating_sub(1))
}

/// What a retransmission sends again, in words.
fn what_again(first: u32, len: u32, fin: bool) -> String {
    match (len, fin) {
        (0, true) => t!("what-fin"),
        (_, true) => t!("what-bytes-and-fin", first = first, last = last(first, len)),
        _ => t!("what-bytes", first = first, last = last(first, len)),
    }
}

/// The sentence under an arrow. `s` sent the packet, `r` receives it.
/// `brief`: the learner has read the full sentence already in this run.
pub fn sentence(note: &Note, s: &str, r: &str, brief: bool) -> String {
    if brief && let Some(short) = short_sentence(note, s, r) {
        return short;
    }
    match note {
        Note::HandshakeSyn { .. } => t!("note-handshake-syn", s = s, r = r),
        Note::HandshakeSynAck { .. } => t!("note-handshake-syn-ack", s = s),
        Note::HandshakeAck => t!("note-handshake-ack", s = s, r = r),
        Note::Data { len, first, last } => {
            t!("note-data", s = s, len = *len, first = *first, last = *last)
        }
        Note::Ack { next } => t!("note-ack", s = s, next = *next),
        Note::FinFirst => t!("note-close-fin", s = s, r = r),
        Note::FinAcked => t!("note-close-fin-acked", s = s),
        Note::FinSecond => t!("note-close-second-fin", s = s),
        Note::FinAckMerged => t!("note-close-fin-ack-merged", s = s, r = r),
        Note::LastAck => t!("note-close-last-ack", s = s, r = r),
        Note::Reset => t!("note-reset", s = s),
        Note::ZeroWindow => t!("note-zero-window", s = s, r = r),
        Note::WindowUpdate {
            window,
            reopened: true,
        } => t!("note-window-reopened", s = s, r = r, window = *window),
        Note::WindowUpdate { window, .. } => {
            t!("note-window-update", s = s, r = r, window = *window)
        }
        Note::Probe => t!("note-probe", s = s, r = r),
        Note::Retransmission { syn: true, .. } => t!("note-retransmission-syn", s = s, r = r),
        Note::Retransmission {
            first, len, fin, ..
        } => t!(
            "note-retransmission",
            s = s,
            r = r,
            what = what_again(*first, *len, *fin)
        ),
        Note::FastRetransmission { first, len } => t!(
            "note-fast-retransmission",
            s = s,
            first = *first,
            last = last(*first, *len)
        ),
        Note::SpuriousRetransmission { first, len } => t!(
            "note-spurious-retransmission",
            s = s,
            r = r,
            first = *first,
            last = last(*first, *len)
        ),
        Note::OutOfOrder { first, len } => t!(
            "note-out-of-order",
            s = s,
            r = r,
            first = *first,
            last = last(*first, *len)
        ),
        Note::DuplicateAck {
            count,
            next,
            after_copy,
        } => duplicate_ack_sentence(*count, *next, *after_copy, s, r),
        Note::ChallengeAck => t!("note-challenge-ack", s = s),
        Note::Sack { blocks } => t!("note-sack", s = s, r = r, ranges = sack_ranges(blocks)),
        Note::DuplicateSack { first, after } => t!(
            "note-dsack",
            s = s,
            r = r,
            first = *first,
            last = after.wrapping_sub(1)
        ),
        Note::ArpRequest { .. } => t!("note-arp-request", s = s, r = r),
        Note::ArpReply { .. } => t!("note-arp-reply", s = s, r = r),
        Note::NeighbourSolicitation => t!("note-neighbour-solicitation", s = s, r = r),
        Note::NeighbourAdvertisement { .. } => t!("note-neighbour-advertisement", s = s, r = r),
        Note::Refused => t!("note-refused", s = s, r = r),
        Note::PortUnreachable => t!("note-port-unreachable", s = s),
        Note::Datagram { len, first: true } => t!("note-datagram-first", len = *len),
        Note::Datagram { len, .. } => t!("note-datagram", len = *len),
        Note::Broadcast { port } => t!("note-broadcast", port = *port),
        Note::Multicast {
            group,
            port,
            all_nodes: true,
        } => t!(
            "note-multicast-all",
            group = group.to_string(),
            port = *port
        ),
        Note::Multicast { group, port, .. } => {
            t!("note-multicast", group = group.to_string(), port = *port)
        }
        Note::Icmp(icmp) => icmp_sentence(icmp, s, r),
        Note::KeepAlive => t!("note-keep-alive", s = s, r = r),
        Note::KeepAliveAck => t!("note-keep-alive-ack", s = s),
        Note::ZeroWindowProbe => t!("note-zero-window-probe", s = s, r = r),
        Note::ZeroWindowProbeAck => t!("note-zero-window-probe-ack", s = s),
        Note::WindowFull => t!("note-window-full", s = s, r = r),
        Note::PortsReused => t!("note-ports-reused"),
        Note::PreviousSegmentNotCaptured => t!("note-previous-segment-not-captured", s = s),
        Note::AckedUnseenSegment => t!("note-acked-unseen-segment", s = s, r = r),
        Note::Fragment {
            protocol,
            offset,
            len,
            more,
        } => fragment_sentence(*protocol, *offset, *len, *more, r),
    }
}

/// The sentence under the `count`th duplicate ACK asking for `next`;
/// `after_copy`: it answers a copy of something its sender had.
fn duplicate_ack_sentence(count: u32, next: u32, after_copy: bool, s: &str, r: &str) -> String {
    if after_copy {
        t!("note-duplicate-ack-copy", s = s, count = count, next = next)
    } else {
        t!(
            "note-duplicate-ack",
            s = s,
            r = r,
            count = count,
            next = next
        )
    }
}

/// The byte ranges SACK blocks hold (`first`, one past the last), as a
/// list: "1–100, 201–300 and 401–500".
fn sack_ranges(blocks: &[(u32, u32)]) -> String {
    let held: Vec<String> = blocks
        .iter()
        .map(|(first, after)| format!("{first}–{}", after.wrapping_sub(1)))
        .collect();
    match held.as_slice() {
        [one] => one.clone(),
        [most @ .., final_one] => t!(
            "ranges-and",
            first = most.join(", "),
            second = final_one.clone()
        ),
        [] => String::new(),
    }
}

/// The sentence under an IP fragment: the bytes of `protocol`'s datagram
/// it carries, and whether more follow.
fn fragment_sentence(protocol: u8, offset: u32, len: u32, more: bool, r: &str) -> String {
    let protocol = protocol_name(protocol);
    let (first, last) = (offset, last(offset, len));
    if more {
        t!(
            "note-fragment-more",
            r = r,
            first = first,
            last = last,
            protocol = protocol
        )
    } else {
        t!(
            "note-fragment-last",
            r = r,
            first = first,
            last = last,
            protocol = protocol
        )
    }
}

/// What a congestion reading means: the rule the sender's kernel followed
/// since the reading before, with the RFC that defines it. `s`: the actor
/// whose kernel was read. Numbers that depend on the kernel's clock (CUBIC
/// in congestion avoidance) are never in these sentences: they are on the
/// reading's own line, marked.
pub fn congestion_sentence(change: &Change, info: &TcpInfo, s: &str) -> String {
    match change {
        Change::First { cwnd } if *cwnd == 10 => {
            t!("congestion-first-initial", s = s, cwnd = *cwnd)
        }
        Change::First { .. } => t!("congestion-first"),
        Change::SlowStart {
            from,
            to,
            delivered,
            reached: true,
        } => t!(
            "congestion-slow-start-reached",
            delivered = *delivered,
            from = *from,
            to = *to
        ),
        Change::SlowStart {
            from,
            to,
            delivered,
            ..
        } if to - from < *delivered => t!(
            "congestion-slow-start-capped",
            delivered = *delivered,
            from = *from,
            to = *to,
            s = s
        ),
        Change::SlowStart {
            from,
            to,
            delivered,
            ..
        } => t!(
            "congestion-slow-start",
            delivered = *delivered,
            from = *from,
            to = *to
        ),
        Change::Avoidance {
            from,
            to,
            delivered,
            clock: false,
        } => t!(
            "congestion-avoidance",
            from = *from,
            to = *to,
            delivered = *delivered
        ),
        Change::Avoidance { clock: true, .. } => t!("congestion-avoidance-cubic", s = s),
        Change::Waiting { cwnd, unacked: 0 } => t!("congestion-waiting-done", cwnd = *cwnd),
        Change::Waiting { cwnd, unacked } => {
            t!("congestion-waiting", cwnd = *cwnd, unacked = *unacked)
        }
        Change::Disorder { cwnd } => t!("congestion-disorder", cwnd = *cwnd),
        Change::Recovery { cut, cwnd } if info.sack => t!(
            "congestion-recovery-sack",
            s = s,
            cut = cut_sentence(cut, info),
            cwnd = *cwnd
        ),
        Change::Recovery { cut, cwnd } => t!(
            "congestion-recovery",
            s = s,
            cut = cut_sentence(cut, info),
            cwnd = *cwnd
        ),
        Change::StillRecovering {
            cwnd,
            ssthresh,
            unacked: 0,
        } => t!(
            "congestion-still-recovering-done",
            cwnd = *cwnd,
            ssthresh = *ssthresh
        ),
        Change::StillRecovering { cwnd, ssthresh, .. } => t!(
            "congestion-still-recovering",
            s = s,
            cwnd = *cwnd,
            ssthresh = *ssthresh
        ),
        Change::Recovered {
            ssthresh,
            clock: false,
            ..
        } => t!("congestion-recovered", ssthresh = *ssthresh),
        Change::Recovered { ssthresh, .. } => {
            t!("congestion-recovered-cubic", ssthresh = *ssthresh)
        }
        Change::Timeout { cut, cwnd } => t!(
            "congestion-timeout",
            s = s,
            cut = cut_sentence(cut, info),
            cwnd = *cwnd
        ),
        Change::StillLost {
            to,
            ssthresh,
            unacked: 0,
            ..
        } => t!("congestion-still-lost-done", to = *to, ssthresh = *ssthresh),
        Change::StillLost {
            from, to, ssthresh, ..
        } if from >= ssthresh && from == to => {
            t!("congestion-still-lost-flat", ssthresh = *ssthresh, to = *to)
        }
        Change::StillLost {
            from, to, ssthresh, ..
        } if from >= ssthresh => t!(
            "congestion-still-lost-avoidance",
            ssthresh = *ssthresh,
            from = *from,
            to = *to
        ),
        Change::StillLost {
            from, to, ssthresh, ..
        } => t!(
            "congestion-still-lost",
            from = *from,
            to = *to,
            ssthresh = *ssthresh
        ),
        Change::LossRecovered { cwnd, ssthresh } if cwnd < ssthresh => t!(
            "congestion-loss-recovered-below",
            cwnd = *cwnd,
            ssthresh = *ssthresh
        ),
        Change::LossRecovered { ssthresh, .. } => {
            t!("congestion-loss-recovered", ssthresh = *ssthresh)
        }
        Change::SlowStartEnded { ssthresh, .. } => {
            t!("congestion-slow-start-ended", ssthresh = *ssthresh)
        }
        Change::Undone {
            cwnd,
            ssthresh: None,
        } => t!("congestion-undone", s = s, cwnd = *cwnd),
        Change::Undone {
            cwnd,
            ssthresh: Some(ssthresh),
        } => t!(
            "congestion-undone-ssthresh",
            s = s,
            cwnd = *cwnd,
            ssthresh = *ssthresh
        ),
        Change::Unexplained { algorithm } => {
            t!("congestion-unexplained", algorithm = algorithm.as_str())
        }
        Change::Reduced { cwnd, .. } => t!("congestion-reduced", cwnd = *cwnd),
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
        } if to - from == *delivered => t!(
            "congestion-short-slow-start",
            from = *from,
            to = *to,
            delivered = *delivered
        ),
        Change::Avoidance {
            from,
            to,
            delivered,
            clock: false,
        } => t!(
            "congestion-short-avoidance",
            from = *from,
            to = *to,
            delivered = *delivered
        ),
        Change::Avoidance { clock: true, .. } => t!("congestion-short-avoidance-cubic"),
        Change::Unexplained { algorithm } => {
            t!(
                "congestion-short-unexplained",
                algorithm = algorithm.as_str()
            )
        }
        Change::StillRecovering { cwnd, unacked, .. } if *unacked > 0 => {
            t!("congestion-short-still-recovering", cwnd = *cwnd)
        }
        Change::StillLost {
            from,
            to,
            ssthresh,
            unacked,
        } if *unacked > 0 && from < ssthresh => {
            t!("congestion-short-still-lost", from = *from, to = *to)
        }
        _ => return None,
    })
}

/// The algorithm's rule for ssthresh after a loss, with its numbers.
fn cut_sentence(cut: &Cut, info: &TcpInfo) -> String {
    let (before, flight) = (cut.cwnd_before, cut.flight_before);
    match (cut.rule, cut.expected) {
        (Some(CutRule::Half), Some(expected)) if flight == before => t!(
            "congestion-cut-half-whole",
            before = before,
            expected = expected,
            flight = flight
        ),
        (Some(CutRule::Half), Some(expected)) => t!(
            "congestion-cut-half",
            before = before,
            expected = expected,
            flight = flight,
            rfc5681 = cut.rfc5681
        ),
        (Some(CutRule::CubicBeta), Some(expected)) => {
            t!("congestion-cut-cubic", before = before, expected = expected)
        }
        _ => t!(
            "congestion-cut-other",
            algorithm = info.algorithm.as_str(),
            ssthresh = cut.ssthresh
        ),
    }
}

/// Whether the kernel's numbers fit the rule the reading names, as a
/// sentence (starting with ✓ or ≠): none where there is no rule to check
/// them with.
pub fn congestion_check(change: &Change) -> Option<String> {
    let fits = change.fits()?;
    Some(match (change, fits) {
        (Change::Recovery { cut, .. }, true) => {
            t!("congestion-check-recovery", ssthresh = cut.ssthresh)
        }
        (Change::Timeout { cut, cwnd }, true) => t!(
            "congestion-check-timeout",
            ssthresh = cut.ssthresh,
            cwnd = *cwnd
        ),
        (Change::Timeout { cwnd, cut }, false) if cut.agrees() == Some(true) => {
            t!("congestion-check-loss-window", cwnd = *cwnd)
        }
        (Change::Recovery { cut, .. } | Change::Timeout { cut, .. }, false) => t!(
            "congestion-check-cut",
            ssthresh = cut.ssthresh,
            expected = cut.expected.unwrap_or(0),
            cwnd = cut.cwnd_before
        ),
        (_, true) => t!("congestion-check-fits"),
        (_, false) => t!("congestion-check-differs"),
    })
}

/// An IP protocol number's name (IANA "Assigned Internet Protocol Numbers").
fn protocol_name(protocol: u8) -> String {
    match protocol {
        1 => "ICMP".to_string(),
        6 => "TCP".to_string(),
        17 => "UDP".to_string(),
        58 => "ICMPv6".to_string(),
        n => t!("protocol-number", n = n),
    }
}

/// What an ICMP message tells the learner (RFC 792, RFC 4443).
fn icmp_sentence(icmp: &crate::packet::Icmp, s: &str, r: &str) -> String {
    use crate::packet::{Icmp, IcmpKind};
    match icmp.kind {
        IcmpKind::EchoRequest { .. } => t!("note-icmp-echo-request", s = s, r = r),
        IcmpKind::EchoReply { .. } => t!("note-icmp-echo-reply", s = s),
        IcmpKind::Unreachable { code } => t!(
            "note-icmp-unreachable",
            s = s,
            r = r,
            reason = Icmp::unreachable_reason(icmp.v6, code)
        ),
        IcmpKind::TimeExceeded { code: 1 } => t!("note-icmp-reassembly", s = s, r = r),
        IcmpKind::TimeExceeded { .. } => t!("note-icmp-time-exceeded", s = s, r = r),
        IcmpKind::PacketTooBig { mtu } => t!("note-icmp-too-big", s = s, r = r, mtu = mtu),
        IcmpKind::Other { kind, code } => t!(
            "note-icmp-other",
            icmp = if icmp.v6 { "ICMPv6" } else { "ICMP" },
            kind = kind,
            code = code
        ),
    }
}

/// The short form of the notes whose full sentence is long.
fn short_sentence(note: &Note, s: &str, r: &str) -> Option<String> {
    Some(match note {
        Note::HandshakeSyn { .. } => t!("brief-handshake-syn", s = s, r = r),
        Note::HandshakeSynAck { .. } => t!("brief-handshake-syn-ack", s = s),
        Note::HandshakeAck => t!("brief-handshake-ack", s = s),
        Note::FinFirst => t!("brief-close-fin", s = s),
        Note::FinAcked => t!("brief-close-fin-acked", s = s),
        Note::FinAckMerged => t!("brief-close-fin-ack-merged", s = s, r = r),
        Note::LastAck => t!("brief-close-last-ack", s = s),
        Note::Refused => t!("brief-refused"),
        Note::PortUnreachable => t!("brief-port-unreachable"),
        Note::Data { first, last, .. } => {
            t!("brief-data", s = s, first = *first, last = *last)
        }
        Note::Ack { next } => t!("brief-ack", s = s, next = *next),
        Note::ZeroWindow => t!("brief-zero-window", s = s),
        Note::Probe => t!("brief-probe", s = s, r = r),
        Note::Retransmission { syn: true, .. } => t!("brief-retransmission-syn", s = s),
        Note::Retransmission {
            first, len, fin, ..
        } => t!(
            "brief-retransmission",
            s = s,
            what = what_again(*first, *len, *fin)
        ),
        Note::DuplicateAck {
            count,
            after_copy: true,
            ..
        } => t!("brief-duplicate-ack-copy", s = s, count = *count),
        Note::DuplicateAck { count, next, .. } => {
            t!("brief-duplicate-ack", s = s, count = *count, next = *next)
        }
        Note::ArpRequest { .. } => t!("brief-arp-request", s = s, r = r),
        Note::ArpReply { .. } => t!("brief-arp-reply", s = s),
        Note::NeighbourSolicitation => t!("brief-neighbour-solicitation", s = s, r = r),
        Note::NeighbourAdvertisement { .. } => t!("brief-neighbour-advertisement", s = s),
        Note::Datagram { len, first: true } => t!("brief-datagram-first", len = *len),
        Note::OutOfOrder { first, len } => t!(
            "brief-out-of-order",
            first = *first,
            last = last(*first, *len)
        ),
        Note::Sack { blocks } => t!("brief-sack", s = s, ranges = sack_ranges(blocks)),
        Note::DuplicateSack { first, after } => {
            t!("brief-dsack", first = *first, last = after.wrapping_sub(1))
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The arrow's width on an 80-column page.
    const AT_80: usize = 42;

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
            let whole = joined(arrow(label, rightwards, AT_80));
            let cut = joined(lost(arrow(label, rightwards, AT_80), rightwards));
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
        let right = joined(arrow("SYN seq=0 len=0 win=65495", true, AT_80));
        let left = joined(arrow("SYN seq=0 len=0 win=65495", false, AT_80));
        assert_eq!(
            textwrap::core::display_width(&right),
            textwrap::core::display_width(&left)
        );
        assert_eq!(textwrap::core::display_width(&right), AT_80);
        assert!(right.ends_with('▶') && left.starts_with('◀'));
    }

    #[test]
    fn handshake_labels_fit_the_column() {
        for label in [
            "SYN,ACK seq=0 ack=1 len=0 win=65483",
            "PSH,ACK seq=1 ack=1 len=5 win=65536",
        ] {
            for rightwards in [true, false] {
                let text = joined(arrow(label, rightwards, AT_80));
                assert_eq!(textwrap::core::display_width(&text), AT_80, "{text}");
            }
        }
    }

    #[test]
    fn long_labels_stretch_the_arrow() {
        let label = "PSH,ACK seq=4294967295 ack=4294967295 len=65483 win=6291456";
        assert!(joined(arrow(label, true, AT_80)).contains(label));
    }

    #[test]
    fn the_ladder_is_the_classic_one_at_80_columns_and_capped_at_100() {
        assert_eq!(Layout::new(80).arrow, AT_80);
        assert_eq!(Layout::new(80).edge(), 80);
        assert_eq!(Layout::new(60).edge(), 60);
        assert_eq!(Layout::new(100).edge(), 100);
        assert_eq!(
            Layout::new(160),
            Layout {
                page: 160,
                ..Layout::new(100)
            }
        );
    }

    #[test]
    fn labels_fold_between_words_and_keep_their_flags_on_the_arrow() {
        let long = "PSH,ACK seq=5793 ack=10 len=1448 win=65536";
        // 80 columns, leftwards: 36 columns for the label in the arrow.
        assert_eq!(
            fold_label(long, 36, 54),
            (
                "PSH,ACK seq=5793 ack=10 len=1448".into(),
                vec!["win=65536".into()]
            )
        );
        // 60 columns: 16 in the arrow, the rest to the page's edge.
        assert_eq!(
            fold_label(long, 16, 34),
            (
                "PSH,ACK seq=5793".into(),
                vec!["ack=10 len=1448 win=65536".into()]
            )
        );
        assert_eq!(
            fold_label("UDP len=15", 16, 34),
            ("UDP len=15".into(), vec![])
        );
        // A word a little too wide stretches the arrow into the spare
        // columns rather than break…
        assert_eq!(
            fold_label("02:00:00:00:00:02", 16, 34),
            ("02:00:00:00:00:02".into(), vec![])
        );
        // … and one much too wide is broken.
        let (first, rest) = fold_label("SYN,FIN,RST,PSH,ACK,URG,ECE,CWR seq=1", 15, 34);
        assert!(display_width(&first) <= 15, "{first}");
        assert_eq!(
            format!("{first}{}", rest.join(" ")),
            "SYN,FIN,RST,PSH,ACK,URG,ECE,CWR seq=1"
        );
        // Chinese folds between characters, never before its comma.
        let zh = "20 个报文段，28760 字节，3 个重传";
        let (first, rest) = fold_label(zh, 12, 12);
        assert!(!rest.is_empty());
        for line in std::iter::once(&first).chain(&rest) {
            assert!(display_width(line) <= 12, "{line}");
            assert!(!line.starts_with('，'), "{line}");
        }
        let joined: String = std::iter::once(first).chain(rest).collect();
        assert_eq!(joined.replace(' ', ""), zh.replace(' ', ""));
    }

    /// The same row with the widest numbers a segment can carry.
    fn widest(row: &Row) -> Row {
        let mut row = row.clone();
        if let Some(tcp) = &mut row.tcp {
            tcp.rel_seq = u32::MAX;
            tcp.rel_ack = Some(u32::MAX);
            tcp.len = 65483;
            tcp.window = 65535 << 14;
        }
        row
    }

    #[test]
    fn rows_fit_the_page_and_keep_their_state_columns() {
        let (columns, rows) = crate::testutil::close_rows();
        for width in [60, 61, 67, 72, 80, 90, 100, 120] {
            let p = Painter::new(false).with_width(width);
            let right_col = Layout::new(width).right_col();
            for row in rows.iter().flat_map(|r| [r.clone(), widest(r)]) {
                for fate in [Fate::Delivered, Fate::Dropped] {
                    let lines =
                        super::row(&p, &columns, &row, Duration::from_millis(12), &[], fate);
                    for line in &lines {
                        assert!(display_width(line) <= width, "{width}: {line:?}");
                    }
                    // The states in their columns: the left one after the
                    // time, the right one after the arrow.
                    let tcp = row.tcp.as_ref().unwrap();
                    let rightwards = row.packet.src == columns.left.addr;
                    let (left, right) = if rightwards {
                        (tcp.sender.after, tcp.receiver.after)
                    } else {
                        (tcp.receiver.after, tcp.sender.after)
                    };
                    let arrow_line = &lines[0];
                    assert!(
                        arrow_line[TIME + 2..].starts_with(&left.to_string()),
                        "{arrow_line}"
                    );
                    let right = right.to_string();
                    assert!(arrow_line.ends_with(&right), "{arrow_line}");
                    assert_eq!(
                        display_width(arrow_line) - display_width(&right),
                        right_col,
                        "{width}: {arrow_line}"
                    );
                    // Nothing of the label is lost in the folding.
                    let drawn: Vec<&str> =
                        lines.iter().flat_map(|l| l.split_whitespace()).collect();
                    for word in label(&row).split(' ') {
                        assert!(drawn.contains(&word), "{width}: {word} in {lines:#?}");
                    }
                }
            }
        }
    }

    #[test]
    fn rows_at_80_columns_fold_only_labels_that_did_not_fit() {
        let (columns, rows) = crate::testutil::close_rows();
        let p = Painter::new(false);
        for row in &rows {
            let lines = super::row(&p, &columns, row, Duration::ZERO, &[], Fate::Delivered);
            assert!(!lines[1].starts_with(&" ".repeat(LABEL_COL)), "{lines:#?}");
        }
        let lines = super::row(
            &p,
            &columns,
            &widest(&rows[3]),
            Duration::ZERO,
            &[],
            Fate::Delivered,
        );
        assert!(lines[1].starts_with(&" ".repeat(LABEL_COL)), "{lines:#?}");
    }

    #[test]
    fn summary_arrows_fold_as_packet_arrows_do() {
        let label = "58 segments, 83056 bytes, 2 resent, 25 ACKs, 5 dup";
        for width in [60, 80] {
            let p = Painter::new(false).with_width(width);
            for rightwards in [true, false] {
                let (arrow, folded) = summary_arrow(&p, label, rightwards, 0);
                assert_eq!(display_width(&arrow), Layout::new(width).arrow);
                for line in &folded {
                    assert!(display_width(line) <= width, "{line}");
                }
            }
        }
    }

    #[test]
    fn column_titles_too_wide_for_their_column_end_at_the_edge_or_go_below() {
        let side = |actor: &str, actor_index, addr: &str| Side {
            actor: actor.into(),
            actor_index,
            addr: addr.parse().unwrap(),
        };
        let columns = Columns {
            left: side("sender", 0, "127.0.0.1:44061"),
            right: side("listeners", 1, "127.255.255.255:7788"),
        };
        let lines = header(&Painter::new(false), &columns, None, None);
        assert_eq!(
            lines[1],
            format!("{:10}{:50}127.255.255.255:7788", "", "127.0.0.1:44061")
        );
        let columns = Columns {
            left: side("alice", 0, "[fe80::1234:5678:9abc:def0]:40408"),
            right: side("players", 1, "[ff02::7788:1234]:7788"),
        };
        let lines = header(&Painter::new(false).with_width(60), &columns, None, None);
        assert_eq!(lines.len(), 3, "{lines:#?}");
        assert_eq!(lines[2], format!("{:38}[ff02::7788:1234]:7788", ""));
    }

    #[test]
    fn painted_arrow_is_the_plain_arrow_when_colour_is_off() {
        let plain = Painter::new(false);
        let label = "FIN,ACK seq=6 ack=7 len=0 win=65536";
        assert_eq!(
            paint_arrow(&plain, label, false, false, Style::new()),
            (joined(arrow(label, false, AT_80)), vec![])
        );
    }
}
