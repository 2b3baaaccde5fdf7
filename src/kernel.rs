//! The kernel's own view of the sandbox's sockets, asked over sock_diag
//! ([`diag`]) in the calling thread's network namespace, or where the
//! kernel has no sock_diag read from
//! `/proc/thread-self/net/{tcp,tcp6,udp,udp6}` (which show the reading
//! thread's network namespace). The runner shows it beside the tracker's
//! inferred states: where they differ, that is a lesson, not an error.
//!
//! And the kernel's view of one TCP connection's congestion control, read
//! with `getsockopt(TCP_INFO)` on the lesson's own socket ([`tcp_info`]):
//! the congestion window, the slow-start threshold and the state of the
//! congestion-avoidance machine, as `ss -ti` prints them. socklab never
//! computes these numbers; it reads them.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

pub mod diag;

use crate::packet::{Protocol, TcpState};

/// One line of `/proc/net/tcp` or `/proc/net/udp`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KernelSocket {
    pub protocol: Protocol,
    pub local: SocketAddr,
    pub remote: SocketAddr,
    /// The `st` column: a Linux TCP state code (UDP uses 7 for unconnected
    /// and 1 for connected sockets).
    pub code: u8,
    /// The socket's inode: tells apart sockets with the same addresses (two
    /// UDP sockets sharing a port). 0 for connections no process holds any
    /// more (TIME-WAIT).
    pub inode: u64,
}

impl KernelSocket {
    pub fn tcp_state(&self) -> Option<TcpState> {
        match self.protocol {
            Protocol::Tcp => TcpState::from_linux(self.code),
            Protocol::Udp | Protocol::Resolution | Protocol::Icmp | Protocol::Fragment => None,
        }
    }

    /// The state as Linux spells it (`netstat` prints these; the names of
    /// include/net/tcp_states.h). For UDP, "connected" (to one peer) or
    /// "unconnected".
    pub fn linux_name(&self) -> &'static str {
        match (self.protocol, self.code) {
            (Protocol::Udp, 0x01) => "connected",
            (Protocol::Udp, _) => "unconnected",
            (_, 0x01) => "ESTABLISHED",
            (_, 0x02) => "SYN_SENT",
            (_, 0x03 | 0x0C) => "SYN_RECV",
            (_, 0x04) => "FIN_WAIT1",
            (_, 0x05) => "FIN_WAIT2",
            (_, 0x06) => "TIME_WAIT",
            (_, 0x07) => "CLOSE",
            (_, 0x08) => "CLOSE_WAIT",
            (_, 0x09) => "LAST_ACK",
            (_, 0x0A) => "LISTEN",
            (_, 0x0B) => "CLOSING",
            _ => "UNKNOWN",
        }
    }
}

/// The states of Linux's congestion-avoidance machine (`tcpi_ca_state`,
/// `enum tcp_ca_state` in the kernel's `include/net/tcp.h`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum CaState {
    /// Nothing wrong: the window grows (slow start or congestion
    /// avoidance).
    Open,
    /// Duplicate ACKs or SACKs came, but not yet enough to call a segment
    /// lost.
    Disorder,
    /// The window is being reduced for another reason than a loss (an ECN
    /// echo, or the host's own queue).
    Cwr,
    /// A segment was found lost by duplicate ACKs or SACK, and is being
    /// resent: fast recovery.
    Recovery,
    /// The retransmission timer ran out: every segment in flight is
    /// presumed lost.
    Loss,
}

impl CaState {
    fn from_linux(code: u8) -> Option<CaState> {
        Some(match code {
            0 => CaState::Open,
            1 => CaState::Disorder,
            2 => CaState::Cwr,
            3 => CaState::Recovery,
            4 => CaState::Loss,
            _ => return None,
        })
    }

    /// As the kernel and `ss -ti` name it.
    pub fn name(self) -> &'static str {
        match self {
            CaState::Open => "Open",
            CaState::Disorder => "Disorder",
            CaState::Cwr => "CWR",
            CaState::Recovery => "Recovery",
            CaState::Loss => "Loss",
        }
    }
}

/// What the kernel says of one TCP connection's congestion control at one
/// moment: `getsockopt(TCP_INFO)` (the numbers `ss -ti` prints) and
/// `getsockopt(TCP_CONGESTION)`. Windows are in segments of `mss` bytes,
/// times in microseconds.
#[derive(
    Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct TcpInfo {
    /// The congestion control algorithm (`reno`, `cubic`, …).
    pub algorithm: String,
    pub ca_state: CaState,
    /// The congestion window (`snd_cwnd`).
    pub cwnd: u32,
    /// The slow-start threshold (`snd_ssthresh`); absent while it is still
    /// "infinite", as it starts.
    pub ssthresh: Option<u32>,
    /// The sender's segment size (`snd_mss`).
    pub mss: u32,
    /// Both ends agreed on selective acknowledgements (RFC 2018): losses
    /// are recovered by SACK (RFC 6675) rather than NewReno (RFC 6582).
    pub sack: bool,
    /// Segments sent and not yet acknowledged (`packets_out`).
    pub unacked: u32,
    /// Of those, segments the receiver has SACKed.
    pub sacked: u32,
    /// Of those, segments the sender holds for lost.
    pub lost: u32,
    /// Of those, retransmitted segments not yet acknowledged.
    pub retrans: u32,
    /// Retransmission timeouts in a row on the oldest segment.
    pub retransmits: u8,
    /// Every segment retransmitted on this connection.
    pub total_retrans: u32,
    /// The smoothed round-trip time and its variation.
    pub rtt_us: u32,
    pub rttvar_us: u32,
    pub min_rtt_us: u32,
    /// The retransmission timeout.
    pub rto_us: u32,
    /// Segments sent and received, all of them (RFC 4898's SegsOut and
    /// SegsIn): what the capture must have seen for this reading to be in
    /// step with it.
    pub segs_out: u32,
    pub segs_in: u32,
    /// Segments with data sent, retransmissions included.
    pub data_segs_out: u32,
    /// Segments delivered to the receiver (cumulatively acknowledged or
    /// SACKed): what slow start counts.
    pub delivered: u32,
    pub bytes_acked: u64,
    pub bytes_retrans: u64,
    /// How long sending was held back by the receiver's window, in all.
    pub rwnd_limited_us: u64,
    /// The receiver's window as last advertised, in bytes.
    pub snd_wnd: u32,
    /// How far out of order the kernel now expects segments may arrive.
    pub reordering: u32,
    /// Bytes the program has written that the kernel has not sent yet.
    pub notsent_bytes: u32,
}

impl TcpInfo {
    /// Segments in flight by the kernel's own count (`tcp_packets_in_flight`):
    /// unacknowledged, less those the receiver holds or that are taken for
    /// lost, plus those resent.
    pub fn in_flight(&self) -> u32 {
        (self.unacked + self.retrans).saturating_sub(self.sacked + self.lost)
    }

    /// The kernel has something it may send right now: new data, or
    /// segments taken for lost and not yet resent, with room in the
    /// congestion window. It is about to send (or is held back for a
    /// moment by the machine), not waiting for an ACK.
    pub fn about_to_send(&self) -> bool {
        let something = self.notsent_bytes > 0 || self.lost > self.retrans;
        something && self.in_flight() < self.cwnd && self.snd_wnd > 0
    }
}

/// `struct tcp_info` of `include/uapi/linux/tcp.h`, up to `tcpi_snd_wnd`
/// (Linux 5.4 and later); the kernel fills as much of it as it knows and
/// says how much.
#[repr(C)]
#[derive(Default)]
struct RawTcpInfo {
    state: u8,
    ca_state: u8,
    retransmits: u8,
    probes: u8,
    backoff: u8,
    options: u8,
    wscale: u8,
    app_limited: u8,
    rto: u32,
    ato: u32,
    snd_mss: u32,
    rcv_mss: u32,
    unacked: u32,
    sacked: u32,
    lost: u32,
    retrans: u32,
    fackets: u32,
    last_data_sent: u32,
    last_ack_sent: u32,
    last_data_recv: u32,
    last_ack_recv: u32,
    pmtu: u32,
    rcv_ssthresh: u32,
    rtt: u32,
    rttvar: u32,
    snd_ssthresh: u32,
    snd_cwnd: u32,
    advmss: u32,
    reordering: u32,
    rcv_rtt: u32,
    rcv_space: u32,
    total_retrans: u32,
    pacing_rate: u64,
    max_pacing_rate: u64,
    bytes_acked: u64,
    bytes_received: u64,
    segs_out: u32,
    segs_in: u32,
    notsent_bytes: u32,
    min_rtt: u32,
    data_segs_in: u32,
    data_segs_out: u32,
    delivery_rate: u64,
    busy_time: u64,
    rwnd_limited: u64,
    sndbuf_limited: u64,
    delivered: u32,
    delivered_ce: u32,
    bytes_sent: u64,
    bytes_retrans: u64,
    dsack_dups: u32,
    reord_seen: u32,
    rcv_ooopack: u32,
    snd_wnd: u32,
}

/// The kernel's "infinite" slow-start threshold (`TCP_INFINITE_SSTHRESH`).
const INFINITE_SSTHRESH: u32 = 0x7fff_ffff;

/// Reads the congestion-control view of a TCP socket from its kernel.
/// Fails on a socket that is not TCP, or on a kernel older than Linux 5.4
/// (whose `tcp_info` lacks the fields socklab checks readings with).
pub fn tcp_info(socket: &socket2::Socket) -> std::io::Result<TcpInfo> {
    use std::os::fd::AsRawFd;
    let mut raw = RawTcpInfo::default();
    let mut len = std::mem::size_of::<RawTcpInfo>() as libc::socklen_t;
    // SAFETY: getsockopt writes at most `len` bytes into `raw`, which is
    // that large, and says in `len` how many it wrote.
    let rc = unsafe {
        libc::getsockopt(
            socket.as_raw_fd(),
            libc::IPPROTO_TCP,
            libc::TCP_INFO,
            (&raw mut raw).cast(),
            &mut len,
        )
    };
    if rc != 0 {
        return Err(std::io::Error::last_os_error());
    }
    if (len as usize) < std::mem::size_of::<RawTcpInfo>() {
        return Err(std::io::Error::other(
            "this kernel's TCP_INFO is too old (Linux 5.4 or later is needed)",
        ));
    }
    let ca_state = CaState::from_linux(raw.ca_state).ok_or_else(|| {
        std::io::Error::other(format!("unknown congestion state {}", raw.ca_state))
    })?;
    let algorithm = socket.tcp_congestion().map(|name| {
        String::from_utf8_lossy(&name)
            .trim_end_matches('\0')
            .to_string()
    })?;
    Ok(TcpInfo {
        algorithm,
        ca_state,
        cwnd: raw.snd_cwnd,
        ssthresh: (raw.snd_ssthresh < INFINITE_SSTHRESH).then_some(raw.snd_ssthresh),
        mss: raw.snd_mss,
        // TCPI_OPT_SACK
        sack: raw.options & 2 != 0,
        unacked: raw.unacked,
        sacked: raw.sacked,
        lost: raw.lost,
        retrans: raw.retrans,
        retransmits: raw.retransmits,
        total_retrans: raw.total_retrans,
        rtt_us: raw.rtt,
        rttvar_us: raw.rttvar,
        min_rtt_us: raw.min_rtt,
        rto_us: raw.rto,
        segs_out: raw.segs_out,
        segs_in: raw.segs_in,
        data_segs_out: raw.data_segs_out,
        delivered: raw.delivered,
        bytes_acked: raw.bytes_acked,
        bytes_retrans: raw.bytes_retrans,
        rwnd_limited_us: raw.rwnd_limited,
        snd_wnd: raw.snd_wnd,
        reordering: raw.reordering,
        notsent_bytes: raw.notsent_bytes,
    })
}

/// Every TCP and UDP socket of this network namespace, as sock_diag lists
/// them (the same sockets, states and inodes as /proc/net/tcp and udp,
/// which walk the whole hash table again on every read of a few hundred
/// bytes: milliseconds each, where a dump takes a fraction of one).
pub fn sockets() -> Vec<KernelSocket> {
    match diag::Diag::open().and_then(|d| d.sockets()) {
        Ok(listed) => listed
            .into_iter()
            .map(|s| KernelSocket {
                protocol: if s.tcp { Protocol::Tcp } else { Protocol::Udp },
                local: s.local,
                remote: s.remote,
                // A request socket (TCP_NEW_SYN_RECV) is SYN_RECV, as
                // /proc/net/tcp prints it (`get_openreq4`).
                code: if s.tcp && s.state == 12 {
                    0x03
                } else {
                    s.state
                },
                inode: s.inode,
            })
            .collect(),
        Err(_) => proc_sockets(),
    }
}

/// Reads every TCP and UDP socket of this network namespace from /proc.
/// Missing files (no IPv6 in the kernel) count as empty.
pub fn proc_sockets() -> Vec<KernelSocket> {
    let mut all = Vec::new();
    for (path, protocol) in [
        ("/proc/thread-self/net/tcp", Protocol::Tcp),
        ("/proc/thread-self/net/tcp6", Protocol::Tcp),
        ("/proc/thread-self/net/udp", Protocol::Udp),
        ("/proc/thread-self/net/udp6", Protocol::Udp),
    ] {
        if let Some(text) = read_proc(path) {
            all.extend(parse_table(&text, protocol));
        }
    }
    all
}

/// The IPv6 multicast groups this network namespace's kernel has joined
/// on `iface`, from `/proc/thread-self/net/igmp6`, sorted. Empty when the
/// file is missing (no IPv6).
pub fn groups(iface: &str) -> Vec<Ipv6Addr> {
    read_proc("/proc/thread-self/net/igmp6")
        .map(|text| parse_groups(&text, iface))
        .unwrap_or_default()
}

/// Parses `/proc/net/igmp6`: one membership a line, `index name group
/// users flags timer`, the group as 32 hex digits in network order.
/// Malformed lines are skipped.
pub fn parse_groups(text: &str, iface: &str) -> Vec<Ipv6Addr> {
    let mut groups: Vec<Ipv6Addr> = text
        .lines()
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            if fields.get(1) != Some(&iface) {
                return None;
            }
            u128::from_str_radix(fields.get(2)?, 16)
                .ok()
                .map(Ipv6Addr::from)
        })
        .collect();
    groups.sort();
    groups
}

/// Parses a `/proc/net/{tcp,udp}[6]` table; malformed lines are skipped.
pub fn parse_table(text: &str, protocol: Protocol) -> Vec<KernelSocket> {
    text.lines()
        .skip(1)
        .filter_map(|line| {
            // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
            let fields: Vec<&str> = line.split_whitespace().collect();
            Some(KernelSocket {
                protocol,
                local: parse_addr(fields.get(1)?)?,
                remote: parse_addr(fields.get(2)?)?,
                code: u8::from_str_radix(fields.get(3)?, 16).ok()?,
                inode: fields.get(9)?.parse().ok()?,
            })
        })
        .collect()
}

/// `0100007F:1388` → 127.0.0.1:5000. The address is printed as 32-bit words
/// in the host's byte order, the port in big-endian hex.
fn parse_addr(field: &str) -> Option<SocketAddr> {
    let (addr, port) = field.split_once(':')?;
    let port = u16::from_str_radix(port, 16).ok()?;
    let words: Option<Vec<u32>> = (0..addr.len() / 8)
        .map(|i| u32::from_str_radix(addr.get(i * 8..i * 8 + 8)?, 16).ok())
        .collect();
    let words = words?;
    let ip = match words.as_slice() {
        [w] => IpAddr::V4(Ipv4Addr::from(w.to_ne_bytes())),
        [a, b, c, d] => {
            let mut bytes = [0u8; 16];
            for (chunk, w) in bytes.chunks_mut(4).zip([a, b, c, d]) {
                chunk.copy_from_slice(&w.to_ne_bytes());
            }
            IpAddr::V6(Ipv6Addr::from(bytes))
        }
        _ => return None,
    };
    Some(SocketAddr::new(ip, port))
}

/// How many TCP segments and UDP datagrams this network namespace's kernel
/// threw away because their checksum did not add up: `InCsumErrors` of the
/// `Tcp:` and `Udp:` lines of `/proc/net/snmp`, plus `Udp6InCsumErrors`
/// of `/proc/net/snmp6` (Linux keeps one TCP table for both families, and
/// a separate one for UDP over IPv6). `None` when /proc/net cannot be read.
pub fn checksum_errors() -> Option<ChecksumErrors> {
    let snmp = read_proc("/proc/thread-self/net/snmp")?;
    let mut counted = parse_snmp_csum(&snmp);
    if let Some(snmp6) = read_proc("/proc/thread-self/net/snmp6") {
        counted.udp += parse_snmp6_value(&snmp6, "Udp6InCsumErrors").unwrap_or(0);
    }
    Some(counted)
}

/// Checksum errors a kernel counted, by protocol.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChecksumErrors {
    pub tcp: u64,
    pub udp: u64,
}

/// `InCsumErrors` of the `Tcp:` and `Udp:` lines of a /proc/net/snmp text:
/// each protocol has a line of names followed by a line of values.
pub fn parse_snmp_csum(text: &str) -> ChecksumErrors {
    let value = |protocol: &str| -> Option<u64> {
        let mut lines = text
            .lines()
            .filter(|l| l.split(':').next() == Some(protocol));
        let names = lines.next()?;
        let values = lines.next()?;
        let column = names.split_whitespace().position(|n| n == "InCsumErrors")?;
        values.split_whitespace().nth(column)?.parse().ok()
    };
    ChecksumErrors {
        tcp: value("Tcp").unwrap_or(0),
        udp: value("Udp").unwrap_or(0),
    }
}

/// A counter of a /proc/net/snmp6 text (one `name value` a line).
fn parse_snmp6_value(text: &str, name: &str) -> Option<u64> {
    text.lines().find_map(|line| {
        let mut words = line.split_whitespace();
        (words.next()? == name).then_some(())?;
        words.next()?.parse().ok()
    })
}

/// A /proc file in one read of up to 256 KiB: a seq_file walks its table
/// again from the start of each read(2), and /proc reports a size of 0, so
/// reading in growing pieces costs one walk per piece.
fn read_proc(path: &str) -> Option<String> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).ok()?;
    let mut buf = vec![0u8; 256 << 10];
    let mut len = 0;
    loop {
        if len == buf.len() {
            buf.resize(buf.len() * 2, 0);
        }
        match file.read(&mut buf[len..]) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
    buf.truncate(len);
    String::from_utf8(buf).ok()
}

/// How many frames the interface `iface` of the calling thread's
/// namespace has received, from `/proc/thread-self/net/dev`. On `lo` that
/// is every frame sent on it: the loopback counts a frame as it queues it
/// for receipt (drivers/net/loopback.c, `loopback_xmit` adds to its
/// statistics once `__netif_rx` has taken the frame, and
/// `loopback_get_stats64` reports the same count as received and sent).
pub fn received_frames(iface: &str) -> Option<u64> {
    let text = read_proc("/proc/thread-self/net/dev")?;
    parse_received(&text, iface)
}

/// The received-packets column of `iface`'s line in a /proc/net/dev text.
pub fn parse_received(text: &str, iface: &str) -> Option<u64> {
    text.lines().find_map(|line| {
        let (name, counters) = line.split_once(':')?;
        if name.trim() != iface {
            return None;
        }
        // bytes packets errs drop …
        counters.split_whitespace().nth(1)?.parse().ok()
    })
}

/// How many frames wait in the CPUs' input backlogs, across the machine
/// (`/proc/net/softnet_stat`, the 12th column of each CPU's line: the
/// input and process queues' lengths added, net/core/net-procfs.c,
/// `softnet_seq_show`). A frame a veth hands to its peer waits there until
/// the receiving side's softirq takes it. `None` where the kernel does not
/// print the column.
pub fn backlog() -> Option<u64> {
    let text = read_proc("/proc/net/softnet_stat")?;
    parse_backlog(&text)
}

pub fn parse_backlog(text: &str) -> Option<u64> {
    text.lines()
        .map(|line| {
            let column = line.split_whitespace().nth(11)?;
            u64::from_str_radix(column, 16).ok()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_errors_from_snmp_and_snmp6() {
        let snmp = "Ip: Forwarding DefaultTTL\nIp: 1 64\n\
Tcp: RtoAlgorithm RtoMin InErrs OutRsts InCsumErrors\nTcp: 1 200 1 0 1\n\
Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors\n\
Udp: 3 0 2 3 0 0 2 0 0\n\
UdpLite: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors\n\
UdpLite: 0 0 0 0 0 0 7 0 0\n";
        assert_eq!(parse_snmp_csum(snmp), ChecksumErrors { tcp: 1, udp: 2 });
        let snmp6 = "Udp6InErrors                    \t1\nUdp6InCsumErrors                \t1\n";
        assert_eq!(parse_snmp6_value(snmp6, "Udp6InCsumErrors"), Some(1));
        assert_eq!(parse_snmp6_value(snmp6, "Udp6NoPorts"), None);
        // Read for real in the test's own namespace: it has the counters.
        assert!(checksum_errors().is_some());
    }

    #[test]
    fn device_and_backlog_counters() {
        let dev = "Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:     816      12    0    0    0     0          0         0      816      12    0    0    0     0       0          0
 wire0: 1000 7 0 0 0 0 0 0 500 3 0 0 0 0 0 0
";
        assert_eq!(parse_received(dev, "lo"), Some(12));
        assert_eq!(parse_received(dev, "wire0"), Some(7));
        assert_eq!(parse_received(dev, "eth0"), None);
        // As Linux 6.x prints it on two CPUs, the second with 3 waiting.
        let softnet = "\
00683345 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000
006a15da 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000003 00000001 00000002 00000001
";
        assert_eq!(parse_backlog(softnet), Some(3));
        assert_eq!(parse_backlog("0000 0000\n"), None);
    }

    #[test]
    fn igmp6_memberships_of_one_interface_sorted() {
        // As Linux 6.1 writes it on a lab host after joining ff02::7788.
        let text = "\
1    lo              ff020000000000000000000000000001     1 0000000C 0
1    lo              ff010000000000000000000000000001     1 00000008 0
2    eth0            ff020000000000000000000000007788     1 00000004 0
2    eth0            ff0200000000000000000001ff000002     1 00000004 0
2    eth0            ff020000000000000000000000000001     1 0000000C 0
2    eth0            not-hex                              1 0000000C 0
";
        let groups: Vec<String> = parse_groups(text, "eth0")
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(groups, ["ff02::1", "ff02::7788", "ff02::1:ff00:2"]);
    }

    /// Lines as Linux 6.x printed them inside a lesson's sandbox.
    const TCP: &str = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:1388 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4151 1 0000000000000000 100 0 0 10 0
   1: 0100007F:A5C4 0100007F:1388 01 00000000:00000000 00:00000000 00000000     0        0 4152 1 0000000000000000 20 4 30 10 -1
";

    #[test]
    fn parses_listener_and_connection() {
        let socks = parse_table(TCP, Protocol::Tcp);
        assert_eq!(socks.len(), 2);
        assert_eq!(socks[0].local.to_string(), "0.0.0.0:5000");
        assert_eq!(socks[0].tcp_state(), Some(TcpState::Listen));
        assert_eq!(socks[1].local.to_string(), "127.0.0.1:42436");
        assert_eq!(socks[1].remote.to_string(), "127.0.0.1:5000");
        assert_eq!(socks[1].linux_name(), "ESTABLISHED");
        assert_eq!((socks[0].inode, socks[1].inode), (4151, 4152));
    }

    #[test]
    fn parses_ipv6_loopback() {
        let line = "sl\n 0: 00000000000000000000000001000000:1388 00000000000000000000000000000000:0000 0A 0:0 0:0 0 0 0 77";
        let socks = parse_table(line, Protocol::Tcp);
        assert_eq!(socks[0].local.to_string(), "[::1]:5000");
    }

    #[test]
    fn skips_malformed_lines() {
        assert!(parse_table("header\n 0: zz:1 00:00 0A\n", Protocol::Udp).is_empty());
    }
}
