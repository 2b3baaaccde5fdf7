//! Lessons: the data files in `lessons/`, loaded and checked.
//!
//! A lesson is a script of *steps*. Each step has prose for the learner,
//! the socket calls to perform (written as data and shown as the Python line
//! a tutorial would use), and what the lesson expects on the wire.
//!
//! This module owns parsing and validation only. It never opens a socket:
//! the runner performs the calls, the tracker explains the packets.
//! Every problem found in a file is reported with file, line and column.

mod builtin;
mod call;
pub mod exercise;
mod expect;
mod network;
pub mod prose;
mod translation;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use crate::t;

pub use builtin::{BUILTIN, BUILTIN_EXERCISES};
pub use call::{
    Addressing, Bytes, Call, Family, HostAddress, Outcome, Payload, Peer, PyError, SockOpt,
    SockType, StepCall,
};
pub use exercise::TypedLine;
pub use expect::{Expectation, WireKind, in_words as expectation_in_words};
pub use network::{Fault, FaultAction, NetworkSpec, Which};

/// A lesson, validated and ready to run.
#[derive(Debug, Clone)]
pub struct Lesson {
    pub id: String,
    pub title: String,
    pub summary: String,
    /// Position in `socklab list`; lower comes first.
    pub order: u32,
    /// The programs taking part, in the order their columns are drawn.
    pub actors: Vec<String>,
    pub steps: Vec<Step>,
    /// Where the lesson came from (a path, or `built-in:<file>`).
    pub source: String,
    /// Why the lesson does not run over IPv6, when it does not.
    pub no_ipv6: Option<String>,
    /// The lesson that shows over IPv6 what this one shows over IPv4
    /// (multicast for broadcast): `run --ipv6` runs it instead.
    pub ipv6_lesson: Option<String>,
    /// Why the lesson does not run in hold mode (`--hold`), when it does
    /// not: its story is in the timing that holding frames would change.
    pub no_hold: Option<String>,
    /// Where `ipv6_lesson` is written (line, column), for `check` of a
    /// folder, which can only tell once every lesson is read.
    ipv6_lesson_at: (usize, usize),
    /// The lesson is about IPv6 itself and always runs over it.
    pub ipv6_only: bool,
    /// The lab network the lesson runs on, instead of the loopback.
    pub network: Option<NetworkSpec>,
    /// What the lab wire does to chosen frames, each in its step.
    pub faults: Vec<Fault>,
    /// The lesson's text in other languages (`socklab run --lang`).
    pub translations: translation::Translations,
    /// An exercise: one actor is the learner's program.
    pub exercise: Option<exercise::Exercise>,
}

#[derive(Debug, Clone)]
pub struct Step {
    pub title: String,
    /// Shown before the calls run.
    pub text: String,
    pub calls: Vec<StepCall>,
    /// The packets this step must put on the wire, in order.
    pub expect: Vec<Expectation>,
    /// Shown after the packets: what the learner should take away.
    pub after: Option<String>,
    /// Asked right after `text`, before any call runs: neither what the
    /// calls return nor the packets they cause can answer it.
    pub question: Option<Question>,
    /// After the calls: a chat loop between two connected sockets.
    pub chat: Option<Chat>,
    /// The TCP socket whose congestion control the step shows, read from
    /// its kernel between round trips (on the lab wire).
    pub congestion: Option<String>,
    /// In an exercise, what this step checks; a step without it prepares
    /// socklab's side.
    pub check: Option<exercise::Check>,
}

/// A line-by-line chat: each line goes from `from` to `to`, which answers
/// it with `reply` followed by the line, until the line `until`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Chat {
    pub from: String,
    pub to: String,
    /// Shown before the learner types, like Python's `input(prompt)`.
    pub prompt: String,
    pub reply: String,
    /// The line that ends the chat.
    pub until: String,
    /// The lines `--auto` uses; the last one must be `until`.
    pub lines: Vec<String>,
}

/// A multiple-choice question about what is about to appear on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub ask: String,
    pub choices: Vec<String>,
    /// Index into `choices` of the right answer.
    pub answer: usize,
    /// Shown after the answer, right or wrong.
    pub explain: String,
}

impl Lesson {
    /// Every call the lesson makes, the calls of its chat loops too (each
    /// line is sent with `sendall` and read with `recv`): what the code
    /// shown before the first call must import.
    pub fn calls(&self) -> Vec<Call> {
        let mut calls = Vec::new();
        for step in &self.steps {
            calls.extend(step.calls.iter().map(|c| c.call.clone()));
            if let Some(chat) = &step.chat {
                let chat_payload = Payload {
                    text: String::new(),
                    repeat: 1,
                    clock: false,
                    file: None,
                };
                calls.push(Call::Send {
                    name: chat.from.clone(),
                    data: chat_payload,
                    all: true,
                });
                calls.push(Call::Recv {
                    name: chat.to.clone(),
                    bufsize: 1024,
                    waitall: false,
                });
            }
        }
        calls
    }
}

/// A problem in a lesson file, with the place it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for LessonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

impl std::error::Error for LessonError {}

/// The file as written, before validation. Field names are the lesson
/// format; `lessons/README.md` documents them.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LessonFile {
    id: Spanned<String>,
    title: Spanned<String>,
    summary: Spanned<String>,
    #[serde(default = "default_order")]
    order: u32,
    actors: Spanned<Vec<Spanned<String>>>,
    /// Why the lesson cannot run with `--ipv6` (IPv4 broadcast, say).
    no_ipv6: Option<String>,
    /// With `--ipv6`, the lesson to run instead.
    ipv6_lesson: Option<Spanned<String>>,
    /// Why the lesson cannot run with `--hold`.
    no_hold: Option<Spanned<String>>,
    /// The lesson is about IPv6 and always runs over it.
    ipv6_only: Option<Spanned<bool>>,
    /// A lesson on the lab wire whose text holds for IPv4 and IPv6 alike:
    /// `--ipv6` gives it IPv6 hosts (without it, its text is taken to be
    /// about IPv4: 10.0.0.x addresses, ARP).
    #[serde(default)]
    ipv6_wire: bool,
    steps: Spanned<Vec<StepFile>>,
    network: Option<Spanned<NetworkFile>>,
    /// Faults belong to the step they act in (`[[steps.faults]]`); a
    /// top-level table is refused with that advice.
    #[serde(default)]
    faults: Vec<Spanned<toml::Value>>,
    #[serde(default)]
    translations: BTreeMap<Spanned<String>, Spanned<translation::TranslationFile>>,
    /// The file is an exercise.
    exercise: Option<Spanned<exercise::ExerciseTable>>,
}

/// `[network]`: every actor becomes a host on the lab wire.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NetworkFile {
    #[serde(default = "default_mtu")]
    mtu: u32,
    /// Each host's cable latency, in milliseconds: one number for every
    /// host, or a table by host.
    latency_ms: Option<LatencyFile>,
    /// Kernel settings for every host, by name as `sysctl` writes them
    /// (`net.ipv4.tcp_recovery`).
    #[serde(default)]
    sysctl: std::collections::BTreeMap<String, toml::Value>,
    /// Hold every frame on the wire until the learner lets it go, as
    /// `socklab run --hold` does.
    #[serde(default)]
    hold: bool,
    /// Hosts cabled to a second segment, out of reach of the others.
    #[serde(default)]
    apart: Vec<String>,
    /// IPv6 multicast groups by name, for `join` and `to` (`players =
    /// "ff02::7788"`).
    #[serde(default)]
    groups: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum LatencyFile {
    Every(u64),
    ByHost(std::collections::BTreeMap<String, u64>),
}

/// On the lab wire, the name of the broadcast address as a destination:
/// `to = "everyone"` with `broadcast = true`, and `sender > everyone UDP`.
/// Over IPv6, which has no broadcast, the all-nodes group ff02::1.
pub const EVERYONE: &str = "everyone";

/// A step waits at most 3 s for its packets: a few round trips must fit
/// (two cables of 200 ms make a round trip of 800 ms).
const MAX_LATENCY_MS: u64 = 200;

fn default_mtu() -> u32 {
    1500
}

/// `[[steps.faults]]`: one action, aimed at frames written like an
/// expectation, counted from the start of its step.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FaultFile {
    drop: Option<String>,
    duplicate: Option<String>,
    delay: Option<String>,
    reorder: Option<String>,
    corrupt: Option<String>,
    nth: Option<u32>,
    every: Option<u32>,
    /// With `nth`: that many matching frames in a row, from the n-th.
    count: Option<u32>,
    /// For `delay`: how long, in milliseconds.
    ms: Option<u64>,
}

fn default_order() -> u32 {
    1000
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StepFile {
    title: Spanned<String>,
    text: Spanned<String>,
    #[serde(default)]
    calls: Vec<Spanned<call::CallFile>>,
    #[serde(default)]
    expect: Vec<Spanned<String>>,
    after: Option<Spanned<String>>,
    question: Option<Spanned<QuestionFile>>,
    chat: Option<Spanned<Chat>>,
    /// A TCP socket whose congestion view (TCP_INFO) the step shows.
    congestion: Option<Spanned<String>>,
    #[serde(default)]
    faults: Vec<Spanned<FaultFile>>,
    /// In an exercise: what the step checks.
    check: Option<Spanned<exercise::CheckTable>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionFile {
    ask: String,
    choices: Vec<String>,
    /// 1-based, as the learner types it.
    answer: usize,
    explain: String,
}

/// Problems found in one lesson file, each placed at its line and column.
struct Problems<'a> {
    name: &'a str,
    source: &'a str,
    found: Vec<LessonError>,
}

impl Problems<'_> {
    fn at(&self, span: std::ops::Range<usize>, message: String) -> LessonError {
        let (line, column) = line_column(self.source, span.start);
        LessonError {
            file: self.name.to_string(),
            line,
            column,
            message,
        }
    }

    fn push(&mut self, span: std::ops::Range<usize>, message: String) {
        let error = self.at(span, message);
        self.found.push(error);
    }
}

/// What the TOML reader said, in the learner's language: serde's three
/// usual complaints about the lesson format (an unknown field, with the
/// closest known one when there is one; a missing field; a value of the
/// wrong type), or a problem of TOML syntax.
fn reader_problem(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some((field, expected)) = rest.split_once("`, expected one of ")
    {
        let names = expected.split(", ").map(|n| n.trim_matches('`'));
        return match crate::suggest::closest(field, names) {
            Some(near) => t!("check-unknown-field-near", field = field, near = near),
            None => t!(
                "check-unknown-field",
                field = field,
                expected = crate::i18n::listed(expected.split(", "))
            ),
        };
    }
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.strip_suffix('`'))
    {
        return t!("check-missing-field", field = field);
    }
    if let Some((found, expected)) = message
        .strip_prefix("invalid type: ")
        .and_then(|rest| rest.split_once(", expected "))
    {
        return t!("check-invalid-type", found = found, expected = expected);
    }
    t!("check-toml", problem = message)
}

/// What checking one step needs to know about the lesson around it.
struct StepContext<'a> {
    network: Option<&'a Spanned<NetworkFile>>,
    is_exercise: bool,
    actors: &'a [String],
    /// The actors, and on the lab wire `everyone` and the groups' names.
    targets: &'a [String],
}

/// Parses and validates one lesson. `name` is used in error messages.
/// Every problem found is returned, not only the first: a teacher fixes a
/// file in one go.
pub fn parse(name: &str, source: &str) -> Result<Lesson, Vec<LessonError>> {
    let mut problems = Problems {
        name,
        source,
        found: Vec::new(),
    };
    // A file that is not valid TOML, or not the lesson format, cannot be
    // checked any further.
    let file: LessonFile = toml::from_str(source).map_err(|e| {
        let message = reader_problem(e.message().trim_end());
        vec![problems.at(e.span().unwrap_or(0..0), message.replace('\n', "; "))]
    })?;

    check_id_and_prose(&file, &mut problems);
    let actors = checked_actors(&file, &mut problems);
    if file.steps.get_ref().is_empty() {
        problems.push(file.steps.span(), t!("check-no-steps"));
    }
    let ipv6_only = file.ipv6_only.as_ref().is_some_and(|b| *b.get_ref());
    check_ipv6_flags(&file, &mut problems);
    check_no_hold(&file, &mut problems);

    let (targets, groups) = wire_targets(&file, &actors, ipv6_only, &mut problems);
    let mut sockets = call::Scope::new(&targets, &groups, ipv6_only);
    check_no_lesson_level_faults(&file, &mut problems);
    let context = StepContext {
        network: file.network.as_ref(),
        is_exercise: file.exercise.is_some(),
        actors: &actors,
        targets: &targets,
    };
    let mut steps = Vec::new();
    let mut faults = Vec::new();
    for step in file.steps.into_inner() {
        let index = steps.len();
        let step = checked_step(
            step,
            index,
            &context,
            &mut sockets,
            &mut faults,
            &mut problems,
        );
        steps.push(step);
    }
    let network = file.network.and_then(|network| {
        let span = network.span();
        checked_lesson_network(network.into_inner(), &actors, ipv6_only, &groups)
            .map_err(|message| problems.push(span, message))
            .ok()
    });
    let exercise_text = file.exercise.as_ref().map(|e| e.get_ref().text());
    let translations =
        checked_translations(file.translations, &steps, exercise_text, &mut problems);
    let exercise = file
        .exercise
        .and_then(|table| checked_exercise_table(table, &actors, &steps, &mut problems));
    if !problems.found.is_empty() {
        return Err(problems.found);
    }

    let id = file.id.into_inner();
    Ok(Lesson {
        id,
        title: file.title.into_inner(),
        summary: file.summary.into_inner(),
        order: file.order,
        actors,
        steps,
        source: name.to_string(),
        no_ipv6: file.no_ipv6.or_else(|| {
            (network.is_some() && !ipv6_only && !file.ipv6_wire).then(|| t!("check-no-ipv6-wire"))
        }),
        ipv6_lesson_at: file
            .ipv6_lesson
            .as_ref()
            .map_or((0, 0), |other| line_column(source, other.span().start)),
        ipv6_lesson: file.ipv6_lesson.map(Spanned::into_inner),
        no_hold: file.no_hold.map(|why| why.into_inner().trim().to_string()),
        ipv6_only,
        network,
        faults,
        translations,
        exercise,
    })
}

/// The lesson's id, and the prose placeholders of its title and summary.
fn check_id_and_prose(file: &LessonFile, problems: &mut Problems) {
    let id = file.id.get_ref();
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        problems.push(file.id.span(), t!("check-id", id = id.as_str()));
    }

    for (field, text) in [("title", &file.title), ("summary", &file.summary)] {
        if let Err(message) = prose::check(text.get_ref()) {
            problems.push(
                text.span(),
                t!("check-in-field", field = field, problem = message),
            );
        }
    }
}

/// The actors' names, each once and an identifier; at least two of them.
fn checked_actors(file: &LessonFile, problems: &mut Problems) -> Vec<String> {
    let mut actors = Vec::new();
    for actor in file.actors.get_ref() {
        let name = actor.get_ref();
        if !call::is_identifier(name) {
            problems.push(actor.span(), t!("check-actor-name", name = name.as_str()));
        } else if actors.contains(name) {
            problems.push(actor.span(), t!("check-actor-twice", name = name.as_str()));
        } else {
            actors.push(name.clone());
        }
    }
    if file.actors.get_ref().len() < 2 {
        problems.push(file.actors.span(), t!("check-two-actors"));
    }
    actors
}

/// `ipv6_only`, `no_ipv6` and `ipv6_lesson` must agree with each other.
fn check_ipv6_flags(file: &LessonFile, problems: &mut Problems) {
    if let Some(flag) = &file.ipv6_only
        && *flag.get_ref()
        && file.no_ipv6.is_some()
    {
        problems.push(flag.span(), t!("check-ipv6-only-and-no-ipv6"));
    }
    if let Some(other) = &file.ipv6_lesson
        && file.no_ipv6.is_none()
    {
        problems.push(other.span(), t!("check-ipv6-lesson-without-no-ipv6"));
    }
}

/// `no_hold` only makes sense on a lab wire that is not held, and says why.
fn check_no_hold(file: &LessonFile, problems: &mut Problems) {
    if let Some(why) = &file.no_hold {
        let held = file.network.as_ref().is_some_and(|n| n.get_ref().hold);
        let problem = match (&file.network, held) {
            (None, _) => Some(t!("check-no-hold-on-loopback")),
            (Some(_), true) => Some(t!("check-no-hold-and-hold")),
            _ if why.get_ref().trim().is_empty() => Some(t!("check-no-hold-empty")),
            _ => None,
        };
        if let Some(problem) = problem {
            problems.push(why.span(), problem);
        }
    }
}

/// The names a call or an expectation may send to: the actors, and on the
/// lab wire `everyone` and the multicast groups (returned too, checked).
fn wire_targets(
    file: &LessonFile,
    actors: &[String],
    ipv6_only: bool,
    problems: &mut Problems,
) -> (Vec<String>, Vec<(String, std::net::Ipv6Addr)>) {
    // On the lab wire, `everyone` stands for the subnet's broadcast
    // address (over IPv6 the all-nodes group), and each multicast group
    // has its name: destinations, never hosts.
    let mut targets = actors.to_vec();
    let mut groups = Vec::new();
    if let Some(network) = &file.network {
        if actors.iter().any(|a| a == EVERYONE) {
            problems.push(
                file.actors.span(),
                t!("check-everyone-as-actor", everyone = EVERYONE),
            );
        }
        targets.push(EVERYONE.to_string());
        match checked_groups(&network.get_ref().groups, actors, ipv6_only) {
            Ok(checked) => groups = checked,
            Err(message) => problems.push(network.span(), message),
        }
        targets.extend(groups.iter().map(|(name, _)| name.clone()));
    }
    (targets, groups)
}

/// Faults at the top of the file are refused: each belongs to a step.
fn check_no_lesson_level_faults(file: &LessonFile, problems: &mut Problems) {
    for fault in &file.faults {
        problems.push(fault.span(), t!("check-fault-outside-step"));
    }
}

/// One step, checked: its faults go to `faults`, its calls through the
/// lesson's socket scope (`sockets`), in order.
fn checked_step(
    step: StepFile,
    index: usize,
    context: &StepContext,
    sockets: &mut call::Scope,
    faults: &mut Vec<Fault>,
    problems: &mut Problems,
) -> Step {
    checked_step_faults(step.faults, index, context, faults, problems);
    let mut calls = Vec::new();
    for raw in step.calls {
        let span = raw.span();
        match sockets.check(raw.into_inner()) {
            Ok(call) => calls.push(call),
            Err(message) => problems.push(span, message),
        }
    }
    let mut expect = Vec::new();
    for line in step.expect {
        match Expectation::parse(line.get_ref(), context.targets) {
            Ok(parsed) => expect.push(parsed),
            Err(message) => problems.push(line.span(), message),
        }
    }
    check_step_prose(&step.title, &step.text, step.after.as_ref(), problems);
    let question = step
        .question
        .and_then(|q| checked_step_question(q, &step.title, &step.text, problems));
    let chat = step.chat.and_then(|chat| {
        let span = chat.span();
        checked_chat(sockets, chat.into_inner())
            .map_err(|message| problems.push(span, message))
            .ok()
    });
    let congestion = step.congestion.and_then(|name| {
        let span = name.span();
        checked_congestion(sockets, context.network, context.actors, name.into_inner())
            .map_err(|message| problems.push(span, message))
            .ok()
    });
    let check = step
        .check
        .map(|table| checked_step_check(table, context, &calls, &expect, problems));
    Step {
        title: step.title.into_inner(),
        text: step.text.into_inner().trim().to_string(),
        calls,
        expect,
        after: step.after.map(|s| s.into_inner().trim().to_string()),
        question,
        chat,
        congestion,
        check,
    }
}

/// A step's faults, which need the lab wire; `index` is the step's.
fn checked_step_faults(
    step_faults: Vec<Spanned<FaultFile>>,
    index: usize,
    context: &StepContext,
    faults: &mut Vec<Fault>,
    problems: &mut Problems,
) {
    for fault in step_faults {
        let span = fault.span();
        if context.network.is_none() {
            problems.push(span, t!("check-fault-without-network"));
            continue;
        }
        match checked_fault(fault.into_inner(), context.actors, index) {
            Ok(fault) => faults.push(fault),
            Err(message) => problems.push(span, message),
        }
    }
}

/// A step's title and text are not empty, and its prose's placeholders
/// (`{python: … | rust: …}`) are well formed.
fn check_step_prose(
    title: &Spanned<String>,
    text: &Spanned<String>,
    after: Option<&Spanned<String>>,
    problems: &mut Problems,
) {
    for (field, text) in [("title", title), ("text", text)] {
        if text.get_ref().trim().is_empty() {
            problems.push(text.span(), t!("check-step-empty", field = field));
        }
    }
    // The prose's placeholders (`{python: … | rust: …}`).
    let mut prose_fields = vec![("title", title), ("text", text)];
    if let Some(after) = after {
        prose_fields.push(("after", after));
    }
    for (field, text) in prose_fields {
        if let Err(message) = prose::check(text.get_ref()) {
            problems.push(
                text.span(),
                t!("check-in-field", field = field, problem = message),
            );
        }
    }
}

/// A step's question: well-formed prose, a valid answer, and not given
/// away by the step's own title and text.
fn checked_step_question(
    question: Spanned<QuestionFile>,
    title: &Spanned<String>,
    text: &Spanned<String>,
    problems: &mut Problems,
) -> Option<Question> {
    let span = question.span();
    let q = question.into_inner();
    let prose = std::iter::once(&q.ask)
        .chain(&q.choices)
        .chain(std::iter::once(&q.explain));
    for prose_text in prose {
        if let Err(message) = prose::check(prose_text) {
            problems.push(span.clone(), t!("check-in-question", problem = message));
        }
    }
    checked_question(q)
        .map_err(|message| problems.push(span.clone(), message))
        .ok()
        .inspect(|q| {
            // A question is asked right after the step's title and
            // text: they must not answer it.
            let right = &q.choices[q.answer];
            if let Some(words) = prose::given_away(&[title.get_ref(), text.get_ref()], right) {
                problems.push(
                    text.span(),
                    t!(
                        "check-answer-given-away",
                        answer = right.as_str(),
                        words = words.as_str()
                    ),
                );
            }
        })
}

/// A step's `[steps.check]`, which only an exercise has.
fn checked_step_check(
    table: Spanned<exercise::CheckTable>,
    context: &StepContext,
    calls: &[StepCall],
    expect: &[Expectation],
    problems: &mut Problems,
) -> exercise::Check {
    let span = table.span();
    if !context.is_exercise {
        problems.push(span.clone(), t!("check-check-outside-exercise"));
    }
    let (check, found) =
        exercise::checked_check(table.into_inner(), context.targets, calls, expect);
    for (at_span, message) in found {
        problems.push(at_span.unwrap_or(span.clone()), message);
    }
    check
}

/// The `[network]` table, with the lesson-wide IPv6 choice and groups.
fn checked_lesson_network(
    file: NetworkFile,
    actors: &[String],
    ipv6_only: bool,
    groups: &[(String, std::net::Ipv6Addr)],
) -> Result<NetworkSpec, String> {
    let spec = checked_network(file, actors)?;
    // RFC 8200 §5: every link that carries IPv6 has an MTU of at
    // least 1280; below it the kernel turns IPv6 off.
    if ipv6_only && spec.mtu < 1280 {
        return Err(t!("check-mtu-ipv6", mtu = spec.mtu));
    }
    Ok(NetworkSpec {
        ipv6: ipv6_only,
        groups: groups.to_vec(),
        ..spec
    })
}

/// The `[translations.LANG]` tables, each checked against the steps.
fn checked_translations(
    files: BTreeMap<Spanned<String>, Spanned<translation::TranslationFile>>,
    steps: &[Step],
    exercise: Option<translation::ExerciseText>,
    problems: &mut Problems,
) -> translation::Translations {
    let mut translations = translation::Translations::new();
    for (lang, file) in files {
        let span = file.span();
        if !translation::is_language(lang.get_ref()) {
            problems.push(
                lang.span(),
                t!("check-language-code", code = lang.get_ref().as_str()),
            );
            continue;
        }
        match translation::checked(lang.get_ref(), file.into_inner(), steps, exercise) {
            Ok(t) => {
                translations.insert(lang.into_inner(), t);
            }
            Err(messages) => {
                for message in messages {
                    problems.push(span.clone(), message);
                }
            }
        }
    }
    translations
}

/// The `[exercise]` table, and what it asks of the steps as a whole.
fn checked_exercise_table(
    table: Spanned<exercise::ExerciseTable>,
    actors: &[String],
    steps: &[Step],
    problems: &mut Problems,
) -> Option<exercise::Exercise> {
    let span = table.span();
    match exercise::checked_exercise(table.into_inner(), actors) {
        Ok(exercise) => {
            for message in exercise::whole(&exercise, steps) {
                problems.push(span.clone(), message);
            }
            Some(exercise)
        }
        Err(message) => {
            problems.push(span, message);
            None
        }
    }
}

/// The lab network: one host per actor, in the actors' order.
fn checked_network(file: NetworkFile, actors: &[String]) -> Result<NetworkSpec, String> {
    if !(576..=9000).contains(&file.mtu) {
        return Err(t!("check-mtu-range", mtu = file.mtu));
    }
    let latency_of = |actor: &String| match &file.latency_ms {
        None => 0,
        Some(LatencyFile::Every(ms)) => *ms,
        Some(LatencyFile::ByHost(hosts)) => hosts.get(actor).copied().unwrap_or(0),
    };
    if let Some(LatencyFile::ByHost(hosts)) = &file.latency_ms
        && let Some(unknown) = hosts.keys().find(|h| !actors.contains(h))
    {
        return Err(t!("check-latency-unknown-actor", name = unknown.as_str()));
    }
    if let Some(ms) = actors
        .iter()
        .map(latency_of)
        .find(|ms| *ms > MAX_LATENCY_MS)
    {
        return Err(t!("check-latency-too-long", ms = ms, max = MAX_LATENCY_MS));
    }
    if actors.len() > 250 {
        return Err(t!("check-too-many-hosts", max = 250));
    }
    let mut sysctls = Vec::new();
    for (name, value) in file.sysctl {
        let Some(path) = name.strip_prefix("net.") else {
            return Err(t!("check-sysctl-not-net", name = name.as_str()));
        };
        let value = match value {
            toml::Value::String(text) => text,
            toml::Value::Integer(n) => n.to_string(),
            other => {
                return Err(t!(
                    "check-sysctl-value",
                    name = name.as_str(),
                    value = other.to_string()
                ));
            }
        };
        sysctls.push((path.replace('.', "/"), value));
    }
    for host in &file.apart {
        if !actors.contains(host) {
            return Err(t!("check-apart-unknown-actor", name = host.as_str()));
        }
    }
    Ok(NetworkSpec {
        segments: actors
            .iter()
            .map(|a| usize::from(file.apart.contains(a)))
            .collect(),
        hosts: actors.to_vec(),
        mtu: file.mtu,
        hold: file.hold,
        latency: actors
            .iter()
            .map(|a| Duration::from_millis(latency_of(a)))
            .collect(),
        sysctls,
        ipv6: false,
        groups: Vec::new(),
    })
}

/// `groups`: names for link-local IPv6 multicast groups.
fn checked_groups(
    groups: &BTreeMap<String, String>,
    actors: &[String],
    ipv6_only: bool,
) -> Result<Vec<(String, std::net::Ipv6Addr)>, String> {
    if !groups.is_empty() && !ipv6_only {
        return Err(t!("check-groups-need-ipv6"));
    }
    let mut checked = Vec::new();
    for (name, text) in groups {
        if !call::is_identifier(name) || actors.contains(name) || name == EVERYONE {
            return Err(t!(
                "check-group-name",
                name = name.as_str(),
                everyone = EVERYONE
            ));
        }
        let addr: std::net::Ipv6Addr = text.parse().map_err(|_| {
            t!(
                "check-group-not-ipv6",
                name = name.as_str(),
                address = text.as_str()
            )
        })?;
        // RFC 4291 §2.7: ff, then flags, then the scope; 2 is link-local.
        if addr.segments()[0] & 0xff0f != 0xff02 {
            return Err(t!(
                "check-group-not-link-local",
                name = name.as_str(),
                address = addr.to_string()
            ));
        }
        if addr == crate::packet::ALL_NODES {
            return Err(t!(
                "check-group-all-nodes",
                name = name.as_str(),
                everyone = EVERYONE
            ));
        }
        checked.push((name.clone(), addr));
    }
    Ok(checked)
}

/// One fault of step `step` (from 0): exactly one action, and which of
/// its frames it hits.
fn checked_fault(file: FaultFile, actors: &[String], step: usize) -> Result<Fault, String> {
    let actions = [
        ("drop", &file.drop),
        ("duplicate", &file.duplicate),
        ("delay", &file.delay),
        ("reorder", &file.reorder),
        ("corrupt", &file.corrupt),
    ];
    let given: Vec<_> = actions.iter().filter(|(_, v)| v.is_some()).collect();
    let [(name, Some(frames))] = given.as_slice() else {
        return Err(t!("check-fault-one-action"));
    };
    let frames = Expectation::parse(frames, actors)?;
    let action = match (*name, file.ms) {
        ("delay", Some(ms)) if (1..=2000).contains(&ms) => {
            FaultAction::Delay(std::time::Duration::from_millis(ms))
        }
        ("delay", _) => return Err(t!("check-delay-needs-ms")),
        (_, Some(_)) => return Err(t!("check-ms-without-delay")),
        ("drop", None) => FaultAction::Drop,
        ("duplicate", None) => FaultAction::Duplicate,
        ("reorder", None) => FaultAction::Reorder,
        ("corrupt", None) => FaultAction::Corrupt,
        (other, None) => return Err(t!("check-fault-unknown", fault = other)),
    };
    let which = match (file.nth, file.every, file.count) {
        (Some(_), Some(_), _) => return Err(t!("check-nth-and-every")),
        (_, Some(_), Some(_)) => return Err(t!("check-count-with-every")),
        (Some(0), ..) | (_, Some(0), _) => return Err(t!("check-nth-from-one")),
        (_, _, Some(0)) => return Err(t!("check-count-zero")),
        (Some(n), None, Some(count)) => Which::Run { first: n, count },
        (None, None, Some(count)) => Which::Run { first: 1, count },
        (Some(n), None, None) => Which::Nth(n),
        (None, Some(n), None) => Which::Every(n),
        (None, None, None) => Which::Nth(1),
    };
    Ok(Fault {
        action,
        frames,
        which,
        step,
    })
}

/// A question whose answer is one of its choices, with text to show.
fn checked_question(q: QuestionFile) -> Result<Question, String> {
    if q.choices.len() < 2 {
        return Err(t!("check-question-choices"));
    }
    if !(1..=q.choices.len()).contains(&q.answer) {
        return Err(t!("check-question-answer", choices = q.choices.len()));
    }
    if q.ask.trim().is_empty() || q.explain.trim().is_empty() {
        return Err(t!("check-question-text"));
    }
    Ok(Question {
        ask: q.ask.trim().to_string(),
        choices: q.choices,
        answer: q.answer - 1,
        explain: q.explain.trim().to_string(),
    })
}

/// A chat between two connected TCP sockets that `--auto` can finish.
fn checked_chat(sockets: &call::Scope, chat: Chat) -> Result<Chat, String> {
    sockets.chat_ends(&chat.from, &chat.to)?;
    if chat.lines.last() != Some(&chat.until) {
        return Err(t!("check-chat-until", until = chat.until.as_str()));
    }
    Ok(chat)
}

/// The socket a step shows the congestion view of: a connected TCP socket,
/// on the lab wire, whose host's cable is short (socklab captures at the
/// switch, so only there do the kernel's counts of segments sent and
/// received meet the capture's), across a wire with latency (so that round
/// trips are apart, and the kernel can be read between them).
fn checked_congestion(
    sockets: &call::Scope,
    network: Option<&Spanned<NetworkFile>>,
    actors: &[String],
    name: String,
) -> Result<String, String> {
    let Some(network) = network else {
        return Err(t!("check-congestion-needs-wire"));
    };
    let actor = sockets.connected_stream(&name, "congestion")?;
    let latency = |who: &str| match &network.get_ref().latency_ms {
        None => 0,
        Some(LatencyFile::Every(ms)) => *ms,
        Some(LatencyFile::ByHost(hosts)) => hosts.get(who).copied().unwrap_or(0),
    };
    if latency(&actor) > 0 {
        let other = actors
            .iter()
            .find(|a| **a != actor)
            .map_or("server", String::as_str);
        return Err(t!(
            "check-congestion-sender-far",
            name = name.as_str(),
            actor = actor.as_str(),
            other = other
        ));
    }
    if actors.iter().all(|a| latency(a) == 0) {
        return Err(t!("check-congestion-needs-latency"));
    }
    Ok(name)
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// The lessons built into the binary, sorted for `socklab list`.
pub fn builtin() -> Vec<Lesson> {
    let mut lessons: Vec<Lesson> = BUILTIN
        .iter()
        .map(|(file, text)| {
            // Built-in lessons are checked by the test suite, so a failure
            // here is a packaging bug, not user input.
            parse(&format!("lessons/{file}"), text)
                .unwrap_or_else(|e| panic!("built-in lesson is invalid: {e:?}"))
        })
        .collect();
    sort(&mut lessons);
    lessons
}

/// The built-in lesson with this id, if there is one, parsed alone: a
/// built-in lesson's file is named after its id (a unit test holds them
/// so), and `socklab run LESSON` then reads one lesson, not 25 (4 ms of a
/// 30 ms run of tcp-handshake).
pub fn builtin_named(id: &str) -> Option<Lesson> {
    let (file, text) = BUILTIN
        .iter()
        .find(|(file, _)| file.strip_suffix(".toml") == Some(id))?;
    // As in `builtin`: checked by the test suite.
    Some(
        parse(&format!("lessons/{file}"), text)
            .unwrap_or_else(|e| panic!("built-in lesson is invalid: {e:?}")),
    )
}

/// Loads every `*.toml` file of a folder: the lessons that are valid,
/// sorted, and every problem of the others, so that one broken file does
/// not keep the rest from running.
pub fn load_dir_lenient(dir: &Path) -> Result<(Vec<Lesson>, Vec<LessonError>), LoadError> {
    let files = lesson_files(dir)?;
    if files.is_empty() {
        return Err(LoadError::Empty(dir.to_path_buf()));
    }
    let (mut lessons, problems) = load_files(&files)?;
    sort(&mut lessons);
    Ok((lessons, problems))
}

/// The lesson files of a folder (`*.toml`, sorted), or the file itself.
pub fn lesson_files(path: &Path) -> Result<Vec<PathBuf>, LoadError> {
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let entries = std::fs::read_dir(path).map_err(|source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    paths.sort();
    Ok(paths)
}

/// Parses lesson files, returning the valid lessons and every problem
/// found (including two files with the same lesson id).
pub fn load_files(paths: &[PathBuf]) -> Result<(Vec<Lesson>, Vec<LessonError>), LoadError> {
    let mut lessons: Vec<Lesson> = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(path).map_err(|source| LoadError::Io {
            path: path.clone(),
            source,
        })?;
        let name = path.display().to_string();
        match parse(&name, &text) {
            Ok(lesson) => {
                if let Some(other) = lessons.iter().find(|l| l.id == lesson.id) {
                    problems.push(LessonError {
                        file: name,
                        line: 1,
                        column: 1,
                        message: t!(
                            "check-id-used",
                            id = lesson.id.as_str(),
                            other = other.source.as_str()
                        ),
                    });
                } else {
                    lessons.push(lesson);
                }
            }
            Err(mut found) => problems.append(&mut found),
        }
    }
    // One file checked alone cannot see the lesson it names.
    if paths.len() > 1 {
        for lesson in &lessons {
            let Some(other) = &lesson.ipv6_lesson else {
                continue;
            };
            let message = match lessons.iter().find(|l| &l.id == other) {
                None => t!("check-ipv6-lesson-missing", id = other.as_str()),
                Some(l) if !l.ipv6_only => t!("check-ipv6-lesson-not-ipv6", id = other.as_str()),
                Some(_) => continue,
            };
            let (line, column) = lesson.ipv6_lesson_at;
            problems.push(LessonError {
                file: lesson.source.clone(),
                line,
                column,
                message,
            });
        }
    }
    Ok((lessons, problems))
}

fn sort(lessons: &mut [Lesson]) {
    lessons.sort_by(|a, b| a.order.cmp(&b.order).then_with(|| a.id.cmp(&b.id)));
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{}", t!("error-cannot-read", path = .path.display().to_string(), error = .source.to_string()))]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<LessonError>),
    #[error("{}", t!("error-no-lesson-files", path = .0.display().to_string()))]
    Empty(PathBuf),
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    const MINIMAL: &str = r#"
id = "mini"
title = "Mini"
summary = "A small lesson"
actors = ["client", "server"]

[[steps]]
title = "Listen"
text = "The server listens."
calls = [
  { socket = "server", type = "stream" },
  { bind = "server", port = 5000 },
  { listen = "server", backlog = 1 },
]
"#;

    #[test]
    fn minimal_lesson_parses() {
        let lesson = parse("mini.toml", MINIMAL).unwrap();
        assert_eq!(lesson.id, "mini");
        assert_eq!(lesson.steps[0].calls.len(), 3);
        assert!(lesson.steps[0].expect.is_empty());
    }

    #[test]
    fn the_readers_complaints_are_shortened_and_kept() {
        let message = "unknown field `conect`, expected one of `socket`, `connect`, `close`";
        assert_eq!(
            reader_problem(message),
            "unknown field `conect`: did you mean `connect`?"
        );
        let far = "unknown field `zzzzzz`, expected one of `socket`, `connect`";
        assert_eq!(reader_problem(far), far);
        for kept in [
            "missing field `summary`",
            "invalid type: string \"ten\", expected u32",
            "invalid basic string, expected `\"`",
        ] {
            assert_eq!(reader_problem(kept), kept);
        }
    }

    #[test]
    fn unknown_field_names_line_and_column() {
        let text = MINIMAL.replace("title = \"Listen\"", "titel = \"Listen\"");
        let err = &parse("mini.toml", &text).unwrap_err()[0];
        assert_eq!((err.line, err.column), (8, 1), "{err}");
        assert!(err.message.contains("unknown field `titel`"), "{err}");
    }

    #[test]
    fn unknown_socket_is_reported_at_the_call() {
        let text = MINIMAL.replace("{ listen = \"server\"", "{ listen = \"srv\"");
        let err = &parse("mini.toml", &text).unwrap_err()[0];
        assert_eq!((err.line, err.column), (13, 3), "{err}");
        assert!(err.message.contains("`srv`"), "{err}");
    }

    #[test]
    fn bad_expectation_is_reported_at_the_string() {
        let text = format!("{MINIMAL}expect = [\"client > nobody SYN\"]\n");
        let err = &parse("mini.toml", &text).unwrap_err()[0];
        assert_eq!((err.line, err.column), (15, 11), "{err}");
        assert!(err.message.contains("nobody"), "{err}");
    }

    #[test]
    fn every_problem_is_reported_not_only_the_first() {
        let text = MINIMAL
            .replace("{ listen = \"server\"", "{ listen = \"srv\"")
            .replace("port = 5000", "port = 5000, backlog = 1");
        let text = format!("{text}expect = [\"client > nobody SYN\"]\n");
        let problems = parse("mini.toml", &text).unwrap_err();
        let places: Vec<(usize, usize)> = problems.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(places, vec![(12, 3), (13, 3), (15, 11)], "{problems:?}");
    }

    #[test]
    fn questions_are_checked() {
        let good = format!(
            "{MINIMAL}[steps.question]\nask = \"Which?\"\nchoices = [\"a\", \"b\"]\nanswer = 2\nexplain = \"b.\"\n"
        );
        let lesson = parse("q.toml", &good).unwrap();
        assert_eq!(lesson.steps[0].question.as_ref().unwrap().answer, 1);
        let bad = good.replace("answer = 2", "answer = 3");
        let problems = parse("q.toml", &bad).unwrap_err();
        assert!(problems[0].message.contains("from 1 to 2"), "{problems:?}");
        assert_eq!(problems[0].line, 15, "the [steps.question] header");
    }

    #[test]
    fn line_column_counts_characters() {
        assert_eq!(line_column("ab\ncé x", 7), (2, 4));
        assert_eq!(line_column("", 0), (1, 1));
    }

    #[test]
    fn every_file_in_lessons_dir_is_built_in() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons");
        let on_disk: BTreeSet<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".toml"))
            .collect();
        let built_in: BTreeSet<String> = BUILTIN.iter().map(|(f, _)| f.to_string()).collect();
        assert_eq!(on_disk, built_in);
        // And every built-in lesson is valid.
        assert_eq!(builtin().len(), built_in.len());
    }

    /// `builtin_named` finds a lesson by its file's name: each is its id.
    #[test]
    fn a_built_in_lesson_is_found_by_its_id_alone() {
        for lesson in builtin() {
            let named = builtin_named(&lesson.id).expect("a file named after the id");
            assert_eq!(named.id, lesson.id);
        }
        assert!(builtin_named("tcp-handshak").is_none());
    }
}
