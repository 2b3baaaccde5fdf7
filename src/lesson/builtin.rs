//! The lessons compiled into the binary, so `socklab run tcp-handshake`
//! works from any folder. A unit test checks this list against `lessons/`.

macro_rules! lessons {
    ($($file:literal),* $(,)?) => {
        &[$(($file, include_str!(concat!("../../lessons/", $file)))),*]
    };
}

macro_rules! exercises {
    ($($file:literal),* $(,)?) => {
        &[$(($file, include_str!(concat!("../../exercises/", $file)))),*]
    };
}

/// The exercises compiled into the binary (`socklab exercise list`); a
/// unit test checks this list against `exercises/`.
pub const BUILTIN_EXERCISES: &[(&str, &str)] = exercises![
    "echo-server.toml",
    "echo-client.toml",
    "multi-client-server.toml",
    "udp-time-server.toml",
    "udp-client.toml",
    "file-server.toml",
    "file-client.toml",
    "chat.toml",
];

pub const BUILTIN: &[(&str, &str)] = lessons![
    "tcp-handshake.toml",
    "tcp-close.toml",
    "udp-datagram.toml",
    "tcp-refused.toml",
    "tcp-time-wait.toml",
    "tcp-echo.toml",
    "tcp-stream-boundaries.toml",
    "udp-bind.toml",
    "udp-boundaries.toml",
    "udp-echo-time.toml",
    "tcp-multi-client.toml",
    "tcp-chat.toml",
    "udp-broadcast.toml",
    "tcp-file-download.toml",
    "tcp-flow-control.toml",
    "tcp-handshake-held.toml",
    "tcp-retransmission.toml",
    "checksum.toml",
    "udp-unreliable.toml",
    "tcp-fast-retransmit.toml",
    "tcp-congestion.toml",
    "tcp-duplicates.toml",
    "tcp-segmentation.toml",
    "udp-broadcast-lan.toml",
    "udp-multicast.toml",
];
