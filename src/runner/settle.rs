//! When a step is over: the kernel says so, not a silence.
//!
//! A step is over once its expected packets are in and, looked at twice in
//! a row (`CONFIRM` apart), with no frame in between:
//!
//! 1. no socket of the lesson's namespaces has anything the kernel will
//!    still send for (`kernel::diag`: nothing unacknowledged, no
//!    retransmission pending, no handshake or close under way, no
//!    datagram on its way out); and then
//! 2. every frame put on the link has reached the runner: on the loopback,
//!    the runner has taken as many frames from the capture as `lo` counts
//!    (the capture sees a frame before the receiving socket does:
//!    net/core/dev.c, `__netif_receive_skb_core`, hands it to every
//!    `ptype_all` tap before the protocol's handler, so an ACK that made
//!    its sender quiet in (1) was captured first); on the lab wire, the
//!    switch has been idle since (1) was read (nothing in its rings, on a
//!    cable, delayed, held back or held, everything recorded sent to the
//!    runner), the runner has taken it all, and no CPU's input backlog
//!    holds a frame a veth handed over (`kernel::backlog`).
//!
//! Why (1) before (2): a frame that changes what (1) says was put on the
//! link before its receiver's kernel saw it, so it is counted in (2).
//!
//! What the kernel cannot say, and the bounded silences that stand in for
//! it:
//! * A reaction to a frame that takes no sequence space (an ICMP port
//!   unreachable for a datagram, an ARP reply) leaves no socket pending
//!   meanwhile. It is made in the softirq that takes the frame in, with
//!   no pause, microseconds after the capture saw the frame: the second
//!   look, `CONFIRM` later, finds it.
//! * A kernel without sock_diag (CONFIG_INET_DIAG off): the runner falls
//!   back to `QUIET` of silence after the expected packets.
//! * A socket the kernel says is pending for longer than `PENDING_BOUND`
//!   with nothing on the wire (a retransmission timer backed off far):
//!   the step ends anyway, and what comes later is shown in the next one.

use std::time::{Duration, Instant};

use super::Source;
use crate::kernel::diag::Diag;

/// How long after a first quiet look the second one is made: long enough
/// for a reaction that takes no sequence space to be on the link. The
/// softirq that takes a frame in makes it without a pause (it cannot be
/// preempted): on the loopback, 2 to 26 µs after the frame on a quiet
/// machine, and at most 94 µs in 120 ICMP and RST answers with both cores
/// busy and four lessons at once (tcp-refused's captures, `tcpdump -ttt`).
pub(super) const CONFIRM: Duration = Duration::from_micros(500);

/// The longest a step waits, after its last frame, on sockets the kernel
/// says are pending. The longest timer a lesson's step waits on is a
/// retransmission (the first at 1 s for a SYN, RFC 6298 §2.1, or 200 ms
/// and more for data, RFC 6298 §2.4 as Linux bounds it: TCP_RTO_MIN).
pub(super) const PENDING_BOUND: Duration = Duration::from_secs(3);

/// The first wait between looks while something is pending; it doubles up
/// to `MAX_POLL` while nothing changes. A frame ends any wait at once.
const FIRST_POLL: Duration = Duration::from_micros(500);
const MAX_POLL: Duration = Duration::from_millis(8);

/// After a frame, the next look waits this long for a further one. While
/// frames stream in the step cannot be over, and a look costs a sock_diag
/// dump, for which the kernel walks its whole socket hash table: with a
/// look after every frame, a bulk transfer on the lab wire spent 85 % of a
/// core in `tcp_diag_dump` and the wire carried 2 900 frames/s, not 100 000.
pub(super) const AFTER_FRAME: Duration = FIRST_POLL;

/// After asking the switch whether it is idle, how long before looking at
/// its answer: it answers as soon as it is between frames.
const SWITCH_ANSWER: Duration = Duration::from_micros(200);

/// What a look found.
pub(super) enum Verdict {
    /// The step is over.
    Over,
    /// Look again after at most this long (a frame ends the wait sooner).
    Wait(Duration),
}

pub(super) struct Settle {
    /// One sock_diag socket in each namespace where the lesson's sockets
    /// live: the sandbox, or every host of the lab wire. Empty where the
    /// kernel has no sock_diag.
    diags: Vec<Diag>,
    /// On the loopback, `lo`'s frame count when the capture started.
    lo_base: Option<u64>,
    /// The question put to the switch, not answered yet.
    asked: Option<u64>,
    /// When the first of the two quiet looks was made.
    quiet_since: Option<Instant>,
    /// Since when something has been pending without a frame.
    pending_since: Option<Instant>,
    poll: Duration,
    /// `SOCKLAB_DEBUG_SETTLE`: say on standard error why a step waits.
    debug: bool,
    started: Instant,
}

impl Settle {
    pub(super) fn new(diags: Vec<Diag>, lo_base: Option<u64>) -> Settle {
        Settle {
            diags,
            lo_base,
            asked: None,
            quiet_since: None,
            pending_since: None,
            poll: FIRST_POLL,
            debug: std::env::var_os("SOCKLAB_DEBUG_SETTLE").is_some(),
            started: Instant::now(),
        }
    }

    /// Whether the kernel can say when a step is over here.
    pub(super) fn can_say(&self) -> bool {
        !self.diags.is_empty()
    }

    /// A new step, or a frame came: every look starts again.
    pub(super) fn restart(&mut self) {
        self.asked = None;
        self.quiet_since = None;
        self.pending_since = None;
        self.poll = FIRST_POLL;
    }

    /// Says why a step goes on waiting, when asked to.
    pub(super) fn trace(&self, what: std::fmt::Arguments<'_>) {
        if self.debug {
            eprintln!(
                "settle {:9.3} ms  {what}",
                self.started.elapsed().as_secs_f64() * 1e3
            );
        }
    }

    /// One look. `taken`: how many frames the runner has taken from the
    /// source so far.
    pub(super) fn look(&mut self, source: &Source, taken: usize) -> Verdict {
        let now = Instant::now();
        // (1) The sockets, in every namespace.
        let pending = self.diags.iter().find_map(|diag| match diag.pending() {
            Ok(pending) => pending.map(|p| p.to_string()),
            Err(e) => Some(format!("sock_diag failed: {e}")),
        });
        if let Some(why) = pending {
            self.asked = None;
            self.quiet_since = None;
            let since = *self.pending_since.get_or_insert(now);
            if now.duration_since(since) >= PENDING_BOUND {
                self.trace(format_args!("still pending after the bound, over: {why}"));
                return Verdict::Over;
            }
            self.trace(format_args!("pending: {why}"));
            return self.backoff();
        }
        self.pending_since = None;
        // (2) Every frame put on the link has reached the runner.
        match source {
            Source::Loopback(_) => {
                let sent = crate::kernel::received_frames("lo")
                    .map(|n| n.saturating_sub(self.lo_base.unwrap_or(0)));
                if let Some(sent) = sent
                    && (taken as u64) < sent
                {
                    self.quiet_since = None;
                    self.trace(format_args!("lo carried {sent} frames, {taken} taken"));
                    return Verdict::Wait(FIRST_POLL);
                }
            }
            Source::Wire(lab) => {
                let Some(asked) = self.asked else {
                    self.asked = Some(lab.ask_idle());
                    return Verdict::Wait(SWITCH_ANSWER);
                };
                if !lab.idle_since(asked) {
                    self.quiet_since = None;
                    self.trace(format_args!("the switch is busy"));
                    return self.backoff();
                }
                self.asked = None;
                if lab.has_frames() {
                    return Verdict::Wait(Duration::ZERO);
                }
                if crate::kernel::backlog().is_some_and(|n| n > 0) {
                    self.quiet_since = None;
                    self.trace(format_args!("frames wait in a CPU's backlog"));
                    return Verdict::Wait(FIRST_POLL);
                }
            }
        }
        match self.quiet_since {
            None => {
                self.quiet_since = Some(now);
                Verdict::Wait(CONFIRM)
            }
            Some(first) if now.duration_since(first) >= CONFIRM => {
                self.trace(format_args!("quiet, over"));
                Verdict::Over
            }
            Some(first) => Verdict::Wait(CONFIRM - now.duration_since(first)),
        }
    }

    /// Before a step that sends on a TCP connection: waits until every
    /// connection's delayed-ACK window has lapsed, as it has when a learner
    /// reads between steps. Linux decides how to acknowledge by the time
    /// since a socket last took a segment in: data sent within the ACK
    /// timeout (ATO) of it counts as a reply and moves the socket towards
    /// "ping-pong" mode, where ACKs are delayed to ride on replies
    /// (net/ipv4/tcp_output.c, `tcp_event_data_sent`,
    /// `inet_csk_inc_pingpong_cnt`; the ATO itself adapts to the gaps
    /// between segments, net/ipv4/tcp_input.c, `tcp_event_data_recv`). A
    /// step sent at once would make the next step's send look like a reply
    /// to the last one, and its ACKs differ from a learner's run. Bounded
    /// by `PENDING_BOUND`; returns the time waited.
    pub(super) fn ack_windows(&self) -> Duration {
        let start = Instant::now();
        while start.elapsed() < PENDING_BOUND {
            let longest = self
                .diags
                .iter()
                .filter_map(|d| d.ack_windows().ok())
                .max()
                .unwrap_or_default();
            if longest.is_zero() {
                break;
            }
            self.trace(format_args!("a delayed-ACK window is open for {longest:?}"));
            // The kernel counts in jiffies: look again just after.
            std::thread::sleep(longest + Duration::from_micros(500));
        }
        start.elapsed()
    }

    /// Waits until no socket of the lesson has anything the kernel will
    /// still send for (see `look`, (1)), bounded by `PENDING_BOUND`: the
    /// boundary of a step, inside one. A chat's server answers only once
    /// the line it read is acknowledged. Linux holds that ACK back (40 ms
    /// and more once the connection is in "ping-pong" mode,
    /// net/ipv4/tcp_input.c, `__tcp_ack_snd_check`) in case an answer can
    /// carry it; whether the answer came within that time depended on how
    /// busy the machine was, and so did the packets drawn. Returns the time
    /// waited.
    pub(super) fn acknowledged(&self) -> Duration {
        let start = Instant::now();
        let mut poll = FIRST_POLL;
        while start.elapsed() < PENDING_BOUND {
            let pending = self.diags.iter().find_map(|diag| match diag.pending() {
                Ok(pending) => pending.map(|p| p.to_string()),
                Err(e) => Some(format!("sock_diag failed: {e}")),
            });
            let Some(why) = pending else { break };
            self.trace(format_args!("within a step, pending: {why}"));
            std::thread::sleep(poll);
            poll = (poll * 2).min(MAX_POLL);
        }
        start.elapsed()
    }

    /// How long until the first of the lesson's TCP timers that sends
    /// fires (a retransmission, or the persist timer's next zero-window
    /// probe), in any namespace; None when none is pending.
    pub(super) fn next_send_timer(&self) -> Option<Duration> {
        self.diags
            .iter()
            .filter_map(|d| d.next_send_timer().ok().flatten())
            .min()
    }

    fn backoff(&mut self) -> Verdict {
        let wait = self.poll;
        self.poll = (self.poll * 2).min(MAX_POLL);
        Verdict::Wait(wait)
    }
}
