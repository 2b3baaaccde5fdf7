//! Test fixtures: frames captured from real lesson runs
//! (`socklab run LESSON --auto --pcap tests/fixtures/LESSON.pcap`).

use std::time::Duration;

use pcap_file::pcap::PcapReader;

use crate::capture::decode::decode_ethernet;
use crate::packet::Packet;

/// The raw frames of a fixture, in capture order.
pub fn frames(name: &str) -> Vec<Vec<u8>> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut reader = PcapReader::new(file).unwrap();
    let mut frames = Vec::new();
    while let Some(packet) = reader.next_packet() {
        frames.push(packet.unwrap().data.into_owned());
    }
    frames
}

/// The decoded packets of a fixture, numbered from 1.
pub fn packets(name: &str) -> Vec<Packet> {
    frames(name)
        .iter()
        .enumerate()
        .filter_map(|(i, f)| {
            // Frames that are not a lesson's (listener reports) are skipped,
            // as the runner skips them.
            decode_ethernet(i + 1, Duration::from_millis(i as u64), f)
                .expect("fixture frames decode")
        })
        .collect()
}

/// `tcp-close.pcap`'s first connection (client 127.0.0.1:56716, server
/// 127.0.0.1:5000: handshake, data both ways, close), tracked, with its
/// ladder columns.
pub fn close_rows() -> (crate::render::ladder::Columns, Vec<crate::track::Row>) {
    use crate::render::ladder::{Columns, Side};
    let mut tracker = crate::track::Tracker::new();
    let rows: Vec<crate::track::Row> = packets("tcp-close.pcap")
        .into_iter()
        .map(|p| tracker.track(p))
        .filter(|row| row.conversation == 0)
        .collect();
    let side = |actor: &str, actor_index, addr| Side {
        actor: actor.into(),
        actor_index,
        addr,
    };
    let columns = Columns {
        left: side("client", 0, rows[0].packet.src),
        right: side("server", 1, rows[0].packet.dst),
    };
    (columns, rows)
}

/// A unit test that cannot run here says so, as `tests/common::skip`
/// does for the integration tests. Under CI (`CI` set) that is a failure:
/// CI must run every test. Elsewhere the notice goes straight to standard
/// error: `eprintln!` in a test is captured by the test harness, and a
/// skip would pass unseen.
pub fn skip(test: &str, reason: &str) {
    assert!(
        std::env::var_os("CI").is_none(),
        "{test} cannot run here, and CI must run it: {reason}"
    );
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {reason}");
}
