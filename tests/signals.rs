//! Signals at random moments: SIGINT (Ctrl-C), SIGTERM (kill) and SIGHUP
//! (the terminal closed) during lessons on the loopback and the lab wire,
//! a replay and an exercise check; SIGPIPE (the reader closed the pipe)
//! after a random number of lines. Each must end socklab within 1 s with
//! 130, 143 or 129 (as shells report those signals; 0 for a closed pipe),
//! leaving no process, interface or temporary file behind, and a `--pcap`
//! or `--record` file either complete or absent.
//!
//! `SOCKLAB_SIGNAL_MOMENTS=200` sets how many moments (12 by default);
//! `SOCKLAB_SIGNAL_SEED` replays a run's moments (its seed is printed).

mod common;

use std::path::Path;
use std::process::Stdio;
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
            // The signals' default actions in the child, whatever this test
            // inherited: a shell starts background jobs (`.ci/run`'s lanes)
            // with SIGINT ignored, and an ignored SIGINT that comes before
            // socklab's handler is in place would be lost, not a kill.
            use std::os::unix::process::CommandExt;
            // SAFETY: signal(2) is async-signal-safe, between fork and exec.
            unsafe {
                command.pre_exec(|| {
                    for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
                        libc::signal(signal, libc::SIG_DFL);
                    }
                    Ok(())
                });
            }
            let mut child = command.spawn().unwrap();
            std::thread::sleep(delay);
            let sent = Instant::now();
            // SAFETY: a signal to our own child.
            unsafe { libc::kill(child.id() as libc::pid_t, signal) };
            let status = loop {
                if let Some(status) = child.try_wait().unwrap() {
                    break status;
                }
                assert!(
                    sent.elapsed() < Duration::from_secs(5),
                    "moment {moment}: {what} still running 5 s after {name}"
                );
                std::thread::sleep(Duration::from_millis(2));
            };
            let took = sent.elapsed();
            if took > worst {
                worst = took;
                worst_what = format!("{what}, {name} after {delay:?}");
            }
            let mut err = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
            let context = format!("moment {moment}: {what} {args:?}, {name} after {delay:?}");
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
                (Some(1), _) if *what == "exercise check" => format!("{name} -> 1 (done before)"),
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
