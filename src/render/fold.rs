//! Which packets the ladder shows one by one, and which it folds into one
//! summary row: a long run of plain data and acknowledgements in one
//! conversation is shown for its first few packets, then summed up. Shared
//! by the ladder text and the Mermaid diagram, so that both show the same.
//!
//! A run being summarised keeps tallies, never its rows: a gigabyte
//! transfer folds in constant memory.

use std::time::Duration;

use super::ladder::Columns;
use crate::packet::{Fate, TcpFlags};
use crate::track::{Note, Row};

/// How many packets of a run of data and ACKs are shown before the rest is
/// summarised in one row.
const SHOW_BEFORE_SUMMARY: usize = 6;

/// The fewest packets a summary row stands for: a short run (a few echoed
/// messages) is shown in full, as a learner wants to see their own
/// exchange.
pub const SUMMARISE_FROM: usize = 8;

/// In a lesson, how many losses of one kind a run shows one by one: three
/// duplicate ACKs (the number that sets off a fast retransmission, RFC 5681
/// §3.2), three frames the wire dropped, three segments resent after a
/// timeout. Those after them (a whole window of them, when the window is
/// large) say nothing new: they join the run's summary row, which counts
/// them. The same for the events of a receiver that reads slower than the
/// data comes (a full window, a zero window, a window update): a download
/// read 1 KiB at a time has them every few dozen segments, as many as the
/// machine's timing makes, and showing each (with the packets around it)
/// made a correct exercise's ladder 160 to 2 900 lines long from run to
/// run. And the same for a burst the loopback delivered partly out of
/// order (two CPUs sending at once): each late segment, each ACK whose
/// SACK blocks tell of the gap, each resend and each duplicate ACK for a
/// copy said again what the first three had said, and such a run's ladder
/// was 400 to 900 lines long, against under 300.
const REPEATS_IN_FULL: usize = 3;

/// The kinds of event a lesson shows three of, then counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Repeat {
    DuplicateAck,
    DuplicateAckForCopy,
    Dropped,
    Resent,
    WindowFull,
    ZeroWindow,
    WindowUpdate,
    OutOfOrder,
    Sack,
}

/// One packet, with where and when the ladder draws it.
#[derive(Debug, Clone)]
pub struct Item {
    pub row: Row,
    pub columns: Columns,
    /// Since the ladder's time zero.
    pub since: Duration,
    pub fate: Fate,
}

/// What one side of a conversation sent in a summarised run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Segments with data, and their bytes.
    pub segments: usize,
    pub bytes: u64,
    /// Relative numbers of the first and last byte sent.
    pub first: Option<u32>,
    pub last: u32,
    /// The largest segment.
    pub largest: u32,
    /// Segments sent again (any kind of retransmission).
    pub resent: usize,
    /// Segments the lab wire dropped (in a lesson, after the first few).
    pub lost: usize,
    /// Segments that came after later bytes of the stream (in a lesson,
    /// after the first few).
    pub reordered: usize,
    /// Segments without data: acknowledgements.
    pub acks: usize,
    /// Duplicate ACKs among them that ask again for a missing segment.
    pub duplicates: usize,
    /// Duplicate ACKs among them that answer a copy: nothing is missing.
    pub for_copies: usize,
    /// The last acknowledgement number sent.
    pub last_ack: Option<u32>,
}

impl Tally {
    fn count(&mut self, row: &Row, fate: Fate) {
        let Some(tcp) = &row.tcp else {
            return;
        };
        if fate == Fate::Dropped {
            self.lost += 1;
        }
        // A segment out of order was held up on the way, not sent again
        // (Wireshark counts both as resends).
        let late = |n: &Note| matches!(n, Note::OutOfOrder { .. });
        if row.notes.iter().any(|n| n.is_resend() && !late(n)) {
            self.resent += 1;
        }
        if row.notes.iter().any(late) {
            self.reordered += 1;
        }
        match row.notes.iter().find_map(|n| match n {
            Note::DuplicateAck { after_copy, .. } => Some(*after_copy),
            _ => None,
        }) {
            Some(false) => self.duplicates += 1,
            Some(true) => self.for_copies += 1,
            None => {}
        }
        if let Some(ack) = tcp.rel_ack {
            self.last_ack = Some(ack);
        }
        if tcp.len == 0 {
            self.acks += 1;
            return;
        }
        self.segments += 1;
        self.bytes += u64::from(tcp.len);
        self.first = Some(self.first.map_or(tcp.rel_seq, |f| f.min(tcp.rel_seq)));
        // Relative numbers live in the 32-bit sequence space (RFC 9293
        // §3.4) and wrap after 4 GiB of a stream: the summary's last byte
        // then stops at the top of the space instead of overflowing.
        self.last = self.last.max(tcp.rel_seq.saturating_add(tcp.len - 1));
        self.largest = self.largest.max(tcp.len);
    }
}

/// The kind of loss a plain data segment or ACK shows, for a lesson to
/// count its repeats: a duplicate ACK (those answering a copy apart, as
/// they tell another story), a frame the wire dropped, a segment resent
/// after a timeout (not a fast retransmission, which is the lesson), a
/// segment that came out of order, an ACK that carries SACK blocks (RFC
/// 2018), or a receiver's window event.
fn repeat(item: &Item) -> Option<Repeat> {
    let row = &item.row;
    let plain_flags = row.tcp.as_ref().is_some_and(|tcp| {
        tcp.flags.without(TcpFlags::PSH).without(TcpFlags::ACK) == TcpFlags::default()
    });
    if !plain_flags {
        return None;
    }
    let all = |ok: fn(&Note) -> bool| row.notes.iter().all(ok);
    let plain = |n: &Note| matches!(n, Note::Data { .. } | Note::Ack { .. });
    match item.fate {
        Fate::Dropped if all(|n| matches!(n, Note::Data { .. } | Note::Ack { .. })) => {
            Some(Repeat::Dropped)
        }
        Fate::Delivered
            if row
                .notes
                .iter()
                .any(|n| matches!(n, Note::DuplicateAck { .. }))
                && row.notes.iter().all(|n| {
                    plain(n)
                        || matches!(
                            n,
                            Note::DuplicateAck { .. }
                                | Note::Sack { .. }
                                | Note::DuplicateSack { .. }
                        )
                }) =>
        {
            let for_copy = row.notes.iter().any(|n| {
                matches!(
                    n,
                    Note::DuplicateAck {
                        after_copy: true,
                        ..
                    }
                )
            });
            Some(if for_copy {
                Repeat::DuplicateAckForCopy
            } else {
                Repeat::DuplicateAck
            })
        }
        Fate::Delivered
            if row.notes.iter().any(|n| {
                matches!(
                    n,
                    Note::Retransmission {
                        syn: false,
                        fin: false,
                        ..
                    }
                )
            }) && all(|n| matches!(n, Note::Retransmission { .. } | Note::Ack { .. })) =>
        {
            Some(Repeat::Resent)
        }
        Fate::Delivered
            if row
                .notes
                .iter()
                .any(|n| matches!(n, Note::OutOfOrder { .. }))
                && all(|n| matches!(n, Note::Data { .. } | Note::OutOfOrder { .. })) =>
        {
            Some(Repeat::OutOfOrder)
        }
        Fate::Delivered
            if row.notes.iter().any(|n| matches!(n, Note::Sack { .. }))
                && all(|n| matches!(n, Note::Ack { .. } | Note::Sack { .. })) =>
        {
            Some(Repeat::Sack)
        }
        Fate::Delivered
            if all(|n| {
                matches!(
                    n,
                    Note::Data { .. }
                        | Note::Ack { .. }
                        | Note::Sack { .. }
                        | Note::WindowFull
                        | Note::ZeroWindow
                        | Note::WindowUpdate { .. }
                )
            }) =>
        {
            row.notes.iter().find_map(|n| match n {
                Note::WindowFull => Some(Repeat::WindowFull),
                Note::ZeroWindow => Some(Repeat::ZeroWindow),
                Note::WindowUpdate { .. } => Some(Repeat::WindowUpdate),
                _ => None,
            })
        }
        _ => None,
    }
}

/// A long run in one row.
#[derive(Debug, Clone)]
pub struct Summary {
    /// The columns of its last packet.
    pub columns: Columns,
    /// Its first and last packets: the states before and after, the time
    /// span.
    pub first: Row,
    pub last: Row,
    /// When the last one came, since the ladder's time zero.
    pub since: Duration,
    pub count: usize,
    /// What the left and the right side sent.
    pub left: Tally,
    pub right: Tally,
    /// How many came from the left side.
    pub from_left: usize,
}

impl Summary {
    fn start(item: Item) -> Summary {
        let mut summary = Summary {
            columns: item.columns.clone(),
            first: item.row.clone(),
            last: item.row.clone(),
            since: item.since,
            count: 0,
            left: Tally::default(),
            right: Tally::default(),
            from_left: 0,
        };
        summary.add(item);
        summary
    }

    /// The summary of held packets (at least one).
    fn of(items: Vec<Item>) -> Summary {
        let mut items = items.into_iter();
        let mut summary = Summary::start(items.next().expect("a held run has rows"));
        for held in items {
            summary.add(held);
        }
        summary
    }

    fn add(&mut self, item: Item) {
        self.count += 1;
        if item.row.packet.src == item.columns.left.addr {
            self.from_left += 1;
            self.left.count(&item.row, item.fate);
        } else {
            self.right.count(&item.row, item.fate);
        }
        self.columns = item.columns;
        self.since = item.since;
        self.last = item.row;
    }
}

/// What the ladder shows next.
#[derive(Debug, Clone)]
pub enum Shown {
    Packet(Box<Item>),
    Summary(Box<Summary>),
}

/// The packets of a run held back: a few rows, or once there are enough
/// of them, the tallies of a summary.
#[derive(Debug, Default)]
enum Held {
    #[default]
    None,
    Few(Vec<Item>),
    Many(Box<Summary>),
}

/// Decides, packet by packet, what the ladder shows.
#[derive(Debug, Default)]
pub struct Folder {
    all_packets: bool,
    fold_losses: bool,
    /// The conversation of the run of plain data and ACKs going on.
    conversation: Option<usize>,
    /// Packets of that run shown in full.
    shown: usize,
    held: Held,
    /// In a lesson: losses of each kind shown in full since the run began.
    repeats: std::collections::BTreeMap<Repeat, usize>,
    /// What is held includes a repeat past the first few.
    held_repeat: bool,
}

impl Folder {
    /// `all_packets`: never summarise. `fold_losses`: count a long run's
    /// losses (retransmissions, duplicate ACKs, SACKs) in its summary row
    /// instead of ending the run at each, for traffic that is watched or
    /// replayed, where one loss in a gigabyte is not the point. Lessons
    /// show every one: there the loss is the lesson.
    pub fn new(all_packets: bool, fold_losses: bool) -> Folder {
        Folder {
            all_packets,
            fold_losses,
            ..Folder::default()
        }
    }

    /// One more packet: what to show now (nothing while a run is held).
    pub fn push(&mut self, item: Item) -> Vec<Shown> {
        let row = &item.row;
        let plain = |n: &Note| matches!(n, Note::Data { .. } | Note::Ack { .. });
        let loss = |n: &Note| {
            n.is_resend()
                || matches!(
                    n,
                    Note::DuplicateAck { .. } | Note::Sack { .. } | Note::DuplicateSack { .. }
                )
        };
        let data_or_ack = row.tcp.as_ref().is_some_and(|tcp| {
            tcp.flags.without(TcpFlags::PSH).without(TcpFlags::ACK) == TcpFlags::default()
        }) && item.fate == Fate::Delivered;
        let bulk = data_or_ack && row.notes.iter().all(plain);
        let same_run = self.conversation == Some(row.conversation);
        // A lesson's fourth loss of a kind, and later ones: summarised with
        // the data and ACKs around them, which they do not interrupt.
        let repeat = if self.fold_losses || self.all_packets {
            None
        } else {
            repeat(&item)
        };
        if let Some(kind) = repeat {
            let seen = self.repeats.entry(kind).or_default();
            if *seen >= REPEATS_IN_FULL {
                let shown = if same_run {
                    Vec::new()
                } else {
                    self.interrupt()
                };
                self.conversation = Some(row.conversation);
                self.shown = self.shown.max(SHOW_BEFORE_SUMMARY);
                self.hold(item);
                self.held_repeat = true;
                return shown;
            }
            *seen += 1;
        }
        let summarising = same_run && !self.all_packets && self.shown >= SHOW_BEFORE_SUMMARY;
        // A loss never starts a run, but a run being summarised counts it.
        let folded =
            self.fold_losses && data_or_ack && row.notes.iter().all(|n| plain(n) || loss(n));
        if summarising && (bulk || folded) {
            self.hold(item);
            return Vec::new();
        }
        let mut shown = self.interrupt();
        // A lesson's loss shown in full (one of the first three of its
        // kind) is part of its run: what follows it is summarised as
        // before, not shown again one by one.
        if repeat.is_none() || !same_run {
            self.conversation = bulk.then_some(row.conversation);
            self.shown = if bulk && same_run { self.shown + 1 } else { 1 };
        }
        shown.push(Shown::Packet(Box::new(item)));
        shown
    }

    fn hold(&mut self, item: Item) {
        self.held = match std::mem::take(&mut self.held) {
            Held::None => Held::Few(vec![item]),
            Held::Few(mut items) if items.len() + 1 < SUMMARISE_FROM => {
                items.push(item);
                Held::Few(items)
            }
            Held::Few(mut items) => {
                items.push(item);
                Held::Many(Box::new(Summary::of(items)))
            }
            Held::Many(mut summary) => {
                summary.add(item);
                Held::Many(summary)
            }
        };
    }

    /// What is held back is shown now, and the run goes on: the packets
    /// that follow in the same conversation are summarised at once (a
    /// congestion reading between round trips of a long transfer).
    pub fn pause(&mut self) -> Vec<Shown> {
        self.flush()
    }

    /// What is held back is shown now, and the run ends (at the end of a
    /// step, before prose, at the end of a capture).
    pub fn end_run(&mut self) -> Vec<Shown> {
        let shown = self.flush();
        self.conversation = None;
        self.shown = 0;
        self.repeats.clear();
        shown
    }

    /// A packet that is not part of the run held comes: what is held is
    /// shown, summarised if it holds a repeat past the first few, however
    /// few packets it holds. Shown one by one, the repeats that packets of
    /// another kind interrupt every row or two (a burst delivered out of
    /// order: late segments, SACKs, duplicate ACKs in turn) would all be
    /// shown after all.
    fn interrupt(&mut self) -> Vec<Shown> {
        let held_repeat = std::mem::take(&mut self.held_repeat);
        match std::mem::take(&mut self.held) {
            // One or two packets read better as themselves (their
            // explanation is brief by now) than as a summary row.
            Held::Few(items) if held_repeat && items.len() >= REPEATS_IN_FULL => {
                vec![Shown::Summary(Box::new(Summary::of(items)))]
            }
            held => {
                self.held = held;
                self.flush()
            }
        }
    }

    /// What is held is shown: a few packets one by one, more as their
    /// summary.
    fn flush(&mut self) -> Vec<Shown> {
        self.held_repeat = false;
        match std::mem::take(&mut self.held) {
            Held::None => Vec::new(),
            Held::Few(items) => items
                .into_iter()
                .map(|item| Shown::Packet(Box::new(item)))
                .collect(),
            Held::Many(summary) => vec![Shown::Summary(summary)],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `tcp-close.pcap`'s first connection: its first data segment and the
    /// ACK of it, with their columns.
    fn data_and_ack() -> (Item, Item) {
        let (columns, rows) = crate::testutil::close_rows();
        let item = |find: fn(&Note) -> bool| {
            let row = rows
                .iter()
                .find(|r| r.notes.len() == 1 && find(&r.notes[0]))
                .expect("the capture has one");
            Item {
                row: row.clone(),
                columns: columns.clone(),
                since: Duration::ZERO,
                fate: Fate::Delivered,
            }
        };
        (
            item(|n| matches!(n, Note::Data { .. })),
            item(|n| matches!(n, Note::Ack { .. })),
        )
    }

    fn with(item: &Item, notes: Vec<Note>) -> Item {
        let mut item = item.clone();
        item.row.notes = notes;
        item
    }

    fn packets_with(shown: &[Shown], kind: fn(&Note) -> bool) -> usize {
        shown
            .iter()
            .filter(|s| matches!(s, Shown::Packet(i) if i.row.notes.iter().any(kind)))
            .count()
    }

    fn summaries(shown: &[Shown]) -> Vec<&Summary> {
        shown
            .iter()
            .filter_map(|s| match s {
                Shown::Summary(summary) => Some(&**summary),
                Shown::Packet(_) => None,
            })
            .collect()
    }

    /// A burst that the loopback delivered partly out of order: each late
    /// segment, and each ACK with SACK blocks, is shown three times, then
    /// counted in the summary row, as a lesson's other repeated events.
    #[test]
    fn late_segments_and_sack_acks_are_shown_three_times_then_counted() {
        let (data, ack) = data_and_ack();
        let late = with(&data, vec![Note::OutOfOrder { first: 1, len: 1 }]);
        let blocks = vec![(10, 20)];
        let sack = with(&ack, vec![Note::Ack { next: 1 }, Note::Sack { blocks }]);
        let mut folder = Folder::new(false, false);
        let mut shown = Vec::new();
        for _ in 0..SHOW_BEFORE_SUMMARY {
            shown.extend(folder.push(data.clone()));
        }
        for _ in 0..10 {
            shown.extend(folder.push(late.clone()));
            shown.extend(folder.push(data.clone()));
            shown.extend(folder.push(sack.clone()));
        }
        shown.extend(folder.end_run());
        assert_eq!(
            packets_with(&shown, |n| matches!(n, Note::OutOfOrder { .. })),
            3
        );
        assert_eq!(packets_with(&shown, |n| matches!(n, Note::Sack { .. })), 3);
        let summaries = summaries(&shown);
        let reordered: usize = summaries.iter().map(|s| s.left.reordered).sum();
        assert_eq!(reordered, 7, "{summaries:#?}");
        // Held up on the way is not sent again.
        assert!(summaries.iter().all(|s| s.left.resent == 0));
    }

    /// Repeats past the first three that a packet of another kind
    /// interrupts every few rows are still summarised, three or more at a
    /// time; one or two are shown as they are.
    #[test]
    fn repeats_between_other_packets_are_summarised_three_or_more_at_a_time() {
        let (data, ack) = data_and_ack();
        let late = with(&data, vec![Note::OutOfOrder { first: 1, len: 1 }]);
        let interruption = with(&ack, vec![Note::Reset]);
        let mut folder = Folder::new(false, false);
        let mut shown = Vec::new();
        for lates in [3, 3, 4, 2] {
            for _ in 0..lates {
                shown.extend(folder.push(late.clone()));
            }
            shown.extend(folder.push(interruption.clone()));
        }
        shown.extend(folder.end_run());
        assert_eq!(
            packets_with(&shown, |n| matches!(n, Note::OutOfOrder { .. })),
            3 + 2
        );
        let summaries = summaries(&shown);
        let counts: Vec<usize> = summaries.iter().map(|s| s.count).collect();
        assert_eq!(counts, [3, 4]);
    }
}
