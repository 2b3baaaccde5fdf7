//! Replay: a capture file (pcap or pcapng; Ethernet, Linux cooked or raw
//! IP) annotated with the same ladder as a lesson. Frames are read and
//! shown one at a time, so memory does not grow with the file.

use crate::track::roles::Roles;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::capture::decode::{Decoder, Link, Scope};
use crate::capture::file::{CaptureReader, FileFrame, OpenError, Stopped};
use crate::capture::pcap::{CopyOut, PcapError as PcapWriteError};
use crate::packet::Fate;
use crate::render::{Painter, WIDTH, styles};
use crate::runner::{LadderView, Pacer, RunError, ViewIo};

#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    #[error(transparent)]
    Open(#[from] OpenError),
    #[error(transparent)]
    Run(#[from] RunError),
    #[error(transparent)]
    Pcap(#[from] PcapWriteError),
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
    pub painter: Painter,
    pub all_packets: bool,
    /// Also write what was shown as a Mermaid sequence diagram.
    pub mermaid: Option<PathBuf>,
    /// What to print: the ladder, one line per packet, or JSON.
    pub format: Format,
    /// Also write every frame read to this file: a classic pcap while the
    /// frames have one link type, pcapng once a second one appears.
    pub pcap: Option<PathBuf>,
}

/// The shapes replay output can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The ladder diagram with its sentences.
    Ladder,
    /// One line per packet: for long captures, and to compare with
    /// `tcpdump -nr`.
    Lines,
    /// One JSON object per packet (schema in the README, `"v": 1`).
    Json,
}

/// The state of a replay between frames.
struct Replayer {
    p: Painter,
    format: Format,
    view: LadderView,
    roles: Roles,
    decoder: Decoder,
    summary: ReplaySummary,
    /// The first frame's time: the ladder's time zero.
    first: Option<std::time::Duration>,
    /// Link types already said to be unreadable.
    unread_said: Vec<u16>,
    /// `--pcap`: where every frame read is copied.
    copy: Option<CopyOut>,
}

impl Replayer {
    fn frame(
        &mut self,
        out: &mut dyn Write,
        pacer: &mut dyn Pacer,
        raw: FileFrame,
    ) -> Result<(), ReplayError> {
        self.summary.frames += 1;
        let number = raw.number;
        if let Some(copy) = self.copy.as_mut() {
            copy.write(raw.link.unwrap_or(0), raw.time, &raw.data, raw.wire_len)?;
        }
        let at = raw.time.saturating_sub(*self.first.get_or_insert(raw.time));
        let Some(link) = raw.link.and_then(Link::from_linktype) else {
            self.summary.unread_link += 1;
            let reason = match raw.link {
                None => "its packet block names an interface the file never described; \
                         its link type is unknown"
                    .to_string(),
                Some(l) if self.unread_said.contains(&l) => return Ok(()),
                Some(l) => {
                    self.unread_said.push(l);
                    format!(
                        "{} is not one socklab reads: its frames are skipped",
                        Link::linktype_name(l)
                    )
                }
            };
            return self.problem(out, pacer, number, at, "skipped", &reason);
        };
        let packet =
            match self
                .decoder
                .decode(link, number, at, &raw.data, raw.wire_len > raw.data.len())
            {
                Ok(packet) => packet,
                Err(e) => {
                    self.summary.malformed += 1;
                    return self.problem(out, pacer, number, at, "malformed", &e.reason);
                }
            };
        if let Some(packet) = packet {
            self.summary.explained += 1;
            if self.format == Format::Json {
                let row = self.view.tracker.track(packet);
                writeln!(out, "{}", crate::render::json::packet(&row)).map_err(RunError::Output)?;
                return Ok(());
            }
            if self.format == Format::Lines {
                let row = self.view.tracker.track(packet);
                let p = &row.packet;
                writeln!(
                    out,
                    "{:.6} {} > {} {}",
                    p.at.as_secs_f64(),
                    p.src,
                    p.dst,
                    crate::render::ladder::label(&row)
                )
                .map_err(RunError::Output)?;
                return Ok(());
            }
            let (from, to) = self.roles.of(&packet, &[]);
            let mut io = ViewIo {
                p: &self.p,
                out,
                pacer,
            };
            self.view.show(&mut io, packet, from, to, Fate::Delivered)?;
        }
        Ok(())
    }

    /// A frame that is not explained, and why: a line of its own in every
    /// format, as tshark marks a malformed packet and goes on.
    fn problem(
        &mut self,
        out: &mut dyn Write,
        pacer: &mut dyn Pacer,
        number: usize,
        at: std::time::Duration,
        what: &str,
        reason: &str,
    ) -> Result<(), ReplayError> {
        match self.format {
            Format::Json => {
                let event = crate::render::json::event(
                    what,
                    serde_json::json!({
                        "frame": number,
                        "time": at.as_secs_f64(),
                        "reason": reason,
                    }),
                );
                writeln!(out, "{event}").map_err(RunError::Output)?;
            }
            Format::Lines => {
                writeln!(
                    out,
                    "{:.6} frame {number} {what}: {reason}",
                    at.as_secs_f64()
                )
                .map_err(RunError::Output)?;
            }
            Format::Ladder => {
                let mut io = ViewIo {
                    p: &self.p,
                    out: &mut *out,
                    pacer: &mut *pacer,
                };
                self.view.end_run(&mut io)?;
                self.view.new_ladder();
                let text = format!("  frame {number} {what}: {reason}");
                writeln!(out, "{}", self.p.paint(&text, styles::rule()))
                    .map_err(RunError::Output)?;
            }
        }
        Ok(())
    }
}

pub fn replay(
    path: &Path,
    options: ReplayOptions,
    out: &mut dyn Write,
    pacer: &mut dyn Pacer,
) -> Result<ReplaySummary, ReplayError> {
    let p = options.painter;
    let mut reader = CaptureReader::open(path)?;
    let mut replayer = Replayer {
        p,
        format: options.format,
        view: LadderView::new(options.all_packets).folding_losses(),
        roles: Roles::default(),
        decoder: Decoder::new(Scope::Everything),
        summary: ReplaySummary::default(),
        first: None,
        unread_said: Vec::new(),
        copy: options.pcap.as_deref().map(CopyOut::new),
    };
    if options.mermaid.is_some() {
        replayer.view.mermaid = Some(Default::default());
    }
    if options.format == Format::Ladder {
        let title = format!("socklab · replay of {}", path.display());
        writeln!(out, "{}", p.paint(&title, styles::title())).map_err(RunError::Output)?;
        writeln!(out, "{}", p.paint(&"═".repeat(WIDTH), styles::rule()))
            .map_err(RunError::Output)?;
    }
    while let Some(next) = reader.next() {
        match next {
            Ok(frame) => replayer.frame(out, pacer, frame)?,
            Err(stopped) => replayer.summary.stopped = Some(stopped),
        }
    }
    let mut io = ViewIo {
        p: &p,
        out: &mut *out,
        pacer: &mut *pacer,
    };
    replayer.view.end_run(&mut io)?;
    if let (Some(path), Some(mermaid)) = (&options.mermaid, &replayer.view.mermaid) {
        crate::runner::write_export(path, &mermaid.render())?;
    }
    if let Some(copy) = replayer.copy.take() {
        copy.finish()?;
    }
    let summary = replayer.summary;
    // A file cut short or damaged: what came before was replayed; the
    // reader says where it stopped and why (on standard error, whatever
    // the format, so that a script sees it too).
    if let Some(stopped) = &summary.stopped {
        out.flush().map_err(RunError::Output)?;
        eprintln!(
            "socklab: {stopped}; the {} frames before it were replayed",
            stopped.frame.saturating_sub(1)
        );
    }
    if options.format != Format::Ladder {
        out.flush().map_err(RunError::Output)?;
        return Ok(summary);
    }
    let skipped = summary.frames - summary.explained - summary.malformed;
    let mut text = format!(
        "\n{} frames: {} TCP or UDP packets explained, {skipped} other frames skipped",
        summary.frames, summary.explained
    );
    if summary.malformed > 0 {
        text.push_str(&format!(
            ", {} malformed (each named above, with the reason)",
            summary.malformed
        ));
    }
    text.push('.');
    if let Some(stopped) = &summary.stopped {
        text.push_str(&format!(
            "\nThe file stops being readable at frame {}: {}.",
            stopped.frame, stopped.reason
        ));
    }
    writeln!(out, "{}", p.paint(&text, styles::good())).map_err(RunError::Output)?;
    Ok(summary)
}
