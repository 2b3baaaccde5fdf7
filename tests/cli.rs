//! The command line's contract: exit status 0 done, 1 a lesson step failed,
//! 2 bad usage or input, 130 interrupted; every error says what to do.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{has_chinese, socklab, stderr, stdout};

/// A lesson folder with one file.
fn lesson_dir(name: &str, text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), text).unwrap();
    dir
}

fn run_from(dir: &Path, id: &str) -> std::process::Output {
    socklab()
        .args(["--color", "never", "run", id, "--auto", "--lessons"])
        .arg(dir)
        .output()
        .unwrap()
}

const HEADER: &str = r#"id = "mine"
title = "Mine"
summary = "A teacher's lesson"
actors = ["client", "server"]
"#;

#[test]
fn list_shows_every_lesson_with_its_title() {
    let output = socklab()
        .args(["--color", "never", "list"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = stdout(&output);
    let first = text.lines().next().unwrap();
    assert_eq!(
        first.split_whitespace().collect::<Vec<_>>(),
        ["tcp-handshake", "The", "three-way", "handshake"],
        "{text}"
    );
    assert!(text.contains("udp-datagram"), "{text}");
}

#[test]
fn unknown_lesson_exits_2_and_suggests_the_one_meant() {
    let run = |id: &str| socklab().args(["run", id, "--auto"]).output().unwrap();
    let output = run("tcp-handshak");
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("there is no lesson `tcp-handshak`; did you mean `tcp-handshake`?"),
        "{err}"
    );
    let output = run("tcp-nope");
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("there is no lesson `tcp-nope`"), "{err}");
    assert!(err.contains("socklab list"), "{err}");
}

/// A teacher's folder with one broken file: the other lessons still run,
/// and socklab says which file was left out; a lesson file can also be
/// run by its path.
#[test]
fn a_broken_file_leaves_the_other_lessons_runnable() {
    let root = env!("CARGO_MANIFEST_DIR");
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("tcp-handshake.toml");
    std::fs::copy(format!("{root}/lessons/tcp-handshake.toml"), &good).unwrap();
    std::fs::copy(
        format!("{root}/tests/broken-lessons/13-unknown-socket.toml"),
        dir.path().join("broken.toml"),
    )
    .unwrap();
    let output = run_from(dir.path(), "tcp-handshake");
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("Lesson complete"));
    let err = stderr(&output);
    assert!(
        err.contains("left out 1 lesson file with problems"),
        "{err}"
    );
    assert!(err.contains("broken.toml"), "{err}");
    let by_path = socklab()
        .args(["--color", "never", "run", "--auto"])
        .arg(&good)
        .output()
        .unwrap();
    assert!(by_path.status.success(), "{}", stderr(&by_path));
    assert!(stdout(&by_path).contains("Lesson complete"));
}

#[test]
fn bad_usage_exits_2() {
    let output = socklab().args(["run"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let output = socklab()
        .args(["--color", "purple", "list"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn malformed_lesson_file_is_reported_with_file_line_and_column() {
    let text = format!(
        "{HEADER}\n[[steps]]\ntitle = \"One\"\ntext = \"…\"\ncalls = [{{ listen = \"server\" }}]\n"
    );
    let dir = lesson_dir("mine.toml", &text);
    let output = run_from(dir.path(), "mine");
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    let place = format!(
        "{}:9:10: no socket named `server` yet",
        dir.path().join("mine.toml").display()
    );
    assert!(err.contains(&place), "{err}");
}

#[test]
fn toml_syntax_error_is_reported_with_file_line_and_column() {
    let dir = lesson_dir("broken.toml", "id = \"x\"\ntitle = \"unterminated\n");
    let output = socklab()
        .args(["list", "--lessons"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("broken.toml:2:"), "{err}");
}

const CONNECT: &str = r#"
[[steps]]
title = "Connect"
text = "Connect."
calls = [
  { socket = "server", type = "stream" },
  { bind = "server", port = 5000 },
  { listen = "server" },
  { socket = "client", type = "stream" },
  { connect = "client", to = "server" },
]
"#;

/// A lesson that expects a packet the kernel never sends fails with exit 1
/// after the bounded wait, naming what it expected and what it saw.
#[test]
fn missing_packet_exits_1_with_expected_and_seen() {
    let text =
        format!("{HEADER}{CONNECT}expect = [\"client > server SYN\", \"server > client RST\"]\n");
    let dir = lesson_dir("mine.toml", &text);
    let started = Instant::now();
    let output = run_from(dir.path(), "mine");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains("step 1 (Connect): expected `server > client RST` on the wire, but it did not come within 3 s; saw server > client SYN,ACK, client > server ACK"),
        "{err}"
    );
    // What did come is still shown.
    assert!(stdout(&output).contains("SYN,ACK seq=0 ack=1"));
    assert!(started.elapsed() < Duration::from_secs(10));
}

/// A port that is already taken ends the run cleanly, with a hint.
#[test]
fn port_in_use_exits_1_with_a_hint() {
    let text = format!(
        "{HEADER}{CONNECT}expect = [\"client > server SYN\", \"server > client SYN ACK\", \"client > server ACK\"]\n\
         [[steps]]\ntitle = \"Again\"\ntext = \"A second server on the same port.\"\n\
         calls = [{{ socket = \"other\", actor = \"server\", type = \"stream\" }}, {{ bind = \"other\", port = 5000 }}]\n"
    );
    let dir = lesson_dir("mine.toml", &text);
    let output = run_from(dir.path(), "mine");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains("step 2 (Again): `other.bind()` failed: Address already in use"),
        "{err}"
    );
    assert!(err.contains("SO_REUSEADDR"), "{err}");
}

/// A reader that stops reading (`socklab run --all --auto | head -2`) ends
/// socklab quietly with status 0, whichever command was writing: no panic,
/// no error message.
#[test]
fn a_closed_pipe_ends_quietly_with_status_0() {
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tcp-close.pcap");
    let mut commands: Vec<Vec<&str>> = vec![
        vec!["--color", "never", "run", "--all", "--auto"],
        vec!["--color", "never", "run", "tcp-close", "--auto"],
        vec!["--color", "never", "run", "tcp-close", "--format", "json"],
        vec!["--color", "never", "list"],
        vec!["--color", "never", "replay", fixture, "--format", "lines"],
    ];
    if common::is_root() {
        // Watch prints its first line at once, then waits for traffic.
        commands.push(vec!["--color", "never", "watch", "--seconds", "1"]);
    }
    for args in commands {
        let (status, err) = common::read_then_close(&args, 2);
        assert_eq!(status, Some(0), "{args:?}: {err}");
        assert!(err.is_empty(), "{args:?} wrote to standard error: {err}");
    }
}

/// Ctrl-C during a run ends it with status 130 and a short message.
#[test]
fn interrupt_exits_130() {
    let text =
        format!("{HEADER}{CONNECT}expect = [\"client > server SYN\", \"server > client RST\"]\n");
    let dir = lesson_dir("mine.toml", &text);
    let mut child = socklab()
        .args(["--color", "never", "run", "mine", "--auto", "--lessons"])
        .arg(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The ladder is drawn as packets come: once the handshake's last ACK
    // is on screen, the lesson waits (up to 3 s) for an RST that never
    // comes. Interrupt it then, not after a guessed delay.
    let lines = common::lines_of(child.stdout.take().unwrap());
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut seen = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match lines.recv_timeout(left) {
            Ok(line) if line.contains("handshake ③") => break,
            Ok(line) => seen.push(line),
            Err(e) => panic!("no handshake ③ line ({e}); saw {seen:#?}"),
        }
    }
    let sent = Instant::now();
    // SAFETY: sending SIGINT to our own child.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let output = child.wait_with_output().unwrap();
    // Well before the 3 s wait would have run out by itself.
    assert!(
        sent.elapsed() < Duration::from_secs(1),
        "{:?}",
        sent.elapsed()
    );
    assert_eq!(output.status.code(), Some(130), "{}", stderr(&output));
    assert!(stderr(&output).contains("interrupted"));
}

/// Only the lab wire can hold packets: `--hold` on a loopback lesson is a
/// usage error that names lessons where it works.
#[test]
fn hold_needs_a_lesson_on_the_wire() {
    let output = socklab()
        .args(["run", "tcp-handshake", "--auto", "--hold"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("--hold needs a lesson on the lab wire (tcp-handshake-held"),
        "{}",
        stderr(&output)
    );
}

/// A lesson whose story is in its timing says why it does not run in hold
/// mode (tcp-congestion: round trips of 50 ms, and the hosts' timers).
#[test]
fn a_lesson_that_cannot_be_held_says_why() {
    let output = socklab()
        .args(["run", "tcp-congestion", "--auto", "--hold"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("does not run in hold mode: its story is the window"),
        "{}",
        stderr(&output)
    );
}

/// A lesson that cannot run over IPv6, and has no IPv6 counterpart, says
/// why, with exit status 2.
#[test]
fn ipv4_only_lesson_refuses_ipv6() {
    let output = socklab()
        .args(["run", "udp-broadcast-lan", "--auto", "--ipv6"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains(
            "lesson `udp-broadcast-lan` does not run over IPv6: its text is about IPv4 on the lab wire"
        ),
        "{}",
        stderr(&output)
    );
}

#[test]
fn colour_is_on_only_when_asked_or_on_a_terminal() {
    let run = |args: &[&str], no_color: Option<&str>| {
        let mut cmd = socklab();
        cmd.args(args);
        if let Some(v) = no_color {
            cmd.env("NO_COLOR", v);
        }
        stdout(&cmd.output().unwrap())
    };
    assert!(run(&["--color", "always", "list"], None).contains("\x1b["));
    assert!(!run(&["--color", "never", "list"], None).contains("\x1b["));
    // Not a terminal: auto means plain.
    assert!(!run(&["list"], None).contains("\x1b["));
    // An explicit --color always wins over NO_COLOR (https://no-color.org).
    assert!(run(&["--color", "always", "list"], Some("1")).contains("\x1b["));
}

/// `--theme light`: nothing dim or italic, no white, yellow or bright
/// colour (unreadable on a projector's white); `--theme dark`: nothing dim
/// or italic either; `--theme contrast`: no colour at all, bold only. In
/// all, colour only stresses what the words say: without its escape codes
/// the coloured text is the plain text.
#[test]
fn themes_are_readable_and_colour_adds_no_words() {
    let escape = regex::Regex::new("\x1b\\[([0-9;]*)m").unwrap();
    let capture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tcp-close.pcap");
    let output = |args: &[&str]| {
        let output = socklab().args(args).output().unwrap();
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        stdout(&output)
    };
    let plain = output(&["--color", "never", "replay", capture]);
    for theme in ["light", "dark", "contrast"] {
        let coloured = output(&["--color", "always", "--theme", theme, "replay", capture]);
        let codes: Vec<u8> = escape
            .captures_iter(&coloured)
            .flat_map(|c| {
                c[1].split(';')
                    .filter_map(|n| n.parse().ok())
                    .collect::<Vec<u8>>()
            })
            .collect();
        assert!(codes.contains(&1), "{theme}: colour is on");
        for code in &codes {
            assert!(![2, 3].contains(code), "{theme}: dim or italic ({code})");
            if theme == "light" {
                assert!(
                    ![33, 37].contains(code) && !(90..=97).contains(code),
                    "light: white, yellow or bright ({code})"
                );
            }
            if theme == "contrast" {
                assert!([0, 1].contains(code), "contrast: bold only ({code})");
            }
        }
        assert_eq!(escape.replace_all(&coloured, ""), plain, "{theme}");
    }
}

/// Where no network namespace can be created (here: unshare(2) forbidden
/// by a seccomp filter, as in a locked-down container), socklab exits 2
/// and names the three ways out.
#[test]
fn no_sandbox_rights_exit_2_with_the_fixes() {
    use std::os::unix::process::CommandExt;
    let mut cmd = socklab();
    cmd.args(["run", "tcp-handshake", "--auto"]);
    // SAFETY: only async-signal-safe prctl calls between fork and exec; the
    // filter data lives on the stack of this closure for the calls.
    unsafe {
        cmd.pre_exec(|| {
            // Classic BPF: load the syscall number; unshare → EPERM; else allow.
            let filter = [
                libc::sock_filter {
                    code: 0x20,
                    jt: 0,
                    jf: 0,
                    k: 0,
                }, // ld [0]
                libc::sock_filter {
                    code: 0x15, // jeq #SYS_unshare
                    jt: 0,
                    jf: 1,
                    k: libc::SYS_unshare as u32,
                },
                libc::sock_filter {
                    code: 0x06, // ret ERRNO(EPERM)
                    jt: 0,
                    jf: 0,
                    k: 0x0005_0000 | libc::EPERM as u32,
                },
                libc::sock_filter {
                    code: 0x06,
                    jt: 0,
                    jf: 0,
                    k: 0x7fff_0000,
                }, // ret ALLOW
            ];
            let program = libc::sock_fprog {
                len: filter.len() as u16,
                filter: filter.as_ptr() as *mut libc::sock_filter,
            };
            if libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0
                || libc::prctl(
                    libc::PR_SET_SECCOMP,
                    libc::SECCOMP_MODE_FILTER,
                    &program as *const libc::sock_fprog,
                ) != 0
            {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let output = cmd.output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let err = stderr(&output);
    for needed in [
        "none could be created here",
        "Operation not permitted",
        "sudo socklab run",
        "user.max_user_namespaces",
        "setcap cap_sys_admin,cap_net_admin,cap_net_raw+ep",
    ] {
        assert!(err.contains(needed), "missing {needed:?} in:\n{err}");
    }
    assert!(output.stdout.is_empty(), "nothing runs without a sandbox");
}

/// `run --all` runs each lesson in its own sandbox and ends with a summary
/// line per lesson; one failed lesson makes the status 1.
#[test]
fn run_all_summarises_every_lesson() {
    let dir = tempfile::tempdir().unwrap();
    let good = format!(
        "{}\n[[steps]]\ntitle = \"Bind\"\ntext = \"A UDP socket binds.\"\n\
         calls = [{{ socket = \"server\", type = \"dgram\" }}, {{ bind = \"server\", port = 7788 }}]\n",
        HEADER.replace("\"mine\"", "\"good\"")
    );
    let bad = format!(
        "{}{CONNECT}expect = [\"client > server SYN\", \"server > client RST\"]\n",
        HEADER.replace("\"mine\"", "\"bad\"")
    );
    std::fs::write(dir.path().join("good.toml"), good).unwrap();
    std::fs::write(dir.path().join("bad.toml"), bad).unwrap();
    let output = socklab()
        .args(["--color", "never", "run", "--all", "--auto", "--lessons"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stdout(&output);
    let summary = text.split("Summary\n").nth(1).expect("a summary");
    let lines: Vec<Vec<&str>> = summary
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(lines[0][..2], ["bad", "a"], "{summary}");
    assert_eq!(lines[1][..2], ["good", "done"], "{summary}");
    assert!(stderr(&output).contains("1 of 2 lessons did not complete"));
}

/// One pcap file cannot hold several lessons' sandboxes.
#[test]
fn run_all_refuses_pcap() {
    let output = socklab()
        .args(["run", "--all", "--auto", "--pcap", "x.pcap"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--pcap and --mermaid name one file"));
}

/// `run --mermaid FILE` writes the lesson's packets as a Mermaid diagram.
#[test]
fn run_writes_a_mermaid_diagram() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.mmd");
    let output = socklab()
        .args([
            "--color",
            "never",
            "run",
            "tcp-handshake",
            "--auto",
            "--mermaid",
        ])
        .arg(&path)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let diagram = std::fs::read_to_string(&path).unwrap();
    let arrows: Vec<&str> = diagram.lines().filter(|l| l.contains("->>")).collect();
    assert_eq!(arrows.len(), 3, "{diagram}");
    assert!(diagram.starts_with("sequenceDiagram\n    participant client as client 127.0.0.1:"));
    assert!(
        arrows[1].starts_with("    server->>client: SYN,ACK seq=0 ack=1"),
        "{diagram}"
    );
}

/// `socklab show` plays a recording made as root to an ordinary user,
/// without namespaces; what is not a recording, or a damaged one, gets a
/// clear error (exit 2).
#[test]
fn a_recording_shows_anywhere_and_a_bad_one_says_why() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let recording = dir.path().join("handshake.socklab");
    let live = socklab()
        .args([
            "--color",
            "never",
            "run",
            "tcp-handshake",
            "--auto",
            "--record",
        ])
        .arg(&recording)
        .output()
        .unwrap();
    assert!(live.status.success(), "{}", stderr(&live));
    std::fs::set_permissions(&recording, std::fs::Permissions::from_mode(0o644)).unwrap();
    if common::root_or_skip(
        "show as an ordinary user",
        "starting it as uid 65534 needs root",
    ) {
        let binary = dir.path().join("socklab");
        std::fs::copy(env!("CARGO_BIN_EXE_socklab"), &binary).unwrap();
        std::fs::set_permissions(&binary, std::fs::Permissions::from_mode(0o755)).unwrap();
        let shown = common::in_english(&mut std::process::Command::new(&binary))
            .args(["--color", "never", "show", "--auto"])
            .arg(&recording)
            .uid(65534)
            .gid(65534)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(shown.status.success(), "{}", stderr(&shown));
        assert_eq!(stdout(&shown), stdout(&live));
    }
    let damaged = dir.path().join("damaged.socklab");
    let text = std::fs::read_to_string(&recording).unwrap();
    std::fs::write(&damaged, &text[..text.len() / 2]).unwrap();
    let not_one = dir.path().join("notes.txt");
    std::fs::write(&not_one, "hello\n").unwrap();
    for (file, says) in [
        (&damaged, "damaged.socklab:"),
        (&not_one, "is not a socklab recording"),
    ] {
        let output = socklab().arg("show").arg(file).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        assert!(stderr(&output).contains(says), "{}", stderr(&output));
    }
}

/// Runs socklab with the resource `limit` (RLIMIT_*) set to `value` in the
/// child only, before it starts.
fn limited(resource: libc::__rlimit_resource_t, value: u64, args: &[&str]) -> std::process::Output {
    use std::os::unix::process::CommandExt;
    let mut cmd = socklab();
    cmd.args(args);
    // SAFETY: setrlimit is async-signal-safe; it only lowers this child's
    // limit, between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            let limit = libc::rlimit {
                rlim_cur: value,
                rlim_max: value,
            };
            if libc::setrlimit(resource, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    cmd.output().unwrap()
}

/// Exit 0, or exit 2 with a message; never a panic, an abort or a signal.
fn ran_or_said_why(what: &str, output: &std::process::Output) {
    let err = stderr(output);
    assert!(
        matches!(output.status.code(), Some(0 | 2)),
        "{what}: {} {err}",
        output.status
    );
    assert!(!err.contains("panicked"), "{what}: {err}");
    if output.status.code() == Some(2) {
        assert!(
            err.starts_with("socklab: ") || err.starts_with("\nsocklab: "),
            "{what}: {err}"
        );
    }
}

/// `ulimit -n 32`: every lesson still runs (a lab-wire lesson needs about
/// 20 descriptors). Below what a lesson needs, it exits 2 and names the
/// limit, and `run --all` too.
#[test]
fn a_small_open_file_limit_runs_or_names_the_limit() {
    if !common::root_or_skip(
        "a_small_open_file_limit_runs_or_names_the_limit",
        "lessons need namespaces",
    ) {
        return;
    }
    let all = ["--color", "never", "run", "--all", "--auto"];
    let output = limited(libc::RLIMIT_NOFILE, 32, &all);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    for (args, limit) in [
        (
            &["--color", "never", "run", "tcp-retransmission", "--auto"][..],
            10,
        ),
        (&all[..], 16),
    ] {
        let output = limited(libc::RLIMIT_NOFILE, limit, args);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?} {limit}: {err}");
        assert!(
            err.contains(&format!("too many open files: this process may open {limit}; raise the limit, `ulimit -n 1024`")),
            "{err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
}

/// `ulimit -v`: from the smallest address space in which socklab starts at
/// all (below it the program cannot even be loaded) up to where lessons
/// run, every limit gives exit 0, or exit 2 naming the memory limit.
#[test]
fn low_memory_runs_or_names_the_limit() {
    if !common::root_or_skip(
        "low_memory_runs_or_names_the_limit",
        "lessons need namespaces",
    ) {
        return;
    }
    const MB: u64 = 1 << 20;
    // The smallest limit in which `--version` runs, to the megabyte.
    let (mut low, mut high) = (1, 512);
    assert_eq!(
        limited(libc::RLIMIT_AS, high * MB, &["--version"])
            .status
            .code(),
        Some(0)
    );
    while high - low > 1 {
        let mid = (low + high) / 2;
        match limited(libc::RLIMIT_AS, mid * MB, &["--version"])
            .status
            .code()
        {
            Some(0) => high = mid,
            _ => low = mid,
        }
    }
    let mut said = 0;
    for mb in (high..high + 40).step_by(2) {
        for lesson in ["tcp-handshake", "tcp-retransmission"] {
            let args = ["--color", "never", "run", lesson, "--auto"];
            let output = limited(libc::RLIMIT_AS, mb * MB, &args);
            let what = format!("{lesson} with {mb} MB");
            ran_or_said_why(&what, &output);
            if output.status.code() == Some(2) {
                let err = stderr(&output);
                assert!(err.contains("`ulimit -v`"), "{what}: {err}");
                said += 1;
            }
        }
    }
    // The sweep reached limits too low to run, and said so.
    assert!(said > 0, "every run from {high} MB up completed");
}

/// A full disk: `--pcap` and `--record` into a full tmpfs exit 2 saying so,
/// and leave no file behind (a capture file is complete or absent). The
/// tmpfs is mounted in a mount namespace of the test's own (unshare -m).
#[test]
fn a_full_disk_is_named_and_leaves_no_file() {
    if !common::root_or_skip(
        "a_full_disk_is_named_and_leaves_no_file",
        "mounting a tmpfs needs root",
    ) {
        return;
    }
    if std::process::Command::new("unshare")
        .arg("--version")
        .output()
        .is_err()
    {
        common::skip(
            "a_full_disk_is_named_and_leaves_no_file",
            "unshare (util-linux) is missing",
        );
        return;
    }
    let bin = env!("CARGO_BIN_EXE_socklab");
    // The tmpfs goes on a folder of the test's own, not on /tmp, which
    // may hold the binary itself (a clone under /tmp).
    let disk = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let disk = disk.path().to_str().unwrap().to_string();
    // A few bytes free (the fill stops short), or none at all.
    for free in [0, 300] {
        for (flag, file) in [("--pcap", "a.pcap"), ("--record", "a.socklab")] {
            let script = format!(
                "mount -t tmpfs -o size=16k tmpfs \"$1\" && \
                 head -c $((16384 - {free})) /dev/zero > \"$1/fill\"; \
                 TMPDIR=\"$1\" \"$0\" --color never run tcp-handshake --auto {flag} \"$1/{file}\" >/dev/null; \
                 code=$?; if [ -e \"$1/{file}\" ]; then echo LEFT >&2; fi; exit $code"
            );
            let mut cmd = std::process::Command::new("unshare");
            common::in_english(&mut cmd);
            let output = cmd
                .args(["-m", "sh", "-c", &script, bin, &disk])
                .output()
                .unwrap();
            let err = stderr(&output);
            let what = format!("{flag} with {free} bytes free");
            assert_eq!(output.status.code(), Some(2), "{what}: {err}");
            assert!(err.contains("No space left on device"), "{what}: {err}");
            assert!(
                !err.contains("LEFT"),
                "{what}: a half-written file was left: {err}"
            );
            assert!(!err.contains("panicked"), "{what}: {err}");
        }
    }
}

/// No /proc at all (a tmpfs over it, in a mount namespace of the test's
/// own): a lesson on the loopback and an exercise check still run, their
/// kernel's view read through sock_diag, not /proc/net; a capture file
/// replays; a lesson on the lab wire, which sets its hosts' sysctls under
/// /proc/sys, and `run --all`, which starts each lesson from
/// /proc/self/exe, exit 2 naming what is missing. Never a panic.
#[test]
fn without_proc_socklab_runs_or_names_what_is_missing() {
    let test = "without_proc_socklab_runs_or_names_what_is_missing";
    if !mounting_ready(test, "mounting over /proc needs root") {
        return;
    }
    let exercise = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/exercises/udp-time-server/reference.py"
    );
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tcp-close.pcap");
    let cases: [(&[&str], i32, &str); 5] = [
        (&["run", "tcp-handshake", "--auto"], 0, ""),
        (
            &[
                "exercise",
                "check",
                "udp-time-server",
                "--",
                "python3",
                exercise,
            ],
            0,
            "",
        ),
        (&["replay", fixture], 0, ""),
        (&["run", "udp-broadcast-lan", "--auto"], 2, "/proc/sys/net"),
        (&["run", "--all", "--auto"], 2, "/proc/self/exe"),
    ];
    for (args, code, named) in cases {
        let output = socklab_after_mounting("mount -t tmpfs none /proc", args);
        let (out, err) = (stdout(&output), stderr(&output));
        let what = args.join(" ");
        assert_eq!(output.status.code(), Some(code), "{what}: {err}");
        assert!(!err.contains("panicked"), "{what}: {err}");
        if code == 0 {
            assert!(err.is_empty(), "{what}: {err}");
        } else {
            assert!(
                err.starts_with("socklab: ") && err.contains(named),
                "{what}: {err}"
            );
        }
        if args[0] == "run" && code == 0 {
            assert!(out.contains("The kernel's own view"), "{what}: {out}");
        }
    }
}

/// Root and unshare, which `socklab_after_mounting` needs; a skip says so
/// (under CI it fails).
fn mounting_ready(test: &str, why_root: &str) -> bool {
    if !common::root_or_skip(test, why_root) {
        return false;
    }
    if std::process::Command::new("unshare")
        .arg("--version")
        .output()
        .is_err()
    {
        common::skip(test, "unshare (util-linux) is missing");
        return false;
    }
    true
}

/// socklab (in English, without colour) with `args`, in a mount namespace
/// of its own where the shell commands `mounts` ran first (as root).
fn socklab_after_mounting(mounts: &str, args: &[&str]) -> std::process::Output {
    let mut cmd = std::process::Command::new("unshare");
    common::in_english(&mut cmd);
    cmd.args(["-m", "sh", "-c", &format!("{mounts} && exec \"$@\""), "sh"])
        .args([env!("CARGO_BIN_EXE_socklab"), "--color", "never"])
        .args(args)
        .output()
        .expect("unshare runs")
}

/// A read-only /proc/sys (as in many containers): the sandbox cannot have
/// a socket table of its own, and a loopback lesson runs all the same.
#[test]
fn a_read_only_proc_sys_still_runs_a_lesson() {
    let test = "a_read_only_proc_sys_still_runs_a_lesson";
    if !mounting_ready(test, "mounting over /proc/sys needs root") {
        return;
    }
    // The last command checks that the setting really cannot be written.
    let output = socklab_after_mounting(
        "mount --bind /proc/sys /proc/sys && mount -o remount,bind,ro /proc/sys \
         && ! sh -c 'echo 4096 > /proc/sys/net/ipv4/tcp_child_ehash_entries' 2>/dev/null",
        &["run", "tcp-handshake", "--auto"],
    );
    let (out, err) = (stdout(&output), stderr(&output));
    assert_eq!(output.status.code(), Some(0), "{err}");
    assert!(err.is_empty(), "{err}");
    assert!(out.contains("Lesson complete"), "{out}");
}

/// A learner who reads Chinese meets socklab's errors in Chinese: the
/// sentence is the catalogue's, the file name and the system's own words
/// are as they are, and the exit status is the same as in English.
#[test]
fn errors_speak_the_learners_language() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.pcap");
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "hello, this is not a capture\n").unwrap();
    // A classic pcap (little-endian, version 2.4, Ethernet): one frame of
    // 10 bytes, too short for an Ethernet header, then a record that says
    // 100 bytes and holds 20.
    let cut = dir.path().join("cut.pcap");
    let mut bytes = Vec::new();
    for field in [0xa1b2_c3d4u32, 0x0004_0002, 0, 0, 65535, 1] {
        bytes.extend(field.to_le_bytes());
    }
    for field in [0u32, 0, 10, 10] {
        bytes.extend(field.to_le_bytes());
    }
    bytes.extend([0u8; 10]);
    for field in [0u32, 0, 100, 100] {
        bytes.extend(field.to_le_bytes());
    }
    bytes.extend([1u8; 20]);
    std::fs::write(&cut, bytes).unwrap();
    let zh = |args: &[&std::ffi::OsStr]| {
        socklab()
            .args(["--lang", "zh", "--color", "never"])
            .args(args)
            .output()
            .unwrap()
    };
    let (missing_name, text_name) = (missing.display(), text.display());
    for (args, status, says) in [
        (
            vec!["replay".as_ref(), missing.as_os_str()],
            2,
            format!("socklab: 无法读取 {missing_name}："),
        ),
        (
            vec!["replay".as_ref(), text.as_os_str()],
            2,
            format!(
                "socklab: {text_name} 不是 socklab 能读取的抓包文件（pcap 或 pcapng）：\
                 它开头的几个字节既不是 pcap 文件头，也不是 pcapng 文件头\n"
            ),
        ),
        (
            vec!["show".as_ref(), text.as_os_str()],
            2,
            format!("socklab: {text_name} 不是 socklab 的录制文件"),
        ),
        (
            vec![
                "exercise".as_ref(),
                "check".as_ref(),
                "echo-servr".as_ref(),
                "--".as_ref(),
                "true".as_ref(),
            ],
            2,
            "socklab: 没有名为 `echo-servr` 的练习；你是不是想找 `echo-server`？".to_string(),
        ),
        (
            vec!["replay".as_ref(), cut.as_os_str()],
            0,
            format!(
                "socklab: {}：第 2 帧：文件在这一帧的中间结束了：它被截断了；\
                 在它之前的 1 帧已经重放\n",
                cut.display()
            ),
        ),
    ] {
        let output = zh(&args);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(status), "{args:?}: {err}");
        assert!(err.contains(&says), "{args:?}: {err}");
    }
    // The malformed frame's reason is Chinese too, its header's name the
    // protocol's.
    let output = zh(&["replay".as_ref(), cut.as_os_str()]);
    assert!(
        stdout(&output)
            .contains("第 1 帧格式错误：Ethernet 头部被截断：它需要 14 字节，帧中只剩 10 字节"),
        "{}",
        stdout(&output)
    );
}

/// `--lang zh` gives the help in Chinese, for every command: its
/// description, and each option and command listed (the names themselves
/// stay as they are typed). Without it, the help is the English one.
#[test]
fn the_help_speaks_chinese() {
    let commands: [&[&str]; 15] = [
        &[],
        &["list"],
        &["replay"],
        &["watch"],
        &["show"],
        &["glossary"],
        &["states"],
        &["schema"],
        &["check"],
        &["exercise"],
        &["exercise", "list"],
        &["exercise", "show"],
        &["exercise", "start"],
        &["exercise", "check"],
        &["run"],
    ];
    for command in commands {
        let output = socklab()
            .args(["--lang", "zh"])
            .args(command)
            .arg("-h")
            .output()
            .unwrap();
        assert!(output.status.success(), "{command:?}: {}", stderr(&output));
        let help = stdout(&output);
        let first = help.lines().next().unwrap_or_default();
        assert!(has_chinese(first), "{command:?}: {first}");
        assert!(help.contains("用法：socklab"), "{command:?}:\n{help}");
        // Every entry of a list: a command, an argument or an option (its
        // name at most 6 columns in; the lines its text goes on to start
        // further in, under the text).
        let leading = |l: &str| l.len() - l.trim_start_matches(' ').len();
        for line in help.lines().filter(|l| (2..=6).contains(&leading(l))) {
            assert!(has_chinese(line), "{command:?}: not in Chinese: {line}");
        }
        // Fitted to the page (80 columns, as standard output is not a
        // terminal), where clap would leave each piece on one long line.
        for line in help.lines() {
            let width = textwrap::core::display_width(line);
            assert!(width <= 80, "{command:?}: {width} columns: {line}");
        }
    }
    let english = socklab()
        .args(["--lang", "en", "run", "-h"])
        .output()
        .unwrap();
    let help = stdout(&english);
    assert!(
        help.starts_with("Run a lesson: real sockets, real packets, explained step by step"),
        "{help}"
    );
    assert!(help.contains("Usage: socklab run"), "{help}");
}

/// The full Chinese help lists the values of `--theme` and `--code` with
/// each one's sentence, translated, as clap's English does ("Possible
/// values:"); the values stay as they are typed, and a sentence too long
/// for the page goes on under its value. The summary (`-h`) only names
/// them, as clap's does.
#[test]
fn the_chinese_full_help_explains_each_value() {
    for width in ["80", "60"] {
        let output = socklab()
            .args(["--lang", "zh", "--width", width, "run", "--help"])
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        let help = stdout(&output);
        let lines: Vec<&str> = help.lines().collect();
        let at = |start: &str| {
            lines
                .iter()
                .position(|l| l.trim_start().starts_with(start))
                .unwrap_or_else(|| panic!("{width}: no line starting {start:?}:\n{help}"))
        };
        assert_eq!(
            lines[at("- dark：")].trim(),
            "- dark：    深色背景上的浅色文字"
        );
        assert!(
            lines[at("- contrast：")].contains("- contrast：适合把颜色冲淡的投影仪"),
            "{help}"
        );
        assert!(
            lines[at("- light：")].contains("- light：   浅色背景"),
            "{help}"
        );
        // The list under its heading, after the option's help.
        assert!(at("--theme") < at("可选值：") && at("可选值：") < at("- dark："));
        // At 60 columns `light`'s sentence goes on under the value.
        let light = at("- light：");
        if width == "60" {
            let indent = lines[light].find('-').unwrap() + 2;
            let next = lines[light + 1];
            assert!(next.starts_with(&" ".repeat(indent)), "{help}");
            assert!(!next[indent..].starts_with(' '), "{help}");
        }
        assert!(
            lines[at("- python：")].contains("Python 的 `socket` 模块"),
            "{help}"
        );
        assert!(lines[at("- rust：")].contains("socket2"), "{help}");
        // The default stays in the sentence; the values are not named again.
        assert!(
            help.contains("用这种语言显示每个调用（默认：python）\n"),
            "{help}"
        );
        assert!(!help.contains("可选值：dark"), "{help}");
        for line in &lines {
            assert!(textwrap::core::display_width(line) <= width.parse().unwrap());
        }
    }
    let summary = socklab()
        .args(["--lang", "zh", "run", "-h"])
        .output()
        .unwrap();
    let summary = stdout(&summary);
    assert!(!summary.contains("- dark："), "{summary}");
    assert!(
        summary.contains("（默认：python；可选值：python、"),
        "{summary}"
    );
}

/// A mistake on the command line (an unknown option, a value that is not
/// one of the choices, a misspelt command) is told in Chinese too, with
/// clap's tips and usage line, and exits 2 as in English. Every line of it
/// is Chinese but the usage line and the learner's own words.
#[test]
fn command_line_mistakes_are_told_in_chinese() {
    let mistakes: [(&[&str], &[&str]); 8] = [
        (
            &["run", "--bogus"],
            &[
                "错误：不认识的参数 '--bogus'",
                "提示：要把 '--bogus' 当作一个值，写成 '-- --bogus'",
            ],
        ),
        (
            &["run", "tcp-handshake", "--all-packet"],
            &[
                "不认识的参数 '--all-packet'",
                "提示：有个相近的参数：'--all-packets'",
            ],
        ),
        (
            &["runn"],
            &["没有 'runn' 这个命令", "提示：有个相近的命令：'run'"],
        ),
        (
            &["replay", "--format", "jsn", "x.pcap"],
            &[
                "'jsn' 不是 '--format <FORMAT>' 可以取的值",
                "可选值：ladder、lines、json",
                "有个相近的值：'json'",
            ],
        ),
        (
            &["run", "tcp-handshake", "--width", "20"],
            &["'20' 不是 '--width <N>' 可以取的值：宽度应当在 60 到 1000 列之间"],
        ),
        (
            &["run", "--all", "tcp-handshake"],
            &["参数 '--all' 不能和 '[LESSON]' 一起用"],
        ),
        (&["show"], &["缺少必须给出的参数：<FILE>"]),
        (
            &["run", "--width"],
            &["'--width <N>' 需要一个值，但没有给出"],
        ),
    ];
    for (args, said) in mistakes {
        let output = socklab()
            .args(["--lang", "zh"])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let err = stderr(&output);
        for words in said {
            assert!(err.contains(words), "{args:?}: no {words:?} in\n{err}");
        }
        assert!(
            err.ends_with("想了解更多，请用 '--help'。\n"),
            "{args:?}:\n{err}"
        );
        for line in err.lines().filter(|l| !l.trim().is_empty()) {
            assert!(
                has_chinese(line) || line.starts_with("用法：socklab"),
                "{args:?}: not in Chinese: {line}\n{err}"
            );
        }
        assert!(stdout(&output).is_empty(), "{args:?}");
    }
    // In English, clap's own words, and socklab's for --width.
    let output = socklab().args(["run", "--bogus"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).starts_with("error: unexpected argument '--bogus' found"));
    let output = socklab()
        .args(["run", "tcp-handshake", "--width", "20"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with(
            "error: invalid value '20' for '--width <N>': a width must be from 60 to 1000 columns"
        ),
        "{}",
        stderr(&output)
    );
}
