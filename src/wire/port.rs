//! One port of the wire's switch: an AF_PACKET socket on a wire end
//! (`wireN`), with a memory-mapped receive ring that the kernel fills with
//! every frame the host sends, and `sendmmsg(2)` to hand frames to the
//! host (see `super::outbox`).
//!
//! Why a ring (packet(7), `PACKET_RX_RING`; the kernel's
//! Documentation/networking/packet_mmap.rst): the kernel copies each frame
//! into a slot of a buffer shared with socklab and marks the slot as the
//! user's, so reading a frame takes no system call at all, and the switch
//! waits (`poll(2)`) only when every ring is empty. One thread can then
//! serve every port: frames no longer travel through a reader thread and a
//! channel before the switch sees them.
//!
//! Why `TPACKET_V2` and not `TPACKET_V3`: a V3 ring hands frames over a
//! block at a time, when the block is full or its timer (at least a
//! millisecond) runs out ("Read/poll is at a block-level (as opposed to
//! packet-level)", packet_mmap.rst), so a lone SYN would wait on the wire
//! for the timer. A V2 ring hands over each frame as it arrives, which is
//! also why libpcap uses V2 in immediate mode. The wire's latency is the
//! lesson's to choose, never the ring's.
//!
//! Every frame in the ring is stamped by the kernel as it arrives
//! (`tp_sec`, `tp_nsec`, the same clock on every port), which lets the
//! switch take frames from several rings in the order they reached it.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::ptr::NonNull;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use crate::capture::{CaptureError, set_int_option};

/// How long a send may block before the frame is given up as lost: every
/// wait has a bound. A veth end takes a frame at once, so this is never
/// reached in practice.
const SEND_BOUND: Duration = Duration::from_secs(1);

/// The ring's size in bytes, at least: room for about 2 700 full-sized
/// frames at MTU 1500, far more than a lesson or a bulk transfer keeps in
/// flight (the switch empties the ring as fast as the hosts fill it). The
/// ring is the kernel's memory, not counted against the socket's receive
/// buffer, so an ordinary user (whose buffer net.core.rmem_max caps) gets
/// as much room as root.
const RING_BYTES: usize = 4 << 20;

/// The ring holds at least this many frames, whatever the MTU.
const MIN_FRAMES: usize = 1024;

/// Each block of the ring is one physically contiguous allocation in the
/// kernel (packet_mmap.rst, "Block size limit"): 128 KiB is order 5, and
/// the kernel falls back to vmalloc where it cannot find one.
const BLOCK_SIZE: usize = 128 << 10;

/// A VLAN tag the frame might carry in its header (`VLAN_HLEN`).
const VLAN_HLEN: usize = 4;

/// A frame as the ring holds it.
pub struct Received<'a> {
    pub data: &'a [u8],
    /// When the kernel put it in the ring (CLOCK_REALTIME, in ns).
    pub stamp: u64,
    /// The frame was longer than its slot and was cut; it cannot be
    /// forwarded. Never happens with the slot sized for the MTU (a veth
    /// drops longer frames), but the ring says so if it does.
    pub truncated: bool,
    /// The kernel dropped frames (the ring was full) since the statistics
    /// were last read (`TP_STATUS_LOSING`).
    pub losing: bool,
}

/// A slot of a port's ring, by its index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot(usize);

/// A frame's place in a port's ring (see `Port::locate`).
#[derive(Debug, Clone, Copy)]
pub struct InRing {
    pub slot: Slot,
    offset: usize,
    len: usize,
}

/// A switch port: the socket and its receive ring.
pub struct Port {
    fd: OwnedFd,
    ring: NonNull<u8>,
    ring_len: usize,
    layout: Layout,
    frames: usize,
    /// The next slot to read: the ring is filled in order.
    head: usize,
}

// SAFETY: the mapping belongs to this Port alone (it is unmapped in Drop),
// and the kernel's side of it is synchronised through each slot's status
// word; moving the Port to the switch's thread moves all of it.
unsafe impl Send for Port {}

impl Port {
    /// Opens a port on interface number `ifindex`, for frames of up to
    /// `mtu` bytes of payload. Never promiscuous: a veth end receives
    /// every frame its host sends anyway, and socklab has no business with
    /// any other.
    pub fn open(name: &str, ifindex: u32, mtu: u32) -> Result<Port, CaptureError> {
        let open_err = |source| CaptureError::Open {
            iface: name.to_string(),
            source,
        };
        // Protocol 0: the socket receives nothing until it is bound to its
        // interface below, once the ring is in place (packet(7): "If
        // protocol is set to zero, no packets are received").
        // SAFETY: plain socket(2) call; the descriptor is owned at once.
        let raw = unsafe { libc::socket(libc::AF_PACKET, libc::SOCK_RAW | libc::SOCK_CLOEXEC, 0) };
        if raw < 0 {
            return Err(CaptureError::NoRights(io::Error::last_os_error()));
        }
        // SAFETY: `raw` is a fresh descriptor that nothing else owns.
        let fd = unsafe { OwnedFd::from_raw_fd(raw) };
        let version = libc::tpacket_versions::TPACKET_V2 as libc::c_int;
        set_int_option(raw, libc::SOL_PACKET, libc::PACKET_VERSION, version).map_err(open_err)?;
        // Frames the wire itself sends out of this port are not frames
        // that reached the switch (packet(7), PACKET_IGNORE_OUTGOING,
        // Linux 4.20).
        set_int_option(raw, libc::SOL_PACKET, libc::PACKET_IGNORE_OUTGOING, 1).map_err(open_err)?;
        set_send_timeout(raw, SEND_BOUND).map_err(open_err)?;
        // The wire's frames go straight to the veth, as a switch's would
        // (packet(7), PACKET_QDISC_BYPASS): a veth has no queue of its own
        // (noqueue) to shape them with anyway, and other packet sockets
        // on the wire end have no business seeing them.
        set_int_option(raw, libc::SOL_PACKET, libc::PACKET_QDISC_BYPASS, 1).map_err(open_err)?;

        let layout = Layout::for_mtu(mtu as usize);
        let request = libc::tpacket_req {
            tp_block_size: BLOCK_SIZE as libc::c_uint,
            tp_block_nr: layout.blocks as libc::c_uint,
            tp_frame_size: layout.frame_size as libc::c_uint,
            tp_frame_nr: layout.frames() as libc::c_uint,
        };
        // SAFETY: `request` outlives the call and its size is passed.
        let rc = unsafe {
            libc::setsockopt(
                raw,
                libc::SOL_PACKET,
                libc::PACKET_RX_RING,
                (&request as *const libc::tpacket_req).cast(),
                std::mem::size_of::<libc::tpacket_req>() as libc::socklen_t,
            )
        };
        if rc < 0 {
            return Err(open_err(io::Error::last_os_error()));
        }
        let ring_len = BLOCK_SIZE * layout.blocks;
        // SAFETY: maps the ring the kernel has just allocated for this
        // socket (packet_mmap.rst: "mmap(0, size, PROT_READ|PROT_WRITE,
        // MAP_SHARED, fd, 0)"); the Port unmaps it in Drop.
        let map = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                ring_len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_SHARED,
                raw,
                0,
            )
        };
        if map == libc::MAP_FAILED {
            return Err(open_err(io::Error::last_os_error()));
        }
        let port = Port {
            fd,
            ring: NonNull::new(map.cast()).expect("mmap returned a non-null mapping"),
            ring_len,
            frames: layout.frames(),
            layout,
            head: 0,
        };
        // SAFETY: sockaddr_ll is plain data.
        let mut addr: libc::sockaddr_ll = unsafe { std::mem::zeroed() };
        addr.sll_family = libc::AF_PACKET as libc::c_ushort;
        addr.sll_protocol = (libc::ETH_P_ALL as u16).to_be();
        addr.sll_ifindex = ifindex as libc::c_int;
        // SAFETY: `addr` outlives the call and its size is passed.
        let rc = unsafe {
            libc::bind(
                raw,
                (&addr as *const libc::sockaddr_ll).cast(),
                std::mem::size_of::<libc::sockaddr_ll>() as libc::socklen_t,
            )
        };
        if rc < 0 {
            return Err(open_err(io::Error::last_os_error()));
        }
        Ok(port)
    }

    pub fn fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }

    /// The header of slot `index`.
    fn slot(&self, index: usize) -> *mut libc::tpacket2_hdr {
        let offset = self.layout.offset_of(index);
        debug_assert!(offset + self.layout.frame_size <= self.ring_len);
        // SAFETY: the offset is inside the mapping (checked above in debug
        // builds; `Layout` guarantees it).
        unsafe { self.ring.as_ptr().add(offset).cast() }
    }

    /// The status word of a slot, which the kernel and socklab hand the
    /// slot back and forth with.
    fn status(&self, index: usize) -> &AtomicU32 {
        // SAFETY: tp_status is the first field of the slot's header, a
        // u32 aligned to 16 bytes in memory that lives as long as `self`;
        // the kernel writes it only as the slot changes hands.
        unsafe { AtomicU32::from_ptr(&raw mut (*self.slot(index)).tp_status) }
    }

    /// The oldest frame in the ring, if the kernel has put one there.
    /// It stays there until `release`.
    pub fn peek(&self) -> Option<Received<'_>> {
        // Acquire: the frame's bytes and header, written by the kernel
        // before it set the status (with a memory barrier, smp_wmb in
        // tpacket_rcv), are visible once the status is.
        let status = self.status(self.head).load(Ordering::Acquire);
        if status & libc::TP_STATUS_USER == 0 {
            return None;
        }
        let header = self.slot(self.head);
        // SAFETY: the slot is socklab's until `release`: the kernel does
        // not touch it while its status says TP_STATUS_USER.
        // Its header says where the frame starts (tp_mac) and how much of
        // it the slot holds (tp_snaplen), both inside the slot.
        unsafe {
            let h = header.read();
            let start = usize::from(h.tp_mac);
            let len = (h.tp_snaplen as usize).min(self.layout.frame_size.saturating_sub(start));
            let data = std::slice::from_raw_parts(header.cast::<u8>().add(start), len);
            Some(Received {
                data,
                stamp: u64::from(h.tp_sec) * 1_000_000_000 + u64::from(h.tp_nsec),
                truncated: h.tp_snaplen < h.tp_len,
                losing: status & libc::TP_STATUS_LOSING != 0,
            })
        }
    }

    /// Moves on past the oldest frame, keeping its slot: its bytes stay
    /// as they are until `give_back`.
    pub fn pass(&mut self) -> Slot {
        let slot = Slot(self.head);
        self.head = (self.head + 1) % self.frames;
        slot
    }

    /// Gives a slot back to the kernel, once socklab is done with its
    /// frame. Slots need not go back in order: the kernel looks at each
    /// slot's own status as it comes to it, and counts a frame as lost
    /// only if that slot is still socklab's.
    pub fn give_back(&self, slot: Slot) {
        // Release: socklab is done reading the slot before the kernel may
        // fill it again ("once the packet is read the user must zero the
        // status field", packet_mmap.rst).
        self.status(slot.0)
            .store(libc::TP_STATUS_KERNEL, Ordering::Release);
    }

    /// Where `frame` lies in this port's ring, if it is a frame still in
    /// one of its slots (one that `peek` returned): the switch can then
    /// send it from the ring itself, without copying it first.
    pub fn locate(&self, frame: &[u8]) -> Option<InRing> {
        let offset = (frame.as_ptr() as usize).checked_sub(self.ring.as_ptr() as usize)?;
        if offset + frame.len() > self.ring_len {
            return None;
        }
        Some(InRing {
            slot: Slot(self.layout.slot_at(offset)),
            offset,
            len: frame.len(),
        })
    }

    /// The bytes of a frame `locate` found.
    ///
    /// # Safety
    ///
    /// `place` comes from this port's `locate`, and its slot has not been
    /// given back since (`give_back`): once it has, the kernel may be
    /// writing the next frame there.
    pub unsafe fn frame_at(&self, place: &InRing) -> &[u8] {
        debug_assert!(place.offset + place.len <= self.ring_len);
        // SAFETY: `locate` found the frame inside the mapping, which lives
        // as long as `self`; the slot is still socklab's (the caller's
        // promise), so the kernel does not write to it.
        unsafe { std::slice::from_raw_parts(self.ring.as_ptr().add(place.offset), place.len) }
    }

    /// Hands frames to the host at the other end of the cable, in order,
    /// with as few system calls as the kernel allows (`sendmmsg(2)` sends
    /// as many as it can per call). On a bound packet socket they go out
    /// of that interface (packet(7)). As on any wire, a frame the host
    /// cannot take is lost, and the rest still go; but if the host takes
    /// nothing for `SEND_BOUND`, the rest of the batch is lost with it, so
    /// that a batch waits no longer than one frame.
    pub fn send_all(&self, frames: &[&[u8]]) {
        let mut iovecs: Vec<libc::iovec> = frames
            .iter()
            .map(|frame| libc::iovec {
                iov_base: frame.as_ptr().cast_mut().cast(),
                iov_len: frame.len(),
            })
            .collect();
        // SAFETY: mmsghdr is plain data; all-zero is an empty message.
        let mut messages: Vec<libc::mmsghdr> = iovecs
            .iter_mut()
            .map(|iovec| {
                let mut message: libc::mmsghdr = unsafe { std::mem::zeroed() };
                message.msg_hdr.msg_iov = iovec;
                message.msg_hdr.msg_iovlen = 1;
                message
            })
            .collect();
        let mut sent = 0;
        while sent < messages.len() {
            let left = &mut messages[sent..];
            // SAFETY: each message points at one iovec in `iovecs`, which
            // points into `frames`; all outlive the call, and the length
            // passed is `left`'s.
            let rc = unsafe {
                libc::sendmmsg(self.fd(), left.as_mut_ptr(), left.len() as libc::c_uint, 0)
            };
            if rc >= 0 {
                // Never 0 with messages to send; `max` keeps the loop
                // moving even so.
                sent += (rc as usize).max(1);
                continue;
            }
            // An error is the first frame's own (sendmmsg(2) returns the
            // count when a later one fails).
            if io::Error::last_os_error().kind() == io::ErrorKind::WouldBlock {
                break;
            }
            sent += 1;
        }
    }

    /// Frames the kernel had to drop since the last call because the ring
    /// was full (PACKET_STATISTICS, which the kernel clears as it is read).
    pub fn take_drops(&self) -> u64 {
        // SAFETY: tpacket_stats is plain data.
        let mut stats: libc::tpacket_stats = unsafe { std::mem::zeroed() };
        let mut len = std::mem::size_of::<libc::tpacket_stats>() as libc::socklen_t;
        // SAFETY: `stats` and `len` outlive the call, and `len` is its size.
        let rc = unsafe {
            libc::getsockopt(
                self.fd(),
                libc::SOL_PACKET,
                libc::PACKET_STATISTICS,
                (&mut stats as *mut libc::tpacket_stats).cast(),
                &mut len,
            )
        };
        if rc < 0 { 0 } else { u64::from(stats.tp_drops) }
    }

    /// Clears a pending socket error (an interface that went down), which
    /// would otherwise wake every poll(2) at once.
    pub fn clear_error(&self) {
        let mut error: libc::c_int = 0;
        let mut len = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
        // SAFETY: `error` and `len` outlive the call, and `len` is its size.
        unsafe {
            libc::getsockopt(
                self.fd(),
                libc::SOL_SOCKET,
                libc::SO_ERROR,
                (&mut error as *mut libc::c_int).cast(),
                &mut len,
            );
        }
    }
}

impl Drop for Port {
    fn drop(&mut self) {
        // SAFETY: the mapping was made in `open` with this length and is
        // not used after this; the socket closes after it (field drop).
        unsafe { libc::munmap(self.ring.as_ptr().cast(), self.ring_len) };
    }
}

/// How the runner wakes the switch from its poll(2) at once: an eventfd(2)
/// that the switch polls with its ports.
pub struct Wake {
    fd: OwnedFd,
}

impl Wake {
    pub fn new() -> io::Result<Wake> {
        // SAFETY: plain eventfd(2) call; the descriptor is owned at once.
        let raw = unsafe { libc::eventfd(0, libc::EFD_CLOEXEC | libc::EFD_NONBLOCK) };
        if raw < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `raw` is a fresh descriptor that nothing else owns.
        Ok(Wake {
            fd: unsafe { OwnedFd::from_raw_fd(raw) },
        })
    }

    pub fn fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }

    /// Makes the eventfd readable, which ends the switch's poll(2).
    pub fn ring(&self) {
        let one: u64 = 1;
        // SAFETY: writes the 8 bytes of `one`, as eventfd(2) requires. It
        // can fail only if the counter would overflow, and then the
        // eventfd is readable already.
        unsafe { libc::write(self.fd(), (&one as *const u64).cast(), 8) };
    }

    /// Makes it unreadable again (the counter goes back to zero).
    pub fn clear(&self) {
        let mut count: u64 = 0;
        // SAFETY: reads 8 bytes into `count`, as eventfd(2) requires; the
        // descriptor does not block.
        unsafe { libc::read(self.fd(), (&mut count as *mut u64).cast(), 8) };
    }
}

/// How a ring is cut into slots.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Layout {
    frame_size: usize,
    frames_per_block: usize,
    blocks: usize,
}

impl Layout {
    /// Slots that hold a whole frame of `mtu` bytes of payload. The kernel
    /// puts the frame at `tp_mac`, after the slot's header, the
    /// `sockaddr_ll` and padding so that the network header is aligned
    /// (tpacket_rcv: netoff = TPACKET_ALIGN(tp_hdrlen + max(maclen, 16))),
    /// and cuts anything that does not fit in the slot.
    fn for_mtu(mtu: usize) -> Layout {
        let align = |n: usize| n.div_ceil(libc::TPACKET_ALIGNMENT) * libc::TPACKET_ALIGNMENT;
        let network_offset = align(libc::TPACKET2_HDRLEN + 16);
        // The Ethernet header ends at the network offset; the frame after
        // it is at most the MTU and a VLAN tag.
        let frame_size = align(network_offset + mtu + VLAN_HLEN);
        let frames_per_block = (BLOCK_SIZE / frame_size).max(1);
        let wanted = MIN_FRAMES.max(RING_BYTES / frame_size);
        let blocks = wanted.div_ceil(frames_per_block);
        Layout {
            frame_size,
            frames_per_block,
            blocks,
        }
    }

    fn frames(&self) -> usize {
        self.frames_per_block * self.blocks
    }

    /// Where slot number `index` starts in the ring. Frames never span
    /// blocks, so a block may end with a gap (packet_mmap.rst, "Mapping
    /// and use of the circular buffer").
    fn offset_of(&self, index: usize) -> usize {
        let block = index / self.frames_per_block;
        block * BLOCK_SIZE + (index % self.frames_per_block) * self.frame_size
    }

    /// The slot that the byte at `offset` in the ring belongs to.
    fn slot_at(&self, offset: usize) -> usize {
        let block = offset / BLOCK_SIZE;
        block * self.frames_per_block + (offset % BLOCK_SIZE) / self.frame_size
    }
}

/// SO_SNDTIMEO: a send blocks at most `bound`.
fn set_send_timeout(fd: RawFd, bound: Duration) -> io::Result<()> {
    let timeout = libc::timeval {
        tv_sec: bound.as_secs() as libc::time_t,
        tv_usec: bound.subsec_micros() as libc::suseconds_t,
    };
    // SAFETY: `timeout` outlives the call and its size is passed.
    let rc = unsafe {
        libc::setsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_SNDTIMEO,
            (&timeout as *const libc::timeval).cast(),
            std::mem::size_of::<libc::timeval>() as libc::socklen_t,
        )
    };
    if rc < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slot_holds_a_whole_frame_at_the_mtu() {
        // tpacket2_hdr is 32 bytes, sockaddr_ll 20: the Ethernet header
        // starts at 66 and the IP packet at 80, as tpacket_rcv computes.
        assert_eq!(libc::TPACKET2_HDRLEN, 52);
        for mtu in [576, 1280, 1500, 9000] {
            let layout = Layout::for_mtu(mtu);
            assert!(layout.frame_size >= 80 + mtu + VLAN_HLEN, "{mtu}");
            assert_eq!(layout.frame_size % libc::TPACKET_ALIGNMENT, 0);
            assert!(layout.frames_per_block * layout.frame_size <= BLOCK_SIZE);
            assert!(layout.frames() >= MIN_FRAMES);
        }
        assert_eq!(Layout::for_mtu(1500).frame_size, 1584);
    }

    #[test]
    fn every_byte_of_a_slot_leads_back_to_that_slot() {
        // The switch sends a frame from its slot and must give back that
        // slot, found from where the frame's bytes are.
        for mtu in [576, 1500, 9000] {
            let layout = Layout::for_mtu(mtu);
            for index in 0..layout.frames() {
                let start = layout.offset_of(index);
                assert!(start + layout.frame_size <= layout.blocks * BLOCK_SIZE);
                for offset in [start, start + 66, start + layout.frame_size - 1] {
                    assert_eq!(layout.slot_at(offset), index, "mtu {mtu}, slot {index}");
                }
            }
        }
        // A block's last slot ends before the next block starts: frames
        // never span blocks.
        let layout = Layout::for_mtu(1500);
        let last = layout.frames_per_block - 1;
        assert!(layout.offset_of(last) + layout.frame_size <= BLOCK_SIZE);
        assert_eq!(layout.offset_of(last + 1), BLOCK_SIZE);
    }
}
