//! A screencast of a run, in asciicast v2 (the format of asciinema's
//! recorder and player: a JSON header line, then one `[time, "o", text]`
//! line per output and a `[time, "m", label]` marker per step), made from
//! the same events and text the terminal shows. Time is the reader's, not
//! the run's: each packet comes `pace` seconds after the one before, so a
//! slide or a web page plays the lesson at a readable speed, and a player's
//! markers jump from step to step.

use std::fmt::Write as _;
use std::path::PathBuf;

use super::text::Text;
use crate::event::{Event, Halt, Observer, Wait};

/// The terminal a cast is drawn for: the ladder's 80 columns.
const WIDTH: usize = 80;
const HEIGHT: usize = 30;

pub struct Cast {
    text: Text,
    path: PathBuf,
    /// Seconds between two packets.
    pace: f64,
    /// The cast's clock, in seconds.
    time: f64,
    title: String,
    /// The event lines, after the header.
    lines: String,
}

impl Cast {
    pub fn new(text: Text, path: PathBuf, pace: f64) -> Cast {
        Cast {
            text,
            path,
            pace: if pace.is_finite() && pace >= 0.0 {
                pace
            } else {
                1.0
            },
            time: 0.0,
            title: "socklab".into(),
            lines: String::new(),
        }
    }

    fn line(&mut self, kind: &str, data: &str) {
        let event = serde_json::json!([(self.time * 1e6).round() / 1e6, kind, data]);
        let _ = writeln!(self.lines, "{event}");
    }

    fn output(&mut self, blocks: Vec<super::text::Block>) {
        for block in blocks {
            if block.pause.is_some() {
                self.time += self.pace;
            }
            let mut data = String::new();
            for line in &block.lines {
                data.push_str(line);
                data.push_str("\r\n");
            }
            if !data.is_empty() {
                self.line("o", &data);
            }
        }
    }
}

impl Observer for Cast {
    fn see(&mut self, event: &Event) {
        match event {
            Event::Lesson(start) => {
                self.title = format!("socklab · {}", self.text.prose(&start.title))
            }
            Event::Capture(start) => self.title = format!("socklab · {}", start.source),
            Event::Step(step) => {
                if step.step > 1 {
                    self.time += self.pace;
                }
                let label = format!("Step {} · {}", step.step, self.text.prose(&step.title));
                self.line("m", &label);
            }
            _ => {}
        }
        let blocks = self.text.present(event);
        self.output(blocks);
    }

    fn waited(&mut self, _wait: Wait) {
        self.time += self.pace;
    }

    fn finish(&mut self) -> Result<(), Halt> {
        let blocks = self.text.finish();
        self.output(blocks);
        let timestamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let header = serde_json::json!({
            "version": 2,
            "width": WIDTH,
            "height": HEIGHT,
            "timestamp": timestamp,
            "title": self.title,
            "env": { "TERM": "xterm-256color" },
        });
        let text = format!("{header}\n{}", self.lines);
        std::fs::write(&self.path, text).map_err(|source| Halt::Export {
            path: self.path.clone(),
            source,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::StepStart;
    use crate::render::Painter;
    use crate::render::text::TextOptions;

    #[test]
    fn a_cast_has_a_header_outputs_and_a_marker_per_step() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.cast");
        let text = Text::new(TextOptions {
            painter: Painter::new(false),
            lang: super::super::code::Lang::Python,
            all_packets: false,
            fold_losses: false,
            data: false,
            live: false,
        });
        let mut cast = Cast::new(text, path.clone(), 0.5);
        for step in 1..=2 {
            cast.see(&Event::Step(StepStart {
                step,
                total: 2,
                title: format!("Step title {step}"),
                text: "Some prose.".into(),
                check: None,
            }));
            cast.waited(Wait::RunCode);
        }
        cast.finish().unwrap();
        let written = std::fs::read_to_string(&path).unwrap();
        let mut lines = written.lines();
        let header: serde_json::Value = serde_json::from_str(lines.next().unwrap()).unwrap();
        assert_eq!(header["version"], 2);
        let events: Vec<serde_json::Value> =
            lines.map(|l| serde_json::from_str(l).unwrap()).collect();
        let markers: Vec<&str> = events
            .iter()
            .filter(|e| e[1] == "m")
            .map(|e| e[2].as_str().unwrap())
            .collect();
        assert_eq!(markers, ["Step 1 · Step title 1", "Step 2 · Step title 2"]);
        let times: Vec<f64> = events.iter().map(|e| e[0].as_f64().unwrap()).collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
        assert!(events.iter().any(|e| e[1] == "o"));
    }
}
