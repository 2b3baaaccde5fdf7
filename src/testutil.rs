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
