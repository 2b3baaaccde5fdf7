//! `socklab replay` of a few corpus captures (tests/corpus/SOURCES.md), in
//! each output format, compared with their insta snapshots: a TCP segment
//! caught mid-connection (numbered seq=1 ack=1, as tshark numbers it),
//! IP fragments, a double-tagged VLAN (QinQ) capture, and a traceroute
//! through MPLS (ICMP time exceeded).

mod common;

use std::path::{Path, PathBuf};

fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus/tcpdump")
        .join(name)
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
