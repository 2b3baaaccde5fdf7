//! Socket calls shown as the Python lines a learner writes, in the style of
//! the tutorials socklab is for, with the `import` lines they need.

use crate::lesson::{Addressing, Call, Family, Outcome, Payload, Peer, PyError, SockType};

/// Received data longer than this is shown by its length and first bytes,
/// as one would look at it at a prompt, not byte by byte.
pub const LONG_DATA: usize = 64;

/// The `import` lines a program making these calls needs.
pub fn imports<'a>(calls: impl IntoIterator<Item = &'a Call>) -> Vec<String> {
    let (mut time, mut structs) = (false, false);
    for call in calls {
        match call {
            Call::SendTo { data, .. } | Call::Send { data, .. } if data.clock => time = true,
            Call::JoinGroup { .. } => structs = true,
            _ => {}
        }
    }
    let mut lines = vec!["import socket".to_string()];
    if structs {
        lines.push("import struct".to_string());
    }
    if time {
        lines.push("import time".to_string());
    }
    lines
}

/// What the `>>>` prompt shows after a call returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Echo {
    /// The value of the call itself, echoed after it (`send` returns a
    /// number).
    Value(String),
    /// An expression the learner types to look at what the call returned,
    /// and the value the prompt echoes.
    Expr { expr: String, value: String },
}

/// The echoes after a call that returned `outcome`.
pub fn echoes(outcome: &Outcome) -> Vec<Echo> {
    let expr = |expr: &str, value: String| Echo::Expr {
        expr: expr.to_string(),
        value,
    };
    match outcome {
        Outcome::Nothing | Outcome::Connected { .. } => vec![],
        Outcome::Accepted { peer } => vec![expr("addr", addr_repr(*peer))],
        Outcome::Sent { bytes: n } => vec![Echo::Value(n.to_string())],
        Outcome::ReceivedAll { data, .. } => vec![expr("len(received)", data.len().to_string())],
        Outcome::Received { data } if data.len() > LONG_DATA => vec![
            expr("len(data)", data.len().to_string()),
            expr("data[:16]", bytes_repr(&data.head()[..16])),
        ],
        Outcome::Received { data } => {
            let mut echoes = vec![expr("data", bytes_repr(data.head()))];
            if let (false, Ok(text)) = (data.is_empty(), std::str::from_utf8(data.head())) {
                echoes.push(expr("data.decode(\"utf-8\")", str_repr(text)));
            }
            echoes
        }
        Outcome::ReceivedFrom { data, from } if data.len() > LONG_DATA => vec![expr(
            "len(data), addr",
            format!("({}, {})", data.len(), addr_repr(*from)),
        )],
        Outcome::ReceivedFrom { data, from } => vec![expr(
            "data, addr",
            format!("({}, {})", bytes_repr(data.head()), addr_repr(*from)),
        )],
    }
}

/// In a script, the line that prints what the prompt echoes: the echo of
/// `statement` itself, or of an expression typed after it.
pub fn print_echo(statement: &str, echo: &Echo) -> String {
    match echo {
        Echo::Value(_) => format!("print({statement})"),
        // A number prints as the prompt shows it; anything else as its
        // repr(), which is what the prompt shows (a tuple's str() is its
        // repr()).
        Echo::Expr { expr, .. } if expr.starts_with("len(") && !expr.contains(", ") => {
            format!("print({expr})")
        }
        Echo::Expr { expr, .. } if expr.contains(", ") => format!("print(({expr}))"),
        Echo::Expr { expr, .. } => format!("print(repr({expr}))"),
    }
}

/// In a script, a call the lesson shows failing: the exception is caught
/// and its last traceback line printed, as the prompt shows it, so that the
/// script goes on as the lesson does.
pub fn caught(statement: &str, error: PyError) -> Vec<String> {
    let mut lines = vec!["try:".to_string()];
    lines.extend(statement.lines().map(|l| format!("    {l}")));
    lines.push(format!("except {} as e:", error.name()));
    lines.push("    print(f\"{type(e).__name__}: {e}\")".to_string());
    lines
}

/// The Python statement for a call, with addresses of the run's family.
pub fn statement(call: &Call, addressing: &Addressing) -> String {
    let family = addressing.family;
    match call {
        Call::Socket { name, kind, .. } => format!(
            "{name} = socket.socket(socket.{}, socket.{})",
            match family {
                Family::V4 => "AF_INET",
                Family::V6 => "AF_INET6",
            },
            match kind {
                SockType::Stream => "SOCK_STREAM",
                SockType::Datagram => "SOCK_DGRAM",
            }
        ),
        Call::Bind {
            name,
            address,
            port,
        } => {
            // "127.0.0.1" in a lesson means the loopback of the run's family.
            let address = match (address.as_str(), family) {
                ("", _) => String::new(),
                (_, family) => family.loopback().to_string(),
            };
            format!("{name}.bind(({}, {port}))", string(&address))
        }
        Call::Listen { name, backlog } => format!("{name}.listen({backlog})"),
        Call::Connect { name, peer } => {
            format!("{name}.connect({})", peer_expr(peer, addressing))
        }
        Call::Accept { name, new } => format!("{new}, addr = {name}.accept()"),
        Call::Send { name, data, all } => format!(
            "{name}.{}({})",
            if *all { "sendall" } else { "send" },
            encoded(data)
        ),
        Call::Recv {
            name,
            bufsize,
            waitall: false,
        } => format!("data = {name}.recv({bufsize})"),
        Call::Recv {
            name,
            bufsize,
            waitall: true,
        } => format!("data = {name}.recv({bufsize}, socket.MSG_WAITALL)"),
        Call::SendTo { name, data, peer } => {
            format!(
                "{name}.sendto({}, {})",
                encoded(data),
                peer_expr(peer, addressing)
            )
        }
        Call::RecvFrom { name, bufsize } => format!("data, addr = {name}.recvfrom({bufsize})"),
        Call::RecvAll { name, bufsize } => format!(
            "received = b\"\"\nwhile True:\n    data = {name}.recv({bufsize})\n    if not data:\n        break\n    received += data\n"
        ),
        Call::Close { name } => format!("{name}.close()"),
        Call::SetSockOpt {
            name,
            option,
            value,
        } => format!(
            "{name}.setsockopt(socket.{}, socket.{}, {value})",
            option.level(),
            option.name()
        ),
        Call::SetCongestion { name, algorithm } => format!(
            "{name}.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, b{})",
            string(algorithm)
        ),
        Call::SetTimeout { name, seconds } => format!("{name}.settimeout({seconds})"),
        // Interface 0: the kernel picks it from its routes (there is one,
        // eth0), as CPython's Tools/demo/mcast.py does.
        Call::JoinGroup { name, addr, .. } => format!(
            "mreq = socket.inet_pton(socket.AF_INET6, {}) + struct.pack(\"@I\", 0)\n\
             {name}.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, mreq)",
            string(&addr.to_string())
        ),
    }
}

/// The last line of the traceback Python prints for an exception.
pub fn exception(raised: &crate::event::Raised) -> String {
    let error = raised.exception;
    if error == PyError::Timeout {
        // socket.timeout's message, whatever the OS said.
        return "TimeoutError: timed out".to_string();
    }
    // Rust writes "Connection refused (os error 111)"; Python writes
    // "[Errno 111] Connection refused".
    let text = &raised.message;
    let message = text
        .rsplit_once(" (os error ")
        .map_or(text.as_str(), |(m, _)| m);
    match raised.errno {
        Some(errno) => format!("{}: [Errno {errno}] {message}", error.name()),
        None => format!("{}: {message}", error.name()),
    }
}

fn encoded(data: &Payload) -> String {
    if let Some(file) = &data.file {
        format!("open({}, \"rb\").read()", string(file))
    } else if data.clock {
        "time.ctime().encode(\"utf-8\")".to_string()
    } else if data.repeat > 1 {
        format!(
            "({} * {}).encode(\"utf-8\")",
            string(&data.text),
            data.repeat
        )
    } else {
        format!("{}.encode(\"utf-8\")", string(&data.text))
    }
}

fn peer_expr(peer: &Peer, addressing: &Addressing) -> String {
    match peer {
        Peer::Broadcast { port, .. } => {
            format!("({}, {port})", string(&addressing.broadcast().to_string()))
        }
        Peer::Socket { actor, port, .. } | Peer::Port { actor, port } => {
            format!("({}, {port})", string(&addressing.host(actor).to_string()))
        }
        // A link-local group needs its interface: Python reads the scope
        // after `%`.
        Peer::Group { addr, port, .. } => format!("({}, {port})", string(&format!("{addr}%eth0"))),
        Peer::LastSender => "addr".to_string(),
    }
}

/// A Python `str` literal in double quotes.
pub fn string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// What Python prints for a `bytes` value: `b'hi'`, `b"it's"`, `b'\xc3\xa9'`.
pub fn bytes_repr(bytes: &[u8]) -> String {
    // Python prefers single quotes unless the bytes hold ' and no ".
    let quote = if bytes.contains(&b'\'') && !bytes.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    let mut out = format!("b{quote}");
    for &b in bytes {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            b if b as char == quote => {
                out.push('\\');
                out.push(quote);
            }
            0x20..=0x7e => out.push(b as char),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out.push(quote);
    out
}

/// What Python prints for a `str` value: `'hello'`.
pub fn str_repr(text: &str) -> String {
    let quote = if text.contains('\'') && !text.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::from(quote);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// What Python prints for an address tuple: `('127.0.0.1', 5000)`, or for
/// IPv6 the 4-tuple `('::1', 5000, 0, 0)` (with flow info and scope id).
pub fn addr_repr(addr: std::net::SocketAddr) -> String {
    match addr {
        std::net::SocketAddr::V4(a) => format!("('{}', {})", a.ip(), a.port()),
        std::net::SocketAddr::V6(a) => format!(
            "('{}', {}, {}, {})",
            a.ip(),
            a.port(),
            a.flowinfo(),
            a.scope_id()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_look_like_python() {
        assert_eq!(bytes_repr(b"hello"), "b'hello'");
        assert_eq!(bytes_repr(b""), "b''");
        assert_eq!(bytes_repr(b"it's"), "b\"it's\"");
        assert_eq!(bytes_repr(b"a'\"b"), "b'a\\'\"b'");
        assert_eq!(bytes_repr("é\n".as_bytes()), "b'\\xc3\\xa9\\n'");
        assert_eq!(str_repr("héllo"), "'héllo'");
        assert_eq!(str_repr("it's"), "\"it's\"");
    }

    #[test]
    fn statements_look_like_the_tutorials() {
        let send = Call::Send {
            name: "client".into(),
            data: Payload {
                text: "hi".into(),
                repeat: 1,
                clock: false,
                file: None,
            },
            all: false,
        };
        assert_eq!(
            statement(&send, &Family::V4.into()),
            "client.send(\"hi\".encode(\"utf-8\"))"
        );
        let bind = Call::Bind {
            name: "server".into(),
            address: String::new(),
            port: 5000,
        };
        assert_eq!(
            statement(&bind, &Family::V4.into()),
            "server.bind((\"\", 5000))"
        );
        let accept = Call::Accept {
            name: "server".into(),
            new: "conn".into(),
        };
        assert_eq!(
            statement(&accept, &Family::V4.into()),
            "conn, addr = server.accept()"
        );
        let big = Call::SendTo {
            name: "client".into(),
            data: Payload {
                text: "ab".into(),
                repeat: 3,
                clock: false,
                file: None,
            },
            peer: Peer::LastSender,
        };
        assert_eq!(
            statement(&big, &Family::V4.into()),
            "client.sendto((\"ab\" * 3).encode(\"utf-8\"), addr)"
        );
    }

    #[test]
    fn exceptions_look_like_python_tracebacks() {
        let refused = std::io::Error::from_raw_os_error(libc::ECONNREFUSED);
        assert_eq!(
            exception(&crate::event::Raised::from_io(
                PyError::ConnectionRefused,
                &refused
            )),
            "ConnectionRefusedError: [Errno 111] Connection refused"
        );
        let in_use = std::io::Error::from_raw_os_error(libc::EADDRINUSE);
        assert_eq!(
            exception(&crate::event::Raised::from_io(PyError::Os, &in_use)),
            "OSError: [Errno 98] Address already in use"
        );
    }
}
