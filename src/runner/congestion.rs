//! Reading a TCP socket's congestion control from its kernel
//! (`getsockopt(TCP_INFO)`), at moments that are the same in every run.
//!
//! The kernel's numbers change with every ACK, microseconds apart within a
//! round trip; a reading taken "when the capture sees a packet" would land
//! a few ACKs early or late from run to run. So a step that shows the
//! congestion view reads the kernel only when the sender's connection is
//! quiet, between round trips, where nothing is about to change:
//!
//! 1. no frame has reached the runner for half a round trip (the lesson's
//!    wire has a latency of tens of milliseconds, so round trips are far
//!    apart, while the frames of one round come within a millisecond);
//! 2. the wire's switch is asleep with nothing overdue ([`Lab::idle`]): it
//!    is not merely late, with frames waiting for it;
//! 3. the kernel's own counts of the segments the socket sent and received
//!    (`tcpi_segs_out`, `tcpi_segs_in`) are exactly those the capture has
//!    seen: the reading belongs right after the last packet shown. The
//!    sender's host is next to the capture point (`socklab check` requires
//!    its cable to have no latency), so nothing of its own is on the way.
//!
//! The kernel's state after a given sequence of packets is the same every
//! run (for Reno: integer arithmetic on ACKs counted), so readings taken
//! this way are the same every run; CUBIC's window also depends on the
//! kernel's clock, and its readings say so.
//!
//! [`Lab::idle`]: crate::wire::Lab::idle

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use crate::kernel::TcpInfo;
use crate::packet::{Fate, Packet, Transport};

/// Frames the capture saw on one direction of a TCP connection.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Count {
    /// Put on the wire by the source (a copy the wire made is not).
    sent: u32,
    /// Handed to the destination (not dropped, not corrupted: a corrupted
    /// frame fails its checksum before TCP counts it).
    delivered: u32,
}

/// The congestion readings of a run: what the capture has seen, each
/// socket's last reading, and whether a reading is due.
#[derive(Debug, Default)]
pub(super) struct Readings {
    counts: HashMap<(SocketAddr, SocketAddr), Count>,
    /// Each socket's readings so far and its last one, by name, with the
    /// connection it was read on (a name may be reused for a new socket).
    last: BTreeMap<String, (usize, (SocketAddr, SocketAddr), TcpInfo)>,
    /// The connection of the socket the step watches (local, peer).
    watched: Option<(SocketAddr, SocketAddr)>,
    /// Frames of the watched connection came since its last reading.
    pending: bool,
    /// When the capture saw the watched connection's last frame, put off
    /// by each reading that could not be taken yet (`later`).
    last_frame: Option<Instant>,
    /// When the capture saw the watched connection's last frame.
    seen: Option<Instant>,
    /// How long the wire must be silent before the kernel is read.
    quiet: Duration,
    /// The number of the last frame the capture saw.
    frame: usize,
}

impl Readings {
    /// A step starts: it watches the connection `(local, peer)` (or none),
    /// read after `quiet` without frames.
    pub(super) fn watch(&mut self, connection: Option<(SocketAddr, SocketAddr)>, quiet: Duration) {
        self.watched = connection;
        self.quiet = quiet;
        self.pending = false;
        self.last_frame = None;
        self.seen = None;
    }

    /// A frame the capture saw at `captured`, with what the wire did to it.
    pub(super) fn see(&mut self, number: usize, packet: &Packet, fate: Fate, captured: Instant) {
        self.frame = number;
        if !matches!(packet.transport, Transport::Tcp(_)) {
            return;
        }
        let count = self.counts.entry((packet.src, packet.dst)).or_default();
        if fate != Fate::Duplicate {
            count.sent += 1;
        }
        if !matches!(fate, Fate::Dropped | Fate::Corrupted) {
            count.delivered += 1;
        }
        if let Some((local, peer)) = self.watched
            && ((packet.src, packet.dst) == (local, peer)
                || (packet.src, packet.dst) == (peer, local))
        {
            self.pending = true;
            self.last_frame = Some(captured);
            self.seen = Some(captured);
        }
    }

    /// How long the runner may wait for the next frame before it is time
    /// to read the kernel (`None`: no reading is due).
    pub(super) fn due_in(&self) -> Option<Duration> {
        if !self.pending {
            return None;
        }
        let last = self.last_frame?;
        Some((last + self.quiet).saturating_duration_since(Instant::now()))
    }

    /// A reading could not be taken (the capture or the wire had not caught
    /// up): try again a little later.
    pub(super) fn later(&mut self) {
        if let Some(last) = self.last_frame.as_mut() {
            *last += Duration::from_millis(2);
        }
    }

    /// The socket cannot be read (it is gone): no reading is due.
    pub(super) fn give_up(&mut self) {
        self.pending = false;
    }

    /// Whether a reading is due and the wire has been quiet long enough.
    pub(super) fn due_now(&self) -> bool {
        self.due_in().is_some_and(|d| d.is_zero())
    }

    /// Whether a reading is due and the watched connection has been silent
    /// for less than `bound`: until then, whether the step is over waits.
    pub(super) fn holds_settle(&self, bound: Duration) -> bool {
        self.pending && self.seen.is_some_and(|seen| seen.elapsed() < bound)
    }

    /// Whether frames of the watched connection came since its last
    /// reading.
    pub(super) fn pending(&self) -> bool {
        self.pending
    }

    /// The number of the last frame the capture saw.
    pub(super) fn frame(&self) -> usize {
        self.frame
    }

    /// Whether `info`, read from the socket at `local` connected to `peer`,
    /// counts the same segments as the capture. An accepted socket does
    /// not count its SYN-ACK: the listener's request socket sent it.
    pub(super) fn in_step(
        &self,
        info: &TcpInfo,
        local: SocketAddr,
        peer: SocketAddr,
        accepted: bool,
    ) -> bool {
        let out = self.counts.get(&(local, peer)).copied().unwrap_or_default();
        let back = self.counts.get(&(peer, local)).copied().unwrap_or_default();
        let sent = out.sent.saturating_sub(u32::from(accepted));
        info.segs_out == sent && info.segs_in == back.delivered
    }

    /// Records a reading of socket `name`, on `(local, peer)`: its number
    /// (from 1), and the reading before it on the same connection.
    pub(super) fn record(
        &mut self,
        name: &str,
        connection: (SocketAddr, SocketAddr),
        info: &TcpInfo,
    ) -> (usize, Option<TcpInfo>) {
        let before = self.last.get(name).filter(|(_, c, _)| *c == connection);
        let number = before.map_or(1, |(n, ..)| n + 1);
        let before = before.map(|(.., info)| info.clone());
        self.last
            .insert(name.to_string(), (number, connection, info.clone()));
        if Some(connection) == self.watched {
            self.pending = false;
        }
        (number, before)
    }

    /// The last reading of socket `name`, if the kernel still says the
    /// same (hold mode shows a reading only when something changed).
    pub(super) fn unchanged(&self, name: &str, info: &TcpInfo) -> bool {
        self.last.get(name).is_some_and(|(.., last)| {
            (
                last.ca_state,
                last.cwnd,
                last.ssthresh,
                last.unacked,
                last.sacked,
                last.lost,
                last.retrans,
            ) == (
                info.ca_state,
                info.cwnd,
                info.ssthresh,
                info.unacked,
                info.sacked,
                info.lost,
                info.retrans,
            )
        })
    }
}
