//! Replay: a capture file (pcap or pcapng, of any link type libpcap
//! reads) told as events, as a lesson is: the same ladder, sentences,
//! lines and JSON. Frames are read and told one at a time, so memory does
//! not grow with the file.

use std::path::{Path, PathBuf};

use crate::capture::decode::{Decoder, Link, Scope};
use crate::capture::file::{CaptureReader, FileFrame, OpenError, Stopped};
use crate::capture::pcap::{CopyOut, PcapError as PcapWriteError};
use crate::event::{self, Event, Halt, Sink};
use crate::packet::Fate;
use crate::runner::RunError;
use crate::t;
use crate::track::Tracker;
use crate::track::roles::Roles;

#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    #[error(transparent)]
    Open(#[from] OpenError),
    #[error(transparent)]
    Run(#[from] RunError),
    #[error(transparent)]
    Pcap(#[from] PcapWriteError),
}

impl From<Halt> for ReplayError {
    fn from(halt: Halt) -> ReplayError {
        ReplayError::Run(halt.into())
    }
}

/// What a replay went through.
#[derive(Debug, Default, Clone)]
pub struct ReplaySummary {
    pub frames: usize,
    pub explained: usize,
    /// Frames that could not be decoded (shown with the reason).
    pub malformed: usize,
    /// Frames of a link type socklab does not read.
    pub unread_link: usize,
    /// Where reading stopped before the end of the file, and why.
    pub stopped: Option<Stopped>,
}

pub struct ReplayOptions {
    /// Also write every frame read to this file: a classic pcap while the
    /// frames have one link type, pcapng once a second one appears.
    pub pcap: Option<PathBuf>,
}

/// The state of a replay between frames.
struct Replayer<'a> {
    sink: &'a mut dyn Sink,
    tracker: Tracker,
    roles: Roles,
    decoder: Decoder,
    summary: ReplaySummary,
    /// The first frame's time: the capture's time zero.
    first: Option<std::time::Duration>,
    /// Link types already said to be unreadable.
    unread_said: Vec<u16>,
    /// `--pcap`: where every frame read is copied.
    copy: Option<CopyOut>,
}

impl Replayer<'_> {
    fn frame(&mut self, raw: FileFrame) -> Result<(), ReplayError> {
        self.summary.frames += 1;
        let number = raw.number;
        if let Some(copy) = self.copy.as_mut() {
            copy.write(raw.link.unwrap_or(0), raw.time, &raw.data, raw.wire_len)?;
        }
        let at = raw.time.saturating_sub(*self.first.get_or_insert(raw.time));
        let Some(link) = raw.link.and_then(Link::from_linktype) else {
            self.summary.unread_link += 1;
            let reason = match raw.link {
                None => t!("frame-unknown-interface"),
                Some(l) if self.unread_said.contains(&l) => return Ok(()),
                Some(l) => {
                    self.unread_said.push(l);
                    t!("frame-unread-link", link = Link::linktype_name(l))
                }
            };
            return self.skipped(number, at, event::Skipped::Unread, reason);
        };
        let truncated = raw.wire_len > raw.data.len();
        let packet = match self.decoder.decode(link, number, at, &raw.data, truncated) {
            Ok(packet) => packet,
            Err(e) => {
                self.summary.malformed += 1;
                return self.skipped(number, at, event::Skipped::Malformed, e.reason);
            }
        };
        if let Some(packet) = packet {
            self.summary.explained += 1;
            let ((from, _), (to, _)) = self.roles.of(&packet, &[]);
            let row = self.tracker.track(packet);
            self.sink.emit(Event::Packet(event::PacketShown {
                step: None,
                from: from.to_string(),
                to: to.to_string(),
                fate: Fate::Delivered,
                row,
                raw: None,
            }))?;
        }
        Ok(())
    }

    /// A frame that is not explained, and why: told as tshark marks a
    /// malformed packet, and the replay goes on.
    fn skipped(
        &mut self,
        frame: usize,
        time: std::time::Duration,
        why: event::Skipped,
        reason: String,
    ) -> Result<(), ReplayError> {
        self.sink.emit(Event::Skipped(event::SkippedFrame {
            frame,
            time,
            why,
            reason,
        }))?;
        Ok(())
    }
}

/// Reads a capture file to its end (or to where it stops being readable),
/// telling each frame to `sink`.
pub fn replay(
    path: &Path,
    options: ReplayOptions,
    sink: &mut dyn Sink,
) -> Result<ReplaySummary, ReplayError> {
    let mut reader = CaptureReader::open(path)?;
    let mut replayer = Replayer {
        sink,
        tracker: Tracker::new(),
        roles: Roles::default(),
        decoder: Decoder::new(Scope::Everything),
        summary: ReplaySummary::default(),
        first: None,
        unread_said: Vec::new(),
        copy: options.pcap.as_deref().map(CopyOut::new),
    };
    replayer.sink.emit(Event::Capture(event::CaptureStart {
        source: path.display().to_string(),
        live: false,
        ports: Vec::new(),
        congestion_unread: None,
    }))?;
    let result = (|| {
        while let Some(next) = reader.next() {
            match next {
                Ok(frame) => replayer.frame(frame)?,
                Err(stopped) => replayer.summary.stopped = Some(stopped),
            }
        }
        let summary = &replayer.summary;
        let end = event::CaptureEnd {
            frames: summary.frames,
            explained: summary.explained,
            malformed: summary.malformed,
            stopped: summary.stopped.as_ref().map(|s| event::Stopped {
                frame: s.frame,
                reason: s.reason.clone(),
            }),
        };
        replayer.sink.emit(Event::CaptureEnd(end))?;
        Ok::<(), ReplayError>(())
    })();
    let finished = replayer.sink.finish();
    result?;
    finished?;
    if let Some(copy) = replayer.copy.take() {
        copy.finish()?;
    }
    Ok(replayer.summary)
}
