//! What a step expects on the wire, written as `client > server SYN`.
//!
//! Grammar: `FROM > TO WHAT`, where FROM and TO are actors and WHAT is
//! `UDP` (one datagram), `ICMP` (a port unreachable), or TCP flags
//! (with `win=0` for a segment that closes the window) (`SYN`, `ACK`, `FIN`, `RST`,
//! `PSH`), optionally followed by `data` when the segment carries payload.
//! TCP flags are matched exactly, except that PSH is ignored unless written:
//! whether the kernel sets PSH is not something a lesson should hinge on.

use crate::packet::{Packet, TcpFlags, Transport};
use crate::t;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expectation {
    pub from: String,
    pub to: String,
    pub kind: WireKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireKind {
    /// `zero_window`: the segment must advertise a window of 0 (`win=0`).
    Tcp {
        flags: TcpFlags,
        data: bool,
        zero_window: bool,
    },
    Udp,
    /// An ICMP port unreachable.
    Icmp,
}

impl Expectation {
    pub fn parse(text: &str, actors: &[String]) -> Result<Expectation, String> {
        let words: Vec<&str> = text.split_whitespace().collect();
        let [from, ">", to, what @ ..] = words.as_slice() else {
            return Err(t!("check-expect-grammar", text = text));
        };
        for actor in [from, to] {
            if !actors.iter().any(|a| a == actor) {
                return Err(t!(
                    "check-expect-actor",
                    text = text,
                    name = *actor,
                    actors = crate::i18n::listed(actors)
                ));
            }
        }
        if from == to {
            return Err(t!("check-expect-itself", text = text, name = *from));
        }
        let kind = match what {
            [] => {
                return Err(t!("check-expect-empty", text = text));
            }
            ["UDP"] => WireKind::Udp,
            ["ICMP"] => WireKind::Icmp,
            words => {
                let mut flags = TcpFlags::default();
                let mut data = false;
                let mut zero_window = false;
                for word in words {
                    match *word {
                        "data" => data = true,
                        "win=0" => zero_window = true,
                        flag => {
                            let bit = TcpFlags::from_name(flag)
                                .ok_or_else(|| t!("check-expect-flag", flag = flag, text = text))?;
                            flags = flags | bit;
                        }
                    }
                }
                WireKind::Tcp {
                    flags,
                    data,
                    zero_window,
                }
            }
        };
        Ok(Expectation {
            from: from.to_string(),
            to: to.to_string(),
            kind,
        })
    }

    /// Whether a packet between these actors is the one expected.
    pub fn matches(&self, from: &str, to: &str, packet: &Packet) -> bool {
        if from != self.from || to != self.to {
            return false;
        }
        match (&self.kind, &packet.transport) {
            (WireKind::Udp, Transport::Udp { .. }) => true,
            (WireKind::Icmp, Transport::PortUnreachable) => true,
            (
                WireKind::Tcp {
                    flags,
                    data,
                    zero_window,
                },
                Transport::Tcp(seg),
            ) => {
                let seen = if flags.contains(TcpFlags::PSH) {
                    seg.flags
                } else {
                    seg.flags.without(TcpFlags::PSH)
                };
                seen == *flags
                    && (seg.payload_len > 0) == *data
                    && (!zero_window || seg.window == 0)
            }
            _ => false,
        }
    }
}

/// How [`Expectation`]'s text marks a packet that carries data. The text
/// is also data (an exercise's JSON failure has it as it is); said to a
/// learner, it goes through [`in_words`].
const WITH_DATA: &str = " with data";

/// An expectation's text (its `Display`) in the learner's language.
pub fn in_words(expected: &str) -> String {
    match expected.split_once(WITH_DATA) {
        Some((head, tail)) => format!("{head}{}{tail}", t!("expect-with-data")),
        None => expected.to_string(),
    }
}

impl std::fmt::Display for Expectation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.kind {
            WireKind::Udp => write!(f, "{} > {} UDP", self.from, self.to),
            WireKind::Icmp => write!(f, "{} > {} ICMP", self.from, self.to),
            WireKind::Tcp {
                flags,
                data,
                zero_window,
            } => write!(
                f,
                "{} > {} {}{}{}",
                self.from,
                self.to,
                flags,
                if data { WITH_DATA } else { "" },
                if zero_window { " win=0" } else { "" }
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actors() -> Vec<String> {
        vec!["client".into(), "server".into()]
    }

    #[test]
    fn parses_flags_in_any_order() {
        let e = Expectation::parse("server > client ACK SYN", &actors()).unwrap();
        assert_eq!(
            e.kind,
            WireKind::Tcp {
                flags: TcpFlags::SYN | TcpFlags::ACK,
                data: false,
                zero_window: false,
            }
        );
        assert_eq!(e.to_string(), "server > client SYN,ACK");
    }

    #[test]
    fn parses_udp_and_data() {
        let actors = actors();
        assert_eq!(
            Expectation::parse("client > server UDP", &actors)
                .unwrap()
                .kind,
            WireKind::Udp
        );
        let e = Expectation::parse("client > server ACK data", &actors).unwrap();
        assert_eq!(
            e.kind,
            WireKind::Tcp {
                flags: TcpFlags::ACK,
                data: true,
                zero_window: false,
            }
        );
    }

    #[test]
    fn rejects_unknown_words() {
        let actors = actors();
        for (bad, needle) in [
            ("client server SYN", "FROM > TO"),
            ("client > nobody SYN", "nobody"),
            ("client > server SYNN", "SYNN"),
            ("client > server", "says nothing"),
            ("client > client ACK", "itself"),
        ] {
            let err = Expectation::parse(bad, &actors).unwrap_err();
            assert!(err.contains(needle), "{bad}: {err}");
        }
    }
}
