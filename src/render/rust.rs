//! Socket calls shown as Rust with the socket2 crate: the same calls, one
//! for one, that socklab makes to run the lesson.

use crate::lesson::{Addressing, Call, Family, Payload, Peer, SockOpt, SockType};

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
    if data.clock {
        // std has no ctime(); the bytes are those of C's ctime(3).
        return "ctime_now().as_bytes()".to_string();
    }
    let text = format!("{:?}", data.text);
    if data.repeat > 1 {
        format!("{text}.repeat({}).as_bytes()", data.repeat)
    } else {
        format!("{text}.as_bytes()")
    }
}

/// The Rust statements for a call.
pub fn statements(call: &Call, addressing: &Addressing) -> Vec<String> {
    let family = addressing.family;
    match call {
        Call::Socket { name, kind, .. } => vec![format!(
            "let {name} = Socket::new(Domain::{}, Type::{}, None)?;",
            match family {
                Family::V4 => "IPV4",
                Family::V6 => "IPV6",
            },
            match kind {
                SockType::Stream => "STREAM",
                SockType::Datagram => "DGRAM",
            }
        )],
        Call::Bind {
            name,
            address,
            port,
        } => vec![format!(
            "{name}.bind({})?;",
            addr(family, address.is_empty(), *port)
        )],
        Call::Listen { name, backlog } => vec![format!("{name}.listen({backlog})?;")],
        Call::Connect { name, peer: to } => {
            vec![format!("{name}.connect({})?;", peer(to, addressing))]
        }
        Call::Accept { name, new } => vec![format!("let ({new}, addr) = {name}.accept()?;")],
        Call::Send {
            name,
            data: d,
            all: false,
        } => vec![format!("{name}.send({})?;", data(d))],
        Call::Send {
            name,
            data: d,
            all: true,
        } => vec![format!("(&{name}).write_all({})?;", data(d))],
        Call::Recv { name, bufsize } => vec![
            format!("let mut buf = [0u8; {bufsize}];"),
            format!("let n = (&{name}).read(&mut buf)?;"),
        ],
        Call::SendTo {
            name,
            data: d,
            peer: to,
        } => {
            let mut lines = Vec::new();
            if let Peer::Group { .. } = to {
                // The scope of a link-local group: eth0's interface index.
                lines.push("let eth0 = nix::net::if_::if_nametoindex(\"eth0\")?;".to_string());
            }
            lines.push(format!(
                "{name}.send_to({}, {})?;",
                data(d),
                peer(to, addressing)
            ));
            lines
        }
        Call::RecvFrom { name, bufsize } => vec![
            format!("let mut buf = [MaybeUninit::new(0u8); {bufsize}];"),
            format!("let (n, addr) = {name}.recv_from(&mut buf)?;"),
        ],
        Call::RecvAll { name, .. } => vec![
            "let mut received = Vec::new();".to_string(),
            format!("(&{name}).read_to_end(&mut received)?;"),
        ],
        Call::Close { name } => vec![format!("drop({name}); // close(2)")],
        Call::SetSockOpt {
            name,
            option,
            value,
        } => vec![match option {
            SockOpt::ReuseAddr => format!("{name}.set_reuse_address({})?;", *value != 0),
            SockOpt::Broadcast => format!("{name}.set_broadcast({})?;", *value != 0),
            SockOpt::RcvBuf => format!("{name}.set_recv_buffer_size({value})?;"),
            SockOpt::SndBuf => format!("{name}.set_send_buffer_size({value})?;"),
            SockOpt::MaxSeg => format!("{name}.set_tcp_mss({value})?;"),
        }],
        Call::SetTimeout { name, seconds } => vec![
            format!("{name}.set_read_timeout(Some(Duration::from_secs_f64({seconds:?})))?;"),
            format!("{name}.set_write_timeout(Some(Duration::from_secs_f64({seconds:?})))?;"),
        ],
        Call::JoinGroup { name, addr, .. } => {
            vec![format!(
                "{name}.join_multicast_v6(&\"{addr}\".parse()?, 0)?;"
            )]
        }
    }
}

/// A byte string as Rust writes it: `b"hi"`, `b"h\xc3\xa9"`; long data
/// by its first bytes.
pub fn bytes(data: &[u8]) -> String {
    let shown = &data[..data.len().min(32)];
    let mut out = String::from("b\"");
    for &b in shown {
        out.extend(std::ascii::escape_default(b).map(char::from));
    }
    out.push('"');
    if data.len() > shown.len() {
        out.push('…');
    }
    out
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
            statements(&bind, &Family::V4.into()),
            ["server.bind(&SocketAddr::from((Ipv4Addr::UNSPECIFIED, 5000)).into())?;"]
        );
        let send = Call::Send {
            name: "client".into(),
            data: Payload {
                text: "héllo".into(),
                repeat: 1,
                clock: false,
            },
            all: true,
        };
        assert_eq!(
            statements(&send, &Family::V4.into()),
            ["(&client).write_all(\"héllo\".as_bytes())?;"]
        );
    }

    #[test]
    fn bytes_look_like_rust() {
        assert_eq!(bytes(b"hi\n"), "b\"hi\\n\"");
        assert_eq!(bytes("é".as_bytes()), "b\"\\xc3\\xa9\"");
        assert_eq!(bytes(&[b'x'; 40]), format!("b\"{}\"…", "x".repeat(32)));
    }
}
