//! Capture files read frame by frame: classic pcap (both byte orders,
//! micro- and nanosecond timestamps) and pcapng (any number of sections and
//! interfaces, each with its own link type and time unit).
//!
//! The reader is as lenient as libpcap and Wireshark where they are: a
//! link-type field whose upper 16 bits carry flags (libpcap's
//! `LT_LINKTYPE()` masks them), a pcapng option list without an
//! end-of-options marker, a comment that is not UTF-8 (options other than
//! the time unit and offset are never read), a packet block for an
//! interface that was never described (that one frame is reported, and
//! reading goes on). Only a file whose very first bytes are not a capture
//! is refused outright; a file damaged or cut later on ends the reading
//! there, and what came before is kept.
//!
//! Every length is checked before it is used: no input can make the
//! reader panic, allocate more than [`MAX_RECORD`] at once, or loop.

use std::fs::File;
use std::io::{BufReader, ErrorKind, Read};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::t;

/// The largest frame or block the reader accepts: libpcap's pcapng limit
/// (`INITIAL_MAX_BLOCKSIZE`, 16 MiB). A record header asking for more is
/// taken as damage, as libpcap takes it.
pub const MAX_RECORD: usize = 16 << 20;

/// Why a file could not be read as a capture at all.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("{}", t!("error-cannot-read", path = .path.display().to_string(), error = .source.to_string()))]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}", t!("error-not-a-capture", path = .path.display().to_string(), reason = .reason.as_str()))]
    NotACapture { path: PathBuf, reason: String },
}

/// Why reading stopped before the end of the file: what was read before
/// it is still good.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", t!("error-capture-stopped", path = .path.display().to_string(), frame = *.frame, reason = .reason.as_str()))]
pub struct Stopped {
    pub path: PathBuf,
    /// The frame that could not be read (1 + the frames read).
    pub frame: usize,
    pub reason: String,
}

/// One frame as the file holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileFrame {
    /// 1-based, as tcpdump and Wireshark count.
    pub number: usize,
    /// The link type (tcpdump.org LINKTYPE_ value, flags masked off), or
    /// `None` when a pcapng packet names an interface never described.
    pub link: Option<u16>,
    /// Time since the epoch, in the interface's own unit made exact.
    pub time: Duration,
    pub data: Vec<u8>,
    /// Length on the wire: more than `data` when a snapshot length cut it.
    pub wire_len: usize,
}

/// A pcapng interface's timestamp resolution (`if_tsresol`, pcapng §4.2):
/// 10^-n seconds, or 2^-n with the high bit set; microseconds when absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeUnit(pub u8);

impl Default for TimeUnit {
    fn default() -> TimeUnit {
        TimeUnit(6)
    }
}

impl TimeUnit {
    /// `units` of this resolution as a duration (saturating).
    pub fn duration(self, units: u64) -> Duration {
        let units = u128::from(units);
        let nanos = if self.0 & 0x80 == 0 {
            let exp = u32::from(self.0.min(38));
            if exp <= 9 {
                units * 10u128.pow(9 - exp)
            } else {
                units / 10u128.pow(exp - 9)
            }
        } else {
            let shift = u32::from(self.0 & 0x7f).min(127);
            (units * 1_000_000_000) >> shift
        };
        Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
    }
}

#[derive(Debug, Clone, Copy)]
struct Interface {
    link: u16,
    unit: TimeUnit,
    /// `if_tsoffset`: seconds to add to every timestamp.
    offset: i64,
}

enum Format {
    Pcap {
        big_endian: bool,
        nanos: bool,
        /// Kuznetzov's "modified" pcap: 8 more bytes per record header.
        modified: bool,
        link: u16,
    },
    PcapNg {
        big_endian: bool,
        interfaces: Vec<Interface>,
    },
}

/// Reads a capture file one frame at a time; memory stays that of one
/// frame whatever the file's size.
pub struct CaptureReader {
    path: PathBuf,
    input: Box<dyn Read>,
    format: Format,
    frames: usize,
    done: bool,
}

/// What a short read found: the bytes, or the end (`None` at a clean end
/// of file, before any byte).
enum Fill {
    Full,
    Clean,
    Cut,
}

fn fill(input: &mut dyn Read, buf: &mut [u8]) -> std::io::Result<Fill> {
    let mut got = 0;
    while got < buf.len() {
        match input.read(&mut buf[got..]) {
            Ok(0) => return Ok(if got == 0 { Fill::Clean } else { Fill::Cut }),
            Ok(n) => got += n,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(Fill::Full)
}

fn u16_at(bytes: &[u8], at: usize, big: bool) -> Option<u16> {
    let b: [u8; 2] = bytes.get(at..at + 2)?.try_into().ok()?;
    Some(if big {
        u16::from_be_bytes(b)
    } else {
        u16::from_le_bytes(b)
    })
}

fn u32_at(bytes: &[u8], at: usize, big: bool) -> Option<u32> {
    let b: [u8; 4] = bytes.get(at..at + 4)?.try_into().ok()?;
    Some(if big {
        u32::from_be_bytes(b)
    } else {
        u32::from_le_bytes(b)
    })
}

/// pcapng block types (pcapng §4).
const SHB: u32 = 0x0A0D_0D0A;
const IDB: u32 = 1;
const OBSOLETE_PB: u32 = 2;
const SPB: u32 = 3;
const EPB: u32 = 6;

impl CaptureReader {
    pub fn open(path: &Path) -> Result<CaptureReader, OpenError> {
        let file = File::open(path).map_err(|source| OpenError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        CaptureReader::new(path, Box::new(BufReader::new(file)))
    }

    /// A reader over any byte stream; `path` names it in messages.
    pub fn new(path: &Path, mut input: Box<dyn Read>) -> Result<CaptureReader, OpenError> {
        let not = |reason: String| OpenError::NotACapture {
            path: path.to_path_buf(),
            reason,
        };
        let io = |source| OpenError::Io {
            path: path.to_path_buf(),
            source,
        };
        let mut magic = [0u8; 4];
        match fill(&mut input, &mut magic).map_err(io)? {
            Fill::Full => {}
            Fill::Clean => return Err(not(t!("capture-empty"))),
            Fill::Cut => return Err(not(t!("capture-too-short"))),
        }
        let format = if magic == SHB.to_le_bytes() {
            // Section Header Block: length, byte-order magic, version.
            let mut head = [0u8; 12];
            if !matches!(fill(&mut input, &mut head).map_err(io)?, Fill::Full) {
                return Err(not(t!("capture-pcapng-header-short")));
            }
            let big_endian = match head[4..8] {
                [0x1A, 0x2B, 0x3C, 0x4D] => true,
                [0x4D, 0x3C, 0x2B, 0x1A] => false,
                _ => return Err(not(t!("capture-pcapng-no-magic"))),
            };
            let len = u32_at(&head, 0, big_endian).unwrap_or(0) as usize;
            let major = u16_at(&head, 8, big_endian).unwrap_or(0);
            if major != 1 {
                return Err(not(t!("capture-pcapng-version", major = major)));
            }
            // libpcap's bound for a section header: 1 MiB.
            if !(28..=1 << 20).contains(&len) || !len.is_multiple_of(4) {
                return Err(not(t!("capture-pcapng-header-length", len = len)));
            }
            // The rest of the section header (options, trailer) is skipped.
            let mut rest = vec![0u8; len - 16];
            if !matches!(fill(&mut input, &mut rest).map_err(io)?, Fill::Full) {
                return Err(not(t!("capture-pcapng-header-short")));
            }
            Format::PcapNg {
                big_endian,
                interfaces: Vec::new(),
            }
        } else {
            let (big_endian, nanos, modified) = match magic {
                [0xa1, 0xb2, 0xc3, 0xd4] => (true, false, false),
                [0xd4, 0xc3, 0xb2, 0xa1] => (false, false, false),
                [0xa1, 0xb2, 0x3c, 0x4d] => (true, true, false),
                [0x4d, 0x3c, 0xb2, 0xa1] => (false, true, false),
                [0xa1, 0xb2, 0xcd, 0x34] => (true, false, true),
                [0x34, 0xcd, 0xb2, 0xa1] => (false, false, true),
                _ => {
                    return Err(not(t!("capture-unknown-magic")));
                }
            };
            let mut head = [0u8; 20];
            if !matches!(fill(&mut input, &mut head).map_err(io)?, Fill::Full) {
                return Err(not(t!("capture-pcap-header-short")));
            }
            let major = u16_at(&head, 0, big_endian).unwrap_or(0);
            let minor = u16_at(&head, 2, big_endian).unwrap_or(0);
            // Version 2 (libpcap stops at 2.4, Wireshark reads any 2.x) and
            // DG/UX's 543.0; version 1 files have another record layout.
            if !(major == 2 || (major == 543 && minor == 0)) {
                return Err(not(t!(
                    "capture-pcap-version",
                    major = major,
                    minor = minor
                )));
            }
            // The link type is the low 16 bits; the upper ones carry the
            // FCS length and flags (libpcap's LT_LINKTYPE()).
            let link = (u32_at(&head, 16, big_endian).unwrap_or(0) & 0xffff) as u16;
            Format::Pcap {
                big_endian,
                nanos,
                modified,
                link,
            }
        };
        Ok(CaptureReader {
            path: path.to_path_buf(),
            input,
            format,
            frames: 0,
            done: false,
        })
    }

    /// Whether the file is pcapng (for `--pcap`: which format to write).
    pub fn is_pcapng(&self) -> bool {
        matches!(self.format, Format::PcapNg { .. })
    }

    /// The link type of a classic pcap file (`None` for pcapng, whose
    /// interfaces each have their own).
    pub fn pcap_link(&self) -> Option<u16> {
        match self.format {
            Format::Pcap { link, .. } => Some(link),
            Format::PcapNg { .. } => None,
        }
    }

    fn stop(&mut self, reason: impl Into<String>) -> Option<Result<FileFrame, Stopped>> {
        self.done = true;
        Some(Err(Stopped {
            path: self.path.clone(),
            frame: self.frames + 1,
            reason: reason.into(),
        }))
    }

    /// The next frame; `None` at the end of the file; `Some(Err)` once when
    /// the rest of the file cannot be read (then `None`).
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Option<Result<FileFrame, Stopped>> {
        if self.done {
            return None;
        }
        match self.format {
            Format::Pcap {
                big_endian,
                nanos,
                modified,
                link,
            } => self.next_pcap(big_endian, nanos, modified, link),
            Format::PcapNg { .. } => self.next_pcapng(),
        }
    }

    fn next_pcap(
        &mut self,
        big: bool,
        nanos: bool,
        modified: bool,
        link: u16,
    ) -> Option<Result<FileFrame, Stopped>> {
        let mut head = [0u8; 24];
        let head = &mut head[..if modified { 24 } else { 16 }];
        match fill(&mut self.input, head) {
            Ok(Fill::Full) => {}
            Ok(Fill::Clean) => {
                self.done = true;
                return None;
            }
            Ok(Fill::Cut) => return self.stop(t!("capture-cut")),
            Err(e) => return self.stop(t!("capture-read-on", error = e.to_string())),
        }
        let field = |at| u32_at(head, at, big).unwrap_or(0);
        let (sec, frac, caplen, len) = (field(0), field(4), field(8) as usize, field(12));
        if caplen > MAX_RECORD {
            return self.stop(t!("capture-record-too-big", caplen = caplen));
        }
        let mut data = vec![0u8; caplen];
        match fill(&mut self.input, &mut data) {
            Ok(Fill::Full) => {}
            Ok(_) => return self.stop(t!("capture-cut")),
            Err(e) => return self.stop(t!("capture-read-on", error = e.to_string())),
        }
        self.frames += 1;
        let frac = Duration::from_nanos(u64::from(frac) * if nanos { 1 } else { 1_000 });
        Some(Ok(FileFrame {
            number: self.frames,
            link: Some(link),
            time: Duration::from_secs(u64::from(sec)) + frac,
            wire_len: (len as usize).max(caplen),
            data,
        }))
    }

    /// Reads `buf` whole; the reason to stop when the file ends or fails
    /// first.
    fn read_whole(&mut self, buf: &mut [u8]) -> Result<(), String> {
        match fill(&mut self.input, buf) {
            Ok(Fill::Full) => Ok(()),
            Ok(_) => Err(t!("capture-cut")),
            Err(e) => Err(t!("capture-read-on", error = e.to_string())),
        }
    }

    fn next_pcapng(&mut self) -> Option<Result<FileFrame, Stopped>> {
        loop {
            let Format::PcapNg { big_endian, .. } = self.format else {
                return None;
            };
            let mut head = [0u8; 8];
            match fill(&mut self.input, &mut head) {
                Ok(Fill::Full) => {}
                Ok(Fill::Clean) => {
                    self.done = true;
                    return None;
                }
                Ok(Fill::Cut) => return self.stop(t!("capture-cut")),
                Err(e) => return self.stop(t!("capture-read-on", error = e.to_string())),
            }
            // A new section may change the byte order: its length is read
            // after its byte-order magic.
            if u32::from_le_bytes([head[0], head[1], head[2], head[3]]) == SHB {
                match self.section_header(&head) {
                    Ok(format) => self.format = format,
                    Err(reason) => return self.stop(reason),
                }
                continue;
            }
            let big = big_endian;
            let kind = u32_at(&head, 0, big).unwrap_or(0);
            let len = u32_at(&head, 4, big).unwrap_or(0) as usize;
            if len < 12 || !len.is_multiple_of(4) || len > MAX_RECORD {
                return self.stop(t!("capture-block-length", len = len));
            }
            let mut body = vec![0u8; len - 8];
            if let Err(reason) = self.read_whole(&mut body) {
                return self.stop(reason);
            }
            // The body without the trailing length.
            let body = &body[..body.len() - 4];
            let Format::PcapNg { interfaces, .. } = &mut self.format else {
                return None;
            };
            let frame = match kind {
                IDB => {
                    let link = u16_at(body, 0, big).unwrap_or(0);
                    let (unit, offset) = interface_options(body.get(8..).unwrap_or(&[]), big);
                    interfaces.push(Interface { link, unit, offset });
                    continue;
                }
                EPB | OBSOLETE_PB => packet_block(kind, body, interfaces, big),
                SPB => simple_packet_block(body, interfaces, big),
                // Name resolution, statistics, custom, journal blocks…:
                // nothing to explain.
                _ => continue,
            };
            let frame = match frame {
                Ok(frame) => frame,
                Err(reason) => return self.stop(reason),
            };
            self.frames += 1;
            return Some(Ok(FileFrame {
                number: self.frames,
                ..frame
            }));
        }
    }

    /// The rest of a Section Header Block whose first 8 bytes are `head`:
    /// the new section's format (its byte order, no interfaces yet).
    fn section_header(&mut self, head: &[u8; 8]) -> Result<Format, String> {
        let mut magic = [0u8; 4];
        self.read_whole(&mut magic)?;
        let big = match magic {
            [0x1A, 0x2B, 0x3C, 0x4D] => true,
            [0x4D, 0x3C, 0x2B, 0x1A] => false,
            _ => {
                return Err(t!("capture-section-no-magic"));
            }
        };
        let len = u32_at(head, 4, big).unwrap_or(0) as usize;
        if !(28..=1 << 20).contains(&len) || !len.is_multiple_of(4) {
            return Err(t!("capture-section-length", len = len));
        }
        let mut rest = vec![0u8; len - 12];
        self.read_whole(&mut rest)?;
        let major = u16_at(&rest, 0, big).unwrap_or(0);
        if major != 1 {
            return Err(t!("capture-section-version", major = major));
        }
        Ok(Format::PcapNg {
            big_endian: big,
            interfaces: Vec::new(),
        })
    }
}

/// An Enhanced Packet Block's frame (or an obsolete Packet Block's), from
/// its body without the trailing length.
fn packet_block(
    kind: u32,
    body: &[u8],
    interfaces: &[Interface],
    big: bool,
) -> Result<FileFrame, String> {
    // EPB: interface (4), time high, time low, captured length, original
    // length. The obsolete Packet Block has a 2-byte interface id and a
    // 2-byte drop count.
    let id = if kind == EPB {
        u32_at(body, 0, big)
    } else {
        u16_at(body, 0, big).map(u32::from)
    };
    let fields = (
        id,
        u32_at(body, 4, big),
        u32_at(body, 8, big),
        u32_at(body, 12, big),
        u32_at(body, 16, big),
    );
    let (Some(id), Some(high), Some(low), Some(caplen), Some(len)) = fields else {
        return Err(t!("capture-packet-block-short"));
    };
    let caplen = caplen as usize;
    let Some(data) = body.get(20..20 + caplen) else {
        return Err(t!(
            "capture-packet-block-data",
            caplen = caplen,
            len = body.len()
        ));
    };
    let interface = interfaces.get(id as usize).copied();
    let units = (u64::from(high) << 32) | u64::from(low);
    let time = match interface {
        Some(i) => offset_time(i.unit.duration(units), i.offset),
        None => TimeUnit::default().duration(units),
    };
    Ok(FileFrame {
        number: 0,
        link: interface.map(|i| i.link),
        time,
        wire_len: (len as usize).max(caplen),
        data: data.to_vec(),
    })
}

/// A Simple Packet Block's frame: original length, then as much of the
/// frame as fits (pcapng §4.4); interface 0, no time.
fn simple_packet_block(
    body: &[u8],
    interfaces: &[Interface],
    big: bool,
) -> Result<FileFrame, String> {
    let Some(len) = u32_at(body, 0, big) else {
        return Err(t!("capture-simple-block-short"));
    };
    let data = &body[4..];
    let caplen = (len as usize).min(data.len());
    Ok(FileFrame {
        number: 0,
        link: interfaces.first().map(|i| i.link),
        time: Duration::ZERO,
        wire_len: len as usize,
        data: data[..caplen].to_vec(),
    })
}

fn offset_time(time: Duration, offset: i64) -> Duration {
    if offset >= 0 {
        time.saturating_add(Duration::from_secs(offset as u64))
    } else {
        time.saturating_sub(Duration::from_secs(offset.unsigned_abs()))
    }
}

/// `if_tsresol` (9) and `if_tsoffset` (14) from an interface's options,
/// read as Wireshark and libpcap read them: the list may end without an
/// end-of-options marker, and an option running past the block ends it.
/// Other options (names, comments in any encoding) are never decoded.
fn interface_options(mut options: &[u8], big: bool) -> (TimeUnit, i64) {
    let (mut unit, mut offset) = (TimeUnit::default(), 0);
    while let (Some(code), Some(len)) = (u16_at(options, 0, big), u16_at(options, 2, big)) {
        let len = usize::from(len);
        let Some(value) = options.get(4..4 + len) else {
            break;
        };
        match (code, value) {
            (0, _) => break,
            (9, [resol]) => unit = TimeUnit(*resol),
            (14, v) if v.len() == 8 => {
                let b: [u8; 8] = v.try_into().unwrap_or([0; 8]);
                offset = if big {
                    i64::from_be_bytes(b)
                } else {
                    i64::from_le_bytes(b)
                };
            }
            _ => {}
        }
        let padded = 4 + len.div_ceil(4) * 4;
        options = options.get(padded..).unwrap_or(&[]);
    }
    (unit, offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader(bytes: Vec<u8>) -> Result<CaptureReader, OpenError> {
        CaptureReader::new(Path::new("t"), Box::new(std::io::Cursor::new(bytes)))
    }

    fn pcap_header(link: u32) -> Vec<u8> {
        let mut h = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0];
        h.extend_from_slice(&[0; 8]);
        h.extend_from_slice(&65535u32.to_le_bytes());
        h.extend_from_slice(&link.to_le_bytes());
        h
    }

    fn record(data: &[u8], wire: u32) -> Vec<u8> {
        let mut r = Vec::new();
        r.extend_from_slice(&7u32.to_le_bytes());
        r.extend_from_slice(&5u32.to_le_bytes());
        r.extend_from_slice(&(data.len() as u32).to_le_bytes());
        r.extend_from_slice(&wire.to_le_bytes());
        r.extend_from_slice(data);
        r
    }

    #[test]
    fn pcapng_time_units() {
        // 81 700 units: 81.7 ms at microseconds (the default), 81.7 µs at
        // nanoseconds, and 81 700 / 1024 s at 2^-10.
        assert_eq!(
            TimeUnit::default().duration(81_700),
            Duration::from_micros(81_700)
        );
        assert_eq!(TimeUnit(9).duration(81_700), Duration::from_nanos(81_700));
        assert_eq!(
            TimeUnit(0x80 | 10).duration(81_700),
            Duration::from_nanos(81_700 * 1_000_000_000 / 1024)
        );
        // Absurd units saturate instead of overflowing.
        assert_eq!(
            TimeUnit(0).duration(u64::MAX),
            Duration::from_nanos(u64::MAX)
        );
        assert_eq!(TimeUnit(127).duration(u64::MAX), Duration::ZERO);
    }

    #[test]
    fn link_type_flags_are_masked_as_libpcap_does() {
        let mut bytes = pcap_header(0x0400_0001);
        bytes.extend(record(&[1, 2, 3], 3));
        let mut r = reader(bytes).unwrap();
        let frame = r.next().unwrap().unwrap();
        assert_eq!(frame.link, Some(1));
        assert_eq!(frame.time, Duration::new(7, 5_000));
        assert!(r.next().is_none());
    }

    #[test]
    fn a_cut_record_stops_with_the_frame_number() {
        let mut bytes = pcap_header(1);
        bytes.extend(record(&[1, 2, 3], 3));
        bytes.extend(record(&[1, 2, 3, 4], 4));
        bytes.truncate(bytes.len() - 2);
        let mut r = reader(bytes).unwrap();
        assert!(r.next().unwrap().is_ok());
        let stop = r.next().unwrap().unwrap_err();
        assert_eq!(stop.frame, 2);
        assert!(stop.reason.contains("cut short"), "{}", stop.reason);
        assert!(r.next().is_none());
    }

    #[test]
    fn not_a_capture() {
        assert!(matches!(
            reader(b"hello world, this is text".to_vec()),
            Err(OpenError::NotACapture { .. })
        ));
        assert!(matches!(reader(vec![]), Err(OpenError::NotACapture { .. })));
        let mut old = pcap_header(1);
        old[4] = 1; // version 1.4, not 2.4
        assert!(matches!(reader(old), Err(OpenError::NotACapture { .. })));
    }

    fn block(kind: u32, body: &[u8]) -> Vec<u8> {
        let len = (12 + body.len().div_ceil(4) * 4) as u32;
        let mut b = kind.to_le_bytes().to_vec();
        b.extend_from_slice(&len.to_le_bytes());
        b.extend_from_slice(body);
        b.resize(len as usize - 4, 0);
        b.extend_from_slice(&len.to_le_bytes());
        b
    }

    fn shb() -> Vec<u8> {
        let mut body = 0x1A2B_3C4Du32.to_le_bytes().to_vec();
        body.extend_from_slice(&[1, 0, 0, 0]);
        body.extend_from_slice(&u64::MAX.to_le_bytes());
        block(SHB, &body)
    }

    fn epb(id: u32, data: &[u8]) -> Vec<u8> {
        let mut body = id.to_le_bytes().to_vec();
        body.extend_from_slice(&0u32.to_le_bytes());
        body.extend_from_slice(&1_000_000u32.to_le_bytes());
        body.extend_from_slice(&(data.len() as u32).to_le_bytes());
        body.extend_from_slice(&(data.len() as u32).to_le_bytes());
        body.extend_from_slice(data);
        block(EPB, &body)
    }

    /// Two interfaces of different link types, one with nanosecond time and
    /// an option list that has a non-UTF-8 comment and no end marker; a
    /// packet on an interface never described.
    #[test]
    fn pcapng_is_read_leniently() {
        let mut bytes = shb();
        let mut idb0 = vec![1, 0, 0, 0, 0, 0, 0, 0];
        idb0.extend_from_slice(&[1, 0, 3, 0, 0xff, 0xfe, 0x80, 0]); // opt_comment
        idb0.extend_from_slice(&[9, 0, 1, 0, 9, 0, 0, 0]); // if_tsresol = 9
        bytes.extend(block(IDB, &idb0));
        bytes.extend(block(IDB, &[0, 0, 0, 0, 0, 0, 0, 0])); // BSD loopback
        bytes.extend(epb(0, &[0xaa; 5]));
        bytes.extend(epb(1, &[0xbb; 3]));
        bytes.extend(epb(7, &[0xcc; 2]));
        let mut r = reader(bytes).unwrap();
        let a = r.next().unwrap().unwrap();
        assert_eq!((a.link, a.time), (Some(1), Duration::from_millis(1)));
        assert_eq!(a.data, vec![0xaa; 5]);
        let b = r.next().unwrap().unwrap();
        assert_eq!((b.link, b.time), (Some(0), Duration::from_secs(1)));
        let c = r.next().unwrap().unwrap();
        assert_eq!((c.number, c.link), (3, None));
        assert!(r.next().is_none());
    }

    #[test]
    fn absurd_block_lengths_stop_the_reading() {
        let mut bytes = shb();
        bytes.extend_from_slice(&6u32.to_le_bytes());
        bytes.extend_from_slice(&0xffff_fff0u32.to_le_bytes());
        let mut r = reader(bytes).unwrap();
        let stop = r.next().unwrap().unwrap_err();
        assert!(stop.reason.contains("impossible"), "{}", stop.reason);
        assert!(r.next().is_none());
    }
}
