//! The text a learner reads, made from the event stream: the lesson's
//! prose, the code and what it returned, the ladder, the kernel's view.
//! Plain text is the snapshot contract; colour is the painter's layer.
//!
//! The presenter turns each event into blocks of lines. A block may ask
//! for a pause before it (the next packet, in an interactive run); the
//! terminal decides whether to wait there.

use std::time::Duration;

use super::chart;
use super::code::{self, Lang};
use super::fold::{Folder, Item, Shown};
use super::ladder::{self, Columns, Side};
use super::{Painter, styles};
use crate::event::{self, Event, KernelTable, LessonStart};
use crate::track::congestion::Change;
use crate::track::{Note, Row};

/// Lines shown together, and whether to pause before them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub pause: Option<Pause>,
    pub lines: Vec<String>,
}

impl Block {
    fn now(lines: Vec<String>) -> Block {
        Block { pause: None, lines }
    }
}

/// What the learner is asked to go on to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pause {
    NextPacket,
    /// A summary row of many packets.
    NextPackets,
}

/// Options of the text, chosen when it is shown.
#[derive(Debug, Clone, Copy)]
pub struct TextOptions {
    pub painter: Painter,
    /// The language of the code.
    pub lang: Lang,
    /// Show every packet of long transfers, no summary rows.
    pub all_packets: bool,
    /// Count losses in summary rows (replay, watch) instead of ending runs.
    pub fold_losses: bool,
    /// The run happens now, on this terminal: what the learner typed is on
    /// screen already, and is not shown again.
    pub live: bool,
}

/// The ladder's state between packets.
struct Ladder {
    folder: Folder,
    /// The first packet's time in the step (or capture): time zero.
    zero: Option<Duration>,
    /// The columns the ladder shows now.
    columns: Option<Columns>,
    /// The kinds of note already explained in full.
    explained: std::collections::HashSet<std::mem::Discriminant<Note>>,
    /// Packets explained so far, in full or in summaries.
    packets: usize,
}

/// Turns events into the text a learner reads.
pub struct Text {
    options: TextOptions,
    ladder: Ladder,
    lesson: Option<LessonStart>,
    /// The columns' actors, in their order (replay and watch: client and
    /// server).
    actors: Vec<String>,
    prelude_shown: bool,
    /// A step has started, and ends with a blank line.
    in_step: bool,
    /// The question asked last, for its answer.
    question: Option<event::QuestionAsked>,
    /// Watch: the conversations, for the closing summary.
    conversations: Vec<crate::watch::ConversationSummary>,
    /// Replay or watch, live or not.
    capture: Option<event::CaptureStart>,
    /// Each connection's congestion readings between round trips, for the
    /// chart at the end.
    curves: Vec<Curve>,
    /// The kinds of congestion change already explained in full.
    /// (CUBIC's congestion avoidance, by the clock, is a kind of its own.)
    changes_explained: std::collections::HashSet<(std::mem::Discriminant<Change>, bool)>,
}

/// The congestion readings of one connection, between round trips.
struct Curve {
    socket: String,
    actor: String,
    algorithm: String,
    bars: Vec<chart::Bar>,
    /// A reading of it depended on the kernel's clock: so do all later
    /// ones, whose windows grew from it.
    clock: bool,
}

impl Text {
    pub fn new(options: TextOptions) -> Text {
        Text {
            options,
            ladder: Ladder {
                folder: Folder::new(options.all_packets, options.fold_losses),
                zero: None,
                columns: None,
                explained: Default::default(),
                packets: 0,
            },
            lesson: None,
            actors: Vec::new(),
            prelude_shown: false,
            in_step: false,
            question: None,
            conversations: Vec::new(),
            capture: None,
            curves: Vec::new(),
            changes_explained: Default::default(),
        }
    }

    fn p(&self) -> &Painter {
        &self.options.painter
    }

    /// What an event adds to the screen.
    pub fn present(&mut self, event: &Event) -> Vec<Block> {
        let mut blocks = Vec::new();
        // A run of packets waiting for its summary row ends at anything
        // else (but for what hold mode shows between packets).
        if !matches!(
            event,
            Event::Packet(_)
                | Event::Held(_)
                | Event::LetGo(_)
                | Event::Kernel(_)
                | Event::Congestion(_)
        ) || matches!(event, Event::Kernel(_))
        {
            blocks.extend(self.end_run());
        }
        // A congestion reading between round trips shows the run so far;
        // the packets after it go on being summarised.
        if matches!(event, Event::Congestion(_)) {
            let shown = self.ladder.folder.pause();
            blocks.extend(self.draw(shown));
        }
        // Prose (and code) ends the ladder: the next packet gets its
        // column titles again.
        if matches!(
            event,
            Event::Step(_)
                | Event::Call(_)
                | Event::Returned(_)
                | Event::Question(_)
                | Event::Answer(_)
                | Event::Chat(_)
        ) {
            self.ladder.columns = None;
        }
        let lines = match event {
            Event::Lesson(start) => self.lesson_start(start),
            Event::Step(step) => {
                let mut lines = Vec::new();
                if self.in_step {
                    lines.push(String::new());
                }
                self.in_step = true;
                self.ladder.zero = None;
                lines.extend(super::step_header(
                    self.p(),
                    step.step,
                    step.total,
                    &step.title,
                    &step.text,
                ));
                lines
            }
            Event::Call(made) => {
                let mut lines = Vec::new();
                let (p, lang) = (self.options.painter, self.options.lang);
                let Some(lesson) = &self.lesson else {
                    return blocks;
                };
                if !self.prelude_shown {
                    self.prelude_shown = true;
                    lines.extend(code::prelude(p, lang, &lesson.calls, &lesson.addressing));
                }
                lines.extend(code::statement(
                    &p,
                    lang,
                    &made.call,
                    made.fails,
                    &lesson.addressing,
                ));
                lines
            }
            Event::Returned(done) => {
                let (p, lang) = (self.options.painter, self.options.lang);
                match (&done.returned, &done.raised) {
                    (_, Some(raised)) => code::raised(&p, lang, raised),
                    (Some(outcome), None) => {
                        code::outcome(&p, lang, &done.call, done.kind, outcome)
                    }
                    (None, None) => Vec::new(),
                }
            }
            Event::Question(question) => {
                self.question = Some(question.clone());
                let mut lines = super::question(self.p(), &question.ask, &question.choices);
                if !question.after_code {
                    lines.remove(0);
                }
                lines
            }
            Event::Answer(answer) => match self.question.take() {
                None => Vec::new(),
                Some(q) => match answer.given {
                    Some(given) => super::verdict(self.p(), &q.explain, q.answer, given),
                    None => super::answer(self.p(), &q.choices, q.answer, &q.explain),
                },
            },
            Event::Chat(chat) if chat.typed && self.options.live => Vec::new(),
            Event::Chat(chat) => vec![String::new(), format!("{}{}", chat.prompt, chat.line)],
            Event::Held(held) => super::held(
                self.p(),
                &held.from,
                &held.to,
                &held.packet,
                held.again,
                held.fate,
            ),
            Event::LetGo(go) if go.copies > 0 => {
                super::let_go_with_copies(self.p(), &go.from, &go.packet, go.copies)
            }
            Event::LetGo(_) => Vec::new(),
            Event::Packet(shown) => {
                blocks.extend(self.packet(shown));
                return blocks;
            }
            Event::Kernel(table) => kernel_lines(self.p(), table),
            Event::Congestion(reading) => self.congestion(reading),
            Event::After(after) => super::after(self.p(), &after.text),
            Event::End(end) => {
                let mut lines = Vec::new();
                if self.in_step {
                    lines.push(String::new());
                    self.in_step = false;
                }
                lines.extend(self.charts());
                let packets = match end.packets {
                    1 => "1 packet".to_string(),
                    n => format!("{n} packets"),
                };
                // Frames the lab wire had no room for are not a lesson's
                // fault: the machine did not keep up, and the capture is
                // not whole.
                lines.push(if end.lost == 0 {
                    self.p().paint(
                        &format!(
                            "Lesson complete: {packets} on the wire, every one captured from the kernel."
                        ),
                        styles::good(),
                    )
                } else {
                    self.p().paint(
                        &format!(
                            "Lesson complete: {packets} on the wire. The wire lost {} more frame{} \
                             that it had no room for (the machine did not keep up), so the capture \
                             is not whole.",
                            end.lost,
                            if end.lost == 1 { "" } else { "s" }
                        ),
                        styles::warn(),
                    )
                });
                if end.answered > 0 {
                    lines.push(format!(
                        "Questions: {} of {} right.",
                        end.right, end.answered
                    ));
                }
                lines
            }
            Event::Capture(start) => {
                self.capture = Some(start.clone());
                self.actors = vec!["client".into(), "server".into()];
                capture_title(self.p(), start)
            }
            Event::Lull => Vec::new(),
            Event::Skipped(skipped) => {
                self.ladder.columns = None;
                let what = match skipped.why {
                    event::Skipped::Malformed => "malformed",
                    event::Skipped::Unread => "skipped",
                };
                let text = format!("  frame {} {what}: {}", skipped.frame, skipped.reason);
                vec![self.p().paint(&text, styles::rule())]
            }
            Event::Conversation(summary) => {
                self.conversations.push(summary.clone());
                Vec::new()
            }
            Event::CaptureEnd(end) => self.capture_end(end),
        };
        if !lines.is_empty() {
            blocks.push(Block::now(lines));
        }
        blocks
    }

    /// Nothing more comes: what a run holds back is shown.
    pub fn finish(&mut self) -> Vec<Block> {
        self.end_run()
    }

    /// Packets explained so far.
    pub fn packets(&self) -> usize {
        self.ladder.packets
    }

    fn lesson_start(&mut self, start: &LessonStart) -> Vec<String> {
        self.actors = start.actors.clone();
        self.lesson = Some(start.clone());
        super::lesson_header(
            self.p(),
            &start.title,
            &start.summary,
            start.family,
            start.on_wire,
        )
    }

    fn position(&self, actor: &str) -> usize {
        self.actors
            .iter()
            .position(|a| a == actor)
            .unwrap_or(usize::MAX)
    }

    fn packet(&mut self, shown: &event::PacketShown) -> Vec<Block> {
        let row = &shown.row;
        let zero = *self.ladder.zero.get_or_insert(row.packet.at);
        let columns = columns(
            (&shown.from, self.position(&shown.from)),
            (&shown.to, self.position(&shown.to)),
            row,
        );
        self.ladder.packets += 1;
        let item = Item {
            row: row.clone(),
            columns,
            since: row.packet.at.saturating_sub(zero),
            fate: shown.fate,
        };
        let shown = self.ladder.folder.push(item);
        self.draw(shown)
    }

    fn end_run(&mut self) -> Vec<Block> {
        let shown = self.ladder.folder.end_run();
        self.draw(shown)
    }

    fn draw(&mut self, shown: Vec<Shown>) -> Vec<Block> {
        let mut blocks = Vec::new();
        for shown in shown {
            match shown {
                Shown::Packet(item) => {
                    blocks.extend(self.header(&item.columns, &item.row));
                    // A note the learner has read in full once is shown
                    // short after.
                    let brief: Vec<bool> = item
                        .row
                        .notes
                        .iter()
                        .map(|n| !self.ladder.explained.insert(std::mem::discriminant(n)))
                        .collect();
                    let lines = ladder::row(
                        self.p(),
                        &item.columns,
                        &item.row,
                        item.since,
                        &brief,
                        item.fate,
                    );
                    blocks.push(Block {
                        pause: Some(Pause::NextPacket),
                        lines,
                    });
                }
                Shown::Summary(summary) => {
                    blocks.extend(self.header(&summary.columns, &summary.first));
                    blocks.push(Block {
                        pause: Some(Pause::NextPackets),
                        lines: ladder::summary(self.p(), &summary),
                    });
                }
            }
        }
        blocks
    }

    /// The column titles, when the columns change.
    fn header(&mut self, columns: &Columns, row: &Row) -> Option<Block> {
        if self.ladder.columns.as_ref() == Some(columns) {
            return None;
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
            self.p(),
            columns,
            states.map(|s| s.0),
            states.map(|s| s.1),
        ));
        self.ladder.columns = Some(columns.clone());
        Some(Block::now(lines))
    }

    /// A congestion reading: the kernel's numbers on a line of their own
    /// (numbers that depend on the kernel's clock marked ◷), then what
    /// changed and by which rule, and whether the numbers fit it.
    fn congestion(&mut self, reading: &event::CongestionReading) -> Vec<String> {
        let info = &reading.info;
        let clock = self.curve(reading);
        let mark = |n: u32| {
            if clock {
                format!("◷{n}")
            } else {
                n.to_string()
            }
        };
        let ssthresh = info
            .ssthresh
            .map_or_else(|| "∞".to_string(), |s| s.to_string());
        let mut lines = vec![String::new()];
        let whose = match reading.when {
            event::ReadWhen::Quiet => format!("{}'s kernel", reading.actor),
            event::ReadWhen::Held => format!("{}'s kernel now", reading.actor),
        };
        let numbers = format!(
            "  {whose} (TCP_INFO, {}): {} · cwnd {} · ssthresh {ssthresh} · unacked {}",
            info.algorithm,
            info.ca_state.name(),
            mark(info.cwnd),
            mark(info.unacked),
        );
        lines.push(self.p().paint(&numbers, styles::state()));
        if info.sacked + info.lost + info.retrans > 0 {
            // Without SACK, Linux counts each duplicate ACK as one segment
            // the receiver holds (`tcp_add_reno_sack`).
            let held = if info.sack {
                "sacked"
            } else {
                "duplicate ACKs"
            };
            lines.push(self.p().paint(
                &format!(
                    "    {held} {} · lost {} · resent, not yet acknowledged {}",
                    info.sacked, info.lost, info.retrans
                ),
                styles::state(),
            ));
        }
        let indent = "    ";
        let brief = !self.changes_explained.insert((
            std::mem::discriminant(&reading.change),
            reading.change.clock(),
        ));
        // The short form, where the learner has read this kind in full.
        let short = brief
            .then(|| ladder::short_congestion_sentence(&reading.change))
            .flatten();
        let text = short
            .clone()
            .unwrap_or_else(|| ladder::congestion_sentence(&reading.change, info, &reading.actor));
        lines.extend(
            super::wrap(&text, indent, super::WIDTH)
                .into_iter()
                .map(|l| self.p().paint(&l, styles::note())),
        );
        // A short form's agreement goes without saying; a disagreement never.
        let check = ladder::congestion_check(&reading.change)
            .filter(|c| short.is_none() || !c.starts_with('✓'));
        if let Some(check) = check {
            let style = if check.starts_with('✓') {
                styles::good()
            } else {
                styles::warn()
            };
            lines.extend(
                super::wrap(&check, indent, super::WIDTH)
                    .into_iter()
                    .map(|l| self.p().paint(&l, style)),
            );
        }
        // A held frame is on the wire, not yet in the capture: no reading
        // taken then is in step with it, nor meant to be.
        if !reading.in_step && reading.when == event::ReadWhen::Quiet {
            lines.extend(
                super::wrap(
                    "(read as the step ended: the kernel had counted other segments than \
                     the capture shows, so this reading may not belong right after the \
                     packets above)",
                    indent,
                    super::WIDTH,
                )
                .into_iter()
                .map(|l| self.p().paint(&l, styles::dim())),
            );
        }
        lines
    }

    /// Adds a reading between round trips to its connection's curve;
    /// returns whether its numbers depend on the kernel's clock.
    fn curve(&mut self, reading: &event::CongestionReading) -> bool {
        let info = &reading.info;
        let new = reading.reading == 1
            || self
                .curves
                .iter()
                .rev()
                .find(|c| c.socket == reading.socket)
                .is_none();
        if new {
            self.curves.push(Curve {
                socket: reading.socket.clone(),
                actor: reading.actor.clone(),
                algorithm: info.algorithm.clone(),
                bars: Vec::new(),
                clock: false,
            });
        }
        let Some(curve) = self
            .curves
            .iter_mut()
            .rev()
            .find(|c| c.socket == reading.socket)
        else {
            return false;
        };
        curve.clock |= reading.change.clock();
        curve.algorithm = info.algorithm.clone();
        if reading.when == event::ReadWhen::Quiet {
            let below = info.ssthresh.is_none_or(|s| info.cwnd < s);
            let phase = match info.ca_state {
                crate::kernel::CaState::Open if below => 'S',
                crate::kernel::CaState::Open => 'A',
                crate::kernel::CaState::Disorder => 'D',
                crate::kernel::CaState::Cwr => 'C',
                crate::kernel::CaState::Recovery => 'R',
                crate::kernel::CaState::Loss => 'L',
            };
            curve.bars.push(chart::Bar {
                cwnd: info.cwnd,
                ssthresh: info.ssthresh,
                phase,
                clock: curve.clock,
            });
        }
        curve.clock
    }

    /// At the end of a lesson: a chart of each connection's window, one
    /// bar per round trip, all on one scale so that they compare.
    fn charts(&self) -> Vec<String> {
        let curves: Vec<&Curve> = self.curves.iter().filter(|c| c.bars.len() >= 3).collect();
        let top = curves
            .iter()
            .flat_map(|c| c.bars.iter().map(|b| b.cwnd))
            .max()
            .unwrap_or(0);
        let step = chart::step_for(top);
        let mut lines = Vec::new();
        for curve in curves {
            lines.extend(super::wrap(
                &format!(
                    "The congestion window of {} ({}'s socket, {}), in segments, as its \
                     kernel gave it between round trips:",
                    curve.socket, curve.actor, curve.algorithm
                ),
                "",
                super::WIDTH,
            ));
            lines.extend(chart::draw(&curve.bars, step));
            let mut legend: Vec<&str> = Vec::new();
            for (letter, meaning) in [
                ('S', "S slow start"),
                ('A', "A congestion avoidance"),
                ('D', "D disorder"),
                ('R', "R fast recovery"),
                ('L', "L loss (after a timeout)"),
                ('C', "C reduced (CWR)"),
            ] {
                if curve.bars.iter().any(|b| b.phase == letter) {
                    legend.push(meaning);
                }
            }
            if curve
                .bars
                .iter()
                .any(|b| b.ssthresh.is_some_and(|s| s > b.cwnd))
            {
                legend.push("- ssthresh, where above the bar");
            }
            lines.extend(super::wrap(&legend.join(" · "), "  ", super::WIDTH));
            if curve.clock {
                lines.extend(super::wrap(
                    "Right of ┆: readings that depend on the kernel's clock (CUBIC's \
                     curve, RFC 9438 §4.2); they differ a little from run to run.",
                    "  ",
                    super::WIDTH,
                ));
            }
            lines.push(String::new());
        }
        lines
            .into_iter()
            .map(|l| self.p().paint(&l, styles::note()))
            .collect()
    }

    fn capture_end(&mut self, end: &event::CaptureEnd) -> Vec<String> {
        let Some(start) = &self.capture else {
            return Vec::new();
        };
        if !start.live {
            let skipped = end.frames - end.explained - end.malformed;
            let mut text = format!(
                "\n{} frames: {} TCP or UDP packets explained, {skipped} other frames skipped",
                end.frames, end.explained
            );
            if end.malformed > 0 {
                text.push_str(&format!(
                    ", {} malformed (each named above, with the reason)",
                    end.malformed
                ));
            }
            text.push('.');
            if let Some(stopped) = &end.stopped {
                text.push_str(&format!(
                    "\nThe file stops being readable at frame {}: {}.",
                    stopped.frame, stopped.reason
                ));
            }
            return vec![self.p().paint(&text, styles::good())];
        }
        let mut lines = watch_summary(self.p(), &self.conversations);
        let tcp = self
            .conversations
            .iter()
            .any(|c| c.protocol == Some(crate::packet::Protocol::Tcp));
        if tcp && start.congestion_unread == Some(event::CongestionUnread::NotSocklabs) {
            lines.extend(
                super::wrap(
                    "The kernel's congestion window of these connections is not shown: \
                     their sockets belong to programs socklab did not start, in the \
                     machine's own network namespace, and socklab asks a kernel only \
                     about the sockets of its own namespaces (a lesson's). `ss -ti` \
                     prints it for them.",
                    "  ",
                    super::WIDTH,
                )
                .into_iter()
                .map(|l| self.p().paint(&l, styles::dim())),
            );
        }
        lines
    }
}

/// The columns of a packet: its sender's and receiver's, in the order of
/// their positions (left is the lower).
pub fn columns(from: (&str, usize), to: (&str, usize), row: &Row) -> Columns {
    let sender = Side {
        actor: from.0.to_string(),
        actor_index: from.1,
        addr: row.packet.src,
    };
    let receiver = Side {
        actor: to.0.to_string(),
        actor_index: to.1,
        addr: row.packet.dst,
    };
    if sender.actor_index <= receiver.actor_index {
        Columns {
            left: sender,
            right: receiver,
        }
    } else {
        Columns {
            left: receiver,
            right: sender,
        }
    }
}

/// The kernel's view as a table: a heading, a row per socket with its
/// state and whether the packets agree, and the multicast groups.
fn kernel_lines(p: &Painter, table: &KernelTable) -> Vec<String> {
    let mut lines = Vec::new();
    if !table.sockets.is_empty() {
        let rows: Vec<(String, String, String, String)> = table
            .sockets
            .iter()
            .map(|r| {
                let check = match &r.check {
                    event::Check::None => String::new(),
                    event::Check::Agrees => p.paint("✓ as the packets show", styles::good()),
                    event::Check::Differs(inferred) => {
                        p.paint(&format!("≠ the packets suggest {inferred}"), styles::warn())
                    }
                };
                (r.name.clone(), r.state.clone(), r.addresses.clone(), check)
            })
            .collect();
        let width = |f: fn(&(String, String, String, String)) -> &String| {
            rows.iter().map(|r| f(r).chars().count()).max().unwrap_or(0)
        };
        let (w0, w1, w2) = (width(|r| &r.0), width(|r| &r.1), width(|r| &r.2));
        lines.push(String::new());
        lines.push(p.paint(
            if table.hosts {
                "  The kernels' own view (/proc/net on each host):"
            } else {
                "  The kernel's own view (/proc/net in the sandbox):"
            },
            styles::dim(),
        ));
        for (label, state, addrs, check) in rows {
            lines.push(
                format!(
                    "    {label:<w0$}  {}  {addrs:<w2$}  {check}",
                    p.paint(&format!("{state:<w1$}"), styles::state()),
                )
                .trim_end()
                .to_string(),
            );
        }
    }
    if !table.groups.is_empty() {
        let width = table
            .groups
            .iter()
            .map(|g| g.host.chars().count())
            .max()
            .unwrap_or(0);
        lines.push(String::new());
        lines.push(p.paint(
            "  Multicast groups each kernel is in, on eth0 (/proc/net/igmp6):",
            styles::dim(),
        ));
        for host in &table.groups {
            let named: Vec<String> = host
                .groups
                .iter()
                .map(|(group, name)| format!("{group} ({name})"))
                .collect();
            lines.push(format!("    {:<width$}  {}", host.host, named.join(", ")));
        }
        if table.groups_left_out {
            lines.extend(
                super::wrap(
                    "Not shown: the groups every IPv6 host joins for itself, ff01::1 \
                     (all nodes of this host) and ff02::1:ff00:N (solicited-node, \
                     where neighbour discovery asks for an address).",
                    "    ",
                    super::WIDTH,
                )
                .into_iter()
                .map(|l| p.paint(&l, styles::dim())),
            );
        }
    }
    lines
}

/// The first lines of a replay or a watch.
fn capture_title(p: &Painter, start: &event::CaptureStart) -> Vec<String> {
    if start.live {
        let ports = if start.ports.is_empty() {
            "every port".to_string()
        } else {
            let list: Vec<String> = start.ports.iter().map(u16::to_string).collect();
            format!("port {}", list.join(", "))
        };
        return vec![p.paint(
            &format!(
                "Watching TCP and UDP on {} ({ports}); Ctrl-C ends with a summary.",
                start.source
            ),
            styles::dim(),
        )];
    }
    vec![
        p.paint(
            &format!("socklab · replay of {}", start.source),
            styles::title(),
        ),
        p.paint(&"═".repeat(super::WIDTH), styles::rule()),
    ]
}

/// What `watch` saw, one conversation at a time.
fn watch_summary(p: &Painter, conversations: &[crate::watch::ConversationSummary]) -> Vec<String> {
    use crate::packet::Protocol;
    let mut lines = vec![
        String::new(),
        p.paint(
            &match conversations.len() {
                0 => "No conversation was seen.".to_string(),
                1 => "Watched 1 conversation:".to_string(),
                n => format!("Watched {n} conversations:"),
            },
            styles::title(),
        ),
    ];
    for c in conversations {
        let proto = match c.protocol {
            Some(Protocol::Udp) => "UDP",
            _ => "TCP",
        };
        let (client, server) = (
            c.client.map_or("?".into(), |a| a.to_string()),
            c.server.map_or("?".into(), |a| a.to_string()),
        );
        lines.push(format!("  {proto} {client} ⇄ {server}"));
        lines.push(format!(
            "      {} packets; {} bytes from the client, {} from the server; {} resent; {}",
            c.packets,
            c.bytes.0,
            c.bytes.1,
            c.resent,
            c.ending()
        ));
    }
    lines
}
