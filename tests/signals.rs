//! Signals at random moments: SIGINT (Ctrl-C), SIGTERM (kill) and SIGHUP
//! (the terminal closed) during lessons on the loopback and the lab wire,
//! a replay and an exercise check; SIGPIPE (the reader closed the pipe)
//! after a random number of lines. Each must end socklab within 1 s with
//! 130, 143 or 129 (as shells report those signals; 0 for a closed pipe),
//! leaving no process, interface or temporary file behind, and a `--pcap`
//! or `--record` file either complete or absent.
//!
//! One moment in four is a learner's terminal instead: socklab on a
//! pseudo-terminal of its own (its controlling terminal, in a session of
//! its own), in interactive mode, hold mode or the classroom view, with
//! Enter pressed as it goes; then SIGINT, Ctrl-C typed, SIGTERM, or the
//! terminal closed (its master side, as a terminal window closing does:
//! the kernel sends SIGHUP). The terminal must be as socklab found it:
//! the same modes (no raw mode left on), the normal screen, the cursor
//! shown.
//!
//! `SOCKLAB_SIGNAL_MOMENTS=200` sets how many moments (12 by default);
//! `SOCKLAB_SIGNAL_SEED` replays a run's moments (its seed is printed).

mod common;

use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::path::Path;
use std::process::{ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// A small deterministic generator (xorshift), so that a seed replays.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Every process running our socklab binary now.
fn socklab_processes() -> Vec<u32> {
    let ours = std::fs::canonicalize(env!("CARGO_BIN_EXE_socklab")).unwrap();
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| {
            let e = e.ok()?;
            let pid: u32 = e.file_name().to_str()?.parse().ok()?;
            (std::fs::read_link(e.path().join("exe")).ok()? == ours).then_some(pid)
        })
        .collect()
}

fn interfaces() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir("/sys/class/net")
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A capture file is complete: it reads to its end without an error.
fn pcap_complete(path: &Path) -> Result<usize, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut reader = pcap_file::pcap::PcapReader::new(file).map_err(|e| e.to_string())?;
    let mut frames = 0;
    while let Some(packet) = reader.next_packet() {
        packet.map_err(|e| format!("frame {}: {e}", frames + 1))?;
        frames += 1;
    }
    Ok(frames)
}

/// A pseudo-terminal: socklab gets the slave side, the test plays the
/// terminal on the master side.
struct Pty {
    master: Option<OwnedFd>,
    slave: OwnedFd,
}

impl Pty {
    fn open(cols: u16, rows: u16) -> Pty {
        let (mut master, mut slave) = (-1, -1);
        let size = libc::winsize {
            ws_row: rows,
            ws_col: cols,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        // SAFETY: openpty writes two new descriptors, which we then own.
        let rc = unsafe {
            libc::openpty(
                &mut master,
                &mut slave,
                std::ptr::null_mut(),
                std::ptr::null(),
                &size,
            )
        };
        assert_eq!(rc, 0, "openpty: {}", std::io::Error::last_os_error());
        // Not inherited: a socklab holding the master itself would keep
        // the terminal open when the test closes it.
        for fd in [master, slave] {
            // SAFETY: fcntl on a descriptor we own.
            unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) };
        }
        // SAFETY: openpty succeeded: both are open and ours alone.
        unsafe {
            Pty {
                master: Some(OwnedFd::from_raw_fd(master)),
                slave: OwnedFd::from_raw_fd(slave),
            }
        }
    }

    /// The terminal's modes (input, output, control, local flags).
    fn modes(&self) -> Option<[libc::tcflag_t; 4]> {
        // SAFETY: termios is plain data; tcgetattr fills it.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        // SAFETY: a descriptor we own and a struct that outlives the call.
        (unsafe { libc::tcgetattr(self.slave.as_raw_fd(), &mut t) } == 0)
            .then_some([t.c_iflag, t.c_oflag, t.c_cflag, t.c_lflag])
    }

    /// socklab with `args`, on this terminal as a learner's: a session of
    /// its own whose controlling terminal it is, so that the kernel's
    /// Ctrl-C and hang-up reach it as from a real terminal.
    fn socklab(&self, args: &[&str], tmp: &Path) -> std::process::Command {
        let tty = || Stdio::from(self.slave.try_clone().unwrap());
        let mut command = common::socklab();
        command
            .args(["--color", "never"])
            .args(args)
            .env("TMPDIR", tmp)
            .env("TERM", "xterm-256color")
            .stdin(tty())
            .stdout(tty())
            .stderr(tty());
        use std::os::unix::process::CommandExt;
        // SAFETY: setsid, ioctl and signal are async-signal-safe, between
        // fork and exec.
        unsafe {
            command.pre_exec(move || {
                libc::setsid();
                if libc::ioctl(0, libc::TIOCSCTTY, 0) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                default_signal_actions();
                Ok(())
            });
        }
        command
    }

    /// Types `keys` as the learner would.
    fn type_keys(&self, keys: &[u8]) {
        if let Some(master) = &self.master {
            // SAFETY: a write of bytes we own to a descriptor we own.
            unsafe { libc::write(master.as_raw_fd(), keys.as_ptr().cast(), keys.len()) };
        }
    }

    /// Everything socklab writes, read on a thread until `stop`.
    fn read_screen(&self, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<Vec<u8>> {
        let fd = self.master.as_ref().unwrap().as_raw_fd();
        std::thread::spawn(move || {
            let mut screen = Vec::new();
            let mut buf = [0u8; 4096];
            while !stop.load(Ordering::Relaxed) {
                let mut poll = libc::pollfd {
                    fd,
                    events: libc::POLLIN,
                    revents: 0,
                };
                // SAFETY: one pollfd that outlives the call.
                if unsafe { libc::poll(&mut poll, 1, 20) } <= 0 {
                    continue;
                }
                // SAFETY: reads into a buffer we own, at most its length.
                let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
                if n <= 0 {
                    break;
                }
                screen.extend_from_slice(&buf[..n as usize]);
            }
            screen
        })
    }
}

/// What socklab left on the screen: the alternate screen left if it
/// entered it, the cursor shown if it hid it.
fn screen_restored(screen: &str) -> Result<(), String> {
    for (on, off, what) in [
        (
            "\x1b[?1049h",
            "\x1b[?1049l",
            "the alternate screen was not left",
        ),
        ("\x1b[?25l", "\x1b[?25h", "the cursor was left hidden"),
    ] {
        if let Some(at) = screen.rfind(on)
            && !screen[at..].contains(off)
        {
            return Err(what.to_string());
        }
    }
    Ok(())
}

/// The signals' default actions in a child, whatever this test inherited:
/// a shell starts background jobs (`.ci/run`'s lanes) with SIGINT
/// ignored, and an ignored SIGINT that comes before socklab's handler is
/// in place would be lost, not a kill. Called between fork and exec:
/// signal(2) is async-signal-safe.
fn default_signal_actions() {
    for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
        // SAFETY: restores a default action; nothing else is touched.
        unsafe { libc::signal(signal, libc::SIG_DFL) };
    }
}

/// How `child` ended after a signal sent at `sent`; the test fails if it
/// is still running 5 s later.
fn ended(child: &mut std::process::Child, sent: Instant, context: &str) -> ExitStatus {
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(
            sent.elapsed() < Duration::from_secs(5),
            "{context}: still running 5 s later"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// A learner at a terminal: socklab runs on a pseudo-terminal of its own,
/// Enter is pressed every 60 ms, and after a random delay the learner
/// interrupts it (a signal, Ctrl-C typed, or the terminal closed). Returns
/// what ran, the outcome and how long the exit took.
fn at_a_terminal(random: &mut Random, moment: usize, tmp: &Path) -> (String, String, Duration) {
    let commands: [(&str, &[&str], u64); 3] = [
        ("interactive lesson", &["run", "tcp-close"], 2500),
        (
            "interactive hold mode",
            &["run", "tcp-retransmission", "--hold"],
            3000,
        ),
        ("classroom view", &["run", "tcp-close", "--tui"], 2500),
    ];
    let (what, args, window) = commands[random.below(commands.len() as u64) as usize];
    let (signal, name) = [
        (libc::SIGINT, "SIGINT"),
        (libc::SIGINT, "Ctrl-C typed"),
        (libc::SIGTERM, "SIGTERM"),
        (libc::SIGHUP, "terminal closed"),
    ][random.below(4) as usize];
    let delay = Duration::from_millis(random.below(window));
    let mut pty = Pty::open(100, 30);
    let before = pty.modes().expect("the new terminal's modes");
    let mut command = pty.socklab(args, tmp);
    let stop = Arc::new(AtomicBool::new(false));
    let mut reader = Some(pty.read_screen(stop.clone()));
    let mut child = command.spawn().unwrap();
    // Enter every 60 ms until the moment comes.
    let started = Instant::now();
    while let Some(left) = delay.checked_sub(started.elapsed()) {
        std::thread::sleep(left.min(Duration::from_millis(60)));
        pty.type_keys(b"\r");
    }
    let sent = Instant::now();
    let mut screen = Vec::new();
    match name {
        "Ctrl-C typed" => pty.type_keys(b"\x03"),
        "terminal closed" => {
            // The reader lets go of the master first: the terminal closes
            // when its last descriptor does.
            stop.store(true, Ordering::Relaxed);
            screen = reader.take().unwrap().join().unwrap();
            pty.master = None;
        }
        // SAFETY: a signal to our own child.
        _ => unsafe {
            libc::kill(child.id() as libc::pid_t, signal);
        },
    }
    let context = format!("moment {moment}: {what} {args:?}, {name} after {delay:?}");
    let status = ended(&mut child, sent, &context);
    let took = sent.elapsed();
    if let Some(reader) = reader {
        // What socklab wrote last, read before the reader stops.
        std::thread::sleep(Duration::from_millis(50));
        stop.store(true, Ordering::Relaxed);
        screen = reader.join().unwrap();
    }
    let screen = String::from_utf8_lossy(&screen).into_owned();
    assert!(
        took < Duration::from_secs(1),
        "{context}: exit took {took:?}"
    );
    assert!(!screen.contains("panicked"), "{context}: {screen}");
    use std::os::unix::process::ExitStatusExt;
    let expected = 128 + signal;
    let outcome = match (status.code(), status.signal()) {
        (Some(code), _) if code == expected => format!("{what}: {name} -> {code}"),
        (None, Some(s)) if s == signal => format!("{what}: {name} -> killed before handlers"),
        (Some(0), _) => format!("{what}: {name} -> 0 (done before)"),
        _ => panic!("{context}: {status}\n{screen}"),
    };
    if name != "terminal closed" {
        let after = pty.modes().expect("the terminal's modes after socklab");
        assert_eq!(after, before, "{context}: terminal modes not restored");
        screen_restored(&screen).unwrap_or_else(|e| panic!("{context}: {e}"));
    }
    (what.to_string(), outcome, took)
}

#[test]
fn signals_at_random_moments() {
    if !common::root_or_skip("signals_at_random_moments", "lessons need namespaces") {
        return;
    }
    let moments: usize = std::env::var("SOCKLAB_SIGNAL_MOMENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(12);
    let seed: u64 = std::env::var("SOCKLAB_SIGNAL_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    println!("SOCKLAB_SIGNAL_SEED={seed}");
    let mut random = Random(seed);
    let python = std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_ok();
    if !python {
        common::skip("the exercise check moments", "python3 is not installed");
    }
    let links_before = interfaces();
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/loss-in-a-long-run.pcap"
    );
    let reference = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/exercises/echo-server/reference.py"
    );
    let mut worst = Duration::ZERO;
    let mut worst_what = String::new();
    let mut tally = std::collections::BTreeMap::<String, usize>::new();
    for moment in 0..moments {
        let dir = tempfile::tempdir().unwrap();
        let tmp = dir.path().join("tmp");
        std::fs::create_dir(&tmp).unwrap();
        if random.below(4) == 0 {
            let (what, outcome, took) = at_a_terminal(&mut random, moment, &tmp);
            if took > worst {
                worst = took;
                worst_what = what;
            }
            *tally.entry(outcome).or_default() += 1;
        } else {
            let pcap = dir.path().join("out.pcap");
            let record = dir.path().join("out.socklab");
            let (pcap_s, record_s) = (pcap.to_str().unwrap(), record.to_str().unwrap());
            // (what, arguments, how long it runs: the window for the signal)
            let commands: Vec<(&str, Vec<&str>, u64)> = vec![
                (
                    "wire lesson",
                    vec![
                        "run",
                        "tcp-retransmission",
                        "--auto",
                        "--pcap",
                        pcap_s,
                        "--record",
                        record_s,
                    ],
                    450,
                ),
                (
                    "loopback lesson",
                    vec!["run", "udp-unreliable", "--auto", "--pcap", pcap_s],
                    650,
                ),
                (
                    "loopback lesson",
                    vec!["run", "tcp-refused", "--auto", "--record", record_s],
                    600,
                ),
                ("replay", vec!["replay", fixture, "--pcap", pcap_s], 40),
                (
                    "hold mode",
                    vec![
                        "run",
                        "tcp-retransmission",
                        "--hold",
                        "--auto",
                        "--record",
                        record_s,
                    ],
                    2700,
                ),
                // Runs until a signal (no traffic on port 9: it waits).
                ("watch", vec!["watch", "--port", "9", "--pcap", pcap_s], 400),
                (
                    "exercise check",
                    vec![
                        "exercise",
                        "check",
                        "echo-server",
                        "--",
                        "python3",
                        reference,
                    ],
                    550,
                ),
            ];
            let usable = if python {
                commands.len()
            } else {
                commands.len() - 1
            };
            let (what, args, window) = &commands[random.below(usable as u64) as usize];
            // One moment in five closes the pipe instead (SIGPIPE). Not for
            // watch: with no traffic it writes nothing after its heading, so
            // it never meets the closed pipe (as `tcpdump | head` would not).
            if random.below(5) == 0 && *what != "watch" {
                let mut full = vec!["--color", "never"];
                full.extend(args.iter());
                let lines = 1 + random.below(60) as usize;
                let (status, err) = common::read_then_close(&full, lines);
                assert!(
                    status == Some(0) || status == Some(1) && err.contains("did not come"),
                    "moment {moment}: {what} closed after {lines} lines: {status:?} {err}"
                );
                *tally.entry(format!("SIGPIPE -> {status:?}")).or_default() += 1;
            } else {
                let (signal, name) = [
                    (libc::SIGINT, "SIGINT"),
                    (libc::SIGTERM, "SIGTERM"),
                    (libc::SIGHUP, "SIGHUP"),
                ][random.below(3) as usize];
                let delay = Duration::from_millis(random.below(*window));
                let mut command = common::socklab();
                command
                    .args(["--color", "never"])
                    .args(args)
                    .env("TMPDIR", &tmp)
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped());
                use std::os::unix::process::CommandExt;
                // SAFETY: only async-signal-safe calls, between fork and exec.
                unsafe {
                    command.pre_exec(|| {
                        default_signal_actions();
                        Ok(())
                    });
                }
                let mut child = command.spawn().unwrap();
                std::thread::sleep(delay);
                let sent = Instant::now();
                // SAFETY: a signal to our own child.
                unsafe { libc::kill(child.id() as libc::pid_t, signal) };
                let context = format!("moment {moment}: {what} {args:?}, {name} after {delay:?}");
                let status = ended(&mut child, sent, &context);
                let took = sent.elapsed();
                if took > worst {
                    worst = took;
                    worst_what = format!("{what}, {name} after {delay:?}");
                }
                let mut err = String::new();
                std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
                assert!(
                    took < Duration::from_secs(1),
                    "{context}: exit took {took:?}"
                );
                use std::os::unix::process::ExitStatusExt;
                let expected = 128 + signal;
                let outcome = match (status.code(), status.signal()) {
                    // Ctrl-C is how watch ends: its summary, and 0.
                    (Some(0), _) if *what == "watch" && signal == libc::SIGINT => {
                        format!("{name} -> 0 (watch's way to end)")
                    }
                    (Some(code), _) if code == expected => format!("{name} -> {code}"),
                    // Before socklab's handlers are in place, the signal's
                    // default action ends it (nothing has been written yet).
                    (None, Some(s)) if s == signal => format!("{name} -> killed before handlers"),
                    // It had finished already (a failed check of the
                    // exercise is exit 1, its verdict complete).
                    // (watch never finishes by itself here.)
                    (Some(0), _) if *what != "watch" => format!("{name} -> 0 (done before)"),
                    (Some(1), _) if *what == "exercise check" => {
                        format!("{name} -> 1 (done before)")
                    }
                    _ => panic!("{context}: {status} {err}"),
                };
                assert!(!err.contains("panicked"), "{context}: {err}");
                *tally.entry(outcome).or_default() += 1;
                if pcap.exists() {
                    pcap_complete(&pcap)
                        .unwrap_or_else(|e| panic!("{context}: --pcap half written: {e}"));
                }
                if record.exists() {
                    let shown = common::socklab()
                        .args(["--color", "never", "show", "--auto"])
                        .arg(&record)
                        .output()
                        .unwrap();
                    assert!(
                        shown.status.success(),
                        "{context}: --record half written: {shown:?}"
                    );
                }
            }
        }
        let left: Vec<_> = std::fs::read_dir(&tmp).unwrap().collect();
        assert!(
            left.is_empty(),
            "moment {moment}: temporary files left: {left:?}"
        );
        let processes = socklab_processes();
        assert!(
            processes.is_empty(),
            "moment {moment}: socklab processes left: {processes:?}"
        );
    }
    assert_eq!(interfaces(), links_before, "interfaces left behind");
    println!("{moments} moments, worst exit {worst:?} after the signal ({worst_what}): {tally:#?}");
}
