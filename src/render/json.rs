//! `--format json`, schema version 1 (README, "JSON output"): one object
//! per line, the same shapes for `run`, `replay` and `watch`.

use serde_json::{Map, Value, json};

use crate::packet::Transport;
use crate::track::{Note, Row};

/// Raised when the meaning of a key changes; new keys may come within it.
pub const VERSION: u32 = 1;

/// An event: `v` and `event` first, then `fields` (a JSON object).
pub fn event(kind: &str, fields: Value) -> Value {
    let mut object = Map::new();
    object.insert("v".into(), VERSION.into());
    object.insert("event".into(), kind.into());
    extend(&mut object, fields);
    Value::Object(object)
}

/// `fields` (a JSON object) added to `event`.
pub fn with(mut event: Value, fields: Value) -> Value {
    if let Some(object) = event.as_object_mut() {
        extend(object, fields);
    }
    event
}

fn extend(object: &mut Map<String, Value>, fields: Value) {
    if let Value::Object(fields) = fields {
        object.extend(fields);
    }
}

/// A packet as the tracker explained it.
pub fn packet(row: &Row) -> Value {
    let p = &row.packet;
    let common = event(
        "packet",
        json!({
            "frame": p.frame,
            "time": p.at.as_secs_f64(),
            "src": p.src.to_string(),
            "dst": p.dst.to_string(),
            "conversation": row.conversation,
            "notes": row.notes.iter().map(Note::kind).collect::<Vec<_>>(),
        }),
    );
    let fields = match (&p.transport, &row.tcp) {
        (Transport::Tcp(_), Some(tcp)) => json!({
            "proto": "tcp",
            "flags": tcp.flags.to_string(),
            "seq": tcp.rel_seq,
            "ack": tcp.rel_ack,
            "len": tcp.len,
            "win": tcp.window,
            "sender_state": tcp.sender.after.to_string(),
            "receiver_state": tcp.receiver.after.to_string(),
        }),
        (
            Transport::Udp {
                payload_len,
                broadcast,
                multicast,
            },
            _,
        ) => json!({
            "proto": "udp",
            "len": payload_len,
            "broadcast": broadcast,
            "multicast": multicast,
        }),
        (Transport::Resolution { reply, .. }, _) => json!({
            "proto": if p.src.is_ipv6() { "ndp" } else { "arp" },
            "reply": reply,
        }),
        (
            Transport::Fragment {
                offset,
                len,
                more,
                protocol,
            },
            _,
        ) => json!({
            "proto": "ip_fragment",
            "ip_proto": protocol,
            "offset": offset,
            "len": len,
            "more": more,
        }),
        (Transport::Icmp(icmp), _) => json!({
            "proto": if icmp.v6 { "icmpv6" } else { "icmp" },
            "what": icmp.to_string(),
        }),
        _ => json!({ "proto": "icmp" }),
    };
    with(common, fields)
}
