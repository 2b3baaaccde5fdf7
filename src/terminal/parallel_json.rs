//! `--format json` for long captures: events become JSON lines on worker
//! threads while the replay goes on decoding and tracking, and one more
//! thread writes the lines out in the events' order.
//!
//! Why: a packet's event is about 600 bytes of JSON (tcpdump's line is
//! 100), and writing it costs about as much as decoding and tracking the
//! frame. On one thread `replay --format json` of a million frames took
//! 1.8 s of CPU, half of it JSON. The events go in numbered batches,
//! round-robin, to one worker per core; each worker hands back its batch's
//! text with the batch's number, and the writer puts the texts out in
//! number order, so the output is byte for byte the one-thread [`Json`]'s.
//! Memory stays bounded: each worker takes at most `IN_FLIGHT` batches
//! ahead, and the producer waits when they are all taken.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::mpsc;
use std::thread::JoinHandle;

use super::Json;
use crate::event::{Event, Halt, Sink};

/// Events per batch: one channel message, and one write, per batch.
const BATCH: usize = 2048;
/// Batches a worker may have waiting: a batch of packets' events is about
/// 1.2 MB of text.
const IN_FLIGHT: usize = 2;

type Numbered<T> = (u64, T);

pub struct ParallelJson {
    batch: Vec<Event>,
    /// Batches sent so far: the next batch's number.
    sent: u64,
    workers: Vec<mpsc::SyncSender<Numbered<Vec<Event>>>>,
    threads: Vec<JoinHandle<()>>,
    writer: Option<JoinHandle<Result<(), Halt>>>,
}

impl ParallelJson {
    /// Writes to `out` (standard output, say) from a thread of its own,
    /// with `workers` threads making the text (at least one).
    pub fn new(out: impl Write + Send + 'static, workers: usize) -> ParallelJson {
        let (texts, written) = mpsc::sync_channel::<Numbered<Vec<u8>>>(workers.max(1) * IN_FLIGHT);
        let mut senders = Vec::new();
        let mut threads = Vec::new();
        for _ in 0..workers.max(1) {
            let (sender, batches) = mpsc::sync_channel::<Numbered<Vec<Event>>>(IN_FLIGHT);
            let texts = texts.clone();
            senders.push(sender);
            threads.push(std::thread::spawn(move || serialise(batches, texts)));
        }
        drop(texts);
        ParallelJson {
            batch: Vec::with_capacity(BATCH),
            sent: 0,
            workers: senders,
            threads,
            writer: Some(std::thread::spawn(move || write_in_order(written, out))),
        }
    }

    /// Hands the batch so far to the next worker. A worker that is gone
    /// stopped because the writer did: its error is the run's.
    fn send(&mut self) -> Result<(), Halt> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
        let worker = &self.workers[(self.sent % self.workers.len() as u64) as usize];
        let number = self.sent;
        self.sent += 1;
        if worker.send((number, batch)).is_err() {
            return self.stop();
        }
        Ok(())
    }

    /// Lets the threads end and says how the writing went.
    fn stop(&mut self) -> Result<(), Halt> {
        self.workers.clear();
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
        match self.writer.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(Halt::Output(std::io::Error::other(
                "the JSON writer thread panicked",
            ))),
            None => Ok(()),
        }
    }
}

/// A worker: each batch's events made into lines, as [`Json`] makes them.
fn serialise(
    batches: mpsc::Receiver<Numbered<Vec<Event>>>,
    texts: mpsc::SyncSender<Numbered<Vec<u8>>>,
) {
    for (number, events) in batches {
        let mut text = Vec::with_capacity(events.len() * 640);
        let mut json = Json::new(&mut text);
        for event in events {
            // Writing to a Vec cannot fail.
            let _ = json.emit(event);
        }
        if texts.send((number, text)).is_err() {
            return;
        }
    }
}

/// The writer: texts out in their batches' order, whatever order the
/// workers finish them in.
fn write_in_order(
    texts: mpsc::Receiver<Numbered<Vec<u8>>>,
    mut out: impl Write,
) -> Result<(), Halt> {
    let mut next = 0;
    let mut early = BTreeMap::new();
    for (number, text) in texts {
        early.insert(number, text);
        while let Some(text) = early.remove(&next) {
            out.write_all(&text).map_err(Halt::Output)?;
            next += 1;
        }
    }
    out.flush().map_err(Halt::Output)
}

impl Sink for ParallelJson {
    fn emit(&mut self, event: Event) -> Result<(), Halt> {
        self.batch.push(event);
        if self.batch.len() >= BATCH {
            self.send()?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), Halt> {
        self.send()?;
        self.stop()
    }
}

impl Drop for ParallelJson {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// A writer the test can read afterwards.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);
    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// A writer whose reader has gone.
    struct Closed;
    impl Write for Closed {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn events(n: usize) -> Vec<Event> {
        (0..n)
            .map(|frame| {
                Event::Skipped(crate::event::SkippedFrame {
                    frame,
                    time: std::time::Duration::from_micros(frame as u64),
                    why: crate::event::Skipped::Malformed,
                    reason: format!("reason {frame}"),
                })
            })
            .collect()
    }

    #[test]
    fn the_lines_are_the_one_thread_writers_in_the_same_order() {
        // Several batches, the last one partial, over three workers.
        let n = BATCH * 7 + 5;
        let mut alone = Vec::new();
        let mut json = Json::new(&mut alone);
        for event in events(n) {
            json.emit(event).unwrap();
        }
        let shared = Shared::default();
        let mut parallel = ParallelJson::new(shared.clone(), 3);
        for event in events(n) {
            parallel.emit(event).unwrap();
        }
        parallel.finish().unwrap();
        let written = shared.0.lock().unwrap().clone();
        assert_eq!(written.iter().filter(|&&b| b == b'\n').count(), n);
        assert!(written == alone, "the parallel writer's text differs");
    }

    #[test]
    fn a_closed_output_stops_the_producer_with_its_error() {
        let mut parallel = ParallelJson::new(Closed, 2);
        let error = events(BATCH * 40)
            .into_iter()
            .try_for_each(|event| parallel.emit(event))
            .and_then(|()| parallel.finish())
            .expect_err("writing to a closed output fails");
        assert!(
            matches!(&error, Halt::Output(e) if e.kind() == std::io::ErrorKind::BrokenPipe),
            "{error:?}"
        );
    }
}
