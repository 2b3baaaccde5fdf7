//! Frame bytes to [`Packet`]: pnet's checked packet views read the bytes,
//! and only what a lesson needs is kept, as owned values.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use pnet::packet::Packet as _;
use pnet::packet::arp::{ArpHardwareTypes, ArpOperations, ArpPacket};
use pnet::packet::ethernet::{EtherTypes, EthernetPacket};
use pnet::packet::ip::{IpNextHeaderProtocol, IpNextHeaderProtocols};
use pnet::packet::ipv4::Ipv4Packet;
use pnet::packet::ipv6::Ipv6Packet;
use pnet::packet::tcp::{TcpOptionNumbers, TcpPacket};
use pnet::packet::udp::UdpPacket;

use crate::packet::{Packet, Segment, TcpFlags, TcpOption, Transport};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("frame {frame}: {what} header is truncated or malformed")]
pub struct DecodeError {
    pub frame: usize,
    pub what: &'static str,
}

/// The link layers a capture file may use (tcpdump's LINKTYPE_ values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// LINKTYPE_ETHERNET (1): what socklab captures and writes.
    Ethernet,
    /// LINKTYPE_LINUX_SLL (113): `tcpdump -i any` on older systems.
    LinuxSll,
    /// LINKTYPE_LINUX_SLL2 (276): `tcpdump -i any` today.
    LinuxSll2,
    /// LINKTYPE_RAW (101), IPV4 (228), IPV6 (229): bare IP packets.
    RawIp,
}

impl Link {
    pub fn from_datalink(link: pcap_file::DataLink) -> Option<Link> {
        use pcap_file::DataLink;
        Some(match link {
            DataLink::ETHERNET => Link::Ethernet,
            DataLink::LINUX_SLL => Link::LinuxSll,
            DataLink::LINUX_SLL2 => Link::LinuxSll2,
            DataLink::RAW | DataLink::IPV4 | DataLink::IPV6 => Link::RawIp,
            _ => return None,
        })
    }
}

/// Decodes an Ethernet frame. `Ok(None)` for frames that are not TCP or
/// UDP over IP (ARP, ICMP, …): they are not part of a lesson's exchange.
pub fn decode_ethernet(
    frame: usize,
    at: Duration,
    bytes: &[u8],
) -> Result<Option<Packet>, DecodeError> {
    decode_frame(Link::Ethernet, frame, at, bytes, false)
}

/// Decodes a frame of any supported link layer. `snapped`: the capture
/// kept only the first bytes of the frame (a snapshot length, as with
/// `tcpdump -s 96`), so lengths come from the headers and the payload may
/// be missing; the headers themselves must be there.
pub fn decode_frame(
    link: Link,
    frame: usize,
    at: Duration,
    bytes: &[u8],
    snapped: bool,
) -> Result<Option<Packet>, DecodeError> {
    let err = |what| DecodeError { frame, what };
    // The network-layer packet, its EtherType (0 when the IP version byte
    // decides, for raw IP), and whether the link layer sent it to every
    // host.
    let (ethertype, ip_bytes, link_broadcast): (u16, &[u8], bool) = match link {
        Link::Ethernet => {
            let eth = EthernetPacket::new(bytes).ok_or(err("Ethernet"))?;
            let broadcast = eth.get_destination().is_broadcast();
            (eth.get_ethertype().0, &bytes[14..], broadcast)
        }
        // SLL: 16-byte header, packet type in bytes 0–1 (1: broadcast),
        // protocol in bytes 14–15.
        Link::LinuxSll => {
            let header = bytes.get(..16).ok_or(err("Linux cooked (SLL)"))?;
            let broadcast = header[..2] == [0, SLL_BROADCAST];
            let ethertype = u16::from_be_bytes([header[14], header[15]]);
            (ethertype, &bytes[16..], broadcast)
        }
        // SLL2: 20-byte header, protocol in bytes 0–1, packet type in
        // byte 10.
        Link::LinuxSll2 => {
            let header = bytes.get(..20).ok_or(err("Linux cooked (SLL2)"))?;
            let broadcast = header[10] == SLL_BROADCAST;
            let ethertype = u16::from_be_bytes([header[0], header[1]]);
            (ethertype, &bytes[20..], broadcast)
        }
        Link::RawIp => match bytes.first().map(|b| b >> 4) {
            Some(4) => (EtherTypes::Ipv4.0, bytes, false),
            Some(6) => (EtherTypes::Ipv6.0, bytes, false),
            Some(_) => return Ok(None),
            None => return Err(err("IP")),
        },
    };
    // The transport header and payload as captured, and the length the IP
    // header says they have.
    let (src_ip, dst_ip, proto, l4, l4_len): (IpAddr, IpAddr, IpNextHeaderProtocol, &[u8], usize) =
        match ethertype {
            t if t == EtherTypes::Ipv4.0 => {
                let ip = Ipv4Packet::new(ip_bytes).ok_or(err("IPv4"))?;
                let header = usize::from(ip.get_header_length()) * 4;
                let total = usize::from(ip.get_total_length());
                if header < 20
                    || total < header
                    || header > ip_bytes.len()
                    || (total > ip_bytes.len() && !snapped)
                {
                    return Err(err("IPv4"));
                }
                (
                    ip.get_source().into(),
                    ip.get_destination().into(),
                    ip.get_next_level_protocol(),
                    &ip_bytes[header..total.min(ip_bytes.len())],
                    total - header,
                )
            }
            t if t == EtherTypes::Ipv6.0 => {
                let ip = Ipv6Packet::new(ip_bytes).ok_or(err("IPv6"))?;
                let len = usize::from(ip.get_payload_length());
                let body = ip_bytes.get(40..).ok_or(err("IPv6"))?;
                if body.len() < len && !snapped {
                    return Err(err("IPv6"));
                }
                (
                    ip.get_source().into(),
                    ip.get_destination().into(),
                    ip.get_next_header(),
                    &body[..len.min(body.len())],
                    len,
                )
            }
            t if t == EtherTypes::Arp.0 => return decode_arp(frame, at, ip_bytes),
            _ => return Ok(None),
        };
    let (src_port, dst_port, transport) = match proto {
        IpNextHeaderProtocols::Tcp => {
            let tcp = TcpPacket::new(l4).ok_or(err("TCP"))?;
            let header = usize::from(tcp.get_data_offset()) * 4;
            if header < 20 || header > l4.len() {
                return Err(err("TCP"));
            }
            let sack_blocks = tcp
                .get_options_iter()
                .filter(|opt| opt.get_number() == TcpOptionNumbers::SACK)
                .flat_map(|opt| {
                    opt.payload()
                        .chunks_exact(8)
                        .map(|b| {
                            (
                                u32::from_be_bytes([b[0], b[1], b[2], b[3]]),
                                u32::from_be_bytes([b[4], b[5], b[6], b[7]]),
                            )
                        })
                        .collect::<Vec<_>>()
                })
                .collect();
            let options = tcp
                .get_options_iter()
                .filter_map(|opt| {
                    let data = opt.payload();
                    match opt.get_number() {
                        TcpOptionNumbers::MSS if data.len() == 2 => {
                            Some(TcpOption::Mss(u16::from_be_bytes([data[0], data[1]])))
                        }
                        TcpOptionNumbers::WSCALE if data.len() == 1 => {
                            Some(TcpOption::WindowScale(data[0]))
                        }
                        TcpOptionNumbers::SACK_PERMITTED => Some(TcpOption::SackPermitted),
                        TcpOptionNumbers::TIMESTAMPS => Some(TcpOption::Timestamps),
                        TcpOptionNumbers::SACK => Some(TcpOption::Sack),
                        _ => None,
                    }
                })
                .collect();
            let segment = Segment {
                flags: TcpFlags::from_bits(tcp.get_flags()),
                seq: tcp.get_sequence(),
                ack: tcp.get_acknowledgement(),
                window: tcp.get_window(),
                payload_len: l4_len.saturating_sub(header) as u32,
                options,
                sack_blocks,
            };
            (
                tcp.get_source(),
                tcp.get_destination(),
                Transport::Tcp(segment),
            )
        }
        IpNextHeaderProtocols::Udp => {
            let udp = UdpPacket::new(l4).ok_or(err("UDP"))?;
            let len = usize::from(udp.get_length());
            if len < 8 || len > l4_len || (len > l4.len() && !snapped) {
                return Err(err("UDP"));
            }
            (
                udp.get_source(),
                udp.get_destination(),
                Transport::Udp {
                    payload_len: (len - 8) as u32,
                    broadcast: link_broadcast || is_broadcast_address(dst_ip),
                    multicast: dst_ip.is_multicast(),
                },
            )
        }
        IpNextHeaderProtocols::Icmpv6 if matches!(l4.first(), Some(135 | 136)) => {
            return Ok(
                neighbour_discovery(l4, src_ip, dst_ip).map(|(src, dst, transport)| Packet {
                    frame,
                    at,
                    src: SocketAddr::new(src, 0),
                    dst: SocketAddr::new(dst, 0),
                    transport,
                }),
            );
        }
        IpNextHeaderProtocols::Icmp | IpNextHeaderProtocols::Icmpv6 => {
            match port_unreachable(proto, l4) {
                Some((src, dst)) => (src, dst, Transport::PortUnreachable),
                None => return Ok(None),
            }
        }
        _ => return Ok(None),
    };
    Ok(Some(Packet {
        frame,
        at,
        src: SocketAddr::new(src_ip, src_port),
        dst: SocketAddr::new(dst_ip, dst_port),
        transport,
    }))
}

/// Linux cooked captures' packet type for a frame sent to every host.
const SLL_BROADCAST: u8 = 1;

/// The broadcast addresses recognisable without knowing the subnet: the
/// limited broadcast (RFC 919) and the loopback network's, where no
/// link layer says so.
fn is_broadcast_address(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_broadcast() || v4 == std::net::Ipv4Addr::new(127, 255, 255, 255),
        IpAddr::V6(_) => false,
    }
}

/// IPv6's ARP (RFC 4861 §4.3, §4.4): a neighbour solicitation (type 135)
/// asks for the target address's MAC and carries the asker's own in a
/// source link-layer option; an advertisement (136) answers with the
/// target's MAC in a target link-layer option. As for ARP, the addresses
/// are the asker's and the one asked about. `None` when cut short.
fn neighbour_discovery(
    icmp: &[u8],
    src: IpAddr,
    dst: IpAddr,
) -> Option<(IpAddr, IpAddr, Transport)> {
    let reply = icmp.first()? == &136;
    let target: [u8; 16] = icmp.get(8..24)?.try_into().ok()?;
    let target = IpAddr::from(target);
    // Options after the target: type, length in units of 8 bytes, data.
    let mut options = icmp.get(24..)?;
    let mut sender_mac = [0; 6];
    while let [kind, len, ..] = *options {
        let size = usize::from(len) * 8;
        if size == 0 || size > options.len() {
            break;
        }
        // 1: source link-layer address, 2: target link-layer address.
        if (kind == 1 || kind == 2) && size >= 8 {
            sender_mac.copy_from_slice(&options[2..8]);
        }
        options = &options[size..];
    }
    let transport = Transport::Resolution { reply, sender_mac };
    Some(if reply {
        (target, dst, transport)
    } else {
        (src, target, transport)
    })
}

/// For an ICMP "port unreachable" about a UDP datagram, the datagram's
/// An ARP packet for IPv4 over Ethernet (RFC 826).
fn decode_arp(frame: usize, at: Duration, bytes: &[u8]) -> Result<Option<Packet>, DecodeError> {
    let arp = ArpPacket::new(bytes).ok_or(DecodeError { frame, what: "ARP" })?;
    if arp.get_hardware_type() != ArpHardwareTypes::Ethernet
        || arp.get_protocol_type() != EtherTypes::Ipv4
    {
        return Ok(None);
    }
    Ok(Some(Packet {
        frame,
        at,
        src: SocketAddr::new(arp.get_sender_proto_addr().into(), 0),
        dst: SocketAddr::new(arp.get_target_proto_addr().into(), 0),
        transport: Transport::Resolution {
            reply: arp.get_operation() == ArpOperations::Reply,
            sender_mac: arp.get_sender_hw_addr().octets(),
        },
    }))
}

/// ports swapped: (its destination, its source). RFC 792 and RFC 4443 §3.1:
/// the message quotes the offending packet's IP header and first 8 bytes.
fn port_unreachable(proto: IpNextHeaderProtocol, icmp: &[u8]) -> Option<(u16, u16)> {
    let (kind, code, ip_header) = match proto {
        IpNextHeaderProtocols::Icmp => (3, 3, None),
        _ => (1, 4, Some(40)),
    };
    if icmp.len() < 8 || icmp[0] != kind || icmp[1] != code {
        return None;
    }
    let quoted = &icmp[8..];
    let (header, inner_proto) = match ip_header {
        // IPv4: the header length is in the low nibble of the first byte.
        None => (usize::from(*quoted.first()? & 0x0f) * 4, *quoted.get(9)?),
        Some(len) => (len, *quoted.get(6)?),
    };
    if inner_proto != IpNextHeaderProtocols::Udp.0 {
        return None;
    }
    let udp = quoted.get(header..header + 4)?;
    let src = u16::from_be_bytes([udp[0], udp[1]]);
    let dst = u16::from_be_bytes([udp[2], udp[3]]);
    Some((dst, src))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::frames;

    #[test]
    fn decodes_a_real_syn() {
        let frame = &frames("tcp-close.pcap")[0];
        let packet = decode_ethernet(1, Duration::ZERO, frame).unwrap().unwrap();
        assert_eq!(packet.src.to_string(), "127.0.0.1:56716");
        assert_eq!(packet.dst.to_string(), "127.0.0.1:5000");
        let Transport::Tcp(seg) = packet.transport else {
            panic!("not TCP")
        };
        assert_eq!(seg.flags, TcpFlags::SYN);
        assert_eq!(seg.seq, 4102867226);
        assert_eq!(seg.payload_len, 0);
        assert_eq!(seg.window, 65495);
        assert_eq!(
            seg.options,
            vec![
                TcpOption::Mss(65495),
                TcpOption::SackPermitted,
                TcpOption::Timestamps,
                TcpOption::WindowScale(10)
            ]
        );
    }

    #[test]
    fn decodes_payload_length_of_data_and_datagrams() {
        let tcp = decode_ethernet(4, Duration::ZERO, &frames("tcp-close.pcap")[3]);
        match tcp.unwrap().unwrap().transport {
            Transport::Tcp(seg) => assert_eq!(
                (seg.flags.to_string(), seg.payload_len),
                ("PSH,ACK".into(), 5)
            ),
            other => panic!("{other:?}"),
        }
        let udp = decode_ethernet(1, Duration::ZERO, &frames("udp-datagram.pcap")[0]);
        assert_eq!(
            udp.unwrap().unwrap().transport,
            Transport::Udp {
                payload_len: 5,
                broadcast: false,
                multicast: false
            }
        );
    }

    #[test]
    fn truncated_frames_are_errors_at_every_layer() {
        let frame = &frames("tcp-close.pcap")[0];
        // Cut inside the Ethernet, IPv4 and TCP headers.
        for (cut, what) in [
            (10, "Ethernet"),
            (20, "IPv4"),
            (40, "IPv4"),
            (14 + 20 + 10, "IPv4"),
        ] {
            let err = decode_ethernet(7, Duration::ZERO, &frame[..cut]).unwrap_err();
            assert_eq!(err, DecodeError { frame: 7, what }, "cut at {cut}");
        }
    }

    #[test]
    fn a_tcp_header_longer_than_the_packet_is_an_error() {
        let mut frame = frames("tcp-close.pcap")[0].clone();
        // Data offset (high nibble of TCP byte 12) of 15 words = 60 bytes,
        // more than the 40 the SYN has.
        frame[14 + 20 + 12] = 0xf0;
        let err = decode_ethernet(1, Duration::ZERO, &frame).unwrap_err();
        assert_eq!(err.what, "TCP");
    }

    /// The same real frame behind each link layer decodes to the same packet.
    #[test]
    fn cooked_and_raw_link_layers() {
        let eth = frames("tcp-close.pcap")[3].clone();
        let ip = &eth[14..];
        let mut sll = vec![0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0x08, 0x00];
        sll.extend_from_slice(ip);
        let mut sll2 = vec![
            0x08, 0x00, 0, 0, 0, 0, 0, 1, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0,
        ];
        sll2.extend_from_slice(ip);
        let want = decode_frame(Link::Ethernet, 4, Duration::ZERO, &eth, false).unwrap();
        assert!(want.is_some());
        for (link, bytes) in [
            (Link::LinuxSll, &sll[..]),
            (Link::LinuxSll2, &sll2[..]),
            (Link::RawIp, ip),
        ] {
            assert_eq!(
                decode_frame(link, 4, Duration::ZERO, bytes, false).unwrap(),
                want,
                "{link:?}"
            );
        }
        let err = decode_frame(Link::LinuxSll2, 9, Duration::ZERO, &sll2[..10], false).unwrap_err();
        assert_eq!(
            err.to_string(),
            "frame 9: Linux cooked (SLL2) header is truncated or malformed"
        );
    }

    /// A capture with a snapshot length keeps the headers and drops the
    /// payload: the lengths still come from the headers.
    #[test]
    fn snapped_frames_keep_their_lengths() {
        let frame = &frames("tcp-close.pcap")[3]; // 5 bytes of data
        let cut = &frame[..frame.len() - 5];
        let packet = decode_frame(Link::Ethernet, 4, Duration::ZERO, cut, true)
            .unwrap()
            .unwrap();
        match packet.transport {
            Transport::Tcp(seg) => assert_eq!(seg.payload_len, 5),
            other => panic!("{other:?}"),
        }
        // Without the snapshot length, the same bytes are a broken frame.
        assert!(decode_frame(Link::Ethernet, 4, Duration::ZERO, cut, false).is_err());
    }

    /// `udp-multicast.pcap`, from a run of the lesson on the IPv6 lab wire.
    /// A datagram to ff02::1 (Ethernet 33:33:00:00:00:01) is multicast, not
    /// broadcast; listener reports (ICMPv6 behind a hop-by-hop header) are
    /// not a lesson's packets; a neighbour solicitation and advertisement
    /// decode like ARP: who has fe80::1? tell fe80::2, and its answer.
    #[test]
    fn ipv6_multicast_and_neighbour_discovery() {
        let frames = frames("udp-multicast.pcap");
        let decode = |i: usize| decode_ethernet(i + 1, Duration::ZERO, &frames[i]).unwrap();
        assert_eq!(decode(0), None, "a listener report");
        let datagram = decode(2).unwrap();
        assert_eq!(datagram.dst.to_string(), "[ff02::1]:7788");
        assert_eq!(
            datagram.transport,
            Transport::Udp {
                payload_len: 13,
                broadcast: false,
                multicast: true
            }
        );
        let (question, answer) = (decode(8).unwrap(), decode(9).unwrap());
        assert_eq!(
            (question.src.to_string(), question.dst.to_string()),
            ("[fe80::2]:0".into(), "[fe80::1]:0".into())
        );
        assert_eq!(
            question.transport,
            Transport::Resolution {
                reply: false,
                sender_mac: [2, 0, 0, 0, 0, 2]
            }
        );
        assert_eq!(
            (answer.src.to_string(), answer.dst.to_string()),
            ("[fe80::1]:0".into(), "[fe80::2]:0".into())
        );
        assert_eq!(
            answer.transport,
            Transport::Resolution {
                reply: true,
                sender_mac: [2, 0, 0, 0, 0, 1]
            }
        );
    }

    #[test]
    fn non_ip_frames_are_skipped() {
        let mut frame = frames("tcp-close.pcap")[0].clone();
        frame[12] = 0x88;
        frame[13] = 0xcc; // LLDP
        assert_eq!(decode_ethernet(1, Duration::ZERO, &frame).unwrap(), None);
    }

    #[test]
    fn arp_requests_and_replies_name_both_addresses() {
        use pnet::packet::arp::MutableArpPacket;
        use pnet::packet::ethernet::MutableEthernetPacket;
        use pnet::util::MacAddr;
        let mut frame = vec![0u8; 42];
        let mut eth = MutableEthernetPacket::new(&mut frame).unwrap();
        eth.set_ethertype(EtherTypes::Arp);
        let mut arp = MutableArpPacket::new(&mut frame[14..]).unwrap();
        arp.set_hardware_type(ArpHardwareTypes::Ethernet);
        arp.set_protocol_type(EtherTypes::Ipv4);
        arp.set_hw_addr_len(6);
        arp.set_proto_addr_len(4);
        arp.set_operation(ArpOperations::Reply);
        arp.set_sender_hw_addr(MacAddr::new(2, 0, 0, 0, 0, 2));
        arp.set_sender_proto_addr([10, 0, 0, 2].into());
        arp.set_target_proto_addr([10, 0, 0, 1].into());
        let packet = decode_ethernet(3, Duration::ZERO, &frame).unwrap().unwrap();
        assert_eq!(packet.src, "10.0.0.2:0".parse().unwrap());
        assert_eq!(packet.dst, "10.0.0.1:0".parse().unwrap());
        assert_eq!(
            packet.transport,
            Transport::Resolution {
                reply: true,
                sender_mac: [2, 0, 0, 0, 0, 2]
            }
        );
        // Not Ethernet and IPv4: not something socklab explains.
        MutableArpPacket::new(&mut frame[14..])
            .unwrap()
            .set_protocol_type(EtherTypes::Ipv6);
        assert_eq!(decode_ethernet(3, Duration::ZERO, &frame).unwrap(), None);
    }
}
