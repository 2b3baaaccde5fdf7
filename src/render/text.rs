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
use crate::t;
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
    /// Under each packet that carries data, its start (replay, watch: a
    /// learner's own traffic, whose messages the learner wants to see;
    /// a lesson shows them in its calls already).
    pub data: bool,
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
    /// The SYN's options and `win=` have been explained in a line.
    options_glossed: bool,
    window_glossed: bool,
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
    /// The kernel view's ✓ and Linux's state names have been explained.
    kernel_legend: KernelLegend,
    /// The last thing shown was a question's answer: the code that follows
    /// it is set apart by a blank line.
    after_answer: bool,
    /// The last thing shown was a step's header, which ends with a blank
    /// line: the kernel's view right under it (a step with no calls and
    /// no packets, such as an exercise's first check) needs no other.
    after_header: bool,
    /// An exercise's checks so far, for the tally.
    checks: Vec<event::CheckDone>,
    /// The TCP states glossed so far (Chinese).
    glossed: std::collections::HashSet<crate::packet::TcpState>,
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
                options_glossed: false,
                window_glossed: false,
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
            kernel_legend: KernelLegend::default(),
            after_answer: false,
            after_header: false,
            checks: Vec::new(),
            glossed: Default::default(),
        }
    }

    fn p(&self) -> &Painter {
        &self.options.painter
    }

    /// What an event adds to the screen.
    pub fn present(&mut self, event: &Event) -> Vec<Block> {
        let mut blocks = self.close_ladder_before(event);
        let after_answer = std::mem::take(&mut self.after_answer);
        let lines = match event {
            Event::Lesson(start) => self.lesson_start(start),
            Event::Step(step) => self.step_start(step),
            Event::Call(made) => self.call_made(made, after_answer),
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
            Event::Question(question) => self.question_asked(question),
            Event::Answer(answer) => match self.question.take() {
                None => Vec::new(),
                Some(q) => {
                    self.after_answer = true;
                    match answer.given {
                        Some(given) => super::verdict(self.p(), &q.explain, q.answer, given),
                        None => super::answer(self.p(), &q.choices, q.answer, &q.explain),
                    }
                }
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
            Event::Kernel(table) => {
                let mut lines = kernel_lines(&self.options.painter, table, &mut self.kernel_legend);
                if self.after_header && lines.first().is_some_and(String::is_empty) {
                    lines.remove(0);
                }
                lines
            }
            Event::Congestion(reading) => self.congestion(reading),
            Event::After(after) => super::after(self.p(), &self.prose(&after.text)),
            Event::End(end) => self.lesson_end(end),
            Event::Capture(start) => {
                self.capture = Some(start.clone());
                self.actors = vec!["client".into(), "server".into()];
                capture_title(self.p(), start)
            }
            Event::Lull => Vec::new(),
            Event::Skipped(skipped) => self.skipped_frame(skipped),
            Event::Conversation(summary) => {
                self.conversations.push(summary.clone());
                Vec::new()
            }
            Event::CaptureEnd(end) => self.capture_end(end),
            Event::Check(check) => {
                self.checks.push(check.clone());
                // The verdicts of checks that did not run are in the tally.
                if check.verdict == event::Verdict::NotRun {
                    Vec::new()
                } else {
                    super::exercise::verdict(self.p(), check)
                }
            }
            Event::Program(report) => {
                self.in_step = false;
                let failed = self
                    .checks
                    .iter()
                    .any(|c| c.verdict != event::Verdict::Passed);
                super::exercise::program(self.p(), report, failed)
            }
            Event::ExerciseEnd(end) => super::exercise::end(self.p(), &self.checks, end),
        };
        self.after_header = match event {
            Event::Step(_) => true,
            _ => self.after_header && lines.is_empty() && blocks.is_empty(),
        };
        if !lines.is_empty() {
            blocks.push(Block::now(lines));
        }
        blocks
    }

    /// What the ladder shows before `event`: the run of packets waiting
    /// for its summary row, or the run so far before a congestion reading;
    /// and, before prose or code, forgetting its column titles.
    fn close_ladder_before(&mut self, event: &Event) -> Vec<Block> {
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
        blocks
    }

    /// A step's header: its number (or check number) and title, its text.
    fn step_start(&mut self, step: &event::StepStart) -> Vec<String> {
        let mut lines = Vec::new();
        if self.in_step {
            lines.push(String::new());
        }
        self.in_step = true;
        self.ladder.zero = None;
        let title = self.prose(&step.title);
        let title = title.as_ref();
        let exercise = self.lesson.as_ref().and_then(|l| l.exercise.as_ref());
        let head = match (exercise, step.check) {
            (Some(e), Some(check)) => t!(
                "check-title",
                check = check,
                total = e.checks,
                title = title
            ),
            (Some(_), None) => t!("setup-title", title = title),
            (None, _) => t!(
                "step-title",
                step = step.step,
                total = step.total,
                title = title
            ),
        };
        lines.extend(super::step_header(self.p(), &head, &self.prose(&step.text)));
        lines
    }

    /// A call's code, after the prelude the first time; nothing outside a
    /// lesson.
    fn call_made(&mut self, made: &event::CallMade, after_answer: bool) -> Vec<String> {
        let mut lines = Vec::new();
        let (p, lang) = (self.options.painter, self.options.lang);
        let Some(lesson) = &self.lesson else {
            return lines;
        };
        if after_answer {
            lines.push(String::new());
        }
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

    /// A question and its choices, kept for the answer that follows.
    fn question_asked(&mut self, question: &event::QuestionAsked) -> Vec<String> {
        // The words that name what the code shows are the code's
        // language's, in the explanation and choices too.
        let mut question = question.clone();
        question.ask = self.prose(&question.ask).into_owned();
        question.explain = self.prose(&question.explain).into_owned();
        for choice in &mut question.choices {
            *choice = self.prose(choice).into_owned();
        }
        let mut lines = super::question(self.p(), &question.ask, &question.choices);
        self.question = Some(question.clone());
        if !question.after_code {
            lines.remove(0);
        }
        lines
    }

    /// The end of a lesson: its charts, the packet count, the score.
    fn lesson_end(&mut self, end: &event::LessonEnd) -> Vec<String> {
        let mut lines = Vec::new();
        if self.in_step {
            lines.push(String::new());
            self.in_step = false;
        }
        lines.extend(self.charts());
        // Frames the lab wire had no room for are not a lesson's
        // fault: the machine did not keep up, and the capture is
        // not whole.
        let (text, style) = if end.lost == 0 {
            (t!("end-complete", packets = end.packets), styles::good())
        } else {
            let text = t!("end-complete-lost", packets = end.packets, lost = end.lost);
            (text, styles::warn())
        };
        lines.extend(
            super::wrap(&text, "", self.p().width())
                .into_iter()
                .map(|l| self.p().paint(&l, style)),
        );
        if end.answered > 0 {
            lines.push(t!(
                "end-questions",
                right = end.right,
                answered = end.answered
            ));
        }
        lines
    }

    /// A frame that could not be explained, and why.
    fn skipped_frame(&mut self, skipped: &event::SkippedFrame) -> Vec<String> {
        self.ladder.columns = None;
        let (frame, reason) = (skipped.frame, skipped.reason.as_str());
        let text = match skipped.why {
            event::Skipped::Malformed => {
                t!("frame-malformed", frame = frame, reason = reason)
            }
            event::Skipped::Unread => t!("frame-skipped", frame = frame, reason = reason),
        };
        let text = format!("  {text}");
        vec![self.p().paint(&text, styles::rule())]
    }

    /// Nothing more comes: what a run holds back is shown.
    pub fn finish(&mut self) -> Vec<Block> {
        self.end_run()
    }

    /// A lesson's prose with its placeholders (`{python: b'' | rust:
    /// Ok(0)}`) in the words of the code shown.
    pub(crate) fn prose<'a>(&self, text: &'a str) -> std::borrow::Cow<'a, str> {
        code::prose(self.options.lang, text)
    }

    /// Packets explained so far.
    pub fn packets(&self) -> usize {
        self.ladder.packets
    }

    fn lesson_start(&mut self, start: &LessonStart) -> Vec<String> {
        self.actors = start.actors.clone();
        self.lesson = Some(start.clone());
        match &start.exercise {
            None => super::lesson_header(
                self.p(),
                &t!("lesson-title", title = self.prose(&start.title).as_ref()),
                &self.prose(&start.summary),
                start.family,
                start.on_wire,
                self.options.lang,
            ),
            Some(exercise) => {
                let mut lines = super::lesson_header(
                    self.p(),
                    &t!("exercise-title", title = self.prose(&start.title).as_ref()),
                    &self.prose(&start.summary),
                    start.family,
                    start.on_wire,
                    self.options.lang,
                );
                let command = exercise.command.join(" ");
                let said = t!(
                    "exercise-program",
                    command = command.as_str(),
                    actor = exercise.program.as_str()
                );
                lines.splice(
                    lines.len() - 1..lines.len() - 1,
                    std::iter::once(String::new()).chain(super::wrap(&said, "", self.p().width())),
                );
                lines
            }
        }
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
                    let mut lines = lines;
                    lines.extend(self.data_preview(&item.row));
                    lines.extend(self.term_glosses(&item.row));
                    lines.extend(self.state_glosses(&item.row));
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

    /// The start of the data a packet carries, on a line under it
    /// (`data: "hello"`), when the text shows data (replay, watch) and the
    /// capture kept some (a recording keeps none).
    fn data_preview(&self, row: &Row) -> Vec<String> {
        if !self.options.data {
            return Vec::new();
        }
        let (preview, total) = match &row.packet.transport {
            crate::packet::Transport::Tcp(seg) => (&seg.preview, seg.payload_len),
            crate::packet::Transport::Udp {
                preview,
                payload_len,
                ..
            } => (preview, *payload_len),
            _ => return Vec::new(),
        };
        if preview.0.is_empty() || total == 0 {
            return Vec::new();
        }
        let data = super::preview::preview(&preview.0, total as usize);
        let indent = " ".repeat(ladder::NOTE_INDENT);
        super::wrap(&t!("note-payload", data = data), &indent, self.p().width())
            .into_iter()
            .map(|line| self.p().paint(&line, styles::output()))
            .collect()
    }

    /// The terms of a row a learner meets here for the first time in the
    /// lesson, each explained in a line under it: the SYN's options (MSS,
    /// SACK-permitted, timestamps, wscale) and `win=` with `seq`, `ack` and
    /// `len`. A lesson further on explains them at length; the learner
    /// should not have to wait for it to read the first arrow.
    fn term_glosses(&mut self, row: &Row) -> Vec<String> {
        let Some(_) = &row.tcp else {
            return Vec::new();
        };
        let mut glosses = Vec::new();
        let options = row.notes.iter().any(|n| {
            matches!(n, Note::HandshakeSyn { options, .. } | Note::HandshakeSynAck { options, .. }
                if options.iter().any(|o| !matches!(o, crate::packet::TcpOption::Sack)))
        });
        if options && !self.ladder.options_glossed {
            self.ladder.options_glossed = true;
            glosses.push(t!("gloss-options"));
        }
        if !self.ladder.window_glossed {
            self.ladder.window_glossed = true;
            glosses.push(t!("gloss-window"));
        }
        let indent = " ".repeat(ladder::NOTE_INDENT);
        glosses
            .iter()
            .flat_map(|text| super::wrap(text, &indent, self.p().width()))
            .map(|l| self.p().paint(&l, styles::note()))
            .collect()
    }

    /// In Chinese, each TCP state the first time the ladder shows it: its
    /// RFC 9293 name stays (as Wireshark and the RFC write it), glossed in
    /// Chinese with a line from the glossary.
    fn state_glosses(&mut self, row: &Row) -> Vec<String> {
        if crate::i18n::language() != crate::i18n::Language::Chinese {
            return Vec::new();
        }
        let Some(tcp) = &row.tcp else {
            return Vec::new();
        };
        let mut lines = Vec::new();
        let states = [
            tcp.sender.before,
            tcp.receiver.before,
            tcp.sender.after,
            tcp.receiver.after,
        ];
        for state in states {
            if !self.glossed.insert(state) {
                continue;
            }
            let Some(term) = crate::i18n::glossary::find(&state.to_string()) else {
                continue;
            };
            let text = t!(
                "state-gloss",
                term = term.zh.as_str(),
                explain = term.zh_explain.as_str()
            );
            lines.extend(
                super::wrap(&text, &" ".repeat(ladder::NOTE_INDENT), self.p().width())
                    .into_iter()
                    .map(|l| self.p().paint(&l, styles::note())),
            );
        }
        lines
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
            event::ReadWhen::Quiet => t!("congestion-whose", s = reading.actor.as_str()),
            event::ReadWhen::Held => t!("congestion-whose-now", s = reading.actor.as_str()),
        };
        let head = t!(
            "congestion-head",
            whose = whose,
            algorithm = info.algorithm.as_str()
        );
        let numbers = [
            info.ca_state.name().to_string(),
            format!("cwnd {}", mark(info.cwnd)),
            format!("ssthresh {ssthresh}"),
            t!("congestion-unacked", unacked = mark(info.unacked)),
        ]
        .join(" · ");
        // One line where it fits; else the numbers under their heading,
        // never a number parted from its name.
        let width = self.p().width();
        // No space after a full-width colon (Chinese).
        let gap = if head.ends_with('：') { "" } else { " " };
        let line = format!("  {head}{gap}{numbers}");
        if textwrap::core::display_width(&line) <= width {
            lines.push(self.p().paint(&line, styles::state()));
        } else {
            lines.push(self.p().paint(&format!("  {head}"), styles::state()));
            lines.push(self.p().paint(&format!("    {numbers}"), styles::state()));
        }
        if info.sacked + info.lost + info.retrans > 0 {
            // Without SACK, Linux counts each duplicate ACK as one segment
            // the receiver holds (`tcp_add_reno_sack`).
            let counts = if info.sack {
                t!(
                    "congestion-counts-sack",
                    sacked = info.sacked,
                    lost = info.lost,
                    retrans = info.retrans
                )
            } else {
                t!(
                    "congestion-counts-dupacks",
                    sacked = info.sacked,
                    lost = info.lost,
                    retrans = info.retrans
                )
            };
            lines.extend(
                super::wrap(&counts, "    ", width)
                    .into_iter()
                    .map(|l| self.p().paint(&l, styles::state())),
            );
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
            super::wrap(&text, indent, width)
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
                super::wrap(&check, indent, width)
                    .into_iter()
                    .map(|l| self.p().paint(&l, style)),
            );
        }
        // A held frame is on the wire, not yet in the capture: no reading
        // taken then is in step with it, nor meant to be.
        if !reading.in_step && reading.when == event::ReadWhen::Quiet {
            lines.extend(
                super::wrap(&t!("congestion-out-of-step"), indent, width)
                    .into_iter()
                    .map(|l| self.p().paint(&l, styles::aside())),
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
        let width = self.p().width();
        let mut lines = Vec::new();
        for curve in curves {
            // A socket named after its algorithm (tcp-congestion's `reno`
            // and `cubic`) is not told twice: "reno (client's socket, reno)".
            let caption = if curve.socket == curve.algorithm {
                t!(
                    "chart-caption-same",
                    socket = curve.socket.as_str(),
                    actor = curve.actor.as_str()
                )
            } else {
                t!(
                    "chart-caption",
                    socket = curve.socket.as_str(),
                    actor = curve.actor.as_str(),
                    algorithm = curve.algorithm.as_str()
                )
            };
            lines.extend(super::wrap(&caption, "", width));
            lines.extend(chart::draw(&curve.bars, step, width));
            let mut legend: Vec<String> = Vec::new();
            for (letter, meaning) in [
                ('S', t!("chart-slow-start")),
                ('A', t!("chart-avoidance")),
                ('D', t!("chart-disorder")),
                ('R', t!("chart-recovery")),
                ('L', t!("chart-loss")),
                ('C', t!("chart-cwr")),
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
                legend.push(t!("chart-ssthresh"));
            }
            lines.extend(super::wrap(&legend.join(" · "), "  ", width));
            if curve.clock {
                lines.extend(super::wrap(&t!("chart-clock"), "  ", width));
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
            let mut texts = vec![t!(
                "replay-end",
                frames = end.frames,
                explained = end.explained,
                skipped = skipped,
                malformed = end.malformed
            )];
            if let Some(stopped) = &end.stopped {
                texts.push(t!(
                    "replay-stopped",
                    frame = stopped.frame,
                    reason = stopped.reason.as_str()
                ));
            }
            let mut lines = vec![String::new()];
            for text in texts {
                lines.extend(
                    super::wrap(&text, "", self.p().width())
                        .into_iter()
                        .map(|l| self.p().paint(&l, styles::good())),
                );
            }
            return lines;
        }
        let mut lines = watch_summary(self.p(), &self.conversations);
        let tcp = self
            .conversations
            .iter()
            .any(|c| c.protocol == Some(crate::packet::Protocol::Tcp));
        if tcp && start.congestion_unread == Some(event::CongestionUnread::NotSocklabs) {
            lines.extend(
                super::wrap(&t!("watch-congestion-unread"), "  ", self.p().width())
                    .into_iter()
                    .map(|l| self.p().paint(&l, styles::aside())),
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
/// What the kernel view has explained so far in a lesson: its ✓ column,
/// and that its TCP states are Linux's names for RFC 9293's.
#[derive(Debug, Default)]
pub(crate) struct KernelLegend {
    check: bool,
    states: bool,
}

impl KernelLegend {
    /// Everything said already: no legend under the table.
    pub(crate) fn said() -> KernelLegend {
        KernelLegend {
            check: true,
            states: true,
        }
    }
}

/// The kernel's view as a table: a heading, a row per socket with its
/// state, whether the packets agree, and its addresses (on a line of their
/// own when the row would not fit), and the multicast groups. `legend`:
/// whether the ✓ and Linux's state names have been explained yet (once).
pub(crate) fn kernel_lines(
    p: &Painter,
    table: &KernelTable,
    legend: &mut KernelLegend,
) -> Vec<String> {
    let mut lines = Vec::new();
    if !table.sockets.is_empty() {
        lines.extend(kernel_socket_lines(p, table, legend));
    }
    if !table.groups.is_empty() {
        lines.extend(kernel_group_lines(p, table));
    }
    if !table.checksum_errors.is_empty() {
        lines.extend(kernel_checksum_error_lines(p, table));
    }
    lines
}

/// Width on screen of a cell.
fn display_width(s: &str) -> usize {
    textwrap::core::display_width(s)
}

/// `s` padded with spaces to `w` columns on screen.
fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(display_width(s))))
}

/// A heading or a legend, wrapped at `indent` and painted as an aside.
fn aside_lines(p: &Painter, text: &str, indent: &str) -> Vec<String> {
    super::wrap(text, indent, p.width())
        .into_iter()
        .map(|l| p.paint(&l, styles::aside()))
        .collect()
}

/// A socket's row of the kernel's table: its label, its state, whether
/// the packets agree, its addresses.
fn kernel_row_texts(r: &event::KernelRow) -> (String, String, String, &String) {
    use crate::event::{Check, KernelState, SocketLabel};
    let name = match &r.name {
        SocketLabel::Socket(name) => name.clone(),
        SocketLabel::Closed(name) => t!("kernel-closed", name = name.as_str()),
        SocketLabel::AcceptQueue(l) => t!("kernel-queued", listener = l.as_str()),
        SocketLabel::SynQueue(l) => t!("kernel-half-open", listener = l.as_str()),
        SocketLabel::Program(actor) => t!("kernel-program", actor = actor.as_str()),
        SocketLabel::Unknown => "?".to_string(),
    };
    let state = match &r.state {
        KernelState::Tcp(linux) => linux.clone(),
        KernelState::Connected => t!("kernel-connected"),
        KernelState::Unconnected => t!("kernel-unconnected"),
        KernelState::Gone => t!("kernel-gone"),
    };
    let check = match &r.check {
        Check::None => String::new(),
        Check::Agrees => t!("kernel-agrees"),
        Check::Differs(inferred) => t!("kernel-differs", state = inferred.as_str()),
    };
    (name, state, check, &r.addresses)
}

/// The sockets' table: its heading, a row per socket, and the legend
/// the first time its ✓ or Linux's state names appear.
fn kernel_socket_lines(p: &Painter, table: &KernelTable, legend: &mut KernelLegend) -> Vec<String> {
    use crate::event::KernelState;
    let mut lines = Vec::new();
    let rows: Vec<(String, String, String, &String)> =
        table.sockets.iter().map(kernel_row_texts).collect();
    let column = |texts: Vec<&String>| {
        texts
            .into_iter()
            .map(|t| display_width(t))
            .max()
            .unwrap_or(0)
    };
    let w0 = column(rows.iter().map(|r| &r.0).collect());
    let w1 = column(rows.iter().map(|r| &r.1).collect());
    let w2 = column(rows.iter().map(|r| &r.2).collect());
    lines.push(String::new());
    let heading = if table.hosts {
        t!("kernel-heading-hosts")
    } else {
        t!("kernel-heading")
    };
    lines.extend(aside_lines(p, &heading, "  "));
    let tcp = table
        .sockets
        .iter()
        .any(|r| matches!(r.state, KernelState::Tcp(_)));
    // When one row would not fit, every row has its addresses on a line
    // of their own, under the state: the table stays a table.
    let head_width = 4 + w0 + 2 + w1 + if w2 > 0 { 2 + w2 } else { 0 };
    let widest = rows.iter().map(|r| display_width(r.3)).max().unwrap_or(0);
    let fold = head_width + 2 + widest > p.width();
    for (label, state, check, addrs) in &rows {
        let check_text = match check.as_str() {
            "" => pad("", w2),
            _ if check == &t!("kernel-agrees") => p.paint(&pad(check, w2), styles::good()),
            _ => p.paint(&pad(check, w2), styles::warn()),
        };
        let head = format!(
            "    {}  {}{}{check_text}",
            pad(label, w0),
            p.paint(&pad(state, w1), styles::state()),
            if w2 > 0 { "  " } else { "" },
        );
        if fold {
            // Under the state, or, when that would not fit either,
            // ending at the page's edge.
            let under = (4 + w0 + 2).min(p.width().saturating_sub(display_width(addrs)));
            lines.push(head.trim_end().to_string());
            lines.push(format!("{}{addrs}", " ".repeat(under.max(4))));
        } else {
            lines.push(format!("{head}  {addrs}").trim_end().to_string());
        }
    }
    // Each said once: the ✓ where its column first appears, Linux's
    // state names where the first TCP state is shown (in hold mode,
    // before the packets and their ✓ are).
    let check = w2 > 0 && !legend.check;
    let states = tcp && !legend.states;
    legend.check |= check;
    legend.states |= states;
    let said = match (check, states) {
        (true, true) => Some(t!("kernel-legend")),
        (true, false) => Some(t!("kernel-legend-check")),
        (false, true) => Some(t!("kernel-legend-states")),
        (false, false) => None,
    };
    if let Some(said) = said {
        lines.extend(aside_lines(p, &said, "    "));
    }
    lines
}

/// The multicast groups each host has joined.
fn kernel_group_lines(p: &Painter, table: &KernelTable) -> Vec<String> {
    use crate::event::GroupName;
    let mut lines = Vec::new();
    let host_width = table
        .groups
        .iter()
        .map(|g| display_width(&g.host))
        .max()
        .unwrap_or(0);
    lines.push(String::new());
    lines.extend(aside_lines(p, &t!("kernel-groups"), "  "));
    for host in &table.groups {
        let named: Vec<String> = host
            .groups
            .iter()
            .map(|(group, name)| {
                let name = match name {
                    GroupName::AllNodes => t!("group-all-nodes"),
                    GroupName::Lesson(name) => name.clone(),
                    GroupName::Joined => t!("group-joined"),
                };
                format!("{group} ({name})")
            })
            .collect();
        let indent = " ".repeat(4 + host_width + 2);
        let mut text = super::wrap(&named.join(", "), &indent, p.width());
        if let Some(first) = text.first_mut() {
            *first = format!(
                "    {}  {}",
                pad(&host.host, host_width),
                first.trim_start()
            );
        }
        lines.extend(text);
    }
    if table.groups_left_out {
        lines.extend(aside_lines(p, &t!("kernel-groups-left-out"), "    "));
    }
    lines
}

/// The hosts' counts of segments and datagrams dropped for a bad checksum.
fn kernel_checksum_error_lines(p: &Painter, table: &KernelTable) -> Vec<String> {
    let mut lines = Vec::new();
    let host_width = table
        .checksum_errors
        .iter()
        .map(|c| display_width(&c.host))
        .max()
        .unwrap_or(0);
    lines.push(String::new());
    lines.extend(aside_lines(p, &t!("kernel-checksum-errors"), "  "));
    for host in &table.checksum_errors {
        // Protocol names stay as the RFCs write them.
        lines.push(format!(
            "    {}  TCP {}  UDP {}",
            pad(&host.host, host_width),
            host.tcp,
            host.udp
        ));
    }
    lines
}

/// The first lines of a replay or a watch.
fn capture_title(p: &Painter, start: &event::CaptureStart) -> Vec<String> {
    if start.live {
        let ports = if start.ports.is_empty() {
            t!("watch-every-port")
        } else {
            let list: Vec<String> = start.ports.iter().map(u16::to_string).collect();
            t!("watch-ports", count = list.len(), ports = list.join(", "))
        };
        return vec![p.paint(
            &t!("watch-start", iface = start.source.as_str(), ports = ports),
            styles::aside(),
        )];
    }
    vec![
        p.paint(
            &t!("replay-title", file = start.source.as_str()),
            styles::title(),
        ),
        p.paint(&"═".repeat(p.width()), styles::rule()),
    ]
}

/// What `watch` saw, one conversation at a time.
fn watch_summary(p: &Painter, conversations: &[crate::watch::ConversationSummary]) -> Vec<String> {
    use crate::packet::Protocol;
    let mut lines = vec![
        String::new(),
        p.paint(
            &match conversations.len() {
                0 => t!("watch-none"),
                n => t!("watch-count", count = n),
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
        let text = t!(
            "watch-conversation",
            packets = c.packets,
            client = c.bytes.0,
            server = c.bytes.1,
            resent = c.resent,
            ending = c.ending().text()
        );
        lines.extend(super::wrap(&text, "      ", p.width()));
    }
    lines
}
