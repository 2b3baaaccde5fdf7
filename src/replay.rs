//! Replay: a capture file (pcap or pcapng; Ethernet, Linux cooked or raw
//! IP) annotated with the same ladder as a lesson. Frames are read and
//! shown one at a time, so memory does not grow with the file.

use crate::track::roles::Roles;
use std::fs::File;
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use pcap_file::pcap::PcapReader;
use pcap_file::pcapng::blocks::interface_description::InterfaceDescriptionOption;
use pcap_file::pcapng::{Block, PcapNgReader};
use pcap_file::{PcapError, TsResolution};

use crate::capture::decode::{DecodeError, Link, decode_frame};
use crate::capture::pcap::{PcapError as PcapWriteError, PcapOut};
use crate::packet::Fate;
use crate::render::{Painter, WIDTH, styles};
use crate::runner::{LadderView, Pacer, RunError, ViewIo};

#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    #[error("cannot read {path}: {source}")]
    Open {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not a capture file socklab can read (pcap or pcapng): {message}")]
    NotACapture { path: PathBuf, message: String },
    #[error("{path}: frame {frame}: {message}")]
    Frame {
        path: PathBuf,
        frame: usize,
        message: String,
    },
    #[error("{path}: {source}")]
    Decode { path: PathBuf, source: DecodeError },
    #[error(transparent)]
    Run(#[from] RunError),
    #[error(transparent)]
    Pcap(#[from] PcapWriteError),
}

/// What a replay went through.
#[derive(Debug, Default, Clone, Copy)]
pub struct ReplaySummary {
    pub frames: usize,
    pub explained: usize,
}

pub struct ReplayOptions {
    pub painter: Painter,
    pub all_packets: bool,
    /// Also write what was shown as a Mermaid sequence diagram.
    pub mermaid: Option<PathBuf>,
    /// What to print: the ladder, one line per packet, or JSON.
    pub format: Format,
    /// Also write every frame read to this pcap file, in the source's
    /// link type (a pcapng file becomes a classic pcap).
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

/// A pcapng interface's timestamp resolution (`if_tsresol`, RFC draft
/// "PCAP Next Generation" §4.2): 10^-n seconds, or 2^-n with the high bit
/// set; microseconds when absent.
#[derive(Debug, Clone, Copy)]
struct TimeUnit(u8);

impl Default for TimeUnit {
    fn default() -> TimeUnit {
        TimeUnit(6)
    }
}

impl TimeUnit {
    /// pcap-file hands the raw timestamp over as if it counted nanoseconds;
    /// this scales it by the interface's real unit.
    fn duration(self, raw: Duration) -> Duration {
        let units = raw.as_nanos();
        let nanos = if self.0 & 0x80 == 0 {
            let per_second = 10u128.pow(u32::from(self.0.min(30)));
            units * 1_000_000_000 / per_second.max(1)
        } else {
            let shift = u32::from(self.0 & 0x7f).min(100);
            (units * 1_000_000_000) >> shift
        };
        Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
    }
}

/// One frame of the file: its link layer, time and bytes, and its length
/// on the wire (more than the bytes kept when a snapshot length cut it).
struct RawFrame {
    link: Option<pcap_file::DataLink>,
    time: Duration,
    data: Vec<u8>,
    wire_len: usize,
}

/// The state of a replay between frames.
struct Replayer<'a> {
    path: &'a Path,
    p: Painter,
    format: Format,
    view: LadderView,
    roles: Roles,
    summary: ReplaySummary,
    /// The first frame's time: the ladder's time zero.
    first: Option<Duration>,
    /// `--pcap`: where to write, and the file once the first frame gave
    /// its link type.
    pcap: Option<(PathBuf, Option<(PcapOut, pcap_file::DataLink)>)>,
}

impl Replayer<'_> {
    fn frame(
        &mut self,
        out: &mut dyn Write,
        pacer: &mut dyn Pacer,
        raw: RawFrame,
    ) -> Result<(), ReplayError> {
        self.summary.frames += 1;
        let number = self.summary.frames;
        if let (Some((path, file)), Some(link)) = (self.pcap.as_mut(), raw.link) {
            if file.is_none() {
                *file = Some((PcapOut::create_with(path, link)?, link));
            }
            if let Some((out, first_link)) = file.as_mut() {
                if *first_link != link {
                    return Err(ReplayError::Frame {
                        path: self.path.to_path_buf(),
                        frame: number,
                        message: format!(
                            "its link type ({link:?}) differs from the first frame's \
                             ({first_link:?}): one pcap file holds one link type"
                        ),
                    });
                }
                out.write_raw(raw.time, &raw.data, raw.wire_len)?;
            }
        }
        let link = raw
            .link
            .and_then(Link::from_datalink)
            .ok_or_else(|| ReplayError::Frame {
                path: self.path.to_path_buf(),
                frame: number,
                message: format!(
                    "link type {:?} is not one socklab reads (Ethernet, Linux cooked, raw IP)",
                    raw.link
                ),
            })?;
        let at = raw.time.saturating_sub(*self.first.get_or_insert(raw.time));
        let packet = decode_frame(link, number, at, &raw.data, raw.wire_len > raw.data.len())
            .map_err(|source| ReplayError::Decode {
                path: self.path.to_path_buf(),
                source,
            })?;
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
}

pub fn replay(
    path: &Path,
    options: ReplayOptions,
    out: &mut dyn Write,
    pacer: &mut dyn Pacer,
) -> Result<ReplaySummary, ReplayError> {
    let p = options.painter;
    let file = File::open(path).map_err(|source| ReplayError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    let mut reader = BufReader::new(file);
    let mut magic = [0u8; 4];
    reader
        .read_exact(&mut magic)
        .map_err(|e| ReplayError::NotACapture {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
    let reader = std::io::Cursor::new(magic).chain(reader);

    let mut replayer = Replayer {
        path,
        p,
        format: options.format,
        view: LadderView::new(options.all_packets).folding_losses(),
        roles: Roles::default(),
        summary: ReplaySummary::default(),
        first: None,
        pcap: options.pcap.clone().map(|path| (path, None)),
    };
    if options.mermaid.is_some() {
        replayer.view.mermaid = Some(Default::default());
    }

    let not_capture = |message: String| ReplayError::NotACapture {
        path: path.to_path_buf(),
        message,
    };
    let frame_error = |frame: usize, error: PcapError| ReplayError::Frame {
        path: path.to_path_buf(),
        frame,
        message: match error {
            PcapError::IncompleteBuffer => {
                "the file ends in the middle of this frame: it was cut short".to_string()
            }
            PcapError::IoError(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                "the file ends in the middle of this frame: it was cut short".to_string()
            }
            other => other.to_string(),
        },
    };
    let title = |out: &mut dyn Write| -> Result<(), RunError> {
        if options.format != Format::Ladder {
            return Ok(());
        }
        let title = format!("socklab · replay of {}", path.display());
        writeln!(out, "{}", p.paint(&title, styles::title())).map_err(RunError::Output)?;
        writeln!(out, "{}", p.paint(&"═".repeat(WIDTH), styles::rule())).map_err(RunError::Output)
    };
    match magic {
        // pcapng: a Section Header Block first.
        [0x0a, 0x0d, 0x0d, 0x0a] => {
            let mut reader = PcapNgReader::new(reader).map_err(|e| not_capture(e.to_string()))?;
            title(out)?;
            // The link type and time unit of each interface, in the order
            // they are declared.
            let mut links: Vec<(pcap_file::DataLink, TimeUnit)> = Vec::new();
            while let Some(block) = reader.next_block() {
                let block = block.map_err(|e| frame_error(replayer.summary.frames + 1, e))?;
                let raw = match block {
                    Block::InterfaceDescription(idb) => {
                        let unit = idb
                            .options
                            .iter()
                            .find_map(|o| match o {
                                InterfaceDescriptionOption::IfTsResol(r) => Some(TimeUnit(*r)),
                                _ => None,
                            })
                            .unwrap_or_default();
                        links.push((idb.linktype, unit));
                        continue;
                    }
                    Block::EnhancedPacket(epb) => {
                        let interface = links.get(epb.interface_id as usize).copied();
                        RawFrame {
                            link: interface.map(|(link, _)| link),
                            time: interface
                                .map_or(epb.timestamp, |(_, unit)| unit.duration(epb.timestamp)),
                            wire_len: epb.original_len as usize,
                            data: epb.data.into_owned(),
                        }
                    }
                    Block::SimplePacket(spb) => RawFrame {
                        link: links.first().map(|(link, _)| *link),
                        time: Duration::ZERO,
                        wire_len: spb.original_len as usize,
                        data: spb.data.into_owned(),
                    },
                    _ => continue,
                };
                replayer.frame(out, pacer, raw)?;
            }
        }
        _ => {
            let mut reader = PcapReader::new(reader).map_err(|e| not_capture(e.to_string()))?;
            title(out)?;
            let link = reader.header().datalink;
            // Raw records: pcap-file's checked packets refuse a frame longer
            // on the wire than the snapshot length, which is exactly what a
            // capture with `-s 96` holds.
            let frac_nanos = match reader.header().ts_resolution {
                TsResolution::MicroSecond => 1_000,
                TsResolution::NanoSecond => 1,
            };
            while let Some(packet) = reader.next_raw_packet() {
                let packet = packet.map_err(|e| frame_error(replayer.summary.frames + 1, e))?;
                let raw = RawFrame {
                    link: Some(link),
                    time: Duration::from_secs(u64::from(packet.ts_sec))
                        + Duration::from_nanos(u64::from(packet.ts_frac) * frac_nanos),
                    wire_len: packet.orig_len as usize,
                    data: packet.data.into_owned(),
                };
                replayer.frame(out, pacer, raw)?;
            }
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
    let summary = replayer.summary;
    if options.format != Format::Ladder {
        out.flush().map_err(RunError::Output)?;
        return Ok(summary);
    }
    let skipped = summary.frames - summary.explained;
    let text = format!(
        "\n{} frames: {} TCP or UDP packets explained, {skipped} other frames skipped.",
        summary.frames, summary.explained
    );
    writeln!(out, "{}", p.paint(&text, styles::good())).map_err(RunError::Output)?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pcapng_time_units() {
        // 81 700 units: 81.7 ms at microseconds (the default), 81.7 µs at
        // nanoseconds, and 81 700 / 1024 s at 2^-10.
        let raw = Duration::from_nanos(81_700);
        assert_eq!(
            TimeUnit::default().duration(raw),
            Duration::from_micros(81_700)
        );
        assert_eq!(TimeUnit(9).duration(raw), raw);
        assert_eq!(
            TimeUnit(0x80 | 10).duration(raw),
            Duration::from_nanos(81_700 * 1_000_000_000 / 1024)
        );
    }
}
