//! The lab wire: hosts in network namespaces of their own, joined by a
//! wire that is a socklab thread.
//!
//! ```text
//!  [host client: eth0 10.0.0.1] ══veth══ wire0 ┐
//!                                              ├─ socklab switches frames ─ capture, faults, holds
//!  [host server: eth0 10.0.0.2] ══veth══ wire1 ┘
//! ```
//!
//! Each host is a network namespace with `lo` and an Ethernet interface
//! `eth0`; its other end (`wireN`) sits in socklab's own sandbox namespace,
//! where a pnet channel reads every frame the host sends. The switch
//! thread forwards each frame to the port of its destination MAC address
//! (or to every other port of the segment for broadcasts), and that is
//! where frames are captured, dropped, duplicated, delayed, reordered or
//! corrupted. Nothing here touches the machine's own interfaces.

pub mod fault;
pub mod link;
pub mod netns;

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

use pnet::datalink::DataLinkSender;

use crate::capture::decode::decode_ethernet;
use crate::capture::{self, CaptureError, Frame};
pub use crate::lesson::NetworkSpec;
use crate::netif::{self, Offload};
pub use crate::packet::Fate;
use fault::{FaultAction, FaultPlan};
pub use netns::Netns;

/// The lab's subnet: host N (from 0) is 10.0.0.(N+1)/24. A private range
/// (RFC 1918) that exists only inside socklab's namespaces.
pub const SUBNET_PREFIX: u8 = 24;

/// How long a frame held back for reordering waits for the frame it is to
/// follow before it is delivered anyway: every wait has a bound.
const REORDER_BOUND: Duration = Duration::from_millis(500);

/// How long the port readers block before they look at their stop flag.
const POLL: Duration = Duration::from_millis(20);

/// The address of host number `index`: 10.0.0.(N+1), or over IPv6
/// fd00::(N+1), a unique local address (RFC 4193) that exists only inside
/// socklab's namespaces.
pub fn host_address(index: usize, ipv6: bool) -> IpAddr {
    if ipv6 {
        Ipv6Addr::new(0xfd00, 0, 0, 0, 0, 0, 0, index as u16 + 1).into()
    } else {
        Ipv4Addr::new(10, 0, 0, index as u8 + 1).into()
    }
}

/// Host number `index`'s link-local address, fe80::(N+1) (RFC 4291
/// §2.5.6): every IPv6 interface has one, and datagrams to a link-local
/// group leave from it. Set by socklab rather than made from the MAC, so
/// that runs print the same short address.
pub fn link_local(index: usize) -> Ipv6Addr {
    Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, index as u16 + 1)
}

/// The prefix length of the lab's IPv6 addresses.
const IPV6_PREFIX: u8 = 64;

/// The broadcast address of the lab's subnet.
pub const BROADCAST: Ipv4Addr = crate::packet::LAB_BROADCAST;

/// Locally administered, fixed per host, so that runs print the same.
fn host_mac(index: usize) -> [u8; 6] {
    [0x02, 0, 0, 0, 0, index as u8 + 1]
}

#[derive(Debug, thiserror::Error)]
pub enum WireError {
    #[error("cannot build the lab network ({step}): {source}")]
    Setup { step: String, source: io::Error },
    #[error(transparent)]
    Capture(#[from] CaptureError),
}

/// One host of the lab.
#[derive(Debug)]
pub struct Host {
    pub actor: String,
    pub addr: IpAddr,
    /// Over IPv6, the host's link-local address too.
    pub link_local: Option<Ipv6Addr>,
    /// The interface index of the host's eth0, in its own namespace: the
    /// scope of a link-local address (`ff02::1%eth0`).
    pub eth0: u32,
    pub mac: [u8; 6],
    pub netns: Arc<Netns>,
}

/// A frame as the wire delivered (or dropped) it.
#[derive(Debug, Clone)]
pub struct WireFrame {
    pub frame: Frame,
    pub fate: Fate,
}

/// The running lab: hosts and the wire between them.
pub struct Lab {
    pub hosts: Vec<Host>,
    /// The longest round trip between two hosts, cables included.
    pub round_trip: Duration,
    frames: mpsc::Receiver<WireFrame>,
    /// In hold mode: each frame as it starts to wait on the wire.
    held: mpsc::Receiver<WireFrame>,
    release: mpsc::Sender<Ingress>,
    /// The lesson's step (from 0) whose faults apply to frames now.
    step: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
}

/// A frame as a port reader hands it to the switch.
enum Ingress {
    /// A frame a port reader took off a cable.
    Frame { port: usize, data: Vec<u8> },
    /// In hold mode: the runner lets frames go. Through the same channel,
    /// so that the switch wakes for it at once.
    Release(Release),
}

impl Lab {
    /// Builds the hosts and starts the wire. The calling thread must be in
    /// socklab's sandbox namespace, which becomes the wire's.
    /// With `hold`, every IP frame waits on the wire until `release`.
    pub fn start(spec: &NetworkSpec, faults: FaultPlan, hold: bool) -> Result<Lab, WireError> {
        let setup = |step: String| move |source| WireError::Setup { step, source };
        // IPv6 would announce itself (router and neighbour solicitations)
        // on every new interface: the wire's own ends never speak it.
        write_sysctl("ipv6/conf/default/disable_ipv6", "1")
            .map_err(setup("disabling IPv6 on the wire".into()))?;
        let mut hosts = Vec::new();
        let mut interfaces = Vec::new();
        for (index, actor) in spec.hosts.iter().enumerate() {
            let netns = Netns::create().map_err(setup(format!("a namespace for {actor}")))?;
            netns
                .run(|| {
                    if spec.ipv6 {
                        quiet_ipv6()?;
                    } else {
                        write_sysctl("ipv6/conf/all/disable_ipv6", "1")?;
                        write_sysctl("ipv6/conf/default/disable_ipv6", "1")?;
                    }
                    netif::up("lo")
                })
                .map_err(setup(format!("{actor}'s loopback")))?;
            let wire_end = format!("wire{index}");
            let mac = host_mac(index);
            link::create_veth(&wire_end, "eth0", &netns, mac)
                .map_err(setup(format!("the cable to {actor}")))?;
            let addr = host_address(index, spec.ipv6);
            let local_link = spec.ipv6.then(|| link_local(index));
            let eth0 = netns
                .run(|| {
                    netif::set_mtu("eth0", spec.mtu)?;
                    match addr {
                        IpAddr::V4(v4) => netif::set_ipv4("eth0", v4, SUBNET_PREFIX)?,
                        IpAddr::V6(v6) => {
                            netif::add_ipv6("eth0", v6, IPV6_PREFIX)?;
                            netif::add_ipv6("eth0", link_local(index), IPV6_PREFIX)?;
                        }
                    }
                    // Checksums filled in by the host, segments no larger
                    // than the MTU, nothing merged on receipt: the wire
                    // carries what a real Ethernet would.
                    for offload in [
                        Offload::TxChecksum,
                        Offload::Tso,
                        Offload::Gso,
                        Offload::Gro,
                    ] {
                        netif::offload_off("eth0", offload)?;
                    }
                    for (path, value) in &spec.sysctls {
                        write_sysctl(path, value)?;
                    }
                    netif::up("eth0")?;
                    netif::index("eth0")
                })
                .map_err(setup(format!("{actor}'s eth0")))?;
            netif::set_mtu(&wire_end, spec.mtu)
                .and_then(|()| netif::up(&wire_end))
                .map_err(setup(format!("the wire's end {wire_end}")))?;
            interfaces.push(capture::find_interface(&wire_end)?);
            hosts.push(Host {
                actor: actor.clone(),
                addr,
                link_local: local_link,
                eth0,
                mac,
                netns: Arc::new(netns),
            });
        }

        let stop = Arc::new(AtomicBool::new(false));
        let step = Arc::new(AtomicUsize::new(0));
        let (input_tx, input_rx) = mpsc::channel();
        let (frame_tx, frames) = mpsc::channel();
        let (held_tx, held) = mpsc::channel();
        let release = input_tx.clone();
        let mut threads = Vec::new();
        let mut senders = Vec::new();
        for (port, interface) in interfaces.iter().enumerate() {
            let (tx, mut rx) = capture::open_channel(interface, POLL)?;
            senders.push(tx);
            let (input, stop) = (input_tx.clone(), stop.clone());
            let thread = std::thread::Builder::new()
                .name(format!("wire port {port}"))
                .spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        match rx.next() {
                            Ok(bytes) => {
                                let data = bytes.to_vec();
                                if input.send(Ingress::Frame { port, data }).is_err() {
                                    return;
                                }
                            }
                            Err(e)
                                if matches!(
                                    e.kind(),
                                    io::ErrorKind::TimedOut | io::ErrorKind::Interrupted
                                ) => {}
                            Err(_) => return,
                        }
                    }
                })
                .map_err(setup("a wire thread".into()))?;
            threads.push(thread);
        }
        let switch = Switch {
            senders,
            macs: hosts.iter().map(|h| h.mac).collect(),
            addrs: addresses(&hosts),
            segments: spec.segments.clone(),
            plan: faults,
            step: step.clone(),
            latency: spec.latency.clone(),
            cables: BinaryHeap::new(),
            sent: 0,
            delayed: Vec::new(),
            reordered: Vec::new(),
            frames: frame_tx,
            hold: hold.then(|| Hold {
                frames: VecDeque::new(),
                notices: held_tx,
                since: None,
            }),
            start: Instant::now(),
            start_wall: SystemTime::now(),
            number: 0,
        };
        let stop_flag = stop.clone();
        threads.push(
            std::thread::Builder::new()
                .name("wire switch".into())
                .spawn(move || switch.run(input_rx, stop_flag))
                .map_err(setup("the wire's switch".into()))?,
        );
        Ok(Lab {
            held,
            release,
            step,
            round_trip: round_trip(&spec.latency),
            hosts,
            frames,
            stop,
            threads,
        })
    }

    /// The lesson moves on to step `step` (from 0): the faults of that
    /// step count the frames from now on.
    pub fn set_step(&self, step: usize) {
        self.step.store(step, Ordering::Relaxed);
    }

    /// In hold mode, the next frame that started to wait on the wire,
    /// waiting at most `timeout` for one.
    pub fn next_held(&self, timeout: Duration) -> Option<WireFrame> {
        self.held.recv_timeout(timeout).ok()
    }

    /// Lets the frame that has waited longest go on.
    pub fn release(&self) {
        let _ = self.release.send(Ingress::Release(Release::One));
    }

    /// Ends hold mode: every frame waiting goes on, and the next ones are
    /// not held.
    pub fn release_all(&self) {
        let _ = self.release.send(Ingress::Release(Release::All));
    }

    /// The next frame the wire passed on (or dropped), waiting at most
    /// `timeout`.
    pub fn next_frame(&self, timeout: Duration) -> Option<WireFrame> {
        self.frames.recv_timeout(timeout).ok()
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

/// Every address of every host, with its actor.
fn addresses(hosts: &[Host]) -> Vec<(IpAddr, String)> {
    hosts
        .iter()
        .flat_map(|h| {
            std::iter::once(h.addr)
                .chain(h.link_local.map(IpAddr::V6))
                .map(|addr| (addr, h.actor.clone()))
        })
        .collect()
}

/// The actor whose host has address `ip`.
fn actor_at(addrs: &[(IpAddr, String)], ip: IpAddr) -> Option<&str> {
    addrs
        .iter()
        .find(|(addr, _)| *addr == ip)
        .map(|(_, actor)| actor.as_str())
}

/// IPv6 on a host, without the chatter of a real network that would make
/// runs differ: for interfaces made after this, no duplicate address
/// detection (RFC 4862 §5.4; the lab's addresses are unique by
/// construction), no router solicitations (there is no router), and no
/// link-local address made from the MAC (socklab sets fe80::N itself).
/// Multicast listener reports (MLD) remain: joining a group sends them.
fn quiet_ipv6() -> io::Result<()> {
    for (setting, value) in [
        ("disable_ipv6", "0"),
        ("accept_dad", "0"),
        ("router_solicitations", "0"),
        ("addr_gen_mode", "1"),
    ] {
        write_sysctl(&format!("ipv6/conf/default/{setting}"), value)?;
    }
    Ok(())
}

/// Writes `/proc/sys/net/<path>` in the calling thread's namespace.
fn write_sysctl(path: &str, value: &str) -> io::Result<()> {
    let full = format!("/proc/sys/net/{path}");
    std::fs::write(&full, value).map_err(|e| io::Error::new(e.kind(), format!("{full}: {e}")))
}

/// The wire's switch: forwards, captures, and applies faults.
struct Switch {
    senders: Vec<Box<dyn DataLinkSender>>,
    /// Port N is cabled to the host with `macs[N]`.
    macs: Vec<[u8; 6]>,
    addrs: Vec<(IpAddr, String)>,
    segments: Vec<usize>,
    plan: FaultPlan,
    /// The lesson's current step, for the faults.
    step: Arc<AtomicUsize>,
    /// Each port's cable latency.
    latency: Vec<Duration>,
    /// Frames on a cable, soonest first.
    cables: BinaryHeap<Reverse<OnCable>>,
    /// How many frames went onto cables: keeps frames due at the same
    /// instant in order.
    sent: u64,
    /// Frames to deliver later: (when, port it came from, bytes, delay).
    delayed: Vec<(Instant, usize, Vec<u8>, Duration)>,
    /// Frames held back until the next frame from the same port (or their
    /// bound): (bound, port, bytes).
    reordered: Vec<(Instant, usize, Vec<u8>)>,
    frames: mpsc::Sender<WireFrame>,
    hold: Option<Hold>,
    start: Instant,
    /// `start` as wall-clock time: a frame's time in pcap files.
    start_wall: SystemTime,
    number: usize,
}

impl Switch {
    fn run(mut self, input: mpsc::Receiver<Ingress>, stop: Arc<AtomicBool>) {
        while !stop.load(Ordering::Relaxed) {
            let now = Instant::now();
            let next_due = self
                .delayed
                .iter()
                .map(|d| d.0)
                .chain(self.reordered.iter().map(|r| r.0))
                .chain(self.cables.peek().map(|f| f.0.due))
                .filter(|_| !self.standing_still())
                .min();
            let wait = next_due
                .map(|due| due.saturating_duration_since(now))
                .unwrap_or(POLL)
                .min(POLL);
            match input.recv_timeout(wait) {
                Ok(Ingress::Release(release)) => self.release_held(release),
                Ok(Ingress::Frame { port, data }) => match self.latency_of(port) {
                    None => self.arrive(port, data),
                    Some(latency) => self.lay(latency, Towards::Switch, port, data),
                },
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
            if !self.standing_still() {
                self.deliver_due();
            }
        }
    }

    /// A frame reaches the switch: the lesson's faults decide its fate.
    /// Its time is this moment, when its sender put it on the wire, however
    /// long it then waits in hold mode for the learner; a frame the lesson
    /// delays or holds back for reordering gets the moment the wire lets it
    /// go on instead. Either way, times never go back.
    fn arrive(&mut self, port: usize, mut data: Vec<u8>) {
        let at = self.start.elapsed();
        let action = self.aimed(&data);
        match action {
            None => self.forward(port, &data, Fate::Delivered, at),
            Some(FaultAction::Drop) => self.emit(data, Fate::Dropped, at),
            Some(FaultAction::Duplicate) => {
                self.forward(port, &data, Fate::Delivered, at);
                self.forward(port, &data, Fate::Duplicate, at);
            }
            Some(FaultAction::Delay(by)) => {
                self.delayed.push((Instant::now() + by, port, data, by));
            }
            Some(FaultAction::Reorder) => {
                self.reordered
                    .push((Instant::now() + REORDER_BOUND, port, data));
                return;
            }
            Some(FaultAction::Corrupt) => {
                corrupt(&mut data);
                self.forward(port, &data, Fate::Corrupted, at);
            }
        }
        // A frame held back for reordering goes right after the next frame
        // from the same host.
        let (ready, waiting): (Vec<_>, Vec<_>) =
            self.reordered.drain(..).partition(|r| r.1 == port);
        self.reordered = waiting;
        for (_, port, data) in ready {
            let now = self.start.elapsed();
            self.forward(port, &data, Fate::Reordered, now);
        }
    }

    fn deliver_due(&mut self) {
        let now = Instant::now();
        while self.cables.peek().is_some_and(|f| f.0.due <= now) {
            let Some(Reverse(frame)) = self.cables.pop() else {
                break;
            };
            match frame.towards {
                // Faults act where a frame reaches the switch.
                Towards::Switch => self.arrive(frame.port, frame.data),
                Towards::Host => self.send(frame.port, &frame.data),
            }
        }
        let (due, later): (Vec<_>, Vec<_>) = self.delayed.drain(..).partition(|d| d.0 <= now);
        self.delayed = later;
        for (_, port, data, by) in due {
            let at = self.start.elapsed();
            self.forward(port, &data, Fate::Delayed(by), at);
        }
        let (due, later): (Vec<_>, Vec<_>) = self.reordered.drain(..).partition(|r| r.0 <= now);
        self.reordered = later;
        for (_, port, data) in due {
            let at = self.start.elapsed();
            self.forward(port, &data, Fate::Reordered, at);
        }
    }

    /// The fault (if any) aimed at this frame.
    fn aimed(&mut self, data: &[u8]) -> Option<FaultAction> {
        let packet = decode_ethernet(0, Duration::ZERO, data).ok().flatten()?;
        let from = actor_at(&self.addrs, packet.src.ip())?;
        let to = actor_at(&self.addrs, packet.dst.ip())?;
        let step = self.step.load(Ordering::Relaxed);
        self.plan.decide(step, from, to, &packet)
    }

    /// In hold mode, frames wait for the learner: the wire stands still,
    /// and nothing it delays or carries moves on meanwhile.
    fn standing_still(&self) -> bool {
        self.hold.as_ref().is_some_and(|h| h.since.is_some())
    }

    /// Passes a frame on, or in hold mode keeps it. Only the lesson's own
    /// packets wait for the learner: ARP, and IPv6's housekeeping
    /// (neighbour discovery, multicast listener reports), are not what a
    /// lesson watches, and go on at once. They must: a kernel that gets no
    /// answer to its ARP probes within a few seconds marks the neighbour
    /// unreachable and drops what it has to send there.
    fn forward(&mut self, from: usize, data: &[u8], fate: Fate, at: Duration) {
        let watched = || {
            decode_ethernet(0, Duration::ZERO, data)
                .ok()
                .flatten()
                .is_some_and(|p| {
                    !matches!(p.transport, crate::packet::Transport::Resolution { .. })
                })
        };
        let start_wall = self.start_wall;
        if self.hold.is_some()
            && watched()
            && let Some(hold) = self.hold.as_mut()
        {
            if hold.frames.is_empty() {
                hold.since = Some(Instant::now());
            }
            hold.frames.push_back(HeldFrame {
                from,
                data: data.to_vec(),
                fate,
                at,
            });
            let notice = Frame {
                number: 0,
                at,
                wall: start_wall + at,
                data: data.to_vec(),
            };
            let _ = hold.notices.send(WireFrame {
                frame: notice,
                fate,
            });
            return;
        }
        self.pass_on(from, data, fate, at);
    }

    /// Frames the runner let go, in the order they were held.
    fn release_held(&mut self, release: Release) {
        let Some(hold) = self.hold.as_mut() else {
            return;
        };
        let ready: Vec<HeldFrame> = match release {
            Release::One => hold.frames.pop_front().into_iter().collect(),
            Release::All => hold.frames.drain(..).collect(),
        };
        // The wire stood still for the learner: what it delays or carries
        // waits as long again, so that a lesson's delay means the same
        // however long the learner read (a late SYN stays later than the
        // handshake its copy completes).
        if hold.frames.is_empty()
            && let Some(since) = hold.since.take()
        {
            self.postpone(since.elapsed());
        }
        if matches!(release, Release::All) {
            self.hold = None;
        }
        for frame in ready {
            self.pass_on(frame.from, &frame.data, frame.fate, frame.at);
        }
    }

    /// Everything the wire has in store (delayed, reordered, on a cable)
    /// comes `by` later.
    fn postpone(&mut self, by: Duration) {
        for delayed in &mut self.delayed {
            delayed.0 += by;
        }
        for reordered in &mut self.reordered {
            reordered.0 += by;
        }
        self.cables = std::mem::take(&mut self.cables)
            .into_iter()
            .map(|Reverse(mut frame)| {
                frame.due += by;
                Reverse(frame)
            })
            .collect();
    }

    /// Sends a frame out of the ports it is for, and records it.
    fn pass_on(&mut self, from: usize, data: &[u8], fate: Fate, at: Duration) {
        let dst: [u8; 6] = data[..6].try_into().unwrap_or([0xff; 6]);
        let segment = self.segments.get(from).copied();
        let broadcast = dst[0] & 1 == 1;
        for port in 0..self.senders.len() {
            let to_it = port != from
                && self.segments.get(port).copied() == segment
                && (broadcast || self.macs[port] == dst);
            if to_it {
                match self.latency_of(port) {
                    None => self.send(port, data),
                    Some(latency) => self.lay(latency, Towards::Host, port, data.to_vec()),
                }
            }
        }
        self.emit(data.to_vec(), fate, at);
    }

    /// A cable's latency, if it has one.
    fn latency_of(&self, port: usize) -> Option<Duration> {
        self.latency.get(port).copied().filter(|l| !l.is_zero())
    }

    /// Puts a frame on port `port`'s cable.
    fn lay(&mut self, latency: Duration, towards: Towards, port: usize, data: Vec<u8>) {
        self.sent += 1;
        self.cables.push(Reverse(OnCable {
            due: Instant::now() + latency,
            order: self.sent,
            towards,
            port,
            data,
        }));
    }

    /// Hands a frame to the host on `port`. A frame the veth refuses (its
    /// peer is gone at the end) is lost like on any wire; the runner
    /// reports what it then misses.
    fn send(&mut self, port: usize, data: &[u8]) {
        let _ = self.senders[port].send_to(data, None);
    }

    /// Records a frame as it leaves the wire (or is dropped there), with
    /// the time `at` it reached the switch.
    fn emit(&mut self, data: Vec<u8>, fate: Fate, at: Duration) {
        self.number += 1;
        let frame = Frame {
            number: self.number,
            at,
            wall: self.start_wall + at,
            data,
        };
        let _ = self.frames.send(WireFrame { frame, fate });
    }
}

/// Hold mode: frames wait on the wire, in order, until the runner
/// releases them one by one.
struct Hold {
    frames: VecDeque<HeldFrame>,
    notices: mpsc::Sender<WireFrame>,
    /// Since when frames have waited for the learner, without a pause.
    since: Option<Instant>,
}

/// A frame waiting on the wire in hold mode.
struct HeldFrame {
    /// The port it came from.
    from: usize,
    data: Vec<u8>,
    /// What the wire did to it.
    fate: Fate,
    /// When it reached the switch.
    at: Duration,
}

/// What the runner tells a wire in hold mode.
enum Release {
    One,
    All,
}

/// A frame on its way along a cable.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct OnCable {
    due: Instant,
    order: u64,
    towards: Towards,
    port: usize,
    data: Vec<u8>,
}

#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Towards {
    /// From a host to the switch.
    Switch,
    /// From the switch to a host.
    Host,
}

/// The longest round trip between two hosts: twice the two longest cables.
fn round_trip(latency: &[Duration]) -> Duration {
    let mut sorted = latency.to_vec();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    2 * sorted.iter().take(2).sum::<Duration>()
}

/// Flips the last byte of the frame's IP packet (never Ethernet padding),
/// so that its TCP or UDP checksum no longer adds up.
fn corrupt(data: &mut [u8]) {
    let ip_len = data
        .get(16..18)
        .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])))
        .unwrap_or(0);
    let last = (14 + ip_len).min(data.len()).saturating_sub(1);
    if let Some(byte) = data.get_mut(last) {
        *byte ^= 0xff;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn a_round_trip_crosses_the_two_longest_cables_twice() {
        assert_eq!(round_trip(&[ms(0), ms(0)]), ms(0));
        assert_eq!(round_trip(&[ms(0), ms(20)]), ms(40));
        assert_eq!(round_trip(&[ms(5), ms(20), ms(10)]), ms(60));
        assert_eq!(round_trip(&[ms(7)]), ms(14));
    }
}
