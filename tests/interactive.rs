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
        common::skip(
            "interactive tests",
            "`script` (util-linux) is not installed",
        );
        return None;
    }
    let command = format!("{} --color never {args}", env!("CARGO_BIN_EXE_socklab"));
    let mut child = common::in_english(&mut Command::new("timeout"))
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

/// A learner at a pseudo-terminal: reads what socklab shows and, at each
/// prompt, thinks for `think(prompt line)` before pressing Enter (a
/// question is answered with 1). Returns the exit status and the screen.
/// Bounded: the run is killed after `limit`.
fn learner_on_terminal(
    args: &str,
    think: impl Fn(&str) -> Duration,
    limit: Duration,
) -> Option<(Option<i32>, String)> {
    keys_on_terminal(
        args,
        |prompt, _| {
            let key = if prompt.starts_with("Your answer") {
                "1"
            } else {
                "\n"
            };
            (think(prompt), key.to_string())
        },
        limit,
    )
}

/// A learner at a pseudo-terminal who answers the `n`th prompt (from 0)
/// with `respond(prompt line, n)`: after how long, and which keys.
fn keys_on_terminal(
    args: &str,
    mut respond: impl FnMut(&str, usize) -> (Duration, String),
    limit: Duration,
) -> Option<(Option<i32>, String)> {
    use std::io::Read;
    use std::sync::{Arc, Mutex};
    use std::time::Instant;
    if Command::new("script").arg("--version").output().is_err() {
        common::skip(
            "interactive tests",
            "`script` (util-linux) is not installed",
        );
        return None;
    }
    let command = format!("{} --color never {args}", env!("CARGO_BIN_EXE_socklab"));
    let mut child = common::in_english(&mut Command::new("script"))
        .args(["-q", "-e", "-c", &command, "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let screen = Arc::new(Mutex::new(Vec::new()));
    let reader = {
        let screen = screen.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stdout.read(&mut buf) {
                if n == 0 {
                    break;
                }
                screen.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        })
    };
    let started = Instant::now();
    let mut answered = 0;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code();
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        let text = String::from_utf8_lossy(&screen.lock().unwrap()).into_owned();
        let prompts: Vec<(usize, &str)> = text
            .match_indices("[Enter]")
            .chain(text.match_indices("Your answer"))
            .collect();
        if prompts.len() > answered {
            let (at, _) = *prompts.iter().max_by_key(|(at, _)| *at).unwrap();
            let line = text[at..].lines().next().unwrap_or_default();
            let (wait, keys) = respond(line, answered);
            std::thread::sleep(wait);
            let _ = stdin.write_all(keys.as_bytes());
            answered = prompts.len();
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    drop(stdin);
    reader.join().unwrap();
    let screen = String::from_utf8_lossy(&screen.lock().unwrap()).into_owned();
    Some((status, screen))
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
        "(in server's SYN queue)  SYN_RECV",
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
/// It is asked as step 2 starts, before its code runs.
#[test]
fn questions_are_answered_and_scored() {
    let keys = format!("\n7\n3\n{}", "\n".repeat(12));
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
    // Asked before the code that answers it runs.
    let asked = screen.find("Which flags").expect("the question");
    let connected = screen.find("client.connect(").expect("the code");
    assert!(asked < connected, "{screen}");
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

/// A learner who thinks longer than a retransmission timeout at every
/// packet held on the wire (2.5 s, where a SYN's first timeout is 1 s):
/// the lesson tells the same story as at full speed. The lesson's fault
/// hits step 2's SYN, never a copy the client's kernel sent in step 1; the
/// copies are named as what they are; nothing claims that a segment is
/// missing during a handshake; the run ends well.
#[test]
fn a_slow_learner_gets_the_same_story() {
    let think = |prompt: &str| {
        if prompt.contains("let it go") {
            Duration::from_millis(2500)
        } else {
            Duration::ZERO
        }
    };
    let Some((status, screen)) =
        learner_on_terminal("run tcp-handshake-held", think, Duration::from_secs(150))
    else {
        return;
    };
    assert_eq!(status, Some(0), "{screen}");
    assert!(screen.contains("Lesson complete"), "{screen}");
    let step_1 = &screen[..screen.find("Step 2 of").expect("step 2 is reached")];
    assert!(!step_1.contains("delayed on the wire"), "{step_1}");
    // The copies the kernels sent while the learner read are named, and go
    // with the frame they copy instead of each asking for Enter.
    assert!(
        screen.contains("A copy: client's kernel sent it"),
        "{screen}"
    );
    assert!(screen.contains("Let go, with "), "{screen}");
    // Step 2 still shows what it is about: the late first SYN, answered
    // by a challenge ACK.
    let step_2 = &screen[screen.find("Step 2 of").unwrap()..screen.find("Step 3 of").unwrap()];
    assert!(
        step_2.contains("⏱ delayed on the wire by 1500 ms"),
        "{step_2}"
    );
    assert!(step_2.contains("challenge ACK: server's"), "{step_2}");
    assert!(!screen.contains("a segment is missing"), "{screen}");
    assert!(!screen.contains("did not come"), "{screen}");
}

/// Back and forth in an interactive run of tcp-close: three packets back,
/// then three forward, redraws the very lines shown the first time; a step
/// is jumped to and repeated; nothing is run again (the capture holds as
/// many frames as a run straight through).
#[test]
fn going_back_redraws_what_was_shown_and_runs_nothing_again() {
    let dir = tempfile::tempdir().unwrap();
    let straight = dir.path().join("straight.pcap");
    let auto = common::socklab()
        .args(["--color", "never", "run", "tcp-close", "--auto", "--pcap"])
        .arg(&straight)
        .output()
        .unwrap();
    assert!(auto.status.success());
    let stepped = dir.path().join("stepped.pcap");
    let args = format!("run tcp-close --pcap {}", stepped.display());
    // Prompt by prompt: the first eleven go on (the eleventh, step 4's
    // question, is answered), then back three and forward three, then to
    // step 2 and the same step again, then on to the end.
    let script = |prompt: &str, n: usize| {
        let keys = match n {
            _ if prompt.starts_with("Your answer") => "1",
            11..=13 => "b",
            14..=16 => "n",
            17 => "2g",
            18 => "r",
            _ => "\n",
        };
        (Duration::ZERO, keys.to_string())
    };
    let Some((status, screen)) = keys_on_terminal(&args, script, Duration::from_secs(60)) else {
        return;
    };
    assert_eq!(status, Some(0), "{screen}");
    assert!(screen.contains("Lesson complete"), "{screen}");
    // Each step back cleared the screen and drew the step again.
    assert!(screen.matches("\x1b[2J").count() >= 5, "{screen}");
    // What one redraw shows is what was shown before: every line of the
    // screen after the first redraw, up to its prompt, was on screen
    // before it.
    let escapes = regex::Regex::new("\x1b\\[[0-9;]*[A-Za-z]").unwrap();
    let plain = |s: &str| -> Vec<String> {
        escapes
            .replace_all(s, "")
            .split(['\r', '\n'])
            .map(|l| l.trim_end().to_string())
            .filter(|l| !l.is_empty() && !l.contains("[Enter]"))
            .collect()
    };
    let first_redraw = screen.find("\x1b[2J").unwrap();
    let before = plain(&screen[..first_redraw]);
    let redrawn_end = screen[first_redraw..].find("[Enter]").unwrap() + first_redraw;
    let redrawn = plain(&screen[first_redraw..redrawn_end]);
    assert!(!redrawn.is_empty());
    for line in &redrawn {
        assert!(
            before.contains(line),
            "`{line}` was not shown before:\n{screen}"
        );
    }
    // Nothing was sent again.
    let frames = |path: &std::path::Path| std::fs::read(path).unwrap().len();
    assert!(frames(&stepped) > 24);
    let count = |path: &std::path::Path| {
        let text = common::socklab_ok(&["replay", "--format", "lines"], path);
        text.lines().count()
    };
    assert_eq!(count(&stepped), count(&straight));
}

/// A step that shows the congestion view takes its packets and readings in
/// as the wire carries them, and only then shows them at the learner's
/// pace: a learner who pauses at every packet, while the transfer goes on
/// at the wire's speed, sees the very readings `--auto` shows.
#[test]
fn a_slow_learner_sees_every_congestion_reading() {
    let readings = |screen: &str| -> Vec<String> {
        screen
            .lines()
            .map(|l| l.trim_end_matches('\r').trim().to_string())
            // CUBIC's readings by the clock differ from run to run anyway.
            // A reading's numbers, on its heading's line or under it.
            .filter(|l| l.contains(" · cwnd ") && !l.contains('◷'))
            .collect()
    };
    let auto = common::run_lesson("tcp-congestion", &[]);
    assert!(auto.status.success());
    let expected = readings(&common::stdout(&auto));
    assert!(expected.len() >= 20, "{expected:?}");
    let think = |_: &str| Duration::from_millis(30);
    let Some((status, screen)) =
        learner_on_terminal("run tcp-congestion", think, Duration::from_secs(150))
    else {
        return;
    };
    assert_eq!(status, Some(0), "{screen}");
    assert_eq!(readings(&screen), expected);
}
