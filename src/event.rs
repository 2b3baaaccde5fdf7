//! The one stream of events between socklab's producers and presenters.
//!
//! ```text
//!  producers                          Event                 presenters
//!  runner (a lesson)  ─┐                               ┌─ ladder text (render::text)
//!  replay (a file)    ─┼──▶ lesson, step, call, …, ───┼─ JSON lines (render::json)
//!  watch (live)       ─┘    packet, kernel, end       ├─ Mermaid, asciicast, export
//!                                                      └─ recording (record), full screen
//! ```
//!
//! Producers never format text; presenters never run, capture or decode.
//! `--format json` is this type serialised, one event per line, so the JSON
//! schema (`socklab schema`) cannot drift from it.

use std::net::SocketAddr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::lesson::{Addressing, Bytes, Call, Family, Outcome, PyError, SockType};
use crate::packet::{Fate, Packet};
use crate::t;
use crate::track::Row;

/// Raised when the meaning of a key changes; new keys may come within it.
/// Version 2: a call is data (the call and what it returned), no longer the
/// lines shown, so that a recording can be shown in either language; notes
/// carry their numbers, not only their names. Version 3: the kernel view's
/// socket names, states and groups are data (`{"kind": "accept_queue",
/// "name": "server"}`), no longer English words. Version 4: `congestion`
/// events (the kernel's congestion view of a TCP socket and the rule that
/// explains what changed), and `capture`'s `congestion_unread`.
pub const VERSION: u32 = 4;

/// Something that happened, in the order it happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// A lesson starts: everything later events refer to.
    Lesson(LessonStart),
    /// A step starts: its title and text.
    Step(StepStart),
    /// A socket call is made (its code is shown).
    Call(CallMade),
    /// What the call returned, or the exception it raised.
    Returned(CallDone),
    /// A question about what the step's calls are about to do, asked
    /// before they run.
    Question(QuestionAsked),
    /// The learner's answer, or none (`--auto`).
    Answer(Answered),
    /// A line of a chat loop, typed by the learner or taken from the lesson.
    Chat(ChatLine),
    /// Hold mode: a frame waits on the wire for the learner.
    Held(HeldFrame),
    /// Hold mode: the learner let a frame go, with copies of it.
    LetGo(LetGo),
    /// A packet captured, as the tracker explains it.
    Packet(PacketShown),
    /// The kernel's own view of the sockets, when it changed.
    Kernel(KernelTable),
    /// The kernel's congestion control view of one TCP socket
    /// (`TCP_INFO`): its congestion window, slow-start threshold and state,
    /// and what changed since the reading before.
    Congestion(CongestionReading),
    /// What a step wants the learner to take away.
    After(AfterStep),
    /// The lesson is over.
    End(LessonEnd),
    /// Replay of a capture file, or watch of an interface, starts.
    Capture(CaptureStart),
    /// A frame that could not be explained (replay).
    Skipped(SkippedFrame),
    /// No packet for a moment (watch): a run held back for its summary
    /// row is shown now.
    Lull,
    /// What one conversation amounted to (watch).
    Conversation(crate::watch::ConversationSummary),
    /// Replay or watch is over.
    CaptureEnd(CaptureEnd),
    /// An exercise's check is decided (or not run: an earlier one failed).
    Check(CheckDone),
    /// What the learner's program did: its status and what it printed.
    Program(ProgramReport),
    /// An exercise is over: how many checks passed.
    ExerciseEnd(ExerciseEnd),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LessonStart {
    pub id: String,
    pub title: String,
    pub summary: String,
    /// The programs taking part, in the order their columns are drawn.
    pub actors: Vec<String>,
    pub steps: usize,
    pub family: Family,
    /// The lesson runs on the lab wire (hosts of their own), not loopback.
    pub on_wire: bool,
    /// How the calls address each other (the code shown names addresses).
    pub addressing: Addressing,
    /// Every call of the lesson, for the imports shown before the first.
    pub calls: Vec<Call>,
    /// An exercise: the learner's program and the actor it plays.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exercise: Option<ExerciseStart>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ExerciseStart {
    /// The actor the program plays.
    pub program: String,
    /// The command that runs it, as the learner gave it.
    pub command: Vec<String>,
    /// How many of the steps are checks.
    pub checks: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CheckDone {
    pub step: usize,
    /// The check's number among the checks, from 1.
    pub check: usize,
    pub title: String,
    pub verdict: Verdict,
    /// The exercise's sentence on what a failure here means.
    pub fail: Option<String>,
    /// The lesson that explains it.
    pub lesson: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    Passed,
    Failed {
        why: Failure,
    },
    /// An earlier check failed: this one was not run.
    NotRun,
}

/// Who ended a connection before sending a packet it was expected to
/// send, and how; or, for an expected FIN, who had closed the other side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EndedFirst {
    pub actor: String,
    /// A RST (abort), not a FIN (close).
    pub reset: bool,
    /// `actor` is the other side: the expected packet was its peer's FIN,
    /// and `actor`'s own FIN came first. Its peer's program reads b'' from
    /// then on, at every recv(): one that does not stop at b'' never
    /// closes.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub other_side: bool,
}

/// A connection the learner's program did not close, as the kernel showed
/// it when its FIN was given up on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LeftOpen {
    /// The program's actor.
    pub actor: String,
    /// Its peer, socklab's side, that waited for the FIN.
    pub peer: String,
    /// The connection's state, as Linux names it (ESTABLISHED).
    pub state: String,
}

/// Why a check failed, as data: presenters say it in the learner's
/// language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "failure", rename_all = "snake_case")]
pub enum Failure {
    /// An expected packet did not come within `seconds`.
    MissingPacket {
        expected: String,
        saw: String,
        seconds: u64,
        /// The expected packet's sender ended the connection instead: its
        /// FIN or RST came first, so the packet will not come.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ended_first: Option<EndedFirst>,
    },
    /// The step waits for the FIN of the learner's program (a packet, or a
    /// call of socklab's that waits for it) and it did not come in
    /// `seconds`; the kernel shows its connection still open with nothing
    /// left unread, the program still running: it read what it was sent
    /// and did not close().
    NotClosed {
        expected: String,
        seconds: u64,
        left_open: LeftOpen,
    },
    /// One of socklab's own calls failed (the program refused, reset or
    /// never answered).
    CallFailed { call: String, error: String },
    /// One of socklab's blocking calls waited `seconds` and nothing came.
    NoAnswer {
        call: String,
        seconds: u64,
        /// A `recv_all` that got these bytes first, then no more and no
        /// end of the stream.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        received: Option<u64>,
    },
    /// The program did not listen (or bind) on `port` within `seconds`.
    NotReady {
        protocol: crate::packet::Protocol,
        port: u16,
        seconds: u64,
    },
    /// The program ended before it was ready, or too early.
    Ended { status: Option<i32> },
    /// The program ended during a step after which it must still run.
    Crashed { status: Option<i32> },
    /// A packet the check forbids appeared.
    Forbidden {
        packet: String,
        /// A RST from an end that had sent its FIN on that connection
        /// before: it had closed, and answered data with a reset.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        after_own_fin: bool,
    },
    /// A receiving call got other bytes than expected.
    Received {
        expected: Bytes,
        got: Bytes,
        /// Where the bytes first differ (the shorter's length when one is
        /// the other's beginning).
        differs_at: usize,
    },
    /// The program ended, but not well: a status other than 0, or a
    /// signal (`None`).
    ExitedWith { status: Option<i32> },
    /// The program was still running at the end of the step.
    DidNotExit { seconds: u64 },
    /// The program's output does not contain `text`.
    NotPrinted { text: String },
    /// The program did not write the file, or not these bytes.
    File {
        name: String,
        expected_len: usize,
        /// `None`: no such file.
        got_len: Option<usize>,
        differs_at: Option<usize>,
    },
    /// The program ran longer than the exercise allows and was stopped.
    Stopped { seconds: u64 },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProgramReport {
    /// The exit status; `None` when socklab stopped it (a server runs
    /// until it is stopped) or a signal ended it.
    pub status: Option<i32>,
    /// Stopped by socklab at the end of the exercise (or its bound).
    pub stopped: bool,
    /// The end of what it printed (its last lines), standard output and
    /// error.
    pub stdout: String,
    pub stderr: String,
    /// The lines socklab typed into its standard input, in order, each
    /// where it was typed: never part of `stdout`, whose checks count only
    /// what the program printed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub typed: Vec<Typed>,
    /// The next line socklab would have typed into the program, had it
    /// printed what the line waits for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_typed: Option<NotTyped>,
}

/// A line socklab typed into the program's standard input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Typed {
    /// Where it was typed: how many bytes of `stdout` (as kept) the program
    /// had printed then.
    pub at: usize,
    pub line: String,
}

/// A line socklab never typed: the program did not print what it waits
/// for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct NotTyped {
    pub line: String,
    pub after_printed: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ExerciseEnd {
    pub passed: usize,
    pub failed: usize,
    pub not_run: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct StepStart {
    /// From 1.
    pub step: usize,
    pub total: usize,
    pub title: String,
    pub text: String,
    /// In an exercise: the step's number among the checks, or `None` for a
    /// step that prepares socklab's side.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CallMade {
    pub step: usize,
    pub call: Call,
    /// The lesson shows it failing (its code handles the error).
    pub fails: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CallDone {
    pub step: usize,
    pub call: Call,
    /// The socket's kind, which tells what a connect() did.
    pub kind: Option<SockType>,
    /// What the call returned; absent when it raised `raised`.
    pub returned: Option<Outcome>,
    pub raised: Option<Raised>,
}

/// The exception a call raised, as the lesson expected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Raised {
    pub exception: PyError,
    /// The OS's error number, when there is one.
    pub errno: Option<i32>,
    /// The OS's message, as Rust writes it (`Connection refused (os error 111)`).
    pub message: String,
}

impl Raised {
    pub fn from_io(exception: PyError, error: &std::io::Error) -> Raised {
        Raised {
            exception,
            errno: error.raw_os_error(),
            message: error.to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct QuestionAsked {
    pub step: usize,
    pub ask: String,
    pub choices: Vec<String>,
    /// The right choice, from 1.
    pub answer: usize,
    pub explain: String,
    /// Asked after the step's code, from which a blank line separates it.
    /// A run asks before any call (false); recordings of earlier versions
    /// of socklab asked after the calls.
    pub after_code: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Answered {
    pub step: usize,
    /// The learner's choice, from 1; absent when nobody answered.
    pub given: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ChatLine {
    pub step: usize,
    pub prompt: String,
    pub line: String,
    /// Typed by the learner (the terminal showed it as it was typed), not
    /// taken from the lesson.
    pub typed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct HeldFrame {
    pub step: usize,
    pub from: String,
    pub to: String,
    pub packet: Packet,
    /// A frame like it was held earlier in the step: a copy its sender
    /// sent again.
    pub again: bool,
    /// What the lesson's wire did to it before it was held.
    pub fate: Fate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LetGo {
    pub step: usize,
    pub from: String,
    pub packet: Packet,
    /// Copies its sender made while it waited, let go with it.
    pub copies: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PacketShown {
    /// The lesson's step; absent in replay and watch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<usize>,
    /// The actors (or client and server) that sent and received it.
    pub from: String,
    pub to: String,
    /// What the lab wire did to it (`fate`, and `delayed_ms`).
    #[serde(flatten)]
    pub fate: Fate,
    #[serde(flatten)]
    pub row: Row,
    /// The frame's bytes, in recordings (base64).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "base64_option"
    )]
    #[schemars(with = "Option<String>")]
    pub raw: Option<Vec<u8>>,
}

/// The kernels' socket tables, labelled with the lesson's names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct KernelTable {
    pub step: usize,
    /// Each host has its own table (the lab wire), or there is one.
    pub hosts: bool,
    pub sockets: Vec<KernelRow>,
    /// IPv6 multicast groups each host's kernel is in, when they changed.
    pub groups: Vec<HostGroups>,
    /// Say which groups are left out (the first time some are).
    pub groups_left_out: bool,
    /// On the lab wire, the segments and datagrams each host's kernel threw
    /// away for a bad checksum, when that changed (never while all are 0).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checksum_errors: Vec<HostChecksumErrors>,
}

/// A host's kernel's own count of the TCP segments and UDP datagrams it
/// dropped because their checksum did not add up (`InCsumErrors` in
/// /proc/net/snmp, `Udp6InCsumErrors` in /proc/net/snmp6), read in that
/// host's namespace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct HostChecksumErrors {
    pub host: String,
    pub tcp: u64,
    pub udp: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct KernelRow {
    pub name: SocketLabel,
    pub state: KernelState,
    pub addresses: String,
    /// Whether the packets agree with the kernel (TCP only).
    pub check: Check,
}

/// Who a kernel socket is, in the lesson's words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum SocketLabel {
    /// The socket this variable holds.
    Socket(String),
    /// What the kernel keeps of this socket (or of this actor's) after the
    /// program closed it: TIME-WAIT, a FIN still to be acknowledged.
    Closed(String),
    /// A connection the kernel completed on this listener's port, waiting
    /// in its accept queue for accept() to hand it to the program.
    AcceptQueue(String),
    /// A connection whose handshake is half done, in this listener's SYN
    /// queue.
    SynQueue(String),
    /// A socket of the learner's program, which plays this actor.
    Program(String),
    /// Nobody in the lesson owns it.
    Unknown,
}

/// A socket's state as the kernel gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum KernelState {
    /// A TCP state, as Linux names it (`SYN_RECV`, `FIN_WAIT1`: netstat's
    /// spelling of include/net/tcp_states.h).
    Tcp(String),
    /// A UDP socket with a fixed peer (connect()).
    Connected,
    /// A UDP socket that takes datagrams from anyone.
    Unconnected,
    /// No longer in the kernel's table.
    Gone,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "check", content = "inferred", rename_all = "snake_case")]
pub enum Check {
    /// Nothing to compare (UDP, or not drawn yet).
    None,
    Agrees,
    /// The packets suggest another state (RFC 9293's name).
    Differs(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct HostGroups {
    pub host: String,
    /// (group, what it is).
    pub groups: Vec<(std::net::Ipv6Addr, GroupName)>,
}

/// What a multicast group is to the lesson.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum GroupName {
    /// ff02::1, every node on the link (RFC 4291 §2.7.1).
    AllNodes,
    /// The lesson's own group, by its name.
    Lesson(String),
    /// Any other group a program joined.
    Joined,
}

/// One reading of a TCP socket's congestion control, from its kernel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CongestionReading {
    pub step: usize,
    /// The lesson's socket the kernel was asked about, and its actor.
    pub socket: String,
    pub actor: String,
    /// This socket's readings so far, from 1.
    pub reading: usize,
    /// When it was read.
    pub when: ReadWhen,
    /// The frame the capture had seen last when the kernel was read (from
    /// 1; 0 before any).
    pub after_frame: usize,
    /// The kernel's counts of segments sent and received agreed with the
    /// capture's, so the reading belongs right after `after_frame`. Only a
    /// reading taken at the end of a step may lack it (said so).
    pub in_step: bool,
    /// What the kernel said.
    pub info: crate::kernel::TcpInfo,
    /// What changed since this socket's reading before, and by which rule.
    pub change: crate::track::congestion::Change,
}

/// When a congestion reading was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReadWhen {
    /// The socket's connection was quiet, between round trips (a step that
    /// shows the congestion view).
    Quiet,
    /// Hold mode: a frame waits on the wire.
    Held,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AfterStep {
    pub step: usize,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LessonEnd {
    /// Packets explained.
    pub packets: usize,
    /// Frames the lab wire had no room for (the machine did not keep up).
    #[serde(default)]
    pub lost: u64,
    /// Questions the learner answered, and how many of them right.
    pub answered: usize,
    pub right: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CaptureStart {
    /// A capture file's path (`replay`), or an interface (`watch`).
    pub source: String,
    pub live: bool,
    /// `watch`: only these ports (every port when empty).
    pub ports: Vec<u16>,
    /// Why no congestion view (`congestion` events) comes with these
    /// packets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub congestion_unread: Option<CongestionUnread>,
}

/// Why socklab does not ask a kernel for the congestion view of the
/// connections it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CongestionUnread {
    /// `watch`: the sockets belong to programs socklab did not start, in
    /// the machine's own network namespace; socklab asks only about
    /// sockets in namespaces of its own.
    NotSocklabs,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SkippedFrame {
    pub frame: usize,
    /// Since the capture's first frame, in seconds.
    #[serde(with = "seconds")]
    #[schemars(with = "f64")]
    pub time: std::time::Duration,
    pub why: Skipped,
    pub reason: String,
}

/// Why a frame is not explained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Skipped {
    /// It cannot be decoded (tshark would mark it malformed).
    Malformed,
    /// Its link type is one socklab does not read.
    Unread,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CaptureEnd {
    /// Frames read.
    pub frames: usize,
    /// Frames explained as packets.
    pub explained: usize,
    /// Frames that could not be decoded.
    pub malformed: usize,
    /// Where reading stopped before the end of the file (a file cut short
    /// or damaged), and why.
    pub stopped: Option<Stopped>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Stopped {
    /// The frame that could not be read.
    pub frame: usize,
    pub reason: String,
}

/// An event as one line of `--format json`: its version, then the event.
#[derive(Serialize)]
pub struct Versioned<'a> {
    pub v: u32,
    #[serde(flatten)]
    pub event: &'a Event,
}

impl Event {
    /// The event as one line of JSON.
    pub fn to_json(&self) -> String {
        let mut line = Vec::new();
        self.write_json(&mut line);
        String::from_utf8(line).unwrap_or_default()
    }

    /// Appends the event as one line of JSON (no newline) to `line`: the
    /// same text as [`Versioned`] gives, faster. Serde writes a flattened
    /// struct through a generic map, entry by entry, which was a third of
    /// `replay --format json`'s time on a million frames. An event is
    /// always an object with at least its `event` tag, so the version goes
    /// in front of its first field instead, written by the formatter as
    /// the outermost object opens (splicing it in afterwards moved every
    /// line's bytes once more).
    pub fn write_json(&self, line: &mut Vec<u8>) {
        let start = line.len();
        let mut serializer =
            serde_json::Serializer::with_formatter(&mut *line, VersionFirst { depth: 0 });
        match self.serialize(&mut serializer) {
            Ok(()) if line.get(start) == Some(&b'{') => {}
            outcome => {
                line.truncate(start);
                let error = outcome.err().map(|e| e.to_string()).unwrap_or_default();
                let error = serde_json::to_string(&error).unwrap_or_default();
                let fallback = format!("{{\"v\":{VERSION},\"event\":\"error\",\"error\":{error}}}");
                line.extend_from_slice(fallback.as_bytes());
            }
        }
    }

    /// The step an event belongs to, for events of a lesson.
    pub fn step(&self) -> Option<usize> {
        match self {
            Event::Step(e) => Some(e.step),
            Event::Call(e) => Some(e.step),
            Event::Returned(e) => Some(e.step),
            Event::Question(e) => Some(e.step),
            Event::Answer(e) => Some(e.step),
            Event::Chat(e) => Some(e.step),
            Event::Held(e) => Some(e.step),
            Event::LetGo(e) => Some(e.step),
            Event::Packet(e) => e.step,
            Event::Kernel(e) => Some(e.step),
            Event::Congestion(e) => Some(e.step),
            Event::After(e) => Some(e.step),
            _ => None,
        }
    }
}

/// serde_json's compact output, with `"v":VERSION,` written right after
/// the outermost `{`: the next key, the event's first, then follows
/// without a comma of its own.
struct VersionFirst {
    depth: usize,
}

impl serde_json::ser::Formatter for VersionFirst {
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.depth += 1;
        if self.depth == 1 {
            write!(writer, "{{\"v\":{VERSION},")
        } else {
            writer.write_all(b"{")
        }
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.depth = self.depth.saturating_sub(1);
        writer.write_all(b"}")
    }
}

/// Why a producer stops early at the learner's word, or because its
/// output is gone.
#[derive(Debug, thiserror::Error)]
pub enum Halt {
    #[error("quit")]
    Quit,
    #[error("interrupted")]
    Interrupted,
    #[error("{}", t!("error-output", error = .0.to_string()))]
    Output(#[source] std::io::Error),
    #[error("{}", t!("error-cannot-write", path = .path.display().to_string(), error = .source.to_string()))]
    Export {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
}

/// Where the run waits for the learner, when a learner is there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Wait {
    /// Before a step's calls run.
    RunCode,
    /// In hold mode, before a held frame goes on.
    LetGo,
}

/// Where a producer's events go, and how it asks the learner.
pub trait Sink {
    /// Something happened: show it (and keep it, for a recording).
    fn emit(&mut self, event: Event) -> Result<(), Halt>;

    /// The run waits for the learner before it goes on (at once when
    /// nobody is there, as by default).
    fn wait(&mut self, _wait: Wait) -> Result<(), Halt> {
        Ok(())
    }

    /// The learner's answer to the question just emitted (from 0), or
    /// `None` when nobody is there to answer (by default).
    fn answer(&mut self, _choices: usize) -> Result<Option<usize>, Halt> {
        Ok(None)
    }

    /// A line the learner types after `prompt`, or `None` when nobody is
    /// there to type (by default).
    fn line(&mut self, _prompt: &str) -> Result<Option<String>, Halt> {
        Ok(None)
    }

    /// Nothing more will come: what is held back is shown now (a run of
    /// packets waiting for its summary row, files to write).
    fn finish(&mut self) -> Result<(), Halt>;
}

/// Something that sees every event besides what is shown: a diagram or a
/// program to write at the end, a recording.
pub trait Observer {
    fn see(&mut self, event: &Event);
    /// The run waited for the learner here (a recording keeps it).
    fn waited(&mut self, _wait: Wait) {}
    /// The run is over (or ended early): write what was seen.
    fn finish(&mut self) -> Result<(), Halt>;
}

/// The JSON Schema of one line of `--format json` (and of a recording's
/// event lines).
pub fn schema() -> schemars::Schema {
    schemars::schema_for!(Event)
}

/// A `Duration` as seconds, in JSON.
pub mod seconds {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::time::Duration;

    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(d.as_secs_f64())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        let secs = f64::deserialize(d)?;
        Duration::try_from_secs_f64(secs).map_err(serde::de::Error::custom)
    }
}

/// A socket address as a JSON string, exactly as `Display` writes it
/// ("10.0.0.1:7788", "[fd00::1]:7788"). An IPv4 address is written with
/// `itoa` rather than through `fmt`: a replay writes two addresses per
/// packet, and `fmt`'s machinery took about a tenth of `replay --format
/// json`'s time. IPv6, rare here and with its own rules for shortening,
/// still goes through `Display`.
pub fn socket_addr<S: serde::Serializer>(
    addr: &std::net::SocketAddr,
    s: S,
) -> Result<S::Ok, S::Error> {
    let std::net::SocketAddr::V4(v4) = addr else {
        return s.collect_str(addr);
    };
    // The longest: "255.255.255.255:65535".
    let mut text = [0u8; 21];
    let mut len = 0;
    let mut digits = itoa::Buffer::new();
    let mut put = |bytes: &[u8], len: &mut usize| {
        text[*len..*len + bytes.len()].copy_from_slice(bytes);
        *len += bytes.len();
    };
    for (index, octet) in v4.ip().octets().into_iter().enumerate() {
        if index > 0 {
            put(b".", &mut len);
        }
        put(digits.format(octet).as_bytes(), &mut len);
    }
    put(b":", &mut len);
    put(digits.format(v4.port()).as_bytes(), &mut len);
    s.serialize_str(std::str::from_utf8(&text[..len]).unwrap_or_default())
}

/// Bytes as base64, in JSON.
pub mod base64_bytes {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        STANDARD.decode(text).map_err(serde::de::Error::custom)
    }
}

mod base64_option {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
        match bytes {
            Some(bytes) => super::base64_bytes::serialize(bytes, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<u8>>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(text) => {
                use base64::Engine;
                base64::engine::general_purpose::STANDARD
                    .decode(text)
                    .map(Some)
                    .map_err(serde::de::Error::custom)
            }
        }
    }
}

/// The address an event's packet came from, for presenters that key on it.
pub fn source(row: &Row) -> SocketAddr {
    row.packet.src
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::packets;
    use crate::track::Tracker;

    #[test]
    fn a_socket_address_is_written_as_display_writes_it() {
        for text in [
            "0.0.0.0:0",
            "10.0.0.1:7788",
            "127.0.0.1:5000",
            "255.255.255.255:65535",
            "192.168.100.20:443",
            "[fd00::1]:7788",
            "[::ffff:10.0.0.1]:80",
            "[fe80::1%2]:5353",
        ] {
            let addr: std::net::SocketAddr = text.parse().unwrap();
            let json = socket_addr(&addr, serde_json::value::Serializer).unwrap();
            assert_eq!(json, serde_json::Value::String(addr.to_string()), "{text}");
            // And it reads back as the address it was.
            let back: std::net::SocketAddr = serde_json::from_value(json).unwrap();
            assert_eq!(back, addr);
        }
    }

    /// An event read back from its JSON is the same event: the recording
    /// format and `--format json` are this type, both ways.
    #[test]
    fn packets_read_back_from_json_as_they_were() {
        let mut tracker = Tracker::new();
        for packet in packets("tcp-close.pcap") {
            let event = Event::Packet(PacketShown {
                step: Some(2),
                from: "client".into(),
                to: "server".into(),
                fate: Fate::Delayed(std::time::Duration::from_millis(1500)),
                row: tracker.track(packet),
                raw: Some(vec![1, 2, 3]),
            });
            let json = event.to_json();
            let back: Event = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
            assert_eq!(back, event, "{json}");
            // The fast writer gives exactly serde's flattened text.
            let versioned = serde_json::to_string(&Versioned {
                v: VERSION,
                event: &event,
            })
            .unwrap();
            assert_eq!(json, versioned);
        }
    }

    #[test]
    fn the_schema_names_every_event() {
        let schema = serde_json::to_string(&schema()).unwrap();
        for event in [
            "lesson",
            "step",
            "call",
            "returned",
            "packet",
            "kernel",
            "congestion",
            "end",
            "capture",
        ] {
            assert!(schema.contains(&format!("\"{event}\"")), "{event}");
        }
    }
}
