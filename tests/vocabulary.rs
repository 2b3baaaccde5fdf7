//! One vocabulary in what a learner reads (issue 16, item 7): one spelling
//! per flag combination (`SYN,ACK`, `MSS=`, as the ladder writes them), and
//! RFC 9293's state names everywhere but in the kernel's own view, where
//! Linux's names are shown as the kernel writes them and explained once.
//!
//! Checked on every built-in lesson's plain output, as its snapshot holds
//! it (tests/lessons.rs asserts each snapshot is what a run prints), and on
//! the lessons' prose for `--code rust`, which must not speak Python.

use std::path::Path;

/// Linux's names for RFC 9293's states (netstat's, /proc/net's).
const LINUX_STATES: [&str; 8] = [
    "SYN_SENT",
    "SYN_RECV",
    "NEW_SYN_RECV",
    "FIN_WAIT1",
    "FIN_WAIT2",
    "CLOSE_WAIT",
    "LAST_ACK",
    "TIME_WAIT",
];

/// The start of the kernel view's line saying its states are Linux's
/// names for RFC 9293's, in English and Chinese.
const LEGENDS: [&str; 2] = [
    "The states are Linux's names",
    "这里的状态名是 Linux 的写法",
];

/// Words that introduce a Linux name as such.
const EXPLAINS: [&str; 2] = ["Linux writes", "Linux 写作"];

/// Spellings the ladder does not use.
const OTHER_SPELLINGS: [&str; 4] = ["SYN+ACK", "SYN-ACK", "FIN+ACK", "mss="];

fn lesson_snapshots() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let mut found: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with("lessons__") && name.ends_with(".snap")
        })
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    found.sort();
    found
}

fn is_word_at(line: &str, word: &str) -> bool {
    line.match_indices(word).any(|(i, _)| {
        let before = line[..i].chars().next_back();
        let after = line[i + word.len()..].chars().next();
        let part = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        !part(before) && !part(after)
    })
}

#[test]
fn one_spelling_per_flag_combination_and_rfc_state_names() {
    let snapshots = lesson_snapshots();
    assert!(snapshots.len() >= 23, "every lesson's snapshot");
    let mut problems = Vec::new();
    for (name, text) in &snapshots {
        let mut in_kernel_view = false;
        let mut linux_names_shown = false;
        // The kernel views, counted; the one a Linux name first appears in,
        // and the one its explanation is in.
        let mut view = 0;
        let mut first_named_view = None;
        let mut explained_view = None;
        let mut previous = "";
        for (n, line) in text.lines().enumerate() {
            // A line that explains a Linux name ("Linux writes SYN_SENT",
            // a Chinese state's gloss) may name it.
            let explains = [line, previous]
                .iter()
                .any(|l| EXPLAINS.iter().any(|e| l.contains(e)));
            previous = line;
            for other in OTHER_SPELLINGS {
                if line.contains(other) {
                    problems.push(format!("{name}:{}: `{other}`: {line}", n + 1));
                }
            }
            // The kernel view's heading, in any language.
            if line.contains("/proc/net") && line.trim_end().ends_with([':', '：']) {
                in_kernel_view = true;
                view += 1;
                continue;
            }
            if in_kernel_view && LEGENDS.iter().any(|l| line.contains(l)) {
                explained_view.get_or_insert(view);
            }
            if line.trim().is_empty() {
                in_kernel_view = false;
            }
            for state in LINUX_STATES {
                if !is_word_at(line, state) {
                    continue;
                }
                if in_kernel_view {
                    linux_names_shown = true;
                    first_named_view.get_or_insert(view);
                } else if !explains {
                    problems.push(format!(
                        "{name}:{}: Linux's `{state}` outside the kernel's view: {line}",
                        n + 1
                    ));
                }
            }
        }
        // Where the kernel's names are shown, they are said once to be
        // Linux's for RFC 9293's (the lines of a legend wrap: its start).
        let legends: usize = LEGENDS.iter().map(|l| text.matches(l).count()).sum();
        if linux_names_shown && legends != 1 {
            problems.push(format!(
                "{name}: Linux's state names shown, explained {legends} times (once wanted)"
            ));
        }
        // Explained where first shown, not after the learner has met them.
        if let (Some(first), Some(explained)) = (first_named_view, explained_view)
            && explained > first
        {
            problems.push(format!(
                "{name}: Linux's state names first shown in kernel view {first}, \
                 explained in view {explained}"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// With `--code rust`, a lesson's prose speaks of what the Rust code shows:
/// no Python bytes literal (`b''`, `b'hello'`; Rust's byte `b'\n'` is
/// Rust), no Python exception, function (`sendall()`, `input()`) or tuple.
#[test]
fn rust_learners_read_no_python() {
    let python =
        regex::Regex::new(r"(^|[^A-Za-z0-9_])b'(|[^'\s\\][^'\s]+)'|[A-Z][A-Za-z]*Error\b|\bPython\b|\bsendall\(\)|\binput\(|\btime\.ctime|\d(st|nd|rd|th) item of").unwrap();
    let mut problems = Vec::new();
    let rust = |text: &str| {
        socklab::render::code::prose(socklab::render::code::Lang::Rust, text).into_owned()
    };
    // Every lesson, in English and in each of its translations.
    let lessons = socklab::lesson::builtin().into_iter().flat_map(|lesson| {
        let translated: Vec<_> = ["zh", "fr"]
            .iter()
            .filter_map(|code| lesson.in_language(code))
            .collect();
        std::iter::once(lesson).chain(translated)
    });
    for lesson in lessons {
        let mut prose = vec![lesson.title.clone(), lesson.summary.clone()];
        for step in &lesson.steps {
            prose.extend([step.title.clone(), step.text.clone()]);
            prose.extend(step.after.clone());
            if let Some(q) = &step.question {
                prose.extend([q.ask.clone(), q.explain.clone()]);
                prose.extend(q.choices.iter().cloned());
            }
        }
        for text in prose {
            let shown = rust(&text);
            if let Some(found) = python.find(&shown) {
                problems.push(format!("{}: `{}` in: {shown}", lesson.id, found.as_str()));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
