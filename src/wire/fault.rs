//! Faults on the lab wire, declared in the lesson: which frame, and what
//! happens to it. Pure: the wire asks [`FaultPlan::decide`] about each
//! frame in the order frames reach it, so the same lesson hits the same
//! frames every run.

pub use crate::lesson::{Fault, FaultAction, Which};
use crate::packet::Packet;

/// The lesson's faults, with how many matching frames each has seen.
#[derive(Debug, Clone, Default)]
pub struct FaultPlan {
    faults: Vec<(Fault, u32)>,
}

impl FaultPlan {
    pub fn new(faults: Vec<Fault>) -> FaultPlan {
        FaultPlan {
            faults: faults.into_iter().map(|f| (f, 0)).collect(),
        }
    }

    /// The lesson has no faults: no frame needs looking at.
    pub fn is_empty(&self) -> bool {
        self.faults.is_empty()
    }

    /// What happens to this frame, sent by actor `from` to actor `to`
    /// during step `step` (from 0). Every fault of that step aimed at such
    /// frames counts it; the first that fires wins.
    pub fn decide(
        &mut self,
        step: usize,
        from: &str,
        to: &str,
        packet: &Packet,
    ) -> Option<FaultAction> {
        let mut action = None;
        for (fault, seen) in &mut self.faults {
            if fault.step != step || !fault.frames.matches(from, to, packet) {
                continue;
            }
            *seen += 1;
            let fires = match fault.which {
                Which::Nth(n) => *seen == n,
                Which::Every(n) => n > 0 && *seen % n == 0,
                Which::Run { first, count } => (first..first.saturating_add(count)).contains(seen),
            };
            if fires && action.is_none() {
                action = Some(fault.action);
            }
        }
        action
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::Expectation;
    use crate::packet::{Segment, TcpFlags, Transport};
    use std::time::Duration;

    fn segment(data: u32) -> Packet {
        Packet {
            frame: 1,
            at: Duration::ZERO,
            src: "10.0.0.1:40000".parse().unwrap(),
            dst: "10.0.0.2:7788".parse().unwrap(),
            transport: Transport::Tcp(Segment {
                flags: TcpFlags::ACK | TcpFlags::PSH,
                seq: 1,
                ack: 1,
                window: 100,
                payload_len: data,
                options: vec![],
                sack_blocks: vec![],
                preview: Default::default(),
            }),
        }
    }

    fn fault(action: FaultAction, frames: &str, which: Which) -> Fault {
        let actors = ["client".to_string(), "server".to_string()];
        Fault {
            action,
            frames: Expectation::parse(frames, &actors).unwrap(),
            which,
            step: 0,
        }
    }

    #[test]
    fn nth_hits_only_that_frame_of_its_kind() {
        let mut plan = FaultPlan::new(vec![fault(
            FaultAction::Drop,
            "client > server ACK data",
            Which::Nth(2),
        )]);
        let decisions: Vec<_> = [5, 0, 5, 0, 5]
            .into_iter()
            .map(|len| plan.decide(0, "client", "server", &segment(len)))
            .collect();
        // The empty ACKs do not count; the second data segment is hit.
        assert_eq!(decisions, [None, None, Some(FaultAction::Drop), None, None]);
        // The other direction is not aimed at.
        assert_eq!(plan.decide(0, "server", "client", &segment(5)), None);
    }

    #[test]
    fn every_hits_each_nth_and_the_first_fault_wins() {
        let mut plan = FaultPlan::new(vec![
            fault(
                FaultAction::Duplicate,
                "client > server ACK data",
                Which::Every(2),
            ),
            fault(
                FaultAction::Reorder,
                "client > server ACK data",
                Which::Nth(2),
            ),
        ]);
        let decisions: Vec<_> = (0..4)
            .map(|_| plan.decide(0, "client", "server", &segment(5)))
            .collect();
        assert_eq!(
            decisions,
            [
                None,
                Some(FaultAction::Duplicate),
                None,
                Some(FaultAction::Duplicate)
            ]
        );
    }

    #[test]
    fn a_run_hits_count_frames_in_a_row() {
        let mut plan = FaultPlan::new(vec![fault(
            FaultAction::Drop,
            "client > server ACK data",
            Which::Run { first: 2, count: 3 },
        )]);
        let hit: Vec<bool> = (0..6)
            .map(|_| plan.decide(0, "client", "server", &segment(5)).is_some())
            .collect();
        assert_eq!(hit, [false, true, true, true, false, false]);
    }

    #[test]
    fn a_fault_counts_only_the_frames_of_its_step() {
        let mut plan = FaultPlan::new(vec![Fault {
            step: 1,
            ..fault(FaultAction::Drop, "client > server ACK data", Which::Nth(1))
        }]);
        // Step 0's frames (a resend while the learner reads, say) do not count.
        assert_eq!(plan.decide(0, "client", "server", &segment(5)), None);
        assert_eq!(plan.decide(0, "client", "server", &segment(5)), None);
        assert_eq!(
            plan.decide(1, "client", "server", &segment(5)),
            Some(FaultAction::Drop)
        );
        assert_eq!(plan.decide(1, "client", "server", &segment(5)), None);
    }
}
