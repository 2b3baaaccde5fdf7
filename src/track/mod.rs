//! The tracker: the teaching logic. Pure code over decoded [`Packet`]s, no
//! I/O. For every packet it works out, per conversation:
//!
//! * relative sequence and acknowledgement numbers, per direction, counted
//!   from each side's initial sequence number (ISN) as Wireshark does, so
//!   the SYN is `seq=0` and the first data byte is 1;
//! * the RFC 9293 state of each endpoint, inferred from what it sent and
//!   received (the kernel's own view is read separately by the runner);
//! * notes that say what the packet means: handshake steps ①②③, data and
//!   acknowledgements, close steps ①②③④ including the merged FIN+ACK, and
//!   datagrams.
//!
//! The tracker must not know about lessons, actors or the terminal: the
//! renderer turns its notes into sentences with the actors' names.

pub mod congestion;
pub mod roles;

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::time::Duration;

pub use crate::packet::{ALL_NODES, Protocol, TcpState};
use crate::packet::{Icmp, IcmpKind, Packet, Segment, TcpFlags, TcpOption, Transport};

/// Everything the tracker concluded about one packet.
#[derive(
    Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct Row {
    #[serde(flatten)]
    pub packet: Packet,
    /// Index of the conversation in [`Tracker::conversations`].
    pub conversation: usize,
    /// This packet opened a conversation the tracker had not seen.
    pub first_in_conversation: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tcp: Option<TcpRow>,
    pub notes: Vec<Note>,
}

/// The TCP view of a packet: numbers made relative and states of both ends.
#[derive(
    Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct TcpRow {
    pub flags: TcpFlags,
    #[serde(rename = "seq")]
    pub rel_seq: u32,
    /// `None` when the ACK flag is off.
    #[serde(rename = "ack")]
    pub rel_ack: Option<u32>,
    pub len: u32,
    /// The receive window in bytes: the header field shifted by the
    /// sender's window scale once both SYNs agreed on scaling (RFC 7323 §2.2).
    #[serde(rename = "win")]
    pub window: u32,
    pub sender: Transition,
    pub receiver: Transition,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct Transition {
    pub before: TcpState,
    pub after: TcpState,
}

/// What a packet means, in words the renderer fills with actor names
/// ("sender" is the endpoint the packet came from).
#[derive(
    Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Note {
    /// Handshake ①: SYN. `isn` is the real initial sequence number.
    HandshakeSyn {
        isn: u32,
        options: Vec<TcpOption>,
    },
    /// Handshake ②: SYN+ACK, acknowledging the peer's ISN + 1.
    HandshakeSynAck {
        isn: u32,
        options: Vec<TcpOption>,
    },
    /// Handshake ③: the ACK of the SYN+ACK; both ends are established.
    HandshakeAck,
    /// Payload bytes `first..=last` of the sender's stream.
    Data {
        len: u32,
        first: u32,
        last: u32,
    },
    /// A pure acknowledgement: every byte before `next` has arrived.
    Ack {
        next: u32,
    },
    /// Close ①: the first FIN of the conversation.
    #[serde(rename = "close_fin")]
    FinFirst,
    /// Close ②: the acknowledgement of the first FIN, on its own.
    #[serde(rename = "close_fin_acked")]
    FinAcked,
    /// Close ③: the second FIN, after its ACK was sent separately.
    #[serde(rename = "close_second_fin")]
    FinSecond,
    /// Close ② and ③ in one segment: the ACK of the first FIN rides on the
    /// second FIN.
    #[serde(rename = "close_fin_ack_merged")]
    FinAckMerged,
    /// Close ④: the acknowledgement of the second FIN.
    #[serde(rename = "close_last_ack")]
    LastAck,
    /// The same sequence space sent again: its first copy was not
    /// acknowledged in time (RFC 9293 §3.8.1). `fin`: the FIN was resent.
    Retransmission {
        first: u32,
        len: u32,
        fin: bool,
        /// A SYN sent again: its timer starts at 1 s (RFC 6298 §2.1).
        syn: bool,
    },
    /// Window 0: the receiver's buffer is full; the sender must stop
    /// (RFC 9293 §3.8.6.1). Wireshark: tcp.analysis.zero_window.
    ZeroWindow,
    /// An empty segment that only changes the advertised window (the same
    /// sequence and acknowledgement numbers as the sender's last): the
    /// receiver's buffer has room again, or less room.
    /// Wireshark: tcp.analysis.window_update.
    WindowUpdate {
        window: u32,
        /// The window was 0 before: the sender may go on.
        reopened: bool,
    },
    /// An empty segment one byte before the sender's next sequence number,
    /// sent while the peer's window is 0: Linux's zero-window probe (RFC 9293
    /// §3.8.6.1), which Wireshark names a keep-alive.
    Probe,
    /// RST: the connection is aborted.
    Reset,
    /// RST answering a SYN: nobody listens on that port (RFC 9293 §3.10.7.1).
    Refused,
    /// One UDP datagram with its payload size; `first` in its conversation.
    Datagram {
        len: u32,
        first: bool,
    },
    /// A datagram to every host of the network: each gets a copy.
    Broadcast {
        port: u16,
    },
    /// A datagram to a multicast group (RFC 4291 §2.7): every host whose
    /// kernel joined the group keeps a copy; `all_nodes` for ff02::1, the
    /// group every IPv6 host is in (RFC 4291 §2.7.1).
    Multicast {
        group: std::net::IpAddr,
        port: u16,
        all_nodes: bool,
    },
    /// ICMP port unreachable: the datagram reached a port with no socket.
    PortUnreachable,
    /// The same acknowledgement again, with nothing new: the receiver got a
    /// segment beyond a gap and repeats the byte it still waits for
    /// (RFC 5681 §2). `count` as Wireshark numbers it (tcp.analysis.duplicate_ack_num).
    /// `after_copy`: what the sender last received was a copy of something
    /// it had (a retransmitted SYN,ACK, say): the repeat answers the copy,
    /// and tells of no gap.
    DuplicateAck {
        count: u32,
        next: u32,
        after_copy: bool,
    },
    /// An ACK answering a SYN that came for a connection already open: the
    /// receiver does not take it for a new connection, but restates where
    /// the connection stands and drops the SYN (RFC 5961 §4.2, RFC 9293
    /// §3.10.7.4).
    ChallengeAck,
    /// The receiver's SACK blocks (RFC 2018): relative (first, after-last)
    /// byte ranges it holds beyond the cumulative ACK.
    Sack {
        blocks: Vec<(u32, u32)>,
    },
    /// A first SACK block below the cumulative ACK: a D-SACK (RFC 2883 §4),
    /// "these bytes arrived twice". Relative (first, after-last).
    #[serde(rename = "dsack")]
    DuplicateSack {
        first: u32,
        after: u32,
    },
    /// A retransmission right after duplicate ACKs asked for it, before any
    /// timer: fast retransmit (RFC 5681 §3.2).
    /// Wireshark: tcp.analysis.fast_retransmission.
    FastRetransmission {
        first: u32,
        len: u32,
    },
    /// Data sent again that the receiver had already acknowledged.
    /// Wireshark: tcp.analysis.spurious_retransmission.
    SpuriousRetransmission {
        first: u32,
        len: u32,
    },
    /// A segment from earlier in the stream arriving after later ones
    /// (within one round trip): reordered on the way, not resent.
    /// Wireshark: tcp.analysis.out_of_order.
    OutOfOrder {
        first: u32,
        len: u32,
    },
    /// ARP (RFC 826): "who has `dst`? tell `src`", or the answer.
    /// `explain`: the first ARP of the run, explained in full.
    ArpRequest {
        explain: bool,
    },
    ArpReply {
        mac: [u8; 6],
    },
    /// IPv6's ARP (RFC 4861 §4.3): "who has `dst`? tell `src`", asked of
    /// the solicited-node group of `dst`'s address.
    NeighbourSolicitation,
    /// The answer (RFC 4861 §4.4): "`src` is at `mac`", to the asker alone.
    NeighbourAdvertisement {
        mac: [u8; 6],
    },
    /// A keep-alive (RFC 9293 §3.8.4, RFC 1122 §4.2.3.6): an empty or
    /// one-byte segment one before the sender's next sequence number, sent
    /// on an idle connection to make the peer answer.
    /// Wireshark: tcp.analysis.keep_alive (when the peer's window is 0,
    /// [`Note::Probe`] says the same segment probes the window).
    KeepAlive,
    /// The answer to a keep-alive: the same acknowledgement again.
    /// Wireshark: tcp.analysis.keep_alive_ack.
    KeepAliveAck,
    /// One byte sent at the next sequence number into a zero window: a
    /// zero-window probe (RFC 9293 §3.8.6.1).
    /// Wireshark: tcp.analysis.zero_window_probe.
    ZeroWindowProbe,
    /// The answer to a zero-window probe: the same ACK, window still 0.
    /// Wireshark: tcp.analysis.zero_window_probe_ack.
    ZeroWindowProbeAck,
    /// The segment fills the receiver's advertised window to its edge: the
    /// sender must now wait for an acknowledgement (RFC 9293 §3.8.6).
    /// Wireshark: tcp.analysis.window_full.
    WindowFull,
    /// A new SYN on the same addresses and ports as an earlier connection,
    /// with another initial sequence number: a new connection.
    /// Wireshark: tcp.analysis.reused_ports.
    PortsReused,
    /// The segment starts beyond the sender's next sequence number: bytes
    /// before it were sent but not captured (or lost before the capture
    /// point). Wireshark: tcp.analysis.lost_segment.
    PreviousSegmentNotCaptured,
    /// The acknowledgement covers bytes the capture never saw sent.
    /// Wireshark: tcp.analysis.ack_lost_segment.
    AckedUnseenSegment,
    /// An ICMP or ICMPv6 message (RFC 792, RFC 4443): a ping, its answer,
    /// or a router's or host's report about a packet.
    Icmp(Icmp),
    /// A piece of a fragmented IP datagram (RFC 791 §2.3, RFC 8200 §4.5);
    /// the datagram is explained at the frame that completes it.
    #[serde(rename = "ip_fragment")]
    Fragment {
        protocol: u8,
        offset: u32,
        len: u32,
        more: bool,
    },
}

impl Note {
    /// Sequence space sent again, under any of Wireshark's names for it.
    pub fn is_resend(&self) -> bool {
        matches!(
            self,
            Note::Retransmission { .. }
                | Note::FastRetransmission { .. }
                | Note::SpuriousRetransmission { .. }
                | Note::OutOfOrder { .. }
        )
    }

    /// A stable machine-readable name (the JSON output's `notes`).
    pub fn kind(&self) -> &'static str {
        match self {
            Note::HandshakeSyn { .. } => "handshake_syn",
            Note::HandshakeSynAck { .. } => "handshake_syn_ack",
            Note::HandshakeAck => "handshake_ack",
            Note::Data { .. } => "data",
            Note::Ack { .. } => "ack",
            Note::FinFirst => "close_fin",
            Note::FinAcked => "close_fin_acked",
            Note::FinSecond => "close_second_fin",
            Note::FinAckMerged => "close_fin_ack_merged",
            Note::LastAck => "close_last_ack",
            Note::Retransmission { .. } => "retransmission",
            Note::ZeroWindow => "zero_window",
            Note::WindowUpdate { .. } => "window_update",
            Note::Probe => "probe",
            Note::Reset => "reset",
            Note::Refused => "refused",
            Note::Datagram { .. } => "datagram",
            Note::Broadcast { .. } => "broadcast",
            Note::Multicast { .. } => "multicast",
            Note::PortUnreachable => "port_unreachable",
            Note::DuplicateAck { .. } => "duplicate_ack",
            Note::ChallengeAck => "challenge_ack",
            Note::Sack { .. } => "sack",
            Note::DuplicateSack { .. } => "dsack",
            Note::FastRetransmission { .. } => "fast_retransmission",
            Note::SpuriousRetransmission { .. } => "spurious_retransmission",
            Note::OutOfOrder { .. } => "out_of_order",
            Note::ArpRequest { .. } => "arp_request",
            Note::ArpReply { .. } => "arp_reply",
            Note::NeighbourSolicitation => "neighbour_solicitation",
            Note::NeighbourAdvertisement { .. } => "neighbour_advertisement",
            Note::Icmp(icmp) => match icmp.kind {
                IcmpKind::EchoRequest { .. } => "icmp_echo_request",
                IcmpKind::EchoReply { .. } => "icmp_echo_reply",
                IcmpKind::Unreachable { .. } => "icmp_unreachable",
                IcmpKind::TimeExceeded { .. } => "icmp_time_exceeded",
                IcmpKind::PacketTooBig { .. } => "icmp_packet_too_big",
                IcmpKind::Other { .. } => "icmp_other",
            },
            Note::Fragment { .. } => "ip_fragment",
            Note::KeepAlive => "keep_alive",
            Note::KeepAliveAck => "keep_alive_ack",
            Note::ZeroWindowProbe => "zero_window_probe",
            Note::ZeroWindowProbeAck => "zero_window_probe_ack",
            Note::WindowFull => "window_full",
            Note::PortsReused => "ports_reused",
            Note::PreviousSegmentNotCaptured => "previous_segment_not_captured",
            Note::AckedUnseenSegment => "acked_unseen_segment",
        }
    }
}

/// One exchange between two endpoints (a TCP connection, or a UDP address
/// pair). The endpoint that sent the first packet is the initiator.
#[derive(Debug, Clone)]
pub struct Conversation {
    pub protocol: Protocol,
    pub initiator: SocketAddr,
    pub responder: SocketAddr,
    ends: [Endpoint; 2],
    /// When the SYN was seen, and the time from it to the handshake's
    /// third packet: Wireshark's initial RTT (tcp.analysis.initial_rtt),
    /// its bound for calling a segment out of order rather than resent.
    syn_at: Option<Duration>,
    first_rtt: Option<Duration>,
    /// Opened by a SYN on the ports of an earlier connection.
    ports_reused: bool,
    /// A UDP conversation whose socket the lesson closed: a datagram on the
    /// same addresses later comes from a new socket (the kernel may give
    /// it the same ephemeral port), a conversation of its own.
    closed: bool,
}

impl Conversation {
    /// The inferred TCP state of one of the two endpoints.
    pub fn state_of(&self, addr: SocketAddr) -> Option<TcpState> {
        (self.protocol == Protocol::Tcp)
            .then(|| self.side(addr).map(|i| self.ends[i].state))
            .flatten()
    }

    fn side(&self, addr: SocketAddr) -> Option<usize> {
        if addr == self.initiator {
            Some(0)
        } else if addr == self.responder {
            Some(1)
        } else {
            None
        }
    }
}

#[derive(Debug, Clone)]
struct Endpoint {
    state: TcpState,
    /// The sequence number relative numbers count from, set as Wireshark
    /// sets it (packet-tcp.c, tcp_analyze_sequence_number): the ISN of this
    /// side's SYN; else one before the first sequence number it sent;
    /// else, if the peer acknowledged first, one before that
    /// acknowledgement. Set once, never moved.
    base: Option<u32>,
    /// Sequence number of this endpoint's FIN, once sent.
    fin_seq: Option<u32>,
    /// The peer has acknowledged our FIN.
    fin_acked: bool,
    /// Window scale as Wireshark tracks it: -1 unknown (no SYN seen),
    /// -2 no scaling (a SYN without the option), else the shift.
    win_scale: i8,
    /// The window field this endpoint sent last, unscaled (Wireshark
    /// compares raw fields); u32::MAX before any.
    window: u32,
    /// No pure ACK sent since this endpoint's SYN (Wireshark's
    /// is_first_ack: the window is not scaled yet).
    is_first_ack: bool,
    /// What the analysis found about this endpoint's last segment.
    last_flags: u32,
    /// The sequence number after the highest one this endpoint has sent;
    /// 0 before any (Wireshark's nextseq, 0 meaning unknown).
    next_seq: u32,
    next_seq_at: Duration,
    /// The highest contiguous sequence number sent, that the peer may
    /// acknowledge (Wireshark's maxseqtobeacked).
    max_seq_to_be_acked: u32,
    /// The acknowledgement number of this endpoint's last segment (0 before
    /// any), and when it was sent.
    last_ack: u32,
    last_ack_at: Duration,
    /// Duplicate ACKs sent in a row for `last_ack`; -1 after an ACK of an
    /// unseen segment (Wireshark's dupacknum).
    dup_acks: i32,
    /// The last segment this endpoint received that took sequence space
    /// was a copy (a retransmission of something it had).
    heard_copy: bool,
    /// It received a SYN while synchronized: its next ACK is a challenge ACK.
    challenged: bool,
}

impl Endpoint {
    fn new(state: TcpState) -> Endpoint {
        Endpoint {
            state,
            base: None,
            fin_seq: None,
            fin_acked: false,
            win_scale: -1,
            window: u32::MAX,
            is_first_ack: false,
            last_flags: 0,
            next_seq: 0,
            next_seq_at: Duration::ZERO,
            max_seq_to_be_acked: 0,
            last_ack: 0,
            last_ack_at: Duration::ZERO,
            dup_acks: 0,
            heard_copy: false,
            challenged: false,
        }
    }

    /// Does `ack` cover this endpoint's FIN (FIN's sequence number + 1)?
    fn fin_covered_by(&self, ack: u32) -> bool {
        self.fin_seq
            .is_some_and(|fin| seq_ge(ack, fin.wrapping_add(1)))
    }
}

/// Wireshark's bound for "out of order" when no handshake was seen.
const DEFAULT_OOO_THRESHOLD: Duration = Duration::from_millis(3);

/// Wireshark's bound between the last duplicate ACK and a fast
/// retransmission.
const FAST_RETRANSMIT_WINDOW: Duration = Duration::from_millis(20);

/// `a >= b` in sequence-number arithmetic (RFC 9293 §3.4: comparisons are
/// modulo 2^32).
fn seq_ge(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) >= 0
}

#[derive(Debug, Default)]
pub struct Tracker {
    conversations: Vec<Conversation>,
    /// For connections about to be opened, by destination port, in order:
    /// whether a socket listened there when connect() was called. Without
    /// a hint (a capture file), a SYN's receiver is taken to listen.
    listening_hints: HashMap<u16, VecDeque<bool>>,
    /// An ARP request was already explained in full.
    arp_explained: bool,
}

impl Tracker {
    pub fn new() -> Tracker {
        Tracker::default()
    }

    pub fn conversations(&self) -> &[Conversation] {
        &self.conversations
    }

    /// Tells the tracker that the next connection to `port` meets a
    /// listening socket or not, so that a SYN to a closed port starts from
    /// CLOSED (and its RST means "refused"). Hints for one port are used
    /// in the order given, one per new connection.
    pub fn expect_connection(&mut self, port: u16, listening: bool) {
        self.listening_hints
            .entry(port)
            .or_default()
            .push_back(listening);
    }

    /// Tells the tracker that the lesson closed the UDP socket bound to
    /// `local` (an unspecified address: any): its conversations are over,
    /// so that a new socket that happens to get the same port starts one
    /// of its own, whatever port the kernel picks.
    pub fn udp_socket_closed(&mut self, local: SocketAddr) {
        let matches = |end: SocketAddr| {
            end.port() == local.port() && (local.ip().is_unspecified() || end.ip() == local.ip())
        };
        for conversation in &mut self.conversations {
            if conversation.protocol == Protocol::Udp
                && (matches(conversation.initiator) || matches(conversation.responder))
            {
                conversation.closed = true;
            }
        }
    }

    /// Explains one packet, updating the conversation it belongs to.
    pub fn track(&mut self, packet: Packet) -> Row {
        let protocol = Protocol::of(&packet.transport);
        // The latest conversation between these endpoints: an earlier one
        // on the same ports was followed by a new connection.
        let mut found = self.conversations.iter().rposition(|c| {
            c.protocol == protocol
                && !c.closed
                && ((c.initiator == packet.src && c.responder == packet.dst)
                    || (c.initiator == packet.dst && c.responder == packet.src))
        });
        // A SYN whose sequence number differs from the one this side's
        // numbers count from is a new connection on the same ports, as
        // Wireshark decides (packet-tcp.c, dissect_tcp: "port numbers
        // reused"); the same number again is a retransmitted SYN.
        let mut reused = false;
        if let (Some(i), Transport::Tcp(seg)) = (found, &packet.transport)
            && seg.flags.contains(TcpFlags::SYN)
            && !seg.flags.contains(TcpFlags::ACK)
        {
            let conv = &self.conversations[i];
            if let Some(side) = conv.side(packet.src)
                && conv.ends[side].base.is_some_and(|base| base != seg.seq)
            {
                found = None;
                reused = true;
            }
        }
        let first_in_conversation = found.is_none();
        let index = found.unwrap_or_else(|| {
            let is_syn = matches!(&packet.transport, Transport::Tcp(seg) if seg.flags.contains(TcpFlags::SYN));
            let listening = if is_syn {
                self.listening_hints
                    .get_mut(&packet.dst.port())
                    .and_then(VecDeque::pop_front)
                    .unwrap_or(true)
            } else {
                true
            };
            let mut conversation = new_conversation(&packet, protocol, listening);
            conversation.ports_reused = reused;
            self.conversations.push(conversation);
            self.conversations.len() - 1
        });
        let conversation = &mut self.conversations[index];
        let (tcp, notes) = match &packet.transport {
            Transport::Tcp(segment) => {
                let (row, notes) = track_segment(conversation, &packet, segment);
                (Some(row), notes)
            }
            Transport::Udp {
                payload_len,
                broadcast,
                multicast,
                ..
            } => {
                let mut notes = vec![Note::Datagram {
                    len: *payload_len,
                    first: first_in_conversation,
                }];
                if *broadcast {
                    notes.push(Note::Broadcast {
                        port: packet.dst.port(),
                    });
                } else if *multicast {
                    notes.push(Note::Multicast {
                        group: packet.dst.ip(),
                        port: packet.dst.port(),
                        all_nodes: packet.dst.ip() == std::net::IpAddr::from(ALL_NODES),
                    });
                }
                (None, notes)
            }
            Transport::PortUnreachable => (None, vec![Note::PortUnreachable]),
            Transport::Icmp(icmp) => (None, vec![Note::Icmp(*icmp)]),
            Transport::Fragment {
                protocol,
                offset,
                len,
                more,
            } => (
                None,
                vec![Note::Fragment {
                    protocol: *protocol,
                    offset: *offset,
                    len: *len,
                    more: *more,
                }],
            ),
            Transport::Resolution { reply: false, .. } if packet.src.is_ipv6() => {
                (None, vec![Note::NeighbourSolicitation])
            }
            Transport::Resolution {
                reply: true,
                sender_mac,
            } if packet.src.is_ipv6() => (
                None,
                vec![Note::NeighbourAdvertisement { mac: *sender_mac }],
            ),
            Transport::Resolution { reply: false, .. } => {
                let explain = !self.arp_explained;
                self.arp_explained = true;
                (None, vec![Note::ArpRequest { explain }])
            }
            Transport::Resolution {
                reply: true,
                sender_mac,
            } => (None, vec![Note::ArpReply { mac: *sender_mac }]),
        };
        Row {
            packet,
            conversation: index,
            first_in_conversation,
            tcp,
            notes,
        }
    }
}

fn new_conversation(packet: &Packet, protocol: Protocol, listening: bool) -> Conversation {
    // A SYN opens a connection to a listener (RFC 9293 §3.5), or meets a
    // closed port; a conversation caught mid-stream is taken to be
    // established.
    let (initiator, responder) = match &packet.transport {
        Transport::Tcp(seg)
            if seg.flags.contains(TcpFlags::SYN) && !seg.flags.contains(TcpFlags::ACK) =>
        {
            let responder = if listening {
                TcpState::Listen
            } else {
                TcpState::Closed
            };
            (TcpState::Closed, responder)
        }
        _ => (TcpState::Established, TcpState::Established),
    };
    Conversation {
        protocol,
        initiator: packet.src,
        responder: packet.dst,
        ends: [Endpoint::new(initiator), Endpoint::new(responder)],
        syn_at: None,
        first_rtt: None,
        ports_reused: false,
        closed: false,
    }
}

/// What [`track_segment`] knows of a segment once the analysis has run and
/// before either end's state moves.
struct Seen {
    /// The sender's and the receiver's index in `Conversation::ends`.
    s: usize,
    r: usize,
    syn: bool,
    ack: bool,
    fin: bool,
    rst: bool,
    /// The sender's and the receiver's state before the segment.
    before: [TcpState; 2],
    peer_window_was_zero: bool,
    own_window_was_zero: bool,
    /// The segment acknowledges the FIN its receiver sent.
    acks_peer_fin: bool,
    rel_seq: u32,
    rel_ack: Option<u32>,
    /// The advertised window, scaled.
    window: u32,
}

fn track_segment(conv: &mut Conversation, packet: &Packet, seg: &Segment) -> (TcpRow, Vec<Note>) {
    let s = conv
        .side(packet.src)
        .expect("packet belongs to this conversation");
    let r = 1 - s;
    let flags = seg.flags;
    let ack = flags.contains(TcpFlags::ACK);

    let before = [conv.ends[s].state, conv.ends[r].state];
    let peer_window_was_zero = conv.ends[r].window == 0;
    let own_window_was_zero = conv.ends[s].window == 0;
    // What the peer had heard of our FIN before this packet: decides
    // between close ②, ③, ②+③ and ④.
    let peer_fin_pending = conv.ends[r].fin_seq.is_some() && !conv.ends[r].fin_acked;
    let acks_peer_fin = ack && peer_fin_pending && conv.ends[r].fin_covered_by(seg.ack);

    let analysis = analyse(conv, s, packet, seg);
    // Relative numbers, as Wireshark computes them (the bases were set by
    // the analysis, before it ran, as in packet-tcp.c).
    let base = conv.ends[s].base.unwrap_or(seg.seq);
    let rel_seq = seg.seq.wrapping_sub(base);
    let rel_ack = ack.then(|| seg.ack.wrapping_sub(conv.ends[r].base.unwrap_or(seg.ack)));
    let window = scaled_window(conv, s, seg);
    let seen = Seen {
        s,
        r,
        syn: flags.contains(TcpFlags::SYN),
        ack,
        fin: flags.contains(TcpFlags::FIN),
        rst: flags.contains(TcpFlags::RST),
        before,
        peer_window_was_zero,
        own_window_was_zero,
        acks_peer_fin,
        rel_seq,
        rel_ack,
        window,
    };
    let resent = analysis.resend(seg.seq.wrapping_sub(base), seg);
    let retransmission = resent.is_some();

    let mut notes = analysis_notes(&seen, analysis.flags);
    segment_notes(conv, &seen, resent, analysis.flags, seg, &mut notes);
    move_sender_state(conv, &seen);
    move_receiver_state(conv, &seen, seg);
    ack_notes(conv, &seen, &analysis, seg, &mut notes);
    note_what_was_heard(conv, &seen, seg, retransmission);
    sack_notes(conv, r, seg, &mut notes);
    time_first_rtt(conv, &seen, packet);

    let row = TcpRow {
        flags,
        rel_seq,
        rel_ack,
        len: seg.payload_len,
        window,
        sender: Transition {
            before: before[0],
            after: conv.ends[s].state,
        },
        receiver: Transition {
            before: before[1],
            after: conv.ends[r].state,
        },
    };
    (row, notes)
}

/// Updates the sender's window scale from a SYN, and returns the segment's
/// window as the receiver reads it.
fn scaled_window(conv: &mut Conversation, s: usize, seg: &Segment) -> u32 {
    let r = 1 - s;
    let syn = seg.flags.contains(TcpFlags::SYN);
    let ack = seg.flags.contains(TcpFlags::ACK);
    // Window scaling: a SYN's option is the sender's shift (capped at 14,
    // RFC 7323 §2.3); a SYN without it turns scaling off both ways, a
    // SYN,ACK without it off for good (packet-tcp.c,
    // verify_tcp_window_scaling). Never applied to a SYN's own window.
    if syn {
        if let Some(shift) = seg.options.iter().find_map(|o| match o {
            TcpOption::WindowScale(shift) => Some(*shift),
            _ => None,
        }) {
            conv.ends[s].win_scale = shift.min(14) as i8;
        }
        if conv.ends[s].win_scale == -1 {
            conv.ends[s].win_scale = -2;
            conv.ends[r].win_scale = -2;
        } else if ack && conv.ends[r].win_scale == -2 {
            conv.ends[s].win_scale = -2;
        }
        conv.ends[s].is_first_ack = true;
    } else if ack {
        conv.ends[s].is_first_ack = false;
    }
    match conv.ends[s].win_scale {
        shift if !syn && shift >= 0 => u32::from(seg.window) << shift,
        _ => u32::from(seg.window),
    }
}

/// The notes that come from Wireshark's analysis flags alone: reused
/// ports, a gap in the capture, keep-alives, zero windows and their probes,
/// window updates.
fn analysis_notes(seen: &Seen, a: u32) -> Vec<Note> {
    let mut notes = Vec::new();
    if a & A_REUSED_PORTS != 0 {
        notes.push(Note::PortsReused);
    }
    if a & A_LOST_PACKET != 0 {
        notes.push(Note::PreviousSegmentNotCaptured);
    }
    if a & A_KEEP_ALIVE != 0 {
        // Linux probes a zero window with a keep-alive-shaped segment: the
        // same segment, and for the learner, a probe of the window.
        notes.push(if seen.peer_window_was_zero {
            Note::Probe
        } else {
            Note::KeepAlive
        });
    }
    if a & A_KEEP_ALIVE_ACK != 0 {
        notes.push(Note::KeepAliveAck);
    }
    if a & A_ZERO_WINDOW_PROBE != 0 {
        notes.push(Note::ZeroWindowProbe);
    }
    if a & A_ZERO_WINDOW_PROBE_ACK != 0 {
        notes.push(Note::ZeroWindowProbeAck);
    }
    if a & A_ZERO_WINDOW != 0 {
        notes.push(Note::ZeroWindow);
    }
    if a & A_WINDOW_UPDATE != 0 {
        notes.push(Note::WindowUpdate {
            window: seen.window,
            reopened: seen.own_window_was_zero,
        });
    }
    notes
}

/// The notes on what the segment carries: a resend or a handshake SYN, a
/// reset, data, a full window, a FIN or the ACK of one. Records the
/// sender's FIN.
fn segment_notes(
    conv: &mut Conversation,
    seen: &Seen,
    resent: Option<Note>,
    a: u32,
    seg: &Segment,
    notes: &mut Vec<Note>,
) {
    let (s, r) = (seen.s, seen.r);
    let retransmission = resent.is_some();
    let keep_alive = a & A_KEEP_ALIVE != 0;
    if let Some(note) = resent {
        notes.push(note);
    } else if seen.syn && !seen.ack {
        notes.push(Note::HandshakeSyn {
            isn: seg.seq,
            options: seg.options.clone(),
        });
    } else if seen.syn {
        notes.push(Note::HandshakeSynAck {
            isn: seg.seq,
            options: seg.options.clone(),
        });
    }
    if seen.rst {
        notes.push(if seen.before[1] == TcpState::SynSent {
            Note::Refused
        } else {
            Note::Reset
        });
    }
    if seg.payload_len > 0 && !retransmission && !keep_alive && a & A_ZERO_WINDOW_PROBE == 0 {
        notes.push(Note::Data {
            len: seg.payload_len,
            first: seen.rel_seq,
            last: seen.rel_seq.wrapping_add(seg.payload_len - 1),
        });
    }
    if a & A_WINDOW_FULL != 0 {
        notes.push(Note::WindowFull);
    }
    if seen.fin && !retransmission {
        let peer_sent_fin = conv.ends[r].fin_seq.is_some();
        notes.push(match (peer_sent_fin, seen.acks_peer_fin) {
            (false, _) => Note::FinFirst,
            (true, true) => Note::FinAckMerged,
            (true, false) => Note::FinSecond,
        });
        conv.ends[s].fin_seq = Some(seg.seq.wrapping_add(seg.payload_len));
    } else if seen.acks_peer_fin && seg.payload_len == 0 {
        notes.push(if conv.ends[s].fin_seq.is_some() {
            Note::LastAck
        } else {
            Note::FinAcked
        });
    }
}

/// The sender's side: what sending this segment says about its state.
fn move_sender_state(conv: &mut Conversation, seen: &Seen) {
    conv.ends[seen.s].state = match (seen.before[0], seen.syn, seen.ack, seen.fin, seen.rst) {
        // An RST aborts the connection on the side that sends it (§3.10.7).
        (_, _, _, _, true) => TcpState::Closed,
        // Active OPEN: "send SYN, enter SYN-SENT" (§3.10.1).
        (TcpState::Closed, true, false, _, _) => TcpState::SynSent,
        // A listener answers a SYN with SYN,ACK from SYN-RECEIVED (§3.10.7.2).
        (TcpState::Listen, true, true, _, _) => TcpState::SynReceived,
        // CLOSE in ESTABLISHED or SYN-RECEIVED: "send a FIN, enter
        // FIN-WAIT-1" (§3.10.4).
        (TcpState::Established | TcpState::SynReceived, _, _, true, _) => TcpState::FinWait1,
        // CLOSE in CLOSE-WAIT: "send FIN, enter LAST-ACK" (§3.10.4).
        (TcpState::CloseWait, _, _, true, _) => TcpState::LastAck,
        (state, ..) => state,
    };
}

/// The receiver's side: §3.10.7, "SEGMENT ARRIVES", state by state.
fn move_receiver_state(conv: &mut Conversation, seen: &Seen, seg: &Segment) {
    let receiver = &mut conv.ends[seen.r];
    let our_fin_acked = seen.ack && receiver.fin_covered_by(seg.ack);
    if our_fin_acked {
        receiver.fin_acked = true;
    }
    let syn_acked = seen.ack
        && receiver
            .base
            .is_some_and(|b| seq_ge(seg.ack, b.wrapping_add(1)));
    receiver.state = match (seen.before[1], seen.syn, seen.fin, seen.rst) {
        // A reset in any synchronised state ends the connection; a
        // listener ignores it (§3.10.7.2).
        (TcpState::Listen, _, _, true) => TcpState::Listen,
        (_, _, _, true) => TcpState::Closed,
        // LISTEN: "SYN ... set the state to SYN-RECEIVED".
        (TcpState::Listen, true, _, _) => TcpState::SynReceived,
        // SYN-SENT: "if our SYN has been ACKed, enter ESTABLISHED";
        // a SYN without ACK is a simultaneous open: SYN-RECEIVED.
        (TcpState::SynSent, true, _, _) if syn_acked => TcpState::Established,
        (TcpState::SynSent, true, _, _) => TcpState::SynReceived,
        // SYN-RECEIVED: "if the ACK acknowledges our SYN, enter
        // ESTABLISHED" (a FIN may ride along: then CLOSE-WAIT).
        (TcpState::SynReceived, _, true, _) if syn_acked => TcpState::CloseWait,
        (TcpState::SynReceived, _, false, _) if syn_acked => TcpState::Established,
        // ESTABLISHED: "FIN ... enter the CLOSE-WAIT state".
        (TcpState::Established, _, true, _) => TcpState::CloseWait,
        // FIN-WAIT-1: "if our FIN has been ACKed ... enter FIN-WAIT-2"; a
        // FIN then brings TIME-WAIT, a FIN that does not ACK ours CLOSING.
        (TcpState::FinWait1, _, true, _) if our_fin_acked => TcpState::TimeWait,
        (TcpState::FinWait1, _, true, _) => TcpState::Closing,
        (TcpState::FinWait1, _, false, _) if our_fin_acked => TcpState::FinWait2,
        // FIN-WAIT-2: "FIN ... enter the TIME-WAIT state".
        (TcpState::FinWait2, _, true, _) => TcpState::TimeWait,
        // CLOSING: "if the ACK acknowledges our FIN, enter TIME-WAIT".
        (TcpState::Closing, ..) if our_fin_acked => TcpState::TimeWait,
        // LAST-ACK: "if our FIN is now acknowledged ... enter CLOSED".
        (TcpState::LastAck, ..) if our_fin_acked => TcpState::Closed,
        (state, ..) => state,
    };
}

/// The notes on what the segment acknowledges, once the states have
/// moved: the handshake's last ACK, a challenge ACK, a duplicate ACK, an
/// ACK of an unseen segment, or a plain ACK when nothing else was said.
fn ack_notes(
    conv: &Conversation,
    seen: &Seen,
    analysis: &Analysis,
    seg: &Segment,
    notes: &mut Vec<Note>,
) {
    let (s, r) = (seen.s, seen.r);
    if seen.before[1] == TcpState::SynReceived
        && conv.ends[r].state == TcpState::Established
        && !seen.syn
    {
        notes.insert(0, Note::HandshakeAck);
    }
    let pure_ack = seen.ack && !seen.syn && !seen.fin && !seen.rst && seg.payload_len == 0;
    if pure_ack && conv.ends[s].challenged {
        // What the ACK is for comes first. The window it carries differs
        // from the SYN,ACK's only because a SYN's window is never scaled
        // (RFC 7323 §2.2): no program read and no buffer grew, so the
        // window-update note would contradict what the packet is.
        notes.retain(|n| !matches!(n, Note::WindowUpdate { .. }));
        notes.insert(0, Note::ChallengeAck);
    } else if let (Some(count), Some(next)) = (analysis.duplicate_ack, seen.rel_ack) {
        notes.push(Note::DuplicateAck {
            count,
            next,
            after_copy: conv.ends[s].heard_copy,
        });
    }
    if analysis.flags & A_ACK_LOST_PACKET != 0 {
        notes.push(Note::AckedUnseenSegment);
    }
    if notes.is_empty()
        && let Some(next) = seen.rel_ack
    {
        notes.push(Note::Ack { next });
    }
}

/// What the sender has now answered, and what the receiver hears.
fn note_what_was_heard(conv: &mut Conversation, seen: &Seen, seg: &Segment, retransmission: bool) {
    let (s, r) = (seen.s, seen.r);
    conv.ends[s].challenged = false;
    if seg.seg_len() > 0 {
        // A resent segment that the receiver's duplicate ACKs ask for (it
        // starts where they stopped) is the one it waits for, not a copy of
        // something it has: the duplicate ACKs still coming from it answer
        // segments sent before (on a long wire they are on their way while
        // this one goes out).
        let awaited = conv.ends[r].last_ack == seg.seq && conv.ends[r].dup_acks > 0;
        conv.ends[r].heard_copy = retransmission && !awaited;
    }
    // RFC 9293 §3.10.7.4: a SYN in a synchronized state is answered with
    // a challenge ACK (RFC 5961 §4.2), never taken for a new connection.
    if seen.syn && !seen.rst && seen.before[1].is_synchronized() {
        conv.ends[r].challenged = true;
    }
}

/// The notes on the segment's SACK blocks (RFC 2018), relative to the
/// receiver's base: a D-SACK, then the blocks it holds.
fn sack_notes(conv: &Conversation, r: usize, seg: &Segment, notes: &mut Vec<Note>) {
    if let Some(base) = conv.ends[r].base
        && !seg.sack_blocks.is_empty()
    {
        let mut blocks: Vec<(u32, u32)> = seg
            .sack_blocks
            .iter()
            .map(|(left, right)| (left.wrapping_sub(base), right.wrapping_sub(base)))
            .collect();
        // RFC 2883 §4: a first block at or below the cumulative ACK
        // reports data received twice.
        if let Some(&(first, after)) = blocks.first()
            && seq_ge(seg.ack, seg.sack_blocks[0].1)
        {
            notes.push(Note::DuplicateSack { first, after });
            blocks.remove(0);
        }
        if !blocks.is_empty() {
            // An ACK that reports a gap may also carry a larger window
            // (the kernel grew the buffer): Wireshark calls it a window
            // update too, and so does socklab, whose window-update
            // sentence says the window can grow either way.
            notes.push(Note::Sack { blocks });
        }
    }
}

/// Wireshark's initial RTT: from the latest SYN to the first pure ACK
/// (packet-tcp.c: ts_mru_syn, ts_first_rtt).
fn time_first_rtt(conv: &mut Conversation, seen: &Seen, packet: &Packet) {
    if seen.syn && !seen.ack {
        conv.syn_at = Some(packet.at);
    } else if seen.ack
        && !seen.syn
        && conv.first_rtt.is_none()
        && let Some(syn_at) = conv.syn_at
    {
        conv.first_rtt = Some(packet.at.saturating_sub(syn_at));
    }
}

// Wireshark's analysis flags (packet-tcp.c, TCP_A_*).
const A_RETRANSMISSION: u32 = 0x0001;
const A_LOST_PACKET: u32 = 0x0002;
const A_ACK_LOST_PACKET: u32 = 0x0004;
const A_KEEP_ALIVE: u32 = 0x0008;
const A_DUPLICATE_ACK: u32 = 0x0010;
const A_ZERO_WINDOW: u32 = 0x0020;
const A_ZERO_WINDOW_PROBE: u32 = 0x0040;
const A_ZERO_WINDOW_PROBE_ACK: u32 = 0x0080;
const A_KEEP_ALIVE_ACK: u32 = 0x0100;
const A_OUT_OF_ORDER: u32 = 0x0200;
const A_FAST_RETRANSMISSION: u32 = 0x0400;
const A_WINDOW_UPDATE: u32 = 0x0800;
const A_WINDOW_FULL: u32 = 0x1000;
const A_REUSED_PORTS: u32 = 0x2000;
const A_SPURIOUS_RETRANSMISSION: u32 = 0x4000;

/// What [`analyse`] found about one segment.
struct Analysis {
    /// Wireshark's analysis flags for the segment (`A_*`).
    flags: u32,
    /// The segment is the `n`th duplicate ACK in a row.
    duplicate_ack: Option<u32>,
}

impl Analysis {
    /// The kind of resend, if the sequence space was sent before.
    fn resend(&self, first: u32, seg: &Segment) -> Option<Note> {
        let len = seg.payload_len;
        let a = self.flags;
        if a & A_SPURIOUS_RETRANSMISSION != 0 {
            Some(Note::SpuriousRetransmission { first, len })
        } else if a & A_FAST_RETRANSMISSION != 0 {
            Some(Note::FastRetransmission { first, len })
        } else if a & A_OUT_OF_ORDER != 0 {
            Some(Note::OutOfOrder { first, len })
        } else if a & A_RETRANSMISSION != 0 {
            Some(Note::Retransmission {
                first,
                len,
                fin: seg.flags.contains(TcpFlags::FIN),
                syn: seg.flags.contains(TcpFlags::SYN),
            })
        } else {
            None
        }
    }
}

/// `a > b` and `a < b` modulo 2^32 (Wireshark's GT_SEQ, LT_SEQ).
fn seq_gt(a: u32, b: u32) -> bool {
    (b.wrapping_sub(a) as i32) < 0
}

fn seq_lt(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) < 0
}

/// Wireshark's TCP sequence analysis (packet-tcp.c of Wireshark 4.0,
/// tcp_analyze_sequence_number, and the port-reuse and base-sequence steps
/// of dissect_tcp before it), rule for rule and in the same order, so that
/// socklab and tshark name the same frames the same way: relative-number
/// bases, zero windows and their probes, keep-alives and their ACKs,
/// window updates and full windows, duplicate ACKs, segments not captured
/// and ACKs of unseen segments, and retransmissions told apart as
/// spurious, fast, out-of-order or plain. Compares the raw header fields
/// (unscaled windows, absolute numbers); 0 stands for "not seen yet", as
/// in Wireshark.
fn analyse(conv: &mut Conversation, s: usize, packet: &Packet, seg: &Segment) -> Analysis {
    let mut a = reused_ports_and_bases(conv, s, seg);
    let first_rtt = conv.first_rtt;
    let (fwd, rev) = if s == 0 {
        let [f, r] = &mut conv.ends;
        (f, r)
    } else {
        let [r, f] = &mut conv.ends;
        (f, r)
    };
    let (window_flags, duplicate_ack) = analyse_window_and_acks(fwd, rev, seg);
    a |= window_flags;
    if seg.ack != fwd.last_ack {
        fwd.dup_acks = 0;
    }
    a |= acked_lost_packet(rev, seg);
    a |= resend_flags(fwd, rev, seg, packet.at, first_rtt, a);
    advance_sender(fwd, seg, packet.at, a);
    Analysis {
        flags: a,
        duplicate_ack,
    }
}

/// The port-reuse steps of dissect_tcp, and the relative-number bases of
/// both ends; returns `A_REUSED_PORTS` or 0.
fn reused_ports_and_bases(conv: &mut Conversation, s: usize, seg: &Segment) -> u32 {
    let r = 1 - s;
    let syn = seg.flags.contains(TcpFlags::SYN);
    let ack = seg.flags.contains(TcpFlags::ACK);
    let seq = seg.seq;
    let mut a = 0;
    // The SYN that began a new conversation on reused ports is marked, and
    // only it: Wireshark (4.0) starts a new stream there, in which the
    // SYN,ACK answering it is nothing unusual.
    if conv.ports_reused && conv.ends[s].base.is_none() && syn && !ack {
        a |= A_REUSED_PORTS;
    }
    if syn && !ack && conv.ends[s].base == Some(seq) {
        // The same SYN again: "restore the nextseq value" (Wireshark issue
        // 17616), so that it is a retransmission.
        conv.ends[s].next_seq = conv.ends[s].max_seq_to_be_acked;
    }
    if syn && ack && conv.ends[s].base.is_some_and(|b| b != seq) {
        // A SYN,ACK with a new ISN answers a new connection on reused
        // ports (Wireshark issue 16944).
        conv.ends[s].base = Some(seq);
        a |= A_REUSED_PORTS;
    }
    // Bases: "Start relative seq and ack numbers at 1 if this is not a SYN
    // packet" (Wireshark bug 1542); the peer's from the first ACK.
    if conv.ends[s].base.is_none() {
        conv.ends[s].base = Some(if syn { seq } else { seq.wrapping_sub(1) });
    }
    if conv.ends[r].base.is_none() && ack {
        conv.ends[r].base = Some(seg.ack.wrapping_sub(1));
    }
    a
}

/// Zero windows and their probes, segments not captured, keep-alives and
/// their ACKs, window updates, full windows and duplicate ACKs, in
/// packet-tcp.c's order (`fwd` sends the segment, `rev` receives it).
/// Returns the flags found and, for a duplicate ACK, its number in a row.
fn analyse_window_and_acks(
    fwd: &mut Endpoint,
    rev: &Endpoint,
    seg: &Segment,
) -> (u32, Option<u32>) {
    let flags = seg.flags;
    let rst = flags.contains(TcpFlags::RST);
    let control = flags.contains(TcpFlags::SYN) || flags.contains(TcpFlags::FIN) || rst;
    let (seq, ackno, len) = (seg.seq, seg.ack, seg.payload_len);
    let window = u32::from(seg.window);
    let mut a = 0;
    // ZERO WINDOW PROBE: one byte at the next sequence number into the
    // peer's zero window.
    if len == 1 && seq == fwd.next_seq && rev.window == 0 {
        return (A_ZERO_WINDOW_PROBE, None);
    }
    if window == 0 && !control {
        a |= A_ZERO_WINDOW;
    }
    // LOST PACKET: beyond the next sequence number; not for RSTs.
    if fwd.next_seq != 0 && seq_gt(seq, fwd.next_seq) && !rst {
        a |= A_LOST_PACKET;
    }
    // KEEP ALIVE: 0 or 1 byte, one before the next sequence number.
    if len <= 1 && seq == fwd.next_seq.wrapping_sub(1) && !control {
        a |= A_KEEP_ALIVE;
    }
    let same_place = seq == fwd.next_seq && ackno == fwd.last_ack && !control;
    // WINDOW UPDATE: nothing but a new window.
    if len == 0 && window != 0 && window != fwd.window && same_place {
        a |= A_WINDOW_UPDATE;
    }
    // WINDOW FULL: data up to the edge of the peer's window, once its
    // scaling is known.
    if len > 0 && rev.win_scale != -1 && !control {
        let shift = if rev.is_first_ack || rev.win_scale == -2 {
            0
        } else {
            rev.win_scale as u32
        };
        let edge = rev
            .last_ack
            .wrapping_add(rev.window.checked_shl(shift).unwrap_or(0));
        if seq.wrapping_add(len) == edge {
            a |= A_WINDOW_FULL;
        }
    }
    let same_window = len == 0 && window == fwd.window && same_place;
    // KEEP ALIVE ACK: the same ACK again, after the peer's keep-alive.
    if same_window && window != 0 && rev.last_flags & A_KEEP_ALIVE != 0 {
        return (a | A_KEEP_ALIVE_ACK, None);
    }
    // ZERO WINDOW PROBE ACK: the same zero window, after a probe.
    if same_window && window == 0 && rev.last_flags & A_ZERO_WINDOW_PROBE != 0 {
        return (a | A_ZERO_WINDOW_PROBE_ACK, None);
    }
    // DUPLICATE ACK: the same window, sequence and acknowledgement.
    let mut duplicate_ack = None;
    if same_window && window != 0 {
        fwd.dup_acks = if fwd.dup_acks == -1 {
            1
        } else {
            fwd.dup_acks + 1
        };
        a |= A_DUPLICATE_ACK;
        duplicate_ack = Some(fwd.dup_acks.max(1) as u32);
    }
    (a, duplicate_ack)
}

/// ACKED LOST PACKET: an acknowledgement beyond what the peer (`rev`) was
/// seen to send, said once per gap. Returns `A_ACK_LOST_PACKET` or 0.
fn acked_lost_packet(rev: &mut Endpoint, seg: &Segment) -> u32 {
    let ack = seg.flags.contains(TcpFlags::ACK);
    let mut a = 0;
    if rev.max_seq_to_be_acked != 0 && seq_gt(seg.ack, rev.max_seq_to_be_acked) && ack {
        if seq_lt(rev.max_seq_to_be_acked, rev.next_seq) {
            rev.max_seq_to_be_acked = rev.next_seq;
            a |= A_ACK_LOST_PACKET;
        } else {
            if rev.dup_acks == 0 {
                a |= A_ACK_LOST_PACKET;
            }
            rev.dup_acks = -1;
        }
    }
    a
}

/// RETRANSMISSION / FAST RETRANSMISSION / OUT-OF-ORDER / SPURIOUS, for a
/// segment sent by `fwd` at `at` with the flags `a` found so far; returns
/// the one that applies, or 0.
fn resend_flags(
    fwd: &Endpoint,
    rev: &Endpoint,
    seg: &Segment,
    at: Duration,
    first_rtt: Option<Duration>,
    a: u32,
) -> u32 {
    let syn = seg.flags.contains(TcpFlags::SYN);
    let fin = seg.flags.contains(TcpFlags::FIN);
    let (seq, len) = (seg.seq, seg.payload_len);
    if !((len > 0 || syn || fin) && a & A_KEEP_ALIVE == 0) {
        return 0;
    }
    let mut not_advanced = fwd.next_seq != 0 && seq_lt(seq, fwd.next_seq);
    // More than one byte from one before the next sequence number:
    // new data after a zero-window probe.
    if len > 1 && fwd.next_seq.wrapping_sub(1) == seq {
        not_advanced = false;
    }
    let within =
        |since: Duration, bound: Duration| at.checked_sub(since).is_some_and(|t| t < bound);
    let ooo_bound = first_rtt.unwrap_or(DEFAULT_OOO_THRESHOLD);
    let syn_fin = u32::from(syn || fin);
    if len > 0 && rev.last_ack != 0 && !seq_gt(seq.wrapping_add(len), rev.last_ack) {
        A_SPURIOUS_RETRANSMISSION
    } else if not_advanced
        && rev.dup_acks >= 2
        && rev.last_ack == seq
        && within(rev.last_ack_at, FAST_RETRANSMIT_WINDOW)
    {
        A_FAST_RETRANSMISSION
    } else if not_advanced
        && within(fwd.next_seq_at, ooo_bound)
        && fwd.next_seq != seq.wrapping_add(len).wrapping_add(syn_fin)
    {
        A_OUT_OF_ORDER
    } else if not_advanced {
        A_RETRANSMISSION
    } else {
        0
    }
}

/// What the sender (`fwd`) has now sent: its next and highest sequence
/// numbers, and its window, ACK and flags for the next segment's analysis.
fn advance_sender(fwd: &mut Endpoint, seg: &Segment, at: Duration, a: u32) {
    let (seq, len) = (seg.seq, seg.payload_len);
    let mut next = seq.wrapping_add(len);
    if seg.flags.contains(TcpFlags::SYN) || seg.flags.contains(TcpFlags::FIN) {
        next = next.wrapping_add(1);
    }
    if (seq_gt(next, fwd.next_seq) || fwd.next_seq == 0) && a & A_ZERO_WINDOW_PROBE == 0 {
        fwd.next_seq = next;
        fwd.next_seq_at = at;
    }
    if (seq == fwd.max_seq_to_be_acked || fwd.max_seq_to_be_acked == 0)
        && a & A_ZERO_WINDOW_PROBE == 0
    {
        fwd.max_seq_to_be_acked = fwd.next_seq;
    }
    fwd.window = u32::from(seg.window);
    fwd.last_ack = seg.ack;
    fwd.last_ack_at = at;
    fwd.last_flags = a;
}

#[cfg(test)]
mod tests;
