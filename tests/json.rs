//! `socklab run --format json`: one JSON object per event, every packet
//! event the same as `replay --format json` says of the run's own capture.

mod common;

use common::{json_lines, socklab, socklab_ok};
use serde_json::Value;

/// The events of a run, parsed; the run also writes its capture to `pcap`.
fn run_json(id: &str, pcap: &std::path::Path) -> Vec<Value> {
    json_lines(&socklab_ok(
        &["run", id, "--format", "json", "--pcap"],
        pcap,
    ))
}

/// A packet event without what only a run knows (its step, actors, what the
/// wire did) and without the clock, whose zero differs.
fn as_replay_would_say(event: &Value) -> Value {
    let mut event = event.clone();
    if let Some(object) = event.as_object_mut() {
        for key in ["step", "from", "to", "fate", "delayed_ms", "time"] {
            object.remove(key);
        }
    }
    event
}

#[test]
fn every_event_is_versioned_and_packets_match_the_replay_of_the_capture() {
    let dir = tempfile::tempdir().unwrap();
    for id in ["tcp-close", "udp-unreliable"] {
        let pcap = dir.path().join(format!("{id}.pcap"));
        let events = run_json(id, &pcap);
        assert!(events.iter().all(|e| e["v"] == 4), "{id}: {events:?}");
        let kinds: Vec<&str> = events
            .iter()
            .map(|e| e["event"].as_str().unwrap())
            .collect();
        assert_eq!(kinds.first(), Some(&"lesson"), "{id}");
        assert_eq!(kinds.last(), Some(&"end"), "{id}");
        for kind in ["step", "call", "returned", "packet", "kernel", "after"] {
            assert!(
                kinds.contains(&kind),
                "{id}: no `{kind}` event in {kinds:?}"
            );
        }

        let packets: Vec<Value> = events
            .iter()
            .filter(|e| e["event"] == "packet")
            .map(as_replay_would_say)
            .collect();
        let replay = socklab_ok(&["replay", "--format", "json"], &pcap);
        let replayed: Vec<Value> = json_lines(&replay)
            .iter()
            .filter(|e| e["event"] == "packet")
            .map(as_replay_would_say)
            .collect();
        assert_eq!(packets, replayed, "{id}");
    }
}

/// What the wire did to each frame is in its event: udp-unreliable drops
/// one datagram, duplicates one and reorders one.
#[test]
fn packet_events_carry_the_wire_s_fate() {
    let dir = tempfile::tempdir().unwrap();
    let events = run_json("udp-unreliable", &dir.path().join("u.pcap"));
    let fates: Vec<&str> = events
        .iter()
        .filter(|e| e["event"] == "packet" && e["transport"]["proto"] == "udp")
        .map(|e| e["fate"].as_str().unwrap())
        .collect();
    for fate in ["dropped", "duplicate", "reordered"] {
        assert_eq!(
            fates.iter().filter(|f| **f == fate).count(),
            1,
            "{fate} in {fates:?}"
        );
    }
}

/// Every line of a run's JSON is socklab's event type, both ways: it reads
/// back into an `Event` that writes the same line again. What the schema
/// (`socklab schema`) describes is exactly what is written.
#[test]
fn every_line_reads_back_into_the_event_it_was_written_from() {
    for id in [
        "tcp-handshake-held",
        "udp-multicast",
        "tcp-chat",
        "tcp-congestion",
    ] {
        let output = socklab()
            .args(["run", id, "--format", "json"])
            .output()
            .unwrap();
        assert!(output.status.success(), "{id}");
        let text = String::from_utf8(output.stdout).unwrap();
        for line in text.lines() {
            let event: socklab::event::Event =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{id}: {e}: {line}"));
            let again: Value = serde_json::from_str(&event.to_json()).unwrap();
            let original: Value = serde_json::from_str(line).unwrap();
            assert_eq!(again, original, "{id}");
        }
    }
}
