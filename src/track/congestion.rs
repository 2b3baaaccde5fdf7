//! What the kernel's congestion control did between two readings of one
//! connection, and by which rule: pure code over [`TcpInfo`] readings, no
//! I/O. The runner reads the kernel (`getsockopt(TCP_INFO)`) when the
//! sender's socket is quiet between round trips; this module names what
//! changed since the reading before (slow start, congestion avoidance, a
//! cut after a loss, a timeout) and checks the kernel's numbers against the
//! rule it names. It never stands in for the kernel's numbers: a reading
//! that does not fit the rule is said not to fit.
//!
//! The rules, as RFCs write them and as Linux implements them:
//!
//! * Slow start (RFC 5681 §3.1): while cwnd < ssthresh, each segment
//!   acknowledged adds one segment to cwnd (Linux: `tcp_slow_start`, which
//!   counts every segment delivered), so the window doubles every round
//!   trip. It starts at 10 segments (RFC 6928).
//! * Congestion avoidance, Reno (RFC 5681 §3.1, equation 3): about one
//!   segment per round trip (Linux: `tcp_cong_avoid_ai`, +1 once a whole
//!   window's worth of segments has been acknowledged).
//! * Congestion avoidance, CUBIC (RFC 9438 §4.2, §4.3): the window follows
//!   W_cubic(t) = C·(t − K)³ + W_max, t the time since the loss, measured by
//!   the kernel's clock (`tcp_jiffies32`): its numbers depend on when the
//!   ACKs came, not only on how many.
//! * A loss found by duplicate ACKs or SACK (RFC 5681 §3.2, RFC 6675,
//!   RACK: RFC 8985): ssthresh = max(FlightSize / 2, 2) by RFC 5681's
//!   equation 4; Linux's Reno halves cwnd (`tcp_reno_ssthresh`), CUBIC
//!   multiplies it by β = 717/1024 ≈ 0.7 (`cubictcp_recalc_ssthresh`, RFC
//!   9438 §4.6). During recovery Linux brings cwnd down to ssthresh with
//!   Proportional Rate Reduction (RFC 6937), and sets it to ssthresh when
//!   recovery ends.
//! * A retransmission timeout (RFC 5681 §3.1, RFC 6298 §5): ssthresh by the
//!   same rule, and cwnd = 1 segment, the loss window.

use crate::kernel::{CaState, TcpInfo};

/// Where a sender stands in the congestion-control states a textbook
/// draws (RFC 5681 §3): Linux's CA state, with cwnd against ssthresh to
/// tell slow start from congestion avoidance while nothing is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// cwnd < ssthresh: the window doubles every round trip (§3.1).
    SlowStart,
    /// cwnd ≥ ssthresh: about one segment more per round trip (§3.1).
    Avoidance,
    /// A loss found by duplicate ACKs or SACK, being repaired (§3.2, RFC
    /// 6582, RFC 6675); also Linux's CWR, a cut without a loss (ECN).
    Recovery,
    /// The retransmission timer ran out: cwnd is one segment and slow
    /// start begins again (§3.1, RFC 6298 §5).
    Loss,
}

impl Phase {
    /// The phase of a reading. Linux's Disorder (duplicate ACKs, not yet
    /// enough to call a segment lost) is still slow start or congestion
    /// avoidance: the window has not been touched.
    pub fn of(info: &TcpInfo) -> Phase {
        match info.ca_state {
            CaState::Open | CaState::Disorder => {
                if info.ssthresh.is_none_or(|s| info.cwnd < s) {
                    Phase::SlowStart
                } else {
                    Phase::Avoidance
                }
            }
            CaState::Recovery | CaState::Cwr => Phase::Recovery,
            CaState::Loss => Phase::Loss,
        }
    }
}

/// Linux's CUBIC: β_cubic in 1024ths (`beta` of `tcp_cubic.c`).
pub const CUBIC_BETA: u32 = 717;

/// What changed in the congestion view since the reading before, and the
/// rule that says why. Windows are in segments.
#[derive(
    Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// The connection's first reading: the initial window (RFC 6928).
    First { cwnd: u32 },
    /// Slow start: the window grew by one segment for each segment
    /// delivered. `reached`: it reached ssthresh, where congestion
    /// avoidance takes over.
    SlowStart {
        from: u32,
        to: u32,
        delivered: u32,
        reached: bool,
    },
    /// Congestion avoidance: Reno's one segment per round trip, or CUBIC's
    /// curve (`clock`: the numbers depend on the kernel's clock).
    Avoidance {
        from: u32,
        to: u32,
        delivered: u32,
        clock: bool,
    },
    /// Nothing was acknowledged since the last reading, so the window did
    /// not move: the sender waits for ACKs (or has nothing to send).
    Waiting { cwnd: u32, unacked: u32 },
    /// Duplicate ACKs or SACKs came, not yet enough to call a segment lost
    /// (Linux's Disorder state).
    Disorder { cwnd: u32 },
    /// Duplicate ACKs (or SACKs) showed a segment lost: it was resent at
    /// once and the window cut (fast retransmit and fast recovery).
    Recovery { cut: Cut, cwnd: u32 },
    /// Still recovering: the window comes down to ssthresh as ACKs come
    /// (Proportional Rate Reduction, RFC 6937). With nothing unacknowledged
    /// (`unacked` 0), the kernel holds the state until an ACK covers data
    /// sent after the loss (without SACK: RFC 6582 §3.2).
    StillRecovering {
        cwnd: u32,
        ssthresh: u32,
        unacked: u32,
    },
    /// Recovery is over: the window starts again from ssthresh, in
    /// congestion avoidance.
    Recovered {
        cwnd: u32,
        ssthresh: u32,
        clock: bool,
    },
    /// The retransmission timer ran out: every segment in flight is taken
    /// for lost, ssthresh cut, cwnd down to the loss window.
    Timeout { cut: Cut, cwnd: u32 },
    /// Still in the Loss state: the window grows in slow start while the
    /// lost segments are sent again (then by congestion avoidance, once at
    /// ssthresh); with nothing unacknowledged, held as `StillRecovering`.
    StillLost {
        from: u32,
        to: u32,
        ssthresh: u32,
        unacked: u32,
    },
    /// Every segment sent before the timeout is acknowledged: back to
    /// normal, in slow start or congestion avoidance.
    LossRecovered { cwnd: u32, ssthresh: u32 },
    /// The kernel set ssthresh without a loss: CUBIC's HyStart ended slow
    /// start early, seeing the round trip grow.
    SlowStartEnded { cwnd: u32, ssthresh: u32 },
    /// The window was reduced without a loss (an ECN echo, RFC 3168, or
    /// the host's own queue): Linux's CWR state.
    Reduced { cwnd: u32, ssthresh: Option<u32> },
    /// Recovery (or Loss) ended, and the cut was taken back: the kernel
    /// found that the segment it had resent was not lost after all (its
    /// first copy's ACK came, told by the timestamps or a D-SACK).
    Undone { cwnd: u32, ssthresh: Option<u32> },
    /// An algorithm socklab does not explain (BBR, say): its numbers only.
    Unexplained { algorithm: String },
}

/// The algorithm's rule for ssthresh after a loss.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum CutRule {
    /// max(cwnd / 2, 2): Linux's `tcp_reno_ssthresh`, RFC 5681 §3.1 eq. 4.
    Half,
    /// max(cwnd × 717 / 1024, 2): Linux's `cubictcp_recalc_ssthresh`,
    /// RFC 9438 §4.6 (β_cubic = 0.7).
    CubicBeta,
}

impl CutRule {
    /// The rule of a congestion control algorithm, when socklab knows it.
    pub fn of(algorithm: &str) -> Option<CutRule> {
        match algorithm {
            "reno" => Some(CutRule::Half),
            "cubic" => Some(CutRule::CubicBeta),
            _ => None,
        }
    }

    /// What the rule gives for a window of `cwnd` segments, in the
    /// kernel's integer arithmetic.
    pub fn apply(self, cwnd: u32) -> u32 {
        match self {
            CutRule::Half => (cwnd / 2).max(2),
            CutRule::CubicBeta => (cwnd * CUBIC_BETA / 1024).max(2),
        }
    }
}

/// ssthresh after a loss, with what it was cut from and whether the
/// kernel's number is what the algorithm's rule gives.
#[derive(
    Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct Cut {
    /// The window and the segments in flight at the reading before.
    pub cwnd_before: u32,
    pub flight_before: u32,
    /// The kernel's new ssthresh.
    pub ssthresh: u32,
    /// The algorithm's rule, and what it gives for `cwnd_before`; absent
    /// for an algorithm socklab does not explain.
    pub rule: Option<CutRule>,
    pub expected: Option<u32>,
    /// RFC 5681's equation 4, max(FlightSize / 2, 2), for the segments in
    /// flight at the reading before.
    pub rfc5681: u32,
}

impl Cut {
    fn new(before: &TcpInfo, now: &TcpInfo) -> Cut {
        let rule = CutRule::of(&now.algorithm);
        Cut {
            cwnd_before: before.cwnd,
            flight_before: before.unacked,
            ssthresh: now.ssthresh.unwrap_or(0),
            rule,
            expected: rule.map(|r| r.apply(before.cwnd)),
            rfc5681: (before.unacked / 2).max(2),
        }
    }

    /// The kernel's ssthresh is what the algorithm's rule gives for the
    /// window at the reading before (`None`: no rule to check with).
    pub fn agrees(&self) -> Option<bool> {
        self.expected.map(|e| e == self.ssthresh)
    }
}

/// What changed between the reading `before` (none for a connection's
/// first) and `now`.
pub fn explain(before: Option<&TcpInfo>, now: &TcpInfo) -> Change {
    if CutRule::of(&now.algorithm).is_none() {
        return Change::Unexplained {
            algorithm: now.algorithm.clone(),
        };
    }
    let Some(before) = before else {
        return Change::First { cwnd: now.cwnd };
    };
    // Out of recovery with a higher ssthresh than the cut left: undone.
    let raised = now.ssthresh.unwrap_or(u32::MAX) > before.ssthresh.unwrap_or(u32::MAX);
    if matches!(before.ca_state, CaState::Recovery | CaState::Loss)
        && matches!(now.ca_state, CaState::Open | CaState::Disorder)
        && raised
    {
        return Change::Undone {
            cwnd: now.cwnd,
            ssthresh: now.ssthresh,
        };
    }
    let delivered = now.delivered.wrapping_sub(before.delivered);
    let ssthresh = now.ssthresh.unwrap_or(u32::MAX);
    let clock = now.algorithm == "cubic";
    match (before.ca_state, now.ca_state) {
        (CaState::Recovery, CaState::Recovery) => Change::StillRecovering {
            cwnd: now.cwnd,
            ssthresh,
            unacked: now.unacked,
        },
        (_, CaState::Recovery) => Change::Recovery {
            cut: Cut::new(before, now),
            cwnd: now.cwnd,
        },
        (CaState::Loss, CaState::Loss) => Change::StillLost {
            from: before.cwnd,
            to: now.cwnd,
            ssthresh,
            unacked: now.unacked,
        },
        (_, CaState::Loss) => Change::Timeout {
            cut: Cut::new(before, now),
            cwnd: now.cwnd,
        },
        (_, CaState::Cwr) => Change::Reduced {
            cwnd: now.cwnd,
            ssthresh: now.ssthresh,
        },
        (_, CaState::Disorder) => Change::Disorder { cwnd: now.cwnd },
        // Whether CUBIC's clock has already added to the window after
        // recovery depends on the clock itself: the reading is CUBIC's.
        (CaState::Recovery, CaState::Open) => Change::Recovered {
            cwnd: now.cwnd,
            ssthresh,
            clock,
        },
        (CaState::Loss, CaState::Open) => Change::LossRecovered {
            cwnd: now.cwnd,
            ssthresh,
        },
        (_, CaState::Open) if before.ssthresh.is_none() && now.ssthresh.is_some() => {
            Change::SlowStartEnded {
                cwnd: now.cwnd,
                ssthresh,
            }
        }
        (_, CaState::Open) if delivered == 0 => Change::Waiting {
            cwnd: now.cwnd,
            unacked: now.unacked,
        },
        (_, CaState::Open) if before.cwnd < ssthresh => Change::SlowStart {
            from: before.cwnd,
            to: now.cwnd,
            delivered,
            reached: now.cwnd >= ssthresh,
        },
        (_, CaState::Open) => Change::Avoidance {
            from: before.cwnd,
            to: now.cwnd,
            delivered,
            clock,
        },
    }
}

impl Change {
    /// The reading's window depends on the kernel's clock (CUBIC in
    /// congestion avoidance), not only on the ACKs: it may differ by a
    /// segment or more from one run to the next.
    pub fn clock(&self) -> bool {
        matches!(
            self,
            Change::Avoidance { clock: true, .. } | Change::Recovered { clock: true, .. }
        )
    }

    /// The window was cut: a loss (Recovery) or a timeout (Loss).
    pub fn cut(&self) -> Option<&Cut> {
        match self {
            Change::Recovery { cut, .. } | Change::Timeout { cut, .. } => Some(cut),
            _ => None,
        }
    }

    /// Whether the kernel's numbers fit the rule this change names, where
    /// there is one to check: ssthresh after a cut is what the algorithm
    /// gives for the window before, a timeout leaves a window of one
    /// segment, slow start adds one segment per segment delivered (up to
    /// twice the window: Linux grows it no further than twice what was in
    /// flight, `tcp_is_cwnd_limited`), Reno's congestion avoidance adds at
    /// most one segment per window's worth delivered.
    pub fn fits(&self) -> Option<bool> {
        match self {
            Change::Recovery { cut, .. } => cut.agrees(),
            Change::Timeout { cut, cwnd } => cut.agrees().map(|a| a && *cwnd == 1),
            Change::SlowStart {
                from,
                to,
                delivered,
                reached: false,
            } => Some(to > from && to - from <= *delivered),
            Change::Avoidance {
                from,
                to,
                delivered,
                clock: false,
            } => Some(to >= from && (to - from) <= delivered.div_ceil((*from).max(1))),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reading as the kernel gives it, with the fields these rules read.
    fn reading(algorithm: &str, state: CaState, cwnd: u32, ssthresh: Option<u32>) -> TcpInfo {
        TcpInfo {
            algorithm: algorithm.into(),
            ca_state: state,
            cwnd,
            ssthresh,
            mss: 1448,
            sack: true,
            unacked: cwnd,
            sacked: 0,
            lost: 0,
            retrans: 0,
            retransmits: 0,
            total_retrans: 0,
            rtt_us: 50_000,
            rttvar_us: 0,
            min_rtt_us: 50_000,
            rto_us: 250_000,
            segs_out: 0,
            segs_in: 0,
            data_segs_out: 0,
            delivered: 0,
            bytes_acked: 0,
            bytes_retrans: 0,
            rwnd_limited_us: 0,
            snd_wnd: 0,
            reordering: 3,
            notsent_bytes: 0,
        }
    }

    /// RFC 5681 §3.1: slow start while cwnd < ssthresh (and while
    /// ssthresh is still "infinite"), congestion avoidance from ssthresh
    /// on; Linux's Disorder changes neither, Recovery and CWR are a cut,
    /// Loss the timeout's.
    #[test]
    fn the_phase_a_reading_stands_in() {
        let phase = |state, cwnd, ssthresh| Phase::of(&reading("reno", state, cwnd, ssthresh));
        assert_eq!(phase(CaState::Open, 10, None), Phase::SlowStart);
        assert_eq!(phase(CaState::Open, 19, Some(20)), Phase::SlowStart);
        assert_eq!(phase(CaState::Open, 20, Some(20)), Phase::Avoidance);
        assert_eq!(phase(CaState::Disorder, 28, Some(20)), Phase::Avoidance);
        assert_eq!(phase(CaState::Disorder, 8, Some(20)), Phase::SlowStart);
        assert_eq!(phase(CaState::Recovery, 20, Some(20)), Phase::Recovery);
        assert_eq!(phase(CaState::Cwr, 20, Some(20)), Phase::Recovery);
        assert_eq!(phase(CaState::Loss, 1, Some(14)), Phase::Loss);
    }

    fn delivered(mut info: TcpInfo, n: u32) -> TcpInfo {
        info.delivered = n;
        info
    }

    #[test]
    fn slow_start_adds_a_segment_per_segment_delivered() {
        let a = reading("reno", CaState::Open, 10, None);
        let b = delivered(reading("reno", CaState::Open, 20, None), 10);
        let change = explain(Some(&a), &b);
        assert_eq!(
            change,
            Change::SlowStart {
                from: 10,
                to: 20,
                delivered: 10,
                reached: false
            }
        );
        assert_eq!(change.fits(), Some(true));
        // More growth than segments delivered is not slow start.
        let c = delivered(reading("reno", CaState::Open, 20, None), 5);
        assert_eq!(explain(Some(&a), &c).fits(), Some(false));
    }

    /// The numbers of a real run on the lab wire (Reno, a window of 40 and
    /// its first segment dropped): ssthresh 20 is half of 40, as Reno's rule
    /// and RFC 5681's FlightSize / 2 both give.
    #[test]
    fn reno_halves_the_window_at_a_loss() {
        let before = reading("reno", CaState::Open, 40, None);
        let now = reading("reno", CaState::Recovery, 20, Some(20));
        let Change::Recovery { cut, .. } = explain(Some(&before), &now) else {
            panic!("a loss");
        };
        assert_eq!(cut.expected, Some(20));
        assert_eq!(cut.rfc5681, 20);
        assert_eq!(cut.agrees(), Some(true));
        let wrong = reading("reno", CaState::Recovery, 28, Some(28));
        assert_eq!(explain(Some(&before), &wrong).fits(), Some(false));
    }

    /// CUBIC keeps 717/1024 of the window (RFC 9438 §4.6): 40 → 28, in the
    /// kernel's integer arithmetic (28 672 / 1024 = 28).
    #[test]
    fn cubic_keeps_seventy_percent() {
        assert_eq!(CutRule::CubicBeta.apply(40), 28);
        assert_eq!(CutRule::CubicBeta.apply(2), 2);
        assert_eq!(CutRule::Half.apply(3), 2);
        let before = reading("cubic", CaState::Open, 40, None);
        let now = reading("cubic", CaState::Recovery, 28, Some(28));
        assert_eq!(explain(Some(&before), &now).fits(), Some(true));
    }

    #[test]
    fn a_timeout_leaves_one_segment() {
        let before = reading("reno", CaState::Open, 26, Some(20));
        let mut now = reading("reno", CaState::Loss, 1, Some(13));
        now.unacked = 26;
        let change = explain(Some(&before), &now);
        assert!(
            matches!(change, Change::Timeout { cwnd: 1, .. }),
            "{change:?}"
        );
        assert_eq!(change.fits(), Some(true));
        let more = reading("reno", CaState::Loss, 2, Some(13));
        assert_eq!(explain(Some(&before), &more).fits(), Some(false));
    }

    #[test]
    fn reno_avoidance_adds_at_most_one_segment_per_window() {
        let before = reading("reno", CaState::Open, 20, Some(20));
        let now = delivered(reading("reno", CaState::Open, 21, Some(20)), 20);
        let change = explain(Some(&before), &now);
        assert!(matches!(change, Change::Avoidance { clock: false, .. }));
        assert_eq!(change.fits(), Some(true));
        let fast = delivered(reading("reno", CaState::Open, 23, Some(20)), 20);
        assert_eq!(explain(Some(&before), &fast).fits(), Some(false));
    }

    /// CUBIC's congestion avoidance depends on the clock: socklab names it
    /// so, and checks no number.
    #[test]
    fn cubic_avoidance_is_marked_as_depending_on_the_clock() {
        let before = reading("cubic", CaState::Open, 28, Some(28));
        let now = delivered(reading("cubic", CaState::Open, 31, Some(28)), 28);
        let change = explain(Some(&before), &now);
        assert!(change.clock());
        assert_eq!(change.fits(), None);
    }

    #[test]
    fn states_in_and_out_of_recovery_and_loss() {
        let open = reading("reno", CaState::Open, 20, Some(20));
        let rec = reading("reno", CaState::Recovery, 20, Some(20));
        let loss = reading("reno", CaState::Loss, 2, Some(10));
        assert!(matches!(
            explain(Some(&rec), &rec),
            Change::StillRecovering { .. }
        ));
        assert!(matches!(
            explain(Some(&rec), &open),
            Change::Recovered { clock: false, .. }
        ));
        assert!(matches!(
            explain(Some(&loss), &loss),
            Change::StillLost { .. }
        ));
        let after_loss = reading("reno", CaState::Open, 10, Some(10));
        assert!(matches!(
            explain(Some(&loss), &after_loss),
            Change::LossRecovered { .. }
        ));
        assert!(matches!(explain(None, &open), Change::First { cwnd: 20 }));
        let undone = reading("reno", CaState::Open, 40, None);
        assert!(matches!(
            explain(Some(&rec), &undone),
            Change::Undone { ssthresh: None, .. }
        ));
        let bbr = reading("bbr", CaState::Open, 40, None);
        assert!(matches!(
            explain(Some(&open), &bbr),
            Change::Unexplained { .. }
        ));
        let idle = reading("reno", CaState::Open, 20, Some(20));
        assert!(matches!(
            explain(Some(&open), &idle),
            Change::Waiting { .. }
        ));
    }
}
