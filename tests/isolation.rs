//! Isolation, measured: while lessons (loopback and lab wire, IPv4 and
//! IPv6) and an exercise check run, a packet socket in the test's own
//! network namespace (the machine's, where the test runs) sees every frame
//! on every interface, loopback included, and none of them is socklab's.
//! No interface goes promiscuous meanwhile. A control datagram sent by the
//! test itself, shaped like a lesson's, proves the capture would see a
//! leak.

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// IFF_PROMISC (include/uapi/linux/if.h).
const IFF_PROMISC: u32 = 0x100;

/// Every port a built-in lesson or exercise names (`port = N`).
fn lesson_ports() -> Vec<u16> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut ports = Vec::new();
    for dir in ["lessons", "exercises"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default();
            for part in text.split("port = ").skip(1) {
                let digits: String = part.chars().take_while(char::is_ascii_digit).collect();
                if let Ok(port) = digits.parse() {
                    ports.push(port);
                }
            }
        }
    }
    ports.sort();
    ports.dedup();
    ports
}

/// Whether a frame is socklab's lessons': the lab's MAC addresses
/// (02:00:00:00:00:0N), its IPv4 subnet 10.0.0.0/24, or, on the loopback,
/// TCP or UDP to or from a port a lesson uses.
fn socklab_frame(frame: &[u8], loopback: bool, ports: &[u16]) -> bool {
    if frame.len() < 14 {
        return false;
    }
    let lab_mac = |m: &[u8]| m[..5] == [2, 0, 0, 0, 0] && (1..16).contains(&m[5]);
    if lab_mac(&frame[0..6]) || lab_mac(&frame[6..12]) {
        return true;
    }
    let ethertype = u16::from_be_bytes([frame[12], frame[13]]);
    let (protocol, transport) = match ethertype {
        0x0800 if frame.len() >= 34 => {
            let lab = |a: &[u8]| a[..3] == [10, 0, 0];
            if lab(&frame[26..30]) || lab(&frame[30..34]) {
                return true;
            }
            (frame[23], 14 + usize::from(frame[14] & 0x0f) * 4)
        }
        0x0806 if frame.len() >= 42 => {
            return frame[28..31] == [10, 0, 0] || frame[38..41] == [10, 0, 0];
        }
        0x86dd if frame.len() >= 54 => (frame[20], 54),
        _ => return false,
    };
    if !loopback || !matches!(protocol, 6 | 17) || frame.len() < transport + 4 {
        return false;
    }
    let src = u16::from_be_bytes([frame[transport], frame[transport + 1]]);
    let dst = u16::from_be_bytes([frame[transport + 2], frame[transport + 3]]);
    ports.contains(&src) || ports.contains(&dst)
}

/// What the capture saw, per interface: frames, and frames of socklab's.
#[derive(Default, Debug)]
struct Seen {
    frames: BTreeMap<String, (u64, u64)>,
    promiscuous: Vec<String>,
}

fn interface_name(index: i32) -> String {
    let mut name = [0 as libc::c_char; libc::IF_NAMESIZE];
    // SAFETY: the buffer is IF_NAMESIZE long, as if_indextoname requires.
    let p = unsafe { libc::if_indextoname(index as u32, name.as_mut_ptr()) };
    if p.is_null() {
        return format!("#{index}");
    }
    // SAFETY: if_indextoname wrote a NUL-terminated name.
    unsafe { std::ffi::CStr::from_ptr(name.as_ptr()) }
        .to_string_lossy()
        .into_owned()
}

fn promiscuous_interfaces() -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/sys/class/net").unwrap() {
        let entry = entry.unwrap();
        let flags = std::fs::read_to_string(entry.path().join("flags")).unwrap_or_default();
        let flags = u32::from_str_radix(flags.trim().trim_start_matches("0x"), 16).unwrap_or(0);
        if flags & IFF_PROMISC != 0 {
            found.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    found
}

/// A packet socket on every interface of this namespace (ETH_P_ALL, bound
/// to none, never asking for promiscuous mode), read until `stop`.
fn capture(stop: Arc<AtomicBool>, ports: Vec<u16>) -> std::thread::JoinHandle<Seen> {
    let protocol = (libc::ETH_P_ALL as u16).to_be() as i32;
    // SAFETY: plain socket(2).
    let fd = unsafe { libc::socket(libc::AF_PACKET, libc::SOCK_RAW, protocol) };
    assert!(
        fd >= 0,
        "packet socket: {}",
        std::io::Error::last_os_error()
    );
    let timeout = libc::timeval {
        tv_sec: 0,
        tv_usec: 20_000,
    };
    // SAFETY: a timeval for SO_RCVTIMEO, of its size.
    unsafe {
        libc::setsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_RCVTIMEO,
            (&timeout as *const libc::timeval).cast(),
            size_of::<libc::timeval>() as u32,
        )
    };
    std::thread::spawn(move || {
        let mut seen = Seen::default();
        let mut buf = vec![0u8; 65536 + 64];
        let mut names: BTreeMap<i32, String> = BTreeMap::new();
        while !stop.load(Ordering::Relaxed) {
            for name in promiscuous_interfaces() {
                if !seen.promiscuous.contains(&name) {
                    seen.promiscuous.push(name);
                }
            }
            loop {
                // SAFETY: sockaddr_ll is plain data; zero is a valid value.
                let mut from: libc::sockaddr_ll = unsafe { std::mem::zeroed() };
                let mut len = size_of::<libc::sockaddr_ll>() as u32;
                // SAFETY: buf and from are ours, with their sizes.
                let n = unsafe {
                    libc::recvfrom(
                        fd,
                        buf.as_mut_ptr().cast(),
                        buf.len(),
                        0,
                        (&mut from as *mut libc::sockaddr_ll).cast(),
                        &mut len,
                    )
                };
                if n < 0 {
                    break;
                }
                let name = names
                    .entry(from.sll_ifindex)
                    .or_insert_with(|| interface_name(from.sll_ifindex))
                    .clone();
                let loopback = from.sll_hatype == libc::ARPHRD_LOOPBACK;
                let ours = socklab_frame(&buf[..n as usize], loopback, &ports);
                let counts = seen.frames.entry(name).or_default();
                counts.0 += 1;
                counts.1 += u64::from(ours);
            }
        }
        // SAFETY: closing our own descriptor.
        unsafe { libc::close(fd) };
        seen
    })
}

fn socklab_frames(seen: &Seen) -> u64 {
    seen.frames.values().map(|c| c.1).sum()
}

#[test]
fn no_lesson_frame_reaches_the_machines_interfaces() {
    if !common::root_or_skip(
        "no_lesson_frame_reaches_the_machines_interfaces",
        "a packet socket needs CAP_NET_RAW",
    ) {
        return;
    }
    let ports = lesson_ports();
    assert!(ports.contains(&7788) && ports.contains(&5000), "{ports:?}");
    let before = promiscuous_interfaces();

    // The control: a datagram shaped like a lesson's, sent on the
    // machine's loopback by the test itself, is seen and counted.
    let stop = Arc::new(AtomicBool::new(false));
    let control = capture(stop.clone(), ports.clone());
    std::thread::sleep(Duration::from_millis(50));
    let socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    socket.send_to(b"leak", "127.0.0.1:7788").unwrap();
    std::thread::sleep(Duration::from_millis(100));
    stop.store(true, Ordering::Relaxed);
    let control = control.join().unwrap();
    assert!(
        socklab_frames(&control) >= 1,
        "the capture did not see the control datagram: {control:?}"
    );

    let stop = Arc::new(AtomicBool::new(false));
    let during = capture(stop.clone(), ports);
    let runs: &[&[&str]] = &[
        &["run", "tcp-handshake", "--auto"],
        &["run", "udp-datagram", "--auto"],
        &["run", "tcp-echo", "--auto", "--ipv6"],
        &["run", "tcp-retransmission", "--auto"],
        &["run", "checksum", "--auto"],
        &["run", "checksum", "--auto", "--ipv6"],
        &["run", "udp-broadcast-lan", "--auto"],
        &["run", "udp-multicast", "--auto"],
    ];
    for args in runs {
        let output = common::socklab()
            .args(["--color", "never"])
            .args(*args)
            .output()
            .unwrap();
        assert!(output.status.success(), "{args:?}: {output:?}");
    }
    let reference = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/exercises/echo-server/reference.py"
    );
    let python = std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_ok();
    if python {
        let output = common::socklab()
            .args([
                "--color",
                "never",
                "exercise",
                "check",
                "echo-server",
                "--",
                "python3",
                reference,
            ])
            .output()
            .unwrap();
        assert!(output.status.success(), "exercise check: {output:?}");
    } else {
        common::skip("the exercise check part", "python3 is not installed");
    }
    // And the capture was live to the end: a datagram of the test's own,
    // to a port no lesson uses, is seen (and not counted as socklab's).
    let receiver = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = receiver.local_addr().unwrap().port();
    assert!(!lesson_ports().contains(&port));
    socket.send_to(b"alive", ("127.0.0.1", port)).unwrap();
    std::thread::sleep(Duration::from_millis(100));
    stop.store(true, Ordering::Relaxed);
    let seen = during.join().unwrap();
    assert!(
        seen.frames.get("lo").is_some_and(|c| c.0 >= 1),
        "the capture was not live at the end: {seen:?}"
    );
    // The figures, for the record (`--nocapture` shows them).
    println!("control: {:?}", control.frames);
    println!(
        "during the runs (frames, socklab's) per interface: {:?}",
        seen.frames
    );
    assert_eq!(
        socklab_frames(&seen),
        0,
        "socklab's frames reached the machine: {seen:?}"
    );
    let promiscuous: Vec<&String> = seen
        .promiscuous
        .iter()
        .filter(|i| !before.contains(i))
        .collect();
    assert!(promiscuous.is_empty(), "went promiscuous: {promiscuous:?}");
    assert_eq!(promiscuous_interfaces(), before);
}

/// The classifier knows socklab's frames when it sees them: every frame of
/// real lesson captures (lab wire, IPv4 and IPv6; the loopback's
/// tcp-close and udp-datagram) counts as socklab's, so a leak of any of
/// them would fail the test above.
#[test]
fn every_frame_of_a_lesson_capture_is_recognised() {
    let ports = lesson_ports();
    for (fixture, loopback) in [
        ("wire-frames-ipv4.pcap", false),
        ("wire-frames-ipv6.pcap", false),
        ("udp-multicast.pcap", false),
        ("tcp-close.pcap", true),
        ("udp-datagram.pcap", true),
    ] {
        let path = format!("{}/tests/fixtures/{fixture}", env!("CARGO_MANIFEST_DIR"));
        let mut reader =
            pcap_file::pcap::PcapReader::new(std::fs::File::open(&path).unwrap()).unwrap();
        let mut count = 0;
        while let Some(packet) = reader.next_packet() {
            let packet = packet.unwrap();
            count += 1;
            assert!(
                socklab_frame(&packet.data, loopback, &ports),
                "{fixture} frame {count} not recognised"
            );
        }
        assert!(count > 0, "{fixture}");
    }
}
