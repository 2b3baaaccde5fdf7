//! Which end of a conversation socklab did not start is the client, for
//! the ladder's columns (`replay` and `watch`): decided at its first packet
//! and kept.

use std::collections::HashMap;
use std::net::SocketAddr;

use super::Protocol;
use crate::packet::{Packet, TcpFlags, Transport};

/// A column of the ladder: the actor's name and its position.
pub type Column = (&'static str, usize);

/// The client of each conversation seen so far.
#[derive(Default)]
pub struct Roles {
    clients: HashMap<(Protocol, SocketAddr, SocketAddr), SocketAddr>,
}

impl Roles {
    /// The columns of a packet's sender and receiver. `servers`: ports
    /// known to be servers' (`watch --port`), which settle a conversation
    /// first seen without its SYN.
    pub fn of(&mut self, packet: &Packet, servers: &[u16]) -> (Column, Column) {
        let (a, b) = if packet.src <= packet.dst {
            (packet.src, packet.dst)
        } else {
            (packet.dst, packet.src)
        };
        let protocol = Protocol::of(&packet.transport);
        let client = *self
            .clients
            .entry((protocol, a, b))
            .or_insert_with(|| client_of(packet, servers));
        if packet.src == client {
            (("client", 0), ("server", 1))
        } else {
            (("server", 1), ("client", 0))
        }
    }
}

/// The client, judged from one packet: the sender of a SYN (the receiver
/// of a SYN-ACK), else the end not on a server port, else the sender.
fn client_of(packet: &Packet, servers: &[u16]) -> SocketAddr {
    if let Transport::Tcp(segment) = &packet.transport
        && segment.flags.contains(TcpFlags::SYN)
    {
        return if segment.flags.contains(TcpFlags::ACK) {
            packet.dst
        } else {
            packet.src
        };
    }
    let server = |a: SocketAddr| servers.contains(&a.port());
    if server(packet.src) && !server(packet.dst) {
        packet.dst
    } else {
        packet.src
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packet::Segment;
    use std::time::Duration;

    fn tcp(src: u16, dst: u16, flags: TcpFlags) -> Packet {
        Packet {
            frame: 1,
            at: Duration::ZERO,
            src: SocketAddr::from(([127, 0, 0, 1], src)),
            dst: SocketAddr::from(([127, 0, 0, 1], dst)),
            transport: Transport::Tcp(Segment {
                flags,
                seq: 0,
                ack: 0,
                window: 0,
                payload_len: 0,
                options: vec![],
                sack_blocks: vec![],
                preview: Default::default(),
            }),
        }
    }

    const CLIENT: (Column, Column) = (("client", 0), ("server", 1));
    const SERVER: (Column, Column) = (("server", 1), ("client", 0));

    #[test]
    fn the_client_is_who_sent_the_syn() {
        let mut roles = Roles::default();
        assert_eq!(roles.of(&tcp(40000, 5000, TcpFlags::SYN), &[]), CLIENT);
        assert_eq!(roles.of(&tcp(5000, 40000, TcpFlags::ACK), &[]), SERVER);
        // Joined at the SYN-ACK: its receiver is the client.
        let mut roles = Roles::default();
        let syn_ack = TcpFlags::SYN | TcpFlags::ACK;
        assert_eq!(roles.of(&tcp(5000, 40000, syn_ack), &[]), SERVER);
    }

    #[test]
    fn without_a_syn_a_server_port_decides_else_the_first_sender() {
        let data = tcp(5000, 40000, TcpFlags::ACK);
        assert_eq!(Roles::default().of(&data, &[5000]), SERVER);
        assert_eq!(Roles::default().of(&data, &[]), CLIENT);
    }
}
