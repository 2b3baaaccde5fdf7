//! `socklab replay` of a few corpus captures (tests/corpus/SOURCES.md), in
//! each output format, compared with their insta snapshots: a TCP segment
//! caught mid-connection (numbered seq=1 ack=1, as tshark numbers it),
//! IP fragments, a double-tagged VLAN (QinQ) capture, a traceroute
//! through MPLS (ICMP time exceeded); and socklab's own capture of
//! keep-alives followed by a new connection on the same ports after an
//! RST (tests/fixtures/keepalive-port-reuse.pcap, made on a private
//! loopback by a Python client with TCP_KEEPIDLE=1 s, then SO_LINGER 0 and
//! a bind to the same port; tshark 4.0 marks frames 6 and 8 Keep-Alive, 7
//! and 9 Keep-Alive ACK, and only the SYN of frame 11 "port numbers
//! reused").

mod common;

use std::path::{Path, PathBuf};

/// A capture of tcpdump's test files, or another file under `tests/`.
fn corpus(name: &str) -> PathBuf {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    if name.contains('/') {
        tests.join(name)
    } else {
        tests.join("corpus/tcpdump").join(name)
    }
}

/// The three formats of one file; the ladder without its title line,
/// which names the file by its full path, and the JSON's `source` from the
/// crate's folder on (a clone may be anywhere).
fn formats(name: &str) -> (String, String, String) {
    let path = corpus(name);
    let ladder = common::socklab_ok(&["--color", "never", "replay"], &path);
    let ladder = ladder.split_once('\n').unwrap().1.to_string();
    let lines = common::socklab_ok(&["replay", "--format", "lines"], &path);
    let json = common::socklab_ok(&["replay", "--format", "json"], &path)
        .replace(concat!(env!("CARGO_MANIFEST_DIR"), "/"), "");
    (ladder, lines, json)
}

fn snapshot(name: &str, id: &str) {
    let (ladder, lines, json) = formats(name);
    insta::assert_snapshot!(format!("corpus-{id}-ladder"), ladder);
    insta::assert_snapshot!(format!("corpus-{id}-lines"), lines);
    insta::assert_snapshot!(format!("corpus-{id}-json"), json);
}

#[test]
fn mid_connection_start() {
    snapshot("bgp_vpn_attrset.pcap", "mid-connection");
}

#[test]
fn ip_fragments() {
    snapshot("isakmp-various-oobr.pcap", "fragments");
}

#[test]
fn qinq_vlan() {
    snapshot("QinQpacket.pcap", "qinq-vlan");
}

#[test]
fn traceroute_over_mpls() {
    snapshot("mpls-traceroute.pcap", "mpls-traceroute");
}

#[test]
fn keep_alives_then_ports_reused() {
    snapshot("fixtures/keepalive-port-reuse.pcap", "keepalive-port-reuse");
    // The labels tshark gives these frames, as the JSON names them.
    let (_, _, json) = formats("fixtures/keepalive-port-reuse.pcap");
    let labelled = |kind: &str| -> Vec<usize> {
        json.lines()
            .filter(|line| line.contains(&format!("\"kind\":\"{kind}\"")))
            .filter_map(|line| {
                let at = line.find("\"frame\":")? + 8;
                line[at..]
                    .split(|c: char| !c.is_ascii_digit())
                    .next()?
                    .parse()
                    .ok()
            })
            .collect()
    };
    assert_eq!(labelled("keep_alive"), [6, 8]);
    assert_eq!(labelled("keep_alive_ack"), [7, 9]);
    assert_eq!(labelled("ports_reused"), [11]);
}
