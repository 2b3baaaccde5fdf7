//! The corpus: real captures nobody on this project made
//! (`tests/corpus/`, origins and licences in its SOURCES.md), and socklab's
//! own lesson captures (`tests/fixtures/`). Every file is replayed:
//!
//! * nothing may panic, hang or abort: each file is read to its end (exit
//!   0; a cut file still exits 0), and exit 2 only for a file that is not a
//!   capture at all;
//! * every TCP frame is compared field by field with tshark (`-T fields`,
//!   relative sequence numbers on, as Wireshark's defaults): ports, flags,
//!   relative seq and ack, length, window, and the `tcp.analysis` labels.
//!   seq, ack and flags must agree on at least 99.9 % of the frames.
//!
//! tshark is needed: `.ci/run` installs it, and under CI a missing tshark
//! fails the test; elsewhere the comparison is skipped, and says so.
//! `SOCKLAB_CORPUS_REPORT=FILE` writes the agreement table (Markdown), and
//! `SOCKLAB_CORPUS_DIFFS=FILE` every disagreeing frame, to look into.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The longest a single file's replay may take (the largest file, in a
/// debug build on a busy 2-core machine, takes well under a second).
const FILE_DEADLINE: Duration = Duration::from_secs(60);

fn corpus_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in [
        "tests/corpus/tcpdump",
        "tests/corpus/libpcap",
        "tests/fixtures",
    ] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if name.ends_with(".pcap") || name.ends_with(".pcapng") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Runs a command to its end, or kills it at the deadline. Returns
/// (exit code, stdout, stderr, timed out).
fn run_bounded(mut command: Command) -> (Option<i32>, String, String, bool) {
    let dir = tempfile::tempdir().unwrap();
    let (out_path, err_path) = (dir.path().join("out"), dir.path().join("err"));
    let mut child = command
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let (status, timed_out) = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break (status.code(), false);
        }
        if start.elapsed() > FILE_DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            break (None, true);
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let read =
        |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).to_string();
    (status, read(&out_path), read(&err_path), timed_out)
}

/// One TCP frame's fields, as socklab or tshark gives them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct TcpFields {
    ports: (u16, u16),
    flags: u16,
    seq: Option<u64>,
    ack: Option<u64>,
    len: Option<u64>,
    win: Option<u64>,
    analysis: Vec<String>,
}

/// tshark's `tcp.analysis` fields and socklab's name for each.
const ANALYSIS: [(&str, &str); 15] = [
    ("tcp.analysis.retransmission", "retransmission"),
    ("tcp.analysis.fast_retransmission", "fast_retransmission"),
    (
        "tcp.analysis.spurious_retransmission",
        "spurious_retransmission",
    ),
    ("tcp.analysis.out_of_order", "out_of_order"),
    ("tcp.analysis.duplicate_ack", "duplicate_ack"),
    ("tcp.analysis.zero_window", "zero_window"),
    ("tcp.analysis.zero_window_probe", "zero_window_probe"),
    (
        "tcp.analysis.zero_window_probe_ack",
        "zero_window_probe_ack",
    ),
    ("tcp.analysis.keep_alive", "keep_alive"),
    ("tcp.analysis.keep_alive_ack", "keep_alive_ack"),
    ("tcp.analysis.window_update", "window_update"),
    ("tcp.analysis.window_full", "window_full"),
    ("tcp.analysis.reused_ports", "ports_reused"),
    ("tcp.analysis.lost_segment", "previous_segment_not_captured"),
    ("tcp.analysis.ack_lost_segment", "acked_unseen_segment"),
];

fn flag_bits(names: &str) -> u16 {
    names
        .split(',')
        .map(|n| match n {
            "FIN" => 0x01,
            "SYN" => 0x02,
            "RST" => 0x04,
            "PSH" => 0x08,
            "ACK" => 0x10,
            "URG" => 0x20,
            "ECE" => 0x40,
            "CWR" => 0x80,
            "AE" => 0x100,
            _ => 0,
        })
        .sum()
}

fn port(addr: &str) -> u16 {
    addr.rsplit(':').next().unwrap().parse().unwrap()
}

/// What socklab's replay says of a file: exit code, TCP frames by number,
/// malformed frame numbers, and problems (panic, time-out, abort).
struct Ours {
    tcp: BTreeMap<u64, TcpFields>,
    malformed: BTreeMap<u64, String>,
    problem: Option<String>,
}

fn socklab_replay(path: &Path) -> Ours {
    let mut command = common::socklab();
    command.args(["replay", "--format", "json"]).arg(path);
    let (code, out, err, timed_out) = run_bounded(command);
    let mut ours = Ours {
        tcp: BTreeMap::new(),
        malformed: BTreeMap::new(),
        problem: None,
    };
    if timed_out {
        ours.problem = Some(format!("did not finish within {FILE_DEADLINE:?}"));
    } else if err.contains("panicked") {
        ours.problem = Some(format!("panicked: {err}"));
    } else if code == Some(2) && !err.contains("is not a capture file") {
        ours.problem = Some(format!("aborted: {err}"));
    } else if code != Some(0) && code != Some(2) {
        ours.problem = Some(format!("exit {code:?}: {err}"));
    }
    if err.contains("Some(") || err.contains("DataLink") {
        ours.problem = Some(format!("Rust debug text in a message: {err}"));
    }
    for v in common::json_lines(&out) {
        let Some(frame) = v["frame"].as_u64() else {
            continue;
        };
        match v["event"].as_str() {
            Some("skipped") if v["why"] == "malformed" => {
                ours.malformed
                    .insert(frame, v["reason"].as_str().unwrap().to_string());
            }
            Some("packet") if v["transport"]["proto"] == "tcp" => {
                let tcp = &v["tcp"];
                let mut analysis: Vec<String> = v["notes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|n| n["kind"].as_str().unwrap().to_string())
                    // A keep-alive into a zero window is explained as a
                    // probe of the window: the same Wireshark label.
                    .map(|n| {
                        if n == "probe" {
                            "keep_alive".to_string()
                        } else {
                            n
                        }
                    })
                    .filter(|n| ANALYSIS.iter().any(|(_, k)| k == n))
                    .collect();
                analysis.sort();
                ours.tcp.insert(
                    frame,
                    TcpFields {
                        ports: (
                            port(v["src"].as_str().unwrap()),
                            port(v["dst"].as_str().unwrap()),
                        ),
                        flags: flag_bits(tcp["flags"].as_str().unwrap()),
                        seq: tcp["seq"].as_u64(),
                        ack: tcp["ack"].as_u64(),
                        len: tcp["len"].as_u64(),
                        win: tcp["win"].as_u64(),
                        analysis,
                    },
                );
            }
            _ => {}
        }
    }
    ours
}

/// tshark's TCP frames. Frames where tshark sees more than one TCP header
/// (a tunnel, or an ICMP error quoting one) are left out: socklab explains
/// the outer packet only.
/// tshark's TCP frames, and the frames left out of the comparison (a
/// tunnel, or a TCP header quoted inside another packet).
type Theirs = (BTreeMap<u64, TcpFields>, Vec<u64>);

fn tshark_tcp(path: &Path) -> Option<Theirs> {
    let mut command = Command::new("tshark");
    command
        .args(["-n", "-o", "tcp.relative_sequence_numbers:TRUE"])
        .args(["-o", "tcp.analyze_sequence_numbers:TRUE"])
        .arg("-r")
        .arg(path)
        .args(["-Y", "tcp", "-T", "fields", "-E", "separator=|"])
        .args(["-E", "occurrence=a", "-E", "aggregator=;"]);
    for field in [
        "frame.number",
        "frame.protocols",
        "tcp.srcport",
        "tcp.dstport",
        "tcp.flags",
        "tcp.seq",
        "tcp.ack",
        "tcp.len",
        "tcp.window_size",
    ] {
        command.args(["-e", field]);
    }
    for (field, _) in ANALYSIS {
        command.args(["-e", field]);
    }
    let (code, out, _err, timed_out) = run_bounded(command);
    if timed_out || out.is_empty() && code != Some(0) {
        return None;
    }
    let mut frames = BTreeMap::new();
    let mut left_out = Vec::new();
    for line in out.lines() {
        let f: Vec<&str> = line.split('|').collect();
        if f.len() < 9 + ANALYSIS.len() {
            continue;
        }
        let protocols = f[1];
        let tcp_layers = protocols.split(':').filter(|p| *p == "tcp").count();
        // One IP layer: a tunnelled packet (GRE, VXLAN, Geneve, IP in IP)
        // is explained by socklab as its outer packet.
        let ip_layers = protocols
            .split(':')
            .filter(|p| *p == "ip" || *p == "ipv6")
            .count();
        if tcp_layers != 1 || ip_layers != 1 || protocols.contains(":icmp") || f[2].contains(';') {
            left_out.extend(f[0].parse::<u64>().ok());
            continue;
        }
        let num = |s: &str| -> Option<u64> { if s.is_empty() { None } else { s.parse().ok() } };
        let flags = u16::from_str_radix(f[4].trim_start_matches("0x"), 16).unwrap_or(0);
        let mut analysis: Vec<String> = ANALYSIS
            .iter()
            .zip(&f[9..])
            .filter(|(_, value)| !value.is_empty())
            .map(|((_, kind), _)| kind.to_string())
            .collect();
        // tshark also flags a fast or spurious retransmission as a
        // retransmission; socklab names the kind once.
        if analysis.iter().any(|k| k.ends_with("_retransmission")) {
            analysis.retain(|k| k != "retransmission");
        }
        analysis.sort();
        frames.insert(
            f[0].parse().unwrap(),
            TcpFields {
                ports: (f[2].parse().unwrap_or(0), f[3].parse().unwrap_or(0)),
                flags: flags & 0x1ff,
                seq: num(f[5]),
                ack: num(f[6]),
                len: num(f[7]),
                win: num(f[8]),
                analysis,
            },
        );
    }
    Some((frames, left_out))
}

/// How many frames the file holds, as socklab's reader counts them.
fn frames_in(path: &Path) -> u64 {
    let Ok(mut reader) = socklab::capture::file::CaptureReader::open(path) else {
        return 0;
    };
    let mut n = 0;
    while let Some(Ok(_)) = reader.next() {
        n += 1;
    }
    n
}

fn tshark_or_skip() -> bool {
    let available = Command::new("tshark")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !available {
        assert!(
            std::env::var_os("CI").is_none(),
            "tshark is missing, and CI must run the corpus comparison: .ci/run installs it"
        );
        eprintln!("tshark is not installed: skipping the corpus comparison with tshark");
    }
    available
}

/// Agreement per field: (frames compared, frames equal).
#[derive(Default)]
struct Tally {
    fields: BTreeMap<&'static str, (u64, u64)>,
    files: usize,
    frames: u64,
    tcp_both: u64,
    tshark_only: u64,
    ours_only: u64,
    malformed: u64,
    /// TCP frames tshark sees inside a tunnel or another packet.
    left_out: u64,
    diffs: Vec<String>,
}

impl Tally {
    fn count(&mut self, field: &'static str, equal: bool) {
        let entry = self.fields.entry(field).or_default();
        entry.0 += 1;
        entry.1 += u64::from(equal);
    }

    fn share(&self, field: &str) -> f64 {
        let (n, ok) = self.fields.get(field).copied().unwrap_or((0, 0));
        if n == 0 { 1.0 } else { ok as f64 / n as f64 }
    }

    fn table(&self) -> String {
        let mut t = format!(
            "{} files, {} frames, {} TCP frames compared ({} only tshark decodes, {} only socklab, \
             {} frames socklab reports malformed, {} tunnelled or quoted TCP frames left out)\n\n| field | frames | agree | share |\n|---|---:|---:|---:|\n",
            self.files,
            self.frames,
            self.tcp_both,
            self.tshark_only,
            self.ours_only,
            self.malformed,
            self.left_out
        );
        for (field, (n, ok)) in &self.fields {
            t.push_str(&format!(
                "| {field} | {n} | {ok} | {:.3} % |\n",
                *ok as f64 * 100.0 / (*n).max(1) as f64
            ));
        }
        t
    }
}

fn compare(tally: &mut Tally, file: &Path, ours: &Ours, (theirs, left_out): &Theirs) {
    let name = file.file_name().unwrap().to_string_lossy();
    for (frame, t) in theirs {
        let Some(o) = ours.tcp.get(frame) else {
            tally.tshark_only += 1;
            let why = ours
                .malformed
                .get(frame)
                .map_or("not decoded".to_string(), |r| format!("malformed: {r}"));
            tally.diffs.push(format!(
                "{name} #{frame}: only tshark decodes TCP here ({why})"
            ));
            continue;
        };
        tally.tcp_both += 1;
        let mut differ = Vec::new();
        let mut check = |field: &'static str, equal: bool, what: String| {
            tally.count(field, equal);
            if !equal {
                differ.push(what);
            }
        };
        check(
            "ports",
            o.ports == t.ports,
            format!("ports {:?} vs {:?}", o.ports, t.ports),
        );
        check(
            "flags",
            o.flags == t.flags,
            format!("flags {:#x} vs {:#x}", o.flags, t.flags),
        );
        check(
            "seq",
            o.seq == t.seq,
            format!("seq {:?} vs {:?}", o.seq, t.seq),
        );
        // Without the ACK flag the field means nothing (RFC 9293 §3.1):
        // socklab shows no ack, tshark the raw field. Compared only with it.
        if t.flags & 0x10 != 0 {
            check(
                "ack",
                o.ack == t.ack,
                format!("ack {:?} vs {:?}", o.ack, t.ack),
            );
        }
        check(
            "len",
            o.len == t.len,
            format!("len {:?} vs {:?}", o.len, t.len),
        );
        check(
            "window",
            o.win == t.win,
            format!("win {:?} vs {:?}", o.win, t.win),
        );
        check(
            "analysis",
            o.analysis == t.analysis,
            format!("analysis {:?} vs {:?}", o.analysis, t.analysis),
        );
        if !differ.is_empty() {
            tally.diffs.push(format!(
                "{name} #{frame}: {} (socklab vs tshark)",
                differ.join(", ")
            ));
        }
    }
    tally.left_out += left_out.len() as u64;
    for frame in ours
        .tcp
        .keys()
        .filter(|f| !theirs.contains_key(f) && !left_out.contains(f))
    {
        tally.ours_only += 1;
        tally
            .diffs
            .push(format!("{name} #{frame}: only socklab decodes TCP here"));
    }
}

#[test]
fn every_capture_is_read_to_its_end_and_agrees_with_tshark() {
    let files = corpus_files();
    assert!(files.len() > 600, "the corpus is there: {}", files.len());
    let with_tshark = tshark_or_skip();
    let tally = Mutex::new(Tally::default());
    let problems = Mutex::new(Vec::new());
    let queue = Mutex::new(files.iter().collect::<Vec<_>>());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let Some(file) = queue.lock().unwrap().pop() else {
                        return;
                    };
                    let ours = socklab_replay(file);
                    if let Some(problem) = &ours.problem {
                        problems
                            .lock()
                            .unwrap()
                            .push(format!("{}: {problem}", file.display()));
                    }
                    let theirs = if with_tshark { tshark_tcp(file) } else { None };
                    let frames = frames_in(file);
                    let mut tally = tally.lock().unwrap();
                    tally.files += 1;
                    tally.frames += frames;
                    tally.malformed += ours.malformed.len() as u64;
                    if let Some(theirs) = theirs {
                        compare(&mut tally, file, &ours, &theirs);
                    }
                }
            });
        }
    });
    let problems = problems.into_inner().unwrap();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    if !with_tshark {
        return;
    }
    let mut tally = tally.into_inner().unwrap();
    tally.diffs.sort();
    let table = tally.table();
    eprintln!("{table}");
    if let Some(path) = std::env::var_os("SOCKLAB_CORPUS_REPORT") {
        std::fs::write(path, &table).unwrap();
    }
    if let Some(path) = std::env::var_os("SOCKLAB_CORPUS_DIFFS") {
        std::fs::write(path, tally.diffs.join("\n")).unwrap();
    }
    assert!(tally.tcp_both > 1000, "the comparison compared: {table}");
    for field in ["seq", "ack", "flags"] {
        assert!(
            tally.share(field) >= 0.999,
            "{field} agrees on less than 99.9 % of the frames:\n{table}\nfirst differences:\n{}",
            tally
                .diffs
                .iter()
                .take(40)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}
