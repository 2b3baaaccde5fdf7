//! Every built-in lesson, run for real with `--auto --color never`, against
//! its insta snapshot. Only ephemeral ports, ISNs and times are redacted.
//!
//! Set `SOCKLAB_STABILITY_RUNS=20` to run each lesson 20 times and require
//! every run to match the snapshot (`.ci/run` does).

mod common;

use std::sync::LazyLock;

use common::{IPV6_LESSONS, LESSONS, redact, run_lesson, stdout};
use regex::Regex;

fn stability_runs() -> usize {
    std::env::var("SOCKLAB_STABILITY_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1)
}

fn check_lesson(id: &str) {
    check_lesson_with(id, &[], id);
}

fn check_lesson_with(id: &str, args: &[&str], snapshot: &str) {
    let runs = stability_runs();
    let mut first: Option<String> = None;
    let dir = tempfile::tempdir().unwrap();
    let recording = dir.path().join(format!("{snapshot}.socklab"));
    for run in 1..=runs {
        // The first run is also recorded, and shown again below.
        let mut args = args.to_vec();
        let recorded = recording.to_string_lossy().into_owned();
        if run == 1 {
            args.extend(["--record", &recorded]);
        }
        let output = run_lesson(id, &args);
        assert!(
            output.status.success(),
            "run {run} of {id} failed: {}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            output.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_fits(&stdout(&output), 80, &format!("{id} {}", args.join(" ")));
        if run == 1 {
            shown_as_it_ran(&recording, &stdout(&output), args.contains(&"rust"));
            shown_in_60_columns(&recording, id);
        }
        let text = redact(&stdout(&output));
        match &first {
            None => first = Some(text),
            Some(first) => similar_asserts(first, &text, id, run),
        }
    }
    insta::assert_snapshot!(snapshot, first.unwrap());
}

/// `socklab show` of a run's recording prints exactly what the run
/// printed, byte for byte (nothing redacted): the events hold everything.
fn shown_as_it_ran(recording: &std::path::Path, live: &str, rust: bool) {
    let mut show = common::socklab();
    show.args(["--color", "never", "show", "--auto"])
        .arg(recording);
    if rust {
        show.args(["--code", "rust"]);
    }
    let output = show.output().unwrap();
    assert!(
        output.status.success(),
        "show {}: {}",
        recording.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let shown = stdout(&output);
    // The lines a run prints after the lesson (where it wrote its files)
    // are not the lesson's.
    let live: String = live
        .lines()
        .filter(|l| !l.starts_with("Wrote "))
        .map(|l| format!("{l}\n"))
        .collect();
    similar_asserts(&live, &shown, &recording.display().to_string(), 1);
}

/// No line of `text` is wider than `width` columns (a Chinese character
/// takes two).
fn assert_fits(text: &str, width: usize, what: &str) {
    let wide: Vec<String> = text
        .lines()
        .filter(|l| textwrap::core::display_width(l) > width)
        .map(|l| format!("{:3} {l}", textwrap::core::display_width(l)))
        .collect();
    assert!(
        wide.is_empty(),
        "{what}: {} lines wider than {width} columns:\n{}",
        wide.len(),
        wide.join("\n")
    );
}

/// The same run in a 60-column terminal, in English and in Chinese: every
/// line fits (ladder rows, code, the kernel's view, headings).
fn shown_in_60_columns(recording: &std::path::Path, id: &str) {
    for lang in ["en", "zh"] {
        let output = common::socklab()
            .args([
                "--color", "never", "--width", "60", "--lang", lang, "show", "--auto",
            ])
            .arg(recording)
            .output()
            .unwrap();
        assert!(output.status.success(), "{id} --width 60 --lang {lang}");
        assert_fits(
            &stdout(&output),
            60,
            &format!("{id} --width 60 --lang {lang}"),
        );
    }
}

fn similar_asserts(first: &str, other: &str, id: &str, run: usize) {
    if first != other {
        let diff: Vec<String> = first
            .lines()
            .zip(other.lines())
            .filter(|(a, b)| a != b)
            .map(|(a, b)| format!("- {a}\n+ {b}"))
            .collect();
        panic!("run {run} of {id} differs from run 1:\n{}", diff.join("\n"));
    }
}

/// One test per lesson, so they run in parallel and fail one by one.
macro_rules! lesson_tests {
    ($($name:ident => $id:literal),* $(,)?) => {
        $(#[test] fn $name() { check_lesson($id); })*
    };
}

lesson_tests! {
    tcp_handshake => "tcp-handshake",
    tcp_echo => "tcp-echo",
    tcp_close => "tcp-close",
    udp_datagram => "udp-datagram",
    udp_bind => "udp-bind",
    tcp_stream_boundaries => "tcp-stream-boundaries",
    udp_boundaries => "udp-boundaries",
    udp_echo_time => "udp-echo-time",
    tcp_multi_client => "tcp-multi-client",
    tcp_chat => "tcp-chat",
    udp_broadcast => "udp-broadcast",
    tcp_file_download => "tcp-file-download",
    tcp_flow_control => "tcp-flow-control",
    tcp_refused => "tcp-refused",
    tcp_time_wait => "tcp-time-wait",
    tcp_handshake_held => "tcp-handshake-held",
    tcp_retransmission => "tcp-retransmission",
    checksum => "checksum",
    udp_unreliable => "udp-unreliable",
    tcp_fast_retransmit => "tcp-fast-retransmit",
    tcp_congestion => "tcp-congestion",
    tcp_duplicates => "tcp-duplicates",
    tcp_segmentation => "tcp-segmentation",
    udp_broadcast_lan => "udp-broadcast-lan",
    udp_multicast => "udp-multicast",
}

/// `--code rust` shows the socket2 calls instead of Python's.
#[test]
fn tcp_echo_in_rust() {
    check_lesson_with("tcp-echo", &["--code", "rust"], "tcp-echo-rust");
}

/// `--lang fr`: the lesson's own text from its French translation; the
/// calls, packets and socklab's sentences are the same.
#[test]
fn tcp_handshake_in_french() {
    check_lesson_with("tcp-handshake", &["--lang", "fr"], "tcp-handshake-fr");
}

/// One Chinese snapshot per translated lesson (`--lang zh`, plain), named
/// `ID-zh`. Each runs `SOCKLAB_STABILITY_RUNS` times but at most 3: the
/// packets, and so the layout, are the English run's, whose stability the
/// English runs measure 20 times in CI; only the words differ. Each run is also
/// searched for English that should have been Chinese. A newly translated
/// lesson is one more line here.
macro_rules! chinese_lesson_tests {
    ($($name:ident => $id:literal),* $(,)?) => {
        /// The lessons with a Chinese snapshot.
        const CHINESE_LESSONS: &[&str] = &[$($id),*];
        $(#[test] fn $name() { check_chinese($id, &[], &format!("{}-zh", $id)); })*
    };
}

chinese_lesson_tests! {
    tcp_handshake_zh => "tcp-handshake",
    tcp_echo_zh => "tcp-echo",
    tcp_close_zh => "tcp-close",
    tcp_stream_boundaries_zh => "tcp-stream-boundaries",
    tcp_multi_client_zh => "tcp-multi-client",
    tcp_chat_zh => "tcp-chat",
    tcp_file_download_zh => "tcp-file-download",
    tcp_flow_control_zh => "tcp-flow-control",
    tcp_refused_zh => "tcp-refused",
    tcp_time_wait_zh => "tcp-time-wait",
    tcp_segmentation_zh => "tcp-segmentation",
    udp_datagram_zh => "udp-datagram",
    udp_bind_zh => "udp-bind",
    udp_boundaries_zh => "udp-boundaries",
    udp_echo_time_zh => "udp-echo-time",
    udp_broadcast_zh => "udp-broadcast",
    udp_broadcast_lan_zh => "udp-broadcast-lan",
    udp_multicast_zh => "udp-multicast",
    udp_unreliable_zh => "udp-unreliable",
    tcp_duplicates_zh => "tcp-duplicates",
    tcp_fast_retransmit_zh => "tcp-fast-retransmit",
    tcp_retransmission_zh => "tcp-retransmission",
    tcp_handshake_held_zh => "tcp-handshake-held",
    checksum_zh => "checksum",
    tcp_congestion_zh => "tcp-congestion",
}

/// `--ascii` in Chinese: plain `-->`, `<--`, `|`, one column each, for
/// terminals that draw box-drawing characters two columns wide.
#[test]
fn tcp_close_zh_ascii() {
    check_chinese("tcp-close", &["--ascii"], "tcp-close-zh-ascii");
}

/// Runs a lesson once in Chinese, requires that no English sentence shows
/// in it, and compares it with its snapshot.
fn check_chinese(id: &str, args: &[&str], snapshot: &str) {
    let mut args = args.to_vec();
    args.extend(["--lang", "zh"]);
    // Repeated too, though fewer times than the English runs: the packets
    // are the same, but a Chinese run must be as stable as an English one.
    let runs = stability_runs().min(3);
    let mut first: Option<String> = None;
    for run in 1..=runs {
        let output = run_lesson(id, &args);
        assert!(
            output.status.success(),
            "{id} in Chinese failed: {}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.is_empty(), "{stderr}");
        let text = stdout(&output);
        let english = english_in_chinese(&text);
        assert!(
            english.is_empty(),
            "{id}: English in the Chinese run (translate it in the lesson's \
             [translations.zh] or in src/i18n/zh.ftl):\n{}",
            english.join("\n")
        );
        assert_fits(&text, 80, &format!("{id} --lang zh"));
        let text = redact(&text);
        match &first {
            None => first = Some(text),
            Some(first) => similar_asserts(first, &text, id, run),
        }
    }
    insta::assert_snapshot!(snapshot, first.unwrap());
}

/// The English a Chinese run shows where it should show Chinese: every run
/// of three or more English words on a line, one per line found.
///
/// A word is a token of ASCII letters with at least one lower-case letter
/// (trailing punctuation and `()` aside): `SYN`, `ACK`, `ESTABLISHED`,
/// `MSS=1460`, `127.0.0.1` are not words, nor is anything touching a
/// Chinese character. Three words in a row is where a sentence starts to
/// show; Chinese text names one or two (`recv() 和 accept()`, `TCP
/// Keep-Alive`) between Chinese words. English is expected, and skipped:
/// - the code: the lines of a `>>>` block (Python's own output such as
///   `OSError: [Errno 98] Address already in use` included), except the
///   comments socklab adds (`# …`), which are its sentences;
/// - `code` in backticks, in the lessons' text as in socklab's;
/// - the chat lines the learner types, after their prompt (`you> hello`);
/// - runs that zh.ftl itself writes in English, Wireshark's labels
///   (`TCP Previous segment not captured`) and error messages.
fn english_in_chinese(text: &str) -> Vec<String> {
    static BACKTICKS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"`[^`]*`").unwrap());
    static PROMPT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\S+> ").unwrap());
    let text = BACKTICKS.replace_all(text, "`…`");
    let mut found = Vec::new();
    let mut in_code = false;
    for line in text.lines() {
        if line.starts_with("  >>> ") {
            in_code = true;
        }
        if in_code && line.starts_with("  ") {
            if !line.starts_with("  # ") {
                continue;
            }
        } else {
            in_code = false;
        }
        if PROMPT.is_match(line) {
            continue;
        }
        for run in english_runs(line) {
            if !socklab::i18n::CHINESE.contains(&run) {
                found.push(format!("{run:?} in: {}", line.trim()));
            }
        }
    }
    found
}

/// The runs of three or more English words of one line (see above).
fn english_runs(line: &str) -> Vec<String> {
    let is_word = |token: &str| {
        let word = token.trim_end_matches([',', '.', ';', ':', '?', '!', ')', '(', '"']);
        let word = word.trim_start_matches(['(', '"']);
        !word.is_empty()
            && word
                .chars()
                .all(|c| c.is_ascii_alphabetic() || c == '\'' || c == '-')
            && word.chars().any(|c| c.is_ascii_lowercase())
    };
    let mut runs = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    for token in line.split(' ').chain([""]) {
        if !token.is_empty() && is_word(token) {
            run.push(token);
        } else {
            if run.len() >= 3 {
                runs.push(run.join(" "));
            }
            run.clear();
        }
    }
    runs
}

/// The search above finds an untranslated sentence: here the English
/// `after` of tcp-handshake's last step, left in its Chinese translation,
/// in a real run; and nothing in what is English on purpose.
#[test]
fn english_in_a_chinese_run_is_found() {
    let english = "accept() put nothing on the wire: the handshake was already over.";
    let lesson = include_str!("../lessons/tcp-handshake.toml");
    let chinese = "accept() 没有往线路上发送任何东西：握手早就完成了。";
    assert!(
        lesson.contains(chinese),
        "the lesson's Chinese text changed"
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tcp-handshake.toml");
    std::fs::write(&file, lesson.replace(chinese, english)).unwrap();
    let output = common::socklab()
        .args(["--color", "never", "run", "--auto", "--lang", "zh"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let found = english_in_chinese(&stdout(&output));
    assert!(
        found.len() == 1 && found[0].contains("put nothing on the wire: the handshake was"),
        "{found:#?}"
    );
    // English on purpose: code and Python's output, backticks, a chat
    // line, a Wireshark label as zh.ftl writes it, a term or two.
    let on_purpose = [
        "  >>> server.bind((\"\", 5000))",
        "  OSError: [Errno 98] Address already in use",
        "  # bind() 失败了：端口 5000 仍然被占用。",
        "就像教程里的服务器用 `if not data:",
        "conn.close()` 所做的那样。",
        "you> how are you?",
        "                       Wireshark 标记为 TCP Previous segment not captured。",
        "Wireshark 把它叫作 keep-alive，另见 recv() 和 accept()。",
    ]
    .join("\n");
    assert_eq!(english_in_chinese(&on_purpose), Vec::<String>::new());
    // A comment in a code block is socklab's sentence, and searched.
    let comment = "  >>> conn.recv(1024)\n  # the peer has closed its end\n";
    assert_eq!(english_in_chinese(comment).len(), 1);
}

/// Every built-in lesson with a Chinese translation has a Chinese
/// snapshot above, and every Chinese snapshot a translation.
#[test]
fn every_chinese_translation_is_snapshot_tested() {
    let mut translated: Vec<String> = socklab::lesson::builtin()
        .into_iter()
        .filter(|lesson| lesson.languages().contains(&"zh"))
        .map(|lesson| lesson.id)
        .collect();
    let mut tested: Vec<String> = CHINESE_LESSONS.iter().map(|s| s.to_string()).collect();
    translated.sort();
    tested.sort();
    assert_eq!(tested, translated);
}

/// `--ipv6`: every lesson that offers it, over ::1 (ICMPv6 included), each
/// with its snapshot, as stable as the IPv4 runs.
#[test]
fn ipv6_lessons() {
    for id in IPV6_LESSONS {
        check_lesson_with(id, &["--ipv6"], &format!("{id}-ipv6"));
    }
}

/// Every other lesson says why it does not run over IPv6 (exit 2), runs
/// its IPv6 counterpart (udp-broadcast), or is about IPv6 already.
#[test]
fn lessons_without_ipv6_say_why() {
    for id in LESSONS.iter().filter(|id| !IPV6_LESSONS.contains(id)) {
        let output = run_lesson(id, &["--ipv6"]);
        let text = stdout(&output);
        match *id {
            "udp-broadcast" => assert!(text.contains("Its IPv6 counterpart follows")),
            "udp-multicast" => assert!(text.contains("Over IPv6: the sockets are AF_INET6")),
            _ => {
                assert_eq!(output.status.code(), Some(2), "{id}");
                let err = String::from_utf8_lossy(&output.stderr);
                assert!(err.contains("does not run over IPv6: "), "{id}: {err}");
            }
        }
    }
}

/// `udp-broadcast --ipv6`: IPv6 has no broadcast, so the lesson says why
/// and its IPv6 counterpart runs, exactly as `run udp-multicast` shows it.
#[test]
fn udp_broadcast_over_ipv6_runs_its_multicast_counterpart() {
    let redirected = run_lesson("udp-broadcast", &["--ipv6"]);
    assert!(redirected.status.success(), "{redirected:?}");
    let text = redact(&stdout(&redirected));
    let (note, lesson) = text
        .split_once("\n\n")
        .expect("a note, a blank line, then the lesson");
    assert_eq!(
        note,
        "udp-broadcast does not run over IPv6: IPv6 has no broadcast; one-to-many goes to \
         multicast groups instead (ff02::1 is \"all nodes on this link\").\n\
         Its IPv6 counterpart follows: udp-multicast."
    );
    let direct = run_lesson("udp-multicast", &[]);
    assert!(direct.status.success(), "{direct:?}");
    assert_eq!(lesson, redact(&stdout(&direct)));
}

/// Every lesson in `LESSONS` has a test above, and the list matches `socklab list`.
#[test]
fn every_built_in_lesson_is_snapshot_tested() {
    let output = common::socklab()
        .args(["--color", "never", "list"])
        .output()
        .unwrap();
    let listed: Vec<String> = stdout(&output)
        .lines()
        .filter(|l| !l.starts_with(' ') && !l.is_empty() && !l.starts_with("Run one"))
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect();
    let mut expected: Vec<String> = LESSONS.iter().map(|s| s.to_string()).collect();
    let mut listed_sorted = listed.clone();
    listed_sorted.sort();
    expected.sort();
    assert_eq!(listed_sorted, expected);
}

/// As root, the same lesson also runs as an ordinary user (uid 65534),
/// through a user namespace, and gives the same output.
#[test]
fn runs_as_an_ordinary_user() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    // Not root: every other test here already runs unprivileged, which is
    // what this one would check.
    let why = "starting the binary as another user needs root";
    if !common::root_or_skip("runs_as_an_ordinary_user", why) {
        return;
    }
    // The build folder may not be readable by others: copy the binary out.
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let binary = dir.path().join("socklab");
    std::fs::copy(env!("CARGO_BIN_EXE_socklab"), &binary).unwrap();
    std::fs::set_permissions(&binary, std::fs::Permissions::from_mode(0o755)).unwrap();
    // Every lesson, on the loopback and on the lab wire (host namespaces,
    // veth pairs and the switch, all inside the user namespace), compared
    // with the snapshot-tested output as root. SOCKLAB_USER_RUNS=20 repeats
    // each user run, for the 20-run stability measurement as a user
    // (SOCKLAB_USER_LESSON=ID for one lesson).
    let runs: usize = std::env::var("SOCKLAB_USER_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    // SOCKLAB_USER_LESSON=ID: that lesson only (its 20 runs as a user, say).
    let only = std::env::var("SOCKLAB_USER_LESSON").ok();
    let ipv6 = IPV6_LESSONS.iter().map(|id| (*id, &["--ipv6"][..]));
    let all = LESSONS.iter().map(|id| (*id, &[][..])).chain(ipv6);
    for (id, args) in all.filter(|(id, _)| only.as_deref().is_none_or(|o| o == *id)) {
        let as_root = redact(&stdout(&run_lesson(id, args)));
        for run in 1..=runs {
            let as_user = common::in_english(&mut std::process::Command::new(&binary))
                .args(["--color", "never", "run", id, "--auto"])
                .args(args)
                .uid(65534)
                .gid(65534)
                .current_dir(dir.path())
                .output()
                .unwrap();
            assert!(
                as_user.status.success(),
                "{id} as uid 65534, run {run}: {}",
                String::from_utf8_lossy(&as_user.stderr)
            );
            similar_asserts(&as_root, &redact(&stdout(&as_user)), id, run);
        }
    }
}

/// A zero-window probe later than a step's 3 s: on cables of 200 ms each
/// way the client's RTO, and so its persist timer's first probe, comes over
/// 4 s after the window closed (as the round trips of a machine too busy
/// to move frames at once once did, in the overload soak). The step waits
/// for the kernel's timer, and the lesson completes.
#[test]
fn a_late_zero_window_probe_is_waited_for() {
    let lesson = include_str!("../lessons/tcp-flow-control.toml");
    let slow = lesson.replace(
        "latency_ms = { server = 10 }",
        "latency_ms = { server = 200, client = 200 }",
    );
    assert_ne!(slow, lesson, "the lesson's cable is no longer where it was");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("slow-flow-control.toml");
    std::fs::write(&path, slow).unwrap();
    let output = run_lesson(path.to_str().unwrap(), &[]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = stdout(&output);
    assert!(text.contains("── Step 4 of 6 · Reading again"), "{text}");
}
