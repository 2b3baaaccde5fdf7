//! "What the kernel says": the sandbox's sockets as Linux lists them,
//! labelled with the lesson's variable names and compared with the states
//! the tracker inferred from the packets. Shown after a step whenever the
//! kernel's table changed.

use std::collections::BTreeMap;
use std::net::{Ipv6Addr, SocketAddr};

use super::sockets::SocketsView;
use crate::event::{
    Check, GroupName, HostChecksumErrors, HostGroups, KernelRow, KernelState, KernelTable,
    SocketLabel,
};
use crate::kernel::KernelSocket;
use crate::track::{Protocol, TcpState, Tracker};

/// A socket as the kernel lists it: its host (on the lab wire every host
/// has its own table, and two may hold 0.0.0.0:7788), protocol, addresses,
/// and its rank among sockets with the very same addresses (two UDP sockets
/// sharing a port), by inode. Not the inode itself: a connection gets one
/// only when accept() hands it to the program, and loses it at close.
type Key = (usize, u8, SocketAddr, SocketAddr, usize);
/// Host and addresses alone: what survives of a socket after close
/// (TIME-WAIT).
type AddrKey = (usize, u8, SocketAddr, SocketAddr);
/// A row of the table: the socket's name, its state, addresses, and
/// whether the packets agree.
type TableRow = KernelRow;

/// A host's actor and the groups its kernel is in, each with what it is.
pub(super) type GroupRow = (String, Vec<(Ipv6Addr, GroupName)>);

#[derive(Default)]
pub(super) struct KernelView {
    /// The table as last shown, so that only changes are shown again.
    rows: Vec<TableRow>,
    /// Sockets as they last appeared in the table, with their states.
    present: BTreeMap<Key, u8>,
    /// When each socket first appeared: rows keep that order, so that the
    /// random ports the kernel picks never reorder the view between runs.
    first_seen: BTreeMap<Key, usize>,
    /// Names of the lesson's sockets that the program has closed, kept to
    /// label what the kernel still holds of them (TIME-WAIT).
    closed: BTreeMap<AddrKey, String>,
    /// The multicast groups as last shown.
    groups: Vec<GroupRow>,
    /// Whether the groups left out of that view have been named.
    groups_explained: bool,
    /// The checksum-error counters as last shown (none: all 0).
    checksum_errors: Vec<HostChecksumErrors>,
    /// In an exercise, the actor the learner's program plays: sockets that
    /// are not socklab's are its.
    pub(super) program: Option<String>,
}

/// What a multicast group is, in a word, for the groups a lesson is about:
/// all nodes (RFC 4291 §2.7.1), the lesson's own, or any other a program
/// joined. `None` for the groups every IPv6 host joins for itself: ff01::1
/// and the solicited-node groups ff02::1:ffXX:XXXX (RFC 4861 §7.2.1).
fn group_name(group: Ipv6Addr, lesson_groups: &[(String, Ipv6Addr)]) -> Option<GroupName> {
    if let Some((name, _)) = lesson_groups.iter().find(|(_, g)| *g == group) {
        return Some(GroupName::Lesson(name.clone()));
    }
    let s = group.segments();
    match (s[0], s[1..5] == [0; 4], s[5], s[6] >> 8) {
        _ if group == crate::track::ALL_NODES => Some(GroupName::AllNodes),
        (0xff01, ..) | (0xff02, true, 0x0001, 0xff) => None,
        _ => Some(GroupName::Joined),
    }
}

/// The key of a lesson socket as the kernel would list it.
pub(super) fn socket_key(
    host: usize,
    protocol: Protocol,
    local: SocketAddr,
    remote: Option<SocketAddr>,
) -> AddrKey {
    let unspecified = if local.is_ipv4() {
        SocketAddr::new(std::net::Ipv4Addr::UNSPECIFIED.into(), 0)
    } else {
        SocketAddr::new(std::net::Ipv6Addr::UNSPECIFIED.into(), 0)
    };
    let proto = match protocol {
        Protocol::Tcp => 0,
        Protocol::Udp => 1,
        Protocol::Resolution => 2,
        Protocol::Icmp => 3,
        Protocol::Fragment => 4,
    };
    (host, proto, local, remote.unwrap_or(unspecified))
}

fn addr_key(host: usize, k: &KernelSocket) -> AddrKey {
    let proto = match k.protocol {
        Protocol::Tcp => 0,
        Protocol::Udp => 1,
        Protocol::Resolution => 2,
        Protocol::Icmp => 3,
        Protocol::Fragment => 4,
    };
    (host, proto, k.local, k.remote)
}

impl KernelView {
    /// The next view is shown whole, even if nothing changed.
    pub(super) fn forget_shown(&mut self) {
        self.rows.clear();
    }

    /// Remembers a socket's name before the program closes it.
    pub(super) fn closing(&mut self, key: AddrKey, name: &str) {
        self.closed.insert(key, name.to_string());
    }

    /// Reads the kernel's tables in step `step`: the table to show, or
    /// nothing when it has not changed since the last time.
    pub(super) fn update(
        &mut self,
        step: usize,
        sockets: &SocketsView,
        owners: &BTreeMap<(Protocol, u16), String>,
        tracker: Option<&Tracker>,
    ) -> Option<KernelTable> {
        let rows = self.socket_rows(sockets, owners, tracker);
        let (groups, groups_left_out) = self.group_rows(sockets);
        let checksum_errors = self.checksum_rows(sockets);
        if rows.is_empty() && groups.is_empty() && checksum_errors.is_empty() {
            return None;
        }
        Some(KernelTable {
            step,
            hosts: !sockets.hosts.is_empty(),
            sockets: rows,
            groups,
            groups_left_out,
            checksum_errors,
        })
    }

    /// Each host's kernel's checksum-error counters, when they changed:
    /// the receiver's own word that it threw a corrupted frame away (RFC
    /// 9293 §3.1, RFC 768). Nothing while every counter is 0, which is
    /// every lesson whose wire corrupts nothing.
    fn checksum_rows(&mut self, sockets: &SocketsView) -> Vec<HostChecksumErrors> {
        let rows: Vec<HostChecksumErrors> = sockets
            .checksum_table()
            .into_iter()
            .map(|(host, counted)| HostChecksumErrors {
                host,
                tcp: counted.tcp,
                udp: counted.udp,
            })
            .collect();
        let none = rows.iter().all(|r| r.tcp == 0 && r.udp == 0);
        if none || rows == self.checksum_errors {
            return Vec::new();
        }
        self.checksum_errors = rows.clone();
        rows
    }

    /// The multicast groups each host's kernel is in, on an IPv6 lab wire
    /// (`/proc/net/igmp6`), when they changed: the kernel's side of
    /// IPV6_JOIN_GROUP, and why a host drops a group's frames. With it,
    /// whether to say which groups are left out (the first time only).
    fn group_rows(&mut self, sockets: &SocketsView) -> (Vec<HostGroups>, bool) {
        let mut left_out = false;
        let rows: Vec<GroupRow> = sockets
            .group_table()
            .into_iter()
            .map(|(actor, groups)| {
                let named = groups
                    .iter()
                    .filter_map(|g| {
                        let name = group_name(*g, &sockets.addressing.groups);
                        left_out |= name.is_none();
                        Some((*g, name?))
                    })
                    .collect();
                (actor, named)
            })
            .collect();
        if rows.is_empty() || rows == self.groups {
            return (Vec::new(), false);
        }
        self.groups = rows.clone();
        // Said once: the same groups stay left out.
        let say_left_out = left_out && !self.groups_explained;
        self.groups_explained |= left_out;
        let rows = rows
            .into_iter()
            .map(|(host, groups)| HostGroups { host, groups })
            .collect();
        (rows, say_left_out)
    }

    fn socket_rows(
        &mut self,
        sockets: &SocketsView,
        owners: &BTreeMap<(Protocol, u16), String>,
        tracker: Option<&Tracker>,
    ) -> Vec<TableRow> {
        let mut table = sockets.kernel_table();
        table.sort_by_key(|(host, k)| (addr_key(*host, k), k.inode));
        let keys = socket_keys(&table);
        let now: BTreeMap<Key, u8> = keys
            .iter()
            .zip(&table)
            .map(|(key, (_, k))| (*key, k.code))
            .collect();
        let gone: Vec<Key> = self
            .present
            .keys()
            .filter(|k| !now.contains_key(k))
            .copied()
            .collect();
        self.present = now;

        let labelled = self.label_sockets(&table, &keys, sockets, owners);
        self.number_new_sockets(&labelled);

        let mut rows: Vec<(usize, SocketLabel, KernelState, String, Check)> = Vec::new();
        for (k, key, label) in labelled {
            let addrs = addresses(k.local, k.remote);
            let check = tracker.map_or(Check::None, |t| {
                compare(t, k.protocol, k.local, k.remote, k.tcp_state())
            });
            let order = self.first_seen[&key];
            let state = match (k.protocol, k.code) {
                (Protocol::Udp, 0x01) => KernelState::Connected,
                (Protocol::Udp, _) => KernelState::Unconnected,
                _ => KernelState::Tcp(k.linux_name().to_string()),
            };
            rows.push((order, label.label, state, addrs, check));
        }
        for gone in gone {
            rows.push(self.gone_row(gone, sockets, owners, tracker));
        }
        rows.sort_by_key(|r| r.0);
        let rows: Vec<TableRow> = rows
            .into_iter()
            .map(|(_, name, state, addresses, check)| KernelRow {
                name,
                state,
                addresses,
                check,
            })
            .collect();
        if rows.is_empty() || rows == self.rows {
            return vec![];
        }
        self.rows = rows.clone();
        rows
    }

    /// Each socket's label: its name in the lesson, or what it is; in an
    /// exercise, a socket socklab does not know is the learner's program's.
    fn label_sockets<'t>(
        &self,
        table: &'t [(usize, KernelSocket)],
        keys: &[Key],
        sockets: &SocketsView,
        owners: &BTreeMap<(Protocol, u16), String>,
    ) -> Vec<(&'t KernelSocket, Key, Labelled)> {
        table
            .iter()
            .zip(keys)
            .map(|((host, k), key)| {
                let mut labelled = label(*host, k, sockets, owners, &self.closed);
                if let Some(program) = &self.program
                    && matches!(
                        labelled.label,
                        SocketLabel::Unknown | SocketLabel::Closed(_)
                    )
                    && !self.closed.contains_key(&addr_key(*host, k))
                    && !sockets.vars.iter().any(|v| v.local == Some(k.local))
                {
                    labelled = SocketLabel::Program(program.clone()).into();
                }
                (k, *key, labelled)
            })
            .collect()
    }

    /// Gives the sockets new in this view their place in the table.
    fn number_new_sockets(&mut self, labelled: &[(&KernelSocket, Key, Labelled)]) {
        // Sockets new in this view are ordered by their names, never by the
        // random ports the kernel picked.
        let mut new: Vec<(&String, Key)> = labelled
            .iter()
            .map(|(_, key, l)| (&l.order, *key))
            .filter(|(_, k)| !self.first_seen.contains_key(k))
            .collect();
        new.sort();
        for (_, k) in new {
            let next = self.first_seen.len();
            self.first_seen.insert(k, next);
        }
    }

    /// The row of a socket shown before and gone from the kernel now.
    fn gone_row(
        &self,
        gone: Key,
        sockets: &SocketsView,
        owners: &BTreeMap<(Protocol, u16), String>,
        tracker: Option<&Tracker>,
    ) -> (usize, SocketLabel, KernelState, String, Check) {
        let (host, proto, local, remote, _) = gone;
        let protocol = if proto == 0 {
            Protocol::Tcp
        } else {
            Protocol::Udp
        };
        // A socket the lesson still holds whose connection the kernel
        // dropped (a RST came) keeps its name.
        let held = sockets.vars.iter().find(|v| {
            v.local == Some(local) && v.protocol == protocol && sockets.host_of(&v.actor) == host
        });
        let name = match (
            self.closed.get(&(host, proto, local, remote)),
            &self.program,
        ) {
            (Some(name), _) => SocketLabel::Closed(name.clone()),
            _ if held.is_some() => {
                SocketLabel::Socket(held.map(|v| v.name.clone()).unwrap_or_default())
            }
            // In an exercise, what socklab did not close was the
            // learner's program's.
            (None, Some(program)) => SocketLabel::Program(program.clone()),
            (None, None) => owner(host, protocol, local, sockets, owners),
        };
        let check = tracker.map_or(Check::None, |t| {
            compare(t, protocol, local, remote, Some(TcpState::Closed))
        });
        let order = self.first_seen[&gone];
        (
            order,
            name,
            KernelState::Gone,
            addresses(local, remote),
            check,
        )
    }
}

/// Each socket's key: its host and addresses, and how many sockets with
/// the same ones come before it (`table` is sorted).
fn socket_keys(table: &[(usize, KernelSocket)]) -> Vec<Key> {
    table
        .iter()
        .enumerate()
        .map(|(i, (host, k))| {
            let twins_before = table[..i]
                .iter()
                .filter(|(h, other)| addr_key(*h, other) == addr_key(*host, k))
                .count();
            let (host, proto, local, remote) = addr_key(*host, k);
            (host, proto, local, remote, twins_before)
        })
        .collect()
}

fn addresses(local: SocketAddr, remote: SocketAddr) -> String {
    if remote.port() == 0 {
        local.to_string()
    } else {
        format!("{local} ⇄ {remote}")
    }
}

/// A socket's label, with the text that orders new sockets among
/// themselves (never the random ports the kernel picked).
struct Labelled {
    label: SocketLabel,
    order: String,
}

impl From<SocketLabel> for Labelled {
    fn from(label: SocketLabel) -> Self {
        let order = match &label {
            SocketLabel::Socket(name) => name.clone(),
            SocketLabel::Closed(name) => format!("{name} (closed)"),
            SocketLabel::AcceptQueue(name) => format!("(accept queue {name})"),
            SocketLabel::SynQueue(name) => format!("(SYN queue {name})"),
            SocketLabel::Program(name) => format!("{name} (program)"),
            SocketLabel::Unknown => "?".to_string(),
        };
        Labelled { label, order }
    }
}

/// The lesson's name for a kernel socket.
fn label(
    host: usize,
    k: &KernelSocket,
    sockets: &SocketsView,
    owners: &BTreeMap<(Protocol, u16), String>,
    closed: &BTreeMap<AddrKey, String>,
) -> Labelled {
    let connected = k.remote.port() != 0;
    // The inode names the very socket, even among twins on one port.
    if k.inode != 0
        && let Some(var) = sockets.vars.iter().find(|v| v.inode == Some(k.inode))
    {
        return SocketLabel::Socket(var.name.clone()).into();
    }
    for var in &sockets.vars {
        if var.protocol != k.protocol
            || var.local != Some(k.local)
            || sockets.host_of(&var.actor) != host
        {
            continue;
        }
        let same_peer = match var.peer {
            Some(peer) => peer == k.remote,
            None => !connected,
        };
        if same_peer {
            return SocketLabel::Socket(var.name.clone()).into();
        }
    }
    if let Some(name) = closed.get(&addr_key(host, k)) {
        return SocketLabel::Closed(name.clone()).into();
    }
    let handshake_done = matches!(
        k.tcp_state(),
        Some(TcpState::Established | TcpState::SynReceived)
    );
    if k.protocol == Protocol::Tcp && connected && handshake_done {
        // A connection on a listening socket's port that no variable holds
        // yet: the kernel finished the handshake, and it waits for accept().
        if let Some(listener) = sockets.vars.iter().find(|v| {
            v.listening
                && sockets.host_of(&v.actor) == host
                && v.local.map(|a| a.port()) == Some(k.local.port())
        }) {
            // On the wire the peer's host names it; on the loopback, its
            // port. Not shown (the addresses are), but it orders two
            // clients' connections the same way in every run.
            let peer = if sockets.addressing.on_wire() {
                sockets.addressing.actor_at(k.remote.ip())
            } else {
                owners.get(&(Protocol::Tcp, k.remote.port()))
            };
            let name = listener.name.clone();
            // Half-open connections wait in the listener's SYN queue; the
            // handshake done, they move to its accept queue.
            let label = if k.tcp_state() == Some(TcpState::SynReceived) {
                SocketLabel::SynQueue(name)
            } else {
                SocketLabel::AcceptQueue(name)
            };
            let mut labelled = Labelled::from(label);
            labelled.order.push_str(peer.map_or("", String::as_str));
            return labelled;
        }
    }
    owner(host, k.protocol, k.local, sockets, owners).into()
}

/// The best name for a socket no variable holds any more: on the lab wire
/// its host's actor, on the loopback the actor that owned its port.
fn owner(
    host: usize,
    protocol: Protocol,
    local: SocketAddr,
    sockets: &SocketsView,
    owners: &BTreeMap<(Protocol, u16), String>,
) -> SocketLabel {
    sockets
        .actor_of_host(host)
        .or_else(|| owners.get(&(protocol, local.port())))
        .map_or(SocketLabel::Unknown, |o| SocketLabel::Closed(o.clone()))
}

/// Compares the kernel's state with the tracker's inference.
fn compare(
    tracker: &Tracker,
    protocol: Protocol,
    local: SocketAddr,
    remote: SocketAddr,
    kernel: Option<TcpState>,
) -> Check {
    if protocol != Protocol::Tcp {
        return Check::None;
    }
    let inferred = tracker.conversations().iter().find_map(|c| {
        let pair = (c.initiator, c.responder);
        // The kernel lists a listener-side socket by its bound address,
        // which may be the wildcard; match on ports then.
        let same = |a: SocketAddr, b: SocketAddr| {
            a == b || (a.port() == b.port() && (a.ip().is_unspecified() || b.ip().is_unspecified()))
        };
        if same(pair.0, local) && same(pair.1, remote) {
            c.state_of(c.initiator)
        } else if same(pair.1, local) && same(pair.0, remote) {
            c.state_of(c.responder)
        } else {
            None
        }
    });
    match (inferred, kernel) {
        (Some(i), Some(k)) if i == k => Check::Agrees,
        (Some(i), Some(_)) => Check::Differs(i.to_string()),
        _ => Check::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_are_named_and_each_hosts_own_are_left_out() {
        let lesson = vec![("players".to_string(), "ff02::7788".parse().unwrap())];
        let name = |g: &str| group_name(g.parse().unwrap(), &lesson);
        assert_eq!(name("ff02::1"), Some(GroupName::AllNodes));
        assert_eq!(
            name("ff02::7788"),
            Some(GroupName::Lesson("players".into()))
        );
        assert_eq!(name("ff02::fb"), Some(GroupName::Joined));
        assert_eq!(name("ff01::1"), None);
        assert_eq!(name("ff02::1:ff00:2"), None);
        // Only ff02::1:ffXX:XXXX is solicited-node; the rest of ff02::1:0/104 is not.
        assert_eq!(name("ff02::1:fe00:2"), Some(GroupName::Joined));
    }
}
