//! Faults on the lab wire, declared in the lesson: which frame, and what
//! happens to it. Pure: the wire asks [`FaultPlan::decide`] about each
//! frame in the order frames reach it, so the same lesson hits the same
//! frames every run.

use std::time::Duration;

use crate::lesson::Expectation;
use crate::packet::Packet;

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
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub action: FaultAction,
    /// The frames it is aimed at, written like a step's expectation.
    pub frames: Expectation,
    pub which: Which,
}

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

    /// What happens to this frame, sent by actor `from` to actor `to`.
    /// Every fault aimed at such frames counts it; the first that fires
    /// wins.
    pub fn decide(&mut self, from: &str, to: &str, packet: &Packet) -> Option<FaultAction> {
        let mut action = None;
        for (fault, seen) in &mut self.faults {
            if !fault.frames.matches(from, to, packet) {
                continue;
            }
            *seen += 1;
            let fires = match fault.which {
                Which::Nth(n) => *seen == n,
                Which::Every(n) => n > 0 && *seen % n == 0,
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
    use crate::packet::{Segment, TcpFlags, Transport};

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
            }),
        }
    }

    fn fault(action: FaultAction, frames: &str, which: Which) -> Fault {
        let actors = ["client".to_string(), "server".to_string()];
        Fault {
            action,
            frames: Expectation::parse(frames, &actors).unwrap(),
            which,
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
            .map(|len| plan.decide("client", "server", &segment(len)))
            .collect();
        // The empty ACKs do not count; the second data segment is hit.
        assert_eq!(decisions, [None, None, Some(FaultAction::Drop), None, None]);
        // The other direction is not aimed at.
        assert_eq!(plan.decide("server", "client", &segment(5)), None);
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
            .map(|_| plan.decide("client", "server", &segment(5)))
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
}
