//! `socklab replay FILE`: a capture file explained with the lesson ladder.
//! Input: `tests/fixtures/tcp-close.pcap`, captured by `socklab run
//! tcp-close --pcap`, and the same frames rewritten as pcapng (by tshark's
//! editcap), behind Linux cooked headers, and as raw IP.

mod common;

use std::path::{Path, PathBuf};

use pcap_file::DataLink;
use pcap_file::pcap::{PcapHeader, PcapPacket, PcapReader, PcapWriter};

use common::{socklab, socklab_ok, stdout};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tcp-close.pcap")
}

fn replay(path: &Path) -> std::process::Output {
    socklab()
        .args(["--color", "never", "replay"])
        .arg(path)
        .output()
        .unwrap()
}

/// The output without its first line, which names the file.
fn ladder(output: &std::process::Output) -> String {
    stdout(output).split_once('\n').unwrap().1.to_string()
}

/// Rewrites the fixture with another link layer: `header` goes in front of
/// each frame's IP packet.
fn relinked(dir: &Path, name: &str, link: DataLink, header: &[u8]) -> PathBuf {
    let mut reader = PcapReader::new(std::fs::File::open(fixture()).unwrap()).unwrap();
    let path = dir.join(name);
    let out = std::fs::File::create(&path).unwrap();
    let mut writer = PcapWriter::with_header(
        out,
        PcapHeader {
            datalink: link,
            ..PcapHeader::default()
        },
    )
    .unwrap();
    while let Some(packet) = reader.next_packet() {
        let packet = packet.unwrap();
        let mut data = header.to_vec();
        data.extend_from_slice(&packet.data[14..]);
        writer
            .write_packet(&PcapPacket::new(packet.timestamp, data.len() as u32, &data))
            .unwrap();
    }
    path
}

#[test]
fn replays_a_socklab_capture() {
    let output = replay(&fixture());
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Times come from the file: nothing to redact.
    insta::assert_snapshot!("replay-tcp-close", ladder(&output));
}

#[test]
fn cooked_and_raw_link_layers_give_the_same_ladder() {
    let dir = tempfile::tempdir().unwrap();
    let want = ladder(&replay(&fixture()));
    let sll = [0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0x08, 0x00];
    let sll2 = [
        0x08, 0x00, 0, 0, 0, 0, 0, 1, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0,
    ];
    for path in [
        relinked(dir.path(), "sll.pcap", DataLink::LINUX_SLL, &sll),
        relinked(dir.path(), "sll2.pcap", DataLink::LINUX_SLL2, &sll2),
        relinked(dir.path(), "raw.pcap", DataLink::RAW, &[]),
    ] {
        let output = replay(&path);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(ladder(&output), want, "{}", path.display());
    }
}

#[test]
fn pcapng_gives_the_same_ladder() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("close.pcapng");
    let converted = std::process::Command::new("editcap")
        .args(["-F", "pcapng"])
        .arg(fixture())
        .arg(&path)
        .status();
    if !converted.is_ok_and(|s| s.success()) {
        common::skip(
            "pcapng replay",
            "editcap (installed with tshark) is missing",
        );
        return;
    }
    let output = replay(&path);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(ladder(&output), ladder(&replay(&fixture())));
}

/// A file cut short (a capture copied before it was complete) is replayed
/// up to where it stops, says where and why, and exits 0: what it could
/// read was read to its end, as tshark does.
#[test]
fn a_cut_file_names_the_frame_where_it_ends() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cut.pcap");
    let bytes = std::fs::read(fixture()).unwrap();
    std::fs::write(&path, &bytes[..1500]).unwrap();
    let output = replay(&path);
    assert_eq!(output.status.code(), Some(0));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains(
            "cut.pcap: frame 18: the file ends in the middle of this frame: it was cut \
             short; the 17 frames before it were replayed"
        ),
        "{err}"
    );
    // What came before is still shown, and the summary says where it ends.
    let out = stdout(&output);
    assert!(out.contains("close ①"));
    assert!(
        out.contains("The file stops being readable at frame 18: the file ends in the middle"),
        "{out}"
    );
}

/// A frame that cannot be decoded is shown as malformed, with the reason
/// in plain words, and the replay goes on (tshark's "Malformed Packet").
#[test]
fn a_malformed_frame_is_named_and_the_replay_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = std::fs::read(fixture()).unwrap();
    // The pcap header is 24 bytes, each record header 16: frame 1's TCP
    // data offset is at 24 + 16 + 14 + 20 + 12. 15 words do not fit.
    bytes[24 + 16 + 14 + 20 + 12] = 0xf0;
    let path = dir.path().join("bad.pcap");
    std::fs::write(&path, bytes).unwrap();
    let output = replay(&path);
    assert_eq!(output.status.code(), Some(0));
    let out = stdout(&output);
    assert!(
        out.contains(
            "frame 1 malformed: TCP data offset is 60 bytes, more than the 40 bytes of the \
             segment"
        ),
        "{out}"
    );
    // The frames after it are explained, and the summary counts it.
    assert!(out.contains("close ①"), "{out}");
    assert!(out.contains("1 malformed"), "{out}");
    let lines = common::socklab_ok(&["replay", "--format", "lines"], &path);
    assert!(
        lines.lines().next().unwrap().ends_with(
            "frame 1 malformed: TCP data offset is 60 bytes, more than the 40 bytes of the segment"
        ),
        "{lines}"
    );
    let json = common::socklab_ok(&["replay", "--format", "json"], &path);
    let first = &common::json_lines(&json)[1];
    assert_eq!(first["event"], "skipped");
    assert_eq!(first["why"], "malformed");
    assert_eq!(first["frame"], 1);
}

#[test]
fn not_a_capture_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, "hello, not a capture\n").unwrap();
    let output = replay(&path);
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains("is not a capture file socklab can read (pcap or pcapng)"),
        "{err}"
    );
    assert!(output.stdout.is_empty());
}

/// `--mermaid FILE` writes what the ladder showed as a Mermaid sequence
/// diagram.
#[test]
fn mermaid_diagram_of_a_replay() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("close.mmd");
    let output = socklab()
        .args(["--color", "never", "replay"])
        .arg(fixture())
        .arg("--mermaid")
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    insta::assert_snapshot!(
        "replay-tcp-close-mermaid",
        std::fs::read_to_string(&path).unwrap()
    );
}

/// A capture cut to its first 96 bytes per frame (`tcpdump -s 96`) still
/// gives every length and number, and the same lines as the full capture.
#[test]
fn snapshot_length_cuts_are_read_from_the_headers() {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/zero-window.pcap");
    let dir = tempfile::tempdir().unwrap();
    let cut = dir.path().join("cut96.pcap");
    let mut reader = PcapReader::new(std::fs::File::open(&full).unwrap()).unwrap();
    let mut writer = PcapWriter::with_header(
        std::fs::File::create(&cut).unwrap(),
        PcapHeader {
            datalink: DataLink::ETHERNET,
            snaplen: 96,
            ..PcapHeader::default()
        },
    )
    .unwrap();
    let mut shortened = 0;
    while let Some(packet) = reader.next_packet() {
        let packet = packet.unwrap();
        let keep = packet.data.len().min(96);
        shortened += usize::from(keep < packet.data.len());
        writer
            .write_packet(&PcapPacket::new(
                packet.timestamp,
                packet.orig_len,
                &packet.data[..keep],
            ))
            .unwrap();
    }
    drop(writer);
    assert!(
        shortened > 50,
        "the fixture's data segments are longer than 96 bytes"
    );
    let lines = |path: &Path| socklab_ok(&["replay", "--format", "lines"], path);
    let want = lines(&full);
    assert_eq!(want.lines().count(), 90);
    assert!(want.contains("len=1448"));
    assert_eq!(lines(&cut), want);
}

/// `--format json`: one object per packet, schema version 1 (README).
#[test]
fn json_lines_follow_the_schema() {
    let output = socklab()
        .args(["replay", "--format", "json"])
        .arg(fixture())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = stdout(&output);
    let objects: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert!(objects.iter().all(|o| o["v"] == 4));
    assert_eq!(objects[0]["event"], "capture");
    assert_eq!(objects.last().unwrap()["event"], "capture_end");
    let packets: Vec<&serde_json::Value> =
        objects.iter().filter(|o| o["event"] == "packet").collect();
    assert_eq!(packets.len(), 19);
    for (i, object) in packets.iter().enumerate() {
        assert_eq!(object["frame"], i + 1);
        assert_eq!(object["transport"]["proto"], "tcp");
    }
    assert_eq!(
        packets[17]["notes"],
        serde_json::json!([{ "kind": "close_fin_ack_merged" }])
    );
    assert_eq!(packets[17]["tcp"]["sender"]["after"], "LAST-ACK");
    // The capture's path from the crate's folder on: a clone may be anywhere.
    let text = text.replace(concat!(env!("CARGO_MANIFEST_DIR"), "/"), "");
    insta::assert_snapshot!("replay-tcp-close-json", text);
}

/// `replay --pcap` writes every frame it read, in the source's link type,
/// with its time and length: the copy holds the same packets and frames.
#[test]
fn replay_writes_the_frames_it_read_to_a_pcap() {
    let dir = tempfile::tempdir().unwrap();
    let sll2 = [
        0x08, 0x00, 0, 0, 0, 0, 0, 1, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0,
    ];
    let cooked = relinked(dir.path(), "sll2.pcap", DataLink::LINUX_SLL2, &sll2);
    let copy = dir.path().join("copy.pcap");
    let lines = socklab_ok(
        &[
            "replay",
            "--format",
            "lines",
            "--pcap",
            copy.to_str().unwrap(),
        ],
        &cooked,
    );
    let frames = |path: &Path| {
        let mut reader = PcapReader::new(std::fs::File::open(path).unwrap()).unwrap();
        let link = reader.header().datalink;
        let mut all = Vec::new();
        while let Some(packet) = reader.next_packet() {
            let packet = packet.unwrap();
            all.push((packet.timestamp, packet.orig_len, packet.data.to_vec()));
        }
        (link, all)
    };
    assert_eq!(frames(&copy), frames(&cooked));
    assert_eq!(socklab_ok(&["replay", "--format", "lines"], &copy), lines);
}

/// `loss-in-a-long-run.pcap`: a lab-wire transfer of 400 000 bytes whose
/// 20th data segment the wire dropped (cut to 96 bytes a frame). Replay
/// counts the resent segments and duplicate ACKs of a long run in its
/// summary row, and the counts add up to what `--all-packets` shows one by
/// one.
#[test]
fn losses_in_a_long_run_are_counted_in_its_summary_row() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/loss-in-a-long-run.pcap");
    let count =
        |text: &str, pattern: &str| regex::Regex::new(pattern).unwrap().find_iter(text).count();
    let sum = |text: &str, pattern: &str| -> usize {
        regex::Regex::new(pattern)
            .unwrap()
            .captures_iter(text)
            .map(|c| c[1].parse::<usize>().unwrap())
            .sum()
    };
    let resend_lines = r"(?m)^ +(fast |spurious )?retransmission:";
    let duplicate_lines = r"duplicate ACK #\d+";

    let all = socklab()
        .args(["--color", "never", "replay", "--all-packets"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(all.status.success());
    let all = stdout(&all);
    let (resent, duplicates) = (count(&all, resend_lines), count(&all, duplicate_lines));
    assert_eq!((resent, duplicates), (2, 5), "{all}");

    let summarised = replay(&path);
    assert!(summarised.status.success());
    let summarised = stdout(&summarised);
    let folded = sum(&summarised, r"(\d+) resent");
    assert!(
        folded > 0,
        "no loss was counted in a summary row:\n{summarised}"
    );
    assert_eq!(
        folded + count(&summarised, resend_lines),
        resent,
        "{summarised}"
    );
    assert_eq!(
        sum(&summarised, r"(\d+) dup\b") + count(&summarised, duplicate_lines),
        duplicates,
        "{summarised}"
    );
    assert!(summarised.lines().count() < all.lines().count() / 5);
}
