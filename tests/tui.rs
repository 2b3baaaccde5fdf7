//! The classroom view (`--tui`): frames of `show` on a recording of
//! tcp-close, drawn on ratatui's test backend at fixed sizes in English and
//! Chinese, as text; and the real thing on a pseudo-terminal, which must
//! leave the terminal as it found it.
//!
//! The recording (tests/fixtures/tcp-close.socklab) was made with
//! `socklab run tcp-close --auto --record tests/fixtures/tcp-close.socklab`;
//! its ports and numbers are fixed in the file, so the frames are too.

mod common;

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use socklab::event::Event;
use socklab::i18n::{Language, set_language};
use socklab::record::{Entry, read};
use socklab::render::classroom::{Options, Screen, Status, buffer_text, draw};
use socklab::render::code::Lang;

const RECORDING: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/tcp-close.socklab"
);

fn events() -> Vec<Event> {
    read(Path::new(RECORDING))
        .unwrap()
        .entries
        .into_iter()
        .filter_map(|e| match e {
            Entry::Event(event) => Some(*event),
            Entry::Wait(_) => None,
        })
        .collect()
}

/// The screen as the view shows it when packet `k` (from 1) has just come,
/// `width` by `height`, as text.
fn frame_at_packet(events: &[Event], k: usize, width: u16, height: u16) -> String {
    let end = events
        .iter()
        .enumerate()
        .filter(|(_, e)| matches!(e, Event::Packet(_)))
        .nth(k - 1)
        .map(|(i, _)| i + 1)
        .expect("the recording has that many packets");
    let screen = Screen::after(&events[..end]);
    let status = Status {
        packets: k,
        past: false,
        help: false,
        asking: None,
    };
    let options = Options {
        lang: Lang::Python,
        color: false,
    };
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| draw(frame, &screen, status, options))
        .unwrap();
    buffer_text(terminal.backend().buffer())
}

/// One test for every frame: the language is the process's, so the
/// English and the Chinese frames are drawn one after the other.
#[test]
fn frames_of_tcp_close() {
    let events = events();
    set_language(Language::English);
    // The handshake's SYN: the client leaves CLOSED, the server LISTEN.
    insta::assert_snapshot!("en_100x30_syn", frame_at_packet(&events, 1, 100, 30));
    // The client's FIN (step 4).
    insta::assert_snapshot!("en_100x30_client_fin", frame_at_packet(&events, 8, 100, 30));
    // The server's FIN: the client reaches TIME-WAIT.
    insta::assert_snapshot!("en_100x30_time_wait", frame_at_packet(&events, 10, 100, 30));
    // The three-packet close: a FIN that acknowledges the client's FIN.
    insta::assert_snapshot!(
        "en_100x30_merged_fin",
        frame_at_packet(&events, 18, 100, 30)
    );
    insta::assert_snapshot!("en_80x24_client_fin", frame_at_packet(&events, 8, 80, 24));
    set_language(Language::Chinese);
    insta::assert_snapshot!("zh_100x30_client_fin", frame_at_packet(&events, 8, 100, 30));
    insta::assert_snapshot!("zh_80x24_client_fin", frame_at_packet(&events, 8, 80, 24));
    set_language(Language::English);
}

/// Without a terminal `--tui` is refused with a sentence, status 2.
#[test]
fn without_a_terminal_tui_is_refused() {
    let output = common::in_english(&mut Command::new(env!("CARGO_BIN_EXE_socklab")))
        .args(["show", RECORDING, "--tui"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("needs a terminal"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(output.stdout.is_empty());
}

/// What a terminal shows, from the bytes written to it: enough of one
/// (printing, cursor moves, erasing) to read ratatui's frames, which
/// write only the cells that changed.
struct Vt {
    rows: Vec<Vec<char>>,
    x: usize,
    y: usize,
}

impl Vt {
    fn new(width: usize, height: usize) -> Vt {
        Vt {
            rows: vec![vec![' '; width]; height],
            x: 0,
            y: 0,
        }
    }

    fn text(&self) -> String {
        let lines: Vec<String> = self
            .rows
            .iter()
            .map(|r| r.iter().collect::<String>().trim_end().to_string())
            .collect();
        lines.join("\n")
    }
}

impl vte::Perform for Vt {
    fn print(&mut self, c: char) {
        if let Some(cell) = self.rows.get_mut(self.y).and_then(|r| r.get_mut(self.x)) {
            *cell = c;
        }
        self.x += 1;
    }

    fn execute(&mut self, byte: u8) {
        match byte {
            b'\r' => self.x = 0,
            b'\n' => self.y += 1,
            8 => self.x = self.x.saturating_sub(1),
            _ => {}
        }
    }

    fn csi_dispatch(&mut self, params: &vte::Params, _: &[u8], _: bool, action: char) {
        let p: Vec<usize> = params.iter().map(|p| p[0] as usize).collect();
        let n = p.first().copied().unwrap_or(0).max(1);
        match action {
            'H' | 'f' => {
                self.y = p.first().copied().unwrap_or(1).max(1) - 1;
                self.x = p.get(1).copied().unwrap_or(1).max(1) - 1;
            }
            'A' => self.y = self.y.saturating_sub(n),
            'B' => self.y += n,
            'C' => self.x += n,
            'D' => self.x = self.x.saturating_sub(n),
            'G' => self.x = n - 1,
            'J' if p.first() == Some(&2) => {
                for row in &mut self.rows {
                    row.fill(' ');
                }
            }
            'K' => {
                if let Some(row) = self.rows.get_mut(self.y) {
                    for cell in row.iter_mut().skip(self.x) {
                        *cell = ' ';
                    }
                }
            }
            _ => {}
        }
    }
}

/// On a pseudo-terminal (util-linux `script`, 100x30): `--tui` takes the
/// alternate screen, goes forward, back and forward with the keys, quits
/// with q, and leaves the alternate screen with the cursor shown.
#[test]
fn tui_on_a_terminal_moves_and_quits_cleanly() {
    if Command::new("script").arg("--version").output().is_err() {
        common::skip(
            "tui on a terminal",
            "`script` (util-linux) is not installed",
        );
        return;
    }
    let command = format!(
        "stty cols 100 rows 30; {} --color never show {RECORDING} --tui",
        env!("CARGO_BIN_EXE_socklab")
    );
    let mut child = common::in_english(&mut Command::new("timeout"))
        .args(["40", "script", "-q", "-e", "-c", &command, "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let bytes = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let reader = {
        let bytes = bytes.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stdout.read(&mut buf) {
                if n == 0 {
                    break;
                }
                bytes.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        })
    };
    let screen = || {
        let mut vt = Vt::new(100, 30);
        vte::Parser::new().advance(&mut vt, &bytes.lock().unwrap());
        vt.text()
    };
    // Bounded: 20 s for each screen to come.
    let wait_for = |text: &str| {
        let started = Instant::now();
        loop {
            let now = screen();
            if now
                .lines()
                .last()
                .is_some_and(|status| status.contains(text))
            {
                return now;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "never shown: {text}\n{now}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    // Step 1 waits before its code runs; then its three packets come.
    wait_for("packet 0 of 0");
    let mut seen = Vec::new();
    for (key, then) in [
        ("n", "packet 1 of 1"),
        ("n", "packet 2 of 2"),
        ("b", "packet 1 of 2 · looking back"),
        ("n", "packet 2 of 2 "),
        ("n", "packet 3 of 3"),
    ] {
        stdin.write_all(key.as_bytes()).unwrap();
        stdin.flush().unwrap();
        seen.push(wait_for(then));
    }
    // Back one packet is the screen that packet showed the first time.
    assert!(seen[2].contains("▶  1 client → server  SYN"), "{}", seen[2]);
    assert!(
        seen[1].contains("▶  2 server → client  SYN,ACK"),
        "{}",
        seen[1]
    );
    // A jump ahead to step 4, whose question is answered with a digit.
    for (key, then) in [
        ("4g", "step 4 of 8 · packet 7 of 7"),
        ("n", "Your answer (1-3"),
        ("2", "packet 8 of 8"),
    ] {
        stdin.write_all(key.as_bytes()).unwrap();
        stdin.flush().unwrap();
        seen.push(wait_for(then));
    }
    let answered = seen.last().unwrap();
    assert!(answered.contains("✓ Right."), "{answered}");
    assert!(
        answered.contains("C client: ESTABLISHED → FIN-WAIT-1"),
        "{answered}"
    );
    stdin.write_all(b"q").unwrap();
    drop(stdin);
    let status = child.wait().unwrap();
    reader.join().unwrap();
    let text = String::from_utf8_lossy(&bytes.lock().unwrap()).into_owned();
    assert_eq!(status.code(), Some(0), "{text}");
    assert!(!text.contains("panicked"), "{text}");
    let entered = text
        .rfind("\x1b[?1049h")
        .expect("the alternate screen was used");
    let left = text
        .rfind("\x1b[?1049l")
        .expect("the alternate screen was left");
    assert!(left > entered, "left the alternate screen last");
    let hidden = text.rfind("\x1b[?25l").expect("the cursor was hidden");
    let back = text.rfind("\x1b[?25h").expect("the cursor was shown again");
    assert!(back > hidden, "the cursor is shown at the end");
}

/// `socklab states`: the diagram and its arrows as plain text, with no
/// terminal, in English and in Chinese.
#[test]
fn states_prints_the_diagram_in_both_languages() {
    let states = |lang: &str| {
        let output = common::in_english(&mut Command::new(env!("CARGO_BIN_EXE_socklab")))
            .args(["--lang", lang, "states"])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0));
        String::from_utf8(output.stdout).unwrap()
    };
    insta::assert_snapshot!("states_en", states("en"));
    let zh = states("zh");
    assert!(
        zh.contains("ESTABLISHED  → CLOSE-WAIT    收到 FIN / 发送 ACK"),
        "{zh}"
    );
    assert!(zh.contains("[ TIME-WAIT  ]"), "{zh}");
}
