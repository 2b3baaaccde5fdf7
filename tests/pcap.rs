//! `run --pcap FILE` writes exactly the packets the diagram showed: the
//! same count, directions, flags, relative seq/ack, lengths and windows.
//! Checked twice, independently of socklab's own decoder: with pnet in this
//! test, and with tshark where it is installed (`.ci/run` installs it, and
//! under CI=true a missing tshark is a failure).

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use pcap_file::pcap::PcapReader;
use pnet::packet::Packet as _;
use pnet::packet::ethernet::{EtherTypes, EthernetPacket};
use pnet::packet::ip::IpNextHeaderProtocols;
use pnet::packet::ipv4::Ipv4Packet;
use pnet::packet::ipv6::Ipv6Packet;
use pnet::packet::tcp::{TcpFlags, TcpPacket};
use pnet::packet::udp::UdpPacket;
use regex::Regex;

use common::{LESSONS, run_lesson, stdout};

/// One arrow as the learner reads it: from which port to which, and its
/// label.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Arrow {
    from: u16,
    to: u16,
    label: String,
}

/// The arrows of a lesson's plain output, in order. Each ladder header
/// names the ports of its two columns; an arrow goes from one to the other.
/// A label too long for its arrow goes on under it, at the label's column.
fn diagram(output: &str) -> Vec<Arrow> {
    let header = Regex::new(r"^ +\S+:(\d+) +\S+:(\d+)$").unwrap();
    let arrow = Regex::new(
        r"(◀|✗)?─+ ((?:[A-Z,]+ seq=\d+(?: ack=\d+)?(?: len=\d+)?(?: win=\d+)?)|UDP len=\d+|ICMP port unreachable) ─*(▶|✗)?",
    )
    .unwrap();
    let folded = Regex::new(r"^ {26}(\S.*)$").unwrap();
    let mut columns = (0, 0);
    let mut arrows = Vec::new();
    let mut lines = output.lines().peekable();
    while let Some(line) = lines.next() {
        if let Some(c) = header.captures(line) {
            columns = (c[1].parse().unwrap(), c[2].parse().unwrap());
        } else if let Some(c) = arrow.captures(line) {
            let (from, to) = if c.get(3).is_some() {
                columns
            } else {
                (columns.1, columns.0)
            };
            let mut label = c[2].to_string();
            while let Some(rest) = lines.peek().and_then(|l| folded.captures(l)) {
                label.push(' ');
                label.push_str(&rest[1]);
                lines.next();
            }
            arrows.push(Arrow { from, to, label });
        }
    }
    arrows
}

fn flag_names(flags: u8) -> String {
    let names = [
        (TcpFlags::SYN, "SYN"),
        (TcpFlags::FIN, "FIN"),
        (TcpFlags::RST, "RST"),
        (TcpFlags::PSH, "PSH"),
        (TcpFlags::ACK, "ACK"),
    ];
    names
        .iter()
        .filter(|(bit, _)| flags & bit == *bit)
        .map(|(_, n)| *n)
        .collect::<Vec<_>>()
        .join(",")
}

/// Decodes the pcap file with pnet, computing relative numbers the way
/// Wireshark does: from each sender's SYN, or as if its first segment were
/// byte 1 when its SYN was not seen.
fn decode_pcap(path: &Path) -> Vec<Arrow> {
    let mut reader = PcapReader::new(std::fs::File::open(path).unwrap()).unwrap();
    // Keyed by (sender port, receiver port): one entry per direction of
    // each connection.
    let mut base: HashMap<(u16, u16), u32> = HashMap::new();
    let mut wscale: HashMap<(u16, u16), u8> = HashMap::new();
    let mut arrows = Vec::new();
    while let Some(frame) = reader.next_packet() {
        let frame = frame.unwrap();
        let eth = EthernetPacket::new(&frame.data).unwrap();
        // ARP on the lab wire is drawn too, but has no ports to compare.
        if eth.get_ethertype() == EtherTypes::Arp {
            continue;
        }
        let (proto, body, quoted_ip_header) = match eth.get_ethertype() {
            EtherTypes::Ipv4 => {
                let ip = Ipv4Packet::new(eth.payload()).unwrap();
                let len = usize::from(ip.get_total_length()) - 20;
                (
                    ip.get_next_level_protocol(),
                    ip.payload()[..len].to_vec(),
                    20,
                )
            }
            EtherTypes::Ipv6 => {
                let ip = Ipv6Packet::new(eth.payload()).unwrap();
                let len = usize::from(ip.get_payload_length());
                (ip.get_next_header(), ip.payload()[..len].to_vec(), 40)
            }
            other => panic!("unexpected EtherType {other}"),
        };
        let body = body.as_slice();
        let (src, dst, label) = match proto {
            IpNextHeaderProtocols::Tcp => {
                let tcp = TcpPacket::new(body).unwrap();
                let (src, dst) = (tcp.get_source(), tcp.get_destination());
                let flags = tcp.get_flags();
                if flags & TcpFlags::SYN != 0 {
                    // Window scale option: kind 3, shift in its only byte.
                    let shift = tcp
                        .get_options_iter()
                        .find(|o| o.get_number().0 == 3)
                        .map(|o| o.payload()[0]);
                    if let Some(shift) = shift {
                        wscale.insert((src, dst), shift);
                    }
                }
                // A side whose SYN was not seen starts at byte 1.
                let first = if flags & TcpFlags::SYN != 0 { 0 } else { 1 };
                let seq_base = *base
                    .entry((src, dst))
                    .or_insert(tcp.get_sequence().wrapping_sub(first));
                let mut label = format!(
                    "{} seq={}",
                    flag_names(flags),
                    tcp.get_sequence().wrapping_sub(seq_base)
                );
                if flags & TcpFlags::ACK != 0 {
                    label.push_str(&format!(
                        " ack={}",
                        tcp.get_acknowledgement().wrapping_sub(base[&(dst, src)])
                    ));
                }
                let window = match (
                    flags & TcpFlags::SYN,
                    wscale.get(&(src, dst)),
                    wscale.get(&(dst, src)),
                ) {
                    (0, Some(shift), Some(_)) => u32::from(tcp.get_window()) << shift,
                    _ => u32::from(tcp.get_window()),
                };
                let len = body.len() - usize::from(tcp.get_data_offset()) * 4;
                label.push_str(&format!(" len={len} win={window}"));
                (src, dst, label)
            }
            IpNextHeaderProtocols::Udp => {
                let udp = UdpPacket::new(body).unwrap();
                let len = udp.get_length() - 8;
                (
                    udp.get_source(),
                    udp.get_destination(),
                    format!("UDP len={len}"),
                )
            }
            // IPv6's own housekeeping on the lab wire: multicast listener
            // reports behind a hop-by-hop header. Not a lesson's packet,
            // and not drawn.
            IpNextHeaderProtocols::Hopopt => continue,
            // Neighbour solicitation and advertisement: drawn, like ARP, but
            // with no ports to compare.
            IpNextHeaderProtocols::Icmpv6 if matches!(body[0], 135 | 136) => continue,
            IpNextHeaderProtocols::Icmp | IpNextHeaderProtocols::Icmpv6 => {
                // Port unreachable (ICMP type 3 code 3, ICMPv6 type 1 code
                // 4) quoting the datagram's IP header and UDP header: the
                // datagram's ports, swapped, as socklab draws it.
                assert!(
                    [(3, 3), (1, 4)].contains(&(body[0], body[1])),
                    "ICMP port unreachable"
                );
                let udp = &body[8 + quoted_ip_header..];
                let inner_src = u16::from_be_bytes([udp[0], udp[1]]);
                let inner_dst = u16::from_be_bytes([udp[2], udp[3]]);
                (inner_dst, inner_src, "ICMP port unreachable".to_string())
            }
            other => panic!("unexpected protocol {other}"),
        };
        arrows.push(Arrow {
            from: src,
            to: dst,
            label,
        });
    }
    arrows
}

fn lesson_with_pcap(lesson: &str, dir: &Path) -> (Vec<Arrow>, std::path::PathBuf) {
    let path = dir.join(format!("{lesson}.pcap"));
    // Every packet on screen, no summary rows, to compare one by one.
    let output = run_lesson(lesson, &["--all-packets", "--pcap", path.to_str().unwrap()]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (diagram(&stdout(&output)), path)
}

#[test]
fn pcap_holds_exactly_the_packets_of_the_diagram() {
    let dir = tempfile::tempdir().unwrap();
    for lesson in LESSONS {
        let (shown, path) = lesson_with_pcap(lesson, dir.path());
        assert!(!shown.is_empty(), "{lesson}: no arrows in the output");
        assert_eq!(decode_pcap(&path), shown, "{lesson}");
    }
}

/// Whether tshark is there to compare with. Under CI=true it must be:
/// `.ci/run` installs it, so a missing tshark fails the test.
fn tshark_or_skip() -> bool {
    let available = Command::new("tshark")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !available {
        common::skip(
            "the tshark cross-check",
            "tshark is not installed (.ci/run installs it)",
        );
    }
    available
}

/// tshark's own dissection of socklab's pcap, in socklab's label format.
fn tshark_arrows(path: &Path) -> Vec<Arrow> {
    let output = Command::new("tshark")
        .args(["-n", "-r"])
        .arg(path)
        // Neither ARP nor IPv6's housekeeping (listener reports) are the
        // lesson's packets; ICMPv6 type 1 (unreachable) is.
        .args([
            "-Y",
            "not arp and (not icmpv6 or icmpv6.type == 1)",
            "-T",
            "fields",
            "-E",
            "separator=|",
        ])
        .args([
            "-e",
            "tcp.srcport",
            "-e",
            "tcp.dstport",
            "-e",
            "tcp.flags.str",
        ])
        .args([
            "-e",
            "tcp.seq",
            "-e",
            "tcp.ack",
            "-e",
            "tcp.len",
            "-e",
            "tcp.window_size",
        ])
        .args([
            "-e",
            "udp.srcport",
            "-e",
            "udp.dstport",
            "-e",
            "udp.length",
            "-e",
            "icmp.type",
        ])
        .output()
        .expect("tshark runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let f: Vec<&str> = line.split('|').collect();
            let port = |i: usize| f[i].parse::<u16>().unwrap();
            if f[10] == "3" {
                // tshark dissects the quoted datagram: its ports, swapped.
                return Arrow {
                    from: port(8),
                    to: port(7),
                    label: "ICMP port unreachable".into(),
                };
            }
            if f[0].is_empty() {
                let len: u32 = f[9].parse().unwrap();
                return Arrow {
                    from: port(7),
                    to: port(8),
                    label: format!("UDP len={}", len - 8),
                };
            }
            // tshark writes flags as e.g. "·······AP···"; socklab as PSH,ACK.
            let letters = f[2];
            let flags: Vec<&str> = [
                ('S', "SYN"),
                ('F', "FIN"),
                ('R', "RST"),
                ('P', "PSH"),
                ('A', "ACK"),
            ]
            .iter()
            .filter(|(c, _)| letters.contains(*c))
            .map(|(_, n)| *n)
            .collect();
            let mut label = format!("{} seq={}", flags.join(","), f[3]);
            if flags.contains(&"ACK") {
                label.push_str(&format!(" ack={}", f[4]));
            }
            label.push_str(&format!(" len={} win={}", f[5], f[6]));
            Arrow {
                from: port(0),
                to: port(1),
                label,
            }
        })
        .collect()
}

#[test]
fn tshark_reads_the_same_packets_as_the_diagram() {
    if !tshark_or_skip() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for lesson in LESSONS {
        let (shown, path) = lesson_with_pcap(lesson, dir.path());
        assert_eq!(tshark_arrows(&path), shown, "{lesson}");
    }
}

/// The TCP analysis socklab and tshark both name, per frame number:
/// socklab's note kinds (from `replay --format json`), tshark's
/// `tcp.analysis.*` fields in socklab's words. Window updates are left
/// out on purpose: socklab explains only a window reopening after zero,
/// tshark flags every change of window on an empty segment.
const ANALYSIS: [(&str, &str); 7] = [
    ("tcp.analysis.retransmission", "retransmission"),
    ("tcp.analysis.fast_retransmission", "fast_retransmission"),
    (
        "tcp.analysis.spurious_retransmission",
        "spurious_retransmission",
    ),
    ("tcp.analysis.out_of_order", "out_of_order"),
    ("tcp.analysis.duplicate_ack", "duplicate_ack"),
    ("tcp.analysis.zero_window", "zero_window"),
    ("tcp.analysis.keep_alive", "probe"),
];

type FrameAnalysis = Vec<(u64, Vec<String>)>;

fn socklab_analysis(path: &Path) -> FrameAnalysis {
    let text = common::socklab_ok(&["replay", "--format", "json"], path);
    common::json_lines(&text)
        .into_iter()
        .filter(|v| v["transport"]["proto"] == "tcp")
        .map(|v| {
            let mut kinds: Vec<String> = v["notes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n["kind"].as_str().unwrap().to_string())
                .filter(|n| ANALYSIS.iter().any(|(_, k)| k == n))
                .collect();
            kinds.sort();
            (v["frame"].as_u64().unwrap(), kinds)
        })
        .collect()
}

fn tshark_analysis(path: &Path) -> FrameAnalysis {
    let mut command = Command::new("tshark");
    command.args(["-n", "-r"]).arg(path).args([
        "-Y",
        "tcp",
        "-T",
        "fields",
        "-E",
        "separator=|",
        "-e",
        "frame.number",
    ]);
    for (field, _) in ANALYSIS {
        command.args(["-e", field]);
    }
    let output = command.output().expect("tshark runs");
    assert!(output.status.success());
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let f: Vec<&str> = line.split('|').collect();
            let mut kinds: Vec<String> = ANALYSIS
                .iter()
                .zip(&f[1..])
                .filter(|(_, value)| !value.is_empty())
                .map(|((_, kind), _)| kind.to_string())
                .collect();
            // tshark also flags a fast or spurious retransmission as a
            // retransmission; socklab names the kind once.
            if kinds.iter().any(|k| k.ends_with("_retransmission")) {
                kinds.retain(|k| k != "retransmission");
            }
            kinds.sort();
            (f[0].parse().unwrap(), kinds)
        })
        .collect()
}

/// Every TCP frame of every lesson's capture carries the same analysis in
/// socklab and in tshark: retransmissions of each kind, duplicate ACKs,
/// out-of-order segments, zero windows and keep-alives.
#[test]
fn tshark_names_the_same_analysis_as_socklab() {
    if !tshark_or_skip() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut flagged = 0;
    for lesson in LESSONS {
        let (_, path) = lesson_with_pcap(lesson, dir.path());
        let ours = socklab_analysis(&path);
        assert_eq!(ours, tshark_analysis(&path), "{lesson}");
        flagged += ours.iter().filter(|(_, k)| !k.is_empty()).count();
    }
    // Captures kept from real runs: a receiver that never reads (zero
    // windows, probes, D-SACK), and a burst on the lab wire with its 2nd
    // segment dropped (SACKed ACKs, window updates, a duplicate ACK and a
    // retransmission).
    for fixture in ["zero-window.pcap", "lost-in-a-burst.pcap"] {
        let path = Path::new("tests/fixtures").join(fixture);
        let ours = socklab_analysis(&path);
        assert_eq!(ours, tshark_analysis(&path), "{fixture}");
        flagged += ours.iter().filter(|(_, k)| !k.is_empty()).count();
    }
    // The comparison must have had something to compare.
    assert!(flagged > 0);
}

/// What `socklab replay --format lines` says of each frame, as arrows.
fn replay_arrows(path: &Path) -> Vec<Arrow> {
    let port = |addr: &str| addr.rsplit(':').next().unwrap().parse::<u16>().unwrap();
    common::socklab_ok(&["replay", "--format", "lines"], path)
        .lines()
        .map(|line| {
            let words: Vec<&str> = line.splitn(5, ' ').collect();
            Arrow {
                from: port(words[1]),
                to: port(words[3]),
                label: words[4].to_string(),
            }
        })
        .collect()
}

/// Ordinary programs (std sockets in this test, not socklab's lessons),
/// watched by `socklab watch --pcap` on the host's loopback: an echo and a
/// close, 300 KB in one direction, a refused connection and a UDP
/// exchange. socklab and tshark must agree on every frame: ports, flags,
/// relative seq/ack, length and window, and the TCP analysis.
#[test]
fn tshark_agrees_on_ordinary_programs() {
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream, UdpSocket};
    let why = "watch captures on the host's loopback (root)";
    if !common::root_or_skip("watch against tshark", why) || !tshark_or_skip() {
        return;
    }
    let echo = TcpListener::bind("127.0.0.1:0").unwrap();
    let bulk = TcpListener::bind("127.0.0.1:0").unwrap();
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let udp = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = |a: std::net::SocketAddr| a.port();
    let (echo_port, bulk_port, closed_port, udp_port) = (
        port(echo.local_addr().unwrap()),
        port(bulk.local_addr().unwrap()),
        port(closed.local_addr().unwrap()),
        port(udp.local_addr().unwrap()),
    );
    drop(closed); // nobody listens there now: connect() is refused

    let dir = tempfile::tempdir().unwrap();
    let pcap = dir.path().join("ordinary.pcap");
    let ports: Vec<String> = [echo_port, bulk_port, closed_port, udp_port]
        .iter()
        .flat_map(|p| ["--port".to_string(), p.to_string()])
        .collect();
    let mut args = vec!["--seconds", "4", "--pcap", pcap.to_str().unwrap()];
    args.extend(ports.iter().map(String::as_str));
    let (status, screen) = common::watched(&args, || {
        // Echo: 5 bytes each way, the client closes first.
        common::echo_once(echo_port, echo);

        // Bulk: 300 KB to a reader that reads it all.
        let reader = std::thread::spawn(move || {
            let (mut conn, _) = bulk.accept().unwrap();
            let mut all = Vec::new();
            conn.read_to_end(&mut all).unwrap();
            all.len()
        });
        let mut sender = TcpStream::connect(("127.0.0.1", bulk_port)).unwrap();
        sender.write_all(&vec![b'x'; 300_000]).unwrap();
        drop(sender);
        assert_eq!(reader.join().unwrap(), 300_000);

        // Refused, then a datagram and its answer.
        assert!(TcpStream::connect(("127.0.0.1", closed_port)).is_err());
        let peer = UdpSocket::bind("127.0.0.1:0").unwrap();
        peer.send_to(b"ping", ("127.0.0.1", udp_port)).unwrap();
        let mut buf = [0; 16];
        let (n, from) = udp.recv_from(&mut buf).unwrap();
        udp.send_to(&buf[..n], from).unwrap();
        peer.recv_from(&mut buf).unwrap();
    });
    assert_eq!(status, Some(0), "{screen}");

    let ours = replay_arrows(&pcap);
    assert!(ours.len() > 20, "too few frames captured: {ours:?}");
    let theirs = tshark_arrows(&pcap);
    for (i, (a, b)) in ours.iter().zip(&theirs).enumerate() {
        assert_eq!(a, b, "frame {}", i + 1);
    }
    assert_eq!(ours.len(), theirs.len());
    assert_eq!(socklab_analysis(&pcap), tshark_analysis(&pcap));
}
