//! The tracker on frames captured from real lesson runs, grouped by the part
//! of a connection's life they cover. Each group feeds the frames before it,
//! so every state is reached the way the kernel reached it.

use super::*;
use crate::testutil::packets;

use TcpState::*;

/// One expected row: flags, relative seq and ack, sender's and receiver's
/// states after the packet, and the notes.
type Expected = (
    &'static str,
    u32,
    Option<u32>,
    TcpState,
    TcpState,
    Vec<Note>,
);

fn check(rows: &[Row], expected: &[Expected]) {
    assert_eq!(rows.len(), expected.len());
    for (row, (flags, seq, ack, sender, receiver, notes)) in rows.iter().zip(expected) {
        let tcp = row.tcp.as_ref().expect("a TCP row");
        let frame = row.packet.frame;
        assert_eq!(tcp.flags.to_string(), *flags, "frame {frame}");
        assert_eq!((tcp.rel_seq, tcp.rel_ack), (*seq, *ack), "frame {frame}");
        assert_eq!(
            (tcp.sender.after, tcp.receiver.after),
            (*sender, *receiver),
            "frame {frame}"
        );
        assert_eq!(&row.notes, notes, "frame {frame}");
    }
}

/// `tcp-close.pcap`: 19 frames of two connections from 127.0.0.1:56716 and
/// 127.0.0.1:56738 to 127.0.0.1:5000.
fn close_lesson() -> (Tracker, Vec<Row>) {
    let mut tracker = Tracker::new();
    let rows = packets("tcp-close.pcap")
        .into_iter()
        .map(|p| tracker.track(p))
        .collect();
    (tracker, rows)
}

fn isn_and_options(row: &Row) -> Note {
    row.notes[0].clone()
}

#[test]
fn handshake_closed_and_listen_to_established() {
    let (_, rows) = close_lesson();
    // The ISNs are the absolute numbers of the real SYN and SYN,ACK.
    assert!(matches!(
        isn_and_options(&rows[0]),
        Note::HandshakeSyn {
            isn: 4102867226,
            ..
        }
    ));
    assert!(matches!(
        isn_and_options(&rows[1]),
        Note::HandshakeSynAck {
            isn: 1162769789,
            ..
        }
    ));
    assert_eq!(
        (
            rows[0].tcp.as_ref().unwrap().sender.before,
            rows[0].tcp.as_ref().unwrap().receiver.before
        ),
        (Closed, Listen)
    );
    check(
        &rows[..3],
        &[
            (
                "SYN",
                0,
                None,
                SynSent,
                SynReceived,
                vec![isn_and_options(&rows[0])],
            ),
            (
                "SYN,ACK",
                0,
                Some(1),
                SynReceived,
                Established,
                vec![isn_and_options(&rows[1])],
            ),
            (
                "ACK",
                1,
                Some(1),
                Established,
                Established,
                vec![Note::HandshakeAck],
            ),
        ],
    );
    assert!(rows[0].first_in_conversation && !rows[1].first_in_conversation);
}

#[test]
fn established_data_and_acknowledgements() {
    let (_, rows) = close_lesson();
    check(
        &rows[3..7],
        &[
            (
                "PSH,ACK",
                1,
                Some(1),
                Established,
                Established,
                vec![Note::Data {
                    len: 5,
                    first: 1,
                    last: 5,
                }],
            ),
            (
                "ACK",
                1,
                Some(6),
                Established,
                Established,
                vec![Note::Ack { next: 6 }],
            ),
            (
                "PSH,ACK",
                1,
                Some(6),
                Established,
                Established,
                vec![Note::Data {
                    len: 5,
                    first: 1,
                    last: 5,
                }],
            ),
            (
                "ACK",
                6,
                Some(6),
                Established,
                Established,
                vec![Note::Ack { next: 6 }],
            ),
        ],
    );
}

#[test]
fn window_is_scaled_after_the_handshake_only() {
    let (_, rows) = close_lesson();
    // SYN: the field as sent. After it: 64 << wscale 10 (RFC 7323 §2.2),
    // as tshark's tcp.window_size shows.
    assert_eq!(rows[0].tcp.as_ref().unwrap().window, 65495);
    assert_eq!(rows[3].tcp.as_ref().unwrap().window, 65536);
}

#[test]
fn four_way_close_through_fin_wait_2_and_close_wait() {
    let (_, rows) = close_lesson();
    check(
        &rows[7..11],
        &[
            (
                "FIN,ACK",
                6,
                Some(6),
                FinWait1,
                CloseWait,
                vec![Note::FinFirst],
            ),
            ("ACK", 6, Some(7), CloseWait, FinWait2, vec![Note::FinAcked]),
            (
                "FIN,ACK",
                6,
                Some(7),
                LastAck,
                TimeWait,
                vec![Note::FinSecond],
            ),
            ("ACK", 7, Some(7), TimeWait, Closed, vec![Note::LastAck]),
        ],
    );
}

#[test]
fn merged_close_from_fin_wait_1_straight_to_time_wait() {
    let (tracker, rows) = close_lesson();
    check(
        &rows[16..],
        &[
            (
                "FIN,ACK",
                4,
                Some(1),
                FinWait1,
                CloseWait,
                vec![Note::FinFirst],
            ),
            (
                "FIN,ACK",
                1,
                Some(5),
                LastAck,
                TimeWait,
                vec![Note::FinAckMerged],
            ),
            ("ACK", 5, Some(2), TimeWait, Closed, vec![Note::LastAck]),
        ],
    );
    // Two connections, told apart by the client's port.
    assert_eq!(tracker.conversations().len(), 2);
    assert_eq!(rows[11].conversation, 1);
    assert!(rows[11].first_in_conversation);
    let second = &tracker.conversations()[1];
    assert_eq!(second.state_of(second.initiator), Some(TimeWait));
    assert_eq!(second.state_of(second.responder), Some(Closed));
}

/// The two FINs cross: each side sent its FIN before it saw the other's.
/// Built from the real frames 1–8 plus the server's FIN (frame 10) changed
/// to acknowledge only the data, not the client's FIN.
#[test]
fn simultaneous_close_goes_through_closing() {
    let packets = packets("tcp-close.pcap");
    let mut tracker = Tracker::new();
    for p in &packets[..8] {
        tracker.track(p.clone());
    }
    let mut crossing = packets[9].clone();
    if let Transport::Tcp(seg) = &mut crossing.transport {
        seg.ack = seg.ack.wrapping_sub(1);
    }
    let row = tracker.track(crossing);
    let tcp = row.tcp.unwrap();
    assert_eq!((tcp.sender.after, tcp.receiver.after), (LastAck, Closing));
    assert_eq!(row.notes, vec![Note::FinSecond]);
}

/// A reset ends the connection on both sides. Built from the real frame 4
/// with its flags changed to RST.
#[test]
fn reset_closes_both_ends() {
    let packets = packets("tcp-close.pcap");
    let mut tracker = Tracker::new();
    for p in &packets[..3] {
        tracker.track(p.clone());
    }
    let mut reset = packets[3].clone();
    if let Transport::Tcp(seg) = &mut reset.transport {
        seg.flags = TcpFlags::RST;
        seg.payload_len = 0;
    }
    let row = tracker.track(reset);
    let tcp = row.tcp.unwrap();
    assert_eq!((tcp.sender.after, tcp.receiver.after), (Closed, Closed));
    assert_eq!(row.notes, vec![Note::Reset]);
}

/// A conversation caught after its handshake starts ESTABLISHED, and its
/// first segment counts as byte 1, as Wireshark numbers it: its own
/// sequence number from one before it, and its acknowledgement from one
/// before the number it acknowledges (tshark: seq=1 ack=1), never a
/// missing or wrapped number.
#[test]
fn mid_stream_capture_counts_from_the_first_segment() {
    let packets = packets("tcp-close.pcap");
    let mut tracker = Tracker::new();
    let row = tracker.track(packets[3].clone());
    let tcp = row.tcp.unwrap();
    assert_eq!((tcp.rel_seq, tcp.rel_ack), (1, Some(1)));
    assert_eq!(
        (tcp.sender.before, tcp.receiver.before),
        (Established, Established)
    );
}

#[test]
fn udp_datagrams_both_ways_are_one_conversation() {
    let mut tracker = Tracker::new();
    let rows: Vec<Row> = packets("udp-datagram.pcap")
        .into_iter()
        .map(|p| tracker.track(p))
        .collect();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r.tcp.is_none() && r.conversation == 0));
    assert_eq!(
        rows[0].notes,
        vec![Note::Datagram {
            len: 5,
            first: true
        }]
    );
    assert_eq!(
        rows[1].notes,
        vec![Note::Datagram {
            len: 5,
            first: false
        }]
    );
    assert_eq!(tracker.conversations()[0].protocol, Protocol::Udp);
    assert_eq!(
        tracker.conversations()[0].state_of(rows[0].packet.src),
        None
    );
}

/// `udp-multicast.pcap`, from a run of the lesson on the IPv6 lab wire:
/// datagrams to ff02::1 and to the group ff02::7788 (listener reports
/// between them are not decoded), then bob's neighbour solicitation for
/// fe80::1, alice's advertisement and bob's unicast reply.
#[test]
fn multicast_groups_and_neighbour_discovery() {
    let mut tracker = Tracker::new();
    let rows: Vec<Row> = packets("udp-multicast.pcap")
        .into_iter()
        .map(|p| tracker.track(p))
        .collect();
    assert_eq!(rows.len(), 5, "the listener reports are not the lesson's");
    let group = |row: &Row| {
        row.notes.iter().find_map(|n| match n {
            Note::Multicast {
                group, all_nodes, ..
            } => Some((group.to_string(), *all_nodes)),
            _ => None,
        })
    };
    assert_eq!(group(&rows[0]), Some(("ff02::1".to_string(), true)));
    assert_eq!(group(&rows[1]), Some(("ff02::7788".to_string(), false)));
    assert_eq!(rows[2].notes, vec![Note::NeighbourSolicitation]);
    assert_eq!(
        rows[3].notes,
        vec![Note::NeighbourAdvertisement {
            mac: [2, 0, 0, 0, 0, 1]
        }]
    );
    assert_eq!(group(&rows[4]), None, "the reply is unicast");
    assert!(
        rows.iter()
            .all(|r| !r.notes.iter().any(|n| matches!(n, Note::Broadcast { .. })))
    );
}

#[test]
fn sequence_comparison_wraps_around() {
    assert!(seq_ge(5, u32::MAX - 2));
    assert!(!seq_ge(u32::MAX - 2, 5));
    assert!(seq_ge(7, 7));
}

/// The same FIN twice (frame 8 of the real capture, sent again): the second
/// copy is a retransmission, not a second close.
#[test]
fn a_resent_fin_is_a_retransmission() {
    let packets = packets("tcp-close.pcap");
    let mut tracker = Tracker::new();
    for p in &packets[..8] {
        tracker.track(p.clone());
    }
    let row = tracker.track(packets[7].clone());
    assert_eq!(
        row.notes,
        vec![Note::Retransmission {
            first: 6,
            len: 0,
            fin: true,
            syn: false
        }]
    );
    let tcp = row.tcp.unwrap();
    assert_eq!(
        (tcp.sender.after, tcp.receiver.after),
        (FinWait1, CloseWait)
    );
}

/// Data sent again (frame 4 twice) after the receiver acknowledged it is a
/// spurious retransmission, as Wireshark names it.
#[test]
fn resent_data_after_its_ack_is_a_spurious_retransmission() {
    let packets = packets("tcp-close.pcap");
    let mut tracker = Tracker::new();
    for p in &packets[..5] {
        tracker.track(p.clone());
    }
    let row = tracker.track(packets[3].clone());
    assert_eq!(
        row.notes,
        vec![Note::SpuriousRetransmission { first: 1, len: 5 }]
    );
}

/// `zero-window.pcap`: a real run in which the server (port 5000, 64 KiB
/// receive buffer) never reads while the client sends 400 000 bytes at an
/// MSS of 1460. tshark's analysis of the same frames is quoted per case.
fn zero_window_rows() -> Vec<Row> {
    let mut tracker = Tracker::new();
    packets("zero-window.pcap")
        .into_iter()
        .map(|p| tracker.track(p))
        .collect()
}

/// Frames 80 and 87: the last segment of a burst sent again when no ACK
/// came (tshark: "suspected retransmission"), and again up to the edge of
/// the receiver's window (tshark: "window full").
#[test]
fn segments_sent_again_are_retransmissions() {
    let rows = zero_window_rows();
    for (frame, first, len) in [(80, 82537, 1166), (87, 89495, 1018)] {
        assert_eq!(
            rows[frame - 1].notes,
            vec![
                Note::Retransmission {
                    first,
                    len,
                    fin: false,
                    syn: false
                },
                Note::WindowFull
            ],
            "frame {frame}"
        );
    }
}

/// Frame 88: the receiver advertises a window of 0 (tshark: "TCP Zero
/// Window segment"); frame 89: the sender's probe, an empty segment one
/// byte before its next sequence number (tshark: "TCP keep-alive
/// segment"); frame 90: the answer, still 0.
#[test]
fn zero_window_and_probe() {
    let rows = zero_window_rows();
    // It also reports, as a D-SACK, that the resent bytes of frame 87
    // had arrived before (RFC 2883).
    assert_eq!(
        rows[87].notes,
        vec![
            Note::ZeroWindow,
            Note::DuplicateSack {
                first: 89495,
                after: 90513
            }
        ]
    );
    assert_eq!(rows[87].tcp.as_ref().unwrap().window, 0);
    assert_eq!(rows[88].notes, vec![Note::Probe]);
    assert_eq!(rows[88].tcp.as_ref().unwrap().rel_seq, 90512);
    assert_eq!(rows[89].notes, vec![Note::ZeroWindow]);
    // No other frame is a probe or a zero window.
    let special = rows
        .iter()
        .filter(|r| {
            r.notes
                .iter()
                .any(|n| matches!(n, Note::Probe | Note::ZeroWindow))
        })
        .count();
    assert_eq!(special, 3);
}

/// A window that opens after being 0 is a window update; an RST is not,
/// whatever its window field says. Built from the real frame 90 with the
/// window opened, and from frame 90 turned into an RST.
#[test]
fn window_update_after_zero_window() {
    let packets = packets("zero-window.pcap");
    let mut tracker = Tracker::new();
    for p in &packets {
        tracker.track(p.clone());
    }
    let mut update = packets[89].clone();
    if let Transport::Tcp(seg) = &mut update.transport {
        seg.window = 30000;
    }
    let row = tracker.track(update.clone());
    // The server offered window scale 1 in its SYN,ACK.
    assert_eq!(
        row.notes,
        vec![Note::WindowUpdate {
            window: 60000,
            reopened: true
        }]
    );

    let mut tracker = Tracker::new();
    for p in &packets {
        tracker.track(p.clone());
    }
    if let Transport::Tcp(seg) = &mut update.transport {
        seg.flags = TcpFlags::RST | TcpFlags::ACK;
    }
    let row = tracker.track(update);
    assert_eq!(row.notes, vec![Note::Reset]);
}

/// The client's 5 bytes come twice (frame 4 again, as when the wire
/// duplicates them) and the server answers the copy with its ACK again
/// (frame 5 again): a duplicate ACK, but one that answers a copy, so it
/// must not be told as a sign of a missing segment.
#[test]
fn an_ack_repeated_for_a_copy_tells_of_no_gap() {
    let packets = packets("tcp-close.pcap");
    let mut tracker = Tracker::new();
    for p in &packets[..5] {
        tracker.track(p.clone());
    }
    let copy = tracker.track(packets[3].clone());
    assert!(copy.notes.iter().any(Note::is_resend), "{:?}", copy.notes);
    let again = tracker.track(packets[4].clone());
    assert_eq!(
        again.notes,
        vec![Note::DuplicateAck {
            count: 1,
            next: 6,
            after_copy: true
        }]
    );
}

/// A SYN for a connection that is already open (frame 1 again, after the
/// handshake: a late original) is answered by an ACK that restates where
/// the connection stands: a challenge ACK (RFC 5961 §4.2), not "every byte
/// before 1 has arrived". Linux answers any segment with SYN set that way,
/// in or out of the window (tcp_validate_incoming, `syn_challenge`), so a
/// SYN,ACK copy gets one too. Built from the real SYN,ACK (frame 2) with only
/// the ACK flag left, as the server sends it.
#[test]
fn an_ack_answering_a_syn_on_an_open_connection_is_a_challenge_ack() {
    let packets = packets("tcp-close.pcap");
    let mut tracker = Tracker::new();
    for p in &packets[..3] {
        tracker.track(p.clone());
    }
    tracker.track(packets[0].clone());
    let mut answer = packets[1].clone();
    if let Transport::Tcp(seg) = &mut answer.transport {
        seg.flags = TcpFlags::ACK;
        seg.seq = seg.seq.wrapping_add(1);
        seg.options.clear();
    }
    let row = tracker.track(answer);
    assert_eq!(row.notes, vec![Note::ChallengeAck]);
    // An ordinary ACK after it is an ordinary ACK again.
    let row = tracker.track(packets[2].clone());
    assert!(!row.notes.contains(&Note::ChallengeAck), "{:?}", row.notes);
}

/// A new SYN on the same ports after a connection ended, with a new ISN:
/// a new connection (Wireshark: "TCP Port numbers reused"), counted from 0
/// again; the same SYN again is a retransmission, not a new connection.
#[test]
fn a_new_syn_on_the_same_ports_is_a_new_connection() {
    let packets = packets("tcp-close.pcap");
    let mut tracker = Tracker::new();
    for p in &packets {
        tracker.track(p.clone());
    }
    let mut again = packets[0].clone();
    if let Transport::Tcp(seg) = &mut again.transport {
        seg.seq = seg.seq.wrapping_add(100_000);
    }
    let before = tracker.conversations().len();
    let row = tracker.track(again.clone());
    assert!(row.first_in_conversation);
    assert_eq!(row.conversation, before);
    assert_eq!(row.notes[0], Note::PortsReused);
    assert_eq!(row.tcp.as_ref().unwrap().rel_seq, 0);
    let resent = tracker.track(again);
    assert_eq!(resent.conversation, before);
    assert!(
        resent.notes.iter().any(Note::is_resend),
        "{:?}",
        resent.notes
    );
}

/// JSON names a note by its kind: the serde tag is `Note::kind`.
#[test]
fn json_names_notes_by_their_kind() {
    let notes = vec![
        Note::HandshakeSyn {
            isn: 1,
            options: vec![],
        },
        Note::HandshakeSynAck {
            isn: 1,
            options: vec![],
        },
        Note::HandshakeAck,
        Note::Data {
            len: 1,
            first: 1,
            last: 1,
        },
        Note::Ack { next: 1 },
        Note::FinFirst,
        Note::FinAcked,
        Note::FinSecond,
        Note::FinAckMerged,
        Note::LastAck,
        Note::Retransmission {
            first: 1,
            len: 1,
            fin: false,
            syn: false,
        },
        Note::ZeroWindow,
        Note::WindowUpdate {
            window: 1,
            reopened: true,
        },
        Note::Probe,
        Note::Reset,
        Note::Refused,
        Note::Datagram {
            len: 1,
            first: true,
        },
        Note::Broadcast { port: 1 },
        Note::PortUnreachable,
        Note::DuplicateAck {
            count: 1,
            next: 1,
            after_copy: false,
        },
        Note::ChallengeAck,
        Note::Sack {
            blocks: vec![(1, 2)],
        },
        Note::DuplicateSack { first: 1, after: 2 },
        Note::FastRetransmission { first: 1, len: 1 },
        Note::SpuriousRetransmission { first: 1, len: 1 },
        Note::OutOfOrder { first: 1, len: 1 },
        Note::ArpRequest { explain: true },
        Note::ArpReply { mac: [0; 6] },
        Note::NeighbourSolicitation,
        Note::NeighbourAdvertisement { mac: [0; 6] },
        Note::Multicast {
            group: "ff02::1".parse().unwrap(),
            port: 7788,
            all_nodes: true,
        },
        Note::KeepAlive,
        Note::KeepAliveAck,
        Note::ZeroWindowProbe,
        Note::ZeroWindowProbeAck,
        Note::WindowFull,
        Note::PortsReused,
        Note::PreviousSegmentNotCaptured,
        Note::AckedUnseenSegment,
        Note::Icmp(crate::packet::Icmp {
            v6: true,
            kind: crate::packet::IcmpKind::EchoRequest { id: 1, seq: 2 },
        }),
        Note::Fragment {
            protocol: 17,
            offset: 0,
            len: 1480,
            more: true,
        },
    ];
    for note in notes {
        let json = serde_json::to_value(&note).unwrap();
        // ICMP notes name their message type in `icmp`.
        let kind = if matches!(note, Note::Icmp(_)) {
            "icmp"
        } else {
            note.kind()
        };
        assert_eq!(json["kind"], kind, "{json}");
        let back: Note = serde_json::from_value(json).unwrap();
        assert_eq!(back, note);
    }
}

/// A UDP socket the lesson closed ends its conversation: the same datagram
/// from a new socket that the kernel happened to give the same port is the
/// first of a conversation of its own (tcp-refused differed in 1 run of 20
/// when the two sockets it opens got one port).
#[test]
fn a_closed_udp_socket_ends_its_conversation() {
    let datagram = packets("udp-datagram.pcap").remove(0);
    let first = |row: &Row| matches!(row.notes[..], [Note::Datagram { first: true, .. }]);
    let mut tracker = Tracker::new();
    assert!(first(&tracker.track(datagram.clone())));
    assert!(!first(&tracker.track(datagram.clone())), "the same socket");
    let mut local = datagram.src;
    local.set_ip(std::net::Ipv4Addr::UNSPECIFIED.into());
    tracker.udp_socket_closed(local);
    let again = tracker.track(datagram);
    assert!(first(&again), "{:?}", again.notes);
    assert_eq!(again.conversation, 1);
}
