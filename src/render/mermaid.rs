//! The ladder as a Mermaid sequence diagram, for Markdown and slides: one
//! participant per actor, one arrow per packet (or per summary row), and
//! the TCP states as notes where they change.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::ladder::{Columns, label, sentence};
use crate::track::Row;

/// Collects what the ladder showed, then writes it as Mermaid.
#[derive(Debug, Default)]
pub struct Mermaid {
    /// Participants by their position in the lesson, with their address.
    participants: BTreeMap<usize, (String, String)>,
    lines: Vec<String>,
}

/// Mermaid treats `;` and `#` specially in message text.
fn text(s: &str) -> String {
    s.replace(';', ",").replace('#', "no. ")
}

impl Mermaid {
    fn meet(&mut self, cols: &Columns) {
        for side in [&cols.left, &cols.right] {
            self.participants
                .entry(side.actor_index)
                .or_insert_with(|| (side.actor.clone(), side.addr.to_string()));
        }
    }

    /// One packet as the ladder drew it.
    pub fn row(&mut self, cols: &Columns, row: &Row) {
        self.meet(cols);
        let (from, to) = if row.packet.src == cols.left.addr {
            (&cols.left.actor, &cols.right.actor)
        } else {
            (&cols.right.actor, &cols.left.actor)
        };
        self.lines
            .push(format!("    {from}->>{to}: {}", text(&label(row))));
        if let Some(note) = row.notes.first() {
            let line = text(&sentence(note, from, to, true));
            self.lines
                .push(format!("    Note over {from},{to}: {line}"));
        }
        if let Some(tcp) = &row.tcp {
            for (who, change) in [(from, tcp.sender), (to, tcp.receiver)] {
                if change.before != change.after {
                    self.lines
                        .push(format!("    Note over {who}: {}", change.after));
                }
            }
        }
    }

    /// Several packets summarised in one arrow.
    pub fn summary(&mut self, cols: &Columns, rows: &[Row]) {
        self.meet(cols);
        let from_left = rows
            .iter()
            .filter(|r| r.packet.src == cols.left.addr)
            .count();
        let (from, to) = if from_left * 2 >= rows.len() {
            (&cols.left.actor, &cols.right.actor)
        } else {
            (&cols.right.actor, &cols.left.actor)
        };
        self.lines.push(format!(
            "    {from}-->>{to}: {} packets of data and ACKs (summarised)",
            rows.len()
        ));
    }

    /// The diagram's source.
    pub fn render(&self) -> String {
        let mut out = String::from("sequenceDiagram\n");
        for (name, addr) in self.participants.values() {
            let _ = writeln!(out, "    participant {name} as {name} {addr}");
        }
        for line in &self.lines {
            let _ = writeln!(out, "{line}");
        }
        out
    }
}
