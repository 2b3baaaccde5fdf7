//! What a captured frame *means*: small owned structs that the tracker,
//! the runner and the renderer use. Only `capture` ever sees raw bytes.

use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

/// The link-local all-nodes group, ff02::1 (RFC 4291 §2.7.1): every IPv6
/// interface is a member, so a datagram sent there is IPv6's broadcast.
pub const ALL_NODES: std::net::Ipv6Addr = std::net::Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 1);

/// The broadcast address of socklab's lab wire, whose subnet is
/// 10.0.0.0/24 (RFC 1918): it exists only inside socklab's namespaces.
pub const LAB_BROADCAST: std::net::Ipv4Addr = std::net::Ipv4Addr::new(10, 0, 0, 255);

/// The transport a conversation uses, as the ladder and the kernel's
/// tables tell them apart.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Protocol {
    Tcp,
    Udp,
    /// Address resolution on an Ethernet segment (the lab wire): ARP, or
    /// IPv6 neighbour discovery.
    Resolution,
    /// ICMP messages other than port unreachable, by address pair.
    Icmp,
    /// Pieces of fragmented datagrams not yet whole, by address pair.
    Fragment,
}

impl Protocol {
    pub fn of(transport: &Transport) -> Protocol {
        match transport {
            Transport::Tcp(_) => Protocol::Tcp,
            Transport::Udp { .. } | Transport::PortUnreachable => Protocol::Udp,
            Transport::Resolution { .. } => Protocol::Resolution,
            Transport::Icmp(_) => Protocol::Icmp,
            Transport::Fragment { .. } => Protocol::Fragment,
        }
    }
}

/// What became of a frame on the lab wire (on the loopback, and in
/// capture files, every frame is `Delivered`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(into = "FateJson", from = "FateJson")]
#[schemars(with = "FateJson")]
pub enum Fate {
    Delivered,
    /// Lost on the wire: never delivered.
    Dropped,
    /// The second copy of a duplicated frame.
    Duplicate,
    /// Delivered late by this much.
    Delayed(Duration),
    /// Held back and delivered after a later frame.
    Reordered,
    /// Delivered with a flipped byte.
    Corrupted,
}

/// A fate in JSON: its name, and how long a delayed frame was delayed.
#[derive(serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
struct FateJson {
    /// `delivered`, `dropped`, `duplicate`, `delayed`, `reordered` or
    /// `corrupted`.
    fate: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    delayed_ms: Option<u64>,
}

impl From<Fate> for FateJson {
    fn from(fate: Fate) -> FateJson {
        FateJson {
            fate: fate.name().to_string(),
            delayed_ms: match fate {
                Fate::Delayed(by) => Some(by.as_millis() as u64),
                _ => None,
            },
        }
    }
}

impl From<FateJson> for Fate {
    fn from(json: FateJson) -> Fate {
        match json.fate.as_str() {
            "dropped" => Fate::Dropped,
            "duplicate" => Fate::Duplicate,
            "delayed" => Fate::Delayed(Duration::from_millis(json.delayed_ms.unwrap_or(0))),
            "reordered" => Fate::Reordered,
            "corrupted" => Fate::Corrupted,
            _ => Fate::Delivered,
        }
    }
}

impl Fate {
    /// The fate's name in `--format json` (`"delivered"`, `"dropped"`, …).
    pub fn name(&self) -> &'static str {
        match self {
            Fate::Delivered => "delivered",
            Fate::Dropped => "dropped",
            Fate::Duplicate => "duplicate",
            Fate::Delayed(_) => "delayed",
            Fate::Reordered => "reordered",
            Fate::Corrupted => "corrupted",
        }
    }
}

/// One IP packet carrying TCP or UDP, decoded from a captured frame.
#[derive(
    Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct Packet {
    /// Position of the frame in the capture, from 1 (as tcpdump and
    /// Wireshark number frames).
    pub frame: usize,
    /// Arrival time, relative to the start of the capture (`time`, in
    /// seconds, in JSON).
    #[serde(rename = "time", with = "crate::event::seconds")]
    #[schemars(with = "f64")]
    pub at: Duration,
    #[serde(serialize_with = "crate::event::socket_addr")]
    pub src: SocketAddr,
    #[serde(serialize_with = "crate::event::socket_addr")]
    pub dst: SocketAddr,
    pub transport: Transport,
}

#[derive(
    Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(tag = "proto", rename_all = "snake_case")]
pub enum Transport {
    Tcp(Segment),
    Udp {
        payload_len: u32,
        /// Sent to every host of the network (a broadcast address, or
        /// the link layer's broadcast).
        broadcast: bool,
        /// Sent to a multicast group (IPv6 ff00::/8, IPv4 224.0.0.0/4):
        /// every host whose kernel joined the group keeps a copy.
        multicast: bool,
        /// The start of its data, as captured.
        #[serde(skip)]
        #[schemars(skip)]
        preview: Preview,
    },
    /// An ICMP "port unreachable" (ICMPv4 type 3 code 3, ICMPv6 type 1
    /// code 4) about a UDP datagram. The packet's ports are those of the
    /// datagram it answers, swapped, so that it joins that conversation.
    PortUnreachable,
    /// Address resolution on an Ethernet: a question ("who has `dst`? tell
    /// `src`") or its answer ("`src` is at `sender_mac`"). Over IPv4 ARP
    /// (RFC 826); over IPv6 a neighbour solicitation or advertisement
    /// (RFC 4861 §4.3, §4.4), the addresses telling which. The packet's
    /// addresses are the asker's and the one asked about, with port 0.
    Resolution {
        reply: bool,
        sender_mac: [u8; 6],
    },
    /// An ICMP or ICMPv6 message other than a port unreachable about UDP
    /// and neighbour discovery: echo, unreachable, time exceeded, packet
    /// too big, … (RFC 792, RFC 4443). Its addresses carry port 0.
    Icmp(Icmp),
    /// A piece of a fragmented IP datagram that does not complete it
    /// (RFC 791 §2.3, RFC 8200 §4.5). As in Wireshark, the datagram is
    /// explained at the frame whose fragment completes it; the pieces
    /// before are shown as fragments, with port 0.
    Fragment {
        /// The protocol the whole datagram carries (6 TCP, 17 UDP, …).
        protocol: u8,
        /// Where this piece goes in the datagram, in bytes.
        offset: u32,
        /// Its length in bytes.
        len: u32,
        /// More fragments follow (the MF flag, or IPv6's M flag).
        more: bool,
    },
}

impl Transport {
    /// A few words for any packet kind, as `tcpdump` would name it.
    pub fn short_name(&self) -> String {
        match self {
            Transport::Tcp(seg) => format!("TCP {}", seg.flags),
            Transport::Udp { .. } => "UDP".to_string(),
            Transport::PortUnreachable => "ICMP port unreachable".to_string(),
            Transport::Resolution { .. } => "address resolution".to_string(),
            Transport::Icmp(icmp) => icmp.to_string(),
            Transport::Fragment { .. } => "IP fragment".to_string(),
        }
    }
}

/// An ICMP message (RFC 792) or ICMPv6 message (RFC 4443).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct Icmp {
    pub v6: bool,
    /// (`icmp` in JSON: `kind` names a note.)
    #[serde(rename = "icmp")]
    pub kind: IcmpKind,
}

/// The ICMP messages a learner meets, with what identifies each.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum IcmpKind {
    /// Echo request (ping): ICMP type 8, ICMPv6 type 128.
    EchoRequest { id: u16, seq: u16 },
    /// Echo reply: ICMP type 0, ICMPv6 type 129.
    EchoReply { id: u16, seq: u16 },
    /// Destination unreachable (ICMP type 3, ICMPv6 type 1) with its code.
    Unreachable { code: u8 },
    /// Time exceeded (ICMP type 11, ICMPv6 type 3): code 0 the hop limit
    /// ran out on the way (what traceroute uses), 1 reassembly timed out.
    TimeExceeded { code: u8 },
    /// Packet too big (ICMPv6 type 2, RFC 8201): the next link's MTU.
    PacketTooBig { mtu: u32 },
    /// Any other type.
    Other { kind: u8, code: u8 },
}

impl Icmp {
    /// What an unreachable's code means (RFC 792 and RFC 1812 §5.2.7.1 for
    /// ICMP, RFC 4443 §3.1 for ICMPv6).
    pub fn unreachable_reason(v6: bool, code: u8) -> &'static str {
        match (v6, code) {
            (false, 0) => "network unreachable",
            (false, 1) => "host unreachable",
            (false, 2) => "protocol unreachable",
            (false, 3) => "port unreachable",
            (false, 4) => "fragmentation needed",
            (false, 5) => "source route failed",
            (false, 6 | 7) => "destination unknown",
            (false, 9 | 10) => "administratively prohibited",
            (false, 13) => "communication administratively prohibited",
            (false, 11 | 12) => "unreachable for the type of service",
            (true, 0) => "no route to destination",
            (true, 1) => "communication administratively prohibited",
            (true, 2) => "beyond scope of source address",
            (true, 3) => "address unreachable",
            (true, 4) => "port unreachable",
            (true, 5) => "source address failed policy",
            (true, 6) => "reject route to destination",
            _ => "unreachable",
        }
    }
}

impl fmt::Display for Icmp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = if self.v6 { "ICMPv6" } else { "ICMP" };
        match self.kind {
            IcmpKind::EchoRequest { id, seq } => {
                write!(f, "{name} echo request id={id} seq={seq}")
            }
            IcmpKind::EchoReply { id, seq } => write!(f, "{name} echo reply id={id} seq={seq}"),
            IcmpKind::Unreachable { code } => {
                write!(f, "{name} {}", Icmp::unreachable_reason(self.v6, code))
            }
            IcmpKind::TimeExceeded { code: 1 } => {
                write!(f, "{name} time exceeded in reassembly")
            }
            IcmpKind::TimeExceeded { .. } => write!(f, "{name} time exceeded in transit"),
            IcmpKind::PacketTooBig { mtu } => write!(f, "{name} packet too big mtu={mtu}"),
            IcmpKind::Other { kind, code } => write!(f, "{name} type={kind} code={code}"),
        }
    }
}

/// The first bytes of the data a packet carries (at most
/// [`Preview::BYTES`]), so that `replay` and `watch` can show a learner
/// their own message. Not part of what the packet is: `--format json` and
/// recordings do not keep it, and two packets that differ only by their
/// preview are the same packet (equality ignores it).
#[derive(Debug, Clone, Default)]
pub struct Preview(pub Vec<u8>);

impl Preview {
    /// Enough for a line of a chat or a request, not a file.
    pub const BYTES: usize = 48;

    /// The start of `data`.
    pub fn of(data: &[u8]) -> Preview {
        Preview(data[..data.len().min(Self::BYTES)].to_vec())
    }
}

impl PartialEq for Preview {
    fn eq(&self, _: &Preview) -> bool {
        true
    }
}

impl Eq for Preview {}

/// A TCP segment's header fields (RFC 9293 §3.1), with absolute numbers as
/// they were on the wire; the tracker makes them relative.
#[derive(
    Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct Segment {
    pub flags: TcpFlags,
    pub seq: u32,
    pub ack: u32,
    /// The window field as sent, before any window scaling (RFC 7323 §2).
    pub window: u16,
    pub payload_len: u32,
    pub options: Vec<TcpOption>,
    /// The blocks of a SACK option (RFC 2018 §3): (left edge, right edge)
    /// of data the receiver holds beyond the cumulative ACK, absolute.
    pub sack_blocks: Vec<(u32, u32)>,
    /// The start of its data, as captured.
    #[serde(skip)]
    #[schemars(skip)]
    pub preview: Preview,
}

impl Segment {
    /// Sequence space the segment occupies: SYN and FIN count as one octet
    /// each (RFC 9293 §3.4).
    pub fn seg_len(&self) -> u32 {
        self.payload_len
            + u32::from(self.flags.contains(TcpFlags::SYN))
            + u32::from(self.flags.contains(TcpFlags::FIN))
    }
}

/// The TCP options a learner meets in a handshake.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(tag = "option", content = "value", rename_all = "snake_case")]
pub enum TcpOption {
    /// Maximum segment size (RFC 9293 §3.7.1).
    Mss(u16),
    /// Window scale shift (RFC 7323 §2).
    WindowScale(u8),
    /// Selective acknowledgements allowed (RFC 2018).
    SackPermitted,
    /// Timestamps (RFC 7323 §3); the values vary per run and are not kept.
    Timestamps,
    /// SACK blocks, as (left, right) absolute sequence numbers.
    Sack,
}

impl fmt::Display for TcpOption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TcpOption::Mss(mss) => write!(f, "MSS={mss}"),
            TcpOption::WindowScale(shift) => write!(f, "wscale={shift}"),
            TcpOption::SackPermitted => f.write_str("SACK-permitted"),
            TcpOption::Timestamps => f.write_str("timestamps"),
            TcpOption::Sack => f.write_str("SACK"),
        }
    }
}

/// TCP control bits, as a small set (in JSON as written on the ladder:
/// `"PSH,ACK"`).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(try_from = "String")]
#[schemars(with = "String")]
pub struct TcpFlags(u16);

/// Written as its names ("SYN,ACK"), straight into the output: a JSON
/// replay writes two flags fields for each of a million packets.
impl serde::Serialize for TcpFlags {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl TryFrom<String> for TcpFlags {
    type Error = String;

    fn try_from(text: String) -> Result<TcpFlags, String> {
        if text == "none" {
            return Ok(TcpFlags::default());
        }
        text.split(',')
            .try_fold(TcpFlags::default(), |flags, name| {
                TcpFlags::from_name(name)
                    .map(|flag| flags | flag)
                    .ok_or_else(|| format!("`{name}` is not a TCP flag"))
            })
    }
}

impl TcpFlags {
    pub const FIN: TcpFlags = TcpFlags(0x01);
    pub const SYN: TcpFlags = TcpFlags(0x02);
    pub const RST: TcpFlags = TcpFlags(0x04);
    pub const PSH: TcpFlags = TcpFlags(0x08);
    pub const ACK: TcpFlags = TcpFlags(0x10);
    /// Urgent pointer significant (RFC 9293 §3.1).
    pub const URG: TcpFlags = TcpFlags(0x20);
    /// ECN-Echo and Congestion Window Reduced (RFC 3168 §6.1).
    pub const ECE: TcpFlags = TcpFlags(0x40);
    pub const CWR: TcpFlags = TcpFlags(0x80);
    /// Accurate ECN (RFC 9768, formerly the NS bit of RFC 3540): the low
    /// bit of the byte that holds the data offset.
    pub const AE: TcpFlags = TcpFlags(0x100);

    /// In the order tcpdump and the textbooks write them: the five a
    /// lesson teaches, then the congestion and urgency bits.
    const NAMES: [(TcpFlags, &'static str); 9] = [
        (TcpFlags::SYN, "SYN"),
        (TcpFlags::FIN, "FIN"),
        (TcpFlags::RST, "RST"),
        (TcpFlags::PSH, "PSH"),
        (TcpFlags::ACK, "ACK"),
        (TcpFlags::URG, "URG"),
        (TcpFlags::ECE, "ECE"),
        (TcpFlags::CWR, "CWR"),
        (TcpFlags::AE, "AE"),
    ];

    /// The nine control bits: the 8 of the flags byte, and AE (bit 8).
    pub fn from_bits(bits: u16) -> TcpFlags {
        TcpFlags(bits & 0x1ff)
    }

    pub fn bits(self) -> u16 {
        self.0
    }

    pub fn from_name(name: &str) -> Option<TcpFlags> {
        Self::NAMES
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(flag, _)| *flag)
    }

    pub fn contains(self, other: TcpFlags) -> bool {
        self.0 & other.0 == other.0 && other.0 != 0
    }

    pub fn without(self, other: TcpFlags) -> TcpFlags {
        TcpFlags(self.0 & !other.0)
    }
}

impl std::ops::BitOr for TcpFlags {
    type Output = TcpFlags;
    fn bitor(self, rhs: TcpFlags) -> TcpFlags {
        TcpFlags(self.0 | rhs.0)
    }
}

impl fmt::Display for TcpFlags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut names = Self::NAMES
            .iter()
            .filter(|(flag, _)| self.contains(*flag))
            .map(|(_, name)| *name);
        let Some(first) = names.next() else {
            return f.write_str("none");
        };
        f.write_str(first)?;
        for name in names {
            f.write_str(",")?;
            f.write_str(name)?;
        }
        Ok(())
    }
}

/// TCP connection states, named as RFC 9293 §3.3.2 names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize, schemars::JsonSchema)]
#[serde(try_from = "String")]
#[schemars(with = "String")]
pub enum TcpState {
    Closed,
    Listen,
    SynSent,
    SynReceived,
    Established,
    FinWait1,
    FinWait2,
    CloseWait,
    Closing,
    LastAck,
    TimeWait,
}

impl TcpState {
    /// Every state, in the order of RFC 9293 §3.3.2.
    pub const ALL: [TcpState; 11] = [
        TcpState::Closed,
        TcpState::Listen,
        TcpState::SynSent,
        TcpState::SynReceived,
        TcpState::Established,
        TcpState::FinWait1,
        TcpState::FinWait2,
        TcpState::CloseWait,
        TcpState::Closing,
        TcpState::LastAck,
        TcpState::TimeWait,
    ];

    /// The synchronized states of RFC 9293 §3.3.2: both ends have
    /// exchanged their initial sequence numbers.
    pub fn is_synchronized(self) -> bool {
        matches!(
            self,
            TcpState::Established
                | TcpState::FinWait1
                | TcpState::FinWait2
                | TcpState::CloseWait
                | TcpState::Closing
                | TcpState::LastAck
                | TcpState::TimeWait
        )
    }

    /// The state as Linux reports it in `/proc/net/tcp` (the `st` column,
    /// from `include/net/tcp_states.h`). `None` for codes that are not a
    /// connection state of their own.
    pub fn from_linux(code: u8) -> Option<TcpState> {
        Some(match code {
            0x01 => TcpState::Established,
            0x02 => TcpState::SynSent,
            0x03 | 0x0C => TcpState::SynReceived, // 0x0C: TCP_NEW_SYN_RECV (a request socket)
            0x04 => TcpState::FinWait1,
            0x05 => TcpState::FinWait2,
            0x06 => TcpState::TimeWait,
            0x07 => TcpState::Closed,
            0x08 => TcpState::CloseWait,
            0x09 => TcpState::LastAck,
            0x0A => TcpState::Listen,
            0x0B => TcpState::Closing,
            _ => return None,
        })
    }
}

/// Written as its RFC name, without a `String` of its own: a JSON replay
/// writes four states for each of a million packets.
impl serde::Serialize for TcpState {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl TryFrom<String> for TcpState {
    type Error = String;

    fn try_from(name: String) -> Result<TcpState, String> {
        TcpState::ALL
            .into_iter()
            .find(|s| s.name() == name)
            .ok_or_else(|| format!("`{name}` is not a TCP state"))
    }
}

impl fmt::Display for TcpState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl TcpState {
    /// The state's name in RFC 9293 §3.3.2.
    pub fn name(self) -> &'static str {
        match self {
            TcpState::Closed => "CLOSED",
            TcpState::Listen => "LISTEN",
            TcpState::SynSent => "SYN-SENT",
            TcpState::SynReceived => "SYN-RECEIVED",
            TcpState::Established => "ESTABLISHED",
            TcpState::FinWait1 => "FIN-WAIT-1",
            TcpState::FinWait2 => "FIN-WAIT-2",
            TcpState::CloseWait => "CLOSE-WAIT",
            TcpState::Closing => "CLOSING",
            TcpState::LastAck => "LAST-ACK",
            TcpState::TimeWait => "TIME-WAIT",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_print_in_textbook_order() {
        assert_eq!((TcpFlags::ACK | TcpFlags::SYN).to_string(), "SYN,ACK");
        assert_eq!((TcpFlags::ACK | TcpFlags::FIN).to_string(), "FIN,ACK");
        assert_eq!((TcpFlags::ACK | TcpFlags::PSH).to_string(), "PSH,ACK");
        assert_eq!(TcpFlags::default().to_string(), "none");
    }

    #[test]
    fn syn_and_fin_take_one_sequence_number() {
        let seg = Segment {
            flags: TcpFlags::SYN | TcpFlags::FIN,
            seq: 0,
            ack: 0,
            window: 0,
            payload_len: 3,
            options: vec![],
            sack_blocks: vec![],
            preview: Preview::default(),
        };
        assert_eq!(seg.seg_len(), 5);
    }
}
