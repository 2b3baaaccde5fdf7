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
    let end = after_nth(events, k, |e| matches!(e, Event::Packet(_)));
    frame_after(&events[..end], width, height)
}

/// How many events there are up to and with the `n`th (from 1) that
/// `is` picks.
fn after_nth(events: &[Event], n: usize, is: impl Fn(&Event) -> bool) -> usize {
    events
        .iter()
        .enumerate()
        .filter(|(_, e)| is(e))
        .nth(n - 1)
        .map(|(i, _)| i + 1)
        .expect("the run has that many of them")
}

/// The screen after `events`, `width` by `height`, as text.
fn frame_after(events: &[Event], width: u16, height: u16) -> String {
    let screen = Screen::after(events);
    let status = Status {
        packets: events
            .iter()
            .filter(|e| matches!(e, Event::Packet(_)))
            .count(),
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
    // The handshake's SYN,ACK and ACK.
    insta::assert_snapshot!("en_100x30_syn_ack", frame_at_packet(&events, 2, 100, 30));
    insta::assert_snapshot!("en_100x30_ack", frame_at_packet(&events, 3, 100, 30));
    // The client's FIN (step 4).
    insta::assert_snapshot!("en_100x30_client_fin", frame_at_packet(&events, 8, 100, 30));
    // The ACK of the client's FIN: FIN-WAIT-2.
    insta::assert_snapshot!("en_100x30_fin_ack", frame_at_packet(&events, 9, 100, 30));
    // The server's FIN: the client reaches TIME-WAIT.
    insta::assert_snapshot!("en_100x30_time_wait", frame_at_packet(&events, 10, 100, 30));
    // The last ACK: the server is CLOSED.
    insta::assert_snapshot!("en_100x30_last_ack", frame_at_packet(&events, 11, 100, 30));
    // The three-packet close: a FIN that acknowledges the client's FIN.
    insta::assert_snapshot!(
        "en_100x30_merged_fin",
        frame_at_packet(&events, 18, 100, 30)
    );
    insta::assert_snapshot!("en_80x24_client_fin", frame_at_packet(&events, 8, 80, 24));
    // A projector: the kernel's view under the diagram.
    insta::assert_snapshot!("en_160x48_time_wait", frame_at_packet(&events, 10, 160, 48));
    set_language(Language::Chinese);
    insta::assert_snapshot!("zh_100x30_client_fin", frame_at_packet(&events, 8, 100, 30));
    insta::assert_snapshot!("zh_80x24_client_fin", frame_at_packet(&events, 8, 80, 24));
    congestion_frames();
    set_language(Language::English);
    // UDP has no states: the pane says so and counts the datagrams.
    let udp: Vec<Event> = read(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fuzz/recordings/udp-datagram.socklab"
    )))
    .unwrap()
    .entries
    .into_iter()
    .filter_map(|e| match e {
        Entry::Event(event) => Some(*event),
        Entry::Wait(_) => None,
    })
    .collect();
    let frame = frame_at_packet(&udp, 2, 100, 30);
    assert!(
        frame.contains("server → client: one datagram, 5 bytes"),
        "{frame}"
    );
    insta::assert_snapshot!("en_100x30_udp", frame);
}

/// The first three steps of a real run of tcp-congestion, as `--format
/// json` wrote them (`socklab run tcp-congestion --auto --format json |
/// head -179`): slow start's readings, then the fast recovery's.
const CONGESTION: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/tcp-congestion-start.jsonl"
);

/// The screen right after the `n`th congestion reading (from 1).
fn frame_at_reading(events: &[Event], n: usize, width: u16, height: u16) -> String {
    let end = after_nth(events, n, |e| matches!(e, Event::Congestion(_)));
    frame_after(&events[..end], width, height)
}

/// Issue 19's second diagram: in a step that reads the sender's kernel,
/// the states pane shows the congestion-control states, the box of the
/// reading's phase in heavy lines: slow start (cwnd 40 < ssthresh ∞), then
/// fast recovery after the third duplicate ACK.
fn congestion_frames() {
    let events: Vec<Event> = std::fs::read_to_string(CONGESTION)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    set_language(Language::English);
    let slow_start = frame_at_reading(&events, 3, 100, 30);
    let lit = |frame: &str, name: &str| frame.lines().any(|l| l.contains('┃') && l.contains(name));
    assert!(lit(&slow_start, "slow start"), "{slow_start}");
    assert!(!lit(&slow_start, "fast recovery"), "{slow_start}");
    insta::assert_snapshot!("en_100x30_slow_start", slow_start);
    let recovery = frame_at_reading(&events, 5, 100, 30);
    assert!(lit(&recovery, "fast recovery"), "{recovery}");
    assert!(!lit(&recovery, "slow start"), "{recovery}");
    insta::assert_snapshot!("en_100x30_fast_recovery", recovery);
    insta::assert_snapshot!(
        "en_80x24_fast_recovery",
        frame_at_reading(&events, 5, 80, 24)
    );
    set_language(Language::Chinese);
    insta::assert_snapshot!(
        "zh_100x30_fast_recovery",
        frame_at_reading(&events, 5, 100, 30)
    );
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

/// A shell command on a pseudo-terminal (util-linux `script`), bounded
/// by 40 s, with what it writes kept.
struct Pty {
    child: std::process::Child,
    stdin: Option<std::process::ChildStdin>,
    bytes: std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Pty {
    /// `None` (said) when `script` is not installed.
    fn start(command: &str) -> Option<Pty> {
        if Command::new("script").arg("--version").output().is_err() {
            common::skip(
                "tui on a terminal",
                "`script` (util-linux) is not installed",
            );
            return None;
        }
        let mut child = common::in_english(&mut Command::new("timeout"))
            .args(["40", "script", "-q", "-e", "-c", command, "/dev/null"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take();
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
        Some(Pty {
            child,
            stdin,
            bytes,
            reader: Some(reader),
        })
    }

    fn screen(&self, width: usize, height: usize) -> String {
        let mut vt = Vt::new(width, height);
        vte::Parser::new().advance(&mut vt, &self.bytes.lock().unwrap());
        vt.text()
    }

    fn type_keys(&mut self, keys: &str) {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(keys.as_bytes()).unwrap();
        stdin.flush().unwrap();
    }

    /// Waits (20 s at most) until row `row` (from 0) of a `width` by
    /// `height` screen contains `text`; returns the screen.
    fn wait_for(&self, (width, height): (usize, usize), row: usize, text: &str) -> String {
        let started = Instant::now();
        loop {
            let now = self.screen(width, height);
            if now.lines().nth(row).is_some_and(|line| line.contains(text)) {
                return now;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "never shown: {text}\n{now}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Types `q`, waits for the end; the exit status and every byte written.
    fn quit(mut self) -> (Option<i32>, String) {
        self.type_keys("q");
        drop(self.stdin.take());
        let status = self.child.wait().unwrap();
        if let Some(reader) = self.reader.take() {
            reader.join().unwrap();
        }
        let text = String::from_utf8_lossy(&self.bytes.lock().unwrap()).into_owned();
        (status.code(), text)
    }
}

/// The terminal was given back: the alternate screen left and the cursor
/// shown, after they were taken.
fn assert_restored(text: &str) {
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

/// On a pseudo-terminal (100x30): `--tui` takes the alternate screen, goes
/// forward, back and forward with the keys, jumps to a step and answers its
/// question, quits with q, and leaves the alternate screen with the cursor
/// shown.
#[test]
fn tui_on_a_terminal_moves_and_quits_cleanly() {
    let command = format!(
        "stty cols 100 rows 30; {} --color never show {RECORDING} --tui",
        env!("CARGO_BIN_EXE_socklab")
    );
    let Some(mut pty) = Pty::start(&command) else {
        return;
    };
    let size = (100, 30);
    let wait_for = |pty: &Pty, text: &str| pty.wait_for(size, 29, text);
    // Step 1 waits before its code runs; then its three packets come.
    wait_for(&pty, "packet 0 of 0");
    let mut seen = Vec::new();
    for (key, then) in [
        ("n", "packet 1 of 1"),
        ("n", "packet 2 of 2"),
        ("b", "packet 1 of 2 · looking back"),
        ("n", "packet 2 of 2 "),
        ("n", "packet 3 of 3"),
    ] {
        pty.type_keys(key);
        seen.push(wait_for(&pty, then));
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
        pty.type_keys(key);
        seen.push(wait_for(&pty, then));
    }
    let answered = seen.last().unwrap();
    assert!(answered.contains("✓ Right."), "{answered}");
    assert!(
        answered.contains("C client: ESTABLISHED → FIN-WAIT-1"),
        "{answered}"
    );
    let (status, text) = pty.quit();
    assert_eq!(status, Some(0), "{text}");
    assert_restored(&text);
}

/// A resize redraws the view for the new size: from 100x30 with the
/// diagram to 80x24, where the panes stack and the diagram folds.
#[test]
fn tui_redraws_when_the_terminal_is_resized() {
    let flag = tempfile::NamedTempFile::new().unwrap().into_temp_path();
    let flag_path = flag.to_path_buf();
    std::fs::remove_file(&flag_path).unwrap();
    // The view runs in the background of the shell (its input the
    // terminal), which resizes the terminal when the test says so and
    // tells the view as a terminal does (SIGWINCH).
    let command = format!(
        "stty cols 100 rows 30; {} --color never show {RECORDING} --tui </dev/tty & pid=$!; \
         while [ ! -e {flag} ]; do sleep 0.05; done; stty cols 80 rows 24; kill -WINCH $pid; wait $pid",
        env!("CARGO_BIN_EXE_socklab"),
        flag = flag_path.display()
    );
    let Some(mut pty) = Pty::start(&command) else {
        return;
    };
    pty.wait_for((100, 30), 29, "packet 0 of 0");
    pty.type_keys("n");
    let wide = pty.wait_for((100, 30), 29, "packet 1 of 1");
    assert!(wide.contains("[   LISTEN   ]"), "{wide}");
    std::fs::write(&flag_path, "").unwrap();
    let narrow = pty.wait_for((100, 30), 23, "packet 1 of 1");
    assert!(!narrow.contains("[   LISTEN   ]"), "{narrow}");
    assert!(narrow.contains("C client: CLOSED → SYN-SENT"), "{narrow}");
    let (status, text) = pty.quit();
    assert_eq!(status, Some(0), "{text}");
    assert_restored(&text);
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
