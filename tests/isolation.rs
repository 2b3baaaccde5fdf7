//! Isolation, measured: while lessons (loopback and lab wire, IPv4 and
//! IPv6) and an exercise check run, a packet socket in the test's own
//! network namespace (the machine's, where the test runs) sees every frame
//! on every interface, loopback included, and none of them is socklab's.
//! No interface goes promiscuous meanwhile. A control datagram sent by the
//! test itself, shaped like a lesson's, proves the capture would see a
//! leak.
//!
//! And no socket of socklab's (or of a program it runs) lives in the
//! machine's namespace: look after look (each reads /proc, some 30 a
//! second), the socket inodes socklab's processes hold are looked up in
//! pid 1's socket tables (TCP, UDP, raw, ICMP, packet, netlink, IPv4 and
//! IPv6). A sampling: a socket open for less than a look could slip
//! between two; the test's own socket, found by the same look, shows it
//! would see one that stays.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// IFF_PROMISC (include/uapi/linux/if.h).
const IFF_PROMISC: u32 = 0x100;

/// The inodes of every socket in the machine's own network namespace
/// (pid 1's), with the table that lists each.
fn host_socket_inodes() -> BTreeMap<u64, &'static str> {
    let mut inodes = BTreeMap::new();
    // (table, the column of its inode; None: the last column)
    let tables: [(&str, Option<usize>); 9] = [
        ("tcp", Some(9)),
        ("tcp6", Some(9)),
        ("udp", Some(9)),
        ("udp6", Some(9)),
        ("raw", Some(9)),
        ("raw6", Some(9)),
        ("icmp", Some(9)),
        ("packet", None),
        ("netlink", None),
    ];
    for (table, column) in tables {
        let Ok(text) = std::fs::read_to_string(format!("/proc/1/net/{table}")) else {
            continue;
        };
        for line in text.lines().skip(1) {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let field = match column {
                Some(c) => fields.get(c),
                None => fields.last(),
            };
            if let Some(inode) = field.and_then(|f| f.parse::<u64>().ok())
                && inode != 0
            {
                inodes.insert(inode, table);
            }
        }
    }
    inodes
}

/// The socket inodes process `pid` holds.
fn socket_inodes_of(pid: u32) -> Vec<u64> {
    let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return Vec::new();
    };
    fds.filter_map(|fd| {
        let link = std::fs::read_link(fd.ok()?.path()).ok()?;
        let link = link.to_str()?;
        link.strip_prefix("socket:[")?
            .strip_suffix(']')?
            .parse()
            .ok()
    })
    .collect()
}

/// socklab's processes (our binary), and the processes they started (a
/// learner's program, Python for an exercise check), with their threads'
/// parents followed through /proc/PID/stat.
fn socklab_family() -> BTreeSet<u32> {
    let ours = std::fs::canonicalize(env!("CARGO_BIN_EXE_socklab")).unwrap();
    let mut parents = BTreeMap::new();
    let mut family = BTreeSet::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if std::fs::read_link(entry.path().join("exe")).ok() == Some(ours.clone()) {
            family.insert(pid);
        }
        // The parent is the 4th field, after the command in parentheses.
        let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
        if let Some(ppid) = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse::<u32>().ok())
        {
            parents.insert(pid, ppid);
        }
    }
    // Descendants, however deep (a shell between socklab and python).
    loop {
        let more: Vec<u32> = parents
            .iter()
            .filter(|(pid, ppid)| family.contains(ppid) && !family.contains(pid))
            .map(|(pid, _)| *pid)
            .collect();
        if more.is_empty() {
            return family;
        }
        family.extend(more);
    }
}

/// A socket in the machine's namespace: (pid, inode, table).
type HostSocket = (u32, u64, &'static str);

/// What one look found: sockets of `pids` that live in the machine's
/// namespace.
fn host_sockets_of(pids: impl IntoIterator<Item = u32>) -> Vec<HostSocket> {
    let host = host_socket_inodes();
    pids.into_iter()
        .flat_map(|pid| socket_inodes_of(pid).into_iter().map(move |i| (pid, i)))
        .filter_map(|(pid, inode)| host.get(&inode).map(|table| (pid, inode, *table)))
        .collect()
}

/// Looks again and again until `stop`, and returns what it found and how
/// many looks it made.
fn watch_sockets(stop: Arc<AtomicBool>) -> std::thread::JoinHandle<(Vec<HostSocket>, usize)> {
    std::thread::spawn(move || {
        let (mut found, mut looks) = (Vec::new(), 0);
        while !stop.load(Ordering::Relaxed) {
            for hit in host_sockets_of(socklab_family()) {
                if !found.contains(&hit) {
                    found.push(hit);
                }
            }
            looks += 1;
            std::thread::sleep(Duration::from_millis(2));
        }
        (found, looks)
    })
}

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
    let fd = unsafe {
        libc::socket(
            libc::AF_PACKET,
            libc::SOCK_RAW | libc::SOCK_CLOEXEC,
            protocol,
        )
    };
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

    // The socket look's control: the test's own UDP socket is found in
    // the machine's namespace.
    let own = host_sockets_of([std::process::id()]);
    assert!(
        own.iter().any(|(_, _, table)| *table == "udp"),
        "the look did not find the test's own socket: {own:?}"
    );

    let stop = Arc::new(AtomicBool::new(false));
    let during = capture(stop.clone(), ports);
    let sockets = watch_sockets(stop.clone());
    // Every lesson, then the IPv6 lab wire and a checksum over IPv6.
    let runs: &[&[&str]] = &[
        &["run", "--all", "--auto"],
        &["run", "tcp-echo", "--auto", "--ipv6"],
        &["run", "checksum", "--auto", "--ipv6"],
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
    let (in_host, looks) = sockets.join().unwrap();
    println!("socket looks: {looks}; socklab's sockets in the machine's namespace: {in_host:?}");
    assert!(looks > 100, "only {looks} looks at the sockets");
    assert!(
        in_host.is_empty(),
        "socklab had sockets in the machine's namespace (pid, inode, table): {in_host:?}"
    );
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
