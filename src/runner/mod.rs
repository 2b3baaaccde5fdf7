//! The runner: performs a lesson for real and shows what happened.
//!
//! For each step it shows the prose and the Python calls, performs the calls
//! on real sockets, then waits (with a bound, never a fixed sleep) until the
//! capture has seen the packets the step expects, plus a short quiet period
//! for stragglers. Each packet goes through the tracker and is drawn on the
//! ladder; then the kernel's own view of the sockets is shown beside what
//! the packets suggest.
//!
//! The runner owns the I/O of a lesson (sockets, capture, output, pacing);
//! the decisions about what packets mean live in `track`, and how they look
//! in `render`.

mod kernel_view;
pub mod sockets;
pub mod view;

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::capture::decode::decode_ethernet;
use crate::capture::pcap::{PcapError, PcapOut};
use crate::capture::{CaptureError, Frame, LiveCapture};
use crate::lesson::{
    Addressing, Call, Chat, Expectation, Family, HostAddress, Lesson, Outcome, Payload, Peer,
    PyError, Question, SockType, Step, StepCall, WireKind,
};
use crate::packet::{Fate, Packet, TcpFlags};
use crate::render::code::{self, Lang};
use crate::wire::fault::FaultPlan;
use crate::wire::{Lab, WireError};

use crate::render::{self, Painter, json, python, styles};
use crate::track::Protocol;
use kernel_view::KernelView;
use sockets::Sockets;
use sockets::SocketsView;
pub use view::{LadderView, ViewIo};

/// How long a step may wait for the packets it expects. Loopback delivers
/// in microseconds; the longest kernel timer a lesson waits on is the
/// delayed ACK (40 ms to 200 ms).
pub const EXPECT_TIMEOUT: Duration = Duration::from_secs(3);

/// After the expected packets, how long the wire must stay silent before
/// the step is over, so that a packet that follows at once (a stray ACK) is
/// shown in the step that caused it.
pub const QUIET: Duration = Duration::from_millis(60);

/// In hold mode, how long a look for a held frame waits before the runner
/// checks on the call it is waiting for.
const HOLD_POLL: Duration = Duration::from_millis(10);

/// How long a call must stay blocked before a frame held meanwhile is
/// shown during it (see `serve_hold`).
const HOLD_GRACE: Duration = Duration::from_millis(150);

/// How long the wire may take to pass on a frame the learner let go.
const RELEASE_BOUND: Duration = Duration::from_millis(500);

/// Why a run stopped before the end of its lesson.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(
        "step {step} ({title}): expected `{expected}` on the wire, but it did not come within {} s; saw {saw}",
        EXPECT_TIMEOUT.as_secs()
    )]
    MissingPacket {
        step: usize,
        title: String,
        expected: String,
        saw: String,
    },
    #[error("step {step} ({title}): `{statement}` failed: {source}{hint}")]
    CallFailed {
        step: usize,
        title: String,
        statement: String,
        source: io::Error,
        hint: &'static str,
    },
    #[error(transparent)]
    Capture(#[from] CaptureError),
    #[error(transparent)]
    Wire(#[from] WireError),
    #[error(transparent)]
    Pcap(#[from] PcapError),
    #[error("cannot write the output: {0}")]
    Output(#[source] io::Error),
    #[error("cannot write {path}: {source}")]
    Export { path: PathBuf, source: io::Error },
    #[error("interrupted")]
    Interrupted,
    #[error("quit")]
    Quit,
}

/// Decides when the lesson moves on: at once (`--auto`), or when the
/// learner presses Enter.
pub trait Pacer {
    /// Waits before the next thing is shown. `Err(Quit)` or
    /// `Err(Interrupted)` end the run.
    fn pause(&mut self, out: &mut dyn Write, prompt: &str) -> Result<(), RunError>;

    /// A line the learner types after `prompt`, or `None` when nobody is
    /// there to type (the lesson's own lines are used then).
    fn input(&mut self, out: &mut dyn Write, prompt: &str) -> Result<Option<String>, RunError>;

    /// The learner's answer to a question with `choices` choices (0-based),
    /// or `None` when nobody is there to answer.
    fn answer(&mut self, out: &mut dyn Write, choices: usize) -> Result<Option<usize>, RunError>;
}

/// Never waits; only notices Ctrl-C.
pub struct AutoPacer {
    pub interrupted: Arc<AtomicBool>,
}

impl Pacer for AutoPacer {
    fn pause(&mut self, _out: &mut dyn Write, _prompt: &str) -> Result<(), RunError> {
        if self.interrupted.load(Ordering::Relaxed) {
            Err(RunError::Interrupted)
        } else {
            Ok(())
        }
    }

    fn answer(&mut self, out: &mut dyn Write, _choices: usize) -> Result<Option<usize>, RunError> {
        self.pause(out, "").map(|()| None)
    }

    fn input(&mut self, out: &mut dyn Write, _prompt: &str) -> Result<Option<String>, RunError> {
        self.pause(out, "").map(|()| None)
    }
}

/// A chat ends after this many rounds even if nobody types the word that
/// ends it: every wait has a bound.
const MAX_CHAT_ROUNDS: usize = 20;

pub struct Options {
    pub pcap: Option<PathBuf>,
    pub painter: Painter,
    /// The language the calls are shown in.
    pub lang: Lang,
    /// IPv4 or IPv6 addresses.
    pub family: Family,
    /// Show every packet of long transfers instead of a summary row.
    pub all_packets: bool,
    /// Also write what was shown as a Mermaid sequence diagram.
    pub mermaid: Option<PathBuf>,
    /// On the lab wire, keep each frame on the wire until the learner lets
    /// it go (lessons may also ask for it with `[network] hold`).
    pub hold: bool,
    /// One JSON object per event (README, "JSON output") instead of the
    /// ladder and its text.
    pub json: bool,
}

/// Where a run's frames come from: the sandbox's loopback, or the lab
/// wire between hosts in namespaces of their own.
enum Source {
    Loopback(LiveCapture),
    Wire(Lab),
}

impl Source {
    /// The next frame and what the wire did to it, waiting at most
    /// `timeout`.
    fn next(&self, timeout: Duration) -> Option<(Frame, Fate)> {
        match self {
            Source::Loopback(capture) => capture.next_frame(timeout).map(|f| (f, Fate::Delivered)),
            Source::Wire(lab) => lab.next_frame(timeout).map(|w| (w.frame, w.fate)),
        }
    }

    /// How long the capture must stay silent before a step is over: a
    /// straggler on a slow wire takes a round trip longer to show.
    fn quiet(&self) -> Duration {
        match self {
            Source::Loopback(_) => QUIET,
            Source::Wire(lab) => QUIET + lab.round_trip,
        }
    }
}

/// Runs one lesson to its end. The caller has already entered the sandbox.
pub fn run(
    lesson: &Lesson,
    options: Options,
    out: &mut dyn Write,
    pacer: &mut dyn Pacer,
    interrupted: Arc<AtomicBool>,
) -> Result<Summary, RunError> {
    let mut sockets = Sockets {
        addressing: options.family.into(),
        ..Sockets::default()
    };
    let holding = lesson
        .network
        .as_ref()
        .is_some_and(|n| n.hold || options.hold);
    if holding {
        // The learner takes as long as they like at each frame.
        sockets.call_timeout = sockets::HOLD_CALL_TIMEOUT;
    }
    let source = match &lesson.network {
        Some(spec) => {
            let lab = Lab::start(spec, FaultPlan::new(lesson.faults.clone()), holding)?;
            sockets.addressing.hosts = lab
                .hosts
                .iter()
                .map(|h| HostAddress {
                    actor: h.actor.clone(),
                    addr: h.addr,
                    link_local: h.link_local,
                    eth0: h.eth0,
                })
                .collect();
            sockets.addressing.groups = spec.groups.clone();
            sockets.hosts = lab
                .hosts
                .iter()
                .map(|h| (h.actor.clone(), h.netns.clone()))
                .collect();
            Source::Wire(lab)
        }
        None => Source::Loopback(LiveCapture::start("lo")?),
    };
    let pcap = options.pcap.as_deref().map(PcapOut::create).transpose()?;
    let mut runner = Runner {
        lesson,
        p: options.painter,
        lang: options.lang,
        out,
        pacer,
        interrupted,
        source,
        pcap,
        view: LadderView::new(options.all_packets),
        addressing: sockets.addressing.clone(),
        sockets,
        owners: BTreeMap::new(),
        kernel: KernelView::default(),
        summary: Summary::default(),
        holding,
        waiting: None,
        json: options.json,
        step_number: 0,
    };
    if options.mermaid.is_some() {
        runner.view.mermaid = Some(Default::default());
    }
    runner.run_all()?;
    runner.summary.packets_shown = runner.view.packets_shown;
    if let (Some(path), Some(mermaid)) = (&options.mermaid, &runner.view.mermaid) {
        write_export(path, &mermaid.render())?;
    }
    Ok(runner.summary)
}

/// Figures of a finished run.
#[derive(Debug, Default, Clone, Copy)]
pub struct Summary {
    pub frames: usize,
    pub packets_shown: usize,
    /// Questions the learner answered, and how many of them right.
    pub answered: usize,
    pub right: usize,
}

struct Runner<'a> {
    lesson: &'a Lesson,
    p: Painter,
    lang: Lang,
    out: &'a mut dyn Write,
    pacer: &'a mut dyn Pacer,
    interrupted: Arc<AtomicBool>,
    source: Source,
    pcap: Option<PcapOut>,
    /// The tracker and the ladder on screen.
    view: LadderView,
    sockets: Sockets,
    /// Who is at which address: a copy of the sockets' own, kept here
    /// because a blocking call in hold mode takes `sockets` to its thread
    /// while held frames are still attributed.
    addressing: Addressing,
    /// Which actor owns a port: how packets are attributed to actors.
    owners: BTreeMap<(Protocol, u16), String>,
    kernel: KernelView,
    summary: Summary,
    /// Frames wait on the wire until the learner lets each one go.
    holding: bool,
    /// A held frame taken from the wire but not shown yet.
    waiting: Option<Frame>,
    /// `--format json`: events on standard output instead of the ladder.
    json: bool,
    /// The step being run, for the JSON events.
    step_number: usize,
}

impl Runner<'_> {
    fn say(&mut self, lines: Vec<String>) -> Result<(), RunError> {
        if self.json {
            // The same things happen; they are told as JSON events instead.
            return Ok(());
        }
        for line in lines {
            writeln!(self.out, "{line}").map_err(RunError::Output)?;
        }
        self.out.flush().map_err(RunError::Output)
    }

    fn run_all(&mut self) -> Result<(), RunError> {
        let lesson = self.lesson;
        if self.json {
            self.event(
                "lesson",
                serde_json::json!({
                    "id": lesson.id,
                    "title": lesson.title,
                    "actors": lesson.actors,
                    "steps": lesson.steps.len(),
                }),
            )?;
        }
        self.say(render::lesson_header(
            &self.p,
            lesson,
            self.sockets.addressing.family,
        ))?;
        let total = lesson.steps.len();
        for (index, step) in lesson.steps.iter().enumerate() {
            self.step(index + 1, total, step)?;
        }
        let packets = match self.view.packets_shown {
            1 => "1 packet".to_string(),
            n => format!("{n} packets"),
        };
        // Frames the lab wire had no room for are not a lesson's fault: the
        // machine did not keep up, and the capture is not whole.
        let lost = match &self.source {
            Source::Wire(lab) => lab.lost(),
            Source::Loopback(_) => 0,
        };
        let mut end = vec![if lost == 0 {
            self.p.paint(
                &format!(
                    "Lesson complete: {packets} on the wire, every one captured from the kernel."
                ),
                styles::good(),
            )
        } else {
            self.p.paint(
                &format!(
                    "Lesson complete: {packets} on the wire. The wire lost {lost} more frame{} \
                     that it had no room for (the machine did not keep up), so the capture is \
                     not whole.",
                    if lost == 1 { "" } else { "s" }
                ),
                styles::warn(),
            )
        }];
        if self.json {
            self.event(
                "end",
                serde_json::json!({
                    "packets": self.view.packets_shown,
                }),
            )?;
        }
        if self.summary.answered > 0 {
            end.push(format!(
                "Questions: {} of {} right.",
                self.summary.right, self.summary.answered
            ));
        }
        self.say(end)
    }

    fn step(&mut self, number: usize, total: usize, step: &Step) -> Result<(), RunError> {
        self.step_number = number;
        if self.json {
            self.event(
                "step",
                serde_json::json!({
                    "step": number,
                    "title": step.title,
                    "text": step.text,
                }),
            )?;
        }
        self.say(render::step_header(&self.p, number, total, step))?;
        if !step.calls.is_empty() {
            self.pacer.pause(self.out, "run the code")?;
        }
        for call in &step.calls {
            self.call(number, step, call)?;
        }
        if let Some(question) = &step.question {
            self.ask(question, !step.calls.is_empty())?;
        }
        self.view.new_ladder();
        self.collect(number, step, &step.expect)?;
        if let Some(chat) = &step.chat {
            self.chat(number, step, chat)?;
        }
        if let Some(text) = &step.after {
            if self.json {
                self.event("after", serde_json::json!({ "step": number, "text": text }))?;
            }
            self.say(render::after(&self.p, text))?;
        }
        self.say(vec![String::new()])
    }

    fn call(&mut self, number: usize, step: &Step, step_call: &StepCall) -> Result<(), RunError> {
        let call = &step_call.call;
        let addressing = &self.sockets.addressing;
        let statement = python::statement(call, addressing);
        self.say(code::statement(&self.p, self.lang, call, addressing))?;
        // The kernel may keep a closed socket (TIME-WAIT): remember its name.
        if let Call::Close { name } = call
            && let Some(var) = self.sockets.vars.get(name)
            && let Some(local) = var.local()
        {
            let host = self.sockets.host_of(&var.actor);
            let key = kernel_view::socket_key(host, var.protocol(), local, var.peer());
            self.kernel.closing(key, name);
        }
        // A port nobody has bound still belongs to an actor's host: packets
        // to and from it are shown in that actor's column.
        if let Call::Connect { name, peer } | Call::SendTo { name, peer, .. } = call
            && let Peer::Port { actor, port } | Peer::Broadcast { actor, port } = peer
            && let Some(var) = self.sockets.vars.get(name)
        {
            self.owners.insert((var.protocol(), *port), actor.clone());
        }
        // Whether the connection meets a listener is decided now, when the
        // SYN goes out, not when the packet is explained later.
        if let Call::Connect { name, peer } = call
            && self
                .sockets
                .vars
                .get(name)
                .is_some_and(|v| v.kind == SockType::Stream)
        {
            let port = match peer {
                Peer::Socket { port, .. }
                | Peer::Port { port, .. }
                | Peer::Broadcast { port, .. }
                | Peer::Group { port, .. } => Some(*port),
                Peer::LastSender => None,
            };
            if let Some(port) = port {
                let listening = self.sockets.listening_ports().contains(&port);
                self.view.tracker.expect_connection(port, listening);
            }
        }
        let fail = |source: io::Error| {
            let hint = match source.kind() {
                io::ErrorKind::AddrInUse => {
                    " (another socket holds this port; `socklab list` has lessons on SO_REUSEADDR)"
                }
                io::ErrorKind::ConnectionRefused => " (nobody listens on that port)",
                // A blocking call gave up after its bound (CALL_TIMEOUT, or
                // the lesson's settimeout).
                io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => {
                    " (the call waited and nothing came: are the lesson's steps in the right order?)"
                }
                _ => "",
            };
            RunError::CallFailed {
                step: number,
                title: step.title.clone(),
                statement: statement.clone(),
                source,
                hint,
            }
        };
        let outcome = match (self.perform(call)?, step_call.error) {
            (Ok(outcome), None) => outcome,
            (Err(e), Some(expected)) if PyError::from_io(&e) == Some(expected) => {
                self.learn_owners();
                let lines = code::raised(&self.p, self.lang, expected, &e);
                self.call_event(number, &statement, &lines, Some(expected.name()))?;
                return self.say(lines);
            }
            (Ok(_), Some(expected)) => {
                return Err(fail(io::Error::other(format!(
                    "the lesson expects it to raise {}, but it succeeded",
                    expected.name()
                ))));
            }
            (Err(e), _) => return Err(fail(e)),
        };
        self.learn_owners();
        let kind = self.sockets.vars.get(call.socket()).map(|v| v.kind);
        let lines = code::outcome(&self.p, self.lang, call, kind, &outcome);
        self.call_event(number, &statement, &lines, None)?;
        self.say(lines)
    }

    /// `--format json`: a call, the lines the learner would see after it,
    /// and the exception it raised, if the lesson expected one.
    fn call_event(
        &mut self,
        step: usize,
        code: &str,
        shown: &[String],
        raised: Option<&str>,
    ) -> Result<(), RunError> {
        if !self.json {
            return Ok(());
        }
        self.event(
            "call",
            serde_json::json!({
                "step": step,
                "code": code,
                "shows": shown.iter().map(|l| l.trim()).collect::<Vec<_>>(),
                "raised": raised,
            }),
        )
    }

    /// A chat loop: a line from the learner (or from the lesson in
    /// `--auto`) goes to the server, which answers it, until the line that
    /// ends the chat. Each round is shown like a step of its own.
    fn chat(&mut self, number: usize, step: &Step, chat: &Chat) -> Result<(), RunError> {
        let actor = |name: &str| {
            self.sockets
                .vars
                .get(name)
                .map(|v| v.actor.clone())
                .unwrap_or_default()
        };
        let (client, server) = (actor(&chat.from), actor(&chat.to));
        let data = |from: &str, to: &str| Expectation {
            from: from.to_string(),
            to: to.to_string(),
            kind: WireKind::Tcp {
                flags: TcpFlags::ACK,
                data: true,
                zero_window: false,
            },
        };
        let expect = [data(&client, &server), data(&server, &client)];
        let mut scripted = chat.lines.iter();
        for _round in 0..MAX_CHAT_ROUNDS {
            let line = match self.pacer.input(self.out, &chat.prompt)? {
                Some(typed) => typed,
                None => {
                    let Some(line) = scripted.next() else { break };
                    // Shown as if typed, so the output reads the same.
                    self.say(vec![String::new(), format!("{}{line}", chat.prompt)])?;
                    line.clone()
                }
            };
            let payload = |text: String| Payload {
                text,
                repeat: 1,
                clock: false,
            };
            let round = [
                Call::Send {
                    name: chat.from.clone(),
                    data: payload(line.clone()),
                    all: true,
                },
                Call::Recv {
                    name: chat.to.clone(),
                    bufsize: 1024,
                },
                Call::Send {
                    name: chat.to.clone(),
                    data: payload(format!("{}{line}", chat.reply)),
                    all: true,
                },
                Call::Recv {
                    name: chat.from.clone(),
                    bufsize: 1024,
                },
            ];
            for call in round {
                self.call(number, step, &StepCall { call, error: None })?;
            }
            self.view.new_ladder();
            self.collect(number, step, &expect)?;
            if line.trim() == chat.until {
                break;
            }
        }
        Ok(())
    }

    /// Performs a call. In hold mode it runs on a thread of its own: a
    /// connect() blocks until its SYN-ACK comes, and that waits for the
    /// learner, who meanwhile sees each held frame and the kernel's view.
    fn perform(&mut self, call: &Call) -> Result<io::Result<Outcome>, RunError> {
        if !self.holding {
            return Ok(self.sockets.perform(call));
        }
        let view = self.sockets.view();
        let mut sockets = std::mem::take(&mut self.sockets);
        let (outcome, served) = std::thread::scope(|scope| {
            let worker = scope.spawn(|| sockets.perform(call));
            let mut served = Ok(());
            while !worker.is_finished() {
                let ended = || worker.is_finished();
                if let Err(e) = self.serve_hold(Some((&view, &ended))) {
                    // Let everything go, so that the call ends at once.
                    self.stop_holding();
                    served = Err(e);
                    break;
                }
            }
            let outcome = worker
                .join()
                .unwrap_or_else(|_| Err(io::Error::other("the call's thread panicked")));
            (outcome, served)
        });
        self.sockets = sockets;
        served.map(|()| outcome)
    }

    /// In hold mode, shows the next frame waiting on the wire (if one comes
    /// within a moment) with the kernel's view of the sockets, waits for
    /// the learner, then lets it go. Returns whether a frame was held.
    ///
    /// `call`: during a call on another thread, the sockets as it found
    /// them and whether it has ended. A frame is shown during a call only
    /// if the call is still blocked after `HOLD_GRACE`: one that the call's
    /// own ending sent (an ACK as recv() returns) waits to be shown after
    /// it, the same way every run.
    fn serve_hold(
        &mut self,
        call: Option<(&SocketsView, &dyn Fn() -> bool)>,
    ) -> Result<bool, RunError> {
        let Source::Wire(lab) = &self.source else {
            return Ok(false);
        };
        if !self.holding {
            return Ok(false);
        }
        let Some(frame) = self.waiting.take().or_else(|| lab.next_held(HOLD_POLL)) else {
            return Ok(false);
        };
        if let Some((_, ended)) = call {
            let grace = Instant::now() + HOLD_GRACE;
            while !ended() && Instant::now() < grace {
                std::thread::sleep(Duration::from_millis(2));
            }
            if ended() {
                self.waiting = Some(frame);
                return Ok(false);
            }
        }
        let sockets = call.map(|(sockets, _)| sockets);
        let held = decode_ethernet(0, frame.at, &frame.data)
            .ok()
            .flatten()
            .map(|packet| {
                let actor = |ip| {
                    self.addressing
                        .wire_name(ip)
                        .unwrap_or_else(|| ip.to_string())
                };
                (actor(packet.src.ip()), actor(packet.dst.ip()), packet)
            });
        if let Some((from, to, packet)) = held {
            self.say(render::held(&self.p, &from, &to, &packet))?;
            let now;
            let sockets = match sockets {
                Some(sockets) => sockets,
                None => {
                    now = self.sockets.view();
                    &now
                }
            };
            // The held frames have not been drawn yet, so the tracker has
            // nothing to compare with: the kernel's view alone.
            let lines = self.kernel.update(&self.p, sockets, &self.owners, None);
            self.say(lines)?;
            self.pacer.pause(self.out, "let it go")?;
        }
        if let Source::Wire(lab) = &self.source {
            lab.release();
        }
        Ok(true)
    }

    /// Ends hold mode: every frame goes on at once (after Ctrl-C or `q`).
    fn stop_holding(&mut self) {
        self.holding = false;
        if let Source::Wire(lab) = &self.source {
            lab.release_all();
        }
    }

    /// Asks before the packets are shown; in `--auto`, where nobody
    /// answers, shows the answer and why.
    /// `after_code`: the question follows the step's code lines, and a
    /// blank line separates them (the step's text ends with one already).
    fn ask(&mut self, question: &Question, after_code: bool) -> Result<(), RunError> {
        if self.json {
            self.event(
                "question",
                serde_json::json!({
                    "step": self.step_number,
                    "ask": question.ask,
                    "choices": question.choices,
                    "answer": question.answer + 1,
                    "explain": question.explain,
                }),
            )?;
        }
        if let Some(given) = {
            let mut lines = render::question(&self.p, question);
            if !after_code {
                lines.remove(0);
            }
            self.say(lines)?;
            self.pacer.answer(self.out, question.choices.len())?
        } {
            self.summary.answered += 1;
            if given == question.answer {
                self.summary.right += 1;
            }
            self.say(render::verdict(&self.p, question, given))
        } else {
            self.say(render::answer(&self.p, question))
        }
    }

    /// Records which actor each socket's port belongs to, once the kernel
    /// has given it one (at bind, connect, or the first sendto).
    fn learn_owners(&mut self) {
        for var in self.sockets.vars.values() {
            if let Some(local) = var.local().filter(|a| a.port() != 0) {
                self.owners
                    .insert((var.protocol(), local.port()), var.actor.clone());
            }
        }
    }

    fn owner(&self, protocol: Protocol, addr: SocketAddr) -> Option<&String> {
        self.owners.get(&(protocol, addr.port()))
    }

    /// Waits for the step's expected packets, showing each as it is taken
    /// in; then shows the kernel's view.
    fn collect(
        &mut self,
        number: usize,
        step: &Step,
        expect: &[Expectation],
    ) -> Result<(), RunError> {
        let mut deadline = Instant::now() + EXPECT_TIMEOUT;
        let mut matched = 0;
        let mut seen: Vec<String> = Vec::new();
        let mut quiet_until: Option<Instant> = expect
            .is_empty()
            .then(|| Instant::now() + self.source.quiet());
        // In hold mode: a frame was just let go, and is drawn before the
        // next held one is shown.
        let mut released = false;
        loop {
            if self.interrupted.load(Ordering::Relaxed) {
                return Err(RunError::Interrupted);
            }
            let now = Instant::now();
            let until = quiet_until.unwrap_or(deadline).min(deadline);
            if now >= until {
                break;
            }
            let wait = match (self.holding, released) {
                (false, _) => Duration::from_millis(50),
                (true, false) => HOLD_POLL,
                (true, true) => RELEASE_BOUND,
            };
            let Some((frame, fate)) = self.source.next((until - now).min(wait)) else {
                released = self.serve_hold(None)?;
                if released {
                    // The learner took their time: the waits start again.
                    deadline = Instant::now() + EXPECT_TIMEOUT;
                    if quiet_until.is_some() {
                        quiet_until = Some(Instant::now() + self.source.quiet());
                    }
                }
                continue;
            };
            released = false;
            let Some((packet, from, to)) = self.take(&frame)? else {
                continue;
            };
            if let Some(expectation) = expect.get(matched) {
                if expectation.matches(&from, &to, &packet) {
                    matched += 1;
                    seen.clear();
                } else {
                    seen.push(describe(&from, &to, &packet));
                }
            }
            let shown = Instant::now();
            self.show(packet, &from, &to, fate)?;
            // Time the learner spent reading (interactive pacing waits for
            // Enter after each packet) is not time the wire kept us waiting.
            let reading = shown.elapsed();
            deadline += reading;
            quiet_until = quiet_until.map(|q| q + reading);
            if matched == expect.len() {
                // Every expected packet is in; stragglers get a quiet period.
                quiet_until = Some(Instant::now() + self.source.quiet());
            }
        }
        // A run of data does not continue into the next step.
        let mut io = ViewIo {
            p: &self.p,
            out: &mut *self.out,
            pacer: &mut *self.pacer,
        };
        self.view.end_run(&mut io)?;
        if matched < expect.len() {
            let missing: &Expectation = &expect[matched];
            return Err(RunError::MissingPacket {
                step: number,
                title: step.title.clone(),
                expected: missing.to_string(),
                saw: saw_text(&seen),
            });
        }
        let lines = self.kernel.update(
            &self.p,
            &self.sockets.view(),
            &self.owners,
            Some(&self.view.tracker),
        );
        if self.json && !lines.is_empty() {
            let sockets: Vec<_> = self
                .kernel
                .shown()
                .iter()
                .map(|(name, state, addresses, check)| {
                    serde_json::json!({
                        "name": name,
                        "state": state,
                        "addresses": addresses,
                        "check": check,
                    })
                })
                .collect();
            let mut fields = serde_json::json!({
                "step": number,
                "sockets": sockets,
            });
            if !self.kernel.shown_groups().is_empty() {
                fields["groups"] = self
                    .kernel
                    .shown_groups()
                    .iter()
                    .map(|(host, groups)| {
                        let groups: Vec<_> = groups
                            .iter()
                            .map(|(group, name)| {
                                serde_json::json!({ "group": group.to_string(), "name": name })
                            })
                            .collect();
                        serde_json::json!({ "host": host, "groups": groups })
                    })
                    .collect();
            }
            self.event("kernel", fields)?;
        }
        self.say(lines)
    }

    /// Saves a frame and decodes it. `None` for frames that are not the
    /// lesson's (not TCP/UDP, or a port no lesson socket owns).
    fn take(&mut self, frame: &Frame) -> Result<Option<(Packet, String, String)>, RunError> {
        self.summary.frames += 1;
        if let Some(pcap) = self.pcap.as_mut() {
            pcap.write(frame)?;
        }
        let Ok(Some(packet)) = decode_ethernet(frame.number, frame.at, &frame.data) else {
            return Ok(None);
        };
        let protocol = Protocol::of(&packet.transport);
        let actor = |addr: SocketAddr| match &self.source {
            // On the wire every host has an address of its own; on the
            // loopback, ports tell the actors apart.
            Source::Wire(_) => self.addressing.wire_name(addr.ip()),
            Source::Loopback(_) => self.owner(protocol, addr).cloned(),
        };
        Ok(match (actor(packet.src), actor(packet.dst)) {
            (Some(from), Some(to)) => Some((packet, from, to)),
            _ => None,
        })
    }

    fn show(&mut self, packet: Packet, from: &str, to: &str, fate: Fate) -> Result<(), RunError> {
        let index = |actor: &str| {
            self.lesson
                .actors
                .iter()
                .position(|a| a == actor)
                .unwrap_or(usize::MAX)
        };
        let (from, to) = ((from, index(from)), (to, index(to)));
        if self.json {
            // The ladder is drawn nowhere (summaries and the Mermaid export
            // still follow it); the packet becomes one JSON object.
            let mut sink = io::sink();
            let mut io = ViewIo {
                p: &self.p,
                out: &mut sink,
                pacer: &mut *self.pacer,
            };
            let row = self.view.show(&mut io, packet, from, to, fate)?;
            let mut fields = serde_json::json!({
                "step": self.step_number,
                "from": from.0,
                "to": to.0,
                "fate": fate.name(),
            });
            if let Fate::Delayed(by) = fate {
                fields["delayed_ms"] = (by.as_millis() as u64).into();
            }
            return self.emit(json::with(json::packet(&row), fields));
        }
        let mut io = ViewIo {
            p: &self.p,
            out: &mut *self.out,
            pacer: &mut *self.pacer,
        };
        self.view.show(&mut io, packet, from, to, fate).map(|_| ())
    }

    /// One event of `--format json`, on a line of its own.
    fn event(&mut self, kind: &str, fields: serde_json::Value) -> Result<(), RunError> {
        self.emit(json::event(kind, fields))
    }

    fn emit(&mut self, event: serde_json::Value) -> Result<(), RunError> {
        writeln!(self.out, "{event}").map_err(RunError::Output)?;
        self.out.flush().map_err(RunError::Output)
    }
}

/// Writes an exported file (a diagram) in one go.
pub fn write_export(path: &std::path::Path, text: &str) -> Result<(), RunError> {
    std::fs::write(path, text).map_err(|source| RunError::Export {
        path: path.to_path_buf(),
        source,
    })
}

/// What came instead of an expected packet: the first few, then a count,
/// so that a bulk transfer does not fill the screen.
fn saw_text(seen: &[String]) -> String {
    const SHOWN: usize = 8;
    match seen.len() {
        0 => "nothing else".to_string(),
        n if n <= SHOWN => seen.join(", "),
        n => format!("{}, and {} more", seen[..SHOWN].join(", "), n - SHOWN),
    }
}

fn describe(from: &str, to: &str, packet: &Packet) -> String {
    match &packet.transport {
        crate::packet::Transport::Tcp(seg) => format!("{from} > {to} {}", seg.flags),
        crate::packet::Transport::Udp { .. } => format!("{from} > {to} UDP"),
        crate::packet::Transport::PortUnreachable => format!("{from} > {to} ICMP"),
        crate::packet::Transport::Resolution { .. } if packet.src.is_ipv6() => {
            format!("{from} > {to} NDP")
        }
        crate::packet::Transport::Resolution { .. } => format!("{from} > {to} ARP"),
    }
}
