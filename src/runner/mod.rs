//! The runner: performs a lesson for real and tells what happened.
//!
//! For each step it performs the calls on real sockets, then waits (with a
//! bound, never a fixed sleep) until the capture has seen the packets the
//! step expects and the kernel says that nothing more is on its way (see
//! `settle`): no socket of the lesson has anything unacknowledged or a
//! retransmission pending, and every frame put on the loopback or the lab
//! wire has reached the runner. Each packet goes through the tracker; then
//! the kernel's own view of the sockets is read beside what the packets
//! suggest.
//!
//! The runner is a producer: it owns a lesson's I/O (sockets, capture) and
//! tells everything as [`Event`]s to a [`Sink`], which shows them, asks the
//! learner, and records them. What packets mean lives in `track`; how
//! things look, in `render`.

mod congestion;
mod exercise;
mod kernel_view;
mod settle;
pub mod sockets;

use crate::t;
use std::collections::{BTreeMap, VecDeque};
use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::capture::decode::decode_ethernet;
use crate::capture::pcap::{PcapError, PcapOut};
use crate::capture::{CaptureError, Frame, LiveCapture};
use crate::event::{self, Event, Halt, Sink, Wait};
use crate::lesson::{
    Call, Chat, Expectation, Family, HostAddress, Lesson, Outcome, Payload, Peer, PyError,
    Question, SockType, Step, StepCall, WireKind,
};
use crate::packet::{Fate, Packet, TcpFlags};
use crate::track::{Protocol, Tracker};
use crate::wire::fault::FaultPlan;
use crate::wire::{Lab, WireError, WireFrame};
use kernel_view::KernelView;
use settle::{Settle, Verdict};
use sockets::Sockets;
use sockets::SocketsView;

/// How long a step may wait for the packets it expects. Loopback delivers
/// in microseconds; the longest kernel timer a lesson waits on is the
/// delayed ACK (40 ms to 200 ms).
pub const EXPECT_TIMEOUT: Duration = Duration::from_secs(3);

/// The longest a step waits, past `EXPECT_TIMEOUT`, for a kernel timer
/// that will send (a retransmission or a zero-window probe) to fire.
const TIMER_BOUND: Duration = Duration::from_secs(10);

/// Where the kernel cannot say whether more is on its way (a kernel
/// without sock_diag), how long the wire must stay silent after the
/// expected packets before the step is over, so that a packet that follows
/// at once (a stray ACK) is shown in the step that caused it.
pub const QUIET: Duration = Duration::from_millis(60);

/// In hold mode, how long a look for a held frame waits before the runner
/// checks on the call it is waiting for.
const HOLD_POLL: Duration = Duration::from_millis(10);

/// How long a call must stay blocked before a frame held meanwhile is
/// shown during it (see `serve_hold`).
const HOLD_GRACE: Duration = Duration::from_millis(150);

/// How long the wire may take to pass on a frame the learner let go.
const RELEASE_BOUND: Duration = Duration::from_millis(500);

/// The longest the runner waits for a frame without looking whether a
/// signal came: SIGINT, SIGTERM and SIGHUP end a run within 1 s.
const INTERRUPT_SLICE: Duration = Duration::from_millis(50);

/// Why a run stopped before the end of its lesson.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("{}", missing_text(*.step, .title, .expected, .saw, *.seconds))]
    MissingPacket {
        step: usize,
        title: String,
        expected: String,
        saw: String,
        /// How long the step waited for it.
        seconds: u64,
        /// Its sender ended the connection instead (see `Collecting`).
        ended_first: Option<event::EndedFirst>,
    },
    #[error("{}", failed_text(*.step, .title, .call, .source, .hint))]
    CallFailed {
        step: usize,
        title: String,
        /// The call, as `socket.operation()`.
        call: String,
        source: io::Error,
        hint: String,
    },
    #[error(transparent)]
    Capture(#[from] CaptureError),
    #[error(transparent)]
    Wire(#[from] WireError),
    #[error(transparent)]
    Pcap(#[from] PcapError),
    #[error("{}", t!("error-output", error = .0.to_string()))]
    Output(#[source] io::Error),
    #[error("{}", t!("error-cannot-write", path = .path.display().to_string(), error = .source.to_string()))]
    Export { path: PathBuf, source: io::Error },
    #[error("interrupted")]
    Interrupted,
    #[error("quit")]
    Quit,
    /// An exercise's check failed: the runner turns it into a verdict.
    #[error("a check failed: {0:?}")]
    Check(event::Failure),
    /// The learner's program could not be started at all.
    #[error(transparent)]
    ProgramStart(#[from] crate::exercise::program::StartError),
}

impl From<Halt> for RunError {
    fn from(halt: Halt) -> RunError {
        match halt {
            Halt::Quit => RunError::Quit,
            Halt::Interrupted => RunError::Interrupted,
            Halt::Output(e) => RunError::Output(e),
            Halt::Export { path, source } => RunError::Export { path, source },
        }
    }
}

/// A chat ends after this many rounds even if nobody types the word that
/// ends it: every wait has a bound.
const MAX_CHAT_ROUNDS: usize = 20;

pub struct Options {
    pub pcap: Option<PathBuf>,
    /// IPv4 or IPv6 addresses.
    pub family: Family,
    /// On the lab wire, keep each frame on the wire until the learner lets
    /// it go (lessons may also ask for it with `[network] hold`).
    pub hold: bool,
    /// An exercise: how to start the learner's program.
    pub program: Option<crate::exercise::program::ProgramSpec>,
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

    /// As [`next`](Self::next), but in slices of at most `INTERRUPT_SLICE`,
    /// so that a signal (`interrupted`) ends a long wait (a frame the
    /// learner let go may take `RELEASE_BOUND`) within one slice.
    fn next_unless(&self, timeout: Duration, interrupted: &AtomicBool) -> Option<(Frame, Fate)> {
        let end = Instant::now() + timeout;
        loop {
            let slice = end
                .saturating_duration_since(Instant::now())
                .min(INTERRUPT_SLICE);
            if let Some(next) = self.next(slice) {
                return Some(next);
            }
            if interrupted.load(Ordering::Relaxed) || Instant::now() >= end {
                return None;
            }
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
    sink: &mut dyn Sink,
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
    let mut kernel = KernelView::default();
    let learner = match (&lesson.exercise, options.program) {
        (Some(spec), Some(program)) => {
            sockets.call_timeout = exercise::EXERCISE_CALL_TIMEOUT;
            sockets.files = spec
                .files
                .iter()
                .map(|f| (f.name.clone(), f.bytes()))
                .collect();
            kernel.program = Some(spec.program.clone());
            Some(exercise::Learner {
                spec: program,
                program: None,
                actor: spec.program.clone(),
            })
        }
        _ => None,
    };
    let source = match &lesson.network {
        Some(spec) => {
            // A lesson whose text holds for both families (`ipv6_wire`)
            // gets IPv6 hosts with `--ipv6`.
            let spec = &crate::lesson::NetworkSpec {
                ipv6: spec.ipv6 || options.family == Family::V6,
                ..spec.clone()
            };
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
    // The kernel's side of "is the step over?": a sock_diag socket where
    // the lesson's sockets live, and lo's count of frames so far.
    let diags = match &source {
        Source::Loopback(_) => crate::kernel::diag::Diag::open().map(|d| vec![d]),
        Source::Wire(lab) => lab
            .hosts
            .iter()
            .map(|h| h.netns.run(crate::kernel::diag::Diag::open))
            .collect(),
    }
    .unwrap_or_default();
    let lo_base = match &source {
        Source::Loopback(_) => crate::kernel::received_frames("lo"),
        Source::Wire(_) => None,
    };
    let pcap = options.pcap.as_deref().map(PcapOut::create).transpose()?;
    let mut runner = Runner {
        lesson,
        sink,
        interrupted,
        source,
        pcap,
        tracker: Tracker::new(),
        addressing: sockets.addressing.clone(),
        sockets,
        owners: BTreeMap::new(),
        kernel,
        readings: congestion::Readings::default(),
        deferred: None,
        summary: Summary::default(),
        holding,
        waiting: VecDeque::new(),
        held_this_step: Vec::new(),
        step_number: 0,
        settle: Settle::new(diags, lo_base),
        learner,
        came_early: Vec::new(),
        fins: Vec::new(),
    };
    let result = runner.run_all();
    // What the presenters hold back (a run of packets waiting for its
    // summary row) is shown before any error is told.
    let finished = runner.sink.finish();
    result?;
    finished?;
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
    /// An exercise's checks that failed or did not run.
    pub checks_not_passed: usize,
}

struct Runner<'a> {
    lesson: &'a Lesson,
    /// Where everything that happens is told.
    sink: &'a mut dyn Sink,
    interrupted: Arc<AtomicBool>,
    source: Source,
    pcap: Option<PcapOut>,
    /// What each packet means.
    tracker: Tracker,
    sockets: Sockets,
    /// Who is at which address: a copy of the sockets' own, kept here
    /// because a blocking call in hold mode takes `sockets` to its thread
    /// while held frames are still attributed.
    addressing: crate::lesson::Addressing,
    /// Which actor owns a port: how packets are attributed to actors.
    owners: BTreeMap<(Protocol, u16), String>,
    kernel: KernelView,
    /// The kernels' congestion view of TCP sockets, read between round
    /// trips.
    readings: congestion::Readings,
    /// In a step that shows the congestion view: its packets and readings,
    /// taken in as they come and shown once the step is over (see
    /// `collect`).
    deferred: Option<Vec<Deferred>>,
    summary: Summary,
    /// Frames wait on the wire until the learner lets each one go.
    holding: bool,
    /// Held frames taken from the wire's notices but not shown yet, in the
    /// order they wait there.
    waiting: VecDeque<WireFrame>,
    /// The frames held in this step so far: a later one like an earlier
    /// one is a copy its sender sent again.
    held_this_step: Vec<Packet>,
    /// The step being run, from 1.
    step_number: usize,
    /// Whether the kernel says a step is over.
    settle: Settle,
    /// In an exercise: the learner's program.
    learner: Option<exercise::Learner>,
    /// Packets drawn in a step that did not expect them, which a later
    /// step's check accepts as having come early (`may_come_earlier`):
    /// each counts once, for the first step that claims it.
    came_early: Vec<(String, String, Packet)>,
    /// Each end (its address, then its peer's) that has sent a FIN in
    /// this run: a RST from it later is a closed socket's answer to data.
    fins: Vec<(SocketAddr, SocketAddr)>,
}

impl Runner<'_> {
    fn run_all(&mut self) -> Result<(), RunError> {
        let lesson = self.lesson;
        self.sink.emit(Event::Lesson(event::LessonStart {
            id: lesson.id.clone(),
            title: lesson.title.clone(),
            summary: lesson.summary.clone(),
            actors: lesson.actors.clone(),
            steps: lesson.steps.len(),
            family: self.sockets.addressing.family,
            on_wire: lesson.network.is_some(),
            addressing: self.sockets.addressing.clone(),
            calls: lesson.calls(),
            exercise: self.learner.as_ref().map(|l| event::ExerciseStart {
                program: l.actor.clone(),
                command: l.spec.given.clone(),
                checks: lesson.steps.iter().filter(|s| s.check.is_some()).count(),
            }),
        }))?;
        if self.learner.is_some() {
            return self.run_exercise();
        }
        let total = lesson.steps.len();
        for (index, step) in lesson.steps.iter().enumerate() {
            self.step(index + 1, total, step)?;
        }
        // Frames the lab wire had no room for are not a lesson's fault: the
        // machine did not keep up, and the capture is not whole.
        let lost = match &self.source {
            Source::Wire(lab) => lab.lost(),
            Source::Loopback(_) => 0,
        };
        self.sink.emit(Event::End(event::LessonEnd {
            packets: self.summary.packets_shown,
            answered: self.summary.answered,
            right: self.summary.right,
            lost,
        }))?;
        Ok(())
    }

    fn step(&mut self, number: usize, total: usize, step: &Step) -> Result<(), RunError> {
        self.step_number = number;
        // From now on the wire counts frames for this step's faults.
        if let Source::Wire(lab) = &self.source {
            lab.set_step(number - 1);
        }
        self.held_this_step.clear();
        self.sink.emit(Event::Step(event::StepStart {
            step: number,
            total,
            title: step.title.clone(),
            text: step.text.clone(),
            check: step.check.as_ref().map(|_| {
                self.lesson.steps[..number]
                    .iter()
                    .filter(|s| s.check.is_some())
                    .count()
            }),
        }))?;
        // A question comes right after the step's text, before any call
        // runs: what the calls return and the packets they cause would
        // answer it.
        if let Some(question) = &step.question {
            self.ask(question)?;
        }
        if let Some(ready) = step.check.as_ref().and_then(|c| c.start) {
            self.start_program(ready)?;
        }
        if !step.calls.is_empty() {
            self.sink.wait(Wait::RunCode)?;
        }
        if self.settle.can_say() && self.sends_on_tcp(step) {
            let waited = self.settle.ack_windows();
            self.settle.trace(format_args!(
                "step {number}: ATO waited {:.3} ms",
                waited.as_secs_f64() * 1e3
            ));
        }
        let calls = Instant::now();
        for call in &step.calls {
            if let Err(error) = self.call(number, step, call) {
                if self.learner.is_some() && matches!(error, RunError::CallFailed { .. }) {
                    // The learner's program made the call fail (it never
                    // answered, it reset): what it did put on the wire is
                    // the picture of the mistake, so it is drawn first.
                    self.collect(number, step, &[], false)?;
                }
                return Err(error);
            }
        }
        self.settle.trace(format_args!(
            "step {number}: calls took {:.3} ms",
            calls.elapsed().as_secs_f64() * 1e3
        ));
        self.collect(number, step, &step.expect, true)?;
        if let Some(chat) = &step.chat {
            self.chat(number, step, chat)?;
        }
        if let Some(text) = &step.after {
            self.sink.emit(Event::After(event::AfterStep {
                step: number,
                text: text.clone(),
            }))?;
        }
        Ok(())
    }

    /// Whether a step's calls put sequence space on a TCP connection: data
    /// (a send or a chat) or a FIN (closing a connected stream socket).
    fn sends_on_tcp(&self, step: &Step) -> bool {
        let stream = |name: &str| {
            self.sockets
                .vars
                .get(name)
                .is_some_and(|v| v.kind == SockType::Stream && v.peer().is_some())
        };
        step.chat.is_some()
            || step.calls.iter().any(|c| match &c.call {
                Call::Send { name, .. } | Call::Close { name } => stream(name),
                _ => false,
            })
    }

    fn call(&mut self, number: usize, step: &Step, step_call: &StepCall) -> Result<(), RunError> {
        let call = &step_call.call;
        let fails = step_call.error.is_some();
        self.sink.emit(Event::Call(event::CallMade {
            step: number,
            call: call.clone(),
            fails,
        }))?;
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
                // In an exercise the learner's program may be the listener:
                // the kernel says whether anything listens there.
                let listening = self.sockets.listening_ports().contains(&port)
                    || (self.learner.is_some() && exercise::listens(port));
                self.tracker.expect_connection(port, listening);
            }
        }
        let fail = |source: io::Error| {
            let hint = match source.kind() {
                io::ErrorKind::AddrInUse => t!("hint-in-use"),
                io::ErrorKind::ConnectionRefused => t!("hint-refused"),
                // A blocking call gave up after its bound (CALL_TIMEOUT, or
                // the lesson's settimeout).
                io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => t!("hint-timed-out"),
                _ => crate::limits::hint(&source).unwrap_or_default(),
            };
            RunError::CallFailed {
                step: number,
                title: step.title.clone(),
                call: call.short(),
                source,
                hint,
            }
        };
        // In an exercise, socklab's close after the program's FIN waits
        // out its kernel's delayed ACK of that FIN first (as a person would
        // take longer than 40 ms to call close()): otherwise the close
        // draws as three packets or four depending on how fast socklab
        // itself got there.
        if self.learner.is_some()
            && self.settle.can_say()
            && let Call::Close { name } = call
            && self
                .sockets
                .vars
                .get(name)
                .is_some_and(|v| v.kind == SockType::Stream && v.peer().is_some())
        {
            self.settle.ack_windows();
        }
        // A UDP socket closed: its conversations end with it (a new socket
        // may get the same port from the kernel, some runs).
        if let Call::Close { name } = call
            && let Some(var) = self.sockets.vars.get(name)
            && var.kind == SockType::Datagram
            && let Some(local) = var.local()
        {
            self.tracker.udp_socket_closed(local);
        }
        // What socklab's side says, the learner's program may be waiting to
        // hear before an answer is typed into it: only what it prints from
        // now on counts (see `Program::arm`).
        if let Call::Send { data, .. } | Call::SendTo { data, .. } = call
            && let Some(program) = self.learner.as_mut().and_then(|l| l.program.as_mut())
        {
            program.arm(&data.text);
        }
        let kind = self.sockets.vars.get(call.socket()).map(|v| v.kind);
        let (returned, raised) = match (self.perform(call)?, step_call.error) {
            // A signal cut the wait short: a call with a timeout is never
            // restarted (signal(7)), and the only signals socklab catches
            // are the ones that end the run (Ctrl-C, SIGTERM, SIGHUP).
            (Err(e), _) if e.kind() == io::ErrorKind::Interrupted => {
                return Err(RunError::Interrupted);
            }
            (Ok(outcome), None) => (Some(outcome), None),
            (Err(e), Some(expected)) if PyError::from_io(&e) == Some(expected) => {
                (None, Some(event::Raised::from_io(expected, &e)))
            }
            (Ok(_), Some(expected)) => {
                return Err(fail(io::Error::other(t!(
                    "error-expected-raise",
                    error = expected.name()
                ))));
            }
            (Err(e), _) => return Err(fail(e)),
        };
        self.learn_owners();
        let kind = kind.or_else(|| self.sockets.vars.get(call.socket()).map(|v| v.kind));
        self.sink.emit(Event::Returned(event::CallDone {
            step: number,
            call: call.clone(),
            kind,
            returned,
            raised,
        }))?;
        Ok(())
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
            let (line, typed) = match self.sink.line(&chat.prompt)? {
                Some(typed) => (typed, true),
                None => {
                    let Some(line) = scripted.next() else { break };
                    (line.clone(), false)
                }
            };
            // Each round starts a new exchange, as the learner's typing
            // does: the delayed-ACK windows of the last one have lapsed.
            if self.settle.can_say() {
                self.settle.ack_windows();
            }
            self.sink.emit(Event::Chat(event::ChatLine {
                step: number,
                prompt: chat.prompt.clone(),
                line: line.clone(),
                typed,
            }))?;
            let payload = |text: String| Payload {
                text,
                repeat: 1,
                clock: false,
                file: None,
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
                    waitall: false,
                },
                Call::Send {
                    name: chat.to.clone(),
                    data: payload(format!("{}{line}", chat.reply)),
                    all: true,
                },
                Call::Recv {
                    name: chat.from.clone(),
                    bufsize: 1024,
                    waitall: false,
                },
            ];
            for (i, call) in round.into_iter().enumerate() {
                // The server answers once the line it read is acknowledged:
                // that ACK goes alone every run, as the first round's does,
                // not on the answer only when socklab answered within the
                // delayed-ACK time (`Settle::acknowledged`).
                if i == 2 && self.settle.can_say() {
                    let waited = self.settle.acknowledged();
                    self.settle.trace(format_args!(
                        "step {number}: the line acknowledged after {:.3} ms",
                        waited.as_secs_f64() * 1e3
                    ));
                }
                self.call(number, step, &StepCall { call, error: None })?;
            }
            self.collect(number, step, &expect, true)?;
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
        // The descriptor the call may block on, to wake it if the run ends.
        let fd = {
            use std::os::fd::AsRawFd;
            self.sockets
                .vars
                .get(call.socket())
                .map(|v| v.socket.as_raw_fd())
        };
        let mut sockets = std::mem::take(&mut self.sockets);
        let (outcome, served) = std::thread::scope(|scope| {
            let worker = scope.spawn(|| sockets.perform(call));
            let mut served = Ok(());
            while !worker.is_finished() {
                let ended = || worker.is_finished();
                let served_now = if self.interrupted.load(Ordering::Relaxed) {
                    Err(RunError::Interrupted)
                } else {
                    self.serve_hold(Some((&view, &ended)))
                };
                if let Err(e) = served_now {
                    // Let everything go, so that the call ends at once.
                    self.stop_holding();
                    // A signal ends the run: a call blocked until a
                    // retransmission timer fires (a recv() waiting for a
                    // lost segment) is woken now, not seconds later.
                    // shutdown(2) wakes a blocked recv(), accept() or
                    // send() on Linux; the socket is not used again.
                    if matches!(e, RunError::Interrupted)
                        && let Some(fd) = fd
                    {
                        // SAFETY: the socket lives (the worker holds the
                        // Sockets until joined below); shutdown does not
                        // close the descriptor.
                        unsafe { libc::shutdown(fd, libc::SHUT_RDWR) };
                    }
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
        let Some(WireFrame { frame, fate }) = self
            .waiting
            .pop_front()
            .or_else(|| lab.next_held(HOLD_POLL))
        else {
            return Ok(false);
        };
        if let Some((_, ended)) = call {
            let grace = Instant::now() + HOLD_GRACE;
            while !ended() && Instant::now() < grace {
                std::thread::sleep(Duration::from_millis(2));
            }
            if ended() {
                self.waiting.push_front(WireFrame { frame, fate });
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
        let mut copies = 0;
        if let Some((from, to, packet)) = held {
            // A frame the lesson delayed is the first of its kind, however
            // many copies went before it.
            let again = !matches!(fate, Fate::Delayed(_))
                && self
                    .held_this_step
                    .iter()
                    .any(|earlier| same_segment(earlier, &packet));
            self.held_this_step.push(packet.clone());
            self.sink.emit(Event::Held(event::HeldFrame {
                step: self.step_number,
                from: from.clone(),
                to: to.clone(),
                packet: packet.clone(),
                again,
                fate,
            }))?;
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
            if let Some(table) = self
                .kernel
                .update(self.step_number, sockets, &self.owners, None)
            {
                self.sink.emit(Event::Kernel(table))?;
            }
            self.held_readings(sockets)?;
            self.sink.wait(Wait::LetGo)?;
            // While the learner read, the sender's kernel may have sent the
            // same segment again (its retransmission timer ran out): those
            // copies wait right behind it, and go with it.
            let Source::Wire(lab) = &self.source else {
                return Ok(false);
            };
            while let Some(next) = lab.next_held(Duration::ZERO) {
                self.waiting.push_back(next);
            }
            while let Some(WireFrame { frame: next, .. }) = self.waiting.front() {
                let is_copy = decode_ethernet(0, next.at, &next.data)
                    .ok()
                    .flatten()
                    .is_some_and(|p| same_segment(&p, &packet));
                if !is_copy {
                    break;
                }
                if let Some(WireFrame { frame: copy, .. }) = self.waiting.pop_front()
                    && let Ok(Some(p)) = decode_ethernet(0, copy.at, &copy.data)
                {
                    self.held_this_step.push(p);
                }
                copies += 1;
            }
            self.sink.emit(Event::LetGo(event::LetGo {
                step: self.step_number,
                from,
                packet,
                copies,
            }))?;
        }
        if let Source::Wire(lab) = &self.source {
            for _ in 0..=copies {
                lab.release();
            }
        }
        Ok(true)
    }

    /// In hold mode, lets every frame waiting on the wire go on, without
    /// showing it first. Returns whether there was one.
    fn release_waiting(&mut self) -> bool {
        let Source::Wire(lab) = &self.source else {
            return false;
        };
        if !self.holding {
            return false;
        }
        while let Some(frame) = lab.next_held(Duration::ZERO) {
            self.waiting.push_back(frame);
        }
        let waiting = self.waiting.len();
        self.waiting.clear();
        for _ in 0..waiting {
            lab.release();
        }
        waiting > 0
    }

    /// Ends hold mode: every frame goes on at once (after Ctrl-C or `q`).
    fn stop_holding(&mut self) {
        self.holding = false;
        if let Source::Wire(lab) = &self.source {
            lab.release_all();
        }
    }

    /// Asks the step's question, before its calls run; in `--auto`, where
    /// nobody answers, the answer and why are shown.
    fn ask(&mut self, question: &Question) -> Result<(), RunError> {
        self.sink.emit(Event::Question(event::QuestionAsked {
            step: self.step_number,
            ask: question.ask.clone(),
            choices: question.choices.clone(),
            answer: question.answer + 1,
            explain: question.explain.clone(),
            after_code: false,
        }))?;
        let given = self.sink.answer(question.choices.len())?;
        if let Some(given) = given {
            self.summary.answered += 1;
            if given == question.answer {
                self.summary.right += 1;
            }
        }
        self.sink.emit(Event::Answer(event::Answered {
            step: self.step_number,
            given: given.map(|g| g + 1),
        }))?;
        Ok(())
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
    /// in, until the kernel says nothing more is on its way (`settle`);
    /// then shows the kernel's view.
    /// `kernel`: whether to show the kernel's view at the end (not when
    /// the caller shows it itself).
    ///
    /// A step that shows the congestion view takes its packets and readings
    /// in first, as they come, and then shows them.
    fn collect(
        &mut self,
        number: usize,
        step: &Step,
        expect: &[Expectation],
        kernel: bool,
    ) -> Result<(), RunError> {
        self.watch(step);
        // The kernel must be read between round trips as they happen, and
        // an interactive run waits for the learner at each packet shown,
        // while the wire goes on: a step that shows the congestion view
        // takes its packets and readings in first, as they come, and shows
        // them once the step is over.
        if self.defers(step) {
            self.deferred = Some(Vec::new());
        }
        let deadline = Instant::now() + EXPECT_TIMEOUT;
        // An exercise's step that ends at its last expected packet: the
        // program goes on by itself, and what it does next is the next
        // step's (`[steps.check] stop_at_expected`).
        let stop_at_expected =
            !expect.is_empty() && step.check.as_ref().is_some_and(|c| c.stop_at_expected);
        // Where the kernel cannot say: silence after the expected packets.
        let silence = !self.settle.can_say();
        let quiet_until =
            (silence && expect.is_empty()).then(|| Instant::now() + self.source.quiet());
        self.settle.restart();
        let mut state = Collecting {
            deadline,
            matched: self.claim_early(number, step, expect),
            seen: Vec::new(),
            ended_first: None,
            forbidden: None,
            silence,
            quiet_until,
            started: Instant::now(),
            released: false,
            next_look: None,
            timer_waited: false,
            waited: EXPECT_TIMEOUT,
        };
        self.settle.trace(format_args!(
            "step {number}: {} packets expected",
            expect.len()
        ));
        loop {
            if self.interrupted.load(Ordering::Relaxed) {
                return Err(RunError::Interrupted);
            }
            let all_in = state.matched == expect.len();
            if all_in && stop_at_expected {
                break;
            }
            let now = Instant::now();
            let Some(until) = self.wait_until(all_in, now, &mut state) else {
                break;
            };
            if all_in && silence && now >= until {
                break;
            }
            if !all_in && now >= state.deadline {
                // A packet the kernel sends when one of its timers fires
                // (a zero-window probe, a retransmission) comes one timeout
                // after the last, and timeouts grow with the round trips
                // measured (RTO = SRTT + 4·RTTVAR, RFC 6298 §2; the persist
                // timer's first probe one RTO after the window closed, and
                // each later one twice as far, RFC 9293 §3.8.6.1): on a
                // machine too busy to move frames at once, the round trips
                // grew, and a probe came later than the step's 3 s. The
                // kernel says when its timer fires: the step waits for
                // that, once, and then `EXPECT_TIMEOUT` more for what it
                // sends and its answer. Bounded: a timer due later than
                // `TIMER_BOUND` is not waited for.
                if !state.timer_waited
                    && self.settle.can_say()
                    && let Some(due) = self.settle.next_send_timer()
                    && due <= TIMER_BOUND
                {
                    state.timer_waited = true;
                    self.settle.trace(format_args!(
                        "step {number}: a timer that sends fires in {due:?}: waiting for it"
                    ));
                    state.deadline = now + due + EXPECT_TIMEOUT;
                    state.waited += due + EXPECT_TIMEOUT;
                    continue;
                }
                break;
            }
            let mut wait = match (self.holding, state.released) {
                (false, _) => Duration::from_millis(50),
                (true, false) => HOLD_POLL,
                (true, true) => RELEASE_BOUND,
            };
            // A congestion reading is due once the wire has been quiet.
            if let Some(due) = self.readings.due_in() {
                wait = wait.min(due.max(Duration::from_millis(1)));
            }
            let Some((frame, fate)) = self.source.next_unless(
                until.saturating_duration_since(now).min(wait),
                &self.interrupted,
            ) else {
                state.released = self.while_wire_quiet(number, all_in && !expect.is_empty())?;
                if state.released {
                    // The learner took their time: the waits start again.
                    state.deadline = Instant::now() + EXPECT_TIMEOUT;
                    if state.quiet_until.is_some() {
                        state.quiet_until = Some(Instant::now() + self.source.quiet());
                    }
                    self.settle.restart();
                    state.next_look = None;
                }
                continue;
            };
            state.released = false;
            // Something moved: the kernel is asked again from the start,
            // once frames pause.
            self.settle.restart();
            state.next_look = Some(Instant::now() + settle::AFTER_FRAME);
            self.take_in(number, step, expect, frame, fate, &mut state)?;
        }
        self.show_deferred(number)?;
        if let Some((packet, after_own_fin)) = state.forbidden {
            return Err(RunError::Check(event::Failure::Forbidden {
                packet,
                after_own_fin,
            }));
        }
        if state.matched < expect.len() {
            let missing: &Expectation = &expect[state.matched];
            return Err(RunError::MissingPacket {
                step: number,
                title: step.title.clone(),
                expected: missing.to_string(),
                saw: saw_text(&state.seen),
                seconds: state.waited.as_secs(),
                ended_first: state.ended_first,
            });
        }
        if stop_at_expected || !kernel {
            // Stopped at the expected packets, the program is already on to
            // what comes next: the kernel's view now would show states the
            // drawn packets have not reached. Or the caller shows it.
            return Ok(());
        }
        // A step whose check says the learner's program ends: its sockets
        // go with it, and the kernel's view must show them gone whether the
        // program or the view comes first (a program is slower some runs).
        if step.check.as_ref().is_some_and(|check| check.exits)
            && let Some(program) = self.learner.as_mut().and_then(|l| l.program.as_mut())
        {
            program.wait_exit(exercise::EXIT_BOUND);
        }
        self.show_kernel_view(number)
    }

    /// How many of a step's first expected packets came in an earlier
    /// step, where the step's check allows it (`may_come_earlier`), in
    /// order; each packet claimed counts no more.
    fn claim_early(&mut self, number: usize, step: &Step, expect: &[Expectation]) -> usize {
        let Some(allowed) = step.check.as_ref().map(|c| &c.may_come_earlier) else {
            return 0;
        };
        let mut claimed = 0;
        for expectation in expect.iter().take_while(|e| allowed.contains(e)) {
            let Some(at) = self
                .came_early
                .iter()
                .position(|(from, to, packet)| expectation.matches(from, to, packet))
            else {
                break;
            };
            self.came_early.remove(at);
            claimed += 1;
            self.settle.trace(format_args!(
                "step {number}: {expectation} came in an earlier step"
            ));
        }
        claimed
    }

    /// Until when [`collect`](Self::collect) waits for the next frame;
    /// `None` when the kernel says the step is over.
    fn wait_until(
        &mut self,
        all_in: bool,
        now: Instant,
        state: &mut Collecting,
    ) -> Option<Instant> {
        Some(match (all_in, state.silence) {
            (true, true) => state
                .quiet_until
                .unwrap_or(state.deadline)
                .min(state.deadline),
            // A congestion reading is due after this round trip: the
            // kernel is read then, and asked whether the step is over
            // only after it (its sock_diag dumps, in every host, would
            // keep the runner behind the wire in the middle of a burst).
            // Bounded: a reading that cannot be placed gives way once
            // the wire has been silent for `quiet`.
            (true, false) if self.readings.holds_settle(self.source.quiet()) => {
                now + self.readings.due_in().unwrap_or_default()
            }
            (true, false) => {
                if now >= state.next_look.unwrap_or(now) {
                    match self.settle.look(&self.source, self.summary.frames) {
                        Verdict::Over => return None,
                        Verdict::Wait(wait) => state.next_look = Some(now + wait),
                    }
                }
                state.next_look.unwrap_or(now)
            }
            (false, _) => state.deadline,
        })
    }

    /// No frame came in time: a congestion reading that is due is taken,
    /// and frames waiting on the lab wire are let go (`release`: the
    /// step's packets have all crossed) or served to the learner. Whether
    /// one was let go.
    fn while_wire_quiet(&mut self, number: usize, release: bool) -> Result<bool, RunError> {
        if self.readings.due_now() {
            self.read_congestion(number, false)?;
        }
        // Once the step's packets have all crossed, what the kernels
        // still send (copies a slow learner's pauses caused) goes on
        // without stopping; it is drawn on the ladder all the same.
        Ok(if release {
            self.release_waiting()
        } else {
            self.serve_hold(None)?
        })
    }

    /// One frame taken in: seen by the congestion readings, checked
    /// against the step's check and its next expected packet, then shown
    /// (or kept until the step is over).
    fn take_in(
        &mut self,
        number: usize,
        step: &Step,
        expect: &[Expectation],
        frame: Frame,
        fate: Fate,
        state: &mut Collecting,
    ) -> Result<(), RunError> {
        let Some((packet, from, to)) = self.take(&frame)? else {
            return Ok(());
        };
        // When the capture saw it, not when the runner took it: a
        // runner that lags behind the wire (a loaded machine) still
        // sees the silence between round trips where the wire had it.
        let captured = match &self.source {
            Source::Wire(lab) => lab.captured_at(frame.at),
            Source::Loopback(_) => Instant::now(),
        };
        self.readings.see(frame.number, &packet, fate, captured);
        if let crate::packet::Transport::Tcp(seg) = &packet.transport
            && seg.flags.contains(TcpFlags::FIN)
            && !self.fins.contains(&(packet.src, packet.dst))
        {
            self.fins.push((packet.src, packet.dst));
        }
        if state.forbidden.is_none() {
            let reset_after_fin = matches!(&packet.transport,
                crate::packet::Transport::Tcp(seg) if seg.flags.contains(TcpFlags::RST))
                && self.fins.contains(&(packet.src, packet.dst));
            state.forbidden = self
                .forbidden(step, &from, &to, &packet)
                .map(|said| (said, reset_after_fin));
            if state.forbidden.is_some() {
                // What was expected will not come now (a RST ends the
                // connection): a moment for what follows, not 3 s.
                state.deadline = state.deadline.min(Instant::now() + self.source.quiet());
            }
        }
        let expected = expect
            .get(state.matched)
            .is_some_and(|e| e.matches(&from, &to, &packet));
        if !expected && self.may_come_early(&from, &to, &packet) {
            self.came_early
                .push((from.clone(), to.clone(), packet.clone()));
        }
        if let Some(expectation) = expect.get(state.matched) {
            if expected {
                state.matched += 1;
                state.seen.clear();
                state.ended_first = None;
                if state.matched == expect.len() {
                    self.settle.trace(format_args!(
                        "step {number}: expected in after {:.3} ms",
                        state.started.elapsed().as_secs_f64() * 1e3
                    ));
                }
            } else {
                state.seen.push(describe(&from, &to, &packet));
                if state.ended_first.is_none() {
                    state.ended_first = ended(expectation, &from, &packet);
                }
            }
        }
        let shown = Instant::now();
        match self.deferred.as_mut() {
            Some(deferred) => deferred.push(Deferred::Packet {
                packet,
                frame: frame.data,
                from,
                to,
                fate,
            }),
            None => self.show(packet, frame.data, &from, &to, fate)?,
        }
        // Time the learner spent reading (interactive pacing waits for
        // Enter after each packet) is not time the wire kept us waiting.
        let reading = shown.elapsed();
        state.deadline += reading;
        state.quiet_until = state.quiet_until.map(|q| q + reading);
        if state.matched == expect.len() && state.silence {
            // Every expected packet is in; stragglers get a quiet period.
            state.quiet_until = Some(Instant::now() + self.source.quiet());
        }
        Ok(())
    }

    /// Whether a later step of the lesson would take this packet, not
    /// expected where it came, as its expected packet come early.
    fn may_come_early(&self, from: &str, to: &str, packet: &Packet) -> bool {
        let later = self
            .lesson
            .steps
            .get(self.step_number..)
            .unwrap_or_default();
        later
            .iter()
            .filter_map(|s| s.check.as_ref())
            .flat_map(|c| &c.may_come_earlier)
            .any(|e| e.matches(from, to, packet))
    }

    /// The step is over and the wire quiet: a reading still due is taken
    /// now, whatever the counts say (it says so if they differ); then what
    /// was taken in is shown, packets and readings in order, at the
    /// learner's pace (before a missing packet is told).
    fn show_deferred(&mut self, number: usize) -> Result<(), RunError> {
        if self.readings.pending() {
            self.read_congestion(number, true)?;
        }
        for item in self.deferred.take().unwrap_or_default() {
            match item {
                Deferred::Packet {
                    packet,
                    frame,
                    from,
                    to,
                    fate,
                } => self.show(packet, frame, &from, &to, fate)?,
                Deferred::Reading(reading) => self.sink.emit(Event::Congestion(reading))?,
            }
        }
        Ok(())
    }

    /// The kernel's view of the sockets, when it changed.
    fn show_kernel_view(&mut self, number: usize) -> Result<(), RunError> {
        let sockets = self.sockets.view();
        if let Some(table) = self
            .kernel
            .update(number, &sockets, &self.owners, Some(&self.tracker))
        {
            self.sink.emit(Event::Kernel(table))?;
        }
        Ok(())
    }

    /// Whether a step takes its packets in before it shows them: it shows
    /// the congestion view, on the lab wire, not in hold mode.
    fn defers(&self, step: &Step) -> bool {
        step.congestion.is_some() && matches!(self.source, Source::Wire(_)) && !self.holding
    }

    /// The step's congestion view: the connection of the socket it names,
    /// read after half a round trip of silence (round trips on the lab
    /// wire are tens of milliseconds apart; the frames of one come within a
    /// millisecond). None in hold mode, where the learner's Enter, not the
    /// wire, paces the packets: each held frame shows it instead.
    fn watch(&mut self, step: &Step) {
        let connection = match (&step.congestion, &self.source, self.holding) {
            (Some(name), Source::Wire(_), false) => self
                .sockets
                .vars
                .get(name)
                .and_then(|v| Some((v.local()?, v.peer()?))),
            _ => None,
        };
        let quiet = match &self.source {
            Source::Wire(lab) => lab.round_trip / 2,
            Source::Loopback(_) => Duration::ZERO,
        };
        self.readings.watch(connection, quiet);
    }

    /// Reads the congestion view of the step's socket from its kernel, if
    /// the reading can be placed after the last packet shown: the wire is
    /// idle and the kernel has counted the very segments the capture saw.
    /// Otherwise it is tried again a moment later. `last_chance` (the step
    /// is over, everything quiet): read and tell it all the same.
    fn read_congestion(&mut self, number: usize, last_chance: bool) -> Result<(), RunError> {
        let Some(name) = self.lesson.steps[number - 1].congestion.as_deref() else {
            return Ok(());
        };
        let Source::Wire(lab) = &self.source else {
            return Ok(());
        };
        if !last_chance && !lab.idle() {
            self.readings.later();
            return Ok(());
        }
        // A socket that is gone, or that the kernel will not describe (it
        // cannot happen to a connected TCP socket), is left unread.
        let Some(var) = self.sockets.vars.get(name) else {
            self.readings.give_up();
            return Ok(());
        };
        let (Some(local), Some(peer)) = (var.local(), var.peer()) else {
            self.readings.give_up();
            return Ok(());
        };
        let Ok(info) = crate::kernel::tcp_info(&var.socket) else {
            self.readings.give_up();
            return Ok(());
        };
        // In step with the capture, and not about to send: a sender the
        // machine held back for a moment in the middle of a burst is not
        // between round trips.
        let in_step = self.readings.in_step(&info, local, peer, var.accepted);
        if (!in_step || info.about_to_send()) && !last_chance {
            self.readings.later();
            return Ok(());
        }
        let actor = var.actor.clone();
        self.tell_reading(
            number,
            name,
            actor,
            (local, peer),
            info,
            in_step,
            event::ReadWhen::Quiet,
        )
    }

    /// In hold mode, as a frame waits: the congestion view of every TCP
    /// socket of the lesson that has sent data, where it changed.
    fn held_readings(&mut self, sockets: &SocketsView) -> Result<(), RunError> {
        for var in &sockets.vars {
            let (Some(info), Some(local), Some(peer)) = (&var.tcp_info, var.local, var.peer) else {
                continue;
            };
            if info.data_segs_out == 0 || self.readings.unchanged(&var.name, info) {
                continue;
            }
            let in_step = self.readings.in_step(info, local, peer, var.accepted);
            self.tell_reading(
                self.step_number,
                &var.name,
                var.actor.clone(),
                (local, peer),
                info.clone(),
                in_step,
                event::ReadWhen::Held,
            )?;
        }
        Ok(())
    }

    /// Tells a congestion reading, with what changed since the one before.
    #[allow(clippy::too_many_arguments)]
    fn tell_reading(
        &mut self,
        number: usize,
        name: &str,
        actor: String,
        connection: (SocketAddr, SocketAddr),
        info: crate::kernel::TcpInfo,
        in_step: bool,
        when: event::ReadWhen,
    ) -> Result<(), RunError> {
        let (reading, before) = self.readings.record(name, connection, &info);
        let change = crate::track::congestion::explain(before.as_ref(), &info);
        let reading = event::CongestionReading {
            step: number,
            socket: name.to_string(),
            actor,
            reading,
            when,
            after_frame: self.readings.frame(),
            in_step,
            info,
            change,
        };
        match self.deferred.as_mut() {
            Some(deferred) => deferred.push(Deferred::Reading(reading)),
            None => self.sink.emit(Event::Congestion(reading))?,
        }
        Ok(())
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
            // In an exercise, a port no socket of socklab's has is the
            // learner's program's.
            Source::Loopback(_) => self
                .owner(protocol, addr)
                .or_else(|| self.program_actor())
                .cloned(),
        };
        Ok(match (actor(packet.src), actor(packet.dst)) {
            (Some(from), Some(to)) => Some((packet, from, to)),
            _ => None,
        })
    }

    /// Tracks a packet and tells it, with the frame it came in.
    fn show(
        &mut self,
        packet: Packet,
        frame: Vec<u8>,
        from: &str,
        to: &str,
        fate: Fate,
    ) -> Result<(), RunError> {
        let row = self.tracker.track(packet);
        self.summary.packets_shown += 1;
        self.sink.emit(Event::Packet(event::PacketShown {
            step: Some(self.step_number),
            from: from.to_string(),
            to: to.to_string(),
            fate,
            row,
            raw: Some(frame),
        }))?;
        Ok(())
    }
}

/// What a step that shows the congestion view took in, to show once it is
/// over: a packet with its frame and what the wire did to it, or a reading.
enum Deferred {
    Packet {
        packet: Packet,
        frame: Vec<u8>,
        from: String,
        to: String,
        fate: Fate,
    },
    Reading(event::CongestionReading),
}

/// Where [`Runner::collect`] stands in a step, between two frames.
struct Collecting {
    /// When the next expected packet is given up on.
    deadline: Instant,
    /// How many of the expected packets are in.
    matched: usize,
    /// What came since the last expected packet (told if one is missing).
    seen: Vec<String>,
    /// Since the last expected packet: the next one's sender sent a FIN
    /// or a RST instead. In an exercise that is the learner's program
    /// closing before it answered, the likeliest reason the answer is
    /// missing, and worth saying first.
    ended_first: Option<event::EndedFirst>,
    /// In an exercise: the first packet the step's check forbids, and
    /// whether it is a RST from an end that had sent its FIN.
    forbidden: Option<(String, bool)>,
    /// The kernel cannot say when the step is over: silence after the
    /// expected packets says it, once `quiet_until` is past.
    silence: bool,
    quiet_until: Option<Instant>,
    started: Instant,
    /// In hold mode: a frame was just let go, and is drawn before the
    /// next held one is shown.
    released: bool,
    /// Once the expected packets are in: how long until the next look
    /// at the kernel (none yet: look at once).
    next_look: Option<Instant>,
    /// The wait was made longer once, for a timer of the kernel's.
    timer_waited: bool,
    /// How long the step waits for a packet that does not come, as the
    /// error says it (the learner's time in hold mode not counted).
    waited: Duration,
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
    // Packets alike one after another are said once, with how many: a
    // download's thousand ACKs are one item, not eight and "1 024 more".
    let mut groups: Vec<(&str, usize)> = Vec::new();
    for packet in seen {
        match groups.last_mut() {
            Some((last, count)) if *last == packet.as_str() => *count += 1,
            _ => groups.push((packet, 1)),
        }
    }
    // Still too many (data and ACKs taking turns): each kind once, in the
    // order it first came, with how many in all. What matters is which
    // came (the peer's FIN among them, or not), not their dance.
    if groups.len() > SHOWN {
        let mut kinds: Vec<(&str, usize)> = Vec::new();
        for &(packet, count) in &groups {
            match kinds.iter_mut().find(|(kind, _)| *kind == packet) {
                Some((_, total)) => *total += count,
                None => kinds.push((packet, count)),
            }
        }
        groups = kinds;
    }
    let said: Vec<String> = groups
        .iter()
        .map(|&(packet, count)| match count {
            1 => packet.to_string(),
            _ => t!("error-times", packet = packet, count = count.to_string()),
        })
        .collect();
    match said.len() {
        0 => t!("error-nothing-else"),
        n if n <= SHOWN => crate::i18n::listed(&said),
        _ => t!(
            "error-and-more",
            shown = crate::i18n::listed(&said[..SHOWN]),
            more = groups[SHOWN..]
                .iter()
                .map(|&(_, count)| count)
                .sum::<usize>()
        ),
    }
}

/// Whether `packet` ends the connection of the next expected packet's
/// sender: a FIN or RST from it (RFC 9293 §3.6, §3.5.2), after which it
/// sends no more data on that connection.
fn ended(expected: &Expectation, from: &str, packet: &Packet) -> Option<event::EndedFirst> {
    use crate::packet::Transport;
    let Transport::Tcp(seg) = &packet.transport else {
        return None;
    };
    let reset = seg.flags.contains(TcpFlags::RST);
    let fin = seg.flags.contains(TcpFlags::FIN);
    if from == expected.from && (reset || fin) {
        return Some(event::EndedFirst {
            actor: from.to_string(),
            reset,
            other_side: false,
        });
    }
    // The expected packet is a FIN, and its receiver closed first: the
    // expected sender's program has read b'' since (RFC 9293 §3.6: a FIN
    // is the end of the stream), and still did not close.
    let fin_expected =
        matches!(expected.kind, WireKind::Tcp { flags, .. } if flags.contains(TcpFlags::FIN));
    (fin_expected && fin && !reset && from == expected.to).then(|| event::EndedFirst {
        actor: from.to_string(),
        reset: false,
        other_side: true,
    })
}

/// [`RunError::MissingPacket`] in the learner's language.
fn missing_text(step: usize, title: &str, expected: &str, saw: &str, seconds: u64) -> String {
    t!(
        "error-missing-packet",
        step = step,
        title = title,
        expected = crate::lesson::expectation_in_words(expected),
        seconds = seconds,
        saw = saw
    )
}

/// [`RunError::CallFailed`] in the learner's language.
fn failed_text(step: usize, title: &str, call: &str, error: &io::Error, hint: &str) -> String {
    t!(
        "error-call-failed",
        step = step,
        title = title,
        call = call,
        error = error.to_string(),
        hint = hint
    )
}

/// Whether `b` is a copy of the segment `a`: same ends, flags, sequence
/// number and length. A kernel's retransmission is exactly that; UDP
/// datagrams are never resent by the kernel, so they are never copies.
fn same_segment(a: &Packet, b: &Packet) -> bool {
    use crate::packet::Transport::Tcp;
    match (&a.transport, &b.transport) {
        (Tcp(x), Tcp(y)) => {
            a.src == b.src
                && a.dst == b.dst
                && x.flags == y.flags
                && x.seq == y.seq
                && x.payload_len == y.payload_len
        }
        _ => false,
    }
}

fn describe(from: &str, to: &str, packet: &Packet) -> String {
    match &packet.transport {
        // A segment that carries data is said so: a download's segments
        // are mostly ACK,data, which "ACK" alone would hide.
        crate::packet::Transport::Tcp(seg) if seg.payload_len > 0 => {
            format!("{from} > {to} {}{}", seg.flags, t!("expect-with-data"))
        }
        crate::packet::Transport::Tcp(seg) => format!("{from} > {to} {}", seg.flags),
        crate::packet::Transport::Udp { .. } => format!("{from} > {to} UDP"),
        crate::packet::Transport::PortUnreachable => format!("{from} > {to} ICMP"),
        crate::packet::Transport::Resolution { .. } if packet.src.is_ipv6() => {
            format!("{from} > {to} NDP")
        }
        crate::packet::Transport::Resolution { .. } => format!("{from} > {to} ARP"),
        other => format!("{from} > {to} {}", other.short_name()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first FIN of a real close, sent by "closer" to "other".
    fn first_fin() -> Packet {
        crate::testutil::packets("tcp-close.pcap")
            .into_iter()
            .find(|p| matches!(&p.transport, crate::packet::Transport::Tcp(seg) if seg.flags.contains(TcpFlags::FIN)))
            .expect("tcp-close has a FIN")
    }

    fn expecting(text: &str) -> Expectation {
        Expectation::parse(text, &["closer".to_string(), "other".to_string()]).unwrap()
    }

    #[test]
    fn a_fin_from_the_expected_sender_ended_the_connection_first() {
        let ended = ended(
            &expecting("closer > other ACK data"),
            "closer",
            &first_fin(),
        );
        assert_eq!(
            ended,
            Some(event::EndedFirst {
                actor: "closer".into(),
                reset: false,
                other_side: false
            })
        );
    }

    /// Awaiting other's FIN, closer's came: other's program reads b'' since.
    #[test]
    fn a_fin_from_the_other_side_is_told_only_when_a_fin_is_expected() {
        let fin = first_fin();
        assert_eq!(
            ended(&expecting("other > closer FIN ACK"), "closer", &fin),
            Some(event::EndedFirst {
                actor: "closer".into(),
                reset: false,
                other_side: true
            })
        );
        assert_eq!(
            ended(&expecting("other > closer ACK data"), "closer", &fin),
            None
        );
    }

    #[test]
    fn what_came_instead_says_packets_alike_once_with_how_many() {
        let seen = |list: &[(&str, usize)]| -> Vec<String> {
            list.iter()
                .flat_map(|&(packet, count)| std::iter::repeat_n(packet.to_string(), count))
                .collect()
        };
        assert_eq!(saw_text(&[]), "nothing else");
        assert_eq!(
            saw_text(&seen(&[
                ("server > client ACK", 1),
                ("server > client FIN,ACK", 1)
            ])),
            "server > client ACK, server > client FIN,ACK"
        );
        assert_eq!(
            saw_text(&seen(&[
                ("client > server ACK", 1032),
                ("server > client PSH,ACK", 1)
            ])),
            "client > server ACK ×1032, server > client PSH,ACK"
        );
        // Too many turns: each kind once, in the order it first came.
        let turns: Vec<(&str, usize)> = (0..5)
            .flat_map(|_| [("server > client ACK", 4), ("client > server ACK", 2)])
            .chain([("server > client FIN,ACK", 1)])
            .collect();
        assert_eq!(
            saw_text(&seen(&turns)),
            "server > client ACK ×20, client > server ACK ×10, server > client FIN,ACK"
        );
        // Past eight kinds, the rest are counted as packets.
        let many: Vec<(String, usize)> = (0..10).map(|i| (format!("p{i}"), 2)).collect();
        let many: Vec<(&str, usize)> = many.iter().map(|(p, n)| (p.as_str(), *n)).collect();
        assert_eq!(
            saw_text(&seen(&many)),
            "p0 ×2, p1 ×2, p2 ×2, p3 ×2, p4 ×2, p5 ×2, p6 ×2, p7 ×2, and 4 more"
        );
    }
}
