//! Shared helpers: run the built `socklab` binary and redact what really
//! varies between runs (ephemeral ports, initial sequence numbers, times).
#![allow(dead_code)] // each test file uses its own subset

use std::process::{Command, Output};
use std::sync::LazyLock;

use regex::Regex;

/// Every built-in lesson; `tests/lessons.rs` checks this against `socklab list`.
pub const LESSONS: [&str; 25] = [
    "checksum",
    "udp-multicast",
    "tcp-handshake-held",
    "tcp-retransmission",
    "udp-unreliable",
    "tcp-fast-retransmit",
    "tcp-congestion",
    "tcp-duplicates",
    "tcp-segmentation",
    "udp-broadcast-lan",
    "tcp-file-download",
    "tcp-flow-control",
    "udp-broadcast",
    "tcp-chat",
    "tcp-multi-client",
    "udp-echo-time",
    "tcp-handshake",
    "tcp-echo",
    "tcp-close",
    "udp-datagram",
    "udp-bind",
    "tcp-stream-boundaries",
    "udp-boundaries",
    "tcp-refused",
    "tcp-time-wait",
];

/// The lessons that also run over IPv6 with `--ipv6` (on the loopback,
/// ::1, or with IPv6 hosts on the lab wire: `checksum`); `tests/lessons.rs` checks that every other one refuses, or runs
/// its IPv6 counterpart.
pub const IPV6_LESSONS: [&str; 14] = [
    "tcp-handshake",
    "tcp-echo",
    "tcp-close",
    "udp-datagram",
    "udp-bind",
    "tcp-stream-boundaries",
    "udp-boundaries",
    "udp-echo-time",
    "tcp-chat",
    "tcp-multi-client",
    "tcp-file-download",
    "tcp-refused",
    "tcp-time-wait",
    "checksum",
];

pub fn socklab() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_socklab"));
    cmd.env_remove("NO_COLOR");
    in_english(&mut cmd);
    cmd
}

/// The snapshots are in English whatever the locale of the machine that
/// runs the tests (socklab speaks the locale's language by default).
pub fn in_english(cmd: &mut Command) -> &mut Command {
    cmd.env_remove("LANGUAGE")
        .env_remove("LC_MESSAGES")
        .env("LC_ALL", "C.UTF-8")
}

/// Runs a lesson as the tests do: no pauses, no colour.
pub fn run_lesson(id: &str, extra: &[&str]) -> Output {
    socklab()
        .args(["--color", "never", "run", id, "--auto"])
        .args(extra)
        .output()
        .expect("the socklab binary runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("output is UTF-8")
}

/// Whether `text` has a Chinese character (CJK Unified Ideographs): a line
/// said in Chinese, not left in English.
pub fn has_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// What the run wrote to standard error (lossy: a program's bytes may be
/// any).
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs socklab with `args` and then `file`, requires it to succeed, and
/// returns what it printed.
pub fn socklab_ok(args: &[&str], file: &std::path::Path) -> String {
    let output = socklab()
        .args(args)
        .arg(file)
        .output()
        .expect("the socklab binary runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout(&output)
}

/// Each line of `text` as a JSON value (`--format json`).
pub fn json_lines(text: &str) -> Vec<serde_json::Value> {
    text.lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

/// Starts `socklab watch ARGS` on the host's loopback, waits until it
/// listens (its first line), runs `traffic`, and returns its status and
/// everything it printed once it stopped (give `--seconds`).
pub fn watched(args: &[&str], traffic: impl FnOnce()) -> (Option<i32>, String) {
    use std::io::{BufRead, BufReader, Read};
    let mut child = socklab()
        .args(["--color", "never", "watch"])
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    out.read_line(&mut first).unwrap();
    traffic();
    let mut rest = String::new();
    out.read_to_string(&mut rest).unwrap();
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    (status.code(), format!("{first}{rest}{stderr}"))
}

static EPHEMERAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(\d+\.\d+\.\d+\.\d+:|'\d+\.\d+\.\d+\.\d+', |\[[0-9a-f:]+\]:|'[0-9a-f:]+', )(\d{5})\b",
    )
    .unwrap()
});
/// `ISN 3054316524`, in Chinese `实际 ISN：3054316524` (a full-width colon).
static ISN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(ISN[ ：])(\d+)").unwrap());
/// time.ctime(), as the time server sends it: 24 characters.
static CTIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}").unwrap()
});
/// The span of a summary row ("over 0.412 ms, …"; in Chinese "历时 0.412 毫秒").
static SPAN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"over \d+\.\d{3} ms,").unwrap());
static SPAN_ZH: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"历时 \d+\.\d{3} 毫秒").unwrap());
static TIME: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?m)^ *\d+\.\d{3}  ").unwrap());
/// A chart's bars right of its `┆`: CUBIC's readings that depend on the
/// kernel's clock (not the legend's "Right of ┆: …").
static CLOCK_BARS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)[┆┴](?:[^:：\n].*)?$").unwrap());

/// What depends on the kernel's clock, and so differs between two runs of
/// the same lesson: CUBIC's window after a loss (RFC 9438 §4.2), whose
/// readings are marked ◷. Everything from the first line that says ◷ to the
/// last (the readings, and the packets between them: how many segments a
/// round trip carries follows the window) is one line in the snapshot.
fn redact_clock(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let (Some(first), Some(last)) = (
        lines.iter().position(|l| l.contains('◷')),
        lines.iter().rposition(|l| l.contains('◷')),
    ) else {
        return text.to_string();
    };
    let mut kept: Vec<&str> = lines[..first].to_vec();
    kept.push("[◷ from here to the last ◷: CUBIC by the kernel's clock]");
    kept.extend(&lines[last + 1..]);
    let mut text = kept.join("\n");
    text.push('\n');
    CLOCK_BARS.replace_all(&text, "┆[clock]").into_owned()
}

/// Replaces only what differs between two runs of the same lesson. Ports
/// are replaced by a same-width marker so that columns stay aligned.
pub fn redact(text: &str) -> String {
    let text = EPHEMERAL.replace_all(text, |c: &regex::Captures| {
        let port: u32 = c[2].parse().unwrap();
        // Linux's default ephemeral range is 32768–60999; lesson ports are
        // fixed and lower.
        if (32768..=60999).contains(&port) {
            format!("{}[eph]", &c[1])
        } else {
            c[0].to_string()
        }
    });
    let text = ISN.replace_all(&text, "${1}[isn]");
    let text = CTIME.replace_all(&text, "[ctime: 24 characters ]");
    let text = SPAN.replace_all(&text, "over [span] ms,");
    let text = SPAN_ZH.replace_all(&text, "历时 [span] 毫秒");
    let text = TIME.replace_all(&text, "  [time]  ");
    redact_clock(&text)
}

pub fn is_root() -> bool {
    // SAFETY: geteuid cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// Two ordinary programs on 127.0.0.1 (std sockets): a client and the
/// server behind `listener` exchange 5 bytes each way and close, the
/// client first.
pub fn echo_once(port: u16, listener: std::net::TcpListener) {
    use std::io::{Read, Write};
    let server = std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        let mut buf = [0; 5];
        conn.read_exact(&mut buf).unwrap();
        conn.write_all(&buf).unwrap();
        let mut rest = Vec::new();
        conn.read_to_end(&mut rest).unwrap();
    });
    let mut client = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    client.write_all(b"hello").unwrap();
    let mut buf = [0; 5];
    client.read_exact(&mut buf).unwrap();
    drop(client);
    server.join().unwrap();
}

/// Runs `socklab ARGS`, reads `lines` lines of its output, then closes the
/// pipe as `| head` does, and returns its exit status and what it wrote on
/// standard error. Bounded: a child still running after 60 s is killed
/// (and the test then fails on its status).
pub fn read_then_close(args: &[&str], lines: usize) -> (Option<i32>, String) {
    use std::io::{BufRead, BufReader, Read};
    let mut child = socklab()
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the socklab binary runs");
    let mut out = BufReader::new(child.stdout.take().unwrap());
    for _ in 0..lines {
        let mut line = String::new();
        if out.read_line(&mut line).unwrap_or(0) == 0 {
            break;
        }
    }
    drop(out);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            break child.wait().unwrap();
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    (status.code(), stderr)
}

/// A test that cannot run here says so. Under CI (`CI` set) that is a
/// failure: CI must run every test. Elsewhere the notice goes straight to
/// standard error, which `cargo test` does not capture, so it is seen.
pub fn skip(test: &str, reason: &str) {
    assert!(
        std::env::var_os("CI").is_none(),
        "{test} cannot run here, and CI must run it: {reason}"
    );
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {reason}");
}

/// True as root; otherwise [`skip`]s the test with `reason`.
pub fn root_or_skip(test: &str, reason: &str) -> bool {
    if is_root() {
        return true;
    }
    skip(test, reason);
    false
}

/// A child's output, line by line, on a channel (so that a test can wait
/// for a line with a bound). The channel closes at end of file.
pub fn lines_of(out: impl std::io::Read + Send + 'static) -> std::sync::mpsc::Receiver<String> {
    use std::io::BufRead;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(out).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}
