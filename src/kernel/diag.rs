//! Whether the kernel still has something to send for a namespace's
//! sockets: what tells the runner that a step is over.
//!
//! The kernel is asked over sock_diag (netlink(7), `NETLINK_SOCK_DIAG`;
//! sock_diag(7)), which lists every TCP and UDP socket of the namespace the
//! netlink socket was made in, orphans and TIME-WAIT included, each with
//! its state, the timer it has pending (`idiag_timer`), its queues, and for
//! full TCP sockets their `struct tcp_info` (`INET_DIAG_INFO`), which
//! /proc/net/tcp does not give.
//!
//! What "pending" means here, and what it leaves out, follows the kernel:
//!
//! * `idiag_timer` is filled as /proc/net/tcp's `tr` column is (Linux
//!   net/ipv4/inet_diag.c, `inet_sk_diag_fill`; net/ipv4/tcp_ipv4.c,
//!   `get_tcp4_sock`): 1 for `icsk_pending` ICSK_TIME_RETRANS,
//!   ICSK_TIME_REO_TIMEOUT or ICSK_TIME_LOSS_PROBE (something sent is not
//!   acknowledged yet: pending), 4 for ICSK_TIME_PROBE0 (the zero-window
//!   probe, or persist, timer), 2 for `sk_timer` (keep-alive, or the
//!   FIN-WAIT-2 timeout of an orphan), 3 for TIME-WAIT
//!   (`inet_twsk_diag_fill`), and 1 for every request socket
//!   (`inet_req_diag_fill`: its SYN-ACK is not acknowledged yet).
//! * The delayed-ACK timer (ICSK_TIME_DACK, `icsk_ack.pending`) is shown by
//!   neither: `timer_active` 0 does not mean that no ACK is owed. But an
//!   ACK is owed only for a segment that took sequence space (data, SYN or
//!   FIN), and that segment stays unacknowledged at its sender
//!   (`tcpi_unacked` > 0, timer 1, or a SYN-SENT, SYN-RECV, FIN-WAIT-1,
//!   CLOSING or LAST-ACK state) until the ACK has arrived there. Both ends
//!   of every lesson connection are the lesson's own sockets, in namespaces
//!   socklab reads, so the sender says it.
//! * TIME-WAIT always has its timer (2 MSL, RFC 9293 §3.6.1): nothing to
//!   send, not pending. Nor are the persist timer (it keeps probing as long
//!   as the peer's program leaves its window closed, RFC 9293 §3.8.6.1: a
//!   lesson that shows a probe expects it) and keep-alive or FIN-WAIT-2
//!   timeouts (minutes away, nothing a step waits for).
//! * A LISTEN socket's `tcpi_unacked` is its accept queue's length, not
//!   unacknowledged data (net/ipv4/tcp.c, `tcp_get_info`): connections that
//!   wait for accept() are finished handshakes, and listed on their own.
//! * UDP: `idiag_wqueue` is `sk_wmem_alloc` (net/ipv4/udp_diag.c): a
//!   datagram still on its way out (in a neighbour's queue while ARP
//!   resolves, say). Datagrams received and not read are not pending.

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

/// `NETLINK_SOCK_DIAG` (linux/netlink.h).
const NETLINK_SOCK_DIAG: libc::c_int = 4;
/// `SOCK_DIAG_BY_FAMILY` (linux/sock_diag.h).
const SOCK_DIAG_BY_FAMILY: u16 = 20;
/// `NLM_F_REQUEST | NLM_F_DUMP` (linux/netlink.h).
const REQUEST_DUMP: u16 = 0x001 | 0x300;
const NLMSG_ERROR: u16 = 2;
const NLMSG_DONE: u16 = 3;
/// `INET_DIAG_INFO` (linux/inet_diag.h): the socket's `struct tcp_info`.
const INET_DIAG_INFO: u16 = 2;
/// Which sockets a dump lists, a bit per state (`1 << TCP_*`,
/// net/tcp_states.h; a UDP socket is TCP_CLOSE, or TCP_ESTABLISHED once
/// connected).
const EVERY_STATE: u32 = u32::MAX;
const LISTENING: u32 = 1 << state::LISTEN;
const BOUND_ONLY: u32 = 1 << state::BOUND_INACTIVE;
/// The sockets a step can wait on: neither listeners nor sockets that are
/// only bound have anything to send (a listener's pending handshakes are
/// request sockets, listed on their own). Leaving them out is also what
/// makes a look cheap: for each, the kernel walks a table that every
/// namespace of the machine shares, whatever the namespace's own socket
/// table (`tcp_diag_dump`, net/ipv4/tcp_diag.c): bound sockets are found
/// in the bind hash, 65 536 buckets with 24 GiB, listeners in the listen
/// hash. A TCP dump took 85 µs with them and 8 µs without, in a namespace
/// with a socket table of its own (Linux 6.18).
const IN_PLAY: u32 = EVERY_STATE & !LISTENING & !BOUND_ONLY;
/// `struct nlmsghdr`, and `struct inet_diag_msg` after it.
const NLMSG_HDR: usize = 16;
const DIAG_MSG: usize = 72;
/// Offsets in `struct tcp_info` (linux/tcp.h, a stable ABI).
const TCPI_ATO: usize = 12;
const TCPI_UNACKED: usize = 24;
const TCPI_LAST_DATA_RECV: usize = 52;

/// TCP states (include/net/tcp_states.h).
mod state {
    pub const SYN_SENT: u8 = 2;
    pub const SYN_RECV: u8 = 3;
    pub const FIN_WAIT1: u8 = 4;
    pub const LAST_ACK: u8 = 9;
    pub const LISTEN: u8 = 10;
    pub const CLOSING: u8 = 11;
    pub const NEW_SYN_RECV: u8 = 12;
    /// Bound, neither listening nor connected: listed by Linux 6.7 and
    /// later only (`TCP_BOUND_INACTIVE`).
    pub const BOUND_INACTIVE: u8 = 13;
}

/// A socket the kernel still has something to send for, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub protocol: &'static str,
    /// The local port, and the peer's (0 when unconnected).
    pub local_port: u16,
    pub remote_port: u16,
    pub why: &'static str,
}

impl std::fmt::Display for Pending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} :{} ⇄ :{} {}",
            self.protocol, self.local_port, self.remote_port, self.why
        )
    }
}

/// One socket as sock_diag describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiagSocket {
    pub tcp: bool,
    pub state: u8,
    pub timer: u8,
    pub wqueue: u32,
    /// `idiag_rqueue`: for a TCP connection, the bytes that came and its
    /// program has not read yet (`rcv_nxt - copied_seq`).
    pub rqueue: u32,
    /// `idiag_expires`: milliseconds until `timer` fires (0 without one).
    pub expires_ms: u32,
    pub local_port: u16,
    pub remote_port: u16,
    /// `tcpi_unacked`, for full TCP sockets.
    pub unacked: Option<u32>,
    /// `tcpi_ato` (µs) and `tcpi_last_data_recv` (ms), for full TCP
    /// sockets: the delayed-ACK timeout and the time since the socket last
    /// took a segment in (`icsk_ack.lrcvtime`).
    pub ack_window: Option<(u32, u32)>,
    pub local: SocketAddr,
    pub remote: SocketAddr,
    /// 0 for sockets no process holds (TIME-WAIT, request sockets).
    pub inode: u64,
}

impl Default for DiagSocket {
    fn default() -> DiagSocket {
        let nowhere = SocketAddr::new(Ipv4Addr::UNSPECIFIED.into(), 0);
        DiagSocket {
            tcp: false,
            state: 0,
            timer: 0,
            wqueue: 0,
            rqueue: 0,
            expires_ms: 0,
            local_port: 0,
            remote_port: 0,
            unacked: None,
            ack_window: None,
            local: nowhere,
            remote: nowhere,
            inode: 0,
        }
    }
}

impl DiagSocket {
    /// Why the kernel will still send something for this socket, if it
    /// will (see the module's comment for each rule's source).
    pub fn pending(&self) -> Option<&'static str> {
        if !self.tcp {
            return (self.wqueue > 0).then_some("datagram on its way out");
        }
        match self.state {
            state::SYN_SENT => return Some("SYN not answered yet"),
            state::SYN_RECV | state::NEW_SYN_RECV => return Some("SYN-ACK not acknowledged yet"),
            state::FIN_WAIT1 | state::CLOSING | state::LAST_ACK => {
                return Some("FIN not acknowledged yet");
            }
            state::LISTEN => return None,
            _ => {}
        }
        if self.timer == 1 {
            return Some("retransmission timer pending");
        }
        match self.unacked {
            Some(n) if n > 0 => Some("segments not acknowledged yet"),
            Some(_) => None,
            // No tcp_info (never for a full socket in practice): bytes
            // written and not yet acknowledged count, unless the persist
            // timer says they wait for the peer's window.
            None if self.wqueue > 0 && self.timer != 4 => Some("bytes not acknowledged yet"),
            None => None,
        }
    }
}

/// A sock_diag socket in one network namespace (the one it was opened in).
#[derive(Debug)]
pub struct Diag {
    fd: OwnedFd,
    seq: std::cell::Cell<u32>,
}

impl Diag {
    /// Opens a sock_diag socket in the calling thread's namespace.
    pub fn open() -> io::Result<Diag> {
        // SAFETY: plain socket(2); the descriptor is owned at once.
        let raw = unsafe {
            libc::socket(
                libc::AF_NETLINK,
                libc::SOCK_RAW | libc::SOCK_CLOEXEC,
                NETLINK_SOCK_DIAG,
            )
        };
        if raw < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `raw` is a descriptor we just opened and own.
        let fd = unsafe { OwnedFd::from_raw_fd(raw) };
        // Every wait has a bound: the kernel answers a dump at once.
        let bound = libc::timeval {
            tv_sec: 1,
            tv_usec: 0,
        };
        // SAFETY: `bound` outlives the call and its size is passed.
        unsafe {
            libc::setsockopt(
                fd.as_raw_fd(),
                libc::SOL_SOCKET,
                libc::SO_RCVTIMEO,
                (&bound as *const libc::timeval).cast(),
                std::mem::size_of::<libc::timeval>() as libc::socklen_t,
            );
        }
        let diag = Diag {
            fd,
            seq: std::cell::Cell::new(0),
        };
        // A kernel without inet_diag (CONFIG_INET_DIAG) answers ENOENT:
        // better to know now, and fall back to silence.
        diag.listed(IN_PLAY)?;
        Ok(diag)
    }

    /// Every TCP and UDP socket of the namespace, IPv4 and IPv6.
    pub fn sockets(&self) -> io::Result<Vec<DiagSocket>> {
        self.listed(EVERY_STATE)
    }

    /// The namespace's TCP and UDP sockets in the states `states`.
    fn listed(&self, states: u32) -> io::Result<Vec<DiagSocket>> {
        let mut all = Vec::new();
        for family in [libc::AF_INET as u8, libc::AF_INET6 as u8] {
            for protocol in [libc::IPPROTO_TCP as u8, libc::IPPROTO_UDP as u8] {
                self.dump(family, protocol, states, &mut all)?;
            }
        }
        Ok(all)
    }

    /// The first socket with something pending, if any.
    pub fn pending(&self) -> io::Result<Option<Pending>> {
        Ok(self.listed(IN_PLAY)?.into_iter().find_map(|s| {
            s.pending().map(|why| Pending {
                protocol: if s.tcp { "TCP" } else { "UDP" },
                local_port: s.local_port,
                remote_port: s.remote_port,
                why,
            })
        }))
    }

    /// How long until the first TCP timer that sends fires: a
    /// retransmission timer (`idiag_timer` 1) or the persist timer's next
    /// zero-window probe (4). None when no such timer is pending.
    pub fn next_send_timer(&self) -> io::Result<Option<std::time::Duration>> {
        Ok(self
            .listed(IN_PLAY)?
            .iter()
            .filter(|s| s.tcp && matches!(s.timer, 1 | 4))
            .map(|s| std::time::Duration::from_millis(u64::from(s.expires_ms)))
            .min())
    }

    /// How long until every connection's delayed-ACK window has lapsed:
    /// the time since it last took a segment in has reached its ATO. Zero
    /// when none is open.
    pub fn ack_windows(&self) -> io::Result<std::time::Duration> {
        const ESTABLISHED: u8 = 1;
        const CLOSE_WAIT: u8 = 8;
        let longest = self
            .listed(IN_PLAY)?
            .iter()
            .filter(|s| s.tcp && matches!(s.state, ESTABLISHED | CLOSE_WAIT))
            .filter_map(|s| s.ack_window)
            .map(|(ato_us, since_ms)| u64::from(ato_us).saturating_sub(u64::from(since_ms) * 1000))
            .max()
            .unwrap_or(0);
        Ok(std::time::Duration::from_micros(longest))
    }

    fn dump(
        &self,
        family: u8,
        protocol: u8,
        states: u32,
        out: &mut Vec<DiagSocket>,
    ) -> io::Result<()> {
        let seq = self.seq.get().wrapping_add(1);
        self.seq.set(seq);
        // struct nlmsghdr, then struct inet_diag_req_v2: family, protocol,
        // extensions wanted (a bit per INET_DIAG_* attribute, less one),
        // pad, states, and a zero inet_diag_sockid (no filter).
        let mut request = [0u8; NLMSG_HDR + 56];
        let len = request.len() as u32;
        request[0..4].copy_from_slice(&len.to_ne_bytes());
        request[4..6].copy_from_slice(&SOCK_DIAG_BY_FAMILY.to_ne_bytes());
        request[6..8].copy_from_slice(&REQUEST_DUMP.to_ne_bytes());
        request[8..12].copy_from_slice(&seq.to_ne_bytes());
        request[16] = family;
        request[17] = protocol;
        request[18] = 1 << (INET_DIAG_INFO - 1);
        request[20..24].copy_from_slice(&states.to_ne_bytes());
        // SAFETY: the buffer outlives the call; its length is passed. The
        // kernel is the destination (a zeroed sockaddr_nl).
        let sent = unsafe {
            let mut kernel: libc::sockaddr_nl = std::mem::zeroed();
            kernel.nl_family = libc::AF_NETLINK as libc::sa_family_t;
            libc::sendto(
                self.fd.as_raw_fd(),
                request.as_ptr().cast(),
                request.len(),
                0,
                (&kernel as *const libc::sockaddr_nl).cast(),
                std::mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t,
            )
        };
        if sent < 0 {
            return Err(io::Error::last_os_error());
        }
        let mut buf = vec![0u8; 64 << 10];
        loop {
            // SAFETY: reading into our own buffer, its length passed.
            let n =
                unsafe { libc::recv(self.fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len(), 0) };
            if n < 0 {
                let e = io::Error::last_os_error();
                if e.kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                return Err(e);
            }
            match parse_dump(
                &buf[..n as usize],
                seq,
                protocol == libc::IPPROTO_TCP as u8,
                out,
            )? {
                Some(()) => return Ok(()),
                None => continue,
            }
        }
    }
}

/// Parses one datagram of a sock_diag dump into `out`. `Some(())` once the
/// dump is done; an error message from the kernel becomes an error.
/// Messages of another sequence number (an earlier dump cut short) are
/// skipped.
pub fn parse_dump(
    mut data: &[u8],
    seq: u32,
    tcp: bool,
    out: &mut Vec<DiagSocket>,
) -> io::Result<Option<()>> {
    let u16_at = |b: &[u8], at: usize| u16::from_ne_bytes([b[at], b[at + 1]]);
    let u32_at = |b: &[u8], at: usize| u32::from_ne_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]);
    while data.len() >= NLMSG_HDR {
        let len = u32_at(data, 0) as usize;
        if len < NLMSG_HDR || len > data.len() {
            return Err(io::Error::other("sock_diag: a message cut short"));
        }
        let kind = u16_at(data, 4);
        let message = &data[..len];
        let body = &message[NLMSG_HDR..];
        data = &data[align4(len).min(data.len())..];
        if u32_at(message, 8) != seq {
            continue;
        }
        match kind {
            NLMSG_DONE => return Ok(Some(())),
            NLMSG_ERROR => {
                let errno = if body.len() >= 4 {
                    -(u32_at(body, 0) as i32)
                } else {
                    libc::EIO
                };
                return Err(io::Error::from_raw_os_error(errno));
            }
            SOCK_DIAG_BY_FAMILY if body.len() >= DIAG_MSG => {
                // struct inet_diag_msg: family, state, timer, retrans,
                // inet_diag_sockid (sport and dport big-endian first),
                // expires, rqueue, wqueue, uid, inode.
                let local_port = u16::from_be_bytes([body[4], body[5]]);
                let remote_port = u16::from_be_bytes([body[6], body[7]]);
                // Addresses in network order, 16 bytes each (IPv4 in the
                // first 4).
                let addr = |at: usize, port: u16| {
                    let ip = if body[0] == libc::AF_INET6 as u8 {
                        let mut bytes = [0u8; 16];
                        bytes.copy_from_slice(&body[at..at + 16]);
                        IpAddr::V6(Ipv6Addr::from(bytes))
                    } else {
                        IpAddr::V4(Ipv4Addr::new(
                            body[at],
                            body[at + 1],
                            body[at + 2],
                            body[at + 3],
                        ))
                    };
                    SocketAddr::new(ip, port)
                };
                let mut socket = DiagSocket {
                    tcp,
                    state: body[1],
                    timer: body[2],
                    local_port,
                    remote_port,
                    wqueue: u32_at(body, 60),
                    rqueue: u32_at(body, 56),
                    expires_ms: u32_at(body, 52),
                    unacked: None,
                    ack_window: None,
                    local: addr(8, local_port),
                    remote: addr(24, remote_port),
                    inode: u64::from(u32_at(body, 68)),
                };
                // Then attributes (struct rtattr: length, type, data).
                let mut attrs = &body[DIAG_MSG..];
                while attrs.len() >= 4 {
                    let alen = u16_at(attrs, 0) as usize;
                    if alen < 4 || alen > attrs.len() {
                        break;
                    }
                    if u16_at(attrs, 2) == INET_DIAG_INFO && alen >= 4 + TCPI_LAST_DATA_RECV + 4 {
                        socket.unacked = Some(u32_at(attrs, 4 + TCPI_UNACKED));
                        socket.ack_window = Some((
                            u32_at(attrs, 4 + TCPI_ATO),
                            u32_at(attrs, 4 + TCPI_LAST_DATA_RECV),
                        ));
                    }
                    attrs = &attrs[align4(alen).min(attrs.len())..];
                }
                out.push(socket);
            }
            _ => {}
        }
    }
    Ok(None)
}

fn align4(n: usize) -> usize {
    (n + 3) & !3
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tcp(state: u8, timer: u8, wqueue: u32, unacked: Option<u32>) -> DiagSocket {
        DiagSocket {
            tcp: true,
            state,
            timer,
            wqueue,
            local_port: 5000,
            remote_port: 40000,
            unacked,
            ..DiagSocket::default()
        }
    }

    #[test]
    fn what_is_pending_and_what_is_not() {
        const ESTABLISHED: u8 = 1;
        const TIME_WAIT: u8 = 6;
        const CLOSE_WAIT: u8 = 8;
        // Handshakes and closes under way.
        assert!(tcp(state::SYN_SENT, 1, 1, Some(1)).pending().is_some());
        assert!(tcp(state::NEW_SYN_RECV, 1, 0, None).pending().is_some());
        assert!(tcp(state::FIN_WAIT1, 1, 1, Some(1)).pending().is_some());
        assert!(tcp(state::LAST_ACK, 1, 1, Some(1)).pending().is_some());
        // Data in flight.
        assert!(tcp(ESTABLISHED, 1, 100, Some(1)).pending().is_some());
        assert!(tcp(ESTABLISHED, 0, 100, Some(1)).pending().is_some());
        // Quiet: nothing in flight, a closed window's unsent bytes under
        // the persist timer, TIME-WAIT's timer, a listener's accept queue.
        assert_eq!(tcp(ESTABLISHED, 0, 0, Some(0)).pending(), None);
        assert_eq!(tcp(ESTABLISHED, 4, 6000, Some(0)).pending(), None);
        assert_eq!(tcp(ESTABLISHED, 4, 6000, None).pending(), None);
        assert_eq!(tcp(TIME_WAIT, 3, 0, None).pending(), None);
        assert_eq!(tcp(state::LISTEN, 0, 5, Some(2)).pending(), None);
        assert_eq!(tcp(CLOSE_WAIT, 2, 0, Some(0)).pending(), None);
        // UDP: only a datagram still on its way out.
        let udp = |wqueue| DiagSocket {
            wqueue,
            ..DiagSocket::default()
        };
        assert_eq!(udp(0).pending(), None);
        assert!(udp(768).pending().is_some());
    }

    #[test]
    fn parses_a_dump_with_tcp_info() {
        // One inet_diag_msg with an INET_DIAG_INFO attribute, then DONE.
        let mut msg = vec![0u8; NLMSG_HDR + DIAG_MSG];
        msg[4..6].copy_from_slice(&SOCK_DIAG_BY_FAMILY.to_ne_bytes());
        msg[8..12].copy_from_slice(&7u32.to_ne_bytes());
        let body = NLMSG_HDR;
        msg[body + 1] = 1; // ESTABLISHED
        msg[body + 2] = 1; // retransmission timer
        msg[body + 4..body + 6].copy_from_slice(&5000u16.to_be_bytes());
        msg[body + 6..body + 8].copy_from_slice(&40000u16.to_be_bytes());
        msg[body] = libc::AF_INET as u8;
        msg[body + 8..body + 12].copy_from_slice(&[127, 0, 0, 1]);
        msg[body + 24..body + 28].copy_from_slice(&[127, 0, 0, 1]);
        msg[body + 52..body + 56].copy_from_slice(&230u32.to_ne_bytes());
        msg[body + 56..body + 60].copy_from_slice(&5u32.to_ne_bytes());
        msg[body + 60..body + 64].copy_from_slice(&12u32.to_ne_bytes());
        msg[body + 68..body + 72].copy_from_slice(&4152u32.to_ne_bytes());
        let mut info = vec![0u8; 4 + 232];
        let info_len = info.len() as u16;
        info[0..2].copy_from_slice(&info_len.to_ne_bytes());
        info[2..4].copy_from_slice(&INET_DIAG_INFO.to_ne_bytes());
        info[4 + TCPI_UNACKED..8 + TCPI_UNACKED].copy_from_slice(&3u32.to_ne_bytes());
        msg.extend_from_slice(&info);
        let len = msg.len() as u32;
        msg[0..4].copy_from_slice(&len.to_ne_bytes());
        let mut done = vec![0u8; NLMSG_HDR + 4];
        let done_len = done.len() as u32;
        done[0..4].copy_from_slice(&done_len.to_ne_bytes());
        done[4..6].copy_from_slice(&NLMSG_DONE.to_ne_bytes());
        done[8..12].copy_from_slice(&7u32.to_ne_bytes());
        msg.extend_from_slice(&done);
        let mut out = Vec::new();
        assert_eq!(parse_dump(&msg, 7, true, &mut out).unwrap(), Some(()));
        assert_eq!(
            out,
            [DiagSocket {
                tcp: true,
                state: 1,
                timer: 1,
                wqueue: 12,
                rqueue: 5,
                expires_ms: 230,
                local_port: 5000,
                remote_port: 40000,
                unacked: Some(3),
                ack_window: Some((0, 0)),
                local: "127.0.0.1:5000".parse().unwrap(),
                remote: "127.0.0.1:40000".parse().unwrap(),
                inode: 4152,
            }]
        );
        assert_eq!(
            out[0].pending(),
            Some("retransmission timer pending"),
            "timer 1 is ICSK_TIME_RETRANS, REO_TIMEOUT or LOSS_PROBE"
        );
        // A message cut short is an error, not a panic.
        assert!(parse_dump(&msg[..20], 7, true, &mut Vec::new()).is_err());
    }

    /// A TCP socket in the calling thread's namespace, bound to a port the
    /// kernel picks on 0.0.0.0; listening if asked. Its port.
    fn tcp_socket(listen: bool) -> (socket2::Socket, u16) {
        use socket2::{Domain, Socket, Type};
        let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
        let any: SocketAddr = "0.0.0.0:0".parse().unwrap();
        socket.bind(&any.into()).unwrap();
        if listen {
            socket.listen(1).unwrap();
        }
        let port = socket.local_addr().unwrap().as_socket().unwrap().port();
        (socket, port)
    }

    /// What a step waits on leaves out listeners and sockets that are only
    /// bound (the kernel walks tables every namespace shares to find
    /// them), and the full list still has them.
    #[test]
    fn a_look_at_what_is_pending_leaves_out_listeners_and_bound_sockets() {
        std::thread::spawn(|| {
            // SAFETY: unshare changes only this thread's namespace.
            if unsafe { libc::unshare(libc::CLONE_NEWNET) } != 0 {
                let reason = io::Error::last_os_error();
                crate::testutil::skip(
                    "a_look_at_what_is_pending_leaves_out_listeners_and_bound_sockets",
                    &format!("no network namespace (CI runs as root): {reason}"),
                );
                return;
            }
            let (_listener, listening) = tcp_socket(true);
            let (_bound, bound) = tcp_socket(false);
            let diag = Diag::open().unwrap();
            let ports = |states| -> Vec<u16> {
                let listed = diag.listed(states).unwrap();
                listed.iter().map(|s| s.local_port).collect()
            };
            assert!(ports(EVERY_STATE).contains(&listening));
            let in_play = ports(IN_PLAY);
            assert!(!in_play.contains(&listening), "{in_play:?}");
            assert!(!in_play.contains(&bound), "{in_play:?}");
            // Linux lists sockets that are only bound from 6.7 on, in
            // their state, TCP_CLOSE.
            let every = diag.sockets().unwrap();
            if let Some(only_bound) = every.iter().find(|s| s.local_port == bound) {
                assert_eq!(only_bound.state, 7);
            }
        })
        .join()
        .unwrap();
    }
}
