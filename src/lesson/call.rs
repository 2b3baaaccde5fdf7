//! Socket calls as a lesson file writes them, checked against a model of
//! the program's variables so that a lesson cannot use a socket before it
//! exists, listen on a UDP socket, or send on a closed one.

use std::collections::BTreeMap;
use std::net::SocketAddr;

use crate::t;
use serde::Deserialize;

/// One socket call, ready to perform. Socket names are the Python variable
/// names the learner sees (`server`, `conn`, `client`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Call {
    /// `name = socket.socket(AF_INET, type)`
    Socket {
        name: String,
        actor: String,
        kind: SockType,
    },
    /// `name.bind((address, port))`
    Bind {
        name: String,
        address: String,
        port: u16,
    },
    /// `name.listen(backlog)`
    Listen { name: String, backlog: u32 },
    /// `name.connect((ip, port))`
    Connect { name: String, peer: Peer },
    /// `new, addr = name.accept()`
    Accept { name: String, new: String },
    /// `name.send(data)` or `name.sendall(data)`
    Send {
        name: String,
        data: Payload,
        all: bool,
    },
    /// `data = name.recv(bufsize)`; with `waitall`,
    /// `name.recv(bufsize, socket.MSG_WAITALL)`: the kernel waits until
    /// `bufsize` bytes have come (or the peer closed, or the timeout ran
    /// out), so that a message cut into pieces is read whole.
    Recv {
        name: String,
        bufsize: usize,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        waitall: bool,
    },
    /// `name.sendto(data, peer)`
    SendTo {
        name: String,
        data: Payload,
        peer: Peer,
    },
    /// `data, addr = name.recvfrom(bufsize)`
    RecvFrom { name: String, bufsize: usize },
    /// `recv(bufsize)` in a loop until it returns `b""`: everything the
    /// peer sends before it closes (the tutorials' file download).
    RecvAll { name: String, bufsize: usize },
    /// `name.close()`
    Close { name: String },
    /// `name.setsockopt(level, option, value)`
    SetSockOpt {
        name: String,
        option: SockOpt,
        value: i32,
    },
    /// `name.setsockopt(IPPROTO_TCP, TCP_CONGESTION, algorithm)`: the
    /// congestion control this TCP socket uses, instead of its host's
    /// default (`net.ipv4.tcp_congestion_control`).
    SetCongestion { name: String, algorithm: String },
    /// `name.settimeout(seconds)`: how long blocking calls may wait.
    SetTimeout { name: String, seconds: f64 },
    /// `name.setsockopt(IPPROTO_IPV6, IPV6_JOIN_GROUP, mreq)`: the host's
    /// kernel joins the multicast group `group` (named in the lesson).
    JoinGroup {
        name: String,
        group: String,
        addr: std::net::Ipv6Addr,
    },
}

/// What a call gave back, as the code shows it.
#[derive(
    Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(tag = "returned", rename_all = "snake_case")]
pub enum Outcome {
    Nothing,
    /// `connect` returned: the kernel picked this local address.
    Connected {
        local: SocketAddr,
    },
    Accepted {
        peer: SocketAddr,
    },
    /// `send` returns the number of bytes it took.
    Sent {
        bytes: usize,
    },
    Received {
        data: Bytes,
    },
    /// `recv` in a loop: how many calls returned data, and what they did.
    ReceivedAll {
        calls: usize,
        data: Bytes,
    },
    ReceivedFrom {
        data: Bytes,
        from: SocketAddr,
    },
}

/// Received data as socklab keeps it: its length, and its first
/// [`Bytes::KEPT`] bytes (all of it when it is short), which is as much as
/// a learner is ever shown of it. A lesson may receive megabytes; an event
/// that carries them stays small.
#[derive(
    Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct Bytes {
    len: usize,
    /// The first bytes, base64 in JSON.
    #[serde(with = "crate::event::base64_bytes")]
    #[schemars(with = "String")]
    head: Vec<u8>,
}

impl Bytes {
    /// How many bytes are kept: data longer than this is shown by its
    /// length and its first 16 bytes, as one looks at it at a prompt.
    pub const KEPT: usize = 64;

    pub fn new(data: &[u8]) -> Bytes {
        Bytes {
            len: data.len(),
            head: data[..data.len().min(Bytes::KEPT)].to_vec(),
        }
    }

    /// Data of which only `head` was kept: `len` bytes in all.
    pub fn with_len(head: &[u8], len: usize) -> Bytes {
        Bytes {
            len,
            head: head[..head.len().min(Bytes::KEPT).min(len)].to_vec(),
        }
    }

    /// The length of the whole data.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The whole data when it is short, else its first [`Bytes::KEPT`] bytes.
    pub fn head(&self) -> &[u8] {
        &self.head
    }

    /// All of the data is kept.
    pub fn is_whole(&self) -> bool {
        self.head.len() == self.len
    }
}

/// The address family a run uses: the lessons' calls are the same, only
/// the addresses change (127.0.0.1 or ::1).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    #[default]
    V4,
    V6,
}

impl Family {
    /// The sandbox's loopback address: the only one lessons talk to.
    pub fn loopback(self) -> std::net::IpAddr {
        match self {
            Family::V4 => std::net::Ipv4Addr::LOCALHOST.into(),
            Family::V6 => std::net::Ipv6Addr::LOCALHOST.into(),
        }
    }

    /// "Any address", what `bind(("", port))` means.
    pub fn unspecified(self) -> std::net::IpAddr {
        match self {
            Family::V4 => std::net::Ipv4Addr::UNSPECIFIED.into(),
            Family::V6 => std::net::Ipv6Addr::UNSPECIFIED.into(),
        }
    }
}

/// The addresses of a run: the sandbox's loopback (IPv4 or IPv6), or on
/// the lab wire each actor's own host address.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct Addressing {
    pub family: Family,
    /// Each actor's host on the lab wire; empty on the loopback.
    pub hosts: Vec<HostAddress>,
    /// The lesson's named multicast groups (IPv6 lab wire).
    pub groups: Vec<(String, std::net::Ipv6Addr)>,
}

/// An actor's host on the lab wire, as calls address it.
#[derive(
    Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct HostAddress {
    pub actor: String,
    pub addr: std::net::IpAddr,
    /// Over IPv6, the link-local address the host sends link-local
    /// multicast from.
    pub link_local: Option<std::net::Ipv6Addr>,
    /// The interface index of the host's eth0: the scope of a link-local
    /// destination (`ff02::1%eth0`).
    pub eth0: u32,
}

impl Addressing {
    /// The address a socket of `actor` is reached at.
    pub fn host(&self, actor: &str) -> std::net::IpAddr {
        self.hosts
            .iter()
            .find(|h| h.actor == actor)
            .map(|h| h.addr)
            .unwrap_or(self.family.loopback())
    }

    /// The interface index of `actor`'s eth0 (0 off the wire).
    pub fn eth0(&self, actor: &str) -> u32 {
        self.hosts
            .iter()
            .find(|h| h.actor == actor)
            .map_or(0, |h| h.eth0)
    }

    /// Where a broadcast goes: the loopback network's broadcast address,
    /// or the lab subnet's.
    pub fn broadcast(&self) -> std::net::IpAddr {
        if self.on_wire() {
            crate::packet::LAB_BROADCAST.into()
        } else {
            std::net::Ipv4Addr::new(127, 255, 255, 255).into()
        }
    }

    /// The actor whose host has this address, on the lab wire.
    pub fn actor_at(&self, ip: std::net::IpAddr) -> Option<&String> {
        self.hosts
            .iter()
            .find(|h| h.addr == ip || h.link_local.map(std::net::IpAddr::V6) == Some(ip))
            .map(|h| &h.actor)
    }

    /// The name of whoever is at `ip` on the lab wire, as a ladder column
    /// and an expectation name it: a host's actor; `everyone` for the
    /// subnet's broadcast address or IPv6's all-nodes group; a group's name
    /// for the lesson's multicast groups.
    pub fn wire_name(&self, ip: std::net::IpAddr) -> Option<String> {
        if let Some(actor) = self.actor_at(ip) {
            return Some(actor.clone());
        }
        if ip == crate::packet::LAB_BROADCAST || ip == crate::packet::ALL_NODES {
            return Some(super::EVERYONE.to_string());
        }
        self.groups
            .iter()
            .find(|(_, group)| std::net::IpAddr::V6(*group) == ip)
            .map(|(name, _)| name.clone())
    }

    pub fn on_wire(&self) -> bool {
        !self.hosts.is_empty()
    }
}

impl From<Family> for Addressing {
    fn from(family: Family) -> Addressing {
        Addressing {
            family,
            hosts: Vec::new(),
            groups: Vec::new(),
        }
    }
}

/// The socket options lessons use, with the level Python names them by.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum SockOpt {
    /// Lets a server bind a port that TIME-WAIT connections still hold.
    ReuseAddr,
    /// Allows sending to a broadcast address.
    Broadcast,
    /// The receive buffer size (and so the advertised window).
    RcvBuf,
    /// The send buffer size.
    SndBuf,
    /// TCP's maximum segment size, announced in the SYN (`IPPROTO_TCP`).
    MaxSeg,
}

impl SockOpt {
    pub const ALL: [(&'static str, SockOpt); 5] = [
        ("SO_REUSEADDR", SockOpt::ReuseAddr),
        ("SO_BROADCAST", SockOpt::Broadcast),
        ("SO_RCVBUF", SockOpt::RcvBuf),
        ("SO_SNDBUF", SockOpt::SndBuf),
        ("TCP_MAXSEG", SockOpt::MaxSeg),
    ];

    /// The option's level, as Python names it.
    pub fn level(self) -> &'static str {
        match self {
            SockOpt::MaxSeg => "IPPROTO_TCP",
            _ => "SOL_SOCKET",
        }
    }

    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, o)| *o == self)
            .map(|(n, _)| *n)
            .unwrap_or("?")
    }
}

/// The Python exceptions a lesson may expect a call to raise, so that
/// refusals and timeouts are taught as what they are.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum PyError {
    ConnectionRefused,
    ConnectionReset,
    /// OSError: address in use, network unreachable, and the like.
    Os,
    Permission,
    Timeout,
    BrokenPipe,
}

impl PyError {
    pub const ALL: [(&'static str, PyError); 6] = [
        ("ConnectionRefusedError", PyError::ConnectionRefused),
        ("ConnectionResetError", PyError::ConnectionReset),
        ("OSError", PyError::Os),
        ("PermissionError", PyError::Permission),
        ("TimeoutError", PyError::Timeout),
        ("BrokenPipeError", PyError::BrokenPipe),
    ];

    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, e)| *e == self)
            .map(|(n, _)| *n)
            .unwrap_or("OSError")
    }

    /// The exception Python raises for an OS error, where it is one of ours.
    pub fn from_io(error: &std::io::Error) -> Option<PyError> {
        use std::io::ErrorKind::*;
        Some(match error.kind() {
            ConnectionRefused => PyError::ConnectionRefused,
            ConnectionReset => PyError::ConnectionReset,
            AddrInUse | AddrNotAvailable | NetworkUnreachable | HostUnreachable => PyError::Os,
            PermissionDenied => PyError::Permission,
            TimedOut | WouldBlock => PyError::Timeout,
            BrokenPipe => PyError::BrokenPipe,
            _ => return None,
        })
    }
}

/// A call as a step performs it: the call, and the exception it must raise
/// if the lesson says it fails.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct StepCall {
    pub call: Call,
    pub error: Option<PyError>,
}

impl Call {
    /// The call in a few words, the same in every language: `client.connect()`.
    pub fn short(&self) -> String {
        let op = match self {
            Call::Socket { .. } => return format!("{} = socket()", self.socket()),
            Call::Bind { .. } => "bind",
            Call::Listen { .. } => "listen",
            Call::Connect { .. } => "connect",
            Call::Accept { .. } => "accept",
            Call::Send { all: true, .. } => "sendall",
            Call::Send { .. } => "send",
            Call::Recv { .. } | Call::RecvAll { .. } => "recv",
            Call::SendTo { .. } => "sendto",
            Call::RecvFrom { .. } => "recvfrom",
            Call::Close { .. } => "close",
            Call::SetSockOpt { .. } | Call::SetCongestion { .. } => "setsockopt",
            Call::SetTimeout { .. } => "settimeout",
            Call::JoinGroup { .. } => "setsockopt",
        };
        format!("{}.{op}()", self.socket())
    }

    /// The socket variable the call is made on.
    pub fn socket(&self) -> &str {
        match self {
            Call::Socket { name, .. }
            | Call::Bind { name, .. }
            | Call::Listen { name, .. }
            | Call::Connect { name, .. }
            | Call::Accept { name, .. }
            | Call::Send { name, .. }
            | Call::Recv { name, .. }
            | Call::SendTo { name, .. }
            | Call::RecvFrom { name, .. }
            | Call::RecvAll { name, .. }
            | Call::SetSockOpt { name, .. }
            | Call::SetCongestion { name, .. }
            | Call::SetTimeout { name, .. }
            | Call::JoinGroup { name, .. }
            | Call::Close { name } => name,
        }
    }
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum SockType {
    /// TCP: `SOCK_STREAM`
    Stream,
    /// UDP: `SOCK_DGRAM`
    Datagram,
}

/// Data to send. Text is encoded to UTF-8 bytes first, as the tutorials do
/// with `"hi".encode("utf-8")`; `repeat` makes large payloads
/// (`("x" * 3000).encode("utf-8")`).
#[derive(
    Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct Payload {
    pub text: String,
    pub repeat: usize,
    /// Send the current local time, as Python's `time.ctime()` gives it
    /// (the time server of the tutorials); `text` is then empty.
    pub clock: bool,
    /// Send the bytes of this file of the exercise (`[exercise] files`), as
    /// `open(name, "rb").read()` reads them; `text` is then empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

impl Payload {
    /// The bytes of a text payload (a clock payload is made by the runner,
    /// which may read the clock).
    pub fn text_bytes(&self) -> Vec<u8> {
        self.text.repeat(self.repeat).into_bytes()
    }
}

/// Where a `connect` or `sendto` goes.
#[derive(
    Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Peer {
    /// The address another socket of the lesson is bound to. Always on
    /// loopback: lessons never address anything outside the sandbox.
    Socket {
        name: String,
        actor: String,
        port: u16,
    },
    /// A port of an actor where no socket of the lesson is bound: to show
    /// what happens when nobody listens.
    Port { actor: String, port: u16 },
    /// The loopback network's broadcast address (127.255.255.255), at a
    /// port where an actor's sockets listen: every socket bound to that
    /// port in the sandbox gets a copy.
    Broadcast { actor: String, port: u16 },
    /// A multicast group at a port, on the lab wire over IPv6: the
    /// all-nodes group (`everyone`) or one the lesson names. The group is
    /// link-local, so the call gives the interface too (`%eth0`).
    Group {
        group: String,
        addr: std::net::Ipv6Addr,
        port: u16,
    },
    /// The address the last `recvfrom` on this socket returned: a reply.
    LastSender,
}

/// Every operation a lesson may call, with the arguments it takes: the
/// one list that checking, suggestions and the lesson format's
/// documentation read.
const OPERATIONS: [(&str, &[&str]); 15] = [
    ("socket", &["actor", "type"]),
    ("bind", &["address", "port"]),
    ("listen", &["backlog"]),
    ("connect", &["to", "port", "broadcast"]),
    ("accept", &["as"]),
    ("send", &["text", "repeat", "file"]),
    ("sendall", &["text", "repeat", "file"]),
    ("recv", &["bufsize", "waitall"]),
    (
        "sendto",
        &["text", "repeat", "time", "to", "port", "broadcast"],
    ),
    ("recvfrom", &["bufsize"]),
    ("recv_all", &["bufsize"]),
    ("close", &[]),
    ("setsockopt", &["option", "value"]),
    ("settimeout", &["seconds"]),
    ("join", &["group"]),
];

/// The key that declares the exception a call raises; any call may have it.
const ERROR_KEY: &str = "error";

/// A call as written in the lesson file: one key names the operation and
/// the socket, the other keys are its arguments. Read as a plain table so
/// that a mistyped key is one problem of this call, with a suggestion,
/// rather than the end of the whole file's parsing.
#[derive(Debug, Deserialize)]
#[serde(transparent)]
pub(super) struct CallFile(toml::Table);

/// A call's arguments, read with the types the format gives them.
struct Args<'t> {
    op: &'static str,
    table: &'t toml::Table,
}

impl Args<'_> {
    fn text(&self, key: &str) -> Result<Option<String>, String> {
        match self.table.get(key) {
            None => Ok(None),
            Some(toml::Value::String(text)) => Ok(Some(text.clone())),
            Some(_) => Err(t!("check-arg-string", key = key, op = self.op)),
        }
    }

    fn number<T: TryFrom<i64>>(&self, key: &str, what: Amount) -> Result<Option<T>, String> {
        let wrong = || {
            t!(
                "check-arg-amount",
                key = key,
                op = self.op,
                what = what.described()
            )
        };
        match self.table.get(key) {
            None => Ok(None),
            Some(toml::Value::Integer(n)) => T::try_from(*n).map(Some).map_err(|_| wrong()),
            Some(_) => Err(wrong()),
        }
    }

    fn flag(&self, key: &str) -> Result<Option<bool>, String> {
        match self.table.get(key) {
            None => Ok(None),
            Some(toml::Value::Boolean(b)) => Ok(Some(*b)),
            Some(_) => Err(t!("check-arg-flag", key = key, op = self.op)),
        }
    }

    fn seconds(&self, key: &str) -> Result<Option<f64>, String> {
        match self.table.get(key) {
            None => Ok(None),
            Some(toml::Value::Float(x)) => Ok(Some(*x)),
            Some(toml::Value::Integer(n)) => Ok(Some(*n as f64)),
            Some(_) => Err(t!("check-arg-seconds", key = key, op = self.op)),
        }
    }
}

/// What a number argument counts, for the message when it is not one.
#[derive(Debug, Clone, Copy)]
enum Amount {
    Bytes,
    Port,
    Plain,
}

impl Amount {
    fn described(self) -> String {
        match self {
            Amount::Bytes => t!("check-amount-bytes"),
            Amount::Port => t!("check-amount-port"),
            Amount::Plain => t!("check-amount-number"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Created,
    Bound,
    Listening,
    Connected,
    Closed,
}

#[derive(Debug, Clone)]
struct Var {
    actor: String,
    kind: SockType,
    phase: Phase,
    port: Option<u16>,
}

/// The socket variables of a lesson as its steps create and use them.
pub(super) struct Scope<'a> {
    /// Actors, and the destinations that are not hosts (`everyone`, groups).
    actors: &'a [String],
    /// The lesson's multicast groups.
    groups: &'a [(String, std::net::Ipv6Addr)],
    /// The lesson runs over IPv6 only.
    ipv6: bool,
    vars: BTreeMap<String, Var>,
}

pub(super) fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The operation of a call and the socket it names, once the keys are
/// known to be right.
fn operation(table: &toml::Table) -> Result<(&'static str, String), String> {
    let is_argument = |key: &str| OPERATIONS.iter().any(|(_, args)| args.contains(&key));
    for key in table.keys() {
        let known =
            key == ERROR_KEY || is_argument(key) || OPERATIONS.iter().any(|(op, _)| op == key);
        if !known {
            let names = OPERATIONS
                .iter()
                .flat_map(|(op, args)| std::iter::once(*op).chain(args.iter().copied()))
                .chain([ERROR_KEY]);
            return Err(match crate::suggest::closest(key, names) {
                Some(near) => t!("check-unknown-key-near", key = key.as_str(), near = near),
                None => t!(
                    "check-unknown-key",
                    key = key.as_str(),
                    operations = crate::i18n::listed(OPERATIONS.map(|(op, _)| op))
                ),
            });
        }
    }
    let named: Vec<&'static str> = OPERATIONS
        .iter()
        .map(|(op, _)| *op)
        .filter(|op| table.contains_key(*op))
        .collect();
    let op = match named.as_slice() {
        [one] => *one,
        [] => {
            return Err(t!(
                "check-no-operation",
                operations = crate::i18n::listed(OPERATIONS.map(|(op, _)| op))
            ));
        }
        many => {
            return Err(t!(
                "check-several-operations",
                operations = many.join(&t!("check-and"))
            ));
        }
    };
    let allowed = OPERATIONS
        .iter()
        .find(|(o, _)| *o == op)
        .map_or(&[][..], |(_, args)| *args);
    if let Some(arg) = table
        .keys()
        .find(|k| *k != op && *k != ERROR_KEY && !allowed.contains(&k.as_str()))
    {
        return Err(t!(
            "check-foreign-argument",
            op = op,
            arg = arg.as_str(),
            allowed = crate::i18n::listed(allowed)
        ));
    }
    match table.get(op) {
        Some(toml::Value::String(name)) => Ok((op, name.clone())),
        _ => Err(t!("check-operation-string", op = op)),
    }
}

impl<'a> Scope<'a> {
    pub(super) fn new(
        actors: &'a [String],
        groups: &'a [(String, std::net::Ipv6Addr)],
        ipv6: bool,
    ) -> Self {
        Scope {
            actors,
            groups,
            ipv6,
            vars: BTreeMap::new(),
        }
    }

    /// Checks one call against the variables so far and records its effect.
    pub(super) fn check(&mut self, raw: CallFile) -> Result<StepCall, String> {
        let table = raw.0;
        let error = match table.get(ERROR_KEY) {
            None => None,
            Some(toml::Value::String(name)) => Some(
                PyError::ALL
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, e)| *e)
                    .ok_or_else(|| {
                        let names = PyError::ALL.map(|(n, _)| n);
                        match crate::suggest::closest(name, names) {
                            Some(near) => {
                                t!("check-error-near", name = name.as_str(), near = near)
                            }
                            None => t!(
                                "check-error-unknown",
                                name = name.as_str(),
                                known = crate::i18n::listed(names)
                            ),
                        }
                    })?,
            ),
            Some(_) => return Err(t!("check-error-string")),
        };
        let call = self.check_call(&table, error.is_some())?;
        Ok(StepCall { call, error })
    }

    fn check_call(&mut self, table: &toml::Table, fails: bool) -> Result<Call, String> {
        let (op, name) = operation(table)?;
        let args = Args { op, table };
        if op == "socket" {
            return self.create(name, args.text("actor")?, args.text("type")?);
        }
        let var = self.vars.get(&name).cloned().ok_or_else(|| {
            let known = self.vars.keys().map(String::as_str);
            match crate::suggest::closest(&name, known) {
                Some(near) => t!("check-no-socket-near", name = name.as_str(), near = near),
                None => t!("check-no-socket-yet", name = name.as_str()),
            }
        })?;
        if var.phase == Phase::Closed {
            return Err(t!("check-closed", name = name.as_str()));
        }
        match op {
            "bind" => self.bind(name, &var, &args, fails),
            "listen" => self.listen(name, &var, &args),
            "connect" => {
                // UDP may connect too: it only fixes the peer address.
                let peer = self.peer(&args, var.kind, false)?;
                if !fails {
                    self.set(&name, Phase::Connected, var.port);
                }
                Ok(Call::Connect { name, peer })
            }
            "accept" => self.accept(name, &var, &args),
            "send" | "sendall" | "recv" => self.stream_io(name, &var, &args),
            "sendto" => {
                need(op, &name, &var, SockType::Datagram)?;
                let peer = self.peer(&args, SockType::Datagram, true)?;
                Ok(Call::SendTo {
                    data: payload(&args)?,
                    name,
                    peer,
                })
            }
            "recv_all" => {
                need(op, &name, &var, SockType::Stream)?;
                if var.phase != Phase::Connected {
                    return Err(t!("check-not-connected", name = name.as_str()));
                }
                Ok(Call::RecvAll {
                    name,
                    bufsize: args.number("bufsize", Amount::Bytes)?.unwrap_or(1024),
                })
            }
            "recvfrom" => {
                need(op, &name, &var, SockType::Datagram)?;
                Ok(Call::RecvFrom {
                    name,
                    bufsize: args.number("bufsize", Amount::Bytes)?.unwrap_or(1024),
                })
            }
            "close" => {
                self.set(&name, Phase::Closed, var.port);
                Ok(Call::Close { name })
            }
            "setsockopt" => setsockopt(name, &var, &args),
            "settimeout" => {
                let seconds = args
                    .seconds("seconds")?
                    .ok_or_else(|| t!("check-settimeout-seconds"))?;
                if !(0.01..=3.0).contains(&seconds) {
                    return Err(t!("check-seconds-range"));
                }
                Ok(Call::SetTimeout { name, seconds })
            }
            _ => self.join(name, &var, &args),
        }
    }

    fn bind(&mut self, name: String, var: &Var, args: &Args, fails: bool) -> Result<Call, String> {
        if var.phase != Phase::Created {
            return Err(t!("check-already-bound", name = name.as_str()));
        }
        let port = args
            .number("port", Amount::Port)?
            .ok_or_else(|| t!("check-bind-port"))?;
        // A bind that is meant to fail leaves the socket unbound; one with
        // a wrong address is taken as bound, so that later calls are
        // checked as the teacher meant them.
        if !fails {
            self.set(&name, Phase::Bound, Some(port));
        }
        let address = args.text("address")?.unwrap_or_default();
        if !(address.is_empty() || address == "127.0.0.1") {
            return Err(t!("check-bind-address", address = address.as_str()));
        }
        Ok(Call::Bind {
            name,
            address,
            port,
        })
    }

    fn listen(&mut self, name: String, var: &Var, args: &Args) -> Result<Call, String> {
        need("listen", &name, var, SockType::Stream)?;
        if var.phase != Phase::Bound {
            return Err(t!("check-listen-unbound", name = name.as_str()));
        }
        self.set(&name, Phase::Listening, var.port);
        Ok(Call::Listen {
            name,
            backlog: args.number("backlog", Amount::Plain)?.unwrap_or(5),
        })
    }

    fn accept(&mut self, name: String, var: &Var, args: &Args) -> Result<Call, String> {
        let new = args.text("as")?.ok_or_else(|| t!("check-accept-as"))?;
        if var.phase != Phase::Listening {
            return Err(t!("check-accept-not-listening", name = name.as_str()));
        }
        self.declare(&new)?;
        self.vars.insert(
            new.clone(),
            Var {
                actor: var.actor.clone(),
                kind: SockType::Stream,
                phase: Phase::Connected,
                port: var.port,
            },
        );
        Ok(Call::Accept { name, new })
    }

    /// `send`, `sendall` and `recv`: on a connected socket.
    fn stream_io(&mut self, name: String, var: &Var, args: &Args) -> Result<Call, String> {
        let op = args.op;
        if var.phase != Phase::Connected && (var.kind == SockType::Stream || op != "recv") {
            return Err(match var.kind {
                SockType::Stream => t!("check-io-unconnected-tcp", name = name.as_str(), op = op),
                SockType::Datagram => {
                    t!("check-io-unconnected-udp", name = name.as_str(), op = op)
                }
            });
        }
        Ok(if op == "recv" {
            Call::Recv {
                name,
                bufsize: args.number("bufsize", Amount::Bytes)?.unwrap_or(1024),
                waitall: args.flag("waitall")?.unwrap_or(false),
            }
        } else {
            Call::Send {
                data: payload(args)?,
                name,
                all: op == "sendall",
            }
        })
    }

    fn join(&mut self, name: String, var: &Var, args: &Args) -> Result<Call, String> {
        need("join", &name, var, SockType::Datagram)?;
        let group = args.text("group")?.ok_or_else(|| t!("check-join-group"))?;
        if group == super::EVERYONE {
            return Err(t!("check-join-everyone", group = group.as_str()));
        }
        let addr = self
            .group(&group)
            .ok_or_else(|| t!("check-join-unknown", group = group.as_str()))?;
        Ok(Call::JoinGroup { name, group, addr })
    }

    fn create(
        &mut self,
        name: String,
        actor: Option<String>,
        kind: Option<String>,
    ) -> Result<Call, String> {
        self.declare(&name)?;
        let actor = actor.unwrap_or_else(|| name.clone());
        if !self.actors.contains(&actor) {
            return Err(t!(
                "check-socket-actor",
                name = name.as_str(),
                actor = actor.as_str(),
                actors = crate::i18n::listed(self.actors)
            ));
        }
        // The socket exists from here on even when its type is mistyped, so
        // that one typo is one problem, not one more for every later call.
        let (kind, problem) = match kind.as_deref() {
            Some("stream") => (SockType::Stream, None),
            Some("dgram") => (SockType::Datagram, None),
            Some(other) => {
                let near = crate::suggest::closest(other, ["stream", "dgram"]);
                let kind = if near == Some("dgram") {
                    SockType::Datagram
                } else {
                    SockType::Stream
                };
                let problem = match near {
                    Some(near) => t!("check-socket-type-near", kind = other, near = near),
                    None => t!("check-socket-type-unknown", kind = other),
                };
                (kind, Some(problem))
            }
            None => (SockType::Stream, Some(t!("check-socket-type-missing"))),
        };
        self.vars.insert(
            name.clone(),
            Var {
                actor: actor.clone(),
                kind,
                phase: Phase::Created,
                port: None,
            },
        );
        match problem {
            Some(problem) => Err(problem),
            None => Ok(Call::Socket { name, actor, kind }),
        }
    }

    /// The actor of `name`, a connected TCP socket (for `what`, a step key
    /// that needs one).
    pub(super) fn connected_stream(&self, name: &str, what: &str) -> Result<String, String> {
        let Some(var) = self.vars.get(name) else {
            let known = self.vars.keys().map(String::as_str);
            return Err(match crate::suggest::closest(name, known) {
                Some(near) => t!("check-names-near", key = what, name = name, near = near),
                None => t!("check-names-unknown-socket", key = what, name = name),
            });
        };
        if var.kind != SockType::Stream {
            return Err(t!("check-needs-tcp", key = what, name = name));
        }
        if var.phase != Phase::Connected {
            return Err(t!("check-needs-connected", key = what, name = name));
        }
        Ok(var.actor.clone())
    }

    /// Both ends of a chat must be connected TCP sockets.
    pub(super) fn chat_ends(&self, from: &str, to: &str) -> Result<(), String> {
        for name in [from, to] {
            match self.vars.get(name) {
                Some(v) if v.kind == SockType::Stream && v.phase == Phase::Connected => {}
                _ => {
                    return Err(t!("check-chat-sockets", name = name));
                }
            }
        }
        Ok(())
    }

    fn declare(&self, name: &str) -> Result<(), String> {
        if !is_identifier(name) {
            return Err(t!("check-socket-name", name = name));
        }
        match self.vars.get(name) {
            Some(v) if v.phase != Phase::Closed => Err(t!("check-socket-exists", name = name)),
            _ => Ok(()),
        }
    }

    fn set(&mut self, name: &str, phase: Phase, port: Option<u16>) {
        if let Some(var) = self.vars.get_mut(name) {
            var.phase = phase;
            var.port = port;
        }
    }

    /// The address of a multicast group the lesson names.
    fn group(&self, name: &str) -> Option<std::net::Ipv6Addr> {
        self.groups
            .iter()
            .find(|(group, _)| group == name)
            .map(|(_, addr)| *addr)
    }

    /// Where a `connect` or `sendto` goes: `to`, with `port` and
    /// `broadcast`.
    fn peer(&self, args: &Args, kind: SockType, reply_ok: bool) -> Result<Peer, String> {
        let port: Option<u16> = args.number("port", Amount::Port)?;
        let broadcast = args.flag("broadcast")?;
        let to = args.text("to")?.ok_or_else(|| t!("check-needs-to"))?;
        if reply_ok && to == "addr" && port.is_none() {
            return Ok(Peer::LastSender);
        }
        let group = if to == super::EVERYONE && self.ipv6 {
            Some(crate::packet::ALL_NODES)
        } else {
            self.group(&to)
        };
        if let Some(addr) = group {
            if broadcast == Some(true) {
                return Err(t!("check-group-broadcast", to = to.as_str()));
            }
            if kind != SockType::Datagram {
                return Err(t!("check-group-tcp", to = to.as_str()));
            }
            let port = port.ok_or_else(|| t!("check-group-port", to = to.as_str()))?;
            return Ok(Peer::Group {
                group: to,
                addr,
                port,
            });
        }
        if let Some(port) = port {
            if !self.actors.contains(&to) {
                return Err(t!(
                    "check-port-to-actor",
                    actors = crate::i18n::listed(self.actors),
                    to = to.as_str()
                ));
            }
            if broadcast == Some(true) {
                if self.ipv6 {
                    return Err(t!("check-ipv6-broadcast", everyone = super::EVERYONE));
                }
                return Ok(Peer::Broadcast { actor: to, port });
            }
            if to == super::EVERYONE {
                return Err(t!("check-everyone-needs-broadcast", to = to.as_str()));
            }
            return Ok(Peer::Port { actor: to, port });
        }
        if broadcast == Some(true) {
            return Err(t!("check-broadcast-needs-port"));
        }
        let target = self
            .vars
            .get(&to)
            .ok_or_else(|| t!("check-to-unknown", to = to.as_str()))?;
        if target.kind != kind {
            return Err(t!("check-to-other-kind", to = to.as_str()));
        }
        let port = target
            .port
            .ok_or_else(|| t!("check-to-unbound", to = to.as_str()))?;
        Ok(Peer::Socket {
            name: to,
            actor: target.actor.clone(),
            port,
        })
    }
}

/// The socket must be of `kind` for operation `op`.
fn need(op: &str, name: &str, var: &Var, kind: SockType) -> Result<(), String> {
    if var.kind == kind {
        Ok(())
    } else {
        Err(match kind {
            SockType::Stream => t!("check-op-needs-tcp", op = op, name = name),
            SockType::Datagram => t!("check-op-needs-udp", op = op, name = name),
        })
    }
}

/// What `send`, `sendall` and `sendto` send: `text` (with `repeat`), or
/// the time with `time = true`.
fn payload(args: &Args) -> Result<Payload, String> {
    let repeat = args.number("repeat", Amount::Plain)?.unwrap_or(1);
    if repeat == 0 {
        return Err(t!("check-repeat-zero"));
    }
    let file = args.text("file")?;
    match (args.text("text")?, args.flag("time")? == Some(true), file) {
        (Some(_), true, _) => Err(t!("check-text-and-time")),
        (Some(_), _, Some(_)) | (_, true, Some(_)) => Err(t!("check-text-time-file")),
        (None, true, None) => Ok(Payload {
            text: String::new(),
            repeat: 1,
            clock: true,
            file: None,
        }),
        (None, false, Some(file)) => Ok(Payload {
            text: String::new(),
            repeat: 1,
            clock: false,
            file: Some(file),
        }),
        (Some(text), false, None) => Ok(Payload {
            text,
            repeat,
            clock: false,
            file: None,
        }),
        (None, false, None) => Err(t!("check-needs-text", op = args.op)),
    }
}

/// The congestion control algorithms a lesson may choose with
/// `TCP_CONGESTION`: the two socklab explains (RFC 5681's Reno, and CUBIC,
/// RFC 9438, Linux's default). Both are built into every Linux kernel that
/// has TCP.
pub const CONGESTION_ALGORITHMS: [&str; 2] = ["reno", "cubic"];

/// The option that takes an algorithm's name rather than a number.
const TCP_CONGESTION: &str = "TCP_CONGESTION";

fn setsockopt(name: String, var: &Var, args: &Args) -> Result<Call, String> {
    let option = args
        .text("option")?
        .ok_or_else(|| t!("check-setsockopt-option"))?;
    if option == TCP_CONGESTION {
        need("setsockopt TCP_CONGESTION", &name, var, SockType::Stream)?;
        let algorithm = match args.table.get("value") {
            Some(toml::Value::String(text)) => text.clone(),
            _ => {
                let names = CONGESTION_ALGORITHMS.map(|a| format!("\"{a}\""));
                return Err(t!(
                    "check-congestion-value",
                    option = TCP_CONGESTION,
                    algorithms = names.join(&t!("check-or"))
                ));
            }
        };
        if !CONGESTION_ALGORITHMS.contains(&algorithm.as_str()) {
            return Err(
                match crate::suggest::closest(&algorithm, CONGESTION_ALGORITHMS) {
                    Some(near) => t!(
                        "check-congestion-near",
                        algorithm = algorithm.as_str(),
                        near = near
                    ),
                    None => t!(
                        "check-congestion-unknown",
                        algorithm = algorithm.as_str(),
                        known = crate::i18n::listed(CONGESTION_ALGORITHMS)
                    ),
                },
            );
        }
        return Ok(Call::SetCongestion { name, algorithm });
    }
    let found = SockOpt::ALL.iter().find(|(n, _)| *n == option);
    let Some((_, option)) = found else {
        let names = SockOpt::ALL.map(|(n, _)| n);
        let names = names.iter().copied().chain([TCP_CONGESTION]);
        return Err(match crate::suggest::closest(&option, names.clone()) {
            Some(near) => t!("check-option-near", option = option.as_str(), near = near),
            None => t!(
                "check-option-unknown",
                option = option.as_str(),
                known = crate::i18n::listed(names)
            ),
        });
    };
    Ok(Call::SetSockOpt {
        name,
        option: *option,
        value: args.number("value", Amount::Plain)?.unwrap_or(1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(toml_text: &str) -> CallFile {
        toml::from_str(toml_text).unwrap()
    }

    fn actors() -> Vec<String> {
        vec!["client".into(), "server".into()]
    }

    #[test]
    fn server_flow_is_accepted() {
        let actors = actors();
        let mut scope = Scope::new(&actors, &[], false);
        for text in [
            "socket = 'server'\ntype = 'stream'",
            "bind = 'server'\nport = 5000",
            "listen = 'server'",
            "socket = 'client'\ntype = 'stream'",
            "connect = 'client'\nto = 'server'",
            "accept = 'server'\nas = 'conn'\n",
            "recv = 'conn'",
            "close = 'conn'",
        ] {
            scope.check(call(text)).unwrap();
        }
    }

    #[test]
    fn listen_before_bind_is_refused() {
        let actors = actors();
        let mut scope = Scope::new(&actors, &[], false);
        scope
            .check(call("socket = 'server'\ntype = 'stream'"))
            .unwrap();
        let err = scope.check(call("listen = 'server'")).unwrap_err();
        assert!(err.contains("must be bound"), "{err}");
    }

    #[test]
    fn udp_cannot_listen_and_tcp_cannot_send_unconnected() {
        let actors = actors();
        let mut scope = Scope::new(&actors, &[], false);
        scope
            .check(call("socket = 'server'\ntype = 'dgram'"))
            .unwrap();
        scope.check(call("bind = 'server'\nport = 7788")).unwrap();
        assert!(
            scope
                .check(call("listen = 'server'"))
                .unwrap_err()
                .contains("TCP")
        );
        scope
            .check(call("socket = 'client'\ntype = 'stream'"))
            .unwrap();
        let err = scope
            .check(call("send = 'client'\ntext = 'hi'"))
            .unwrap_err();
        assert!(err.contains("must connect"), "{err}");
    }

    #[test]
    fn wire_names_hosts_by_either_address_and_groups_by_name() {
        let addressing = Addressing {
            family: Family::V6,
            hosts: vec![HostAddress {
                actor: "alice".into(),
                addr: "fd00::1".parse().unwrap(),
                link_local: Some("fe80::1".parse().unwrap()),
                eth0: 2,
            }],
            groups: vec![("players".into(), "ff02::7788".parse().unwrap())],
        };
        let name = |ip: &str| addressing.wire_name(ip.parse().unwrap());
        assert_eq!(name("fd00::1").as_deref(), Some("alice"));
        assert_eq!(name("fe80::1").as_deref(), Some("alice"));
        assert_eq!(name("ff02::1").as_deref(), Some("everyone"));
        assert_eq!(name("ff02::7788").as_deref(), Some("players"));
        assert_eq!(name("10.0.0.255").as_deref(), Some("everyone"));
        assert_eq!(name("fd00::9"), None);
    }

    #[test]
    fn groups_are_joined_and_sent_to_over_ipv6_only() {
        let targets = vec![
            "alice".into(),
            "bob".into(),
            "everyone".into(),
            "players".into(),
        ];
        let group: std::net::Ipv6Addr = "ff02::7788".parse().unwrap();
        let groups = vec![("players".to_string(), group)];
        let mut scope = Scope::new(&targets, &groups, true);
        scope.check(call("socket = 'bob'\ntype = 'dgram'")).unwrap();
        assert_eq!(
            scope
                .check(call("join = 'bob'\ngroup = 'players'"))
                .unwrap()
                .call,
            Call::JoinGroup {
                name: "bob".into(),
                group: "players".into(),
                addr: group
            }
        );
        let err = scope
            .check(call("join = 'bob'\ngroup = 'everyone'"))
            .unwrap_err();
        assert!(err.contains("already"), "{err}");
        scope
            .check(call("socket = 'alice'\ntype = 'dgram'"))
            .unwrap();
        let sent = scope
            .check(call(
                "sendto = 'alice'\ntext = 'hi'\nto = 'everyone'\nport = 7788",
            ))
            .unwrap();
        assert!(
            matches!(sent.call, Call::SendTo { peer: Peer::Group { addr, port: 7788, .. }, .. }
                if addr == crate::packet::ALL_NODES),
            "{sent:?}"
        );
        scope
            .check(call("socket = 'tcp'\nactor = 'alice'\ntype = 'stream'"))
            .unwrap();
        let err = scope
            .check(call("connect = 'tcp'\nto = 'players'\nport = 7788"))
            .unwrap_err();
        assert!(err.contains("only UDP"), "{err}");
        let err = scope
            .check(call(
                "sendto = 'alice'\ntext = 'hi'\nto = 'bob'\nport = 1\nbroadcast = true",
            ))
            .unwrap_err();
        assert!(err.contains("IPv6 has no broadcast"), "{err}");
    }

    #[test]
    fn two_operations_in_one_call_are_refused() {
        let actors = actors();
        let mut scope = Scope::new(&actors, &[], false);
        let err = scope
            .check(call("socket = 'a'\nclose = 'a'\ntype = 'stream'"))
            .unwrap_err();
        assert!(err.contains("socket and close"), "{err}");
    }

    #[test]
    fn argument_of_another_operation_is_refused() {
        let actors = actors();
        let mut scope = Scope::new(&actors, &[], false);
        let err = scope
            .check(call("socket = 'client'\ntype = 'stream'\nport = 1"))
            .unwrap_err();
        assert!(err.contains("takes no `port`"), "{err}");
    }

    #[test]
    fn socket_of_unknown_actor_is_refused() {
        let actors = actors();
        let mut scope = Scope::new(&actors, &[], false);
        let err = scope
            .check(call("socket = 'sock'\ntype = 'stream'"))
            .unwrap_err();
        assert!(err.contains("actor `sock`"), "{err}");
    }

    #[test]
    fn closed_socket_cannot_be_used() {
        let actors = actors();
        let mut scope = Scope::new(&actors, &[], false);
        scope
            .check(call("socket = 'client'\ntype = 'dgram'"))
            .unwrap();
        scope.check(call("close = 'client'")).unwrap();
        let err = scope.check(call("recvfrom = 'client'")).unwrap_err();
        assert!(err.contains("already closed"), "{err}");
    }
}
