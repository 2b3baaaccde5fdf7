//! Recordings: a run kept as its events, to be shown again later
//! (`socklab run LESSON --record FILE`, then `socklab show FILE`), on a
//! machine where namespaces are not allowed, in another language of code,
//! stepping back and forth as in the live run.
//!
//! # Format, version 1
//!
//! A text file of JSON lines. The first line says what the file is:
//!
//! ```text
//! {"socklab":"recording","format":3,"version":"0.1.0","lesson":"tcp-close"}
//! ```
//!
//! Every later line is either one event, exactly as `--format json` writes
//! it (`{"v":4,"event":…}`, schema: `socklab schema`; packets also carry
//! their frame's bytes in `raw`), or a place where the live run waited for
//! the learner: `{"wait":"run_code"}`, `{"wait":"let_go"}`. A recording is
//! shown by reading its lines in order; nothing else is needed.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::event::{Event, Halt, Observer, Sink, Wait};
use crate::t;

/// The recording format this socklab writes and reads.
/// Format 2: events of version 3. Format 3: events of version 4 (with
/// `congestion` readings).
pub const FORMAT: u32 = 3;

/// The formats this socklab reads, with the event version each holds.
/// Version 4 only added an event (`congestion`) and a key that may be
/// absent (`capture`'s `congestion_unread`): events of version 3 mean the
/// same to it, so format 2 is read as it is.
const READS: [(u32, u32); 2] = [(2, 3), (FORMAT, crate::event::VERSION)];

/// The first line of a recording.
#[derive(Debug, Serialize, Deserialize)]
struct Header {
    /// Always `"recording"`: tells a recording from any other JSON file.
    socklab: String,
    format: u32,
    /// The socklab that made it.
    version: String,
    /// The lesson recorded.
    lesson: String,
}

/// A line after the header that is not an event.
#[derive(Debug, Serialize, Deserialize)]
struct WaitLine {
    wait: Wait,
}

#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error("{}", t!("error-cannot-read", path = .path.display().to_string(), error = .source.to_string()))]
    Io { path: PathBuf, source: io::Error },
    #[error("{}", t!("error-recording-empty", path = .path.display().to_string()))]
    Empty { path: PathBuf },
    #[error("{}", t!("error-not-a-recording", path = .path.display().to_string()))]
    NotARecording { path: PathBuf },
    #[error(
        "{}",
        t!(
            "error-recording-newer",
            path = .path.display().to_string(),
            version = .version.as_str(),
            format = *.format,
            supported = FORMAT
        )
    )]
    NewerFormat {
        path: PathBuf,
        format: u32,
        version: String,
    },
    #[error("{}", t!("error-recording-damaged", path = .path.display().to_string(), line = *.line, message = .message.as_str()))]
    Damaged {
        path: PathBuf,
        line: usize,
        message: String,
    },
}

/// Writes a recording as the run goes: every event and every wait, one
/// line each. The file is written under a temporary name and renamed at
/// the end, so that an interrupted run leaves no half recording.
pub struct Recorder {
    path: PathBuf,
    partial: PathBuf,
    out: Option<BufWriter<File>>,
    /// The first error, reported at the end.
    failed: Option<io::Error>,
}

impl Recorder {
    pub fn create(path: &Path, lesson: &str) -> Result<Recorder, Halt> {
        let partial = partial_name(path);
        let export = |source| Halt::Export {
            path: path.to_path_buf(),
            source,
        };
        let file = File::create(&partial).map_err(export)?;
        let mut out = BufWriter::new(file);
        let header = Header {
            socklab: "recording".into(),
            format: FORMAT,
            version: env!("CARGO_PKG_VERSION").into(),
            lesson: lesson.into(),
        };
        let line = serde_json::to_string(&header).map_err(|e| export(io::Error::other(e)))?;
        writeln!(out, "{line}").map_err(export)?;
        Ok(Recorder {
            path: path.to_path_buf(),
            partial,
            out: Some(out),
            failed: None,
        })
    }

    fn line(&mut self, line: &str) {
        if self.failed.is_some() {
            return;
        }
        if let Some(out) = self.out.as_mut()
            && let Err(e) = writeln!(out, "{line}")
        {
            self.failed = Some(e);
        }
    }
}

/// The name a recording is written under until it is complete.
fn partial_name(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    path.with_file_name(name)
}

impl Observer for Recorder {
    fn see(&mut self, event: &Event) {
        let line = event.to_json();
        self.line(&line);
    }

    fn waited(&mut self, wait: Wait) {
        if let Ok(line) = serde_json::to_string(&WaitLine { wait }) {
            self.line(&line);
        }
    }

    fn finish(&mut self) -> Result<(), Halt> {
        let export = |path: &Path, source| Halt::Export {
            path: path.to_path_buf(),
            source,
        };
        let Some(mut out) = self.out.take() else {
            return Ok(());
        };
        if let Some(e) = self.failed.take() {
            let _ = std::fs::remove_file(&self.partial);
            return Err(export(&self.path, e));
        }
        out.flush().map_err(|e| export(&self.path, e))?;
        drop(out);
        std::fs::rename(&self.partial, &self.path).map_err(|e| export(&self.path, e))
    }
}

impl Drop for Recorder {
    /// A run that ended without `finish` (an error, Ctrl-C) leaves no
    /// half-written recording behind.
    fn drop(&mut self) {
        if self.out.take().is_some() {
            let _ = std::fs::remove_file(&self.partial);
        }
    }
}

/// One line of a recording after its header.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    Event(Box<Event>),
    Wait(Wait),
}

/// A recording read from a file: the lesson's id and its entries.
#[derive(Debug)]
pub struct Recording {
    pub lesson: String,
    pub entries: Vec<Entry>,
}

/// Reads a whole recording, checking every line.
pub fn read(path: &Path) -> Result<Recording, RecordError> {
    let io_error = |source| RecordError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = File::open(path).map_err(io_error)?;
    read_from(path, BufReader::new(file))
}

/// Reads a whole recording from `input`, checking every line; `path`
/// names it in messages.
pub fn read_from(path: &Path, input: impl BufRead) -> Result<Recording, RecordError> {
    let io_error = |source| RecordError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut lines = input.lines();
    let first = match lines.next() {
        None => {
            return Err(RecordError::Empty {
                path: path.to_path_buf(),
            });
        }
        Some(Err(e)) if e.kind() == io::ErrorKind::InvalidData => {
            return Err(RecordError::NotARecording {
                path: path.to_path_buf(),
            });
        }
        Some(line) => line.map_err(io_error)?,
    };
    let header: Header = serde_json::from_str(&first)
        .ok()
        .filter(|h: &Header| h.socklab == "recording")
        .ok_or_else(|| RecordError::NotARecording {
            path: path.to_path_buf(),
        })?;
    let Some(&(_, events)) = READS.iter().find(|(format, _)| *format == header.format) else {
        return Err(RecordError::NewerFormat {
            path: path.to_path_buf(),
            format: header.format,
            version: header.version,
        });
    };
    let mut entries = Vec::new();
    for (index, line) in lines.enumerate() {
        let line = line.map_err(io_error)?;
        if line.trim().is_empty() {
            continue;
        }
        let damaged = |message: String| RecordError::Damaged {
            path: path.to_path_buf(),
            line: index + 2,
            message,
        };
        if let Ok(wait) = serde_json::from_str::<WaitLine>(&line) {
            entries.push(Entry::Wait(wait.wait));
            continue;
        }
        let value: serde_json::Value =
            serde_json::from_str(&line).map_err(|e| damaged(e.to_string()))?;
        if let Some(v) = value.get("v").and_then(|v| v.as_u64())
            && v != u64::from(events)
        {
            return Err(damaged(t!(
                "recording-event-version",
                v = v,
                format = header.format,
                events = events
            )));
        }
        let event: Event = serde_json::from_value(value).map_err(|e| damaged(e.to_string()))?;
        entries.push(Entry::Event(Box::new(event)));
    }
    Ok(Recording {
        lesson: header.lesson,
        entries,
    })
}

/// Shows a recording: its events told to `sink` in order, its waits
/// waited. A viewer at a terminal answers its questions afresh; without one
/// the answers recorded are shown.
pub fn show(recording: &Recording, sink: &mut dyn Sink) -> Result<(), Halt> {
    let mut answered_live = false;
    let result = (|| {
        for entry in &recording.entries {
            match entry {
                Entry::Wait(wait) => sink.wait(*wait)?,
                Entry::Event(event) => match event.as_ref() {
                    Event::Question(question) => {
                        sink.emit(Event::Question(question.clone()))?;
                        answered_live = false;
                        if let Some(given) = sink.answer(question.choices.len())? {
                            answered_live = true;
                            sink.emit(Event::Answer(crate::event::Answered {
                                step: question.step,
                                given: Some(given + 1),
                            }))?;
                        }
                    }
                    Event::Answer(_) if answered_live => {}
                    other => sink.emit(other.clone())?,
                },
            }
        }
        Ok(())
    })();
    let finished = sink.finish();
    result?;
    finished
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.socklab");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn what_is_not_a_recording_is_named_plainly() {
        let (_d, empty) = write("");
        assert!(matches!(read(&empty), Err(RecordError::Empty { .. })));
        let (_d, other) = write("{\"v\":4,\"event\":\"lull\"}\n");
        assert!(matches!(
            read(&other),
            Err(RecordError::NotARecording { .. })
        ));
        let (_d, newer) = write(
            "{\"socklab\":\"recording\",\"format\":9,\"version\":\"9.0.0\",\"lesson\":\"x\"}\n",
        );
        let err = read(&newer).unwrap_err().to_string();
        assert!(
            err.contains("format 9") && err.contains("reads format 3"),
            "{err}"
        );
        let (_d, damaged) = write(
            "{\"socklab\":\"recording\",\"format\":3,\"version\":\"0.1.0\",\"lesson\":\"x\"}\n\
             {\"v\":4,\"event\":\"lull\"}\n{\"v\":4,\"event\":\"pack",
        );
        let err = read(&damaged).unwrap_err().to_string();
        assert!(err.contains("r.socklab:3: damaged line"), "{err}");
    }

    /// A recording of format 2 (events of version 3, before the congestion
    /// view) is still read; a format-3 recording must hold version 4.
    #[test]
    fn format_2_is_read_as_it_is() {
        let (_d, old) = write(
            "{\"socklab\":\"recording\",\"format\":2,\"version\":\"0.1.0\",\"lesson\":\"x\"}\n\
             {\"v\":3,\"event\":\"lull\"}\n",
        );
        assert_eq!(read(&old).unwrap().entries.len(), 1);
        let (_d, mixed) = write(
            "{\"socklab\":\"recording\",\"format\":3,\"version\":\"0.1.0\",\"lesson\":\"x\"}\n\
             {\"v\":3,\"event\":\"lull\"}\n",
        );
        let err = read(&mixed).unwrap_err().to_string();
        assert!(
            err.contains("version 3") && err.contains("holds version 4"),
            "{err}"
        );
    }

    #[test]
    fn a_recording_reads_back_its_events_and_waits() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.socklab");
        let mut recorder = Recorder::create(&path, "x").unwrap();
        recorder.see(&Event::Lull);
        recorder.waited(Wait::RunCode);
        recorder.finish().unwrap();
        let recording = read(&path).unwrap();
        assert_eq!(recording.lesson, "x");
        assert_eq!(
            recording.entries,
            vec![
                Entry::Event(Box::new(Event::Lull)),
                Entry::Wait(Wait::RunCode)
            ]
        );
    }

    #[test]
    fn an_unfinished_recording_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.socklab");
        let mut recorder = Recorder::create(&path, "x").unwrap();
        recorder.see(&Event::Lull);
        drop(recorder);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
