//! `--tui`: the classroom view on the real terminal. A sink of the event
//! stream that keeps every event and stops at each packet (and where the
//! run waits before a step's code), drawing `render::classroom` at the
//! point the learner is looking at: going back redraws what was shown from
//! the events kept, never running anything again; going on at the present
//! lets the run continue.
//!
//! The terminal is raw and on the alternate screen from `open` to drop, and
//! put back however the view ends: q, the end, an error (drop), Ctrl-C (a
//! key while raw; a SIGINT from elsewhere stops the run, then drop) or a
//! panic (a hook restores it before the message is printed).

use std::io::{self, IsTerminal, Stdout};
use std::sync::Arc;
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crossterm::event::{self, Event as Input, KeyCode, KeyEventKind, KeyModifiers};
use crossterm::{cursor, execute, terminal};
use ratatui::backend::CrosstermBackend;

use crate::event::{Event, Halt, Sink, Wait};
use crate::render::classroom::{self, Options, Screen, Status};
use crate::t;

/// Why the view cannot start.
#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    #[error("{}", t!("tui-no-terminal"))]
    NotATerminal,
    #[error("{}", t!("tui-terminal-failed", error = .0.to_string()))]
    Io(#[from] io::Error),
}

/// The view is on the screen: a panic must put the terminal back.
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Leaves the alternate screen, shows the cursor, ends raw mode.
fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let _ = terminal::disable_raw_mode();
        let _ = execute!(io::stdout(), terminal::LeaveAlternateScreen, cursor::Show);
    }
}

fn install_panic_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}

/// A point the learner can stop at: the events shown by then, and the step.
#[derive(Debug, Clone, Copy)]
struct Point {
    events: usize,
    step: Option<usize>,
}

/// The classroom view, a sink.
pub struct Classroom {
    /// Dropped by hand (see `Drop`).
    terminal: std::mem::ManuallyDrop<ratatui::Terminal<CrosstermBackend<Stdout>>>,
    options: Options,
    events: Vec<Event>,
    points: Vec<Point>,
    /// The step of the events now coming.
    step: Option<usize>,
    /// Go on without stopping until this step (the learner jumped ahead).
    ahead: Option<usize>,
    help: bool,
    interrupted: Arc<AtomicBool>,
    /// Standard input is gone: go on without stopping.
    closed: bool,
    /// The learner quit (or Ctrl-C): the end is not shown again.
    left: bool,
}

impl Classroom {
    /// Takes over the terminal; refused when standard input or output is
    /// not one.
    pub fn open(options: Options, interrupted: Arc<AtomicBool>) -> Result<Classroom, TuiError> {
        if !io::stdin().is_terminal() || !io::stdout().is_terminal() {
            return Err(TuiError::NotATerminal);
        }
        install_panic_hook();
        terminal::enable_raw_mode()?;
        ACTIVE.store(true, Ordering::SeqCst);
        if let Err(e) = execute!(io::stdout(), terminal::EnterAlternateScreen, cursor::Hide) {
            restore();
            return Err(e.into());
        }
        let terminal = match ratatui::Terminal::new(CrosstermBackend::new(io::stdout())) {
            Ok(terminal) => terminal,
            Err(e) => {
                restore();
                return Err(e.into());
            }
        };
        Ok(Classroom {
            terminal: std::mem::ManuallyDrop::new(terminal),
            options,
            events: Vec::new(),
            points: Vec::new(),
            step: None,
            ahead: None,
            help: false,
            interrupted,
            closed: false,
            left: false,
        })
    }

    fn render(&mut self, at: usize) -> Result<(), Halt> {
        let point = self.points[at];
        self.draw(point.events, at + 1 < self.points.len(), None)
    }

    /// Draws the screen after the first `events` events.
    fn draw(&mut self, events: usize, past: bool, asking: Option<usize>) -> Result<(), Halt> {
        let screen = Screen::after(&self.events[..events]);
        let status = Status {
            packets: Screen::after(&self.events).packets(),
            past,
            help: self.help,
            asking,
        };
        let options = self.options;
        self.terminal
            .draw(|frame| classroom::draw(frame, &screen, status, options))
            .map_err(Halt::Output)?;
        Ok(())
    }

    /// The present is a point to stop at: the learner looks, goes back and
    /// forth, and goes on (or quits).
    fn stop(&mut self) -> Result<(), Halt> {
        let result = self.look();
        if result.is_err() {
            self.left = true;
        }
        result
    }

    fn look(&mut self) -> Result<(), Halt> {
        self.points.push(Point {
            events: self.events.len(),
            step: self.step,
        });
        if let Some(step) = self.ahead {
            if self.step.is_some_and(|s| s < step) {
                return Ok(());
            }
            self.ahead = None;
        }
        let present = self.points.len() - 1;
        let mut at = present;
        let mut number: Option<usize> = None;
        let mut dirty = true;
        loop {
            if self.interrupted.load(Ordering::Relaxed) {
                return Err(Halt::Interrupted);
            }
            if dirty {
                self.render(at)?;
                dirty = false;
            }
            if self.closed {
                return Ok(());
            }
            match super::poll_input(Duration::from_millis(100)) {
                Ok(false) => continue,
                Ok(true) => {}
                Err(_) => {
                    self.closed = true;
                    return Ok(());
                }
            }
            let key = match event::read() {
                Ok(Input::Key(key)) if key.kind != KeyEventKind::Release => key,
                Ok(Input::Resize(..)) => {
                    dirty = true;
                    continue;
                }
                Ok(_) => continue,
                Err(_) => {
                    self.closed = true;
                    return Ok(());
                }
            };
            dirty = true;
            let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
            if !matches!(key.code, KeyCode::Char('0'..='9' | 'g')) {
                number = None;
            }
            let was_help = std::mem::take(&mut self.help);
            match key.code {
                KeyCode::Char('c') if ctrl => return Err(Halt::Interrupted),
                KeyCode::Char('q') | KeyCode::Esc => return Err(Halt::Quit),
                // A terminal in raw mode passes Enter on as \r; a program
                // typing into a pseudo-terminal may send \n, Ctrl-J.
                KeyCode::Enter | KeyCode::Right | KeyCode::Char(' ' | 'n') => {
                    if at == present {
                        return Ok(());
                    }
                    at += 1;
                }
                KeyCode::Char('j') if ctrl => {
                    if at == present {
                        return Ok(());
                    }
                    at += 1;
                }
                KeyCode::Left | KeyCode::Char('b' | 'p') => at = at.saturating_sub(1),
                KeyCode::Char('r') => {
                    let step = self.points[at].step;
                    at = self
                        .points
                        .iter()
                        .position(|p| p.step == step)
                        .unwrap_or(at);
                }
                KeyCode::Char(c @ '0'..='9') => {
                    let digit = c.to_digit(10).unwrap_or(0) as usize;
                    number = Some(number.unwrap_or(0).saturating_mul(10).saturating_add(digit));
                }
                KeyCode::Char('g') => {
                    if let Some(n) = number.take() {
                        match self.points.iter().position(|p| p.step == Some(n)) {
                            Some(i) => at = i,
                            None if self.step.is_some_and(|s| n > s) => {
                                self.ahead = Some(n);
                                return Ok(());
                            }
                            None => {}
                        }
                    }
                }
                KeyCode::Char('?' | 'h') => self.help = !was_help,
                _ => {}
            }
        }
    }
}

impl Classroom {
    fn ask(&mut self, choices: usize) -> Result<Option<usize>, Halt> {
        if self.closed || self.ahead.is_some() {
            return Ok(None);
        }
        let mut dirty = true;
        loop {
            if self.interrupted.load(Ordering::Relaxed) {
                return Err(Halt::Interrupted);
            }
            if dirty {
                self.draw(self.events.len(), false, Some(choices))?;
                dirty = false;
            }
            let key = match self.key()? {
                Some(Input::Key(key)) if key.kind != KeyEventKind::Release => key,
                Some(Input::Resize(..)) => {
                    dirty = true;
                    continue;
                }
                Some(_) => continue,
                None if self.closed => return Ok(None),
                None => continue,
            };
            let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
            match key.code {
                KeyCode::Char('c') if ctrl => return Err(Halt::Interrupted),
                KeyCode::Char('q') | KeyCode::Esc => return Err(Halt::Quit),
                KeyCode::Char(c) => match c.to_digit(10) {
                    Some(d) if (1..=choices).contains(&(d as usize)) => {
                        return Ok(Some(d as usize - 1));
                    }
                    _ => {}
                },
                _ => {}
            }
        }
    }

    /// The next terminal event within 100 ms, if any; `None` also when
    /// standard input is gone (then `closed` is set).
    fn key(&mut self) -> Result<Option<Input>, Halt> {
        match super::poll_input(Duration::from_millis(100)) {
            Ok(false) => Ok(None),
            Ok(true) => match event::read() {
                Ok(input) => Ok(Some(input)),
                Err(_) => {
                    self.closed = true;
                    Ok(None)
                }
            },
            Err(_) => {
                self.closed = true;
                Ok(None)
            }
        }
    }
}

impl Drop for Classroom {
    fn drop(&mut self) {
        // ratatui's terminal shows the cursor again as it is dropped, and
        // when it cannot it says so with eprintln!, which panics when
        // standard error is that same terminal, gone (its window closed:
        // every write fails with EIO). Shown here first, it has nothing
        // left to do; when the terminal is gone, it is not dropped at all
        // (there is nothing to restore, and the process is ending).
        if self.terminal.show_cursor().is_ok() {
            // SAFETY: dropped once, here, and never used again.
            unsafe { std::mem::ManuallyDrop::drop(&mut self.terminal) };
        }
        restore();
    }
}

impl Sink for Classroom {
    fn emit(&mut self, event: Event) -> Result<(), Halt> {
        if let Some(step) = event.step() {
            self.step = Some(step);
        }
        let packet = matches!(event, Event::Packet(_));
        self.events.push(event);
        if packet { self.stop() } else { Ok(()) }
    }

    fn wait(&mut self, _wait: Wait) -> Result<(), Halt> {
        self.stop()
    }

    /// The question just emitted is on the screen; a digit answers it.
    fn answer(&mut self, choices: usize) -> Result<Option<usize>, Halt> {
        let result = self.ask(choices);
        if result.is_err() {
            self.left = true;
        }
        result
    }

    fn finish(&mut self) -> Result<(), Halt> {
        // The end stays on the screen until the learner leaves (unless
        // the learner has left already).
        if self.left {
            return Ok(());
        }
        self.ahead = None;
        match self.stop() {
            Err(Halt::Quit) => Ok(()),
            other => other,
        }
    }
}
