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
        Failure::NotClosed {
            expected,
            seconds,
            left_open,
        } => {
            let missing = t!(
                "failure-no-fin",
                expected = crate::lesson::expectation_in_words(expected),
                seconds = *seconds
            );
            let why = t!(
                "failure-left-open",
                actor = left_open.actor.as_str(),
                peer = left_open.peer.as_str(),
                state = left_open.state.as_str()
            );
            t!("failure-and-why", failure = missing, why = why)
        }
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
    let mark = t!("program-typed-mark");
    let mark_width = textwrap::core::display_width(&mark) + 2;
    let tail = |text: &[(String, Option<&str>)]| -> Vec<String> {
        let from = text.len().saturating_sub(PRINTED_LINES);
        let mut shown: Vec<String> = Vec::new();
        if from > 0 {
            shown.push(format!("    {}", t!("program-earlier", lines = from)));
        }
        for (line, typed) in &text[from..] {
            match typed {
                None => shown.extend(fold(line, "    ", p.width())),
                // The typed line, and the mark after it, never folded.
                Some(typed) => {
                    let width = p.width().saturating_sub(mark_width);
                    let mut folded = fold(&format!("{line}{typed}"), "    ", width);
                    if let Some(last) = folded.last_mut() {
                        last.push_str("  ");
                        last.push_str(&p.paint(&mark, styles::code()));
                    }
                    shown.extend(folded);
                }
            }
        }
        shown
    };
    let out_lines = printed_and_typed(report);
    let typed_shown = out_lines.iter().any(|(_, typed)| typed.is_some());
    if report.stdout.trim().is_empty() && report.stderr.trim().is_empty() && !typed_shown {
        lines.push(t!("program-nothing"));
    }
    if !report.stdout.trim().is_empty() || typed_shown {
        lines.push(t!("program-printed"));
        lines.extend(tail(&out_lines));
        if typed_shown {
            lines.extend(wrap(
                &t!("program-typed-note", mark = mark.as_str()),
                "",
                p.width(),
            ));
        }
    }
    if !report.stderr.trim().is_empty() {
        // A Python traceback is shown as Python shows it: on standard error.
        lines.push(t!("program-printed-errors"));
        let text: Vec<(String, Option<&str>)> = report
            .stderr
            .lines()
            .map(|l| (l.to_string(), None))
            .collect();
        lines.extend(
            tail(&text)
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

/// What the program printed, in lines, with the lines socklab typed into
/// it where they were typed (`Some`). Typed after a prompt (a line begun,
/// and what follows is not its end), it ends that line, as a terminal
/// echoes it; typed while the program was printing a line it then ended
/// (the typist does not wait for the newline), on a line of its own after
/// that line.
fn printed_and_typed(report: &ProgramReport) -> Vec<(String, Option<&str>)> {
    /// `text` printed: it ends the line begun, and begins lines of its own.
    fn add(text: &str, current: &mut String, lines: &mut Vec<(String, Option<&str>)>) {
        let mut pieces = text.split('\n');
        if let Some(first) = pieces.next() {
            current.push_str(first);
        }
        for piece in pieces {
            let mut line = std::mem::take(current);
            // As `str::lines` says them: no carriage return at the end.
            if line.ends_with('\r') {
                line.pop();
            }
            lines.push((line, None));
            current.push_str(piece);
        }
    }
    let out = report.stdout.as_str();
    let mut lines: Vec<(String, Option<&str>)> = Vec::new();
    let mut current = String::new();
    let mut from = 0;
    for typed in &report.typed {
        // Where it was typed, within what was printed (a report read back
        // from JSON may say anything).
        let at = typed.at.clamp(from, out.len());
        if !out.is_char_boundary(at) {
            continue;
        }
        add(&out[from..at], &mut current, &mut lines);
        from = at;
        // The line's end, printed next, ends no line of its own.
        if !current.is_empty() && out[from..].starts_with('\n') {
            lines.push((std::mem::take(&mut current), None));
            from += 1;
        }
        lines.push((std::mem::take(&mut current), Some(typed.line.as_str())));
    }
    add(&out[from..], &mut current, &mut lines);
    if !current.is_empty() {
        lines.push((current, None));
    }
    lines
}

/// A line the program printed, folded to the page after `indent`: its own
/// indentation kept, and each continuation four columns further in, deeper
/// than the line Python writes under a traceback's `File "…"` line (two
/// in), so that a folded line reads as one.
/// A traceback's lines hold long paths, and a line past the page's edge
/// is broken by the terminal at any column (or runs off a projected page).
/// Broken after a space, a slash or a comma where one is near the edge,
/// else at the edge; never inside a quoted part (a file's path) that fits
/// on a line of its own: before it instead; and never between a frame's
/// `in` and the function's name (`line 14,` / `in <module>`, not
/// `line 14, in` / `<module>`).
fn fold(line: &str, indent: &str, width: usize) -> Vec<String> {
    use textwrap::core::display_width;
    let own_indent: String = line.chars().take_while(|c| *c == ' ').collect();
    let continued = format!("{indent}{own_indent}    ");
    // At least 20 columns of text on a line, whatever the indentation.
    let room_after = |prefix: &str| width.saturating_sub(display_width(prefix)).max(20);
    let continued_room = room_after(&continued);
    let mut lines = Vec::new();
    let mut rest = line;
    let mut prefix = indent.to_string();
    loop {
        let room = room_after(&prefix);
        if display_width(rest) <= room {
            lines.push(format!("{prefix}{rest}"));
            return lines;
        }
        // The quoted parts that a continuation line could hold whole.
        let kept_whole: Vec<std::ops::Range<usize>> = quoted(rest)
            .into_iter()
            .filter(|q| display_width(&rest[q.clone()]) <= continued_room)
            .collect();
        let inside = |at: usize| kept_whole.iter().find(|q| q.start < at && at < q.end);
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
            let names_function = c == ' ' && rest[..at].ends_with(", in");
            if matches!(c, ' ' | '/' | ',')
                && used > room / 2
                && inside(fits).is_none()
                && !names_function
            {
                last_break = Some(fits);
            }
        }
        let cut = match inside(fits) {
            // The edge falls in a quoted part: the line ends before it.
            Some(q) if q.start > 0 => q.start,
            _ => last_break.unwrap_or(fits),
        }
        .max(1);
        let (head, tail) = rest.split_at(cut);
        lines.push(format!("{prefix}{}", head.trim_end()));
        rest = tail.trim_start();
        if rest.is_empty() {
            return lines;
        }
        prefix.clone_from(&continued);
    }
}

/// The parts of `line` between double quotes, the quotes with them and
/// what sticks to the closing one (`",`): the first quote opens, the next
/// closes, and so on; a quote left open quotes nothing.
fn quoted(line: &str) -> Vec<std::ops::Range<usize>> {
    let quotes: Vec<usize> = line.match_indices('"').map(|(at, _)| at).collect();
    quotes
        .chunks_exact(2)
        .map(|pair| {
            let after = pair[1] + 1;
            let stuck = line[after..]
                .find(|c: char| c.is_whitespace() || c == '"')
                .unwrap_or(line.len() - after);
            pair[0]..after + stuck
        })
        .collect()
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
        let line = r#"  File "/tmp/socklab-file-server-12345-0/a/rather/long/folder/name/and/more/server.py", line 12, in <module>"#;
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

    /// A frame's `in` stays with the function's name: the line breaks
    /// after the comma before it instead.
    #[test]
    fn in_stays_with_the_function_it_names() {
        let line = r#"  File "[crate]/tests/exercises/chat/select.py", line 12, in <module>"#;
        let folded = super::fold(line, "    ", 72);
        assert_eq!(
            folded,
            [
                r#"      File "[crate]/tests/exercises/chat/select.py", line 12,"#,
                "          in <module>",
            ],
        );
        // Wherever the edge falls.
        for width in 40..=90 {
            for l in super::fold(line, "    ", width) {
                assert!(!l.ends_with(", in"), "{width}: {l:?}");
                assert!(!l.trim_start().starts_with("<module>"), "{width}: {l:?}");
            }
        }
    }

    /// A traceback's `File "…"` line is never broken inside its path when
    /// the path fits on a line of its own, at 80 columns or 60; its
    /// continuations are deeper than the code line Python writes under it.
    #[test]
    fn a_quoted_path_is_kept_whole_and_continuations_are_deeper() {
        let code = "    answer = input(\"you> \")";
        for (width, path) in [
            (
                80,
                "/home/ana/courses/networking/week-3/exercises/chat-server.py",
            ),
            (60, "/home/ana/course/week-3/chat-server.py"),
        ] {
            let line = format!(r#"  File "{path}", line 14, in <module>"#);
            let path = format!(r#""{path}","#);
            let line = line.as_str();
            let path = path.as_str();
            let folded = super::fold(line, "    ", width);
            assert!(folded.len() > 1, "{width}: {folded:?}");
            for l in &folded {
                assert!(textwrap::core::display_width(l) <= width, "{width}: {l:?}");
            }
            assert!(
                folded.iter().any(|l| l.contains(path)),
                "{width}: the path is broken: {folded:#?}"
            );
            let depth = |l: &str| l.len() - l.trim_start().len();
            let code_depth = depth(&super::fold(code, "    ", width)[0]);
            for continuation in &folded[1..] {
                assert!(
                    depth(continuation) > code_depth,
                    "{width}: {continuation:?} is no deeper than the code line"
                );
            }
        }
        // A quoted part wider than any line is broken after a slash.
        let long = format!(r#"  File "/{}/x.py", line 1"#, "folder/".repeat(12));
        let folded = super::fold(&long, "    ", 60);
        assert!(
            folded
                .iter()
                .all(|l| textwrap::core::display_width(l) <= 60),
            "{folded:#?}"
        );
        assert!(folded[0].ends_with('/'), "{folded:#?}");
    }

    /// Typed lines show where they were typed, after the prompt, marked;
    /// what the program printed is shown whole around them.
    #[test]
    fn typed_lines_are_shown_after_their_prompt_and_marked() {
        let stdout = "client: hello\nyou> client: how are you?\nyou> client: byebye\n";
        let report = ProgramReport {
            status: Some(0),
            stopped: false,
            stdout: stdout.into(),
            stderr: String::new(),
            typed: vec![
                crate::event::Typed {
                    at: stdout.find("you> ").unwrap() + 5,
                    line: "hi there".into(),
                },
                crate::event::Typed {
                    at: stdout.rfind("you> ").unwrap() + 5,
                    line: "fine, thanks".into(),
                },
            ],
            not_typed: None,
        };
        let p = Painter::new(false).with_width(80);
        let lines = program(&p, &report, false);
        let text = lines.join("\n");
        assert!(
            text.contains("    client: hello\n    you> hi there  ← typed by socklab\n    client: how are you?\n    you> fine, thanks  ← typed by socklab\n    client: byebye\n"),
            "{text}"
        );
        // Typed before the line it answers had ended: after that line.
        let ahead = ProgramReport {
            typed: vec![crate::event::Typed {
                at: "client: hello".len(),
                line: "hi there".into(),
            }],
            ..report.clone()
        };
        let text = program(&p, &ahead, false).join("\n");
        assert!(
            text.contains("    client: hello\n    hi there  ← typed by socklab\n    you> client: how are you?\n"),
            "{text}"
        );
        let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(joined.matches("standard input").count(), 1, "{text}");
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
