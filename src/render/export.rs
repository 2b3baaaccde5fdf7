//! `socklab run LESSON --export FILE`: the code a run showed, in order, as
//! one program a learner can run outside socklab and compare: a Python
//! script that prints where the `>>>` prompt echoed a value, or a Rust
//! `main.rs` that prints what the comments said. Calls the lesson shows
//! failing are caught, their error printed, and the program goes on.
//!
//! On the lab wire every actor is a host of its own, so there is one
//! program per host (FILE with the host's name before its extension).

use std::path::{Path, PathBuf};

use super::code::{self, Lang};
use super::{python, rust};
use crate::lesson::{Addressing, Call, Family, Lesson, Outcome, PyError};
use crate::t;

/// One call as the run showed it.
#[derive(Debug, Clone, PartialEq)]
pub struct ShownCall {
    /// The step it belongs to, from 1.
    pub step: usize,
    pub call: Call,
    /// The error the lesson shows it failing with.
    pub error: Option<PyError>,
    /// What it returned; `None` when it failed as the lesson said.
    pub outcome: Option<Outcome>,
}

/// A file to write: the host whose program it is (on the lab wire), and
/// its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Program {
    pub host: Option<String>,
    pub text: String,
}

/// Where the program of `host` goes: FILE itself, or on the lab wire FILE
/// with the host's name before its extension (`echo.py` → `echo.client.py`).
pub fn path_for(path: &Path, host: Option<&str>) -> PathBuf {
    let Some(host) = host else {
        return path.to_path_buf();
    };
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = match path.extension() {
        Some(ext) => format!("{stem}.{host}.{}", ext.to_string_lossy()),
        None => format!("{stem}.{host}"),
    };
    path.with_file_name(name)
}

/// The host (actor) each call runs on: a socket's actor, and an accepted
/// socket's that of the socket that accepted it.
fn hosts(shown: &[ShownCall]) -> Vec<String> {
    let mut owner = std::collections::BTreeMap::new();
    shown
        .iter()
        .map(|s| {
            match &s.call {
                Call::Socket { name, actor, .. } => {
                    owner.insert(name.clone(), actor.clone());
                }
                Call::Accept { name, new } => {
                    let actor = owner.get(name).cloned().unwrap_or_default();
                    owner.insert(new.clone(), actor);
                }
                _ => {}
            }
            owner.get(s.call.socket()).cloned().unwrap_or_default()
        })
        .collect()
}

/// The actors of a lab-wire lesson that make calls, and so get a program:
/// those that create a socket (an accepted socket is its acceptor's).
pub fn hosts_with_calls(lesson: &Lesson) -> Vec<String> {
    let calls = code::lesson_calls(lesson);
    lesson
        .actors
        .iter()
        .filter(|actor| {
            calls
                .iter()
                .any(|c| matches!(c, Call::Socket { actor: a, .. } if a == *actor))
        })
        .cloned()
        .collect()
}

/// The programs of a run: one, or on the lab wire one per host that makes
/// a call, in the order of the lesson's actors.
pub fn programs(
    lesson: &Lesson,
    lang: Lang,
    addressing: &Addressing,
    shown: &[ShownCall],
    path: &Path,
) -> Vec<Program> {
    let file = |host: Option<&str>| {
        path_for(path, host)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    if lesson.network.is_none() {
        let calls: Vec<&ShownCall> = shown.iter().collect();
        let text = program(lesson, lang, addressing, &calls, &file(None), None);
        return vec![Program { host: None, text }];
    }
    let owners = hosts(shown);
    lesson
        .actors
        .iter()
        .filter_map(|actor| {
            let calls: Vec<&ShownCall> = shown
                .iter()
                .zip(&owners)
                .filter(|(_, owner)| *owner == actor)
                .map(|(s, _)| s)
                .collect();
            if calls.is_empty() {
                return None;
            }
            let others: Vec<String> = lesson
                .actors
                .iter()
                .filter(|a| *a != actor && owners.contains(a))
                .map(|a| file(Some(a)))
                .collect();
            let wire = Wire {
                host: actor,
                others: &others,
            };
            let text = program(
                lesson,
                lang,
                addressing,
                &calls,
                &file(Some(actor)),
                Some(wire),
            );
            Some(Program {
                host: Some(actor.clone()),
                text,
            })
        })
        .collect()
}

/// On the lab wire: whose program this is, and the files of the others.
struct Wire<'a> {
    host: &'a str,
    others: &'a [String],
}

/// The command that showed this code.
fn command(lesson: &Lesson, lang: Lang, addressing: &Addressing) -> String {
    let mut command = format!("socklab run {}", lesson.id);
    if lang == Lang::Rust {
        command.push_str(" --code rust");
    }
    if addressing.family == Family::V6 && !lesson.ipv6_only {
        command.push_str(" --ipv6");
    }
    command
}

/// What a header says of where the program runs.
fn header(
    lesson: &Lesson,
    lang: Lang,
    addressing: &Addressing,
    file: &str,
    wire: Option<&Wire>,
) -> Vec<String> {
    let mut lines = vec![t!(
        "export-title",
        id = lesson.id.as_str(),
        title = super::code::prose(lang, &lesson.title)
    )];
    let command = command(lesson, lang, addressing);
    let prints = match lang {
        Lang::Python => t!("export-prints-python"),
        Lang::Rust => t!("export-prints-rust"),
    };
    match wire {
        None => {
            lines.push(t!(
                "export-one-program",
                command = command.as_str(),
                prints = prints
            ));
            lines.push(String::new());
            lines.push(t!("export-run-it"));
            match lang {
                Lang::Python => lines.push(format!(
                    "    sudo unshare -n sh -c 'ip link set lo up && python3 {file}'"
                )),
                Lang::Rust => {
                    lines.push(format!(
                        "    cargo build    # {}",
                        t!("export-cargo", file = file)
                    ));
                    lines.push(
                        "    sudo unshare -n sh -c 'ip link set lo up && target/debug/PACKAGE'"
                            .to_string(),
                    );
                }
            }
        }
        Some(wire) => {
            let address = addressing.host(wire.host);
            lines.push(t!(
                "export-host-calls",
                host = wire.host,
                address = address.to_string(),
                command = command.as_str(),
                prints = prints
            ));
            lines.push(String::new());
            lines.push(t!(
                "export-other-hosts",
                files = crate::i18n::listed(wire.others)
            ));
        }
    }
    lines
}

/// The text of one program made of `calls`.
fn program(
    lesson: &Lesson,
    lang: Lang,
    addressing: &Addressing,
    calls: &[&ShownCall],
    file: &str,
    wire: Option<Wire>,
) -> String {
    let header = header(lesson, lang, addressing, file, wire.as_ref());
    let plain: Vec<Call> = calls.iter().map(|s| s.call.clone()).collect();
    let total = lesson.steps.len();
    let mut body: Vec<String> = Vec::new();
    let mut step = 0;
    for shown in calls {
        if shown.step != step {
            step = shown.step;
            if !body.is_empty() {
                body.push(String::new());
            }
            let title = lesson
                .steps
                .get(step.saturating_sub(1))
                .map_or("".into(), |s| super::code::prose(lang, &s.title));
            let marker = match lang {
                Lang::Python => "#",
                Lang::Rust => "//",
            };
            let heading = t!("export-step", step = step, total = total, title = title);
            body.push(format!("{marker} {heading}"));
        }
        body.extend(match lang {
            Lang::Python => python_lines(shown, addressing),
            Lang::Rust => rust_lines(shown, addressing),
        });
    }
    let mut text = String::new();
    let mut push = |line: &str| {
        text.push_str(line.trim_end());
        text.push('\n');
    };
    // The header's paragraphs wrapped after the comment marker; a line
    // indented by four spaces (a command) as it is.
    let comments = |marker: &str| -> Vec<String> {
        header
            .iter()
            .flat_map(|line| {
                if line.starts_with("    ") {
                    vec![format!("{marker}{line}")]
                } else {
                    super::wrap(line, marker, super::WIDTH)
                }
            })
            .collect()
    };
    match lang {
        Lang::Python => {
            push("#!/usr/bin/env python3");
            for line in comments("# ") {
                push(&line);
            }
            for line in code::preamble(lang, &plain, addressing) {
                push(&line);
            }
            push("");
            for line in &body {
                push(line);
            }
        }
        Lang::Rust => {
            let code: Vec<String> = plain
                .iter()
                .flat_map(|c| rust::statements(c, addressing, false))
                .collect();
            let helpers = rust::helpers(&code);
            for line in comments("//! ") {
                push(&line);
            }
            push("//!");
            push("//! Cargo.toml:");
            push("//!     [dependencies]");
            for line in rust::dependencies(&[code.clone(), helpers.clone()].concat()) {
                push(&format!("//!     {line}"));
            }
            push("");
            for line in rust::uses(&code) {
                push(&line);
            }
            push("");
            if !helpers.is_empty() {
                for line in &helpers {
                    push(line);
                }
                push("");
            }
            push("fn main() -> Result<(), Box<dyn std::error::Error>> {");
            for line in &body {
                push(&format!("    {line}"));
            }
            push("    Ok(())");
            push("}");
        }
    }
    text
}

/// A call in the Python script: as shown, with a print() where the prompt
/// echoed a value, and inside `try` when the lesson shows it failing.
fn python_lines(shown: &ShownCall, addressing: &Addressing) -> Vec<String> {
    let statement = python::statement(&shown.call, addressing);
    if let Some(error) = shown.error {
        return python::caught(&statement, error);
    }
    let echoes = shown
        .outcome
        .as_ref()
        .map(python::echoes)
        .unwrap_or_default();
    let mut lines = Vec::new();
    match echoes.first() {
        // The call's own value: printed where it is made.
        Some(value @ python::Echo::Value(_)) => {
            lines.push(python::print_echo(&statement, value));
        }
        _ => lines.extend(statement.lines().map(String::from)),
    }
    for echo in &echoes {
        if let python::Echo::Expr { .. } = echo {
            lines.push(python::print_echo(&statement, echo));
        }
    }
    lines
}

/// A call in the Rust program: as shown, then the lines that print what
/// the comments after it said.
fn rust_lines(shown: &ShownCall, addressing: &Addressing) -> Vec<String> {
    let mut lines = rust::statements(&shown.call, addressing, shown.error.is_some());
    if let Some(outcome) = &shown.outcome {
        for result in rust::results(outcome) {
            lines.extend(result.print);
        }
    }
    lines
}

/// The code of a run, written as programs at its end (`run --export`):
/// it gathers each call and what it returned from the events.
pub struct ExportFile<'a> {
    lesson: &'a Lesson,
    lang: Lang,
    path: PathBuf,
    addressing: Option<Addressing>,
    shown: Vec<ShownCall>,
}

impl<'a> ExportFile<'a> {
    pub fn new(lesson: &'a Lesson, lang: Lang, path: PathBuf) -> ExportFile<'a> {
        ExportFile {
            lesson,
            lang,
            path,
            addressing: None,
            shown: Vec::new(),
        }
    }
}

impl crate::event::Observer for ExportFile<'_> {
    fn see(&mut self, event: &crate::event::Event) {
        use crate::event::Event;
        match event {
            Event::Lesson(start) => self.addressing = Some(start.addressing.clone()),
            Event::Returned(done) => self.shown.push(ShownCall {
                step: done.step,
                call: done.call.clone(),
                error: done.raised.as_ref().map(|r| r.exception),
                outcome: done.returned.clone(),
            }),
            _ => {}
        }
    }

    fn finish(&mut self) -> Result<(), crate::event::Halt> {
        let Some(addressing) = &self.addressing else {
            return Ok(());
        };
        for program in programs(self.lesson, self.lang, addressing, &self.shown, &self.path) {
            let file = path_for(&self.path, program.host.as_deref());
            std::fs::write(&file, &program.text).map_err(|source| crate::event::Halt::Export {
                path: file.clone(),
                source,
            })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_host_program_goes_beside_the_file() {
        let path = Path::new("out/echo.py");
        assert_eq!(path_for(path, None), Path::new("out/echo.py"));
        assert_eq!(
            path_for(path, Some("client")),
            Path::new("out/echo.client.py")
        );
        assert_eq!(
            path_for(Path::new("main"), Some("server")),
            Path::new("main.server")
        );
    }

    #[test]
    fn accepted_sockets_run_on_the_host_that_accepted() {
        let call = |call| ShownCall {
            step: 1,
            call,
            error: None,
            outcome: None,
        };
        let shown = [
            call(Call::Socket {
                name: "server".into(),
                actor: "server".into(),
                kind: crate::lesson::SockType::Stream,
            }),
            call(Call::Accept {
                name: "server".into(),
                new: "conn".into(),
            }),
            call(Call::Close {
                name: "conn".into(),
            }),
        ];
        assert_eq!(hosts(&shown), ["server", "server", "server"]);
    }

    #[test]
    fn a_failing_call_is_caught_and_printed_in_python() {
        let shown = ShownCall {
            step: 1,
            call: Call::Connect {
                name: "client".into(),
                peer: crate::lesson::Peer::Port {
                    actor: "server".into(),
                    port: 6000,
                },
            },
            error: Some(PyError::ConnectionRefused),
            outcome: None,
        };
        assert_eq!(
            python_lines(&shown, &Family::V4.into()),
            [
                "try:",
                "    client.connect((\"127.0.0.1\", 6000))",
                "except ConnectionRefusedError as e:",
                "    print(f\"{type(e).__name__}: {e}\")",
            ]
        );
    }

    #[test]
    fn echoed_values_are_printed_in_python() {
        let shown = ShownCall {
            step: 1,
            call: Call::Recv {
                name: "conn".into(),
                bufsize: 1024,
                waitall: false,
            },
            error: None,
            outcome: Some(Outcome::Received {
                data: crate::lesson::Bytes::new(b"hi"),
            }),
        };
        assert_eq!(
            python_lines(&shown, &Family::V4.into()),
            [
                "data = conn.recv(1024)",
                "print(repr(data))",
                "print(repr(data.decode(\"utf-8\")))",
            ]
        );
    }
}
