//! Creating the lab's cables: veth pairs, one end in a host's namespace
//! (named `eth0` there), the other in the wire's namespace, by rtnetlink.

use std::io;
use std::os::fd::{AsRawFd, RawFd};

use netlink_packet_core::{
    NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REQUEST, NetlinkHeader, NetlinkMessage,
    NetlinkPayload,
};
use netlink_packet_route::RouteNetlinkMessage;
use netlink_packet_route::link::{
    InfoData, InfoKind, InfoVeth, LinkAttribute, LinkInfo, LinkMessage,
};
use netlink_sys::{Socket, SocketAddr, protocols::NETLINK_ROUTE};

use super::netns::Netns;
use netlink_packet_core::NetlinkBuffer;
use netlink_packet_route::AddressFamily;
use netlink_packet_route::link::State;
use std::time::{Duration, Instant};

/// Creates a veth pair: `wire_end` in the calling thread's namespace and
/// `host_end` in `host`.
/// `host_mac` is the host end's MAC address.
pub fn create_veth(
    wire_end: &str,
    host_end: &str,
    host: &Netns,
    host_mac: [u8; 6],
) -> io::Result<()> {
    let mut peer = LinkMessage::default();
    peer.attributes = vec![
        LinkAttribute::IfName(host_end.to_string()),
        LinkAttribute::Address(host_mac.to_vec()),
        LinkAttribute::NetNsFd(host.fd()),
    ];
    let mut link = LinkMessage::default();
    link.attributes = vec![
        LinkAttribute::IfName(wire_end.to_string()),
        LinkAttribute::LinkInfo(vec![
            LinkInfo::Kind(InfoKind::Veth),
            LinkInfo::Data(InfoData::Veth(InfoVeth::Peer(peer))),
        ]),
    ];
    request(RouteNetlinkMessage::NewLink(link))
}

/// The kernel's word that a link is ready to carry frames, listened for in
/// one namespace.
///
/// A veth has carrier only once both its ends are up, and the kernel
/// finishes bringing a link up later, in its linkwatch worker
/// (`linkwatch_do_dev`): it activates the link's transmit queues
/// (`dev_activate`: until then they are `noop_qdisc`'s, which drop every
/// frame), tells the stack (IPv6 configures the link on `NETDEV_CHANGE`,
/// adding its multicast route), and only then announces the link, up, on
/// rtnetlink. A lab whose first frames went out before that lost them now
/// and then: a host's first ARP reply, or `sendto(ff02::1)` failing with
/// ENETUNREACH. So the lab waits for that announcement.
pub struct LinkWatch {
    socket: Socket,
}

impl LinkWatch {
    /// Listens to the link announcements of the calling thread's
    /// namespace. Made before the carrier can come, so that none is missed.
    pub fn subscribe() -> io::Result<LinkWatch> {
        let mut socket = Socket::new(NETLINK_ROUTE)?;
        socket.bind(&SocketAddr::new(0, RTMGRP_LINK))?;
        Ok(LinkWatch { socket })
    }

    /// Waits, at most `bound`, until the kernel announces link `index` up
    /// (operational state UP, RFC 2863), with its queues active and the
    /// stack told.
    pub fn wait_until_up(&mut self, index: u32, bound: Duration) -> io::Result<()> {
        let deadline = Instant::now() + bound;
        let mut datagram = vec![0; 16384];
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!(
                        "the kernel did not say the link was up within {} s",
                        bound.as_secs()
                    ),
                ));
            }
            set_receive_timeout(self.socket.as_raw_fd(), left)?;
            let n = match self.socket.recv(&mut &mut datagram[..], 0) {
                Ok(n) => n,
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) =>
                {
                    continue;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if announces_up(&datagram[..n], index) {
                return Ok(());
            }
        }
    }
}

/// rtnetlink's multicast group of link announcements (`RTMGRP_LINK`).
const RTMGRP_LINK: u32 = 1;

/// Whether a datagram of rtnetlink messages announces link `index` up.
/// Only the link's own announcement (family AF_UNSPEC) counts: IPv6's
/// notes about the link (AF_INET6) are not the linkwatch's.
fn announces_up(mut datagram: &[u8], index: u32) -> bool {
    while let Ok(buffer) = NetlinkBuffer::new_checked(datagram) {
        let length = (buffer.length() as usize).max(1);
        if let Ok(message) = NetlinkMessage::<RouteNetlinkMessage>::deserialize(datagram)
            && let NetlinkPayload::InnerMessage(RouteNetlinkMessage::NewLink(link)) =
                message.payload
            && link.header.index == index
            && link.header.interface_family == AddressFamily::Unspec
            && link
                .attributes
                .iter()
                .any(|a| matches!(a, LinkAttribute::OperState(State::Up)))
        {
            return true;
        }
        // Messages in a datagram are aligned to 4 bytes (NLMSG_ALIGN).
        let next = length.div_ceil(4) * 4;
        if next >= datagram.len() {
            break;
        }
        datagram = &datagram[next..];
    }
    false
}

/// Bounds each receive on `fd` to `timeout`.
fn set_receive_timeout(fd: RawFd, timeout: Duration) -> io::Result<()> {
    let timeout = libc::timeval {
        tv_sec: timeout.as_secs() as libc::time_t,
        tv_usec: libc::suseconds_t::from(timeout.subsec_micros().max(1)),
    };
    // SAFETY: `timeout` outlives the call and its size is passed.
    let rc = unsafe {
        libc::setsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_RCVTIMEO,
            (&timeout as *const libc::timeval).cast(),
            std::mem::size_of::<libc::timeval>() as libc::socklen_t,
        )
    };
    if rc < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Sends one request and waits for the kernel's acknowledgement.
fn request(message: RouteNetlinkMessage) -> io::Result<()> {
    let mut socket = Socket::new(NETLINK_ROUTE)?;
    // The kernel answers at once; the bound is there so that a kernel that
    // never does cannot hang a lesson.
    set_receive_timeout(socket.as_raw_fd(), Duration::from_secs(2))?;
    socket.bind_auto()?;
    socket.connect(&SocketAddr::new(0, 0))?;
    let mut header = NetlinkHeader::default();
    header.flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK;
    let mut packet = NetlinkMessage::new(header, NetlinkPayload::from(message));
    packet.finalize();
    let mut buf = vec![0; packet.buffer_len()];
    packet.serialize(&mut buf);
    socket.send(&buf, 0)?;
    let mut reply = vec![0; 8192];
    let n = socket.recv(&mut &mut reply[..], 0)?;
    let answer = NetlinkMessage::<RouteNetlinkMessage>::deserialize(&reply[..n])
        .map_err(|e| io::Error::other(format!("unreadable netlink reply: {e}")))?;
    match answer.payload {
        NetlinkPayload::Error(e) => match e.code {
            None => Ok(()),
            Some(code) => Err(io::Error::from_raw_os_error(-code.get())),
        },
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An rtnetlink announcement of link `index`, as the kernel sends it.
    fn announcement(index: u32, family: AddressFamily, state: State) -> Vec<u8> {
        let mut link = LinkMessage::default();
        link.header.index = index;
        link.header.interface_family = family;
        link.attributes = vec![
            LinkAttribute::IfName("eth0".to_string()),
            LinkAttribute::OperState(state),
        ];
        let mut packet = NetlinkMessage::new(
            NetlinkHeader::default(),
            NetlinkPayload::from(RouteNetlinkMessage::NewLink(link)),
        );
        packet.finalize();
        let mut buf = vec![0; packet.buffer_len()];
        packet.serialize(&mut buf);
        buf
    }

    #[test]
    fn only_the_link_s_own_announcement_of_up_counts() {
        assert!(announces_up(
            &announcement(2, AddressFamily::Unspec, State::Up),
            2
        ));
        assert!(!announces_up(
            &announcement(3, AddressFamily::Unspec, State::Up),
            2
        ));
        assert!(!announces_up(
            &announcement(2, AddressFamily::Unspec, State::LowerLayerDown),
            2
        ));
        assert!(!announces_up(
            &announcement(2, AddressFamily::Inet6, State::Up),
            2
        ));
    }

    #[test]
    fn an_announcement_after_another_in_one_datagram_is_read() {
        let mut datagram = announcement(2, AddressFamily::Unspec, State::Down);
        datagram.extend(announcement(2, AddressFamily::Unspec, State::Up));
        assert!(announces_up(&datagram, 2));
        assert!(!announces_up(&datagram[..datagram.len() - 4], 2));
    }
}
