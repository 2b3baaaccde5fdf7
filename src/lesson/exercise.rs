//! Exercises: lesson files in which one actor is the learner's own
//! program. socklab starts that program in its sandbox, plays the other
//! side with the steps' calls, and each step with a `[steps.check]` table
//! is a check, decided from the capture, the kernel's socket table and
//! what the program did (`exercises/README.md` documents the format).
//!
//! This module reads and validates the exercise's parts of the file; the
//! runner performs them, `crate::exercise` runs the learner's program.

use crate::t;
use serde::Deserialize;
use toml::Spanned;

use super::call::{Call, StepCall};
use super::expect::Expectation;

/// `[exercise]`: what the learner is asked to write, and how it is run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exercise {
    /// The actor the learner's program plays; socklab makes no calls for
    /// it.
    pub program: String,
    /// The lesson that shows what the exercise asks for.
    pub lesson: Option<String>,
    /// How long the program may run, in seconds: it is stopped then.
    pub seconds: u64,
    /// What to write, as the learner reads it.
    pub task: String,
    /// What the program must do, exactly (ports, messages, when to close).
    pub contract: String,
    pub hints: Vec<String>,
    /// The starter file `exercise start` writes: structure and TODOs, never
    /// the solution.
    pub starter: String,
    /// Files of the exercise: in the program's folder (`given`), or for
    /// socklab's calls to send (`file = "big.bin"`) and its checks to
    /// compare.
    pub files: Vec<ExerciseFile>,
    /// Added to the learner's command (a file name for a client to fetch).
    pub args: Vec<String>,
    /// Lines typed into the program's standard input, in order; it is
    /// closed after the last.
    pub stdin: Vec<TypedLine>,
}

/// A line socklab types into the program, as a person at its keyboard
/// would.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypedLine {
    pub line: String,
    /// Typed only once the program has printed this (after what the line
    /// before waited for): a person answers what they have read. `None`:
    /// at once.
    pub after_printed: Option<String>,
}

/// `stdin = ["at once", { line = "hi there", after_printed = "hello" }]`.
#[derive(Deserialize)]
#[serde(untagged)]
enum TypedLineTable {
    AtOnce(String),
    AfterPrinted(AfterPrintedTable),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AfterPrintedTable {
    line: String,
    after_printed: String,
}

impl From<TypedLineTable> for TypedLine {
    fn from(table: TypedLineTable) -> TypedLine {
        match table {
            TypedLineTable::AtOnce(line) => TypedLine {
                line,
                after_printed: None,
            },
            TypedLineTable::AfterPrinted(t) => TypedLine {
                line: t.line,
                after_printed: Some(t.after_printed),
            },
        }
    }
}

/// A file of an exercise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExerciseFile {
    pub name: String,
    pub content: FileContent,
    /// In the program's folder when it starts (a server's files); else
    /// only socklab has it (what a client must fetch).
    pub given: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileContent {
    Text(String),
    /// `size` bytes of numbered lines: the same in every run, and any
    /// piece missing, doubled or out of place shows.
    Lines {
        size: usize,
    },
}

impl ExerciseFile {
    /// The file's bytes.
    pub fn bytes(&self) -> Vec<u8> {
        match &self.content {
            FileContent::Text(text) => text.as_bytes().to_vec(),
            FileContent::Lines { size } => numbered_lines(*size),
        }
    }
}

/// `size` bytes of 32-byte lines, each with its number:
/// `00000001 socklab exercise bytes\n`.
pub fn numbered_lines(size: usize) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(size + 32);
    let mut line = 1u64;
    while bytes.len() < size {
        bytes.extend_from_slice(format!("{line:08} socklab exercise bytes\n").as_bytes());
        line += 1;
    }
    bytes.truncate(size);
    bytes
}

/// What one step checks, besides its expected packets and calls.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Check {
    /// Start the learner's program at this step, and wait until it is
    /// ready.
    pub start: Option<Ready>,
    /// The sentence that says what a failure here means for the program.
    pub fail: Option<String>,
    /// The lesson to run when this check fails.
    pub lesson: Option<String>,
    /// Packets that must not appear in this step (`server > client RST`).
    pub forbid: Vec<Expectation>,
    /// What the step's last receiving call must have got, whole.
    pub received: Option<Expected>,
    /// The program must have exited by the end of the step.
    pub exits: bool,
    /// The program's standard output must contain this.
    pub printed: Option<String>,
    /// The program must have written this file of the exercise, byte for
    /// byte, into its folder.
    pub wrote: Option<String>,
    /// The program must still run after the step (a server that must
    /// survive a bad request).
    pub running: bool,
    /// The step ends at its last expected packet: what follows is drawn in
    /// the next step. For a program that goes on by itself (a client
    /// sends as soon as it has connected), so that where one step ends
    /// does not depend on how fast the program is.
    pub stop_at_expected: bool,
    /// Expected packets of this step that the program may have sent in an
    /// earlier step: one that a step before drew without expecting it
    /// counts here (a client that half-closes with `shutdown(SHUT_WR)`
    /// right after its request sends its FIN then, not after the reply).
    pub may_come_earlier: Vec<Expectation>,
}

/// When a started program is ready for socklab's side to go on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ready {
    /// A TCP socket listens on this port.
    Listen(u16),
    /// A UDP socket is bound to this port.
    Bind(u16),
    /// At once: socklab's side waits for the program's packets.
    Started,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    Text(String),
    File(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ExerciseTable {
    program: Spanned<String>,
    lesson: Option<String>,
    #[serde(default = "default_seconds")]
    seconds: u64,
    task: String,
    contract: String,
    #[serde(default)]
    hints: Vec<String>,
    starter: String,
    #[serde(default)]
    files: Vec<Spanned<FileTable>>,
    #[serde(default)]
    args: Vec<String>,
    #[serde(default)]
    stdin: Vec<TypedLineTable>,
}

impl ExerciseTable {
    /// What a translation is checked against: the hints as written (a
    /// translation has as many) and the starter file (a translation keeps
    /// its code).
    pub(super) fn text(&self) -> super::translation::ExerciseText<'_> {
        super::translation::ExerciseText {
            hints: &self.hints,
            starter: &self.starter,
        }
    }
}

fn default_seconds() -> u64 {
    20
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileTable {
    name: String,
    text: Option<String>,
    /// Bytes of numbered lines.
    size: Option<usize>,
    #[serde(default = "default_given")]
    given: bool,
}

fn default_given() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CheckTable {
    start: Option<StartTable>,
    fail: Option<String>,
    lesson: Option<String>,
    #[serde(default)]
    forbid: Vec<Spanned<String>>,
    received: Option<String>,
    received_file: Option<String>,
    #[serde(default)]
    exits: bool,
    printed: Option<String>,
    wrote: Option<String>,
    #[serde(default)]
    running: bool,
    #[serde(default)]
    stop_at_expected: bool,
    #[serde(default)]
    may_come_earlier: Vec<Spanned<String>>,
}

/// `start = { listen = 8080 }`, `{ bind = 7788 }` or `{}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StartTable {
    listen: Option<u16>,
    bind: Option<u16>,
}

/// The largest file an exercise may make: a few MB is plenty to show that
/// one `recv` is not a whole file.
const MAX_FILE: usize = 16 << 20;

/// Validates `[exercise]`: a problem is a message for the table's span.
pub(super) fn checked_exercise(
    table: ExerciseTable,
    actors: &[String],
) -> Result<Exercise, String> {
    let program = table.program.into_inner();
    if !actors.contains(&program) {
        return Err(t!(
            "check-ex-program",
            program = program.as_str(),
            actors = crate::i18n::listed(actors)
        ));
    }
    let mut files = Vec::new();
    for file in table.files {
        let file = file.into_inner();
        let content = match (file.text, file.size) {
            (Some(text), None) => FileContent::Text(text),
            (None, Some(size)) if size <= MAX_FILE => FileContent::Lines { size },
            (None, Some(_)) => {
                return Err(t!("check-ex-file-large", name = file.name.as_str()));
            }
            _ => return Err(t!("check-ex-file-content", name = file.name.as_str())),
        };
        let plain = !file.name.is_empty()
            && file
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
            && !file.name.starts_with('.');
        if !plain {
            return Err(t!("check-ex-file-name", name = file.name.as_str()));
        }
        files.push(ExerciseFile {
            name: file.name,
            content,
            given: file.given,
        });
    }
    if table.seconds == 0 || table.seconds > 120 {
        return Err(t!("check-ex-seconds"));
    }
    Ok(Exercise {
        program,
        lesson: table.lesson,
        seconds: table.seconds,
        task: table.task.trim().to_string(),
        contract: table.contract.trim().to_string(),
        hints: table.hints,
        starter: table.starter,
        files,
        args: table.args,
        stdin: table.stdin.into_iter().map(TypedLine::from).collect(),
    })
}

/// A problem in a check table: where (`None`: the table itself) and what.
pub(super) type Problem = (Option<std::ops::Range<usize>>, String);

/// Validates a step's `[steps.check]`; `targets`: who expectations may
/// name. Problems are (span, message); `None` for the table's own span.
pub(super) fn checked_check(
    table: CheckTable,
    targets: &[String],
    calls: &[StepCall],
    expect: &[Expectation],
) -> (Check, Vec<Problem>) {
    let mut problems = Vec::new();
    let start = table.start.map(|s| match (s.listen, s.bind) {
        (Some(port), None) => Ready::Listen(port),
        (None, Some(port)) => Ready::Bind(port),
        (None, None) => Ready::Started,
        (Some(_), Some(_)) => {
            problems.push((None, t!("check-ex-start")));
            Ready::Started
        }
    });
    let mut forbid = Vec::new();
    for line in table.forbid {
        match Expectation::parse(line.get_ref(), targets) {
            Ok(parsed) => forbid.push(parsed),
            Err(message) => problems.push((Some(line.span()), message)),
        }
    }
    let mut may_come_earlier = Vec::new();
    for line in table.may_come_earlier {
        match Expectation::parse(line.get_ref(), targets) {
            Ok(parsed) if expect.contains(&parsed) => may_come_earlier.push(parsed),
            Ok(_) => problems.push((
                Some(line.span()),
                t!(
                    "check-ex-earlier-not-expected",
                    text = line.get_ref().as_str()
                ),
            )),
            Err(message) => problems.push((Some(line.span()), message)),
        }
    }
    let received = match (table.received, table.received_file) {
        (Some(text), None) => Some(Expected::Text(text)),
        (None, Some(file)) => Some(Expected::File(file)),
        (None, None) => None,
        (Some(_), Some(_)) => {
            problems.push((None, t!("check-ex-received-both")));
            None
        }
    };
    let receives = calls.iter().any(|c| {
        matches!(
            c.call,
            Call::Recv { .. } | Call::RecvAll { .. } | Call::RecvFrom { .. }
        )
    });
    if received.is_some() && !receives {
        problems.push((None, t!("check-ex-received-without-recv")));
    }
    if table.running && table.exits {
        problems.push((None, t!("check-ex-running-exits")));
    }
    let check = Check {
        start,
        fail: table.fail.map(|s| s.trim().to_string()),
        lesson: table.lesson,
        forbid,
        received,
        exits: table.exits,
        printed: table.printed,
        wrote: table.wrote,
        running: table.running,
        stop_at_expected: table.stop_at_expected,
        may_come_earlier,
    };
    (check, problems)
}

/// Checks an exercise against its steps: one step starts the program, no
/// call is made for the program's actor, and every file named exists.
pub(super) fn whole(exercise: &Exercise, steps: &[super::Step]) -> Vec<String> {
    let mut problems = Vec::new();
    let starts = steps
        .iter()
        .filter(|s| s.check.as_ref().is_some_and(|c| c.start.is_some()))
        .count();
    if starts != 1 {
        problems.push(t!("check-ex-starts", starts = starts));
    }
    let known = |name: &str| exercise.files.iter().any(|f| f.name == name);
    for (index, step) in steps.iter().enumerate() {
        let number = index + 1;
        for call in &step.calls {
            if let Call::Socket { actor, name, .. } = &call.call
                && actor == &exercise.program
            {
                problems.push(t!(
                    "check-ex-program-socket",
                    number = number,
                    name = name.as_str(),
                    actor = actor.as_str()
                ));
            }
            if let Call::Send { data, .. } | Call::SendTo { data, .. } = &call.call
                && let Some(file) = &data.file
                && !known(file)
            {
                problems.push(t!(
                    "check-ex-no-file",
                    number = number,
                    name = file.as_str()
                ));
            }
        }
        let Some(check) = &step.check else { continue };
        for name in [
            check.wrote.as_deref(),
            match &check.received {
                Some(Expected::File(name)) => Some(name.as_str()),
                _ => None,
            },
        ]
        .into_iter()
        .flatten()
        {
            if !known(name) {
                problems.push(t!("check-ex-no-file", number = number, name = name));
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_lines_are_numbered_and_cut_to_size() {
        let bytes = numbered_lines(70);
        assert_eq!(bytes.len(), 70);
        assert!(bytes.starts_with(b"00000001 socklab exercise bytes\n00000002 "));
        let big = numbered_lines(1 << 20);
        assert_eq!(big.len(), 1 << 20);
        // Every line differs: a piece sent twice or lost shows.
        assert!(big.ends_with(b"00032768 socklab exercise bytes\n"));
    }
}
