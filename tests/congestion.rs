//! `tcp-congestion`: the kernel's congestion view, read between round trips,
//! checked here against the rules the lesson names, from the numbers of
//! `--format json` alone (not with socklab's own checks): slow start adds a
//! segment per segment delivered (RFC 5681 §3.1), a loss sets ssthresh to
//! what the algorithm gives for the window and FlightSize (Reno: RFC 5681
//! eq. 4; CUBIC: RFC 9438 §4.6), a timeout leaves one segment (RFC 5681
//! §3.1), Reno's congestion avoidance adds one segment per round trip.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{json_lines, socklab};
use serde_json::Value;

/// The lesson's congestion readings, in order, with the change each says.
fn readings() -> Vec<Value> {
    let output = socklab()
        .args(["run", "tcp-congestion", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    json_lines(&String::from_utf8(output.stdout).unwrap())
        .into_iter()
        .filter(|e| e["event"] == "congestion")
        .collect()
}

fn n(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("a number: {v}"))
}

#[test]
fn the_kernel_s_numbers_fit_the_rules_the_lesson_names() {
    let readings = readings();
    let mut seen: Vec<(String, String)> = Vec::new();
    for socket in ["reno", "cubic"] {
        let mine: Vec<&Value> = readings.iter().filter(|r| r["socket"] == socket).collect();
        assert!(mine.len() >= 8, "{socket}: {} readings", mine.len());
        for (i, r) in mine.iter().enumerate() {
            let info = &r["info"];
            let change = &r["change"];
            let kind = change["kind"].as_str().unwrap().to_string();
            assert_eq!(info["algorithm"], socket, "{r}");
            assert_eq!(n(&r["reading"]), i as u64 + 1, "{r}");
            // Every reading was taken between round trips, in step with the
            // capture: the kernel had counted the very segments shown.
            assert_eq!(r["when"], "quiet", "{r}");
            assert_eq!(r["in_step"], true, "{r}");
            seen.push((socket.to_string(), kind.clone()));
            let Some(before) = i.checked_sub(1).map(|b| &mine[b]["info"]) else {
                // Linux's initial window, RFC 6928.
                assert_eq!(kind, "first");
                assert_eq!(n(&info["cwnd"]), 10);
                continue;
            };
            let (cwnd, was) = (n(&info["cwnd"]), n(&before["cwnd"]));
            let delivered = n(&info["delivered"]) - n(&before["delivered"]);
            match kind.as_str() {
                "slow_start" if change["reached"] == false => {
                    // One segment for each segment delivered, no more.
                    assert!(cwnd > was && cwnd - was <= delivered, "{r}");
                }
                "recovery" | "timeout" => {
                    let flight = n(&before["unacked"]);
                    let ssthresh = n(&info["ssthresh"]);
                    let expected = match socket {
                        "reno" => (was / 2).max(2),
                        _ => (was * 717 / 1024).max(2),
                    };
                    assert_eq!(ssthresh, expected, "{socket}'s cut: {r}");
                    // The window was full, so RFC 5681's FlightSize is cwnd.
                    assert_eq!(flight, was, "{r}");
                    if socket == "reno" {
                        assert_eq!(ssthresh, (flight / 2).max(2), "RFC 5681 eq. 4: {r}");
                    }
                    if kind == "timeout" {
                        assert_eq!(cwnd, 1, "the loss window: {r}");
                        assert_eq!(info["ca_state"], "loss", "{r}");
                    } else {
                        assert_eq!(info["ca_state"], "recovery", "{r}");
                    }
                }
                "avoidance" if socket == "reno" => {
                    // One segment per round trip, one reading per round trip.
                    assert!(cwnd == was || cwnd == was + 1, "{r}");
                    assert_eq!(change["clock"], false, "{r}");
                }
                "avoidance" => assert_eq!(change["clock"], true, "{r}"),
                "still_lost" => assert!(cwnd <= 2 * was, "{r}"),
                _ => {}
            }
        }
    }
    // Every moment the lesson names happened.
    for (socket, kind) in [
        ("reno", "slow_start"),
        ("reno", "recovery"),
        ("reno", "still_recovering"),
        ("reno", "recovered"),
        ("reno", "avoidance"),
        ("reno", "timeout"),
        ("reno", "still_lost"),
        ("cubic", "slow_start"),
        ("cubic", "recovery"),
        ("cubic", "recovered"),
        ("cubic", "avoidance"),
    ] {
        assert!(
            seen.contains(&(socket.to_string(), kind.to_string())),
            "no {socket} {kind} in {seen:?}"
        );
    }
}

/// The slow start of both connections doubles the window every round trip,
/// 10, 20, 40, as the lesson says; Reno halves it to 20 at the loss, CUBIC
/// keeps 28; the timeout leaves Reno one segment with ssthresh 14.
#[test]
fn the_numbers_the_lesson_s_text_gives() {
    let readings = readings();
    let cwnd = |socket: &str| -> Vec<u64> {
        readings
            .iter()
            .filter(|r| r["socket"] == socket)
            .map(|r| n(&r["info"]["cwnd"]))
            .collect()
    };
    assert_eq!(cwnd("reno")[..3], [10, 20, 40]);
    assert_eq!(cwnd("cubic")[..3], [10, 20, 40]);
    let cut = |socket: &str, kind: &str| -> (u64, u64) {
        let r = readings
            .iter()
            .find(|r| r["socket"] == socket && r["change"]["kind"] == kind)
            .unwrap();
        (n(&r["info"]["cwnd"]), n(&r["info"]["ssthresh"]))
    };
    assert_eq!(cut("reno", "recovery"), (20, 20));
    assert_eq!(cut("cubic", "recovery"), (28, 28));
    assert_eq!(cut("reno", "timeout"), (1, 14));
}

/// Every retransmission and duplicate ACK the ladder names is one that
/// tshark's own analysis (`tcp.analysis`) names on the same frame of the
/// same capture, and tshark names none the ladder does not: the lesson's
/// story of the loss is Wireshark's too.
#[test]
fn tshark_names_the_same_retransmissions_and_duplicate_acks() {
    let available = std::process::Command::new("tshark")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !available {
        common::skip(
            "tcp-congestion against tshark",
            "tshark is not installed (.ci/run installs it)",
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let pcap = dir.path().join("congestion.pcap");
    let output = socklab()
        .args(["run", "tcp-congestion", "--format", "json", "--pcap"])
        .arg(&pcap)
        .output()
        .unwrap();
    assert!(output.status.success());
    const KINDS: [&str; 3] = ["duplicate_ack", "fast_retransmission", "retransmission"];
    let mut ladder: BTreeMap<u64, BTreeSet<String>> = BTreeMap::new();
    for event in json_lines(&String::from_utf8(output.stdout).unwrap()) {
        if event["event"] != "packet" {
            continue;
        }
        for note in event["notes"].as_array().into_iter().flatten() {
            let kind = note["kind"].as_str().unwrap_or_default();
            if KINDS.contains(&kind) {
                ladder
                    .entry(n(&event["frame"]))
                    .or_default()
                    .insert(kind.to_string());
            }
        }
    }
    let fields = std::process::Command::new("tshark")
        .arg("-r")
        .arg(&pcap)
        .args(["-Y", "tcp", "-T", "fields", "-e", "frame.number"])
        .args(
            KINDS
                .iter()
                .flat_map(|k| ["-e".to_string(), format!("tcp.analysis.{k}")]),
        )
        .output()
        .unwrap();
    assert!(fields.status.success());
    let mut tshark: BTreeMap<u64, BTreeSet<String>> = BTreeMap::new();
    for line in String::from_utf8(fields.stdout).unwrap().lines() {
        let mut columns = line.split('\t');
        let frame: u64 = columns.next().unwrap().parse().unwrap();
        let mut kinds: BTreeSet<String> = KINDS
            .iter()
            .zip(columns)
            .filter(|(_, value)| !value.is_empty())
            .map(|(kind, _)| kind.to_string())
            .collect();
        // Wireshark flags a fast retransmission as a retransmission too.
        if kinds.contains("fast_retransmission") {
            kinds.remove("retransmission");
        }
        if !kinds.is_empty() {
            tshark.insert(frame, kinds);
        }
    }
    // The lesson's losses: two fast retransmissions (one per connection),
    // the 28 segments resent after the timeout, and the duplicate ACKs.
    let count = |map: &BTreeMap<u64, BTreeSet<String>>, kind: &str| {
        map.values().filter(|k| k.contains(kind)).count()
    };
    assert_eq!(count(&ladder, "fast_retransmission"), 2, "{ladder:?}");
    assert!(count(&ladder, "retransmission") >= 28, "{ladder:?}");
    assert!(count(&ladder, "duplicate_ack") >= 6, "{ladder:?}");
    assert_eq!(ladder, tshark);
}
