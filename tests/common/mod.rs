//! Shared helpers: run the built `socklab` binary and redact what really
//! varies between runs (ephemeral ports, initial sequence numbers, times).
#![allow(dead_code)] // each test file uses its own subset

use std::process::{Command, Output};
use std::sync::LazyLock;

use regex::Regex;

/// Every built-in lesson; `tests/lessons.rs` checks this against `socklab list`.
pub const LESSONS: [&str; 22] = [
    "tcp-handshake-held",
    "tcp-retransmission",
    "udp-unreliable",
    "tcp-fast-retransmit",
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

pub fn socklab() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_socklab"));
    cmd.env_remove("NO_COLOR");
    cmd
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

static EPHEMERAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(\d+\.\d+\.\d+\.\d+:|'\d+\.\d+\.\d+\.\d+', |\[[0-9a-f:]+\]:|'[0-9a-f:]+', )(\d{5})\b",
    )
    .unwrap()
});
static ISN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(ISN )(\d+)").unwrap());
/// time.ctime(), as the time server sends it: 24 characters.
static CTIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}").unwrap()
});
/// The span of a summary row ("over 0.412 ms, …").
static SPAN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"over \d+\.\d{3} ms,").unwrap());
static TIME: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?m)^ *\d+\.\d{3}  ").unwrap());

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
    TIME.replace_all(&text, "  [time]  ").into_owned()
}

pub fn is_root() -> bool {
    // SAFETY: geteuid cannot fail.
    unsafe { libc::geteuid() == 0 }
}
