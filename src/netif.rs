//! Network interface settings by ioctl: up, MTU, IPv4 and IPv6 addresses, and the
//! offloads (ethtool) that would otherwise hide what a real wire carries.
//! Used for the sandbox's `lo` and for the lab wire's Ethernet interfaces.
//! Each call acts in the network namespace of the calling thread.

use std::io;
use std::net::{Ipv4Addr, Ipv6Addr};

/// `struct ethtool_value` from `<linux/ethtool.h>`.
#[repr(C)]
struct EthtoolValue {
    cmd: u32,
    data: u32,
}

/// The ethtool settings socklab turns off (`<linux/ethtool.h>`).
#[derive(Debug, Clone, Copy)]
pub enum Offload {
    /// ETHTOOL_STXCSUM: transmit checksums left for the "hardware". On veth
    /// the frame then crosses the wire with its checksum unfilled.
    TxChecksum = 0x17,
    /// ETHTOOL_STSO: TCP segmentation offload ("super-segments").
    Tso = 0x1f,
    /// ETHTOOL_SGSO: generic segmentation offload.
    Gso = 0x24,
    /// ETHTOOL_SGRO: generic receive offload (merges received segments).
    Gro = 0x2c,
}

/// Turns an offload off on `iface`.
pub fn offload_off(iface: &str, offload: Offload) -> io::Result<()> {
    with_ifreq(iface, |fd, req| {
        let mut value = EthtoolValue {
            cmd: offload as u32,
            data: 0,
        };
        req.ifr_ifru.ifru_data = (&mut value as *mut EthtoolValue).cast();
        // SAFETY: SIOCETHTOOL reads `value` through ifr_data, which
        // outlives the call.
        unsafe { libc::ioctl(fd, libc::SIOCETHTOOL, req as *mut libc::ifreq) }
    })
}

/// Brings `iface` up.
pub fn up(iface: &str) -> io::Result<()> {
    with_ifreq(iface, |fd, req| {
        // SAFETY: the ioctls read and write only `req`.
        unsafe {
            if libc::ioctl(fd, libc::SIOCGIFFLAGS, req as *mut libc::ifreq) < 0 {
                return -1;
            }
            req.ifr_ifru.ifru_flags |= libc::IFF_UP as libc::c_short;
            libc::ioctl(fd, libc::SIOCSIFFLAGS, req as *mut libc::ifreq)
        }
    })
}

/// Sets the MTU of `iface`.
pub fn set_mtu(iface: &str, mtu: u32) -> io::Result<()> {
    with_ifreq(iface, |fd, req| {
        req.ifr_ifru.ifru_mtu = mtu as libc::c_int;
        // SAFETY: the ioctl reads only `req`.
        unsafe { libc::ioctl(fd, libc::SIOCSIFMTU, req as *mut libc::ifreq) }
    })
}

/// Gives `iface` the address `addr/prefix`; the kernel adds the route to
/// the subnet.
pub fn set_ipv4(iface: &str, addr: Ipv4Addr, prefix: u8) -> io::Result<()> {
    let sockaddr = |ip: Ipv4Addr| {
        // SAFETY: sockaddr_in is plain data.
        let mut sin: libc::sockaddr_in = unsafe { std::mem::zeroed() };
        sin.sin_family = libc::AF_INET as libc::sa_family_t;
        sin.sin_addr.s_addr = u32::from(ip).to_be();
        // SAFETY: sockaddr_in fits in sockaddr (both 16 bytes).
        unsafe { std::mem::transmute::<libc::sockaddr_in, libc::sockaddr>(sin) }
    };
    let mask = Ipv4Addr::from(u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0));
    with_ifreq(iface, |fd, req| {
        req.ifr_ifru.ifru_addr = sockaddr(addr);
        // SAFETY: the ioctl reads only `req`.
        unsafe { libc::ioctl(fd, libc::SIOCSIFADDR, req as *mut libc::ifreq) }
    })?;
    with_ifreq(iface, |fd, req| {
        req.ifr_ifru.ifru_netmask = sockaddr(mask);
        // SAFETY: the ioctl reads only `req`.
        unsafe { libc::ioctl(fd, libc::SIOCSIFNETMASK, req as *mut libc::ifreq) }
    })
}

/// Adds the IPv6 address `addr/prefix` to `iface` (as `ip -6 addr add`
/// does; the kernel adds the route to the prefix). IPv6 must be enabled
/// on `iface`.
pub fn add_ipv6(iface: &str, addr: Ipv6Addr, prefix: u8) -> io::Result<()> {
    let req = libc::in6_ifreq {
        ifr6_addr: libc::in6_addr {
            s6_addr: addr.octets(),
        },
        ifr6_prefixlen: u32::from(prefix),
        ifr6_ifindex: index(iface)? as libc::c_int,
    };
    with_socket(libc::AF_INET6, |fd| {
        // SAFETY: SIOCSIFADDR on an AF_INET6 socket reads an in6_ifreq.
        unsafe { libc::ioctl(fd, libc::SIOCSIFADDR, &req as *const libc::in6_ifreq) }
    })
}

/// The interface index of `iface`: what an IPv6 link-local address's
/// scope (`%eth0`) stands for.
pub fn index(iface: &str) -> io::Result<u32> {
    let name = std::ffi::CString::new(iface).map_err(io::Error::other)?;
    // SAFETY: `name` is a NUL-terminated string that outlives the call.
    match unsafe { libc::if_nametoindex(name.as_ptr()) } {
        0 => Err(io::Error::last_os_error()),
        index => Ok(index),
    }
}

/// The MAC address of `iface`.
pub fn mac(iface: &str) -> io::Result<[u8; 6]> {
    let mut mac = [0u8; 6];
    with_ifreq(iface, |fd, req| {
        // SAFETY: the ioctl writes only `req`.
        let rc = unsafe { libc::ioctl(fd, libc::SIOCGIFHWADDR, req as *mut libc::ifreq) };
        // SAFETY: SIOCGIFHWADDR filled ifru_hwaddr.
        let data = unsafe { req.ifr_ifru.ifru_hwaddr.sa_data };
        for (dst, src) in mac.iter_mut().zip(data) {
            *dst = src as u8;
        }
        rc
    })?;
    Ok(mac)
}

/// Runs one ioctl on an `ifreq` naming `iface`.
fn with_ifreq(
    iface: &str,
    ioctl: impl FnOnce(libc::c_int, &mut libc::ifreq) -> libc::c_int,
) -> io::Result<()> {
    if iface.len() >= libc::IFNAMSIZ {
        return Err(io::Error::other(format!(
            "interface name `{iface}` is too long"
        )));
    }
    // SAFETY: ifreq is plain data; the name fits with its terminating NUL
    // (checked above; the zeroed struct supplies the NUL).
    let mut req: libc::ifreq = unsafe { std::mem::zeroed() };
    for (dst, src) in req.ifr_name.iter_mut().zip(iface.bytes()) {
        *dst = src as libc::c_char;
    }
    with_socket(libc::AF_INET, |fd| ioctl(fd, &mut req))
}

/// Runs one ioctl on a datagram socket of `domain`, opened for it.
fn with_socket(
    domain: libc::c_int,
    ioctl: impl FnOnce(libc::c_int) -> libc::c_int,
) -> io::Result<()> {
    // SAFETY: a plain datagram socket used only for the ioctl; closed below.
    let fd = unsafe { libc::socket(domain, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    let rc = ioctl(fd);
    let result = if rc < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    };
    // SAFETY: fd is ours and not used again.
    unsafe { libc::close(fd) };
    result
}
