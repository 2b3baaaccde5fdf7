//! The lessons compiled into the binary, so `socklab run tcp-handshake`
//! works from any folder. A unit test checks this list against `lessons/`.

pub const BUILTIN: &[(&str, &str)] = &[
    (
        "tcp-handshake.toml",
        include_str!("../../lessons/tcp-handshake.toml"),
    ),
    (
        "tcp-close.toml",
        include_str!("../../lessons/tcp-close.toml"),
    ),
    (
        "udp-datagram.toml",
        include_str!("../../lessons/udp-datagram.toml"),
    ),
];
