//! Frames the switch has recorded, on their way to the runner.
//!
//! The switch copies each frame once, into a chunk of memory mapped ahead
//! of time, and sends the runner batches that name their frames' places in
//! the chunk; the runner's thread makes them into frames of their own.
//! Mapping ahead matters: a bulk transfer records a frame every few
//! microseconds, and memory met for the first time costs a page fault per
//! 4 KiB (on a virtual machine, often a trip to the host too). A frame
//! allocated on its own, on the switch's thread, cost a fifth of the
//! switch's time in perf (glibc grew the thread's heap a page at a time,
//! with an mprotect(2) and a fault for each). Under a stream the chunks are
//! 2 MiB and asked for as transparent huge pages (madvise(2),
//! MADV_HUGEPAGE): one fault, one zeroing, for 1 400 frames.

use std::ptr::NonNull;
use std::sync::{Arc, mpsc};
use std::time::{Duration, SystemTime};

use crate::capture::Frame;

use super::{Fate, WireFrame};

/// The first chunk; each next one is twice as large, up to `LARGEST`. A
/// lesson of a few dozen frames maps one small chunk.
const FIRST: usize = 64 << 10;
/// A huge page on x86-64 and arm64 (with 4 KiB pages).
const LARGEST: usize = 2 << 20;
/// From a chunk this large on (after 448 KiB recorded: some 300 frames of
/// 1 500 bytes), the frames are a stream.
const STREAM: usize = 512 << 10;

/// Memory mapped for frames, unmapped when the last batch that names it
/// is gone.
struct Chunk {
    ptr: NonNull<u8>,
    len: usize,
}

// SAFETY: the mapping belongs to the Chunk alone. The switch writes only
// past every range it has handed to a batch, through a raw pointer; a
// batch's reader reads only its own range, written before the batch was
// sent (the channel orders the two).
unsafe impl Send for Chunk {}
unsafe impl Sync for Chunk {}

impl Chunk {
    fn map(len: usize) -> Option<Chunk> {
        // SAFETY: a fresh private anonymous mapping, owned by the Chunk.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if ptr == libc::MAP_FAILED {
            return None;
        }
        // SAFETY: advice on the mapping just made. A huge page where the
        // kernel has one to give (MADV_HUGEPAGE), and every page faulted in
        // now, in one call (MADV_POPULATE_WRITE, Linux 5.14); where either
        // is unknown, nothing changes but the speed.
        unsafe {
            if len >= LARGEST {
                libc::madvise(ptr, len, libc::MADV_HUGEPAGE);
            }
            libc::madvise(ptr, len, libc::MADV_POPULATE_WRITE);
        }
        Some(Chunk {
            ptr: NonNull::new(ptr.cast())?,
            len,
        })
    }

    /// The bytes at `start..start + len`.
    ///
    /// # Safety
    /// Nobody writes them while the slice lives.
    unsafe fn bytes(&self, start: usize, len: usize) -> &[u8] {
        assert!(start + len <= self.len);
        // SAFETY: inside the mapping (checked), and not written meanwhile
        // (the caller's promise).
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr().add(start), len) }
    }
}

impl Drop for Chunk {
    fn drop(&mut self) {
        // SAFETY: the mapping made in `map`, with its length; no batch
        // names it any more.
        unsafe { libc::munmap(self.ptr.as_ptr().cast(), self.len) };
    }
}

/// Frames for the runner: their places in one chunk, in order.
pub struct Batch {
    chunk: Option<Arc<Chunk>>,
    frames: Vec<Recorded>,
}

/// One frame of a batch.
struct Recorded {
    number: usize,
    at: Duration,
    wall: SystemTime,
    start: usize,
    len: usize,
    fate: Fate,
}

impl Batch {
    /// The batch's frames, each with bytes of its own, in order.
    pub fn frames(self) -> impl Iterator<Item = WireFrame> {
        let chunk = self.chunk;
        self.frames.into_iter().map(move |r| {
            let data = match &chunk {
                // SAFETY: the switch wrote this range before it sent the
                // batch, and writes only past it.
                Some(chunk) => unsafe { chunk.bytes(r.start, r.len) }.to_vec(),
                None => Vec::new(),
            };
            WireFrame {
                frame: Frame {
                    number: r.number,
                    at: r.at,
                    wall: r.wall,
                    data,
                },
                fate: r.fate,
            }
        })
    }
}

/// The switch's side: the chunk it is filling and the batch being made.
pub struct Recorder {
    chunk: Option<Arc<Chunk>>,
    /// How much of the chunk is written.
    filled: usize,
    frames: Vec<Recorded>,
    /// Under a stream, chunks of the largest size mapped ahead of need.
    ahead: Option<mpsc::Receiver<Chunk>>,
}

impl Recorder {
    /// A batch goes to the runner after this many frames at most, or
    /// once its first frame is `AGE` old, so that under a steady stream
    /// the runner still sees each frame within a millisecond.
    pub const FRAMES: usize = 64;
    pub const AGE: Duration = Duration::from_millis(1);

    pub fn new() -> Recorder {
        Recorder {
            chunk: None,
            filled: 0,
            frames: Vec::new(),
            ahead: None,
        }
    }

    /// Records a frame. When the chunk has no room left for it, the batch
    /// made so far is returned, to go to the runner before this frame's.
    pub fn push(
        &mut self,
        number: usize,
        at: Duration,
        wall: SystemTime,
        data: &[u8],
        fate: Fate,
    ) -> Option<Batch> {
        let room = self.chunk.as_ref().map_or(0, |c| c.len - self.filled);
        let mut sealed = None;
        if room < data.len() {
            sealed = self.take();
            let len = match &self.chunk {
                None => FIRST,
                Some(old) => (old.len * 2).min(LARGEST),
            }
            .max(data.len().next_power_of_two());
            // Without memory for it, the frame is still counted and shown,
            // with no bytes.
            self.chunk = self.chunk_of(len).map(Arc::new);
            self.filled = 0;
        }
        let start = self.filled;
        let len = match &self.chunk {
            Some(chunk) if chunk.len - start >= data.len() => {
                // SAFETY: inside the mapping (checked), past every range
                // handed to a batch, so no one reads it meanwhile.
                unsafe {
                    std::ptr::copy_nonoverlapping(
                        data.as_ptr(),
                        chunk.ptr.as_ptr().add(start),
                        data.len(),
                    );
                }
                data.len()
            }
            _ => 0,
        };
        self.filled += len;
        self.frames.push(Recorded {
            number,
            at,
            wall,
            start,
            len,
            fate,
        });
        sealed
    }

    /// A chunk of `len` bytes, or a larger one. The first of `STREAM`
    /// bytes or more means a stream: from then on, chunks of the largest
    /// size are mapped ahead, on a thread of their own.
    fn chunk_of(&mut self, len: usize) -> Option<Chunk> {
        if len >= STREAM {
            match &self.ahead {
                None => self.ahead = map_ahead(),
                Some(ahead) => {
                    if let Ok(chunk) = ahead.try_recv() {
                        return Some(chunk);
                    }
                }
            }
        }
        // Not a stream, or the next chunk is not ready yet.
        Chunk::map(len)
    }

    /// Full, or holding a frame that has waited long enough.
    pub fn is_due(&self, now: Duration) -> bool {
        self.frames.len() >= Recorder::FRAMES
            || self
                .frames
                .first()
                .is_some_and(|first| now.saturating_sub(first.at) >= Recorder::AGE)
    }

    /// The frames recorded since the last batch, as a batch.
    pub fn take(&mut self) -> Option<Batch> {
        if self.frames.is_empty() {
            return None;
        }
        // The next batch is likely to hold as many frames as this one.
        let next = Vec::with_capacity(self.frames.len());
        Some(Batch {
            chunk: self.chunk.clone(),
            frames: std::mem::replace(&mut self.frames, next),
        })
    }
}

/// Maps chunks of the largest size on a thread of its own, one ahead of
/// the one waiting to be taken. Mapping one costs its zeroing, a fault
/// and, here, populating all its pages: under a stream that was a seventh
/// of the switch thread's time in perf, taken from forwarding frames. The
/// thread ends when the recorder is gone (its chunk waiting to be taken
/// is then unmapped), or when memory runs out.
fn map_ahead() -> Option<mpsc::Receiver<Chunk>> {
    let (ready, ahead) = mpsc::sync_channel(1);
    std::thread::Builder::new()
        .name("wire memory".into())
        .spawn(move || {
            while let Some(chunk) = Chunk::map(LARGEST) {
                if ready.send(chunk).is_err() {
                    break;
                }
            }
        })
        .ok()?;
    Some(ahead)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn contents(batch: Batch) -> Vec<(usize, Vec<u8>, Fate)> {
        batch
            .frames()
            .map(|w| (w.frame.number, w.frame.data, w.fate))
            .collect()
    }

    #[test]
    fn a_batch_gives_back_its_frames_in_order_each_with_its_own_bytes() {
        let mut recorder = Recorder::new();
        let wall = SystemTime::UNIX_EPOCH;
        assert!(recorder.take().is_none());
        assert!(
            recorder
                .push(1, ms(0), wall, b"first frame", Fate::Delivered)
                .is_none()
        );
        assert!(recorder.push(2, ms(0), wall, b"", Fate::Dropped).is_none());
        assert!(
            recorder
                .push(3, ms(0), wall, b"third", Fate::Corrupted)
                .is_none()
        );
        assert!(!recorder.is_due(ms(0)));
        assert!(recorder.is_due(Recorder::AGE));
        let batch = recorder.take().unwrap();
        assert!(recorder.take().is_none());
        // The next batch fills the same chunk further on.
        recorder.push(4, ms(2), wall, b"fourth", Fate::Delivered);
        let next = recorder.take().unwrap();
        assert_eq!(
            contents(batch),
            [
                (1, b"first frame".to_vec(), Fate::Delivered),
                (2, vec![], Fate::Dropped),
                (3, b"third".to_vec(), Fate::Corrupted),
            ]
        );
        assert_eq!(contents(next), [(4, b"fourth".to_vec(), Fate::Delivered)]);
    }

    #[test]
    fn under_a_stream_chunks_are_mapped_ahead_and_every_frame_keeps_its_bytes() {
        let mut recorder = Recorder::new();
        let wall = SystemTime::UNIX_EPOCH;
        let mut batches = Vec::new();
        // 3 000 frames of 1 514 bytes: 4.5 MB, past `STREAM` and through
        // several chunks of the largest size. Frame n's bytes are all n
        // (mod 256).
        for number in 1..=3000 {
            let frame = [number as u8; 1514];
            batches.extend(recorder.push(number, ms(0), wall, &frame, Fate::Delivered));
        }
        assert!(recorder.ahead.is_some(), "a stream maps its chunks ahead");
        batches.extend(recorder.take());
        let frames: Vec<_> = batches.into_iter().flat_map(Batch::frames).collect();
        assert_eq!(frames.len(), 3000);
        for (n, w) in (1..).zip(&frames) {
            assert_eq!(w.frame.number, n);
            assert_eq!(w.frame.data, [n as u8; 1514], "frame {n}");
        }
    }

    #[test]
    fn a_full_chunk_hands_over_its_batch_before_the_frame_that_did_not_fit() {
        let mut recorder = Recorder::new();
        let wall = SystemTime::UNIX_EPOCH;
        let frame = [7u8; 1514];
        let mut batches = Vec::new();
        for number in 1..=200 {
            if let Some(sealed) = recorder.push(number, ms(0), wall, &frame, Fate::Delivered) {
                batches.push(sealed);
            }
            if recorder.is_due(ms(0)) {
                batches.extend(recorder.take());
            }
        }
        batches.extend(recorder.take());
        let frames: Vec<_> = batches.into_iter().flat_map(Batch::frames).collect();
        assert_eq!(frames.len(), 200);
        for (n, w) in frames.iter().enumerate() {
            assert_eq!(w.frame.number, n + 1);
            assert_eq!(w.frame.data, frame);
        }
    }
}
