//! The sandbox: a private network namespace for each run, so that a lesson
//! sees only its own traffic, its fixed ports never collide with anything,
//! and nothing it sends can leave the machine.
//!
//! `unshare(CLONE_NEWUSER)` is refused in a multi-threaded process, so
//! [`enter`] must run first thing in `main`, before any thread starts.

use std::io;

use crate::netif::{self, Offload};
use crate::t;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SandboxKind {
    /// A network namespace, created with root's (or file) capabilities.
    Network,
    /// A user namespace (we are root inside it) holding a network namespace:
    /// works for ordinary users where the kernel allows it.
    UserAndNetwork,
}

#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("{}", t!("error-no-sandbox", attempts = .attempts.as_str(), exe = .exe.as_str()))]
    Unavailable {
        attempts: String,
        /// The running binary, quoted for a shell: the file setcap must mark.
        exe: String,
    },
    #[error("{}", t!("error-sandbox-setup", step = .step.as_str(), error = .source.to_string()))]
    Setup { step: String, source: io::Error },
}

/// The path of the running binary, in single quotes for a shell: what a
/// `setcap` hint must name (`$(command -v socklab)` is empty when socklab
/// was started by its path, or through cargo).
pub fn this_binary() -> String {
    let path = std::env::current_exe()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| "socklab".to_string());
    format!("'{}'", path.replace('\'', r"'\''"))
}

/// Moves this process into a fresh network namespace with `lo` up.
pub fn enter() -> Result<SandboxKind, SandboxError> {
    // SAFETY: geteuid/getuid/getgid cannot fail.
    let (euid, uid, gid) = unsafe { (libc::geteuid(), libc::getuid(), libc::getgid()) };
    let user_first = [SandboxKind::UserAndNetwork, SandboxKind::Network];
    let root_first = [SandboxKind::Network, SandboxKind::UserAndNetwork];
    let order = if euid == 0 { root_first } else { user_first };

    let mut attempts = Vec::new();
    for kind in order {
        let flags = match kind {
            SandboxKind::Network => libc::CLONE_NEWNET,
            SandboxKind::UserAndNetwork => libc::CLONE_NEWUSER | libc::CLONE_NEWNET,
        };
        // SAFETY: unshare only changes this process's namespaces.
        if unsafe { libc::unshare(flags) } != 0 {
            let error = io::Error::last_os_error().to_string();
            attempts.push(match kind {
                SandboxKind::Network => t!("sandbox-attempt-network", error = error),
                SandboxKind::UserAndNetwork => t!("sandbox-attempt-user", error = error),
            });
            continue;
        }
        if kind == SandboxKind::UserAndNetwork {
            map_to_root(uid, gid)?;
        }
        own_socket_table()?;
        loopback_up()?;
        segmentation_offload_off()?;
        return Ok(kind);
    }
    Err(SandboxError::Unavailable {
        exe: this_binary(),
        attempts: attempts.join("; "),
    })
}

/// Maps our own uid and gid to root inside the new user namespace, which
/// gives us CAP_NET_RAW and CAP_NET_ADMIN over the new network namespace
/// only (user_namespaces(7)).
fn map_to_root(uid: libc::uid_t, gid: libc::gid_t) -> Result<(), SandboxError> {
    let write = |path: &'static str, text: String| {
        std::fs::write(path, text).map_err(|source| SandboxError::Setup {
            step: path.to_string(),
            source,
        })
    };
    // An unprivileged process must give up setgroups before it may write a
    // gid map.
    write("/proc/self/setgroups", "deny".into())?;
    write("/proc/self/uid_map", format!("0 {uid} 1"))?;
    write("/proc/self/gid_map", format!("0 {gid} 1"))?;
    Ok(())
}

/// The setting that gives the network namespaces created from this one a
/// TCP socket table of their own (net/ipv4/tcp_ipv4.c, `tcp_set_hashinfo`;
/// Linux 6.1 and later).
const CHILD_SOCKET_TABLE: &str = "/proc/sys/net/ipv4/tcp_child_ehash_entries";

/// The same for UDP (net/ipv4/udp.c, `udp_set_table`; Linux 6.2 and
/// later): the machine's table has 16 384 slots with 24 GiB, and a dump of
/// UDP sockets walks them all (23 µs, against 8 µs with 4 096).
const CHILD_DATAGRAM_TABLE: &str = "/proc/sys/net/ipv4/udp_child_hash_entries";

/// Their size, in hash buckets. With it the kernel also sizes the
/// namespace's TIME-WAIT limit (half of it) and SYN backlog (at least
/// 128): far more than a lesson opens.
const SOCKET_TABLE_BUCKETS: &str = "4096";

/// Moves this process on into a namespace with its own, small, TCP socket
/// table, and gives the namespaces it creates (the lab wire's hosts) one.
///
/// A namespace otherwise shares the machine's table, sized by its memory
/// (262 144 buckets with 24 GiB), and every sock_diag dump of TCP sockets,
/// which the runner makes several times per step to ask the kernel whether
/// the step is over, walks all of it: 0.3 ms per dump, against a few
/// microseconds for 4 096 buckets. The namespace entered first only serves
/// to hold the setting: the kernel reads it from the creating namespace.
/// Where the setting cannot be written (a kernel before 6.1, no /proc, a
/// read-only /proc/sys as in many containers) the sandbox keeps the shared
/// table: slower looks, the same lesson. It is a speed-up, never a reason
/// for a lesson not to run.
fn own_socket_table() -> Result<(), SandboxError> {
    if std::fs::write(CHILD_SOCKET_TABLE, SOCKET_TABLE_BUCKETS).is_err() {
        return Ok(());
    }
    // A kernel from 6.1 has the first setting and not this one.
    let _ = std::fs::write(CHILD_DATAGRAM_TABLE, SOCKET_TABLE_BUCKETS);
    // SAFETY: unshare only changes this process's namespaces.
    if unsafe { libc::unshare(libc::CLONE_NEWNET) } != 0 {
        return Err(SandboxError::Setup {
            step: t!("sandbox-step-socket-table"),
            source: io::Error::last_os_error(),
        });
    }
    // The lab's hosts: without it, they share the machine's tables.
    let _ = std::fs::write(CHILD_SOCKET_TABLE, SOCKET_TABLE_BUCKETS);
    let _ = std::fs::write(CHILD_DATAGRAM_TABLE, SOCKET_TABLE_BUCKETS);
    Ok(())
}

/// Turns off TCP segmentation offload and generic segmentation offload on
/// the sandbox's `lo`. With them on, the kernel hands `lo` "super-segments"
/// of many MSS-sized pieces, and the capture would show segments larger
/// than the MSS the handshake agreed: real, but not what a learner should
/// meet first. With them off, every segment on the wire is one a real
/// network would carry, and bulk transfers segment the same way every run.
fn segmentation_offload_off() -> Result<(), SandboxError> {
    for (offload, step) in [
        (Offload::Tso, t!("sandbox-step-tso-off")),
        (Offload::Gso, t!("sandbox-step-gso-off")),
    ] {
        netif::offload_off("lo", offload).map_err(|source| SandboxError::Setup { step, source })?;
    }
    Ok(())
}

/// A new network namespace has only `lo`, and it is down.
fn loopback_up() -> Result<(), SandboxError> {
    netif::up("lo").map_err(|source| SandboxError::Setup {
        step: t!("sandbox-step-lo-up"),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Language, message_in};

    /// The fixes are a numbered list, each indented under the sentence
    /// that introduces them, in both languages (Fluent strips the common
    /// indentation of a message's lines).
    #[test]
    fn the_fixes_keep_their_layout() {
        let error = SandboxError::Unavailable {
            attempts: "user namespace: Operation not permitted (os error 1)".into(),
            exe: "/usr/bin/socklab".into(),
        };
        assert_eq!(
            error.to_string(),
            "every lesson runs in a private network namespace, and none could be created here \
             (user namespace: Operation not permitted (os error 1)).\n\
             Any one of these fixes it:\n  \
             1. run socklab as root, e.g. `sudo socklab run LESSON`;\n  \
             2. allow unprivileged user namespaces: `sudo sysctl -w user.max_user_namespaces=15000` \
             (on Debian before 11 also `kernel.unprivileged_userns_clone=1`; on Ubuntu 24.04 and later \
             `kernel.apparmor_restrict_unprivileged_userns=0`);\n  \
             3. give the binary the capabilities it needs: \
             `sudo setcap cap_sys_admin,cap_net_admin,cap_net_raw+ep /usr/bin/socklab`."
        );
        let chinese = message_in(
            Language::Chinese,
            "error-no-sandbox",
            &[("attempts", "x".into()), ("exe", "/usr/bin/socklab".into())],
        );
        let lines: Vec<&str> = chinese.lines().collect();
        assert_eq!(lines.len(), 5, "{chinese}");
        assert!(
            lines[1..].iter().all(|l| !l.starts_with("   ")),
            "{chinese}"
        );
        assert!(lines[2..].iter().all(|l| l.starts_with("  ")), "{chinese}");
    }
}
