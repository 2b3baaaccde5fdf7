//! Interactive mode, on a real pseudo-terminal (util-linux `script` provides
//! one): Enter reveals the next thing, `q` quits cleanly, questions are
//! answered by number and scored.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

/// Runs `socklab ARGS` on a pseudo-terminal with `keys` typed, returning
/// the exit status and what the terminal showed.
fn on_terminal(args: &str, keys: &str) -> Option<(Option<i32>, String)> {
    typed_on_terminal(args, &[keys], Duration::ZERO)
}

/// Runs `socklab ARGS` on a pseudo-terminal (util-linux `script` provides
/// one), typing each of `chunks` after `pause`: a learner who takes their
/// time. Returns the exit status and what the terminal showed.
fn typed_on_terminal(
    args: &str,
    chunks: &[&str],
    pause: Duration,
) -> Option<(Option<i32>, String)> {
    let available = Command::new("script").arg("--version").output().is_ok();
    if !available {
        common::skip("interactive tests", "`script` (util-linux) is not installed");
        return None;
    }
    let command = format!("{} --color never {args}", env!("CARGO_BIN_EXE_socklab"));
    let mut child = Command::new("timeout")
        .args(["40", "script", "-q", "-e", "-c", &command, "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    for chunk in chunks {
        std::thread::sleep(pause);
        if stdin.write_all(chunk.as_bytes()).is_err() {
            break;
        }
    }
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    Some((
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    ))
}

/// `--hold` on the lab wire: each packet waits for Enter while the
/// kernels' view is shown, and a learner slower than a step's 3 s wait
/// loses nothing (the time spent reading does not count against it).
#[test]
fn hold_mode_waits_for_the_learner() {
    let mut lines = vec!["\n"; 9];
    lines.push("q\n");
    let pause = Duration::from_millis(1000);
    let Some((status, screen)) = typed_on_terminal("run tcp-retransmission --hold", &lines, pause)
    else {
        return;
    };
    assert_eq!(status, Some(0), "{screen}");
    for shown in [
        "⏸ held on the wire: client → server, SYN. server has not received it.",
        "client  SYN_SENT",
        "(client's, half-open, in server's SYN queue)  SYN_RECV",
        "[Enter] let it go",
        "handshake ①",
    ] {
        assert!(screen.contains(shown), "`{shown}` missing from:\n{screen}");
    }
    assert!(!screen.contains("did not come"), "{screen}");
}

/// `q` and Enter at a prompt ends the run at once, with status 0.
#[test]
fn q_quits_cleanly() {
    let Some((status, screen)) = on_terminal("run tcp-handshake", "\n\nq\n") else {
        return;
    };
    assert_eq!(status, Some(0), "{screen}");
    assert!(screen.contains("Step 2 of 3"), "{screen}");
    assert!(!screen.contains("Lesson complete"), "{screen}");
}

/// The question of tcp-handshake answered by number: a wrong answer asks
/// again only if it is not a choice; the right one is praised and scored.
#[test]
fn questions_are_answered_and_scored() {
    let keys = format!("\n\n7\n3\n{}", "\n".repeat(12));
    let Some((status, screen)) = on_terminal("run tcp-handshake", &keys) else {
        return;
    };
    assert_eq!(status, Some(0), "{screen}");
    assert!(
        screen.contains("Please type a number from 1 to 4"),
        "{screen}"
    );
    assert!(screen.contains("✓ Right."), "{screen}");
    assert!(screen.contains("Questions: 1 of 1 right."), "{screen}");
    // Interactive mode shows the packets one at a time, each after Enter.
    assert!(
        screen.matches("[Enter] next packet").count() >= 3,
        "{screen}"
    );
}

/// Lines typed in tcp-chat are what goes on the wire.
#[test]
fn chat_lines_are_typed_by_the_learner() {
    let keys = format!(
        "\n\n\n\n\nhi there\n{}byebye\n{}",
        "\n".repeat(4),
        "\n".repeat(12)
    );
    let Some((status, screen)) = on_terminal("run tcp-chat", &keys) else {
        return;
    };
    assert_eq!(status, Some(0), "{screen}");
    assert!(
        screen.contains("client.sendall(\"hi there\".encode(\"utf-8\"))"),
        "{screen}"
    );
    assert!(screen.contains("b'server got: hi there'"), "{screen}");
    assert!(
        !screen.contains("how are you?"),
        "the lesson's own lines are not used: {screen}"
    );
}
