//! Writing captured frames as a classic pcap file (Ethernet link type),
//! which tcpdump, tshark and Wireshark open.
//!
//! Frames are written unbuffered, as they arrive: a lesson has few of them,
//! and an interrupted run still leaves a complete, readable file.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use pcap_file::DataLink;
use pcap_file::pcap::{PcapHeader, PcapPacket, PcapWriter};

use super::Frame;
use crate::t;

#[derive(Debug, thiserror::Error)]
#[error("{}", t!("error-write-capture", path = .path.display().to_string(), error = .message.as_str()))]
pub struct PcapError {
    pub path: PathBuf,
    pub message: String,
}

/// What went wrong, from the system's own words when it was a write
/// (pcap-file says "Error reading bytes" of every I/O error, writes too:
/// a full disk must say "No space left on device").
fn describe(e: &pcap_file::PcapError) -> String {
    match e {
        pcap_file::PcapError::IoError(io) => io.to_string(),
        other => other.to_string(),
    }
}

pub struct PcapOut {
    path: PathBuf,
    writer: PcapWriter<File>,
}

impl PcapOut {
    pub fn create(path: &Path) -> Result<PcapOut, PcapError> {
        PcapOut::create_with(path, DataLink::ETHERNET)
    }

    /// A pcap file of another link type (`replay --pcap` keeps the
    /// source's).
    pub fn create_with(path: &Path, datalink: DataLink) -> Result<PcapOut, PcapError> {
        let fail = |message: String| PcapError {
            path: path.to_path_buf(),
            message,
        };
        let file = File::create(path).map_err(|e| fail(e.to_string()))?;
        let header = PcapHeader {
            datalink,
            snaplen: 262_144,
            ..PcapHeader::default()
        };
        let writer = PcapWriter::with_header(file, header).map_err(|e| {
            // Not even the header fits: no file rather than an empty one.
            let _ = std::fs::remove_file(path);
            fail(describe(&e))
        })?;
        Ok(PcapOut {
            path: path.to_path_buf(),
            writer,
        })
    }

    pub fn write(&mut self, frame: &Frame) -> Result<(), PcapError> {
        let timestamp = frame.wall.duration_since(UNIX_EPOCH).unwrap_or_default();
        self.write_raw(timestamp, &frame.data, frame.data.len())
    }

    /// One frame as a capture file held it: its time since the epoch, the
    /// bytes kept, and its length on the wire.
    pub fn write_raw(
        &mut self,
        timestamp: std::time::Duration,
        data: &[u8],
        wire_len: usize,
    ) -> Result<(), PcapError> {
        let packet = PcapPacket::new(timestamp, wire_len as u32, data);
        self.writer.write_packet(&packet).map_err(|e| {
            // A frame half written (the disk is full) would leave a file
            // that ends in a broken record: the run stops, and the file
            // goes, rather than be kept incomplete.
            let _ = std::fs::remove_file(&self.path);
            PcapError {
                path: self.path.clone(),
                message: describe(&e),
            }
        })?;
        Ok(())
    }
}

/// `replay --pcap`: every frame read, copied as it came. A classic pcap
/// holds one link type; when a second one appears (a pcapng capture of
/// Ethernet and loopback interfaces together), the copy becomes a pcapng
/// file with one interface per link type, the frames so far rewritten
/// into it, as `editcap -F pcapng` would.
pub struct CopyOut {
    path: PathBuf,
    state: CopyState,
}

enum CopyState {
    Empty,
    Pcap {
        out: PcapOut,
        link: u16,
    },
    PcapNg {
        out: std::io::BufWriter<File>,
        links: Vec<u16>,
    },
}

/// pcapng blocks, little-endian (pcapng §4): a section header, interfaces
/// with nanosecond timestamps (`if_tsresol` 9), enhanced packet blocks.
mod ng {
    use std::io::Write;

    pub fn section(out: &mut impl Write) -> std::io::Result<()> {
        let mut b = Vec::with_capacity(28);
        b.extend_from_slice(&0x0A0D_0D0Au32.to_le_bytes());
        b.extend_from_slice(&28u32.to_le_bytes());
        b.extend_from_slice(&0x1A2B_3C4Du32.to_le_bytes());
        b.extend_from_slice(&1u16.to_le_bytes());
        b.extend_from_slice(&0u16.to_le_bytes());
        b.extend_from_slice(&(-1i64).to_le_bytes());
        b.extend_from_slice(&28u32.to_le_bytes());
        out.write_all(&b)
    }

    pub fn interface(out: &mut impl Write, link: u16) -> std::io::Result<()> {
        let mut b = Vec::with_capacity(32);
        b.extend_from_slice(&1u32.to_le_bytes());
        b.extend_from_slice(&32u32.to_le_bytes());
        b.extend_from_slice(&link.to_le_bytes());
        b.extend_from_slice(&0u16.to_le_bytes());
        b.extend_from_slice(&262_144u32.to_le_bytes());
        b.extend_from_slice(&[9, 0, 1, 0, 9, 0, 0, 0]); // if_tsresol: 10^-9
        b.extend_from_slice(&[0, 0, 0, 0]); // opt_endofopt
        b.extend_from_slice(&32u32.to_le_bytes());
        out.write_all(&b)
    }

    pub fn packet(
        out: &mut impl Write,
        interface: u32,
        time: std::time::Duration,
        data: &[u8],
        wire_len: usize,
    ) -> std::io::Result<()> {
        let padded = data.len().div_ceil(4) * 4;
        let len = u32::try_from(32 + padded).unwrap_or(u32::MAX);
        let nanos = u64::try_from(time.as_nanos()).unwrap_or(u64::MAX);
        let mut b = Vec::with_capacity(32 + padded);
        b.extend_from_slice(&6u32.to_le_bytes());
        b.extend_from_slice(&len.to_le_bytes());
        b.extend_from_slice(&interface.to_le_bytes());
        b.extend_from_slice(&((nanos >> 32) as u32).to_le_bytes());
        b.extend_from_slice(&(nanos as u32).to_le_bytes());
        b.extend_from_slice(&(data.len() as u32).to_le_bytes());
        b.extend_from_slice(&u32::try_from(wire_len).unwrap_or(u32::MAX).to_le_bytes());
        b.extend_from_slice(data);
        b.resize(28 + padded, 0);
        b.extend_from_slice(&len.to_le_bytes());
        out.write_all(&b)
    }
}

impl CopyOut {
    pub fn new(path: &Path) -> CopyOut {
        CopyOut {
            path: path.to_path_buf(),
            state: CopyState::Empty,
        }
    }

    fn fail(&self, e: impl std::fmt::Display) -> PcapError {
        PcapError {
            path: self.path.clone(),
            message: e.to_string(),
        }
    }

    /// Copies one frame: its link type, time since the epoch, bytes kept
    /// and length on the wire.
    pub fn write(
        &mut self,
        link: u16,
        time: std::time::Duration,
        data: &[u8],
        wire_len: usize,
    ) -> Result<(), PcapError> {
        match &mut self.state {
            CopyState::Empty => {
                let out = PcapOut::create_with(&self.path, DataLink::from(u32::from(link)))?;
                self.state = CopyState::Pcap { out, link };
                self.write(link, time, data, wire_len)
            }
            CopyState::Pcap { out, link: first } if *first == link => {
                out.write_raw(time, data, wire_len)
            }
            CopyState::Pcap { link: first, .. } => {
                let first = *first;
                self.state = CopyState::Empty;
                self.become_pcapng(first)?;
                self.write(link, time, data, wire_len)
            }
            CopyState::PcapNg { out, links } => {
                let index = match links.iter().position(|l| *l == link) {
                    Some(i) => i,
                    None => {
                        ng::interface(out, link).map_err(|e| PcapError {
                            path: self.path.clone(),
                            message: e.to_string(),
                        })?;
                        links.push(link);
                        links.len() - 1
                    }
                };
                ng::packet(out, index as u32, time, data, wire_len).map_err(|e| PcapError {
                    path: self.path.clone(),
                    message: e.to_string(),
                })
            }
        }
    }

    /// Rewrites the classic pcap written so far as pcapng, in place.
    fn become_pcapng(&mut self, link: u16) -> Result<(), PcapError> {
        let tmp = self.path.with_extension("pcapng.part");
        let mut out = std::io::BufWriter::new(File::create(&tmp).map_err(|e| self.fail(e))?);
        ng::section(&mut out).map_err(|e| self.fail(e))?;
        ng::interface(&mut out, link).map_err(|e| self.fail(e))?;
        let mut reader = super::file::CaptureReader::open(&self.path).map_err(|e| self.fail(e))?;
        while let Some(frame) = reader.next() {
            let frame = frame.map_err(|e| self.fail(e))?;
            ng::packet(&mut out, 0, frame.time, &frame.data, frame.wire_len)
                .map_err(|e| self.fail(e))?;
        }
        std::io::Write::flush(&mut out).map_err(|e| self.fail(e))?;
        std::fs::rename(&tmp, &self.path).map_err(|e| self.fail(e))?;
        let file = std::fs::OpenOptions::new()
            .append(true)
            .open(&self.path)
            .map_err(|e| self.fail(e))?;
        self.state = CopyState::PcapNg {
            out: std::io::BufWriter::new(file),
            links: vec![link],
        };
        Ok(())
    }

    /// Flushes what is buffered.
    pub fn finish(self) -> Result<(), PcapError> {
        if let CopyState::PcapNg { mut out, .. } = self.state {
            std::io::Write::flush(&mut out).map_err(|e| PcapError {
                path: self.path.clone(),
                message: e.to_string(),
            })?;
        }
        Ok(())
    }
}
