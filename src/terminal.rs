//! The terminal: where a run meets the learner. Events become text (the
//! presenter in `render::text`) written to standard output, with pauses
//! where the learner reads (Enter for the next packet), answers, types, or
//! lets a held packet go. `--format json` is a sink too; observers (a
//! Mermaid diagram, a program export, a recording) see every event.

use std::io::{self, BufRead, IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};

use crate::event::{Event, Halt, Observer, Sink, Wait};
use crate::render::text::{Block, Pause, Text};
use crate::render::{Painter, styles};

/// Decides when the run moves on: at once (`--auto`), or when the learner
/// presses Enter.
pub trait Pacer {
    /// Waits before the next thing is shown. `Err(Quit)` or
    /// `Err(Interrupted)` end the run.
    fn pause(&mut self, out: &mut dyn Write, prompt: &str) -> Result<(), Halt>;

    /// A line the learner types after `prompt`, or `None` when nobody is
    /// there to type (the lesson's own lines are used then).
    fn input(&mut self, out: &mut dyn Write, prompt: &str) -> Result<Option<String>, Halt>;

    /// The learner's answer to a question with `choices` choices (0-based),
    /// or `None` when nobody is there to answer.
    fn answer(&mut self, out: &mut dyn Write, choices: usize) -> Result<Option<usize>, Halt>;
}

/// Never waits; only notices Ctrl-C.
pub struct AutoPacer {
    pub interrupted: Arc<AtomicBool>,
}

impl Pacer for AutoPacer {
    fn pause(&mut self, _out: &mut dyn Write, _prompt: &str) -> Result<(), Halt> {
        if self.interrupted.load(Ordering::Relaxed) {
            Err(Halt::Interrupted)
        } else {
            Ok(())
        }
    }

    fn answer(&mut self, out: &mut dyn Write, _choices: usize) -> Result<Option<usize>, Halt> {
        self.pause(out, "").map(|()| None)
    }

    fn input(&mut self, out: &mut dyn Write, _prompt: &str) -> Result<Option<String>, Halt> {
        self.pause(out, "").map(|()| None)
    }
}

/// Enter between packets on a terminal, straight through otherwise; Ctrl-C
/// sets `interrupted` either way.
pub fn pacer(auto: bool, interrupted: Arc<AtomicBool>, painter: Painter) -> Box<dyn Pacer> {
    if auto || !io::stdin().is_terminal() {
        let flag = interrupted.clone();
        // Without a handler Ctrl-C still ends the run (by the default
        // signal action), only without the closing message.
        let _ = ctrlc::set_handler(move || flag.store(true, Ordering::Relaxed));
        Box::new(AutoPacer { interrupted })
    } else {
        Box::new(KeyboardPacer::start(interrupted, painter))
    }
}

/// What the learner is asked to press Enter for.
fn prompt(pause: Pause) -> &'static str {
    match pause {
        Pause::NextPacket => "next packet",
        Pause::NextPackets => "next packets",
    }
}

/// The run shown as text on standard output, paced by the learner.
pub struct Terminal<'a> {
    pub text: Text,
    pub out: &'a mut dyn Write,
    pub pacer: &'a mut dyn Pacer,
}

impl Terminal<'_> {
    fn show(&mut self, blocks: Vec<Block>) -> Result<(), Halt> {
        for block in blocks {
            if let Some(pause) = block.pause {
                self.pacer.pause(self.out, prompt(pause))?;
            }
            for line in block.lines {
                writeln!(self.out, "{line}").map_err(Halt::Output)?;
            }
        }
        self.out.flush().map_err(Halt::Output)
    }
}

impl Sink for Terminal<'_> {
    fn emit(&mut self, event: Event) -> Result<(), Halt> {
        let blocks = self.text.present(&event);
        self.show(blocks)
    }

    fn wait(&mut self, wait: Wait) -> Result<(), Halt> {
        let prompt = match wait {
            Wait::RunCode => "run the code",
            Wait::LetGo => "let it go",
        };
        self.pacer.pause(self.out, prompt)
    }

    fn answer(&mut self, choices: usize) -> Result<Option<usize>, Halt> {
        self.pacer.answer(self.out, choices)
    }

    fn line(&mut self, prompt: &str) -> Result<Option<String>, Halt> {
        self.pacer.input(self.out, prompt)
    }

    fn finish(&mut self) -> Result<(), Halt> {
        let blocks = self.text.finish();
        self.show(blocks)
    }
}

/// `--format json`: one event a line, for programs; nobody answers.
/// Frames' bytes are left out (a recording keeps them).
pub struct Json<'a> {
    pub out: &'a mut dyn Write,
}

impl Sink for Json<'_> {
    fn emit(&mut self, mut event: Event) -> Result<(), Halt> {
        if let Event::Packet(shown) = &mut event {
            shown.raw = None;
        }
        writeln!(self.out, "{}", event.to_json()).map_err(Halt::Output)
    }

    fn finish(&mut self) -> Result<(), Halt> {
        self.out.flush().map_err(Halt::Output)
    }
}

/// `replay --format lines`: one line per frame, for long captures and to
/// compare with `tcpdump -nr`.
pub struct Lines<'a> {
    pub out: &'a mut dyn Write,
}

impl Sink for Lines<'_> {
    fn emit(&mut self, event: Event) -> Result<(), Halt> {
        match event {
            Event::Packet(shown) => {
                let p = &shown.row.packet;
                writeln!(
                    self.out,
                    "{:.6} {} > {} {}",
                    p.at.as_secs_f64(),
                    p.src,
                    p.dst,
                    crate::render::ladder::label(&shown.row)
                )
            }
            Event::Skipped(skipped) => {
                let what = match skipped.why {
                    crate::event::Skipped::Malformed => "malformed",
                    crate::event::Skipped::Unread => "skipped",
                };
                writeln!(
                    self.out,
                    "{:.6} frame {} {what}: {}",
                    skipped.time.as_secs_f64(),
                    skipped.frame,
                    skipped.reason
                )
            }
            _ => Ok(()),
        }
        .map_err(Halt::Output)
    }

    fn finish(&mut self) -> Result<(), Halt> {
        self.out.flush().map_err(Halt::Output)
    }
}

/// A sink, and observers that see every event it shows.
pub struct Tee<'a> {
    pub sink: &'a mut dyn Sink,
    pub observers: Vec<Box<dyn Observer + 'a>>,
}

impl Sink for Tee<'_> {
    fn emit(&mut self, event: Event) -> Result<(), Halt> {
        for observer in &mut self.observers {
            observer.see(&event);
        }
        self.sink.emit(event)
    }

    fn wait(&mut self, wait: Wait) -> Result<(), Halt> {
        for observer in &mut self.observers {
            observer.waited(wait);
        }
        self.sink.wait(wait)
    }

    fn answer(&mut self, choices: usize) -> Result<Option<usize>, Halt> {
        self.sink.answer(choices)
    }

    fn line(&mut self, prompt: &str) -> Result<Option<String>, Halt> {
        self.sink.line(prompt)
    }

    fn finish(&mut self) -> Result<(), Halt> {
        let shown = self.sink.finish();
        for observer in &mut self.observers {
            observer.finish()?;
        }
        shown
    }
}

enum Input {
    Line(String),
    Closed,
    Interrupt,
}

/// Waits for Enter between packets; `q` + Enter quits, Ctrl-C interrupts.
pub struct KeyboardPacer {
    input: mpsc::Receiver<Input>,
    interrupted: Arc<AtomicBool>,
    painter: Painter,
    /// Standard input ended: carry on without pauses rather than stall.
    input_closed: bool,
}

impl KeyboardPacer {
    fn start(interrupted: Arc<AtomicBool>, painter: Painter) -> KeyboardPacer {
        let (tx, input) = mpsc::channel();
        let on_signal = tx.clone();
        let flag = interrupted.clone();
        let _ = ctrlc::set_handler(move || {
            flag.store(true, Ordering::Relaxed);
            let _ = on_signal.send(Input::Interrupt);
        });
        // Reading standard input blocks, so it happens on its own thread and
        // arrives here with Ctrl-C on one channel.
        std::thread::spawn(move || {
            for line in io::stdin().lock().lines() {
                let Ok(line) = line else { break };
                if tx.send(Input::Line(line)).is_err() {
                    return;
                }
            }
            let _ = tx.send(Input::Closed);
        });
        KeyboardPacer {
            input,
            interrupted,
            painter,
            input_closed: false,
        }
    }
}

impl KeyboardPacer {
    /// The next line typed, `None` when standard input has ended.
    fn line(&mut self) -> Result<Option<String>, Halt> {
        if self.input_closed {
            return Ok(None);
        }
        match self.input.recv().unwrap_or(Input::Closed) {
            Input::Line(line) if line.trim().eq_ignore_ascii_case("q") => Err(Halt::Quit),
            Input::Line(line) => Ok(Some(line)),
            Input::Interrupt => Err(Halt::Interrupted),
            Input::Closed => {
                self.input_closed = true;
                Ok(None)
            }
        }
    }
}

impl Pacer for KeyboardPacer {
    fn input(&mut self, out: &mut dyn Write, prompt: &str) -> Result<Option<String>, Halt> {
        if self.input_closed {
            return Ok(None);
        }
        write!(out, "\n{}", self.painter.paint(prompt, styles::title())).map_err(Halt::Output)?;
        out.flush().map_err(Halt::Output)?;
        loop {
            match self.input.recv().unwrap_or(Input::Closed) {
                // An empty line sends nothing: ask again.
                Input::Line(line) if line.trim().is_empty() => {
                    write!(out, "{}", self.painter.paint(prompt, styles::title()))
                        .map_err(Halt::Output)?;
                    out.flush().map_err(Halt::Output)?;
                }
                // Here `q` is a word the learner may want to send: only
                // Ctrl-C and the end of input stop a chat.
                Input::Line(line) => return Ok(Some(line)),
                Input::Interrupt => return Err(Halt::Interrupted),
                Input::Closed => {
                    self.input_closed = true;
                    writeln!(out).map_err(Halt::Output)?;
                    return Ok(None);
                }
            }
        }
    }

    fn answer(&mut self, out: &mut dyn Write, choices: usize) -> Result<Option<usize>, Halt> {
        let mut prompt = format!("  Your answer (1-{choices}, q to quit): ");
        loop {
            write!(out, "{}", self.painter.paint(&prompt, styles::title()))
                .map_err(Halt::Output)?;
            out.flush().map_err(Halt::Output)?;
            let Some(line) = self.line()? else {
                writeln!(out).map_err(Halt::Output)?;
                return Ok(None);
            };
            match line.trim().parse::<usize>() {
                Ok(n) if (1..=choices).contains(&n) => return Ok(Some(n - 1)),
                _ => prompt = format!("  Please type a number from 1 to {choices}: "),
            }
        }
    }

    fn pause(&mut self, out: &mut dyn Write, prompt: &str) -> Result<(), Halt> {
        if self.interrupted.load(Ordering::Relaxed) {
            return Err(Halt::Interrupted);
        }
        if self.input_closed {
            return Ok(());
        }
        let text = format!("  [Enter] {prompt} · [q Enter] quit ");
        write!(out, "{}", self.painter.paint(&text, styles::dim())).map_err(Halt::Output)?;
        out.flush().map_err(Halt::Output)?;
        let line = self.line();
        // Erase the prompt line so that the diagram stays clean.
        if io::stdout().is_terminal() {
            write!(out, "\x1b[1A\x1b[2K").map_err(Halt::Output)?;
        } else {
            writeln!(out).map_err(Halt::Output)?;
        }
        line.map(|_| ())
    }
}
