//! `socklab watch`: the same ladder, states and sentences for programs
//! socklab did not start, live from the host's loopback (or another
//! interface), until Ctrl-C; then a summary per conversation.
//!
//! It only listens: one AF_PACKET socket, never promiscuous, and only the
//! chosen ports' TCP and UDP are shown.

use crate::t;
use std::collections::BTreeMap;
use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::capture::decode::decode_ethernet;
use crate::capture::pcap::{PcapError, PcapOut};
use crate::capture::{CaptureError, LiveCapture};
use crate::event::{self, Event, Halt, Sink};
use crate::packet::{Fate, TcpFlags, Transport};
use crate::runner::RunError;
use crate::track::roles::Roles;
use crate::track::{Protocol, Row, Tracker};

#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    #[error(
        "{}",
        t!(
            "error-watch-no-rights",
            iface = .iface.as_str(),
            error = .source.to_string(),
            exe = .exe.as_str()
        )
    )]
    NoRights {
        iface: String,
        source: io::Error,
        /// The running binary, quoted for a shell: the file setcap must mark.
        exe: String,
    },
    #[error(transparent)]
    Capture(CaptureError),
    #[error(transparent)]
    Run(#[from] RunError),
    #[error(transparent)]
    Pcap(#[from] PcapError),
}

impl From<Halt> for WatchError {
    fn from(halt: Halt) -> WatchError {
        WatchError::Run(halt.into())
    }
}

pub struct WatchOptions {
    pub iface: String,
    /// Only these ports' traffic; every port when empty.
    pub ports: Vec<u16>,
    /// Stop by itself after this long (Ctrl-C stops it in any case).
    pub duration: Option<Duration>,
    /// Also write the chosen ports' frames to this pcap file.
    pub pcap: Option<PathBuf>,
}

/// What one conversation amounted to, for the closing summary.
#[derive(
    Debug, Default, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct ConversationSummary {
    pub protocol: Option<Protocol>,
    pub client: Option<SocketAddr>,
    pub server: Option<SocketAddr>,
    pub packets: usize,
    /// Payload bytes from the client, and from the server, each counted
    /// once (a retransmission's bytes are in `resent`).
    pub bytes: (u64, u64),
    /// Segments sent again (retransmissions of every kind).
    pub resent: usize,
    pub fin_from_client: bool,
    pub fin_from_server: bool,
    pub reset: bool,
}

/// How a watched conversation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// UDP: datagrams, no connection to close.
    Datagrams,
    /// A RST ended it.
    Reset,
    /// A FIN each way.
    Closed,
    /// Only the client sent its FIN.
    ClientFin,
    /// Only the server sent its FIN.
    ServerFin,
    Open,
}

impl Ending {
    /// The ending in a few words, in the learner's language.
    pub fn text(self) -> String {
        match self {
            Ending::Datagrams => t!("ending-datagrams"),
            Ending::Reset => t!("ending-reset"),
            Ending::Closed => t!("ending-closed"),
            Ending::ClientFin => t!("ending-client-fin"),
            Ending::ServerFin => t!("ending-server-fin"),
            Ending::Open => t!("ending-open"),
        }
    }
}

impl ConversationSummary {
    /// How the conversation ended.
    pub fn ending(&self) -> Ending {
        match (
            self.protocol,
            self.reset,
            self.fin_from_client,
            self.fin_from_server,
        ) {
            (Some(Protocol::Udp), ..) => Ending::Datagrams,
            (_, true, ..) => Ending::Reset,
            (_, false, true, true) => Ending::Closed,
            (_, false, true, false) => Ending::ClientFin,
            (_, false, false, true) => Ending::ServerFin,
            _ => Ending::Open,
        }
    }

    /// Counts one packet; `from_client` says which way it went.
    pub fn count(&mut self, row: &Row, from_client: bool) {
        self.packets += 1;
        if row.notes.iter().any(|n| n.is_resend()) {
            self.resent += 1;
        }
        let bytes = if from_client {
            &mut self.bytes.0
        } else {
            &mut self.bytes.1
        };
        match (&row.packet.transport, &row.tcp) {
            // A stream's bytes are where its sequence numbers reached
            // (relative: data starts at 1), so bytes sent twice count once.
            (Transport::Tcp(_), Some(tcp)) if tcp.len > 0 => {
                let end = u64::from(tcp.rel_seq) + u64::from(tcp.len) - 1;
                *bytes = (*bytes).max(end);
            }
            (Transport::Udp { payload_len, .. }, _) => *bytes += u64::from(*payload_len),
            _ => {}
        }
        if let Transport::Tcp(segment) = &row.packet.transport {
            if segment.flags.contains(TcpFlags::RST) {
                self.reset = true;
            }
            if segment.flags.contains(TcpFlags::FIN) {
                if from_client {
                    self.fin_from_client = true;
                } else {
                    self.fin_from_server = true;
                }
            }
        }
    }
}

/// Runs until Ctrl-C (or `duration`), telling each packet to `sink`, then
/// each conversation's summary. Returns the conversations seen.
pub fn watch(
    options: WatchOptions,
    sink: &mut dyn Sink,
    interrupted: Arc<AtomicBool>,
) -> Result<Vec<ConversationSummary>, WatchError> {
    let capture = LiveCapture::start(&options.iface).map_err(|e| match e {
        CaptureError::NoRights(source) => WatchError::NoRights {
            iface: options.iface.clone(),
            source,
            exe: crate::sandbox::this_binary(),
        },
        other => WatchError::Capture(other),
    })?;
    // Programs reading the stream know from this that capture is on.
    // The kernel's congestion view (TCP_INFO, sock_diag) of these
    // connections is not read: their sockets are other programs', in the
    // machine's own namespace, and socklab asks a kernel only about the
    // sockets of its own namespaces.
    sink.emit(Event::Capture(event::CaptureStart {
        source: options.iface.clone(),
        live: true,
        ports: options.ports.clone(),
        congestion_unread: Some(event::CongestionUnread::NotSocklabs),
    }))?;
    let mut pcap = options.pcap.as_deref().map(PcapOut::create).transpose()?;
    let mut tracker = Tracker::new();
    let mut roles = Roles::default();
    let mut conversations: BTreeMap<usize, ConversationSummary> = BTreeMap::new();
    let deadline = options.duration.map(|d| Instant::now() + d);
    let (mut frames, mut explained, mut since_lull) = (0, 0, 0);
    while !interrupted.load(Ordering::Relaxed) && deadline.is_none_or(|d| Instant::now() < d) {
        let Some(frame) = capture.next_frame(Duration::from_millis(100)) else {
            // A pause in the traffic: a run of data held for its summary
            // row is shown now, not when the next packet comes.
            if since_lull > 0 {
                since_lull = 0;
                sink.emit(Event::Lull)?;
            }
            continue;
        };
        let Ok(Some(packet)) = decode_ethernet(frame.number, frame.at, &frame.data) else {
            continue;
        };
        if matches!(packet.transport, Transport::Resolution { .. }) {
            continue;
        }
        let chosen = options.ports.is_empty()
            || options.ports.contains(&packet.src.port())
            || options.ports.contains(&packet.dst.port());
        if !chosen {
            continue;
        }
        frames += 1;
        explained += 1;
        since_lull += 1;
        if let Some(pcap) = pcap.as_mut() {
            pcap.write(&frame)?;
        }
        let (from, to) = roles.of(&packet, &options.ports);
        let from_client = from.0 == "client";
        let (client, server) = if from_client {
            (packet.src, packet.dst)
        } else {
            (packet.dst, packet.src)
        };
        let protocol = Protocol::of(&packet.transport);
        let row = tracker.track(packet);
        let entry = conversations.entry(row.conversation).or_default();
        entry.protocol.get_or_insert(protocol);
        entry.client.get_or_insert(client);
        entry.server.get_or_insert(server);
        entry.count(&row, from_client);
        sink.emit(Event::Packet(event::PacketShown {
            step: None,
            from: from.0.to_string(),
            to: to.0.to_string(),
            fate: Fate::Delivered,
            row,
            raw: None,
        }))?;
    }
    let summaries: Vec<ConversationSummary> = conversations.into_values().collect();
    for c in &summaries {
        sink.emit(Event::Conversation(c.clone()))?;
    }
    sink.emit(Event::CaptureEnd(event::CaptureEnd {
        frames,
        explained,
        malformed: 0,
        stopped: None,
    }))?;
    sink.finish()?;
    Ok(summaries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endings() {
        let mut c = ConversationSummary {
            protocol: Some(Protocol::Tcp),
            ..Default::default()
        };
        assert_eq!(c.ending(), Ending::Open);
        c.fin_from_client = true;
        assert_eq!(c.ending(), Ending::ClientFin);
        c.fin_from_server = true;
        assert_eq!(c.ending(), Ending::Closed);
        c.reset = true;
        assert_eq!(c.ending(), Ending::Reset);
        c.protocol = Some(Protocol::Udp);
        assert_eq!(c.ending(), Ending::Datagrams);
    }
}
