//! The ladder on screen: every packet goes through the tracker and is drawn
//! as it arrives, under column titles that are repeated when the pair of
//! endpoints changes; long runs of data and ACKs are summarised; notes read
//! once in full are shortened after. Shared by lessons and by `replay`.

use std::collections::HashSet;
use std::io::Write;
use std::mem::Discriminant;
use std::time::Duration;

use super::{Pacer, RunError};
use crate::packet::{Fate, Packet, TcpFlags};
use crate::render::Painter;
use crate::render::ladder::{self, Columns, Side};
use crate::render::mermaid::Mermaid;
use crate::track::{Note, Row, Tracker};

/// How many packets of a run of data and ACKs are shown before the rest is
/// summarised in one row.
const SHOW_BEFORE_SUMMARY: usize = 6;

/// The fewest packets a summary row stands for: a short run (a few echoed
/// messages) is shown in full, as a learner wants to see their own
/// exchange.
const SUMMARISE_FROM: usize = 8;

/// Where the ladder is drawn, and who decides when it moves on.
pub struct ViewIo<'a> {
    pub p: &'a Painter,
    pub out: &'a mut dyn Write,
    pub pacer: &'a mut dyn Pacer,
}

impl ViewIo<'_> {
    fn say(&mut self, lines: Vec<String>) -> Result<(), RunError> {
        for line in lines {
            writeln!(self.out, "{line}").map_err(RunError::Output)?;
        }
        self.out.flush().map_err(RunError::Output)
    }
}

/// A run of data and pure-ACK packets in one conversation.
#[derive(Default)]
struct BulkRun {
    conversation: Option<usize>,
    /// Packets of the run shown in full.
    shown: usize,
    /// Packets held back for the summary row.
    held: Vec<(Row, Columns, Duration)>,
}

pub struct LadderView {
    pub tracker: Tracker,
    /// Every packet explained so far, shown in full or summarised.
    pub packets_shown: usize,
    /// The first packet's time: the ladder's time zero.
    first_packet: Option<Duration>,
    /// The columns the ladder shows now.
    columns: Option<Columns>,
    all_packets: bool,
    /// Count a long run's losses (retransmissions, duplicate ACKs, SACKs)
    /// in its summary row instead of ending the run at each: for traffic
    /// that is watched or replayed, where one loss in a gigabyte is not the
    /// point. Lessons show every one: there the loss is the lesson.
    fold_losses: bool,
    bulk: BulkRun,
    /// The kinds of note already explained in full.
    explained: HashSet<Discriminant<Note>>,
    /// What was shown, for a Mermaid diagram (when asked for).
    pub mermaid: Option<Mermaid>,
}

impl LadderView {
    /// `all_packets`: never summarise.
    pub fn new(all_packets: bool) -> LadderView {
        LadderView {
            tracker: Tracker::new(),
            packets_shown: 0,
            first_packet: None,
            columns: None,
            all_packets,
            fold_losses: false,
            bulk: BulkRun::default(),
            explained: HashSet::new(),
            mermaid: None,
        }
    }

    /// Losses in a long run are counted in its summary row (watch, replay).
    pub fn folding_losses(mut self) -> LadderView {
        self.fold_losses = true;
        self
    }

    /// The next packet gets column titles again (after prose, say).
    pub fn new_ladder(&mut self) {
        self.columns = None;
    }

    /// A lesson's next step: its first packet is the ladder's time zero,
    /// so that the time the learner spent between steps never shows.
    pub fn new_step(&mut self) {
        self.first_packet = None;
        self.columns = None;
    }

    /// Explains and draws one packet. `from` and `to` are the actors'
    /// names and their positions (which decide left and right).
    pub fn show(
        &mut self,
        io: &mut ViewIo,
        packet: Packet,
        from: (&str, usize),
        to: (&str, usize),
        fate: Fate,
    ) -> Result<Row, RunError> {
        let first = *self.first_packet.get_or_insert(packet.at);
        let since = packet.at.saturating_sub(first);
        let (src, dst) = (packet.src, packet.dst);
        let row: Row = self.tracker.track(packet);
        let tracked = row.clone();
        let sender = Side {
            actor: from.0.to_string(),
            actor_index: from.1,
            addr: src,
        };
        let receiver = Side {
            actor: to.0.to_string(),
            actor_index: to.1,
            addr: dst,
        };
        let columns = if sender.actor_index <= receiver.actor_index {
            Columns {
                left: sender,
                right: receiver,
            }
        } else {
            Columns {
                left: receiver,
                right: sender,
            }
        };
        self.packets_shown += 1;
        // Long runs of plain data and acknowledgements are summarised after
        // their first few packets, unless all packets are asked for.
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
        }) && fate == Fate::Delivered;
        let bulk = data_or_ack && row.notes.iter().all(plain);
        let same_run = self.bulk.conversation == Some(row.conversation);
        let summarising = same_run && !self.all_packets && self.bulk.shown >= SHOW_BEFORE_SUMMARY;
        // A loss never starts a run, but a run being summarised counts it.
        let folded =
            self.fold_losses && data_or_ack && row.notes.iter().all(|n| plain(n) || loss(n));
        if summarising && (bulk || folded) {
            self.bulk.held.push((row, columns, since));
            return Ok(tracked);
        }
        self.flush(io)?;
        self.bulk.conversation = bulk.then_some(row.conversation);
        self.bulk.shown = if bulk && same_run {
            self.bulk.shown + 1
        } else {
            1
        };
        self.print_row(io, &row, &columns, since, fate)?;
        Ok(tracked)
    }

    /// Ends a run of data: what is held back is shown now.
    pub fn end_run(&mut self, io: &mut ViewIo) -> Result<(), RunError> {
        self.flush(io)?;
        self.bulk = BulkRun::default();
        Ok(())
    }

    /// Shows the packets held back in a long run: a summary when there are
    /// many, the rows themselves when there are a few.
    fn flush(&mut self, io: &mut ViewIo) -> Result<(), RunError> {
        let held = std::mem::take(&mut self.bulk.held);
        if held.len() < SUMMARISE_FROM {
            for (row, columns, since) in &held {
                self.print_row(io, row, columns, *since, Fate::Delivered)?;
            }
            return Ok(());
        }
        let (_, columns, since) = held.last().expect("several rows are held");
        let (columns, since) = (columns.clone(), *since);
        self.header(io, &columns, &held[0].0)?;
        io.pacer.pause(io.out, "next packets")?;
        let rows: Vec<Row> = held.into_iter().map(|(row, _, _)| row).collect();
        if let Some(mermaid) = self.mermaid.as_mut() {
            mermaid.summary(&columns, &rows);
        }
        let lines = ladder::summary(io.p, &columns, &rows, since);
        io.say(lines)
    }

    /// The column titles, when the columns change.
    fn header(&mut self, io: &mut ViewIo, columns: &Columns, row: &Row) -> Result<(), RunError> {
        if self.columns.as_ref() == Some(columns) {
            return Ok(());
        }
        let states = row.tcp.as_ref().map(|tcp| {
            if columns.left.addr == row.packet.src {
                (tcp.sender.before, tcp.receiver.before)
            } else {
                (tcp.receiver.before, tcp.sender.before)
            }
        });
        let mut lines = vec![String::new()];
        lines.extend(ladder::header(
            io.p,
            columns,
            states.map(|s| s.0),
            states.map(|s| s.1),
        ));
        io.say(lines)?;
        self.columns = Some(columns.clone());
        Ok(())
    }

    fn print_row(
        &mut self,
        io: &mut ViewIo,
        row: &Row,
        columns: &Columns,
        since: Duration,
        fate: Fate,
    ) -> Result<(), RunError> {
        self.header(io, columns, row)?;
        io.pacer.pause(io.out, "next packet")?;
        // A note the learner has read in full once is shown short after.
        let brief: Vec<bool> = row
            .notes
            .iter()
            .map(|n| !self.explained.insert(std::mem::discriminant(n)))
            .collect();
        if let Some(mermaid) = self.mermaid.as_mut() {
            mermaid.row(columns, row);
        }
        let lines = ladder::row(io.p, columns, row, since, &brief, fate);
        io.say(lines)
    }
}
