//! Performing a lesson's socket calls for real, with the kernel's own TCP
//! and UDP (socket2 gives the same calls as Python's `socket` module).
//!
//! Every call that can block has a bound, so a lesson that waits for
//! something that never comes fails with a message instead of hanging.

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::mem::MaybeUninit;
use std::net::SocketAddr;
use std::time::Duration;

use std::sync::Arc;

use socket2::{Domain, SockAddr, Socket, Type};

use crate::wire::Netns;

use crate::lesson::{Addressing, Bytes, Call, Family, Outcome, Payload, Peer, SockOpt, SockType};
use crate::t;
use crate::track::Protocol;

/// The most a `recv_all` keeps, so that a runaway lesson cannot fill memory.
const MAX_RECV_ALL: usize = 16 << 20;

/// `recv_all` receives into chunks of this size (or of its buffer's size,
/// if larger): see there why not into one growing buffer.
const RECV_ALL_CHUNK: usize = 1 << 20;

/// A `recv_all` whose wait ran out after this many bytes had come.
#[derive(Debug, thiserror::Error)]
#[error("{}", t!("error-partly-received", bytes = self.0.to_string()))]
pub struct PartlyReceived(pub u64);

/// How long `accept`, `recv` and `connect` may block.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(3);

/// In hold mode a call waits while the learner holds its packets: still
/// bounded, but by a human's patience.
pub const HOLD_CALL_TIMEOUT: Duration = Duration::from_secs(600);

/// A socket variable of the lesson's program.
pub struct SockVar {
    pub socket: Socket,
    pub actor: String,
    pub kind: SockType,
    pub listening: bool,
    /// Made by accept(): the listener sent its SYN-ACK, and the kernel
    /// counts that segment there, not here.
    pub accepted: bool,
    /// The address the last `recvfrom` returned (Python's `addr`).
    pub last_sender: Option<SocketAddr>,
}

impl SockVar {
    pub fn protocol(&self) -> Protocol {
        match self.kind {
            SockType::Stream => Protocol::Tcp,
            SockType::Datagram => Protocol::Udp,
        }
    }

    pub fn local(&self) -> Option<SocketAddr> {
        self.socket.local_addr().ok()?.as_socket()
    }

    pub fn peer(&self) -> Option<SocketAddr> {
        self.socket.peer_addr().ok()?.as_socket()
    }

    /// The socket's inode, as /proc/net lists it.
    pub fn inode(&self) -> Option<u64> {
        use std::os::fd::AsRawFd;
        // SAFETY: fstat on our own open descriptor into a zeroed struct.
        unsafe {
            let mut stat: libc::stat = std::mem::zeroed();
            (libc::fstat(self.socket.as_raw_fd(), &mut stat) == 0).then_some(stat.st_ino)
        }
    }
}

impl SockVar {
    /// A socket of the lesson, with every blocking call bounded.
    fn new(
        socket: Socket,
        actor: String,
        kind: SockType,
        timeout: Duration,
    ) -> io::Result<SockVar> {
        socket.set_read_timeout(Some(timeout))?;
        socket.set_write_timeout(Some(timeout))?;
        Ok(SockVar {
            socket,
            actor,
            kind,
            listening: false,
            accepted: false,
            last_sender: None,
        })
    }
}

/// A socket variable as the kernel view labels it.
pub struct VarView {
    pub name: String,
    pub actor: String,
    pub protocol: Protocol,
    pub local: Option<SocketAddr>,
    pub peer: Option<SocketAddr>,
    pub inode: Option<u64>,
    pub listening: bool,
    pub accepted: bool,
    /// The kernel's congestion view of a connected TCP socket, read when
    /// the view was made.
    pub tcp_info: Option<crate::kernel::TcpInfo>,
}

/// The lesson's sockets at one moment, and the hosts they live on.
pub struct SocketsView {
    pub vars: Vec<VarView>,
    pub hosts: Vec<(String, Arc<Netns>)>,
    /// How sockets address each other (each host's address on the wire).
    pub addressing: Addressing,
}

impl SocketsView {
    /// Every socket the kernels list, with the number of the host that
    /// holds it (0 on the loopback, where there is one).
    pub fn kernel_table(&self) -> Vec<(usize, crate::kernel::KernelSocket)> {
        if self.hosts.is_empty() {
            return crate::kernel::sockets()
                .into_iter()
                .map(|k| (0, k))
                .collect();
        }
        self.hosts
            .iter()
            .enumerate()
            .flat_map(|(host, (_, netns))| {
                netns
                    .run(|| Ok(crate::kernel::sockets()))
                    .unwrap_or_default()
                    .into_iter()
                    .map(move |k| (host, k))
            })
            .collect()
    }

    /// On an IPv6 lab wire, the multicast groups each host's kernel is in
    /// on its eth0; empty elsewhere.
    pub fn group_table(&self) -> Vec<(String, Vec<std::net::Ipv6Addr>)> {
        if self.hosts.is_empty() || self.addressing.family != Family::V6 {
            return Vec::new();
        }
        self.hosts
            .iter()
            .map(|(actor, netns)| {
                let groups = netns
                    .run(|| Ok(crate::kernel::groups("eth0")))
                    .unwrap_or_default();
                (actor.clone(), groups)
            })
            .collect()
    }

    /// On the lab wire, each host's kernel's checksum-error counters
    /// (read in its namespace); empty on the loopback. A host whose
    /// /proc/net cannot be read counts none.
    pub fn checksum_table(&self) -> Vec<(String, crate::kernel::ChecksumErrors)> {
        self.hosts
            .iter()
            .map(|(actor, netns)| {
                let counted = netns
                    .run(|| Ok(crate::kernel::checksum_errors()))
                    .ok()
                    .flatten()
                    .unwrap_or_default();
                (actor.clone(), counted)
            })
            .collect()
    }

    pub fn host_of(&self, actor: &str) -> usize {
        host_of(&self.hosts, actor)
    }

    /// The actor whose host is number `host`, on the lab wire.
    pub fn actor_of_host(&self, host: usize) -> Option<&String> {
        self.hosts.get(host).map(|(actor, _)| actor)
    }
}

fn host_of(hosts: &[(String, Arc<Netns>)], actor: &str) -> usize {
    hosts.iter().position(|(a, _)| a == actor).unwrap_or(0)
}

/// The program's sockets, by variable name.
pub struct Sockets {
    /// How long a blocking call may wait (`CALL_TIMEOUT`).
    pub call_timeout: Duration,
    pub vars: BTreeMap<String, SockVar>,
    pub addressing: Addressing,
    /// On the lab wire: each actor's host namespace, where its sockets are
    /// created (a socket stays in the namespace it was made in).
    pub hosts: Vec<(String, Arc<Netns>)>,
    /// The files an exercise's calls may send (`file = "big.bin"`).
    pub files: BTreeMap<String, Vec<u8>>,
    /// Everything the last receiving call got, whole (the events keep only
    /// its first bytes): what an exercise's check compares.
    pub received: Vec<u8>,
}

impl Default for Sockets {
    fn default() -> Sockets {
        Sockets {
            call_timeout: CALL_TIMEOUT,
            vars: BTreeMap::new(),
            addressing: Addressing::default(),
            hosts: Vec::new(),
            files: BTreeMap::new(),
            received: Vec::new(),
        }
    }
}

impl Sockets {
    /// The ports where a socket of the lesson listens.
    pub fn listening_ports(&self) -> std::collections::BTreeSet<u16> {
        self.vars
            .values()
            .filter(|v| v.listening)
            .filter_map(|v| v.local().map(|a| a.port()))
            .collect()
    }

    /// The kernel's socket table where the lesson's sockets live: the
    /// sandbox, or on the lab wire every host's namespace in turn.
    /// The number of the host an actor's sockets live on (0 on the
    /// loopback).
    pub fn host_of(&self, actor: &str) -> usize {
        host_of(&self.hosts, actor)
    }

    /// What the kernel view needs to know of the sockets, as they are now.
    /// It can be read while a call blocks on another thread (`--hold`).
    pub fn view(&self) -> SocketsView {
        SocketsView {
            vars: self
                .vars
                .iter()
                .map(|(name, v)| VarView {
                    name: name.clone(),
                    actor: v.actor.clone(),
                    protocol: v.protocol(),
                    local: v.local(),
                    peer: v.peer(),
                    inode: v.inode(),
                    listening: v.listening,
                    accepted: v.accepted,
                    tcp_info: (v.kind == SockType::Stream && v.peer().is_some())
                        .then(|| crate::kernel::tcp_info(&v.socket).ok())
                        .flatten(),
                })
                .collect(),
            hosts: self.hosts.clone(),
            addressing: self.addressing.clone(),
        }
    }

    pub fn perform(&mut self, call: &Call) -> io::Result<Outcome> {
        match call {
            Call::Socket { name, actor, kind } => self.open(name, actor, *kind),
            Call::Bind {
                name,
                address,
                port,
            } => {
                let ip = if address.is_empty() {
                    self.addressing.family.unspecified()
                } else {
                    self.addressing.host(&self.var(name)?.actor)
                };
                self.var(name)?
                    .socket
                    .bind(&SockAddr::from(SocketAddr::new(ip, *port)))?;
                Ok(Outcome::Nothing)
            }
            Call::Listen { name, backlog } => {
                let var = self.var_mut(name)?;
                var.socket.listen(*backlog as i32)?;
                var.listening = true;
                Ok(Outcome::Nothing)
            }
            Call::Connect { name, peer } => {
                let target = self.resolve(name, peer)?;
                let var = self.var(name)?;
                var.socket
                    .connect_timeout(&target.into(), self.call_timeout)?;
                Ok(Outcome::Connected {
                    local: var
                        .local()
                        .ok_or_else(|| io::Error::other("no local address"))?,
                })
            }
            Call::Accept { name, new } => {
                let var = self.var(name)?;
                let actor = var.actor.clone();
                let (socket, peer) = var.socket.accept()?;
                let mut var = SockVar::new(socket, actor, SockType::Stream, self.call_timeout)?;
                var.accepted = true;
                self.vars.insert(new.clone(), var);
                Ok(Outcome::Accepted {
                    peer: peer
                        .as_socket()
                        .ok_or_else(|| io::Error::other("peer is not IP"))?,
                })
            }
            Call::Send { name, data, all } => self.send(name, data, *all),
            Call::Recv {
                name,
                bufsize,
                waitall,
            } => self.recv(name, *bufsize, *waitall),
            Call::RecvAll { name, bufsize } => self.recv_all(name, *bufsize),
            Call::SendTo { name, data, peer } => {
                let target = self.resolve(name, peer)?;
                let n = self
                    .var(name)?
                    .socket
                    .send_to(&self.payload(data)?, &target.into())?;
                Ok(Outcome::Sent { bytes: n })
            }
            Call::RecvFrom { name, bufsize } => self.recv_from(name, *bufsize),
            Call::Close { name } => {
                // Dropping the socket is close(2).
                self.vars.remove(name);
                Ok(Outcome::Nothing)
            }
            Call::SetSockOpt {
                name,
                option,
                value,
            } => self.set_option(name, option, *value),
            Call::SetCongestion { name, algorithm } => {
                self.var(name)?
                    .socket
                    .set_tcp_congestion(algorithm.as_bytes())?;
                Ok(Outcome::Nothing)
            }
            Call::SetTimeout { name, seconds } => {
                let socket = &self.var(name)?.socket;
                let timeout = Duration::from_secs_f64(*seconds);
                socket.set_read_timeout(Some(timeout))?;
                socket.set_write_timeout(Some(timeout))?;
                Ok(Outcome::Nothing)
            }
            // Interface 0: the kernel takes it from its routes (eth0).
            Call::JoinGroup { name, addr, .. } => {
                self.var(name)?.socket.join_multicast_v6(addr, 0)?;
                Ok(Outcome::Nothing)
            }
        }
    }

    /// socket(): a new socket of the lesson's family, in the actor's
    /// namespace when it has one.
    fn open(&mut self, name: &str, actor: &str, kind: SockType) -> io::Result<Outcome> {
        let ty = match kind {
            SockType::Stream => Type::STREAM,
            SockType::Datagram => Type::DGRAM,
        };
        let domain = match self.addressing.family {
            Family::V4 => Domain::IPV4,
            Family::V6 => Domain::IPV6,
        };
        let socket = match self.hosts.iter().find(|(a, _)| a == actor) {
            Some((_, netns)) => netns.run(|| Socket::new(domain, ty, None))?,
            None => Socket::new(domain, ty, None)?,
        };
        self.vars.insert(
            name.to_string(),
            SockVar::new(socket, actor.to_string(), kind, self.call_timeout)?,
        );
        Ok(Outcome::Nothing)
    }

    /// send(), or sendall() (`all`): sends until every byte is taken.
    fn send(&self, name: &str, data: &Payload, all: bool) -> io::Result<Outcome> {
        let socket = &self.var(name)?.socket;
        let bytes = self.payload(data)?;
        if all {
            let mut rest = &bytes[..];
            while !rest.is_empty() {
                let n = socket.send(rest)?;
                rest = &rest[n..];
            }
            Ok(Outcome::Nothing)
        } else {
            Ok(Outcome::Sent {
                bytes: socket.send(&bytes)?,
            })
        }
    }

    /// recv(), with MSG_WAITALL when `waitall`.
    fn recv(&mut self, name: &str, bufsize: usize, waitall: bool) -> io::Result<Outcome> {
        let socket = &self.var(name)?.socket;
        let n = if waitall {
            let mut buf = vec![MaybeUninit::<u8>::uninit(); bufsize];
            let n = socket.recv_with_flags(&mut buf, libc::MSG_WAITALL)?;
            // SAFETY: recv initialised the first `n` bytes.
            self.received = buf[..n]
                .iter()
                .map(|b| unsafe { b.assume_init() })
                .collect();
            n
        } else {
            let mut buf = vec![0; bufsize];
            let n = (&*socket).read(&mut buf)?;
            buf.truncate(n);
            self.received = buf;
            n
        };
        Ok(Outcome::Received {
            data: Bytes::new(&self.received[..n]),
        })
    }

    /// recv() until the peer's FIN (end of stream), up to `MAX_RECV_ALL`.
    ///
    /// Each recv() writes straight into a chunk of memory, and the chunks
    /// are joined once the stream has ended. One growing buffer would be
    /// simpler, but growing it copies everything received so far into
    /// fresh memory (tens of milliseconds for megabytes), and meanwhile
    /// nothing reads the socket. A receiver whose program does not read
    /// does not acknowledge at once: Linux sends an ACK as data arrives
    /// only if the window it would offer has not shrunk, and otherwise
    /// leaves it to the next read or to the delayed-ACK timer (RFC 1122
    /// §4.2.3.2 allows the delay; `__tcp_ack_snd_check`). So the sender,
    /// waiting for ACKs, stalled for the length of each copy: a 15 MB
    /// transfer on the lab wire spent up to half its time in such pauses.
    fn recv_all(&mut self, name: &str, bufsize: usize) -> io::Result<Outcome> {
        let socket = &self.var(name)?.socket;
        let chunk_size = bufsize.max(RECV_ALL_CHUNK);
        let (mut full, mut chunk) = (Vec::new(), Vec::with_capacity(chunk_size));
        let (mut total, mut calls) = (0, 0);
        loop {
            if chunk.capacity() - chunk.len() < bufsize {
                full.push(std::mem::replace(
                    &mut chunk,
                    Vec::with_capacity(chunk_size),
                ));
            }
            let start = chunk.len();
            let room = &mut chunk.spare_capacity_mut()[..bufsize];
            // A wait that runs out after some bytes came says how many: the
            // peer sent, then neither more nor its FIN.
            let n = socket.recv(room).map_err(|e| match e.kind() {
                io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut if total > 0 => {
                    io::Error::new(e.kind(), PartlyReceived(total as u64))
                }
                _ => e,
            })?;
            if n == 0 {
                break;
            }
            // SAFETY: recv() initialised the first `n` bytes of the spare
            // capacity, which starts at `start`.
            unsafe { chunk.set_len(start + n) };
            calls += 1;
            total += n;
            if total > MAX_RECV_ALL {
                return Err(io::Error::other(
                    "more than 16 MiB arrived: a lesson has no use for that much",
                ));
            }
        }
        self.received = if full.is_empty() {
            chunk
        } else {
            full.push(chunk);
            full.concat()
        };
        // The events keep only the first bytes: they are all a learner is
        // shown, with the length of the whole.
        let head = &self.received[..total.min(Bytes::KEPT)];
        Ok(Outcome::ReceivedAll {
            calls,
            data: Bytes::with_len(head, total),
        })
    }

    /// recvfrom(): the datagram and its sender, kept as the socket's last.
    fn recv_from(&mut self, name: &str, bufsize: usize) -> io::Result<Outcome> {
        let var = self.var_mut(name)?;
        let mut buf = vec![MaybeUninit::<u8>::uninit(); bufsize];
        let (n, from) = var.socket.recv_from(&mut buf)?;
        // SAFETY: recv_from initialised the first `n` bytes.
        let data: Vec<u8> = buf[..n]
            .iter()
            .map(|b| unsafe { b.assume_init() })
            .collect();
        let from = from
            .as_socket()
            .ok_or_else(|| io::Error::other("sender is not IP"))?;
        var.last_sender = Some(from);
        let data_kept = Bytes::new(&data);
        self.received = data;
        Ok(Outcome::ReceivedFrom {
            data: data_kept,
            from,
        })
    }

    /// setsockopt() for the options a lesson may set.
    fn set_option(&self, name: &str, option: &SockOpt, value: i32) -> io::Result<Outcome> {
        let socket = &self.var(name)?.socket;
        match option {
            SockOpt::ReuseAddr => socket.set_reuse_address(value != 0)?,
            SockOpt::Broadcast => socket.set_broadcast(value != 0)?,
            SockOpt::RcvBuf => socket.set_recv_buffer_size(value as usize)?,
            SockOpt::SndBuf => socket.set_send_buffer_size(value as usize)?,
            SockOpt::MaxSeg => socket.set_tcp_mss(value as u32)?,
        }
        Ok(Outcome::Nothing)
    }

    fn var(&self, name: &str) -> io::Result<&SockVar> {
        self.vars
            .get(name)
            .ok_or_else(|| io::Error::other(format!("no socket `{name}`")))
    }

    fn var_mut(&mut self, name: &str) -> io::Result<&mut SockVar> {
        self.vars
            .get_mut(name)
            .ok_or_else(|| io::Error::other(format!("no socket `{name}`")))
    }

    fn resolve(&self, name: &str, peer: &Peer) -> io::Result<SocketAddr> {
        match peer {
            // Lessons only ever address the sandbox's own loopback, or
            // hosts of socklab's own lab wire.
            Peer::Socket { actor, port, .. } | Peer::Port { actor, port } => {
                Ok(SocketAddr::new(self.addressing.host(actor), *port))
            }
            Peer::Broadcast { port, .. } => match self.addressing.family {
                Family::V4 => Ok(SocketAddr::new(self.addressing.broadcast(), *port)),
                Family::V6 => Err(io::Error::other(t!("error-ipv6-broadcast"))),
            },
            // A link-local group is reached through the sender's eth0.
            Peer::Group { addr, port, .. } => {
                let eth0 = self.addressing.eth0(&self.var(name)?.actor);
                Ok(std::net::SocketAddrV6::new(*addr, *port, 0, eth0).into())
            }
            Peer::LastSender => self
                .var(name)?
                .last_sender
                .ok_or_else(|| io::Error::other(t!("error-no-last-sender"))),
        }
    }
}

/// The bytes a payload stands for. A clock payload is the local time as
/// C's ctime(3) writes it (what Python's `time.ctime()` returns), without
/// the newline: "Sun Nov 22 11:15:09 2026".
impl Sockets {
    /// The bytes a send call sends: its text, an exercise's file, or the
    /// time.
    fn payload(&self, data: &Payload) -> io::Result<Vec<u8>> {
        match &data.file {
            Some(name) => self.files.get(name).cloned().ok_or_else(|| {
                io::Error::new(io::ErrorKind::NotFound, format!("no file `{name}`"))
            }),
            None => Ok(payload(data)),
        }
    }
}

fn payload(data: &Payload) -> Vec<u8> {
    if !data.clock {
        return data.text_bytes();
    }
    // SAFETY: time/localtime_r/strftime write only into the buffers given.
    unsafe {
        let now = libc::time(std::ptr::null_mut());
        let mut tm: libc::tm = std::mem::zeroed();
        libc::localtime_r(&now, &mut tm);
        let mut buf = [0u8; 64];
        let n = libc::strftime(
            buf.as_mut_ptr().cast(),
            buf.len(),
            c"%a %b %e %H:%M:%S %Y".as_ptr(),
            &tm,
        );
        buf[..n].to_vec()
    }
}
