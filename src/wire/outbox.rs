//! Frames the switch has decided to send out of one port, handed to the
//! kernel together in one `sendmmsg(2)` instead of one `send(2)` each,
//! straight from the ring slots they arrived in.
//!
//! Why: under a bulk transfer the rings hold 130–450 frames on average,
//! and the switch takes dozens in a row from the same host, all for the
//! same other host (15 MB across the wire: about 14 700 frames in 300–500
//! runs). Each `send(2)` pays a system call's entry and exit and a
//! descriptor look-up (a bare system call takes about 170 ns here); one
//! `sendmmsg` pays them once for the run. A frame goes from its slot, which
//! stays socklab's until the batch is sent, so it is not copied first.
//!
//! What does not change: the kernel sends a batch's frames one at a time,
//! in order, and the receiving host's softirq runs as each is sent
//! (`__dev_direct_xmit` enables bottom halves again after each frame), so
//! the hosts see the same frames in the same order as with one `send` per
//! frame. Whatever they answer is stamped later than every frame already
//! waiting in the rings, so the order in which the switch takes frames is
//! the same too. The switch sends the outbox before it does anything that
//! relies on the hosts having answered what they were sent: before a frame
//! on a cable or one the learner lets go, before a hold notice, before it
//! looks whether it is idle, and before it sleeps.

use super::port::{InRing, Port, Slot};

/// At most this many frames wait in the outbox: a batch is sent when it
/// is full, so a frame waits behind at most this many others.
const CAPACITY: usize = 64;

/// A frame in the outbox.
enum Queued {
    /// Still in the slot of port `port`'s ring it arrived in.
    InRing { port: usize, place: InRing },
    /// Copied into `Outbox::copies`, from `start` to `end`: a frame the
    /// switch made or kept itself (a corrupted copy, one that was on a
    /// cable or held for the learner).
    Copied { start: usize, end: usize },
}

/// Frames for one port, in the order they are to be sent.
pub struct Outbox {
    port: usize,
    queued: Vec<Queued>,
    copies: Vec<u8>,
    /// Slots that frames in the outbox are still in: given back to the
    /// kernel once the batch is sent.
    slots: Vec<(usize, Slot)>,
}

impl Outbox {
    pub fn new() -> Outbox {
        Outbox {
            port: 0,
            queued: Vec::with_capacity(CAPACITY),
            copies: Vec::new(),
            slots: Vec::with_capacity(CAPACITY),
        }
    }

    /// Queues a frame for `port`; frames queued for another port before
    /// it, or a full outbox, are sent first.
    pub fn push(&mut self, ports: &[Port], port: usize, frame: &[u8]) {
        if !self.queued.is_empty() && (self.port != port || self.queued.len() == CAPACITY) {
            self.send(ports);
        }
        self.port = port;
        let in_ring = ports
            .iter()
            .enumerate()
            .find_map(|(from, p)| p.locate(frame).map(|place| (from, place)));
        self.queued.push(match in_ring {
            Some((from, place)) => Queued::InRing { port: from, place },
            None => {
                let start = self.copies.len();
                self.copies.extend_from_slice(frame);
                Queued::Copied {
                    start,
                    end: self.copies.len(),
                }
            }
        });
    }

    /// The switch is done with the frame in `slot` of port `port`'s ring:
    /// the slot goes back to the kernel now, or after the batch is sent
    /// if a frame in the outbox is still in it.
    pub fn done_with(&mut self, ports: &[Port], port: usize, slot: Slot) {
        let in_use = self.queued.iter().any(|queued| {
            matches!(queued, Queued::InRing { port: from, place } if *from == port && place.slot == slot)
        });
        if in_use {
            self.slots.push((port, slot));
        } else {
            ports[port].give_back(slot);
        }
    }

    /// Sends every queued frame, in order, and gives their slots back. A
    /// frame the veth refuses (its peer is gone at the end) is lost like
    /// on any wire; the runner reports what it then misses.
    pub fn send(&mut self, ports: &[Port]) {
        if !self.queued.is_empty() {
            let frames: Vec<&[u8]> = self
                .queued
                .iter()
                .map(|queued| match queued {
                    // SAFETY: `place` came from that port's `locate`
                    // (in `push`), and its slot is given back only below,
                    // after the send, or by `done_with` once no queued
                    // frame is in it.
                    Queued::InRing { port, place } => unsafe { ports[*port].frame_at(place) },
                    Queued::Copied { start, end } => &self.copies[*start..*end],
                })
                .collect();
            ports[self.port].send_all(&frames);
            self.queued.clear();
            self.copies.clear();
        }
        for (port, slot) in self.slots.drain(..) {
            ports[port].give_back(slot);
        }
    }
}
