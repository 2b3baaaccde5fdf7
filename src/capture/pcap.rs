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

#[derive(Debug, thiserror::Error)]
#[error("cannot write the capture file {path}: {message}")]
pub struct PcapError {
    pub path: PathBuf,
    pub message: String,
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
        let writer = PcapWriter::with_header(file, header).map_err(|e| fail(e.to_string()))?;
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
        self.writer.write_packet(&packet).map_err(|e| PcapError {
            path: self.path.clone(),
            message: e.to_string(),
        })?;
        Ok(())
    }
}
