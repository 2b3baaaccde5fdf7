//! The `corrupt` fault: one byte of a frame flipped on the wire, where the
//! receiving kernel's checksum check will find it and drop the frame.
//!
//! The byte is the last one of the IP packet's transport segment (TCP, UDP,
//! ICMP or ICMPv6), found from the IP header's own length, over IPv4 and
//! IPv6 alike: never Ethernet padding (which no checksum covers), never a
//! header that decides where the frame goes (MAC addresses, EtherType, IP
//! addresses, ports). It is covered by the segment's checksum (RFC 9293
//! §3.1, RFC 768, RFC 792, RFC 4443 §2.3; over IPv6 with the pseudo-header
//! of RFC 8200 §8.1), and a single flipped byte always changes a
//! one's-complement sum, so the receiver throws the frame away.

/// EtherTypes (IEEE 802): IPv4 and IPv6.
const IPV4: u16 = 0x0800;
const IPV6: u16 = 0x86dd;

/// IP protocol numbers (IANA) whose segment carries a checksum over all
/// of it.
const ICMP: u8 = 1;
const TCP: u8 = 6;
const UDP: u8 = 17;
const ICMPV6: u8 = 58;

/// IPv6 extension headers that may come before the transport segment
/// (RFC 8200 §4): hop-by-hop options (multicast listener reports carry
/// one), routing, fragment, destination options.
const HOP_BY_HOP: u8 = 0;
const ROUTING: u8 = 43;
const FRAGMENT: u8 = 44;
const DESTINATION: u8 = 60;

const ETHERNET_HEADER: usize = 14;
const IPV6_HEADER: usize = 40;

/// Flips one byte of `frame`'s transport segment and says which; `None`,
/// with the frame left as it was, for a frame without a checksummed
/// segment to flip a byte in (ARP, an IP header alone, another protocol,
/// an IPv4 UDP datagram sent without a checksum).
pub fn corrupt(frame: &mut [u8]) -> Option<usize> {
    let target = target(frame)?;
    frame[target.index] ^= 0xff;
    // Over IPv4 a UDP checksum of zero means "none" (RFC 768): a datagram
    // with no data, whose last byte is the checksum's low byte, must not
    // be turned into one. Any other value than the right one will do.
    if let Some(checksum) = target.udp4_checksum
        && frame[checksum..checksum + 2] == [0, 0]
    {
        frame[target.index] = 1;
    }
    Some(target.index)
}

/// The byte to flip, and over IPv4 UDP where its checksum is.
struct Target {
    index: usize,
    udp4_checksum: Option<usize>,
}

fn target(frame: &[u8]) -> Option<Target> {
    let ethertype = u16::from_be_bytes(frame.get(12..14)?.try_into().ok()?);
    let ip = ETHERNET_HEADER;
    // (where the transport segment starts, where the IP packet ends, its
    // protocol), all inside the frame.
    let (segment, end, protocol) = match ethertype {
        IPV4 => {
            let header = frame.get(ip..ip + 20)?;
            if header[0] >> 4 != 4 {
                return None;
            }
            let header_len = usize::from(header[0] & 0x0f) * 4;
            if header_len < 20 {
                return None;
            }
            let total = usize::from(u16::from_be_bytes([header[2], header[3]]));
            (ip + header_len, ip + total, header[9])
        }
        IPV6 => {
            let header = frame.get(ip..ip + IPV6_HEADER)?;
            if header[0] >> 4 != 6 {
                return None;
            }
            let payload = usize::from(u16::from_be_bytes([header[4], header[5]]));
            let end = ip + IPV6_HEADER + payload;
            let (segment, protocol) = after_extensions(frame, ip + IPV6_HEADER, header[6], end)?;
            (segment, end, protocol)
        }
        _ => return None,
    };
    if !matches!(protocol, ICMP | TCP | UDP | ICMPV6) || segment >= end || end > frame.len() {
        return None;
    }
    // An IPv4 UDP header, where the datagram says whether it has a
    // checksum at all (a later fragment has no UDP header).
    let first_fragment = u16::from_be_bytes([frame[ip + 6], frame[ip + 7]]) & 0x1fff == 0;
    let udp4_checksum = (ethertype == IPV4 && protocol == UDP && first_fragment)
        .then_some(segment + 6)
        .filter(|checksum| checksum + 2 <= end);
    if let Some(checksum) = udp4_checksum
        && frame[checksum..checksum + 2] == [0, 0]
    {
        return None;
    }
    Some(Target {
        index: end - 1,
        udp4_checksum,
    })
}

/// Walks IPv6 extension headers from `at` (whose type is `next`) to the
/// transport segment: where it starts and its protocol.
fn after_extensions(frame: &[u8], mut at: usize, mut next: u8, end: usize) -> Option<(usize, u8)> {
    while matches!(next, HOP_BY_HOP | ROUTING | FRAGMENT | DESTINATION) {
        let header = frame.get(at..at + 2).filter(|_| at + 8 <= end)?;
        let len = if next == FRAGMENT {
            8
        } else {
            (usize::from(header[1]) + 1) * 8
        };
        next = header[0];
        at += len;
    }
    Some((at, next))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::frames;
    use pnet::packet::ethernet::{EtherTypes, EthernetPacket};
    use pnet::packet::icmpv6::{self, Icmpv6Packet};
    use pnet::packet::ip::IpNextHeaderProtocols;
    use pnet::packet::ipv4::Ipv4Packet;
    use pnet::packet::ipv6::Ipv6Packet;
    use pnet::packet::tcp::{self, TcpPacket};
    use pnet::packet::udp::{self, UdpPacket};
    use pnet::packet::{Packet as _, PacketSize};

    /// Whether the frame's transport checksum adds up, as the receiving
    /// kernel checks it: `Some(ok)` for TCP, UDP and ICMPv6 over IP.
    fn checksum_holds(frame: &[u8]) -> Option<bool> {
        let eth = EthernetPacket::new(frame)?;
        match eth.get_ethertype() {
            EtherTypes::Ipv4 => {
                let ip = Ipv4Packet::new(eth.payload())?;
                let segment = &ip.payload()[..usize::from(ip.get_total_length())
                    - usize::from(ip.get_header_length()) * 4];
                let (src, dst) = (ip.get_source(), ip.get_destination());
                match ip.get_next_level_protocol() {
                    IpNextHeaderProtocols::Tcp => {
                        let tcp = TcpPacket::new(segment)?;
                        Some(tcp::ipv4_checksum(&tcp, &src, &dst) == tcp.get_checksum())
                    }
                    IpNextHeaderProtocols::Udp => {
                        let udp = UdpPacket::new(segment)?;
                        Some(udp::ipv4_checksum(&udp, &src, &dst) == udp.get_checksum())
                    }
                    _ => None,
                }
            }
            EtherTypes::Ipv6 => {
                let ip = Ipv6Packet::new(eth.payload())?;
                let payload = &ip.payload()[..usize::from(ip.get_payload_length())];
                let (src, dst) = (ip.get_source(), ip.get_destination());
                match ip.get_next_header() {
                    IpNextHeaderProtocols::Tcp => {
                        let tcp = TcpPacket::new(payload)?;
                        Some(tcp::ipv6_checksum(&tcp, &src, &dst) == tcp.get_checksum())
                    }
                    IpNextHeaderProtocols::Udp => {
                        let udp = UdpPacket::new(payload)?;
                        Some(udp::ipv6_checksum(&udp, &src, &dst) == udp.get_checksum())
                    }
                    IpNextHeaderProtocols::Icmpv6 => {
                        let icmp = Icmpv6Packet::new(payload)?;
                        Some(icmpv6::checksum(&icmp, &src, &dst) == icmp.get_checksum())
                    }
                    // A listener report: ICMPv6 after a hop-by-hop header.
                    IpNextHeaderProtocols::Hopopt => {
                        let skip = (usize::from(payload[1]) + 1) * 8;
                        let icmp = Icmpv6Packet::new(&payload[skip..])?;
                        Some(icmpv6::checksum(&icmp, &src, &dst) == icmp.get_checksum())
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// The transport segment's bytes: from the end of the IP header (and
    /// its extension headers) to the end of the IP packet.
    fn segment_range(frame: &[u8]) -> std::ops::Range<usize> {
        let eth = EthernetPacket::new(frame).unwrap();
        match eth.get_ethertype() {
            EtherTypes::Ipv4 => {
                let ip = Ipv4Packet::new(eth.payload()).unwrap();
                14 + usize::from(ip.get_header_length()) * 4
                    ..14 + usize::from(ip.get_total_length())
            }
            _ => {
                let ip = Ipv6Packet::new(eth.payload()).unwrap();
                let end = 14 + ip.packet_size();
                let start = if ip.get_next_header() == IpNextHeaderProtocols::Hopopt {
                    54 + (usize::from(ip.payload()[1]) + 1) * 8
                } else {
                    54
                };
                start..end
            }
        }
    }

    /// Every frame of a capture from the lab wire that has a checksum:
    /// corrupted, exactly one byte differs, inside the transport segment,
    /// and the checksum no longer adds up (it did before).
    fn every_checksummed_frame_is_caught(fixture: &str) -> usize {
        let mut checked = 0;
        for (number, original) in frames(fixture).into_iter().enumerate() {
            let number = number + 1;
            let Some(held) = checksum_holds(&original) else {
                let mut frame = original.clone();
                // ARP and neighbour discovery: nothing the fault is aimed
                // at, but a corrupt() on them must not break them either.
                if corrupt(&mut frame).is_none() {
                    assert_eq!(frame, original, "{fixture} frame {number}");
                }
                continue;
            };
            assert!(held, "{fixture} frame {number}: its checksum held");
            let mut frame = original.clone();
            let flipped = corrupt(&mut frame).expect("a frame with a checksum is corrupted");
            let changed: Vec<usize> = (0..frame.len())
                .filter(|&i| frame[i] != original[i])
                .collect();
            assert_eq!(changed, [flipped], "{fixture} frame {number}: one byte");
            assert!(
                segment_range(&original).contains(&flipped),
                "{fixture} frame {number}: byte {flipped} is not in the transport segment {:?}",
                segment_range(&original)
            );
            assert_eq!(
                checksum_holds(&frame),
                Some(false),
                "{fixture} frame {number}"
            );
            checked += 1;
        }
        checked
    }

    #[test]
    fn ipv4_tcp_and_udp_frames_fail_their_checksum() {
        // SYN, SYN-ACK, ACKs, data, FINs; a datagram with data, an empty
        // one (ARP has no checksum).
        assert_eq!(
            every_checksummed_frame_is_caught("wire-frames-ipv4.pcap"),
            10
        );
    }

    #[test]
    fn ipv6_tcp_udp_and_icmpv6_frames_fail_their_checksum() {
        // The same over IPv6, neighbour discovery, and a multicast listener
        // report (ICMPv6 behind a hop-by-hop header). The old code read
        // IPv4's length field in IPv6's flow label, and could flip the
        // EtherType.
        assert_eq!(
            every_checksummed_frame_is_caught("wire-frames-ipv6.pcap"),
            14
        );
        assert!(every_checksummed_frame_is_caught("udp-multicast.pcap") > 0);
    }

    #[test]
    fn an_ipv6_segment_keeps_its_ethertype_and_addresses() {
        // A real TCP data segment over IPv6 from the lab wire: the byte
        // flipped is its last, inside the TCP segment; the EtherType, the
        // IPv6 header (payload length, addresses) and the TCP ports are as
        // they were.
        let original = frames("wire-frames-ipv6.pcap")
            .into_iter()
            .find(|f| f[12..14] == [0x86, 0xdd] && f[20] == TCP && f.len() > 14 + 40 + 32)
            .expect("an IPv6 TCP segment with data");
        let mut frame = original.clone();
        let flipped = corrupt(&mut frame).unwrap();
        assert_eq!(flipped, original.len() - 1);
        assert!(flipped >= 14 + IPV6_HEADER + 20);
        assert_eq!(frame[..flipped], original[..flipped]);
        assert_ne!(frame[flipped], original[flipped]);
    }

    #[test]
    fn ethernet_padding_is_never_the_byte_flipped() {
        // A pure ACK is 54 bytes over IPv4; a real NIC pads it to 60. The
        // padding is not part of the IP packet, and no checksum covers it.
        let ack = frames("wire-frames-ipv4.pcap")
            .into_iter()
            .find(|f| f.len() < 60 && f[12..14] == [0x08, 0x00])
            .expect("a short IPv4 frame");
        let mut padded = ack.clone();
        padded.resize(60, 0);
        let flipped = corrupt(&mut padded).unwrap();
        assert_eq!(flipped, ack.len() - 1);
        assert!(padded[ack.len()..].iter().all(|&b| b == 0));
    }

    #[test]
    fn an_empty_ipv4_datagram_never_gets_the_checksum_that_means_none() {
        let empty = frames("wire-frames-ipv4.pcap")
            .into_iter()
            .find(|f| f.len() == 42 && f[23] == UDP)
            .expect("the empty datagram");
        // Its last byte is the checksum's low byte: make the checksum one
        // whose low byte flips to zero with a zero high byte.
        let mut frame = empty.clone();
        frame[40..42].copy_from_slice(&[0x00, 0xff]);
        assert_eq!(corrupt(&mut frame), Some(41));
        assert_eq!(frame[40..42], [0x00, 0x01]);
        // And a datagram sent without a checksum cannot be corrupted so
        // that anyone notices: corrupt() leaves it alone.
        let mut unchecked = empty.clone();
        unchecked[40..42].copy_from_slice(&[0, 0]);
        assert_eq!(corrupt(&mut unchecked), None);
        assert_eq!(unchecked[40..42], [0, 0]);
    }

    #[test]
    fn frames_without_a_segment_are_left_alone() {
        let arp = frames("wire-frames-ipv4.pcap").remove(0);
        assert_eq!(arp[12..14], [0x08, 0x06]);
        let mut frame = arp.clone();
        assert_eq!(corrupt(&mut frame), None);
        assert_eq!(frame, arp);
        // Too short to hold the headers it announces.
        for mut short in [vec![0u8; 10], arp[..13].to_vec()] {
            assert_eq!(corrupt(&mut short), None);
        }
        let tcp = frames("wire-frames-ipv6.pcap")
            .into_iter()
            .find(|f| f.len() == 94)
            .unwrap();
        assert_eq!(corrupt(&mut tcp[..60].to_vec()), None);
    }
}
