//! Capture: frames off the wire with pnet, decoded into [`Packet`](crate::packet::Packet)s, and
//! written to pcap files.
//!
//! This is the only module that touches raw frame bytes. It knows nothing of
//! lessons: it hands over frames, each stamped when it arrived.

pub mod decode;
pub mod file;
pub mod pcap;

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

use pnet::datalink::{self, Channel, Config, DataLinkReceiver, DataLinkSender, NetworkInterface};

use crate::t;

/// A captured frame as it came off the interface.
#[derive(Debug, Clone)]
pub struct Frame {
    /// 1-based position in the capture.
    pub number: usize,
    /// Arrival, relative to the start of the capture.
    pub at: Duration,
    /// Arrival as wall-clock time, for pcap files.
    pub wall: SystemTime,
    pub data: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    #[error("{}", t!("error-no-interface", name = .0.as_str()))]
    NoInterface(String),
    #[error("{}", t!("error-capture-no-rights", error = .0.to_string()))]
    NoRights(io::Error),
    #[error("{}", t!("error-capture-open", iface = .iface.as_str(), error = .source.to_string()))]
    Open { iface: String, source: io::Error },
}

/// `PACKET_IGNORE_OUTGOING` from `<linux/if_packet.h>` (Linux 4.20+).
/// On `lo` every frame is both sent and received, so AF_PACKET would
/// deliver it twice; keeping only the incoming copy shows each frame once,
/// as libpcap does.
const PACKET_IGNORE_OUTGOING: libc::c_int = 23;

/// Loopback frames can reach 64 KiB (the MTU of `lo` is 65536); pnet's
/// default 4096-byte buffer would silently cut them.
const READ_BUFFER: usize = 256 * 1024;

/// The capture socket's receive buffer: 32 MiB, as much as tcpdump's
/// default ring for a busy loopback.
const SOCKET_BUFFER: libc::c_int = 32 << 20;

/// How long the capture thread blocks before it looks at its stop flag.
const POLL: Duration = Duration::from_millis(20);

/// A capture running on its own thread until dropped.
pub struct LiveCapture {
    frames: mpsc::Receiver<Frame>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl LiveCapture {
    /// Starts capturing on `iface`, never in promiscuous mode: a teaching
    /// tool has no business seeing other hosts' traffic.
    pub fn start(iface: &str) -> Result<LiveCapture, CaptureError> {
        let interface = find_interface(iface)?;

        let (_tx, mut rx) = open_channel(&interface, POLL)?;

        let (tx, frames) = mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let stop_flag = stop.clone();
        let start = Instant::now();
        let thread = std::thread::Builder::new()
            .name("capture".into())
            .spawn(move || {
                let mut number = 0;
                while !stop_flag.load(Ordering::Relaxed) {
                    match rx.next() {
                        Ok(bytes) => {
                            number += 1;
                            let frame = Frame {
                                number,
                                at: start.elapsed(),
                                wall: SystemTime::now(),
                                data: bytes.to_vec(),
                            };
                            if tx.send(frame).is_err() {
                                return;
                            }
                        }
                        Err(e) if e.kind() == io::ErrorKind::TimedOut => {}
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        // Any other error ends the capture; the runner then
                        // reports the packets it did not see.
                        Err(_) => return,
                    }
                }
            })
            .map_err(|source| CaptureError::Open {
                iface: iface.to_string(),
                source,
            })?;
        Ok(LiveCapture {
            frames,
            stop,
            thread: Some(thread),
        })
    }

    /// The next frame, waiting at most `timeout`.
    pub fn next_frame(&self, timeout: Duration) -> Option<Frame> {
        self.frames.recv_timeout(timeout).ok()
    }
}

impl Drop for LiveCapture {
    /// Tells the capture thread to stop, without waiting for it: it sees
    /// the flag within `POLL` and ends (closing its socket), and nothing
    /// it could still send is read. Joining cost every run up to `POLL`
    /// at its very end.
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        drop(self.thread.take());
    }
}

/// The two halves of a pnet Ethernet channel.
pub type EthernetChannel = (Box<dyn DataLinkSender>, Box<dyn DataLinkReceiver>);

/// The interface named `iface` in the calling thread's namespace.
pub fn find_interface(iface: &str) -> Result<NetworkInterface, CaptureError> {
    datalink::interfaces()
        .into_iter()
        .find(|i| i.name == iface)
        .ok_or_else(|| CaptureError::NoInterface(iface.to_string()))
}

/// A pnet channel on `interface` that sees each frame once (incoming
/// only), never in promiscuous mode, with reads that give up after
/// `timeout` so that the reading thread can notice it should stop.
pub fn open_channel(
    interface: &NetworkInterface,
    timeout: Duration,
) -> Result<EthernetChannel, CaptureError> {
    let fd = open_packet_socket()?;
    let config = Config {
        read_buffer_size: READ_BUFFER,
        read_timeout: Some(timeout),
        promiscuous: false,
        socket_fd: Some(fd),
        ..Config::default()
    };
    match datalink::channel(interface, config) {
        Ok(Channel::Ethernet(tx, rx)) => Ok((tx, rx)),
        Ok(_) => unreachable!("AF_PACKET channels are Ethernet channels"),
        Err(source) => Err(CaptureError::Open {
            iface: interface.name.clone(),
            source,
        }),
    }
}

fn open_packet_socket() -> Result<libc::c_int, CaptureError> {
    // Protocol 0: the socket receives nothing until pnet binds it to the
    // interface (with ETH_P_ALL). A socket opened with ETH_P_ALL is hooked
    // on every interface at once, and binding it then unhooks it first,
    // which waits for an RCU grace period (net/packet/af_packet.c,
    // `packet_do_bind`, `synchronize_net`): 10 ms or more of every run.
    // SAFETY: plain socket(2) call; the descriptor is handed to pnet, which
    // owns and closes it.
    let fd = unsafe { libc::socket(libc::AF_PACKET, libc::SOCK_RAW, 0) };
    if fd < 0 {
        return Err(CaptureError::NoRights(io::Error::last_os_error()));
    }
    if let Err(source) = set_int_option(fd, libc::SOL_PACKET, PACKET_IGNORE_OUTGOING, 1) {
        // SAFETY: fd was opened above and is not used afterwards.
        unsafe { libc::close(fd) };
        return Err(CaptureError::Open {
            iface: "lo".into(),
            source,
        });
    }
    // Room for bursts: a bulk transfer on `lo` queues 64 KiB frames
    // faster than one thread reads them, and the default buffer (about
    // 200 KiB, net.core.rmem_default) holds only three. SO_RCVBUFFORCE
    // passes net.core.rmem_max where socklab may (real root); otherwise
    // SO_RCVBUF gets what the system allows.
    let _ = set_int_option(fd, libc::SOL_SOCKET, libc::SO_RCVBUFFORCE, SOCKET_BUFFER)
        .or_else(|_| set_int_option(fd, libc::SOL_SOCKET, libc::SO_RCVBUF, SOCKET_BUFFER));
    Ok(fd)
}

/// setsockopt(2) with an int value.
pub(crate) fn set_int_option(
    fd: libc::c_int,
    level: libc::c_int,
    name: libc::c_int,
    value: libc::c_int,
) -> io::Result<()> {
    // SAFETY: `value` outlives the call and its size is passed.
    let rc = unsafe {
        libc::setsockopt(
            fd,
            level,
            name,
            (&value as *const libc::c_int).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    if rc < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}
