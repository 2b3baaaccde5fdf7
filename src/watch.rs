//! `socklab watch`: the same ladder, states and sentences for programs
//! socklab did not start, live from the host's loopback (or another
//! interface), until Ctrl-C; then a summary per conversation.
//!
//! It only listens: one AF_PACKET socket, never promiscuous, and only the
//! chosen ports' TCP and UDP are shown.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::capture::decode::decode_ethernet;
use crate::capture::pcap::{PcapError, PcapOut};
use crate::capture::{CaptureError, LiveCapture};
use crate::packet::{Fate, TcpFlags, Transport};
use crate::render::{Painter, json, styles};
use crate::runner::{AutoPacer, LadderView, RunError, ViewIo};
use crate::track::roles::Roles;
use crate::track::{Protocol, Row};

#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    #[error(
        "socklab watch reads the packets on `{iface}`, which needs the right to capture \
         (CAP_NET_RAW): {source}. Run it as root (`sudo socklab watch …`), or give the \
         binary that right once: `sudo setcap cap_net_raw+ep {exe}`"
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

pub struct WatchOptions {
    pub iface: String,
    /// Only these ports' traffic; every port when empty.
    pub ports: Vec<u16>,
    pub painter: Painter,
    pub all_packets: bool,
    /// One JSON object per packet, and one per conversation at the end.
    pub json: bool,
    /// Stop by itself after this long (Ctrl-C stops it in any case).
    pub duration: Option<Duration>,
    /// Also write the chosen ports' frames to this pcap file.
    pub pcap: Option<PathBuf>,
    /// Also write what was shown as a Mermaid sequence diagram.
    pub mermaid: Option<PathBuf>,
}

/// What one conversation amounted to, for the closing summary.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
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

impl ConversationSummary {
    /// How the conversation ended, in a few words.
    pub fn ending(&self) -> &'static str {
        match (
            self.protocol,
            self.reset,
            self.fin_from_client,
            self.fin_from_server,
        ) {
            (Some(Protocol::Udp), ..) => "datagrams (UDP has no connection to close)",
            (_, true, ..) => "reset (RST)",
            (_, false, true, true) => "closed by both sides (FIN each way)",
            (_, false, true, false) => "half-closed: the client sent its FIN",
            (_, false, false, true) => "half-closed: the server sent its FIN",
            _ => "still open",
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

/// Runs until Ctrl-C (or `duration`), then prints the summary. Returns the
/// conversations seen.
pub fn watch(
    options: WatchOptions,
    out: &mut dyn Write,
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
    let p = options.painter;
    let say = |out: &mut dyn Write, text: String| -> Result<(), RunError> {
        writeln!(out, "{text}").map_err(RunError::Output)
    };
    if options.json {
        // Programs reading the stream know from this that capture is on.
        let event = json::event(
            "watching",
            serde_json::json!({ "iface": options.iface, "ports": options.ports }),
        );
        say(out, event.to_string())?;
        out.flush().map_err(RunError::Output)?;
    } else {
        let ports = if options.ports.is_empty() {
            "every port".to_string()
        } else {
            let list: Vec<String> = options.ports.iter().map(u16::to_string).collect();
            format!("port {}", list.join(", "))
        };
        say(
            out,
            p.paint(
                &format!(
                    "Watching TCP and UDP on {} ({ports}); Ctrl-C ends with a summary.",
                    options.iface
                ),
                styles::dim(),
            ),
        )?;
        out.flush().map_err(RunError::Output)?;
    }
    let mut pcap = options.pcap.as_deref().map(PcapOut::create).transpose()?;
    let mut view = LadderView::new(options.all_packets).folding_losses();
    let mut roles = Roles::default();
    if options.mermaid.is_some() {
        view.mermaid = Some(Default::default());
    }
    let mut pacer = AutoPacer {
        interrupted: interrupted.clone(),
    };
    let mut conversations: BTreeMap<usize, ConversationSummary> = BTreeMap::new();
    let deadline = options.duration.map(|d| Instant::now() + d);
    let mut sink = io::sink();
    while !interrupted.load(Ordering::Relaxed) && deadline.is_none_or(|d| Instant::now() < d) {
        let Some(frame) = capture.next_frame(Duration::from_millis(100)) else {
            // A pause in the traffic ends a run of data: what is held back
            // for a summary is shown now, not when the next packet comes.
            let mut io = ViewIo {
                p: &p,
                out: if options.json { &mut sink } else { &mut *out },
                pacer: &mut pacer,
            };
            match view.end_run(&mut io) {
                Err(RunError::Interrupted) => break,
                other => other?,
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
        let row = if options.json {
            let mut io = ViewIo {
                p: &p,
                out: &mut sink,
                pacer: &mut pacer,
            };
            view.show(&mut io, packet, from, to, Fate::Delivered)?
        } else {
            let mut io = ViewIo {
                p: &p,
                out: &mut *out,
                pacer: &mut pacer,
            };
            match view.show(&mut io, packet, from, to, Fate::Delivered) {
                Err(RunError::Interrupted) => break,
                other => other?,
            }
        };
        let entry = conversations.entry(row.conversation).or_default();
        entry.protocol.get_or_insert(protocol);
        entry.client.get_or_insert(client);
        entry.server.get_or_insert(server);
        entry.count(&row, from_client);
        if options.json {
            let fields = serde_json::json!({ "from": from.0, "to": to.0 });
            say(out, json::with(json::packet(&row), fields).to_string())?;
        }
        out.flush().map_err(RunError::Output)?;
    }
    let mut io = ViewIo {
        p: &p,
        out: if options.json { &mut sink } else { &mut *out },
        pacer: &mut pacer,
    };
    // Interrupted already: what is held back of a bulk run is shown now.
    match view.end_run(&mut io) {
        Err(RunError::Interrupted) | Ok(()) => {}
        Err(e) => return Err(e.into()),
    }
    if let (Some(path), Some(mermaid)) = (&options.mermaid, &view.mermaid) {
        crate::runner::write_export(path, &mermaid.render())?;
    }
    let summaries: Vec<ConversationSummary> = conversations.into_values().collect();
    if options.json {
        for c in &summaries {
            let fields = serde_json::json!({
                "proto": match c.protocol { Some(Protocol::Udp) => "udp", _ => "tcp" },
                "client": c.client.map(|a| a.to_string()),
                "server": c.server.map(|a| a.to_string()),
                "packets": c.packets,
                "bytes_from_client": c.bytes.0,
                "bytes_from_server": c.bytes.1,
                "resent": c.resent,
                "ending": c.ending(),
            });
            say(out, json::event("conversation", fields).to_string())?;
        }
    } else {
        say(out, String::new())?;
        say(
            out,
            p.paint(
                &match summaries.len() {
                    0 => "No conversation was seen.".to_string(),
                    1 => "Watched 1 conversation:".to_string(),
                    n => format!("Watched {n} conversations:"),
                },
                styles::title(),
            ),
        )?;
        for c in &summaries {
            let proto = match c.protocol {
                Some(Protocol::Udp) => "UDP",
                _ => "TCP",
            };
            let (client, server) = (
                c.client.map_or("?".into(), |a| a.to_string()),
                c.server.map_or("?".into(), |a| a.to_string()),
            );
            say(out, format!("  {proto} {client} ⇄ {server}"))?;
            say(
                out,
                format!(
                    "      {} packets; {} bytes from the client, {} from the server; {} \
                     resent; {}",
                    c.packets,
                    c.bytes.0,
                    c.bytes.1,
                    c.resent,
                    c.ending()
                ),
            )?;
        }
    }
    out.flush().map_err(RunError::Output)?;
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
        assert_eq!(c.ending(), "still open");
        c.fin_from_client = true;
        assert_eq!(c.ending(), "half-closed: the client sent its FIN");
        c.fin_from_server = true;
        assert_eq!(c.ending(), "closed by both sides (FIN each way)");
        c.reset = true;
        assert_eq!(c.ending(), "reset (RST)");
        c.protocol = Some(Protocol::Udp);
        assert!(c.ending().starts_with("datagrams"));
    }
}
