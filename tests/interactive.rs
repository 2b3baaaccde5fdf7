//! Interactive mode, on a real pseudo-terminal (util-linux `script` provides
//! one): Enter reveals the next thing, `q` quits cleanly, questions are
//! answered by number and scored.

use std::io::Write;
use std::process::{Command, Stdio};

/// Runs `socklab ARGS` on a pseudo-terminal with `keys` typed, returning
/// the exit status and what the terminal showed.
fn on_terminal(args: &str, keys: &str) -> Option<(Option<i32>, String)> {
    let available = Command::new("script").arg("--version").output().is_ok();
    if !available {
        assert!(
            std::env::var_os("CI").is_none(),
            "`script` (util-linux) is needed"
        );
        eprintln!("`script` is not installed: skipping");
        return None;
    }
    let command = format!("{} --color never {args}", env!("CARGO_BIN_EXE_socklab"));
    let mut child = Command::new("timeout")
        .args(["20", "script", "-q", "-e", "-c", &command, "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(keys.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    Some((
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    ))
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
