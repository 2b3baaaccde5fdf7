//! The ladder as a Mermaid sequence diagram, for Markdown and slides: one
//! participant per actor, one arrow per packet (or per summary row), and
//! the TCP states as notes where they change.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::fold::{Folder, Item, Shown, Summary};
use super::ladder::{Columns, label, sentence};
use crate::event::Event;
use crate::track::Row;

/// Collects what the ladder shows, from the events, then writes it as
/// Mermaid.
#[derive(Debug, Default)]
pub struct Mermaid {
    /// Folds long runs as the ladder does.
    folder: Folder,
    /// The columns' actors, in their order.
    actors: Vec<String>,
    /// Participants by their position in the lesson, with their address.
    participants: BTreeMap<usize, (String, String)>,
    lines: Vec<String>,
}

/// Mermaid treats `;` and `#` specially in message text.
fn text(s: &str) -> String {
    s.replace(';', ",").replace('#', "no. ")
}

impl Mermaid {
    /// Folding long runs as the ladder does with the same options.
    pub fn new(all_packets: bool, fold_losses: bool) -> Mermaid {
        Mermaid {
            folder: Folder::new(all_packets, fold_losses),
            ..Mermaid::default()
        }
    }

    /// One more event of the run.
    pub fn see(&mut self, event: &Event) {
        let shown = match event {
            Event::Lesson(start) => {
                self.actors = start.actors.clone();
                return;
            }
            Event::Capture(_) => {
                self.actors = vec!["client".into(), "server".into()];
                return;
            }
            Event::Packet(packet) => {
                let position = |actor: &str| {
                    self.actors
                        .iter()
                        .position(|a| a == actor)
                        .unwrap_or(usize::MAX)
                };
                let columns = super::text::columns(
                    (&packet.from, position(&packet.from)),
                    (&packet.to, position(&packet.to)),
                    &packet.row,
                );
                self.folder.push(Item {
                    row: packet.row.clone(),
                    columns,
                    since: std::time::Duration::ZERO,
                    fate: packet.fate,
                })
            }
            // What hold mode shows between packets does not end a run.
            Event::Held(_) | Event::LetGo(_) => return,
            // A congestion reading between round trips: the run goes on.
            Event::Congestion(_) => self.folder.pause(),
            _ => self.folder.end_run(),
        };
        for shown in shown {
            match shown {
                Shown::Packet(item) => self.row(&item.columns, &item.row),
                Shown::Summary(summary) => self.summary(&summary),
            }
        }
    }

    fn meet(&mut self, cols: &Columns) {
        for side in [&cols.left, &cols.right] {
            self.participants
                .entry(side.actor_index)
                .or_insert_with(|| (side.actor.clone(), side.addr.to_string()));
        }
    }

    /// One packet as the ladder drew it.
    fn row(&mut self, cols: &Columns, row: &Row) {
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
    fn summary(&mut self, run: &Summary) {
        let cols = &run.columns;
        self.meet(cols);
        let (from, to) = if run.from_left * 2 >= run.count {
            (&cols.left.actor, &cols.right.actor)
        } else {
            (&cols.right.actor, &cols.left.actor)
        };
        self.lines.push(format!(
            "    {from}-->>{to}: {} packets of data and ACKs (summarised)",
            run.count
        ));
    }

    /// The diagram's source, once every event is in.
    pub fn render(&mut self) -> String {
        for shown in self.folder.end_run() {
            match shown {
                Shown::Packet(item) => self.row(&item.columns, &item.row),
                Shown::Summary(summary) => self.summary(&summary),
            }
        }
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

/// A Mermaid diagram of the run, written to a file at its end.
pub struct MermaidFile {
    pub diagram: Mermaid,
    pub path: std::path::PathBuf,
}

impl crate::event::Observer for MermaidFile {
    fn see(&mut self, event: &Event) {
        self.diagram.see(event);
    }

    fn finish(&mut self) -> Result<(), crate::event::Halt> {
        std::fs::write(&self.path, self.diagram.render()).map_err(|source| {
            crate::event::Halt::Export {
                path: self.path.clone(),
                source,
            }
        })
    }
}
