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
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Protocol {
    Tcp,
    Udp,
    /// Address resolution on an Ethernet segment (the lab wire): ARP, or
    /// IPv6 neighbour discovery.
    Resolution,
}

impl Protocol {
    pub fn of(transport: &Transport) -> Protocol {
        match transport {
            Transport::Tcp(_) => Protocol::Tcp,
            Transport::Udp { .. } | Transport::PortUnreachable => Protocol::Udp,
            Transport::Resolution { .. } => Protocol::Resolution,
        }
    }
}

/// What became of a frame on the lab wire (on the loopback, and in
/// capture files, every frame is `Delivered`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packet {
    /// Position of the frame in the capture, from 1 (as tcpdump and
    /// Wireshark number frames).
    pub frame: usize,
    /// Arrival time, relative to the start of the capture.
    pub at: Duration,
    pub src: SocketAddr,
    pub dst: SocketAddr,
    pub transport: Transport,
}

#[derive(Debug, Clone, PartialEq, Eq)]
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
}

/// A TCP segment's header fields (RFC 9293 §3.1), with absolute numbers as
/// they were on the wire; the tracker makes them relative.
#[derive(Debug, Clone, PartialEq, Eq)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// TCP control bits, as a small set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct TcpFlags(u8);

impl TcpFlags {
    pub const FIN: TcpFlags = TcpFlags(0x01);
    pub const SYN: TcpFlags = TcpFlags(0x02);
    pub const RST: TcpFlags = TcpFlags(0x04);
    pub const PSH: TcpFlags = TcpFlags(0x08);
    pub const ACK: TcpFlags = TcpFlags(0x10);

    /// In the order tcpdump and the textbooks write them.
    const NAMES: [(TcpFlags, &'static str); 5] = [
        (TcpFlags::SYN, "SYN"),
        (TcpFlags::FIN, "FIN"),
        (TcpFlags::RST, "RST"),
        (TcpFlags::PSH, "PSH"),
        (TcpFlags::ACK, "ACK"),
    ];

    /// Keeps only the five bits socklab teaches (URG, ECE, CWR are dropped).
    pub fn from_bits(bits: u8) -> TcpFlags {
        TcpFlags(bits & 0x1f)
    }

    pub fn bits(self) -> u8 {
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
        let names: Vec<&str> = Self::NAMES
            .iter()
            .filter(|(flag, _)| self.contains(*flag))
            .map(|(_, name)| *name)
            .collect();
        if names.is_empty() {
            f.write_str("none")
        } else {
            f.write_str(&names.join(","))
        }
    }
}

/// TCP connection states, named as RFC 9293 §3.3.2 names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

impl fmt::Display for TcpState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
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
        })
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
        };
        assert_eq!(seg.seg_len(), 5);
    }
}
