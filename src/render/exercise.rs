//! What a learner reads of an exercise: its task (`exercise show`), the
//! list, and during `exercise check` each check's verdict, what the
//! program printed and the tally. Every sentence comes from the catalogue;
//! a failure is data ([`Failure`]) until it is said here.

use super::{Painter, styles, wrap};
use crate::event::{CheckDone, EndedFirst, ExerciseEnd, Failure, ProgramReport, Verdict};
use crate::lesson::{Bytes, Lesson};
use crate::t;

/// The exercises, one per line with its task in a sentence.
pub fn list(p: &Painter, exercises: &[Lesson]) -> Vec<String> {
    let width = exercises.iter().map(|e| e.id.len()).max().unwrap_or(0);
    let mut lines = Vec::new();
    for exercise in exercises {
        lines.extend(super::id_and_title(p, &exercise.id, width, &exercise.title));
        lines.extend(wrap(&exercise.summary, &" ".repeat(width + 2), p.width()));
    }
    lines.push(String::new());
    lines.extend(wrap(&t!("exercise-list-next"), "", p.width()));
    lines
}

/// The task as the learner reads it before writing a line: what to write,
/// the contract, what will be checked, hints, and how to begin.
pub fn task(p: &Painter, exercise: &Lesson) -> Vec<String> {
    let Some(spec) = &exercise.exercise else {
        return Vec::new();
    };
    let width = p.width();
    let heading = |text: String| p.paint(&text, styles::title());
    let mut lines = vec![
        heading(t!("exercise-title", title = exercise.title.as_str())),
        p.paint(&"═".repeat(width), styles::rule()),
    ];
    lines.extend(wrap(&spec.task, "", width));
    lines.push(String::new());
    lines.push(heading(t!("exercise-contract")));
    // The contract is a list: each "- " item keeps its own lines.
    for item in spec.contract.split("\n- ") {
        let item = item.trim_start_matches("- ").trim();
        let mut item_lines = wrap(item, "    ", width);
        if let Some(first) = item_lines.first_mut() {
            first.replace_range(..4, "  • ");
        }
        lines.extend(item_lines);
    }
    lines.push(String::new());
    lines.push(heading(t!("exercise-checks")));
    let checks = exercise.steps.iter().filter(|s| s.check.is_some());
    for (n, step) in checks.enumerate() {
        lines.push(format!("  {}. {}", n + 1, step.title));
    }
    if !spec.hints.is_empty() {
        lines.push(String::new());
        lines.push(heading(t!("exercise-hints")));
        for hint in &spec.hints {
            let mut hint_lines = wrap(hint, "    ", width);
            if let Some(first) = hint_lines.first_mut() {
                first.replace_range(..4, "  • ");
            }
            lines.extend(hint_lines);
        }
    }
    if let Some(lesson) = &spec.lesson {
        lines.push(String::new());
        lines.extend(wrap(
            &t!("exercise-lesson-first", lesson = lesson.as_str()),
            "",
            width,
        ));
    }
    lines.push(String::new());
    let file = crate::exercise::starter_name(&exercise.id);
    lines.extend(wrap(&t!("exercise-how", file = file.as_str()), "", width));
    // The commands on lines of their own, never broken: to copy and paste.
    lines.push(format!("  socklab exercise start {}", exercise.id));
    lines.push(format!("  {}", check_command(&exercise.id, &file)));
    lines
}

/// The command that checks a program written in `file`.
pub fn check_command(id: &str, file: &str) -> String {
    format!("socklab exercise check {id} -- python3 {file}")
}

/// Data as a learner would see it at Python's prompt: `b'hel'`, cut after
/// 40 bytes.
fn shown(bytes: &Bytes) -> String {
    const SHOWN: usize = 40;
    let head = bytes.head();
    let cut = &head[..head.len().min(SHOWN)];
    let mut text = String::from("b'");
    for &b in cut {
        match b {
            b'\'' => text.push_str("\\'"),
            b'\\' => text.push_str("\\\\"),
            b'\n' => text.push_str("\\n"),
            b'\r' => text.push_str("\\r"),
            b'\t' => text.push_str("\\t"),
            0x20..=0x7e => text.push(b as char),
            _ => text.push_str(&format!("\\x{b:02x}")),
        }
    }
    text.push('\'');
    if bytes.len() > cut.len() {
        text.push('…');
    }
    text
}

/// Why a check failed, in a sentence or two.
pub fn failure(why: &Failure) -> String {
    match why {
        Failure::MissingPacket {
            expected,
            saw,
            seconds,
            ended_first,
        } => {
            let missing = t!(
                "failure-missing-packet",
                expected = crate::lesson::expectation_in_words(expected),
                seconds = *seconds,
                saw = saw.as_str()
            );
            match ended_first {
                Some(EndedFirst {
                    actor,
                    reset,
                    other_side,
                }) => {
                    let why = match (*reset, *other_side) {
                        (true, _) => t!("failure-reset-first", actor = actor.as_str()),
                        (false, false) => t!("failure-closed-first", actor = actor.as_str()),
                        (false, true) => t!(
                            "failure-other-side-closed-first",
                            actor = actor.as_str(),
                            // The expected FIN's sender: "client > server FIN,ACK".
                            reader = expected.split(" > ").next().unwrap_or_default()
                        ),
                    };
                    t!("failure-and-why", failure = missing, why = why)
                }
                None => missing,
            }
        }
        Failure::CallFailed { call, error } => t!(
            "failure-call-failed",
            call = call.as_str(),
            error = error.as_str()
        ),
        Failure::NotReady {
            protocol: crate::packet::Protocol::Udp,
            port,
            seconds,
        } => t!("failure-not-ready-udp", port = *port, seconds = *seconds),
        Failure::NotReady { port, seconds, .. } => {
            t!("failure-not-ready-tcp", port = *port, seconds = *seconds)
        }
        Failure::Ended { status: Some(code) } => t!("failure-ended", status = *code),
        Failure::Ended { status: None } => t!("failure-ended-signal"),
        Failure::NoAnswer {
            call,
            seconds,
            received: None,
        } => t!(
            "failure-no-answer",
            call = call.as_str(),
            seconds = *seconds
        ),
        Failure::NoAnswer {
            call,
            seconds,
            received: Some(bytes),
        } => t!(
            "failure-no-more",
            call = call.as_str(),
            seconds = *seconds,
            bytes = bytes.to_string()
        ),
        Failure::Crashed { status: Some(code) } => t!("failure-crashed", status = *code),
        Failure::Crashed { status: None } => t!("failure-crashed-signal"),
        Failure::Forbidden {
            packet,
            after_own_fin,
        } => {
            let forbidden = t!("failure-forbidden", packet = packet.as_str());
            if *after_own_fin {
                let why = t!(
                    "failure-reset-after-own-fin",
                    // The RST's sender: "client > server RST".
                    actor = packet.split(" > ").next().unwrap_or_default()
                );
                t!("failure-and-why", failure = forbidden, why = why)
            } else {
                forbidden
            }
        }
        // Only the beginning came: what a stream cut short looks like.
        Failure::Received {
            expected,
            got,
            differs_at,
        } if got.len() < expected.len() && *differs_at == got.len() => t!(
            "failure-received-short",
            expected_len = expected.len(),
            expected = shown(expected),
            got_len = got.len()
        ),
        Failure::Received {
            expected,
            got,
            differs_at,
        } => t!(
            "failure-received",
            expected_len = expected.len(),
            expected = shown(expected),
            got_len = got.len(),
            got = shown(got),
            at = *differs_at + 1
        ),
        Failure::ExitedWith { status: Some(code) } => t!("failure-exited-with", status = *code),
        Failure::ExitedWith { status: None } => t!("failure-exited-signal"),
        Failure::DidNotExit { seconds } => t!("failure-did-not-exit", seconds = *seconds),
        Failure::NotPrinted { text } => t!("failure-not-printed", text = text.as_str()),
        Failure::File {
            name,
            got_len: None,
            ..
        } => t!("failure-file-missing", name = name.as_str()),
        Failure::File {
            name,
            expected_len,
            got_len: Some(got_len),
            differs_at: Some(at),
        } if got_len < expected_len && at == got_len => t!(
            "failure-file-short",
            name = name.as_str(),
            expected_len = *expected_len,
            got_len = *got_len
        ),
        Failure::File {
            name,
            expected_len,
            got_len: Some(got_len),
            differs_at,
        } => t!(
            "failure-file",
            name = name.as_str(),
            expected_len = *expected_len,
            got_len = *got_len,
            at = differs_at.unwrap_or(0) + 1
        ),
        Failure::Stopped { seconds } => t!("failure-stopped", seconds = *seconds),
    }
}

/// A check's verdict: ✓ or ✗ and its title, and for a failure why, what it
/// means for the program, and the lesson that explains it.
pub fn verdict(p: &Painter, check: &CheckDone) -> Vec<String> {
    let width = p.width();
    match &check.verdict {
        Verdict::Passed => vec![
            String::new(),
            p.paint(
                &t!("check-passed", title = check.title.as_str()),
                styles::good(),
            ),
        ],
        Verdict::NotRun => vec![t!("check-not-run", title = check.title.as_str())],
        Verdict::Failed { why } => {
            let mut lines = vec![
                String::new(),
                p.paint(
                    &t!("check-failed", title = check.title.as_str()),
                    styles::error(),
                ),
            ];
            lines.extend(wrap(&failure(why), "  ", width));
            // The check's own hint is for the mistakes it expects; a
            // program still reading after its peer's FIN has been told
            // its own, and the hint (about one recv(), a reset) is not it.
            let told_exactly = matches!(
                why,
                Failure::MissingPacket {
                    ended_first: Some(EndedFirst {
                        other_side: true,
                        ..
                    }),
                    ..
                } | Failure::Forbidden {
                    after_own_fin: true,
                    ..
                }
            );
            if let Some(fail) = check.fail.as_ref().filter(|_| !told_exactly) {
                lines.extend(wrap(fail, "  ", width));
            }
            if let Some(lesson) = &check.lesson {
                lines.push(format!(
                    "  {}",
                    p.paint(
                        &t!("check-lesson", lesson = lesson.as_str()),
                        styles::code()
                    )
                ));
            }
            lines
        }
    }
}

/// The last lines a program printed, at most this many of each output.
const PRINTED_LINES: usize = 20;

/// What the learner's program printed, and how it ended.
/// `failed`: some check failed, and a program still running then may be
/// one that hung, not a server waiting for the next client.
pub fn program(p: &Painter, report: &ProgramReport, failed: bool) -> Vec<String> {
    let mut lines = vec![String::new()];
    let tail = |text: &str| -> Vec<String> {
        let all: Vec<&str> = text.lines().collect();
        let from = all.len().saturating_sub(PRINTED_LINES);
        let mut shown: Vec<String> = Vec::new();
        if from > 0 {
            shown.push(format!("    {}", t!("program-earlier", lines = from)));
        }
        for line in &all[from..] {
            shown.extend(fold(line, "    ", p.width()));
        }
        shown
    };
    if report.stdout.trim().is_empty() && report.stderr.trim().is_empty() {
        lines.push(t!("program-nothing"));
    }
    if !report.stdout.trim().is_empty() {
        lines.push(t!("program-printed"));
        lines.extend(tail(&report.stdout));
    }
    if !report.stderr.trim().is_empty() {
        // A Python traceback is shown as Python shows it: on standard error.
        lines.push(t!("program-printed-errors"));
        lines.extend(
            tail(&report.stderr)
                .into_iter()
                .map(|l| p.paint(&l, styles::error())),
        );
    }
    // A program stopped while socklab still held a line back: it may have
    // waited for that line, which waits for it to print something first.
    if report.stopped
        && let Some(not_typed) = &report.not_typed
    {
        lines.extend(wrap(
            &t!(
                "program-not-typed",
                line = not_typed.line.as_str(),
                after = not_typed.after_printed.as_str()
            ),
            "",
            p.width(),
        ));
    }
    lines.push(match (report.stopped, report.status) {
        (true, _) if failed => t!("program-stopped-running"),
        (true, _) => t!("program-stopped"),
        (false, Some(status)) => t!("program-status", status = status),
        (false, None) => t!("program-signal"),
    });
    lines
}

/// A line the program printed, folded to the page after `indent`: its own
/// indentation kept, and each continuation two columns further in.
/// A traceback's lines hold long paths, and a line past the page's edge
/// is broken by the terminal at any column (or runs off a projected page).
/// Broken after a space, a slash or a comma where one is near the edge,
/// else at the edge.
fn fold(line: &str, indent: &str, width: usize) -> Vec<String> {
    use textwrap::core::display_width;
    let own_indent: String = line.chars().take_while(|c| *c == ' ').collect();
    let continued = format!("{indent}{own_indent}  ");
    let mut lines = Vec::new();
    let mut rest = line;
    let mut prefix = indent.to_string();
    loop {
        // At least 20 columns of text on a line, whatever the indentation.
        let room = width.saturating_sub(display_width(&prefix)).max(20);
        if display_width(rest) <= room {
            lines.push(format!("{prefix}{rest}"));
            return lines;
        }
        // The longest beginning that fits, and the last break in it.
        let mut fits = 0;
        let mut used = 0;
        let mut last_break = None;
        for (at, c) in rest.char_indices() {
            let w = display_width(c.encode_utf8(&mut [0; 4]));
            if used + w > room {
                break;
            }
            used += w;
            fits = at + c.len_utf8();
            if matches!(c, ' ' | '/' | ',') && used > room / 2 {
                last_break = Some(fits);
            }
        }
        let cut = last_break.unwrap_or(fits).max(1);
        let (head, tail) = rest.split_at(cut);
        lines.push(format!("{prefix}{}", head.trim_end()));
        rest = tail.trim_start();
        if rest.is_empty() {
            return lines;
        }
        prefix.clone_from(&continued);
    }
}

/// The tally, and each check once more in a column.
pub fn end(p: &Painter, checks: &[CheckDone], end: &ExerciseEnd) -> Vec<String> {
    let total = end.passed + end.failed + end.not_run;
    let mut lines = vec![String::new()];
    for check in checks {
        let (mark, style) = match check.verdict {
            Verdict::Passed => ("✓", styles::good()),
            Verdict::Failed { .. } => ("✗", styles::error()),
            Verdict::NotRun => ("–", styles::aside()),
        };
        lines.push(format!(
            "  {} {}. {}",
            p.paint(mark, style),
            check.check,
            check.title
        ));
    }
    lines.push(String::new());
    lines.push(if end.failed == 0 && end.not_run == 0 {
        p.paint(&t!("exercise-passed", total = total), styles::good())
    } else {
        p.paint(
            &t!("exercise-failed", passed = end.passed, total = total),
            styles::error(),
        )
    });
    lines
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_long_traceback_line_is_folded_within_the_page_after_a_slash() {
        let line = r#"  File "/tmp/socklab-file-server-12345-0/a/rather/long/folder/name/server.py", line 12, in <module>"#;
        let folded = super::fold(line, "    ", 80);
        assert!(folded.len() > 1, "{folded:?}");
        for l in &folded {
            assert!(textwrap::core::display_width(l) <= 80, "{l:?}");
        }
        assert!(folded[0].starts_with("      File"), "{folded:?}");
        assert!(
            folded[0].ends_with('/') || folded[0].ends_with(','),
            "{folded:?}"
        );
        assert!(folded[1].starts_with("        "), "{folded:?}");
        // Nothing lost but the spaces at the breaks.
        let joined: String = folded
            .iter()
            .map(|l| l.trim())
            .collect::<Vec<_>>()
            .join(" ");
        let words = |s: &str| {
            s.split(['/', ' ', ','])
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        assert_eq!(words(&joined), words(line));
    }

    #[test]
    fn a_short_line_and_a_wide_one_keep_to_the_page() {
        assert_eq!(super::fold("ok", "    ", 80), vec!["    ok"]);
        let chinese = "错".repeat(60);
        let folded = super::fold(&chinese, "    ", 80);
        assert_eq!(folded.len(), 2);
        for l in &folded {
            assert!(textwrap::core::display_width(l) <= 80, "{l:?}");
        }
    }
    use super::*;

    #[test]
    fn data_is_shown_as_python_writes_bytes() {
        assert_eq!(shown(&Bytes::new(b"hel")), "b'hel'");
        assert_eq!(shown(&Bytes::new(b"it's\n\x00")), "b'it\\'s\\n\\x00'");
        let long = Bytes::new(&[b'x'; 100]);
        assert!(shown(&long).ends_with("x'…"));
    }

    #[test]
    fn every_failure_is_said() {
        let bytes = Bytes::new(b"hello");
        let failures = [
            Failure::Received {
                expected: bytes.clone(),
                got: Bytes::new(b"hel"),
                differs_at: 3,
            },
            Failure::NotReady {
                protocol: crate::packet::Protocol::Tcp,
                port: 8080,
                seconds: 5,
            },
            Failure::Ended { status: Some(1) },
            Failure::Crashed { status: Some(1) },
            Failure::Crashed { status: None },
            Failure::ExitedWith { status: Some(1) },
            Failure::ExitedWith { status: None },
            Failure::NoAnswer {
                call: "other.recvfrom()".into(),
                seconds: 2,
                received: None,
            },
            Failure::NoAnswer {
                call: "other.recv_all()".into(),
                seconds: 2,
                received: Some(27),
            },
            Failure::Received {
                expected: bytes.clone(),
                got: Bytes::new(b"he"),
                differs_at: 2,
            },
            Failure::File {
                name: "big.bin".into(),
                expected_len: 5,
                got_len: Some(2),
                differs_at: Some(2),
            },
        ];
        for f in &failures {
            let text = failure(f);
            assert!(!text.contains("failure-"), "an id, not a sentence: {text}");
        }
        // Only the beginning came: said as such.
        assert!(
            failure(&failures[0]).contains("first 3"),
            "{}",
            failure(&failures[0])
        );
        assert!(failure(&failures[1]).contains("8080"));
    }
}
