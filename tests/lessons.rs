//! Every built-in lesson, run for real with `--auto --color never`, against
//! its insta snapshot. Only ephemeral ports, ISNs and times are redacted.
//!
//! Set `SOCKLAB_STABILITY_RUNS=20` to run each lesson 20 times and require
//! every run to match the snapshot (`.ci/run` does).

mod common;

use common::{IPV6_LESSONS, LESSONS, redact, run_lesson, stdout};

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
        if run == 1 {
            shown_as_it_ran(&recording, &stdout(&output), args.contains(&"rust"));
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
