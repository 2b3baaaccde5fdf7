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

pub mod roles;

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::time::Duration;

pub use crate::packet::{ALL_NODES, Protocol, TcpState};
use crate::packet::{Packet, Segment, TcpFlags, TcpOption, Transport};

/// Everything the tracker concluded about one packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub packet: Packet,
    /// Index of the conversation in [`Tracker::conversations`].
    pub conversation: usize,
    /// This packet opened a conversation the tracker had not seen.
    pub first_in_conversation: bool,
    pub tcp: Option<TcpRow>,
    pub notes: Vec<Note>,
}

/// The TCP view of a packet: numbers made relative and states of both ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TcpRow {
    pub flags: TcpFlags,
    pub rel_seq: u32,
    /// `None` when the ACK flag is off.
    pub rel_ack: Option<u32>,
    pub len: u32,
    /// The receive window in bytes: the header field shifted by the
    /// sender's window scale once both SYNs agreed on scaling (RFC 7323 §2.2).
    pub window: u32,
    pub sender: Transition,
    pub receiver: Transition,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    pub before: TcpState,
    pub after: TcpState,
}

/// What a packet means, in words the renderer fills with actor names
/// ("sender" is the endpoint the packet came from).
#[derive(Debug, Clone, PartialEq, Eq)]
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
    FinFirst,
    /// Close ②: the acknowledgement of the first FIN, on its own.
    FinAcked,
    /// Close ③: the second FIN, after its ACK was sent separately.
    FinSecond,
    /// Close ② and ③ in one segment: the ACK of the first FIN rides on the
    /// second FIN.
    FinAckMerged,
    /// Close ④: the acknowledgement of the second FIN.
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
    /// The window opens again after being 0: the sender may go on.
    /// Wireshark: tcp.analysis.window_update.
    WindowUpdate {
        window: u32,
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
    /// The sequence number relative numbers count from (the ISN, or one
    /// before the first sequence number seen when the SYN was not captured).
    base: Option<u32>,
    /// Sequence number of this endpoint's FIN, once sent.
    fin_seq: Option<u32>,
    /// The peer has acknowledged our FIN.
    fin_acked: bool,
    /// Window scale offered in this endpoint's SYN.
    window_scale: Option<u8>,
    /// The sequence number after the last one this endpoint has sent:
    /// a segment that starts before it carries nothing new.
    next_seq: Option<u32>,
    /// The window this endpoint advertised last, in bytes.
    window: Option<u32>,
    /// When `next_seq` last moved forward.
    next_seq_at: Duration,
    /// The acknowledgement number of this endpoint's last segment (0 when
    /// it had no ACK flag), and when it was sent.
    last_ack: Option<u32>,
    last_ack_at: Duration,
    /// Duplicate ACKs sent in a row for `last_ack`.
    dup_acks: u32,
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
            window_scale: None,
            next_seq: None,
            window: None,
            next_seq_at: Duration::ZERO,
            last_ack: None,
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

    /// Explains one packet, updating the conversation it belongs to.
    pub fn track(&mut self, packet: Packet) -> Row {
        let protocol = Protocol::of(&packet.transport);
        let found = self.conversations.iter().position(|c| {
            c.protocol == protocol
                && ((c.initiator == packet.src && c.responder == packet.dst)
                    || (c.initiator == packet.dst && c.responder == packet.src))
        });
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
            self.conversations
                .push(new_conversation(&packet, protocol, listening));
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
    }
}

fn track_segment(conv: &mut Conversation, packet: &Packet, seg: &Segment) -> (TcpRow, Vec<Note>) {
    let s = conv
        .side(packet.src)
        .expect("packet belongs to this conversation");
    let r = 1 - s;
    let flags = seg.flags;
    let syn = flags.contains(TcpFlags::SYN);
    let ack = flags.contains(TcpFlags::ACK);
    let fin = flags.contains(TcpFlags::FIN);
    let rst = flags.contains(TcpFlags::RST);

    let before = [conv.ends[s].state, conv.ends[r].state];
    // Relative numbers count from the ISN. When a side's SYN was never seen
    // (a capture that starts mid-stream, or an RST answering a SYN), count
    // as if a SYN had come just before: its first segment is then byte 1,
    // as Wireshark numbers it.
    let base = *conv.ends[s].base.get_or_insert(if syn {
        seg.seq
    } else {
        seg.seq.wrapping_sub(1)
    });
    let rel_seq = seg.seq.wrapping_sub(base);
    let rel_ack = ack
        .then(|| conv.ends[r].base.map(|b| seg.ack.wrapping_sub(b)))
        .flatten();
    if syn {
        conv.ends[s].window_scale = seg.options.iter().find_map(|o| match o {
            TcpOption::WindowScale(shift) => Some(*shift),
            _ => None,
        });
    }
    // Window scaling applies only when both SYNs carried the option, and
    // never to the window field of a SYN itself (RFC 7323 §2.2).
    let window = match (syn, conv.ends[s].window_scale, conv.ends[r].window_scale) {
        (false, Some(shift), Some(_)) => u32::from(seg.window) << shift,
        _ => u32::from(seg.window),
    };

    // What the peer had heard of our FIN before this packet: decides
    // between close ②, ③, ②+③ and ④.
    let peer_fin_pending = conv.ends[r].fin_seq.is_some() && !conv.ends[r].fin_acked;
    let acks_peer_fin = ack && peer_fin_pending && conv.ends[r].fin_covered_by(seg.ack);

    let analysis = analyse(conv, s, packet, seg, window);
    let resent = analysis.resend.clone();
    let end = seg.seq.wrapping_add(seg.seg_len());
    if conv.ends[s].next_seq.is_none_or(|next| !seq_ge(next, end)) {
        conv.ends[s].next_seq = Some(end);
        conv.ends[s].next_seq_at = packet.at;
    }
    let retransmission = resent.is_some();

    // An empty ACK at one before the next sequence number: a probe
    // (zero-window probe or keep-alive, RFC 9293 §3.8.6.1 and §3.8.4).
    let probe = seg.seg_len() == 0
        && !syn
        && !rst
        && conv.ends[s]
            .next_seq
            .is_some_and(|next| seg.seq == next.wrapping_sub(1));
    let window_before = conv.ends[s].window;
    if !syn {
        conv.ends[s].window = Some(window);
    }

    let mut notes = Vec::new();
    if probe {
        notes.push(Note::Probe);
    }
    if !syn && !rst && window == 0 {
        notes.push(Note::ZeroWindow);
    } else if !syn && !rst && window_before == Some(0) && window > 0 {
        notes.push(Note::WindowUpdate { window });
    }
    if let Some(note) = resent {
        notes.push(note);
    } else if syn && !ack {
        notes.push(Note::HandshakeSyn {
            isn: seg.seq,
            options: seg.options.clone(),
        });
    } else if syn {
        notes.push(Note::HandshakeSynAck {
            isn: seg.seq,
            options: seg.options.clone(),
        });
    }
    if rst {
        notes.push(if before[1] == TcpState::SynSent {
            Note::Refused
        } else {
            Note::Reset
        });
    }
    if seg.payload_len > 0 && !retransmission {
        notes.push(Note::Data {
            len: seg.payload_len,
            first: rel_seq,
            last: rel_seq.wrapping_add(seg.payload_len - 1),
        });
    }
    if fin && !retransmission {
        let peer_sent_fin = conv.ends[r].fin_seq.is_some();
        notes.push(match (peer_sent_fin, acks_peer_fin) {
            (false, _) => Note::FinFirst,
            (true, true) => Note::FinAckMerged,
            (true, false) => Note::FinSecond,
        });
        conv.ends[s].fin_seq = Some(seg.seq.wrapping_add(seg.payload_len));
    } else if acks_peer_fin && seg.payload_len == 0 {
        notes.push(if conv.ends[s].fin_seq.is_some() {
            Note::LastAck
        } else {
            Note::FinAcked
        });
    }

    // The sender's side: what sending this segment says about its state.
    conv.ends[s].state = match (before[0], syn, ack, fin, rst) {
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

    // The receiver's side: §3.10.7, "SEGMENT ARRIVES", state by state.
    let receiver = &mut conv.ends[r];
    let our_fin_acked = ack && receiver.fin_covered_by(seg.ack);
    if our_fin_acked {
        receiver.fin_acked = true;
    }
    let syn_acked = ack
        && receiver
            .base
            .is_some_and(|b| seq_ge(seg.ack, b.wrapping_add(1)));
    receiver.state = match (before[1], syn, fin, rst) {
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

    if before[1] == TcpState::SynReceived && conv.ends[r].state == TcpState::Established && !syn {
        notes.insert(0, Note::HandshakeAck);
    }
    let pure_ack = ack && !syn && !fin && !rst && seg.payload_len == 0;
    if pure_ack && conv.ends[s].challenged {
        notes.push(Note::ChallengeAck);
    } else if let (Some(count), Some(next)) = (analysis.duplicate_ack, rel_ack) {
        notes.push(Note::DuplicateAck {
            count,
            next,
            after_copy: conv.ends[s].heard_copy,
        });
    }
    if notes.is_empty()
        && let Some(next) = rel_ack
    {
        notes.push(Note::Ack { next });
    }
    // What the sender has now answered, and what the receiver hears.
    conv.ends[s].challenged = false;
    if seg.seg_len() > 0 {
        conv.ends[r].heard_copy = retransmission;
    }
    // RFC 9293 §3.10.7.4: a SYN in a synchronized state is answered with
    // a challenge ACK (RFC 5961 §4.2), never taken for a new connection.
    if syn && !rst && before[1].is_synchronized() {
        conv.ends[r].challenged = true;
    }
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
            notes.push(Note::Sack { blocks });
        }
    }
    // Wireshark's initial RTT: from the SYN to the handshake's third packet.
    if syn && !ack {
        conv.syn_at = Some(packet.at);
    } else if ack
        && !syn
        && conv.first_rtt.is_none()
        && let Some(syn_at) = conv.syn_at
        && packet.src == conv.initiator
    {
        conv.first_rtt = Some(packet.at.saturating_sub(syn_at));
    }

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

/// What [`analyse`] found about one segment.
struct Analysis {
    /// Sequence space sent again, and how Wireshark would name it.
    resend: Option<Note>,
    /// The segment is the `n`th duplicate ACK in a row.
    duplicate_ack: Option<u32>,
}

/// Wireshark's TCP sequence analysis (packet-tcp.c,
/// tcp_analyze_sequence_number), rule for rule, so that socklab and tshark
/// name the same frames the same way: duplicate ACKs, and retransmissions
/// told apart as spurious, fast, out-of-order or plain. Reads the sender's
/// and the receiver's state before this segment; updates only what the
/// sender last acknowledged.
fn analyse(
    conv: &mut Conversation,
    s: usize,
    packet: &Packet,
    seg: &Segment,
    window: u32,
) -> Analysis {
    let r = 1 - s;
    let flags = seg.flags;
    let control = flags.contains(TcpFlags::SYN)
        || flags.contains(TcpFlags::FIN)
        || flags.contains(TcpFlags::RST);
    let len = seg.payload_len;
    let (fwd, rev) = (&conv.ends[s], &conv.ends[r]);

    // A duplicate ACK repeats the sender's last ACK and window, carries
    // nothing, and is at the sender's next sequence number.
    let duplicate = len == 0
        && window != 0
        && !control
        && fwd.window == Some(window)
        && fwd.next_seq == Some(seg.seq)
        && fwd.last_ack == Some(seg.ack);
    let dup_acks = match (duplicate, fwd.last_ack == Some(seg.ack)) {
        (true, _) => fwd.dup_acks + 1,
        (false, true) => fwd.dup_acks,
        (false, false) => 0,
    };

    let resend = (seg.seg_len() > 0)
        .then(|| {
            let next = fwd.next_seq?;
            // Zero or one byte just before the next sequence number: a
            // keep-alive (RFC 9293 §3.8.4), not a retransmission.
            if len <= 1 && !control && seg.seq == next.wrapping_sub(1) {
                return None;
            }
            // More than one byte from one before `next`: new data after a
            // probe, not a resend.
            let not_advanced =
                !(seq_ge(seg.seq, next) || (len > 1 && seg.seq == next.wrapping_sub(1)));
            let end = seg.seq.wrapping_add(len);
            let (first, since) = (seg.seq.wrapping_sub(fwd.base?), |t: Duration| {
                packet.at.saturating_sub(t)
            });
            if len > 0
                && let Some(acked) = rev.last_ack.filter(|a| *a != 0)
                && seq_ge(acked, end)
            {
                return Some(Note::SpuriousRetransmission { first, len });
            }
            if not_advanced
                && rev.dup_acks >= 2
                && rev.last_ack == Some(seg.seq)
                && since(rev.last_ack_at) < FAST_RETRANSMIT_WINDOW
            {
                return Some(Note::FastRetransmission { first, len });
            }
            let ooo_threshold = conv.first_rtt.unwrap_or(DEFAULT_OOO_THRESHOLD);
            if not_advanced
                && since(fwd.next_seq_at) < ooo_threshold
                && next != seg.seq.wrapping_add(seg.seg_len())
            {
                return Some(Note::OutOfOrder { first, len });
            }
            not_advanced.then_some(Note::Retransmission {
                first,
                len,
                fin: flags.contains(TcpFlags::FIN),
                syn: flags.contains(TcpFlags::SYN),
            })
        })
        .flatten();

    let fwd = &mut conv.ends[s];
    fwd.last_ack = Some(seg.ack);
    fwd.last_ack_at = packet.at;
    fwd.dup_acks = dup_acks;
    Analysis {
        resend,
        duplicate_ack: duplicate.then_some(dup_acks),
    }
}

#[cfg(test)]
mod tests;
