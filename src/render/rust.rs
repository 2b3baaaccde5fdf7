//! Socket calls shown as Rust with the socket2 crate: the same calls, one
//! for one, that socklab makes to run the lesson.

use super::python::LONG_DATA;
use crate::lesson::{Addressing, Call, Family, Outcome, Payload, Peer, SockOpt, SockType};

fn addr(family: Family, any: bool, port: u16) -> String {
    let ip = match (family, any) {
        (Family::V4, true) => "Ipv4Addr::UNSPECIFIED",
        (Family::V4, false) => "Ipv4Addr::LOCALHOST",
        (Family::V6, true) => "Ipv6Addr::UNSPECIFIED",
        (Family::V6, false) => "Ipv6Addr::LOCALHOST",
    };
    format!("&SocketAddr::from(({ip}, {port})).into()")
}

fn peer(peer: &Peer, addressing: &Addressing) -> String {
    let ip_literal = |ip: std::net::IpAddr| match ip {
        std::net::IpAddr::V4(v4) => {
            let [a, b, c, d] = v4.octets();
            format!("[{a}, {b}, {c}, {d}]")
        }
        std::net::IpAddr::V6(v6) => format!("\"{v6}\".parse::<Ipv6Addr>()?"),
    };
    match peer {
        Peer::Broadcast { port, .. } => format!(
            "&SocketAddr::from(({}, {port})).into()",
            ip_literal(addressing.broadcast())
        ),
        Peer::Socket { actor, port, .. } | Peer::Port { actor, port } if addressing.on_wire() => {
            format!(
                "&SocketAddr::from(({}, {port})).into()",
                ip_literal(addressing.host(actor))
            )
        }
        Peer::Socket { port, .. } | Peer::Port { port, .. } => {
            addr(addressing.family, false, *port)
        }
        Peer::Group { addr, port, .. } => {
            format!(
                "&SocketAddr::from(SocketAddrV6::new(\"{addr}\".parse()?, {port}, 0, eth0)).into()"
            )
        }
        Peer::LastSender => "&addr".to_string(),
    }
}

fn data(data: &Payload) -> String {
    if let Some(file) = &data.file {
        return format!("&std::fs::read({file:?})?");
    }
    if data.clock {
        // std has no ctime(): `ctime_now` is shown with the imports.
        return "ctime_now().as_bytes()".to_string();
    }
    let text = format!("{:?}", data.text);
    if data.repeat > 1 {
        format!("{text}.repeat({}).as_bytes()", data.repeat)
    } else {
        format!("{text}.as_bytes()")
    }
}

/// A call as Rust writes it: lines that prepare it, the variable its value
/// is bound to, and the expression that performs it (`?` comes after).
struct Parts {
    setup: Vec<String>,
    bind: Option<String>,
    expr: String,
}

fn parts(call: &Call, addressing: &Addressing) -> Parts {
    let family = addressing.family;
    let plain = |expr: String| Parts {
        setup: vec![],
        bind: None,
        expr,
    };
    match call {
        Call::Socket { name, kind, .. } => Parts {
            setup: vec![],
            bind: Some(name.clone()),
            expr: format!(
                "Socket::new(Domain::{}, Type::{}, None)",
                match family {
                    Family::V4 => "IPV4",
                    Family::V6 => "IPV6",
                },
                match kind {
                    SockType::Stream => "STREAM",
                    SockType::Datagram => "DGRAM",
                }
            ),
        },
        Call::Bind {
            name,
            address,
            port,
        } => plain(format!(
            "{name}.bind({})",
            addr(family, address.is_empty(), *port)
        )),
        Call::Listen { name, backlog } => plain(format!("{name}.listen({backlog})")),
        Call::Connect { name, peer: to } => {
            plain(format!("{name}.connect({})", peer(to, addressing)))
        }
        Call::Accept { name, new } => Parts {
            setup: vec![],
            bind: Some(format!("({new}, addr)")),
            expr: format!("{name}.accept()"),
        },
        Call::Send {
            name,
            data: d,
            all: false,
        } => Parts {
            setup: vec![],
            bind: Some("n".to_string()),
            expr: format!("{name}.send({})", data(d)),
        },
        Call::Send {
            name,
            data: d,
            all: true,
        } => plain(format!("(&{name}).write_all({})", data(d))),
        Call::Recv {
            name,
            bufsize,
            waitall: false,
        } => Parts {
            setup: vec![format!("let mut buf = [0u8; {bufsize}];")],
            bind: Some("n".to_string()),
            expr: format!("(&{name}).read(&mut buf)"),
        },
        // MSG_WAITALL's counterpart: read until the buffer is full.
        Call::Recv {
            name,
            bufsize,
            waitall: true,
        } => Parts {
            setup: vec![format!("let mut buf = [0u8; {bufsize}];")],
            bind: Some("n".to_string()),
            expr: format!("(&{name}).read_exact(&mut buf).map(|()| buf.len())"),
        },
        Call::SendTo {
            name,
            data: d,
            peer: to,
        } => Parts {
            // The scope of a link-local group: eth0's interface index.
            setup: match to {
                Peer::Group { .. } => vec![
                    "let eth0 = unsafe { libc::if_nametoindex(c\"eth0\".as_ptr()) };".to_string(),
                ],
                _ => vec![],
            },
            bind: Some("n".to_string()),
            expr: format!("{name}.send_to({}, {})", data(d), peer(to, addressing)),
        },
        Call::RecvFrom { name, bufsize } => Parts {
            setup: vec![format!("let mut buf = [MaybeUninit::new(0u8); {bufsize}];")],
            bind: Some("(n, addr)".to_string()),
            expr: format!("{name}.recv_from(&mut buf)"),
        },
        // Written out as a loop in `statements`.
        Call::RecvAll { name, .. } => plain(format!("(&{name}).read(&mut buf)")),
        Call::Close { name } => plain(format!("drop({name})")),
        Call::SetSockOpt {
            name,
            option,
            value,
        } => plain(match option {
            SockOpt::ReuseAddr => format!("{name}.set_reuse_address({})", *value != 0),
            SockOpt::Broadcast => format!("{name}.set_broadcast({})", *value != 0),
            SockOpt::RcvBuf => format!("{name}.set_recv_buffer_size({value})"),
            SockOpt::SndBuf => format!("{name}.set_send_buffer_size({value})"),
            SockOpt::MaxSeg => format!("{name}.set_tcp_mss({value})"),
        }),
        Call::SetCongestion { name, algorithm } => {
            plain(format!("{name}.set_tcp_congestion(b\"{algorithm}\")"))
        }
        // Settimeout is two calls in Rust; `statements` writes both.
        Call::SetTimeout { name, seconds } => plain(format!(
            "{name}.set_read_timeout(Some(Duration::from_secs_f64({seconds:?})))"
        )),
        Call::JoinGroup { name, addr, .. } => {
            plain(format!("{name}.join_multicast_v6(&\"{addr}\".parse()?, 0)"))
        }
    }
}

/// The lines that handle the error of a call the lesson shows failing:
/// it is printed, and the program goes on, as the lesson does.
fn handled(expr: &str) -> Vec<String> {
    vec![
        format!("if let Err(e) = {expr} {{"),
        "    println!(\"Err: {e}\");".to_string(),
        "}".to_string(),
    ]
}

/// The Rust statements for a call. `fails`: the lesson shows the error the
/// call returns, so the error is printed where a `?` would have ended the
/// program.
pub fn statements(call: &Call, addressing: &Addressing, fails: bool) -> Vec<String> {
    match call {
        Call::RecvAll { name, bufsize } => {
            let read = if fails {
                vec![
                    format!("    let n = match (&{name}).read(&mut buf) {{"),
                    "        Ok(n) => n,".to_string(),
                    "        Err(e) => {".to_string(),
                    "            println!(\"Err: {e}\");".to_string(),
                    "            break;".to_string(),
                    "        }".to_string(),
                    "    };".to_string(),
                ]
            } else {
                vec![format!("    let n = (&{name}).read(&mut buf)?;")]
            };
            let mut lines = vec![
                "let mut received = Vec::new();".to_string(),
                format!("let mut buf = [0u8; {bufsize}];"),
                "loop {".to_string(),
            ];
            lines.extend(read);
            lines.extend(
                [
                    "    if n == 0 {",
                    "        break;",
                    "    }",
                    "    received.extend_from_slice(&buf[..n]);",
                    "}",
                ]
                .map(String::from),
            );
            lines
        }
        // Dropping a socket closes it; it cannot fail.
        Call::Close { name } => vec![format!("drop({name}); // close(2)")],
        Call::SetTimeout { name, seconds } => {
            let write =
                format!("{name}.set_write_timeout(Some(Duration::from_secs_f64({seconds:?})))");
            let read = parts(call, addressing).expr;
            if fails {
                [handled(&read), handled(&write)].concat()
            } else {
                vec![format!("{read}?;"), format!("{write}?;")]
            }
        }
        _ => {
            let Parts { setup, bind, expr } = parts(call, addressing);
            let mut lines = setup;
            match (fails, bind) {
                (true, _) => lines.extend(handled(&expr)),
                (false, Some(bind)) => lines.push(format!("let {bind} = {expr}?;")),
                (false, None) => lines.push(format!("{expr}?;")),
            }
            lines
        }
    }
}

/// A result socklab shows as a comment after a call, and the lines that
/// print the same in a program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub comment: String,
    pub print: Vec<String>,
}

/// What a call returned, as comments, and as the lines that print them.
pub fn results(outcome: &Outcome) -> Vec<Shown> {
    let shown = |comment: String, print: &[&str]| Shown {
        comment,
        print: print.iter().map(|l| l.to_string()).collect(),
    };
    match outcome {
        Outcome::Nothing | Outcome::Connected { .. } => vec![],
        Outcome::Accepted { peer } => vec![shown(
            format!("addr == {peer}"),
            &["println!(\"addr == {}\", addr.as_socket().unwrap());"],
        )],
        Outcome::Sent { bytes: n } => {
            vec![shown(format!("n == {n}"), &["println!(\"n == {n}\");"])]
        }
        Outcome::Received { data } if data.len() > LONG_DATA => vec![shown(
            format!("n == {}: {}…", data.len(), bytes(&data.head()[..16])),
            &["println!(\"n == {n}: b\\\"{}\\\"…\", buf[..16].escape_ascii());"],
        )],
        Outcome::Received { data } => vec![shown(
            format!("n == {}: {}", data.len(), bytes(data.head())),
            &["println!(\"n == {n}: b\\\"{}\\\"\", buf[..n].escape_ascii());"],
        )],
        Outcome::ReceivedFrom { data, from } => {
            // recv_from() wrote the first n bytes of a buffer of
            // MaybeUninit; reading them back says so.
            let (shown_data, upto, more) = if data.len() > LONG_DATA {
                (&data.head()[..16], "16", "…")
            } else {
                (data.head(), "n", "")
            };
            vec![Shown {
                comment: format!(
                    "n == {}: {}{more}, addr == {from}",
                    data.len(),
                    bytes(shown_data)
                ),
                print: vec![
                    "// SAFETY: recv_from() wrote the first n bytes of buf.".to_string(),
                    format!(
                        "let data: Vec<u8> = buf[..{upto}].iter().map(|b| unsafe {{ b.assume_init() }}).collect();"
                    ),
                    format!(
                        "println!(\"n == {{n}}: b\\\"{{}}\\\"{more}, addr == {{}}\", data.escape_ascii(), addr.as_socket().unwrap());"
                    ),
                ],
            }]
        }
        Outcome::ReceivedAll { data, .. } => vec![shown(
            format!("received.len() == {}", data.len()),
            &["println!(\"received.len() == {}\", received.len());"],
        )],
    }
}

/// The socket2 version socklab is built with, which the code shown is
/// written for (checked against Cargo.lock by a test).
pub const SOCKET2_VERSION: &str = "0.6.5";

/// The `use` lines a program made of these lines of code needs.
pub fn uses(code: &[String]) -> Vec<String> {
    let has = |token: &str| code.iter().any(|l| l.contains(token));
    let mut lines = vec!["use socket2::{Domain, Socket, Type};".to_string()];
    let group = |path: &str, names: &[&str]| match names {
        [] => None,
        [one] => Some(format!("use {path}::{one};")),
        many => Some(format!("use {path}::{{{}}};", many.join(", "))),
    };
    let io: Vec<&str> = [("Read", ".read"), ("Write", ".write_all(")]
        .into_iter()
        .filter(|(_, token)| has(token))
        .map(|(name, _)| name)
        .collect();
    lines.extend(group("std::io", &io));
    if has("MaybeUninit") {
        lines.push("use std::mem::MaybeUninit;".to_string());
    }
    let net: Vec<&str> = [
        ("Ipv4Addr", "Ipv4Addr"),
        ("Ipv6Addr", "Ipv6Addr"),
        ("SocketAddr", "SocketAddr::"),
        ("SocketAddrV6", "SocketAddrV6::"),
    ]
    .into_iter()
    .filter(|(_, token)| has(token))
    .map(|(name, _)| name)
    .collect();
    lines.extend(group("std::net", &net));
    if has("Duration::") {
        lines.push("use std::time::Duration;".to_string());
    }
    lines
}

/// The functions of its own a program made of these lines needs: std has
/// no ctime().
pub fn helpers(code: &[String]) -> Vec<String> {
    if !code.iter().any(|l| l.contains("ctime_now()")) {
        return vec![];
    }
    [
        "/// The local time as C's ctime(3) writes it, without its newline:",
        "/// \"Sun Nov 29 07:32:27 2026\".",
        "fn ctime_now() -> String {",
        "    let mut buf = [0u8; 64];",
        "    // SAFETY: time, localtime_r and strftime write only into the",
        "    // buffers they are given.",
        "    let n = unsafe {",
        "        let now = libc::time(std::ptr::null_mut());",
        "        let mut tm: libc::tm = std::mem::zeroed();",
        "        libc::localtime_r(&now, &mut tm);",
        "        libc::strftime(",
        "            buf.as_mut_ptr().cast(),",
        "            buf.len(),",
        "            c\"%a %b %e %H:%M:%S %Y\".as_ptr(),",
        "            &tm,",
        "        )",
        "    };",
        "    String::from_utf8_lossy(&buf[..n]).into_owned()",
        "}",
    ]
    .map(String::from)
    .to_vec()
}

/// The `[dependencies]` of a program made of these lines (with its
/// helpers), as Cargo.toml writes them.
pub fn dependencies(code: &[String]) -> Vec<String> {
    let mut lines = vec![format!(
        "socket2 = {{ version = \"{SOCKET2_VERSION}\", features = [\"all\"] }}"
    )];
    if code.iter().any(|l| l.contains("libc::")) {
        lines.push("libc = \"0.2\"".to_string());
    }
    lines
}

/// A byte string as Rust writes it: `b"hi"`, `b"h\xc3\xa9"` (what
/// `escape_ascii()` prints, between `b"` and `"`).
pub fn bytes(data: &[u8]) -> String {
    format!("b\"{}\"", data.escape_ascii())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_read_as_socket2() {
        let bind = Call::Bind {
            name: "server".into(),
            address: String::new(),
            port: 5000,
        };
        assert_eq!(
            statements(&bind, &Family::V4.into(), false),
            ["server.bind(&SocketAddr::from((Ipv4Addr::UNSPECIFIED, 5000)).into())?;"]
        );
        let send = Call::Send {
            name: "client".into(),
            data: Payload {
                text: "héllo".into(),
                repeat: 1,
                clock: false,
                file: None,
            },
            all: true,
        };
        assert_eq!(
            statements(&send, &Family::V4.into(), false),
            ["(&client).write_all(\"héllo\".as_bytes())?;"]
        );
    }

    #[test]
    fn an_error_the_lesson_shows_is_printed_and_the_program_goes_on() {
        let connect = Call::Connect {
            name: "client".into(),
            peer: Peer::Port {
                actor: "server".into(),
                port: 6000,
            },
        };
        assert_eq!(
            statements(&connect, &Family::V4.into(), true),
            [
                "if let Err(e) = client.connect(&SocketAddr::from((Ipv4Addr::LOCALHOST, 6000)).into()) {",
                "    println!(\"Err: {e}\");",
                "}",
            ]
        );
        let recv = Call::Recv {
            name: "udp".into(),
            bufsize: 1024,
            waitall: false,
        };
        assert_eq!(
            statements(&recv, &Family::V4.into(), true),
            [
                "let mut buf = [0u8; 1024];",
                "if let Err(e) = (&udp).read(&mut buf) {",
                "    println!(\"Err: {e}\");",
                "}",
            ]
        );
    }

    #[test]
    fn a_program_gets_the_uses_and_helpers_its_lines_need() {
        let code: Vec<String> = [
            "let mut buf = [MaybeUninit::new(0u8); 1024];",
            "let n = server.send_to(ctime_now().as_bytes(), &SocketAddr::from((Ipv4Addr::LOCALHOST, 7788)).into())?;",
            "let n = (&conn).read(&mut buf)?;",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            uses(&code),
            [
                "use socket2::{Domain, Socket, Type};",
                "use std::io::Read;",
                "use std::mem::MaybeUninit;",
                "use std::net::{Ipv4Addr, SocketAddr};",
            ]
        );
        let helpers = helpers(&code);
        assert!(helpers.iter().any(|l| l == "fn ctime_now() -> String {"));
        assert_eq!(
            dependencies(&[code, helpers].concat()),
            [
                "socket2 = { version = \"0.6.5\", features = [\"all\"] }",
                "libc = \"0.2\""
            ]
        );
    }

    #[test]
    fn the_socket2_version_is_the_one_socklab_is_built_with() {
        let lock = include_str!("../../Cargo.lock");
        let entry = format!("name = \"socket2\"\nversion = \"{SOCKET2_VERSION}\"");
        assert!(lock.contains(&entry), "Cargo.lock has no {entry}");
    }

    #[test]
    fn results_print_what_the_comments_say() {
        let got = results(&Outcome::Received {
            data: crate::lesson::Bytes::new(b"hi\n"),
        });
        assert_eq!(got[0].comment, "n == 3: b\"hi\\n\"");
        let long = results(&Outcome::Received {
            data: crate::lesson::Bytes::new(&[b'x'; 3000]),
        });
        assert_eq!(
            long[0].comment,
            format!("n == 3000: b\"{}\"…", "x".repeat(16))
        );
    }

    #[test]
    fn bytes_look_like_rust() {
        assert_eq!(bytes(b"hi\n"), "b\"hi\\n\"");
        assert_eq!(bytes("é".as_bytes()), "b\"\\xc3\\xa9\"");
    }
}
