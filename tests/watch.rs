//! `socklab watch`: programs socklab did not start, seen on the host's
//! loopback. The traffic here is this test's own, on 127.0.0.1 only.

mod common;

use std::net::TcpListener;
use std::process::Command;

use common::{echo_once, json_lines, watched};

#[test]
fn a_conversation_is_explained_and_summarised() {
    let why = "watch needs capture rights on the host's loopback (root)";
    if !common::root_or_skip("a_conversation_is_explained_and_summarised", why) {
        return;
    }
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let port_arg = port.to_string();
    let (status, screen) = watched(&["--seconds", "3", "--port", &port_arg], || {
        echo_once(port, listener)
    });
    assert_eq!(status, Some(0), "{screen}");
    for shown in [
        "handshake ①: client asks server to open a connection.",
        "client sends 5 bytes of data: bytes 1–5 of its stream.",
        "close ①: client sends FIN",
        "Watched 1 conversation:",
        " packets; 5 bytes from the client, 5 from the server; 0 resent; closed by both sides",
        // Other programs' sockets: socklab does not ask their kernel, and
        // says why.
        "The kernel's congestion window of these connections is not shown",
    ] {
        // The summary's lines are wrapped to the page.
        let flowing = screen.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flowing.contains(shown.trim()),
            "`{shown}` missing from:\n{screen}"
        );
    }
    // Only the chosen port: the ladder names it, and nothing else.
    assert!(screen.contains(&format!("127.0.0.1:{port}")), "{screen}");
}

#[test]
fn json_has_one_object_per_packet_and_per_conversation() {
    let why = "watch needs capture rights on the host's loopback (root)";
    if !common::root_or_skip("json_has_one_object_per_packet_and_per_conversation", why) {
        return;
    }
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let port_arg = port.to_string();
    let (status, out) = watched(
        &["--seconds", "3", "--port", &port_arg, "--format", "json"],
        || echo_once(port, listener),
    );
    assert_eq!(status, Some(0), "{out}");
    let events = json_lines(&out);
    let packets = events.iter().filter(|e| e["event"] == "packet").count();
    let conversations: Vec<_> = events
        .iter()
        .filter(|e| e["event"] == "conversation")
        .collect();
    assert_eq!(conversations.len(), 1, "{out}");
    assert_eq!(conversations[0]["packets"], packets, "{out}");
    assert_eq!(conversations[0]["bytes"][0], 5, "{out}");
    // No congestion readings of other programs' sockets, and why not.
    assert!(events.iter().all(|e| e["event"] != "congestion"), "{out}");
    let capture = events.iter().find(|e| e["event"] == "capture").unwrap();
    assert_eq!(capture["congestion_unread"], "not_socklabs", "{out}");
}

/// Without the right to capture: exit 2, and the two ways to get it.
#[test]
fn without_capture_rights_it_says_how_to_get_them() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let mut command = Command::new(env!("CARGO_BIN_EXE_socklab"));
    let mut binary_shown = env!("CARGO_BIN_EXE_socklab").to_string();
    let dir = tempfile::tempdir().unwrap();
    if common::is_root() {
        // The build folder may not be readable by others: copy the binary.
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let binary = dir.path().join("socklab");
        std::fs::copy(env!("CARGO_BIN_EXE_socklab"), &binary).unwrap();
        std::fs::set_permissions(&binary, std::fs::Permissions::from_mode(0o755)).unwrap();
        command = Command::new(&binary);
        binary_shown = binary.display().to_string();
        command.uid(65534).gid(65534).current_dir(dir.path());
    }
    let output = common::in_english(&mut command)
        .args(["watch", "--seconds", "1"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    for fix in ["sudo socklab watch", "sudo setcap cap_net_raw+ep"] {
        assert!(stderr.contains(fix), "{stderr}");
    }
    // setcap must name the file that runs, not `$(command -v socklab)`,
    // which is empty when socklab is not on PATH.
    assert!(
        stderr.contains(&format!("+ep '{binary_shown}'")),
        "{stderr}"
    );
}

/// A few echoed messages are shown in full, never folded into a summary
/// row, each with what it carried: a learner wants to see their own
/// exchange.
#[test]
fn a_short_echo_is_shown_in_full() {
    use std::io::{Read, Write};
    let why = "watch needs capture rights on the host's loopback (root)";
    if !common::root_or_skip("a_short_echo_is_shown_in_full", why) {
        return;
    }
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let port_arg = port.to_string();
    let (status, screen) = watched(&["--seconds", "3", "--port", &port_arg], move || {
        let server = std::thread::spawn(move || {
            let (mut conn, _) = listener.accept().unwrap();
            let mut buf = [0; 64];
            loop {
                let n = conn.read(&mut buf).unwrap();
                if n == 0 {
                    break;
                }
                conn.write_all(&buf[..n]).unwrap();
            }
        });
        let mut client = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        for message in [&b"one"[..], b"two", b"three"] {
            client.write_all(message).unwrap();
            let mut back = vec![0; message.len()];
            client.read_exact(&mut back).unwrap();
            // As a person types: each segment gets its own delayed ACK
            // (40 ms at least on Linux), so the run is 12 packets long.
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        drop(client);
        server.join().unwrap();
    });
    assert_eq!(status, Some(0), "{screen}");
    assert!(!screen.contains("summarised"), "{screen}");
    assert_eq!(
        screen.lines().filter(|l| l.contains(" PSH,ACK ")).count(),
        6,
        "each message and its echo, in full:\n{screen}"
    );
    // And what each carried, as the learner typed it: the message and its
    // echo.
    for message in ["one", "two", "three"] {
        assert_eq!(
            screen
                .lines()
                .filter(|l| l.trim() == format!("data: \"{message}\""))
                .count(),
            2,
            "{message}, sent and echoed:\n{screen}"
        );
    }
}
