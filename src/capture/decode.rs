//! Frame bytes to [`Packet`]: every header is read by hand, each length
//! checked before it is used, so that no frame of any capture can make
//! socklab panic (pnet's TCP options accessor, for one, panics on a data
//! offset beyond the packet: pnet issue 221). Only what a learner needs is
//! kept, as owned values.
//!
//! What is read: the link layers of [`Link`]; 802.1Q and 802.1ad VLAN tags
//! (any number, QinQ included), MPLS labels, PPPoE sessions and LLC/SNAP;
//! IPv4 (with options, a segmentation-offload total length of 0, fragments)
//! and IPv6 (with its extension headers and fragments); TCP with all nine
//! flags and its options, UDP, ICMP and ICMPv6, ARP.
//!
//! A frame that cannot be read is a [`DecodeError`] that says which header
//! is wrong and how, as Wireshark flags a malformed packet and goes on.

use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use crate::packet::{Icmp, IcmpKind, Packet, Preview, Segment, TcpFlags, TcpOption, Transport};
use crate::t;

/// A frame socklab cannot read, and why, in plain words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", t!("error-frame", frame = *.frame, reason = .reason.as_str()))]
pub struct DecodeError {
    pub frame: usize,
    pub reason: String,
}

/// The link layers a capture file may use (tcpdump.org's LINKTYPE_ values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// LINKTYPE_ETHERNET (1): what socklab captures and writes.
    Ethernet,
    /// LINKTYPE_LINUX_SLL (113): `tcpdump -i any` on older systems.
    LinuxSll,
    /// LINKTYPE_LINUX_SLL2 (276): `tcpdump -i any` today.
    LinuxSll2,
    /// Bare IP packets: LINKTYPE_RAW (101, and 12 and 14, the numbers some
    /// systems wrote for it), IPV4 (228), IPV6 (229).
    RawIp,
    /// LINKTYPE_NULL (0): BSD loopback, a 4-byte address family in the
    /// capturing host's byte order (`lo0` on macOS and the BSDs).
    Null,
    /// LINKTYPE_LOOP (108): OpenBSD loopback, the family in network order.
    Loop,
    /// LINKTYPE_PPP (9) and PPP_HDLC (50): a PPP protocol number, after an
    /// optional HDLC address and control byte (RFC 1661, RFC 1662).
    Ppp,
    /// LINKTYPE_C_HDLC (104): Cisco HDLC, an EtherType after 2 bytes.
    CiscoHdlc,
    /// LINKTYPE_IEEE802_11 (105): Wi-Fi frames without radio information.
    Wifi,
    /// LINKTYPE_IEEE802_11_RADIOTAP (127): Wi-Fi behind a radiotap header
    /// (a monitor-mode capture).
    Radiotap,
    /// LINKTYPE_IPOIB (242): IP over InfiniBand (RFC 4391 §6): 40 bytes of
    /// hardware addresses, then a 4-byte header that starts with an
    /// EtherType.
    IpOverInfiniband,
}

impl Link {
    /// The link layer of a LINKTYPE_ number, flags already masked off.
    pub fn from_linktype(link: u16) -> Option<Link> {
        Some(match link {
            1 => Link::Ethernet,
            113 => Link::LinuxSll,
            276 => Link::LinuxSll2,
            12 | 14 | 101 | 228 | 229 => Link::RawIp,
            0 => Link::Null,
            108 => Link::Loop,
            9 | 50 => Link::Ppp,
            104 => Link::CiscoHdlc,
            105 => Link::Wifi,
            127 => Link::Radiotap,
            242 => Link::IpOverInfiniband,
            _ => return None,
        })
    }

    /// The link layer's name, for messages.
    pub fn linktype_name(link: u16) -> String {
        let name = match link {
            0 => "BSD loopback (NULL)",
            1 => "Ethernet",
            6 => "Token Ring",
            8 => "SLIP",
            9 => "PPP",
            10 => "FDDI",
            12 | 14 | 101 => "raw IP",
            50 => "PPP in HDLC framing",
            104 => "Cisco HDLC",
            105 => "802.11 Wi-Fi",
            107 => "Frame Relay",
            108 => "OpenBSD loopback (LOOP)",
            113 => "Linux cooked (SLL)",
            117 => "OpenBSD pflog",
            119 => "802.11 with Prism header",
            127 => "802.11 Wi-Fi with radiotap header",
            147..=162 => "a user-defined link type",
            163 => "802.11 with AVS header",
            192 => "802.11 with PPI header",
            195 => "IEEE 802.15.4",
            201 => "Bluetooth",
            220 => "USB (Linux)",
            228 => "raw IPv4",
            229 => "raw IPv6",
            239 => "Linux netfilter log (NFLOG)",
            242 => "IP over InfiniBand",
            276 => "Linux cooked (SLL2)",
            _ => "",
        };
        if name.is_empty() {
            t!("frame-link-type", link = link)
        } else {
            t!("frame-link-type-named", link = link, name = name)
        }
    }
}

/// Where a frame's bytes stop making sense, for [`DecodeError`].
type Why = String;

/// A big-endian field at `at`, or `None` past the end.
fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn short(what: &str, need: usize, have: usize) -> Why {
    t!(
        "frame-header-short",
        header = what,
        need = need,
        have = have
    )
}

/// Linux cooked captures' packet type for a frame sent to every host.
const SLL_BROADCAST: u16 = 1;

const ETHERTYPE_IPV4: u16 = 0x0800;
const ETHERTYPE_ARP: u16 = 0x0806;
const ETHERTYPE_IPV6: u16 = 0x86dd;

/// What the link layer carries: an EtherType (0 when the IP version
/// nibble decides) and whether the link layer sent it to every host.
struct Network<'a> {
    ethertype: u16,
    bytes: &'a [u8],
    broadcast: bool,
}

/// Strips the link layer. `Ok(None)`: not something socklab explains (a
/// Wi-Fi beacon, an encrypted frame, LLDP…).
fn link_layer(link: Link, bytes: &[u8]) -> Result<Option<Network<'_>>, Why> {
    let net = |ethertype, bytes, broadcast| {
        Ok(Some(Network {
            ethertype,
            bytes,
            broadcast,
        }))
    };
    match link {
        Link::Ethernet => {
            let Some(body) = bytes.get(14..) else {
                return Err(short("Ethernet", 14, bytes.len()));
            };
            let broadcast = bytes[..6] == [0xff; 6];
            let ethertype = u16::from_be_bytes([bytes[12], bytes[13]]);
            ethernet_payload(ethertype, body, broadcast)
        }
        // SLL: 16-byte header, packet type in bytes 0–1 (1: broadcast),
        // protocol in bytes 14–15.
        Link::LinuxSll => {
            let (Some(kind), Some(proto), Some(body)) =
                (be16(bytes, 0), be16(bytes, 14), bytes.get(16..))
            else {
                return Err(short("Linux cooked (SLL)", 16, bytes.len()));
            };
            ethernet_payload(proto, body, kind == SLL_BROADCAST)
        }
        // SLL2: 20-byte header, protocol in bytes 0–1, packet type in
        // byte 10.
        Link::LinuxSll2 => {
            let (Some(proto), Some(body)) = (be16(bytes, 0), bytes.get(20..)) else {
                return Err(short("Linux cooked (SLL2)", 20, bytes.len()));
            };
            ethernet_payload(proto, body, u16::from(bytes[10]) == SLL_BROADCAST)
        }
        Link::RawIp => net(0, bytes, false),
        // NULL: the address family in the capturing host's byte order;
        // LOOP: in network order. IPv4 is 2 everywhere; IPv6 is 24, 28 or
        // 30 depending on the BSD (Wireshark accepts all three).
        Link::Null | Link::Loop => {
            let Some(head) = bytes.get(..4) else {
                return Err(short("loopback", 4, bytes.len()));
            };
            let be = u32::from_be_bytes([head[0], head[1], head[2], head[3]]);
            let family = if link == Link::Loop || be <= 0xffff {
                be
            } else {
                be.swap_bytes()
            };
            match family {
                2 => net(ETHERTYPE_IPV4, &bytes[4..], false),
                24 | 28 | 30 => net(ETHERTYPE_IPV6, &bytes[4..], false),
                _ => Ok(None),
            }
        }
        Link::Ppp => {
            let body = match bytes {
                [0xff, 0x03, rest @ ..] => rest,
                _ => bytes,
            };
            ppp_payload(body)
        }
        Link::CiscoHdlc => {
            let (Some(proto), Some(body)) = (be16(bytes, 2), bytes.get(4..)) else {
                return Err(short("Cisco HDLC", 4, bytes.len()));
            };
            ethernet_payload(proto, body, bytes[0] == 0x8f)
        }
        Link::Radiotap => {
            // Radiotap (radiotap.org): version, pad, little-endian length.
            let Some(len) = bytes
                .get(2..4)
                .map(|b| usize::from(u16::from_le_bytes([b[0], b[1]])))
            else {
                return Err(short("radiotap", 4, bytes.len()));
            };
            match bytes.get(len..) {
                Some(wifi) if len >= 8 => wifi_payload(wifi),
                _ => Err(t!("frame-radiotap-length", len = len, have = bytes.len())),
            }
        }
        Link::Wifi => wifi_payload(bytes),
        Link::IpOverInfiniband => {
            // libpcap's pseudo-header: the 20-byte destination and source
            // hardware addresses, then RFC 4391's 4-byte header.
            let (Some(proto), Some(body)) = (be16(bytes, 40), bytes.get(44..)) else {
                return Err(short("IP over InfiniBand", 44, bytes.len()));
            };
            ethernet_payload(proto, body, false)
        }
    }
}

/// An 802.11 data frame's payload (IEEE 802.11-2020 §9.2.4): frame
/// control, duration, three addresses, sequence control, a fourth address
/// between access points, a QoS field; then LLC/SNAP. Management and
/// control frames, and encrypted data, are not explained.
fn wifi_payload(bytes: &[u8]) -> Result<Option<Network<'_>>, Why> {
    let Some(&[fc0, fc1]) = bytes.get(..2) else {
        return Err(short("802.11", 24, bytes.len()));
    };
    let kind = (fc0 >> 2) & 3;
    let subtype = fc0 >> 4;
    if kind != 2 || subtype & 0x4 != 0 || fc1 & 0x40 != 0 {
        // Not data, a null-data frame, or protected: nothing readable.
        return Ok(None);
    }
    let mut header = 24;
    if fc1 & 0x03 == 0x03 {
        header += 6;
    }
    if subtype & 0x8 != 0 {
        header += 2;
        if fc1 & 0x80 != 0 {
            header += 4; // HT control
        }
    }
    let Some(body) = bytes.get(header..) else {
        return Err(short("802.11", header, bytes.len()));
    };
    // The receiver address is the first: all ones is a broadcast.
    let broadcast = bytes.get(4..10) == Some(&[0xff; 6][..]);
    llc_payload(body, broadcast)
}

/// LLC with a SNAP header (RFC 1042): AA AA 03, an OUI, an EtherType.
fn llc_payload(bytes: &[u8], broadcast: bool) -> Result<Option<Network<'_>>, Why> {
    match bytes {
        [0xaa, 0xaa, 0x03, _, _, _, t0, t1, rest @ ..] => {
            ethernet_payload(u16::from_be_bytes([*t0, *t1]), rest, broadcast)
        }
        _ => Ok(None),
    }
}

/// PPP's protocol field (RFC 1661 §2): 0x0021 IPv4, 0x0057 IPv6; a
/// compressed one-byte field is odd.
fn ppp_payload(bytes: &[u8]) -> Result<Option<Network<'_>>, Why> {
    let (proto, body) = match bytes {
        [p, rest @ ..] if p & 1 == 1 => (u16::from(*p), rest),
        [p0, p1, rest @ ..] => (u16::from_be_bytes([*p0, *p1]), rest),
        _ => return Err(short("PPP", 2, bytes.len())),
    };
    Ok(match proto {
        // MPLS unicast and multicast (RFC 3032 §4.3).
        0x281 | 0x283 => return ethernet_payload(0x8847, body, false),
        0x21 => Some(Network {
            ethertype: ETHERTYPE_IPV4,
            bytes: body,
            broadcast: false,
        }),
        0x57 => Some(Network {
            ethertype: ETHERTYPE_IPV6,
            bytes: body,
            broadcast: false,
        }),
        _ => None,
    })
}

/// What an EtherType announces, through VLAN tags (802.1Q 0x8100, 802.1ad
/// 0x88a8, the older 0x9100: QinQ is two or more), MPLS label stacks
/// (RFC 3032), PPPoE sessions (RFC 2516 §4) and 802.3 length fields with
/// LLC/SNAP.
fn ethernet_payload(
    mut ethertype: u16,
    mut bytes: &[u8],
    broadcast: bool,
) -> Result<Option<Network<'_>>, Why> {
    // Each step strips one header; a frame has only so many.
    for _ in 0..16 {
        match ethertype {
            0x8100 | 0x88a8 | 0x9100 => {
                let (Some(next), Some(rest)) = (be16(bytes, 2), bytes.get(4..)) else {
                    return Err(short("VLAN tag", 4, bytes.len()));
                };
                ethertype = next;
                bytes = rest;
            }
            0x8847 | 0x8848 => {
                // MPLS: 4-byte labels until the bottom-of-stack bit; then
                // the IP version nibble tells what follows.
                let mut at = 0;
                loop {
                    let Some(label) = be32(bytes, at) else {
                        return Err(short("MPLS label", at + 4, bytes.len()));
                    };
                    at += 4;
                    if label & 0x100 != 0 {
                        break;
                    }
                }
                return Ok(Some(Network {
                    ethertype: 0,
                    bytes: &bytes[at..],
                    broadcast,
                }));
            }
            0x8864 => {
                // PPPoE session: version/type, code, session id, length;
                // then PPP.
                let Some(rest) = bytes.get(6..) else {
                    return Err(short("PPPoE", 6, bytes.len()));
                };
                return ppp_payload(rest);
            }
            t if t <= 1500 => return llc_payload(bytes, broadcast),
            _ => {
                return Ok(Some(Network {
                    ethertype,
                    bytes,
                    broadcast,
                }));
            }
        }
    }
    Err(t!("frame-vlan-tags"))
}

/// The IP layer of a frame: addresses, the protocol it carries, and the
/// transport bytes.
struct Ip<'a> {
    src: IpAddr,
    dst: IpAddr,
    proto: u8,
    /// The transport header and payload as captured.
    body: &'a [u8],
    /// Their length on the wire (more than `body` in a snapped frame).
    len: usize,
    /// A fragment: (key, offset, more fragments).
    fragment: Option<(FragmentKey, u32, bool)>,
}

/// The datagram a fragment belongs to (RFC 791 §3.2: source, destination,
/// protocol and identification; RFC 8200 §4.5: source, destination, id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FragmentKey {
    src: IpAddr,
    dst: IpAddr,
    proto: u8,
    id: u32,
}

/// IPv4 (RFC 791 §3.1). A total length of 0 is a frame handed over before
/// segmentation offload split it (Wireshark: "presumed TSO"): its length is
/// what was captured. A total length beyond the frame counts only the bytes
/// the frame has, as Wireshark does, unless a snapshot length cut them.
fn ipv4(bytes: &[u8], snapped: bool) -> Result<Ip<'_>, Why> {
    let Some(head) = bytes.get(..20) else {
        return Err(short("IPv4", 20, bytes.len()));
    };
    if head[0] >> 4 != 4 {
        return Err(t!(
            "frame-ip-version",
            header = "IPv4",
            version = head[0] >> 4
        ));
    }
    let header = usize::from(head[0] & 0x0f) * 4;
    if header < 20 {
        return Err(t!("frame-ipv4-header-length", header = header));
    }
    if header > bytes.len() {
        return Err(short("IPv4", header, bytes.len()));
    }
    let mut total = usize::from(u16::from_be_bytes([head[2], head[3]]));
    if total == 0 {
        total = bytes.len();
    }
    if total < header {
        return Err(t!(
            "frame-ipv4-total-length",
            total = total,
            header = header
        ));
    }
    if !snapped {
        total = total.min(bytes.len());
    }
    let id = u32::from(u16::from_be_bytes([head[4], head[5]]));
    let frag = u16::from_be_bytes([head[6], head[7]]);
    let (more, offset) = (frag & 0x2000 != 0, u32::from(frag & 0x1fff) * 8);
    let src = IpAddr::from([head[12], head[13], head[14], head[15]]);
    let dst = IpAddr::from([head[16], head[17], head[18], head[19]]);
    let proto = head[9];
    Ok(Ip {
        src,
        dst,
        proto,
        body: &bytes[header..total.min(bytes.len())],
        len: total - header,
        fragment: (more || offset > 0).then_some((
            FragmentKey {
                src,
                dst,
                proto,
                id,
            },
            offset,
            more,
        )),
    })
}

/// IPv6 (RFC 8200 §3) and its extension headers (§4): hop-by-hop options,
/// routing, fragment, destination options, authentication (RFC 4302), each
/// skipped by its own length until the transport header. A payload length
/// of 0 is a jumbogram or an offloaded frame: its length is what was
/// captured.
fn ipv6(bytes: &[u8], snapped: bool) -> Result<Ip<'_>, Why> {
    let Some(head) = bytes.get(..40) else {
        return Err(short("IPv6", 40, bytes.len()));
    };
    if head[0] >> 4 != 6 {
        return Err(t!(
            "frame-ip-version",
            header = "IPv6",
            version = head[0] >> 4
        ));
    }
    let payload = &bytes[40..];
    let mut len = usize::from(u16::from_be_bytes([head[4], head[5]]));
    if len == 0 {
        len = payload.len();
    }
    if !snapped {
        len = len.min(payload.len());
    }
    let mut body = &payload[..len.min(payload.len())];
    let mut proto = head[6];
    let src: [u8; 16] = head[8..24].try_into().unwrap_or([0; 16]);
    let dst: [u8; 16] = head[24..40].try_into().unwrap_or([0; 16]);
    let (src, dst) = (IpAddr::from(src), IpAddr::from(dst));
    let mut fragment = None;
    // Each extension header is at least 8 bytes: a bounded walk.
    for _ in 0..32 {
        let ext = match proto {
            0 | 43 | 60 | 135 | 139 | 140 => {
                let Some(&[next, n]) = body.get(..2) else {
                    return Err(short("IPv6 extension", 8, body.len()));
                };
                (next, (usize::from(n) + 1) * 8)
            }
            51 => {
                let Some(&[next, n]) = body.get(..2) else {
                    return Err(short("IPv6 authentication", 12, body.len()));
                };
                (next, (usize::from(n) + 2) * 4)
            }
            44 => {
                let Some(h) = body.get(..8) else {
                    return Err(short("IPv6 fragment", 8, body.len()));
                };
                let frag = u16::from_be_bytes([h[2], h[3]]);
                let id = u32::from_be_bytes([h[4], h[5], h[6], h[7]]);
                let (offset, more) = (u32::from(frag >> 3) * 8, frag & 1 != 0);
                if offset > 0 || more {
                    fragment = Some((
                        FragmentKey {
                            src,
                            dst,
                            proto: h[0],
                            id,
                        },
                        offset,
                        more,
                    ));
                }
                (h[0], 8)
            }
            _ => break,
        };
        let (next, size) = ext;
        if size > body.len() {
            return Err(short("IPv6 extension", size, body.len()));
        }
        body = &body[size..];
        len = len.saturating_sub(size);
        proto = next;
        if fragment.is_some() {
            break;
        }
    }
    Ok(Ip {
        src,
        dst,
        proto,
        body,
        len,
        fragment,
    })
}

/// Pieces of datagrams waiting for the rest, bounded: at most
/// [`MAX_PENDING`] datagrams, the oldest given up first, each at most
/// 65 535 bytes (IPv4's limit; IPv6 jumbograms are never fragmented).
#[derive(Debug, Default)]
pub struct Reassembly {
    pending: HashMap<FragmentKey, Pieces>,
    order: VecDeque<FragmentKey>,
}

#[derive(Debug, Default)]
struct Pieces {
    /// (offset, bytes) of each piece received.
    pieces: Vec<(u32, Vec<u8>)>,
    /// The datagram's length, once its last piece came.
    total: Option<u32>,
    /// A piece was cut by the snapshot length: no reassembly possible.
    incomplete: bool,
}

const MAX_PENDING: usize = 256;
const MAX_DATAGRAM: u32 = 65_535;

impl Reassembly {
    /// Adds a piece; the whole transport payload when this piece completes
    /// its datagram.
    fn add(
        &mut self,
        key: FragmentKey,
        offset: u32,
        more: bool,
        bytes: &[u8],
        cut: bool,
    ) -> Option<Vec<u8>> {
        let end = offset.checked_add(u32::try_from(bytes.len()).ok()?)?;
        if end > MAX_DATAGRAM {
            return None;
        }
        if !self.pending.contains_key(&key) {
            if self.order.len() >= MAX_PENDING
                && let Some(old) = self.order.pop_front()
            {
                self.pending.remove(&old);
            }
            self.order.push_back(key);
        }
        let entry = self.pending.entry(key).or_default();
        entry.incomplete |= cut;
        if !more {
            entry.total = Some(end);
        }
        entry.pieces.push((offset, bytes.to_vec()));
        let total = entry.total?;
        if entry.incomplete {
            return None;
        }
        // Covered from 0 to the end, in order of offset?
        entry.pieces.sort_by_key(|(o, _)| *o);
        let mut whole = vec![0u8; total as usize];
        let mut covered = 0u32;
        for (o, b) in &entry.pieces {
            if *o > covered {
                return None;
            }
            let start = *o as usize;
            let stop = (start + b.len()).min(whole.len());
            if start < stop {
                whole[start..stop].copy_from_slice(&b[..stop - start]);
            }
            covered = covered.max(*o + b.len() as u32);
        }
        if covered < total {
            return None;
        }
        self.pending.remove(&key);
        self.order.retain(|k| *k != key);
        Some(whole)
    }
}

/// What the decoder is asked to read: everything a capture can hold
/// (replay), or only what a lesson's exchange is made of (TCP, UDP, ICMP
/// port unreachable, ARP and neighbour discovery): other ICMP, such as
/// IPv6's multicast listener reports, and fragments are then skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Lesson,
    Everything,
}

/// A decoder with memory: it reassembles fragmented datagrams.
#[derive(Debug)]
pub struct Decoder {
    scope: Scope,
    reassembly: Reassembly,
}

impl Decoder {
    pub fn new(scope: Scope) -> Decoder {
        Decoder {
            scope,
            reassembly: Reassembly::default(),
        }
    }

    /// Decodes one frame. `snapped`: the capture kept only the first bytes
    /// of the frame (a snapshot length, as with `tcpdump -s 96`), so
    /// lengths come from the headers and the payload may be missing.
    /// `Ok(None)` for frames that carry nothing socklab explains.
    pub fn decode(
        &mut self,
        link: Link,
        frame: usize,
        at: Duration,
        bytes: &[u8],
        snapped: bool,
    ) -> Result<Option<Packet>, DecodeError> {
        self.decode_inner(link, frame, at, bytes, snapped)
            .map_err(|reason| DecodeError { frame, reason })
    }

    fn decode_inner(
        &mut self,
        link: Link,
        frame: usize,
        at: Duration,
        bytes: &[u8],
        snapped: bool,
    ) -> Result<Option<Packet>, Why> {
        let Some(net) = link_layer(link, bytes)? else {
            return Ok(None);
        };
        let ip = match ethertype(&net)? {
            ETHERTYPE_IPV4 => ipv4(net.bytes, snapped)?,
            ETHERTYPE_IPV6 => ipv6(net.bytes, snapped)?,
            ETHERTYPE_ARP => return arp(frame, at, net.bytes),
            _ => return Ok(None),
        };
        let packet = |src_port, dst_port, transport| {
            Ok(Some(Packet {
                frame,
                at,
                src: SocketAddr::new(ip.src, src_port),
                dst: SocketAddr::new(ip.dst, dst_port),
                transport,
            }))
        };
        let whole;
        let (body, len) = match ip.fragment {
            None => (ip.body, ip.len),
            // A fragment is never read as a transport header on its own,
            // even the first piece: its length is the datagram's, unknown
            // until the last piece (Wireshark dissects an unreassembled
            // first piece, but with absolute numbers and no length).
            Some((key, offset, more)) => {
                let cut = ip.body.len() < ip.len;
                let done = if self.scope == Scope::Everything {
                    self.reassembly.add(key, offset, more, ip.body, cut)
                } else {
                    None
                };
                match done {
                    Some(datagram) => {
                        whole = datagram;
                        (&whole[..], whole.len())
                    }
                    None if self.scope == Scope::Lesson => return Ok(None),
                    None => {
                        return packet(
                            0,
                            0,
                            Transport::Fragment {
                                protocol: ip.proto,
                                offset,
                                len: ip.len as u32,
                                more,
                            },
                        );
                    }
                }
            }
        };
        let broadcast = net.broadcast || is_broadcast_address(ip.dst);
        match ip.proto {
            6 => {
                let (sport, dport, seg) = tcp(body, len)?;
                packet(sport, dport, Transport::Tcp(seg))
            }
            17 => {
                let (sport, dport, ulen) = udp(body, len)?;
                packet(
                    sport,
                    dport,
                    Transport::Udp {
                        payload_len: ulen.saturating_sub(8) as u32,
                        broadcast,
                        multicast: ip.dst.is_multicast(),
                        preview: Preview::of(body.get(8..ulen.min(body.len())).unwrap_or(&[])),
                    },
                )
            }
            58 if matches!(body.first(), Some(135 | 136)) => Ok(neighbour_discovery(
                body, ip.src, ip.dst,
            )
            .map(|(src, dst, transport)| Packet {
                frame,
                at,
                src: SocketAddr::new(src, 0),
                dst: SocketAddr::new(dst, 0),
                transport,
            })),
            1 | 58 => {
                let v6 = ip.proto == 58;
                if let Some((src, dst)) = port_unreachable(v6, body) {
                    return packet(src, dst, Transport::PortUnreachable);
                }
                if self.scope == Scope::Lesson {
                    return Ok(None);
                }
                let kind = icmp_kind(v6, body)?;
                packet(0, 0, Transport::Icmp(Icmp { v6, kind }))
            }
            _ => Ok(None),
        }
    }
}

/// The network layer's EtherType; on links without one (raw IP), read
/// from the IP header's version.
fn ethertype(net: &Network<'_>) -> Result<u16, Why> {
    Ok(match (net.ethertype, net.bytes.first().map(|b| b >> 4)) {
        (0, Some(4)) => ETHERTYPE_IPV4,
        (0, Some(6)) => ETHERTYPE_IPV6,
        (0, Some(v)) => return Err(t!("frame-ip-version", header = "IP", version = v)),
        (0, None) => return Err(t!("frame-empty")),
        (t, _) => t,
    })
}

/// A UDP header (RFC 768): the ports and the datagram's length (header
/// and data) as far as it can be trusted. `len`: the length the IP layer
/// gives it.
fn udp(body: &[u8], len: usize) -> Result<(u16, u16, usize), Why> {
    let (Some(sport), Some(dport), Some(ulen)) = (be16(body, 0), be16(body, 2), be16(body, 4))
    else {
        return Err(short("UDP", 8, body.len()));
    };
    // The UDP length field (RFC 768); 0 in an IPv6 jumbogram
    // (RFC 2675 §4), and not to be trusted past the IP packet.
    let ulen = usize::from(ulen);
    let ulen = if ulen < 8 || ulen > len { len } else { ulen };
    Ok((sport, dport, ulen))
}

/// What an ICMP (`v6`: ICMPv6) message is, from its type and code.
fn icmp_kind(v6: bool, body: &[u8]) -> Result<IcmpKind, Why> {
    let Some(&[kind, code]) = body.get(..2) else {
        return Err(short(if v6 { "ICMPv6" } else { "ICMP" }, 8, body.len()));
    };
    let (id, seq) = (be16(body, 4).unwrap_or(0), be16(body, 6).unwrap_or(0));
    Ok(match (v6, kind) {
        (false, 8) | (true, 128) => IcmpKind::EchoRequest { id, seq },
        (false, 0) | (true, 129) => IcmpKind::EchoReply { id, seq },
        (false, 3) | (true, 1) => IcmpKind::Unreachable { code },
        (false, 11) | (true, 3) => IcmpKind::TimeExceeded { code },
        (true, 2) => IcmpKind::PacketTooBig {
            mtu: be32(body, 4).unwrap_or(0),
        },
        _ => IcmpKind::Other { kind, code },
    })
}

/// A TCP header (RFC 9293 §3.1) read by hand: the data offset is checked
/// against the bytes there before any option is read. `len`: the segment's
/// length on the wire (header and payload).
fn tcp(body: &[u8], len: usize) -> Result<(u16, u16, Segment), Why> {
    let Some(h) = body.get(..20) else {
        return Err(short("TCP", 20, body.len()));
    };
    let header = usize::from(h[12] >> 4) * 4;
    if header < 20 {
        return Err(t!("frame-tcp-offset-small", header = header));
    }
    if header > len {
        return Err(t!("frame-tcp-offset-large", header = header, len = len));
    }
    let flags = TcpFlags::from_bits((u16::from(h[12] & 1) << 8) | u16::from(h[13]));
    // Options as far as they were captured (a snapshot length may cut them).
    let mut options_bytes = body.get(20..header.min(body.len())).unwrap_or(&[]);
    let (mut options, mut sack_blocks) = (Vec::new(), Vec::new());
    while let Some(&kind) = options_bytes.first() {
        match kind {
            0 => break,
            1 => {
                options_bytes = &options_bytes[1..];
                continue;
            }
            _ => {}
        }
        let Some(&size) = options_bytes.get(1) else {
            break;
        };
        let size = usize::from(size);
        let Some(data) = options_bytes.get(2..size.max(2)).filter(|_| size >= 2) else {
            break;
        };
        match (kind, data) {
            (2, [a, b]) => options.push(TcpOption::Mss(u16::from_be_bytes([*a, *b]))),
            (3, [shift]) => options.push(TcpOption::WindowScale(*shift)),
            (4, _) => options.push(TcpOption::SackPermitted),
            (8, _) => options.push(TcpOption::Timestamps),
            (5, blocks) => {
                options.push(TcpOption::Sack);
                sack_blocks.extend(blocks.chunks_exact(8).map(|b| {
                    (
                        u32::from_be_bytes([b[0], b[1], b[2], b[3]]),
                        u32::from_be_bytes([b[4], b[5], b[6], b[7]]),
                    )
                }));
            }
            _ => {}
        }
        options_bytes = &options_bytes[size..];
    }
    let segment = Segment {
        flags,
        seq: u32::from_be_bytes([h[4], h[5], h[6], h[7]]),
        ack: u32::from_be_bytes([h[8], h[9], h[10], h[11]]),
        window: u16::from_be_bytes([h[14], h[15]]),
        payload_len: (len - header) as u32,
        options,
        sack_blocks,
        preview: Preview::of(body.get(header..len.min(body.len())).unwrap_or(&[])),
    };
    Ok((
        u16::from_be_bytes([h[0], h[1]]),
        u16::from_be_bytes([h[2], h[3]]),
        segment,
    ))
}

/// Decodes an Ethernet frame as a lesson sees it. `Ok(None)` for frames
/// that are not part of a lesson's exchange (LLDP, IPv6 listener reports…).
pub fn decode_ethernet(
    frame: usize,
    at: Duration,
    bytes: &[u8],
) -> Result<Option<Packet>, DecodeError> {
    decode_frame(Link::Ethernet, frame, at, bytes, false)
}

/// Decodes one frame of any link layer, as a lesson sees it, without
/// reassembly (see [`Decoder`] for captures).
pub fn decode_frame(
    link: Link,
    frame: usize,
    at: Duration,
    bytes: &[u8],
    snapped: bool,
) -> Result<Option<Packet>, DecodeError> {
    Decoder::new(Scope::Lesson).decode(link, frame, at, bytes, snapped)
}

/// The broadcast addresses recognisable without knowing the subnet: the
/// limited broadcast (RFC 919) and the loopback network's, where no
/// link layer says so.
fn is_broadcast_address(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_broadcast() || v4 == Ipv4Addr::new(127, 255, 255, 255),
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
    let target = IpAddr::from(Ipv6Addr::from(target));
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

/// An ARP packet for IPv4 over Ethernet (RFC 826): hardware type 1,
/// protocol 0x0800, 6-byte and 4-byte addresses. Other ARP is skipped.
fn arp(frame: usize, at: Duration, b: &[u8]) -> Result<Option<Packet>, Why> {
    let Some(b) = b.get(..28) else {
        return Err(short("ARP", 28, b.len()));
    };
    if be16(b, 0) != Some(1) || be16(b, 2) != Some(ETHERTYPE_IPV4) || b[4] != 6 || b[5] != 4 {
        return Ok(None);
    }
    let mut sender_mac = [0; 6];
    sender_mac.copy_from_slice(&b[8..14]);
    Ok(Some(Packet {
        frame,
        at,
        src: SocketAddr::new(IpAddr::from([b[14], b[15], b[16], b[17]]), 0),
        dst: SocketAddr::new(IpAddr::from([b[24], b[25], b[26], b[27]]), 0),
        transport: Transport::Resolution {
            reply: be16(b, 6) == Some(2),
            sender_mac,
        },
    }))
}

/// For an ICMP "port unreachable" about a UDP datagram, the datagram's
/// ports swapped: (its destination, its source). RFC 792 and RFC 4443 §3.1:
/// the message quotes the offending packet's IP header and first 8 bytes.
fn port_unreachable(v6: bool, icmp: &[u8]) -> Option<(u16, u16)> {
    let (kind, code) = if v6 { (1, 4) } else { (3, 3) };
    if icmp.len() < 8 || icmp[0] != kind || icmp[1] != code {
        return None;
    }
    let quoted = &icmp[8..];
    let (header, inner_proto) = if v6 {
        (40, *quoted.get(6)?)
    } else {
        // IPv4: the header length is in the low nibble of the first byte.
        (usize::from(*quoted.first()? & 0x0f) * 4, *quoted.get(9)?)
    };
    if inner_proto != 17 {
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
                multicast: false,
                preview: Preview::default(),
            }
        );
        // The datagram's data, kept for a preview (equality ignores it).
        let udp = decode_ethernet(1, Duration::ZERO, &frames("udp-datagram.pcap")[0]);
        let Some(Packet {
            transport: Transport::Udp { preview, .. },
            ..
        }) = udp.unwrap()
        else {
            panic!("a datagram");
        };
        assert_eq!(preview.0, b"hello");
    }

    #[test]
    fn truncated_frames_are_errors_at_every_layer() {
        let frame = &frames("tcp-close.pcap")[0];
        // Cut inside the Ethernet, IPv4 and TCP headers: each names the
        // header and what it lacks.
        for (cut, want) in [
            (
                10,
                "Ethernet header cut short: it needs 14 bytes, the frame has 10 left",
            ),
            (
                20,
                "IPv4 header cut short: it needs 20 bytes, the frame has 6 left",
            ),
            (
                40,
                "TCP header cut short: it needs 20 bytes, the frame has 6 left",
            ),
            (
                14 + 20 + 10,
                "TCP header cut short: it needs 20 bytes, the frame has 10 left",
            ),
        ] {
            let err = decode_ethernet(7, Duration::ZERO, &frame[..cut]).unwrap_err();
            assert_eq!(err.to_string(), format!("frame 7: {want}"), "cut at {cut}");
        }
    }

    /// pnet issue 221: a data offset beyond the segment made pnet's options
    /// iterator panic. socklab checks it first and says what is wrong.
    #[test]
    fn a_tcp_header_longer_than_the_packet_is_an_error() {
        let mut frame = frames("tcp-close.pcap")[0].clone();
        // Data offset (high nibble of TCP byte 12) of 15 words = 60 bytes,
        // more than the 40 the SYN has.
        frame[14 + 20 + 12] = 0xf0;
        let err = decode_ethernet(1, Duration::ZERO, &frame).unwrap_err();
        assert_eq!(
            err.reason,
            "TCP data offset is 60 bytes, more than the 40 bytes of the segment"
        );
        // A 20-byte segment with data offset 10 (pnet issue 221's case).
        let mut frame = frames("tcp-close.pcap")[0][..14 + 20 + 20].to_vec();
        frame[16..18].copy_from_slice(&40u16.to_be_bytes());
        frame[14 + 20 + 12] = 0xa0;
        assert!(decode_ethernet(1, Duration::ZERO, &frame).is_err());
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
            "frame 9: Linux cooked (SLL2) header cut short: it needs 20 bytes, the frame has 10 left"
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
        // Without a snapshot length, the frame holds what it holds: as in
        // Wireshark, the length is what is there.
        let packet = decode_frame(Link::Ethernet, 4, Duration::ZERO, cut, false)
            .unwrap()
            .unwrap();
        match packet.transport {
            Transport::Tcp(seg) => assert_eq!(seg.payload_len, 0),
            other => panic!("{other:?}"),
        }
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
                multicast: true,
                preview: Preview::default(),
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
        use pnet::packet::arp::{ArpHardwareTypes, ArpOperations, MutableArpPacket};
        use pnet::packet::ethernet::EtherTypes;
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
