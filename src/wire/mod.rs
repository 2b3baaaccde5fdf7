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
//! where a packet socket with a memory-mapped ring ([`port`]) receives
//! every frame the host sends. One switch thread serves every port: it
//! takes frames from the rings in the order they arrived, forwards each to
//! the port of its destination MAC address (or to every other port of the
//! segment for broadcasts), and that is where frames are captured,
//! dropped, duplicated, delayed, reordered or corrupted. Nothing here
//! touches the machine's own interfaces.

mod batch;
pub(crate) mod corrupt;
pub mod fault;
pub mod link;
pub mod netns;
mod outbox;
pub mod port;

use std::cell::RefCell;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

use crate::capture::decode::decode_ethernet;
use crate::capture::{CaptureError, Frame};
pub use crate::lesson::NetworkSpec;
use crate::netif::{self, Offload};
pub use crate::packet::Fate;
use crate::t;
use batch::{Batch, Recorder};
use fault::{FaultAction, FaultPlan};
use link::LinkWatch;
pub use netns::Netns;
use outbox::Outbox;
use port::{Port, Wake};

/// The lab's subnet: host N (from 0) is 10.0.0.(N+1)/24. A private range
/// (RFC 1918) that exists only inside socklab's namespaces.
pub const SUBNET_PREFIX: u8 = 24;

/// How long a frame held back for reordering waits for the frame it is to
/// follow before it is delivered anyway: every wait has a bound.
const REORDER_BOUND: Duration = Duration::from_millis(500);

/// How long the lab waits for the kernel to say a host's eth0 is up. The
/// kernel's worker does it within milliseconds, even on a busy machine.
const LINK_UP_BOUND: Duration = Duration::from_secs(5);

/// The longest the switch waits for a frame before it looks at its stop
/// flag again (a stop or a release also wakes it at once).
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
    #[error("{}", t!("error-lab-network", step = .step.as_str(), error = .source.to_string()))]
    Setup { step: String, source: io::Error },
    #[error(transparent)]
    Capture(#[from] CaptureError),
}

/// A failure to build the lab at `step` (a sentence of the catalogue).
fn setup(step: String) -> impl FnOnce(io::Error) -> WireError {
    move |source| WireError::Setup { step, source }
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
    frames: mpsc::Receiver<Batch>,
    /// The frames of the last batch that the runner has not taken yet.
    unpacked: RefCell<VecDeque<WireFrame>>,
    /// In hold mode: each frame as it starts to wait on the wire.
    held: mpsc::Receiver<WireFrame>,
    /// The lesson's step (from 0) whose faults apply to frames now.
    step: Arc<AtomicUsize>,
    /// In hold mode: the runner lets frames go (and rings `wake`, so that
    /// the switch sees it at once).
    release: mpsc::Sender<Release>,
    wake: Arc<Wake>,
    /// Frames the wire lost without a fault: ring overflows counted by the
    /// kernel, and frames too long for a ring's slot.
    lost: Arc<AtomicU64>,
    /// While the switch sleeps with nothing to do before then: when it
    /// wakes, in nanoseconds since `start` (0 while it works).
    asleep_until: Arc<AtomicU64>,
    start: Instant,
    /// Asking the switch whether it is idle: the runner raises `asked` and
    /// rings `wake`; the switch copies it into `idle` at a moment when
    /// nothing waits in its rings, on a cable, delayed, held back or held,
    /// with every frame it took sent to the runner (see `Lab::settled`).
    asked: Arc<AtomicU64>,
    idle: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    switch: Option<JoinHandle<()>>,
}

impl Lab {
    /// Builds the hosts and starts the wire. The calling thread must be in
    /// socklab's sandbox namespace, which becomes the wire's.
    /// With `hold`, every IP frame waits on the wire until `release`.
    pub fn start(spec: &NetworkSpec, faults: FaultPlan, hold: bool) -> Result<Lab, WireError> {
        // IPv6 would announce itself (router and neighbour solicitations)
        // on every new interface: the wire's own ends never speak it.
        write_sysctl("ipv6/conf/default/disable_ipv6", "1")
            .map_err(setup(t!("lab-step-ipv6-off")))?;
        let mut hosts = Vec::new();
        let mut ports = Vec::new();
        for (index, actor) in spec.hosts.iter().enumerate() {
            let (host, port) = Lab::cable_host(spec, index, actor)?;
            hosts.push(host);
            ports.push(port);
        }

        let stop = Arc::new(AtomicBool::new(false));
        let step = Arc::new(AtomicUsize::new(0));
        let wake = Arc::new(Wake::new().map_err(setup(t!("lab-step-wake")))?);
        let lost = Arc::new(AtomicU64::new(0));
        let asleep_until = Arc::new(AtomicU64::new(0));
        let start = Instant::now();
        let asked = Arc::new(AtomicU64::new(0));
        let idle = Arc::new(AtomicU64::new(0));
        let (frame_tx, frames) = mpsc::channel();
        let (held_tx, held) = mpsc::channel();
        let (release, releases) = mpsc::channel();
        let switch = Switch {
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
            recorder: Recorder::new(),
            outbox: Outbox::new(),
            hold: hold.then(|| Hold {
                frames: VecDeque::new(),
                notices: held_tx,
                since: None,
            }),
            start,
            start_wall: SystemTime::now(),
            number: 0,
            latest: Duration::ZERO,
        };
        let signals = Signals {
            releases,
            wake: wake.clone(),
            stop: stop.clone(),
            lost: lost.clone(),
            asleep_until: asleep_until.clone(),
            asked: asked.clone(),
            idle: idle.clone(),
        };
        let switch = std::thread::Builder::new()
            .name("wire switch".into())
            .spawn(move || switch.run(ports, signals))
            .map_err(setup(t!("lab-step-switch")))?;
        Ok(Lab {
            held,
            step,
            release,
            wake,
            lost,
            asleep_until,
            start,
            asked,
            idle,
            round_trip: round_trip(&spec.latency),
            hosts,
            frames,
            unpacked: RefCell::new(VecDeque::new()),
            stop,
            switch: Some(switch),
        })
    }

    /// Host number `index`, `actor`: its namespace with `lo` and `eth0`
    /// (address, MTU, offloads off, the lesson's sysctls), cabled to the
    /// wire end `wireN` in socklab's namespace, and the switch's port on
    /// that end.
    fn cable_host(
        spec: &NetworkSpec,
        index: usize,
        actor: &str,
    ) -> Result<(Host, Port), WireError> {
        let netns = Netns::create().map_err(setup(t!("lab-step-namespace", actor = actor)))?;
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
            .map_err(setup(t!("lab-step-loopback", actor = actor)))?;
        let wire_end = format!("wire{index}");
        let mac = host_mac(index);
        link::create_veth(&wire_end, "eth0", &netns, mac)
            .map_err(setup(t!("lab-step-cable", actor = actor)))?;
        let addr = host_address(index, spec.ipv6);
        let local_link = spec.ipv6.then(|| link_local(index));
        let (eth0, mut link_watch) = netns
            .run(|| {
                let watch = LinkWatch::subscribe()?;
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
                Ok((netif::index("eth0")?, watch))
            })
            .map_err(setup(t!("lab-step-eth0", actor = actor)))?;
        let ifindex = netif::set_mtu(&wire_end, spec.mtu)
            .and_then(|()| netif::up(&wire_end))
            .and_then(|()| netif::index(&wire_end))
            .map_err(setup(t!("lab-step-wire-end", end = wire_end.as_str())))?;
        // With both ends up the cable has carrier; eth0 can carry frames
        // once the kernel has said so (see `LinkWatch`). The switch's end
        // needs no such wait: its port sends past the queues
        // (PACKET_QDISC_BYPASS).
        link_watch
            .wait_until_up(eth0, LINK_UP_BOUND)
            .map_err(setup(t!("lab-step-link-up", actor = actor)))?;
        let port = Port::open(&wire_end, ifindex, spec.mtu)?;
        let host = Host {
            actor: actor.to_string(),
            addr,
            link_local: local_link,
            eth0,
            mac,
            netns: Arc::new(netns),
        };
        Ok((host, port))
    }

    /// The lesson moves on to step `step` (from 0): the faults of that
    /// step count the frames from now on.
    pub fn set_step(&self, step: usize) {
        self.step.store(step, Ordering::Relaxed);
    }

    /// In hold mode, the next frame that started to wait on the wire (and
    /// what the lesson's wire did to it first), waiting at most `timeout`
    /// for one.
    pub fn next_held(&self, timeout: Duration) -> Option<WireFrame> {
        self.held.recv_timeout(timeout).ok()
    }

    /// Lets the frame that has waited longest go on.
    pub fn release(&self) {
        let _ = self.release.send(Release::One);
        self.wake.ring();
    }

    /// Ends hold mode: every frame waiting goes on, and the next ones are
    /// not held.
    pub fn release_all(&self) {
        let _ = self.release.send(Release::All);
        self.wake.ring();
    }

    /// How many frames the wire has lost so far without a lesson's fault
    /// saying so: frames its rings had no room for. Zero unless the
    /// machine could not keep up.
    pub fn lost(&self) -> u64 {
        self.lost.load(Ordering::Relaxed)
    }

    /// Whether the wire is idle now: its switch sleeps, with every frame it
    /// was given passed on and recorded, and wakes only later (a frame on a
    /// cable not due yet). A switch that the machine keeps from running is
    /// not idle: frames may wait for it. Used to read a kernel between
    /// round trips, when nothing is on its way to the capture.
    pub fn idle(&self) -> bool {
        let until = self.asleep_until.load(Ordering::Acquire);
        until != 0 && Duration::from_nanos(until) > self.start.elapsed()
    }

    /// The moment a frame stamped `at` (since the capture started) was
    /// captured.
    pub fn captured_at(&self, at: Duration) -> Instant {
        self.start + at
    }

    /// Asks the switch to say when it is next idle: nothing in its rings,
    /// on a cable, delayed, held back for reordering or held for the
    /// learner, and every frame it took sent to the runner. Returns the
    /// question's number, for `idle_since`.
    pub fn ask_idle(&self) -> u64 {
        let asked = self.asked.fetch_add(1, Ordering::AcqRel) + 1;
        self.wake.ring();
        asked
    }

    /// Whether the switch has been idle since question `asked` (and, so,
    /// every frame that reached its rings before it has been recorded and
    /// sent to the runner's channel, where `has_frames` finds it).
    pub fn idle_since(&self, asked: u64) -> bool {
        self.idle.load(Ordering::Acquire) >= asked
    }

    /// Whether frames the switch sent wait to be taken by `next_frame`.
    pub fn has_frames(&self) -> bool {
        let mut unpacked = self.unpacked.borrow_mut();
        while let Ok(batch) = self.frames.try_recv() {
            unpacked.extend(batch.frames());
        }
        !unpacked.is_empty()
    }

    /// The next frame the wire passed on (or dropped), waiting at most
    /// `timeout`.
    pub fn next_frame(&self, timeout: Duration) -> Option<WireFrame> {
        let mut unpacked = self.unpacked.borrow_mut();
        if unpacked.is_empty() {
            let batch = self.frames.recv_timeout(timeout).ok()?;
            unpacked.extend(batch.frames());
        }
        unpacked.pop_front()
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        self.wake.ring();
        if let Some(switch) = self.switch.take() {
            // The switch closes its ports (sockets and rings) as it ends.
            let _ = switch.join();
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

/// What reaches the switch besides frames: the runner's releases, the
/// stop flag, and the wake-up that goes with both; and where it counts
/// the frames it lost.
struct Signals {
    releases: mpsc::Receiver<Release>,
    wake: Arc<Wake>,
    stop: Arc<AtomicBool>,
    lost: Arc<AtomicU64>,
    /// When the sleeping switch wakes (see `Lab::idle`).
    asleep_until: Arc<AtomicU64>,
    asked: Arc<AtomicU64>,
    idle: Arc<AtomicU64>,
}

/// The wire's switch: forwards, captures, and applies faults. Its ports
/// are passed to each method that sends, since a frame being read is
/// still in its port's ring.
struct Switch {
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
    frames: mpsc::Sender<Batch>,
    /// Frames recorded and not yet sent to the runner.
    recorder: Recorder,
    /// Frames on their way out of a port, not yet handed to the kernel.
    outbox: Outbox,
    hold: Option<Hold>,
    start: Instant,
    /// The wall clock at `start`: a frame's wall-clock time is this plus
    /// its time since `start` (one clock read per frame, not two).
    start_wall: SystemTime,
    number: usize,
    /// `WIRE_DEBUG`: the longest a frame on a cable waited past its due
    /// time for the switch to deliver it.
    latest: Duration,
}

impl Switch {
    /// Serves the ports until the stop flag is set. Each turn takes every
    /// frame waiting in the rings, oldest first, then sleeps in ppoll(2)
    /// until a ring has a frame, the runner rings, or a frame on a cable
    /// is due (bounded by `POLL`). packet_mmap.rst: looking at a ring's
    /// status before poll() "doesn't incur in a race condition".
    fn run(mut self, mut ports: Vec<Port>, signals: Signals) {
        ahead_of_other_work();
        let mut polled: Vec<libc::pollfd> = ports
            .iter()
            .map(|p| p.fd())
            .chain(std::iter::once(signals.wake.fd()))
            .map(|fd| libc::pollfd {
                fd,
                events: libc::POLLIN,
                revents: 0,
            })
            .collect();
        let mut lost = 0;
        while !signals.stop.load(Ordering::Relaxed) {
            self.take_releases(&ports, &signals.releases);
            self.take_waiting(&mut ports, &signals, &mut lost);
            self.deliver_due(&ports);
            // The hosts answer what they are sent inside the send: only
            // then do the rings say whether anything is left to do.
            self.outbox.send(&ports);
            if ports.iter().any(|p| p.peek().is_some()) {
                continue;
            }
            self.flush();
            // Frames the rings had no room for, counted by the kernel
            // (cheap enough before each wait; under a stream the rings
            // flag it on the frames themselves).
            for port in &ports {
                lost += port.take_drops();
            }
            signals.lost.store(lost, Ordering::Relaxed);
            // Idle: the rings are empty (above), every frame recorded has
            // gone to the runner (flush), and nothing waits in the switch.
            // The question is read before the rings are looked at again,
            // so a frame that came after it keeps the answer back.
            let asked = signals.asked.load(Ordering::Acquire);
            if self.store_empty() && ports.iter().all(|p| p.peek().is_none()) {
                signals.idle.store(asked, Ordering::Release);
            }
            self.sleep(&ports, &mut polled, &signals);
        }
        self.outbox.send(&ports);
        self.flush();
        if std::env::var_os("WIRE_DEBUG").is_some() {
            self.report_cpu();
        }
        for port in &ports {
            lost += port.take_drops();
        }
        signals.lost.store(lost, Ordering::Relaxed);
        // Dropping the ports closes their sockets and unmaps their rings.
        ports.clear();
    }

    /// Deals with every frame waiting in the rings, in the order they
    /// reached the switch across ports (the kernel stamped each as it put
    /// it in a ring), and after each, with releases sent meanwhile and
    /// frames whose time on a cable is up.
    fn take_waiting(&mut self, ports: &mut [Port], signals: &Signals, lost: &mut u64) {
        while let Some(index) = earliest(ports) {
            if let Some(frame) = ports[index].peek() {
                if frame.losing {
                    *lost += ports[index].take_drops();
                }
                if frame.truncated {
                    *lost += 1;
                } else {
                    self.reach(ports, index, frame.data);
                }
            }
            let slot = ports[index].pass();
            self.outbox.done_with(ports, index, slot);
            signals.lost.store(*lost, Ordering::Relaxed);
            self.take_releases(ports, &signals.releases);
            self.deliver_due(ports);
            if signals.stop.load(Ordering::Relaxed) {
                break;
            }
        }
    }

    /// Nothing waits in the rings and everything is recorded (and sent to
    /// the runner): asleep until the next frame on a cable is due, unless
    /// a frame or the runner wakes it first.
    fn sleep(&self, ports: &[Port], polled: &mut [libc::pollfd], signals: &Signals) {
        let wait = self
            .next_due()
            .map(|due| due.saturating_duration_since(Instant::now()))
            .unwrap_or(POLL)
            .min(POLL);
        let timeout = libc::timespec {
            tv_sec: wait.as_secs() as libc::time_t,
            tv_nsec: wait.subsec_nanos().into(),
        };
        for p in polled.iter_mut() {
            p.revents = 0;
        }
        let until = self.start.elapsed() + wait;
        signals
            .asleep_until
            .store((until.as_nanos() as u64).max(1), Ordering::Release);
        // SAFETY: `polled` and `timeout` outlive the call; the length
        // passed is `polled`'s. ppoll, not poll: a cable's latency is
        // kept to the microsecond, not rounded up to milliseconds.
        let ready = unsafe {
            libc::ppoll(
                polled.as_mut_ptr(),
                polled.len() as libc::nfds_t,
                &timeout,
                std::ptr::null(),
            )
        };
        signals.asleep_until.store(0, Ordering::Release);
        if ready <= 0 {
            // A timeout, or EINTR: the caller looks again.
            return;
        }
        for (port, p) in ports.iter().zip(polled.iter()) {
            if p.revents & libc::POLLERR != 0 {
                port.clear_error();
            }
        }
        if polled.last().is_some_and(|p| p.revents & libc::POLLIN != 0) {
            signals.wake.clear();
        }
    }

    /// `WIRE_DEBUG`: the switch thread's CPU time per frame, on standard
    /// error (what `scripts/bench-wire.sh`'s figures come down to).
    fn report_cpu(&self) {
        // SAFETY: getrusage fills the plain struct it is given.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        unsafe { libc::getrusage(libc::RUSAGE_THREAD, &mut usage) };
        let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
        let cpu = seconds(usage.ru_utime) + seconds(usage.ru_stime);
        eprintln!(
            "DEBUG cpu {:.1} ms frames {} us/frame {:.2} nivcsw {} latest {:.3} ms",
            cpu * 1e3,
            self.number,
            cpu * 1e6 / self.number.max(1) as f64,
            usage.ru_nivcsw,
            self.latest.as_secs_f64() * 1e3
        );
    }

    /// The releases the runner has sent, in order.
    fn take_releases(&mut self, ports: &[Port], releases: &mpsc::Receiver<Release>) {
        while let Ok(release) = releases.try_recv() {
            self.release_held(ports, release);
        }
    }

    /// A frame reaches the switch from port `port`: along its cable first,
    /// if the cable is long.
    fn reach(&mut self, ports: &[Port], port: usize, data: &[u8]) {
        match self.latency_of(port) {
            None => self.arrive(ports, port, data),
            Some(latency) => self.lay(latency, Towards::Switch, port, data.to_vec()),
        }
    }

    /// Nothing on a cable, delayed, held back for reordering, or held for
    /// the learner.
    fn store_empty(&self) -> bool {
        self.cables.is_empty()
            && self.delayed.is_empty()
            && self.reordered.is_empty()
            && self.hold.as_ref().is_none_or(|h| h.frames.is_empty())
    }

    /// When the next frame on a cable, delayed or held back is due (none
    /// while the wire stands still for the learner).
    fn next_due(&self) -> Option<Instant> {
        if self.standing_still() {
            return None;
        }
        self.delayed
            .iter()
            .map(|d| d.0)
            .chain(self.reordered.iter().map(|r| r.0))
            .chain(self.cables.peek().map(|f| f.0.due))
            .min()
    }

    /// A frame reaches the switch: the lesson's faults decide its fate.
    /// Its time is this moment, when its sender put it on the wire, however
    /// long it then waits in hold mode for the learner; a frame the lesson
    /// delays or holds back for reordering gets the moment the wire lets it
    /// go on instead. Either way, times never go back.
    fn arrive(&mut self, ports: &[Port], port: usize, data: &[u8]) {
        let at = self.start.elapsed();
        let action = self.aimed(data);
        match action {
            None => self.forward(ports, port, data, Fate::Delivered, at),
            Some(FaultAction::Drop) => self.emit(data, Fate::Dropped, at),
            Some(FaultAction::Duplicate) => {
                self.forward(ports, port, data, Fate::Delivered, at);
                self.forward(ports, port, data, Fate::Duplicate, at);
            }
            Some(FaultAction::Delay(by)) => {
                self.delayed
                    .push((Instant::now() + by, port, data.to_vec(), by));
            }
            Some(FaultAction::Reorder) => {
                self.reordered
                    .push((Instant::now() + REORDER_BOUND, port, data.to_vec()));
                return;
            }
            Some(FaultAction::Corrupt) => {
                let mut data = data.to_vec();
                let fate = match corrupt::corrupt(&mut data) {
                    Some(_) => Fate::Corrupted,
                    // Nothing in it that a checksum covers (faults aim at
                    // TCP, UDP and ICMP, so only a UDP datagram sent
                    // without a checksum): it goes on as it was, and the
                    // ladder does not claim otherwise.
                    None => Fate::Delivered,
                };
                self.forward(ports, port, &data, fate, at);
            }
        }
        // A frame held back for reordering goes right after the next frame
        // from the same host.
        if self.reordered.is_empty() {
            return;
        }
        let (ready, waiting): (Vec<_>, Vec<_>) =
            self.reordered.drain(..).partition(|r| r.1 == port);
        self.reordered = waiting;
        for (_, port, data) in ready {
            let now = self.start.elapsed();
            self.forward(ports, port, &data, Fate::Reordered, now);
        }
    }

    fn deliver_due(&mut self, ports: &[Port]) {
        let idle = self.cables.is_empty() && self.delayed.is_empty() && self.reordered.is_empty();
        if idle || self.standing_still() {
            return;
        }
        let now = Instant::now();
        while self.cables.peek().is_some_and(|f| f.0.due <= now) {
            let Some(Reverse(frame)) = self.cables.pop() else {
                break;
            };
            self.latest = self.latest.max(now - frame.due);
            match frame.towards {
                // Faults act where a frame reaches the switch.
                Towards::Switch => self.arrive(ports, frame.port, &frame.data),
                Towards::Host => self.outbox.push(ports, frame.port, &frame.data),
            }
            self.outbox.send(ports);
            // A host answers what it was handed inside that send (its
            // kernel's softirq runs there): its answer reaches the switch
            // before the next frame due, however late the switch is with
            // a burst. So a fast retransmission is seen right after the
            // duplicate ACK that set it off, every run, and not after the
            // rest of the burst only when the machine is slow.
            if ports.iter().any(|p| p.peek().is_some()) {
                return;
            }
        }
        let (due, later): (Vec<_>, Vec<_>) = self.delayed.drain(..).partition(|d| d.0 <= now);
        self.delayed = later;
        for (_, port, data, by) in due {
            let at = self.start.elapsed();
            self.forward(ports, port, &data, Fate::Delayed(by), at);
        }
        let (due, later): (Vec<_>, Vec<_>) = self.reordered.drain(..).partition(|r| r.0 <= now);
        self.reordered = later;
        for (_, port, data) in due {
            let at = self.start.elapsed();
            self.forward(ports, port, &data, Fate::Reordered, at);
        }
    }

    /// The fault (if any) aimed at this frame. A lesson without faults
    /// decodes nothing here.
    fn aimed(&mut self, data: &[u8]) -> Option<FaultAction> {
        if self.plan.is_empty() {
            return None;
        }
        let packet = decode_ethernet(0, Duration::ZERO, data).ok().flatten()?;
        let from = actor_at(&self.addrs, packet.src.ip())?;
        let to = actor_at(&self.addrs, packet.dst.ip())?;
        let step = self.step.load(Ordering::Relaxed);
        self.plan.decide(step, from, to, &packet)
    }

    /// Passes a frame on, or in hold mode keeps it. Only the lesson's own
    /// packets are held: ARP, and IPv6's housekeeping (neighbour discovery,
    /// multicast listener reports), are not what a lesson watches.
    fn forward(&mut self, ports: &[Port], from: usize, data: &[u8], fate: Fate, at: Duration) {
        let watched = || {
            decode_ethernet(0, Duration::ZERO, data)
                .ok()
                .flatten()
                .is_some_and(|p| {
                    !matches!(p.transport, crate::packet::Transport::Resolution { .. })
                })
        };
        if self.hold.is_some() && watched() {
            // Every frame passed on before this one reaches its host, and
            // the runner, before the notice does.
            self.outbox.send(ports);
            self.flush();
            let notice = Frame {
                number: 0,
                at,
                wall: self.start_wall + at,
                data: data.to_vec(),
            };
            if let Some(hold) = self.hold.as_mut() {
                if hold.frames.is_empty() {
                    hold.since = Some(Instant::now());
                }
                hold.frames.push_back(HeldFrame {
                    from,
                    data: data.to_vec(),
                    fate,
                    at,
                });
                let _ = hold.notices.send(WireFrame {
                    frame: notice,
                    fate,
                });
            }
            return;
        }
        self.pass_on(ports, from, data, fate, at);
    }

    /// In hold mode, frames wait for the learner: the wire stands still,
    /// and nothing it delays or carries moves on meanwhile.
    fn standing_still(&self) -> bool {
        self.hold.as_ref().is_some_and(|h| h.since.is_some())
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

    /// Frames the runner let go, in the order they were held.
    fn release_held(&mut self, ports: &[Port], release: Release) {
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
            self.pass_on(ports, frame.from, &frame.data, frame.fate, frame.at);
        }
        self.outbox.send(ports);
    }

    /// Sends a frame out of the ports it is for, and records it.
    fn pass_on(&mut self, ports: &[Port], from: usize, data: &[u8], fate: Fate, at: Duration) {
        let dst: [u8; 6] = data[..6].try_into().unwrap_or([0xff; 6]);
        let segment = self.segments.get(from).copied();
        let broadcast = dst[0] & 1 == 1;
        for port in 0..ports.len() {
            let to_it = port != from
                && self.segments.get(port).copied() == segment
                && (broadcast || self.macs[port] == dst);
            if to_it {
                match self.latency_of(port) {
                    None => self.outbox.push(ports, port, data),
                    Some(latency) => self.lay(latency, Towards::Host, port, data.to_vec()),
                }
            }
        }
        self.emit(data, fate, at);
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

    /// Records a frame as it leaves the wire (or is dropped there), with
    /// the time `at` it reached the switch.
    fn emit(&mut self, data: &[u8], fate: Fate, at: Duration) {
        self.number += 1;
        let wall = self.start_wall + at;
        if let Some(sealed) = self.recorder.push(self.number, at, wall, data, fate) {
            let _ = self.frames.send(sealed);
        }
        // The frame's own time stands for now: one clock read per frame
        // (made as it arrived), not two. It is older than now only for a
        // frame the learner held, and those go to the runner at the
        // switch's next wait anyway.
        if self.recorder.is_due(at) {
            self.flush();
        }
    }

    /// Sends the recorded frames to the runner: whenever the switch is
    /// about to wait, before a hold notice (so that the runner has every
    /// frame passed on before it), and every `Recorder::FRAMES` frames or
    /// `Recorder::AGE`.
    fn flush(&mut self) {
        if let Some(batch) = self.recorder.take() {
            let _ = self.frames.send(batch);
        }
    }
}

/// Raises the calling thread (the switch) 10 nice levels above the
/// process, where socklab may (root, or CAP_SYS_NICE; elsewhere nothing
/// changes). A frame on a cable is due at a set time, and a switch that
/// the machine's other work keeps waiting delivers it late: late enough,
/// on a loaded machine, for a sender's tail-loss probe (RFC 8985 §7) to
/// fire before the ACK it waits for is back, a packet a quiet run does not
/// have. tcp-segmentation at nice 5 beside two busy loops, 20 runs each
/// (`WIRE_DEBUG`'s "latest"): frames 5.9 ms late on average and 11.2 ms at
/// most, against 3.8 and 5.5 ms with the switch raised.
fn ahead_of_other_work() {
    // SAFETY: plain calls about the calling thread (Linux keeps a nice
    // value per thread: setpriority(2), "BUGS").
    unsafe {
        let thread = libc::gettid() as libc::id_t;
        *libc::__errno_location() = 0;
        let nice = libc::getpriority(libc::PRIO_PROCESS, thread);
        if *libc::__errno_location() == 0 {
            libc::setpriority(libc::PRIO_PROCESS, thread, (nice - 10).max(-20));
        }
    }
}

/// The port whose oldest waiting frame reached the switch first, if any
/// has one.
fn earliest(ports: &[Port]) -> Option<usize> {
    first_stamped(
        ports
            .iter()
            .map(|port| port.peek().map(|frame| frame.stamp)),
    )
}

/// Of the ports' oldest frames' stamps (`None`: nothing waiting), the
/// index of the earliest; a tie goes to the lower port.
fn first_stamped(stamps: impl Iterator<Item = Option<u64>>) -> Option<usize> {
    stamps
        .enumerate()
        .filter_map(|(index, stamp)| stamp.map(|stamp| (stamp, index)))
        .min()
        .map(|(_, index)| index)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn frames_are_taken_across_ports_in_the_order_the_kernel_stamped_them() {
        assert_eq!(first_stamped([None, None].into_iter()), None);
        assert_eq!(first_stamped([Some(7), Some(5), None].into_iter()), Some(1));
        assert_eq!(first_stamped([None, Some(9), Some(3)].into_iter()), Some(2));
        assert_eq!(first_stamped([Some(4), Some(4)].into_iter()), Some(0));
    }

    #[test]
    fn a_round_trip_crosses_the_two_longest_cables_twice() {
        assert_eq!(round_trip(&[ms(0), ms(0)]), ms(0));
        assert_eq!(round_trip(&[ms(0), ms(20)]), ms(40));
        assert_eq!(round_trip(&[ms(5), ms(20), ms(10)]), ms(60));
        assert_eq!(round_trip(&[ms(7)]), ms(14));
    }
}
