//! The learner's keys, read one at a time (the terminal in raw mode only
//! while a key is awaited, so that Ctrl-C stays a signal while the run
//! works): Enter, →, n or space go on; ←, b or p go back; a step's number
//! then g jumps to it; r shows the current step again; q quits; ? lists
//! the keys.

use crate::t;
use std::io::{self, IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use crossterm::terminal;

use super::{Nav, Pacer};
use crate::event::Halt;
use crate::render::{Painter, styles};

/// What a key means at a pause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Nav(Nav),
    Digit(u32),
    Jump,
    Help,
    Quit,
    Interrupt,
    /// Standard input ended: nobody is there any more.
    Closed,
    Other,
}

/// Reads keys from the terminal.
pub struct KeyPacer {
    interrupted: Arc<AtomicBool>,
    painter: Painter,
    /// Standard input ended: carry on without pauses rather than stall.
    closed: bool,
}

/// Raw mode for as long as it lives: restored however the wait ends.
struct Raw;

impl Raw {
    fn on() -> Result<Raw, Halt> {
        terminal::enable_raw_mode().map_err(Halt::Output)?;
        Ok(Raw)
    }
}

impl Drop for Raw {
    fn drop(&mut self) {
        let _ = terminal::disable_raw_mode();
    }
}

impl KeyPacer {
    pub fn new(interrupted: Arc<AtomicBool>, painter: Painter) -> KeyPacer {
        // A panic while the terminal is raw would leave the learner's shell
        // unusable: put it back first.
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let _ = terminal::disable_raw_mode();
            previous(info);
        }));
        KeyPacer {
            interrupted,
            painter,
            closed: false,
        }
    }

    /// The next key event (a press), waiting as long as it takes but
    /// noticing Ctrl-C sent as a signal meanwhile. The caller holds the
    /// terminal raw (`Raw::on`) for as long as it reads keys, so that what
    /// is typed is neither echoed nor kept for a line by the terminal.
    fn next_key(&mut self) -> Result<Option<KeyEvent>, Halt> {
        loop {
            if self.interrupted.load(Ordering::Relaxed) {
                return Err(Halt::Interrupted);
            }
            match super::poll_input(Duration::from_millis(100)) {
                Ok(false) => continue,
                Ok(true) => {}
                // Standard input is gone (closed, or no terminal any more).
                Err(_) => return Ok(None),
            }
            match event::read() {
                Ok(Event::Key(key)) if key.kind != KeyEventKind::Release => return Ok(Some(key)),
                Ok(_) => continue,
                Err(_) => return Ok(None),
            }
        }
    }

    fn key(&mut self) -> Result<Key, Halt> {
        let Some(key) = self.next_key()? else {
            return Ok(Key::Closed);
        };
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        Ok(match key.code {
            KeyCode::Char('c') if ctrl => Key::Interrupt,
            KeyCode::Char('d') if ctrl => Key::Closed,
            // A terminal in raw mode passes Enter on as \r; a program
            // typing into a pseudo-terminal may send \n, which is Ctrl-J.
            KeyCode::Enter | KeyCode::Right | KeyCode::Char(' ' | 'n') => Key::Nav(Nav::Next),
            KeyCode::Char('j') if ctrl => Key::Nav(Nav::Next),
            KeyCode::Left | KeyCode::Char('b' | 'p') => Key::Nav(Nav::Back),
            KeyCode::Char('r') => Key::Nav(Nav::Repeat),
            KeyCode::Char('g') => Key::Jump,
            KeyCode::Char('?' | 'h') => Key::Help,
            KeyCode::Char('q') | KeyCode::Esc => Key::Quit,
            KeyCode::Char(c) if c.is_ascii_digit() => Key::Digit(c.to_digit(10).unwrap_or(0)),
            _ => Key::Other,
        })
    }

    /// Erases the prompt line the cursor is on.
    fn erase(&self, out: &mut dyn Write) -> Result<(), Halt> {
        if io::stdout().is_terminal() {
            write!(out, "\r\x1b[2K").map_err(Halt::Output)?;
        } else {
            writeln!(out).map_err(Halt::Output)?;
        }
        out.flush().map_err(Halt::Output)
    }

    fn say(&self, out: &mut dyn Write, text: &str) -> Result<(), Halt> {
        let text = crate::render::ascii::for_terminal(text);
        write!(out, "{}", self.painter.paint(&text, styles::aside())).map_err(Halt::Output)?;
        out.flush().map_err(Halt::Output)
    }
}

impl Pacer for KeyPacer {
    fn pause(&mut self, out: &mut dyn Write, prompt: &str) -> Result<Nav, Halt> {
        if self.interrupted.load(Ordering::Relaxed) {
            return Err(Halt::Interrupted);
        }
        if self.closed {
            return Ok(Nav::Next);
        }
        let text = format!("  {}", t!("prompt-pause", what = prompt));
        self.say(out, &text)?;
        let _raw = Raw::on()?;
        let mut number: Option<u32> = None;
        loop {
            let key = self.key()?;
            let nav = match key {
                Key::Nav(nav) => nav,
                Key::Digit(d) => {
                    number = Some(number.unwrap_or(0).saturating_mul(10).saturating_add(d));
                    self.say(out, &d.to_string())?;
                    continue;
                }
                Key::Jump => match number.take() {
                    Some(n) => Nav::Step(n as usize),
                    None => continue,
                },
                Key::Help => {
                    self.erase(out)?;
                    write!(
                        out,
                        "{}\r\n",
                        self.painter
                            .paint(&format!("  {}", t!("prompt-keys")), styles::aside())
                    )
                    .map_err(Halt::Output)?;
                    self.say(out, &text)?;
                    continue;
                }
                Key::Quit => {
                    self.erase(out)?;
                    return Err(Halt::Quit);
                }
                Key::Interrupt => {
                    self.erase(out)?;
                    return Err(Halt::Interrupted);
                }
                Key::Closed => {
                    self.closed = true;
                    Nav::Next
                }
                Key::Other => continue,
            };
            self.erase(out)?;
            return Ok(nav);
        }
    }

    fn input(&mut self, out: &mut dyn Write, prompt: &str) -> Result<Option<String>, Halt> {
        if self.closed {
            return Ok(None);
        }
        write!(out, "\n{}", self.painter.paint(prompt, styles::title())).map_err(Halt::Output)?;
        out.flush().map_err(Halt::Output)?;
        let _raw = Raw::on()?;
        let mut line = String::new();
        loop {
            let Some(key) = self.next_key()? else {
                self.closed = true;
                write!(out, "\r\n").map_err(Halt::Output)?;
                return Ok(None);
            };
            let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
            match key.code {
                KeyCode::Char('c') if ctrl => return Err(Halt::Interrupted),
                KeyCode::Char('d') if ctrl && line.is_empty() => {
                    self.closed = true;
                    write!(out, "\r\n").map_err(Halt::Output)?;
                    return Ok(None);
                }
                KeyCode::Enter => {}
                KeyCode::Char('j') if ctrl => {}
                KeyCode::Backspace => {
                    if line.pop().is_some() {
                        write!(out, "\x08 \x08").map_err(Halt::Output)?;
                        out.flush().map_err(Halt::Output)?;
                    }
                    continue;
                }
                KeyCode::Char(c) if !ctrl => {
                    line.push(c);
                    write!(out, "{c}").map_err(Halt::Output)?;
                    out.flush().map_err(Halt::Output)?;
                    continue;
                }
                _ => continue,
            }
            // An empty line sends nothing: ask again.
            if line.trim().is_empty() {
                write!(
                    out,
                    "\r\x1b[2K{}",
                    self.painter.paint(prompt, styles::title())
                )
                .map_err(Halt::Output)?;
                out.flush().map_err(Halt::Output)?;
                continue;
            }
            write!(out, "\r\n").map_err(Halt::Output)?;
            out.flush().map_err(Halt::Output)?;
            return Ok(Some(line));
        }
    }

    fn answer(&mut self, out: &mut dyn Write, choices: usize) -> Result<Option<usize>, Halt> {
        if self.closed {
            return Ok(None);
        }
        let mut prompt = format!("  {}", t!("prompt-answer", choices = choices));
        let _raw = Raw::on()?;
        loop {
            write!(out, "{}", self.painter.paint(&prompt, styles::title()))
                .map_err(Halt::Output)?;
            out.flush().map_err(Halt::Output)?;
            match self.key()? {
                Key::Digit(d) if (1..=choices as u32).contains(&d) => {
                    write!(out, "{d}\r\n").map_err(Halt::Output)?;
                    return Ok(Some(d as usize - 1));
                }
                Key::Quit => {
                    write!(out, "\r\n").map_err(Halt::Output)?;
                    return Err(Halt::Quit);
                }
                Key::Interrupt => return Err(Halt::Interrupted),
                Key::Closed => {
                    self.closed = true;
                    write!(out, "\r\n").map_err(Halt::Output)?;
                    return Ok(None);
                }
                Key::Digit(d) => {
                    write!(out, "{d}\r\n").map_err(Halt::Output)?;
                    prompt = format!("  {}", t!("prompt-number", choices = choices));
                }
                // Enter before a number, or another key: ask again, on the
                // same line.
                _ => write!(out, "\r\x1b[2K").map_err(Halt::Output)?,
            }
        }
    }

    fn interactive(&self) -> bool {
        !self.closed
    }
}
