//! What a lesson declares of its network: the lab wire's hosts and cables,
//! and the faults the wire applies to chosen frames. Data only: the wire
//! (`crate::wire`) builds and runs it.

use std::net::Ipv6Addr;
use std::time::Duration;

use super::Expectation;

/// What a lesson asks of the lab network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkSpec {
    /// The hosts, in order; each is one of the lesson's actors.
    pub hosts: Vec<String>,
    /// Which segment each host is cabled to (hosts on different segments
    /// cannot reach each other: there is no router).
    pub segments: Vec<usize>,
    pub mtu: u32,
    /// How long a frame takes along each host's cable, in the hosts'
    /// order: from host A to host B a frame takes A's plus B's. socklab
    /// captures at the switch, between the two cables, so a capture next to
    /// one host is a lab whose other hosts have all the latency.
    pub latency: Vec<Duration>,
    /// Every frame waits on the wire until the learner lets it go.
    pub hold: bool,
    /// Kernel settings per host, as (path under /proc/sys/net, value).
    pub sysctls: Vec<(String, String)>,
    /// The hosts speak IPv6 (and not IPv4): for lessons about IPv6 itself.
    pub ipv6: bool,
    /// Named IPv6 multicast groups a lesson's hosts may join, all of
    /// link-local scope (ff02::/16) so that nothing is meant to leave the
    /// wire.
    pub groups: Vec<(String, Ipv6Addr)>,
}

/// What the wire does to a chosen frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultAction {
    /// The frame never reaches the other side.
    Drop,
    /// The frame is delivered twice.
    Duplicate,
    /// The frame is delivered this much later.
    Delay(Duration),
    /// The frame is held back and delivered right after the next frame in
    /// the same direction.
    Reorder,
    /// One byte of the frame is flipped; the receiver's checksum check
    /// must then throw it away.
    Corrupt,
}

/// Which of the matching frames a fault hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// Only the n-th (from 1).
    Nth(u32),
    /// The n-th, 2n-th, 3n-th, ….
    Every(u32),
    /// `count` in a row, from the n-th: a burst of losses.
    Run { first: u32, count: u32 },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub action: FaultAction,
    /// The frames it is aimed at, written like a step's expectation.
    pub frames: Expectation,
    pub which: Which,
    /// The step (from 0) whose frames it counts: from the start of that
    /// step's calls to the start of the next step's. Counting from the
    /// lesson's start would let a slow learner move the hit: a kernel that
    /// resends while a frame is held adds frames of the same kind.
    pub step: usize,
}
