//! The terminal: where a run meets the learner. Events become text (the
//! presenter in `render::text`) written to standard output, with pauses
//! where the learner reads. At each pause the learner may go on, step back
//! to an earlier packet, jump to a step or see the current one again: what
//! was shown is redrawn from the transcript, never run again; going on
//! past the present continues the real run. `--format json` and `lines`
//! are sinks too; observers (a Mermaid diagram, a program export, a
//! recording) see every event.

mod keys;
mod parallel_json;
pub mod tui;

use crate::t;
use std::io::{self, IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::event::{Event, Halt, Observer, Sink, Wait};
use crate::render::Painter;
use crate::render::text::{Block, Pause, Text};
pub use keys::KeyPacer;
pub use parallel_json::ParallelJson;

/// What the learner asks for at a pause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    /// Go on: the next packet (or the run's next thing).
    Next,
    /// Back to the packet before.
    Back,
    /// The current step again, from its start.
    Repeat,
    /// To step N (from 1).
    Step(usize),
}

/// Decides when the run moves on: at once (`--auto`), or when the learner
/// says so.
pub trait Pacer {
    /// Waits before the next thing is shown, and says where to go.
    /// `Err(Quit)` or `Err(Interrupted)` end the run.
    fn pause(&mut self, out: &mut dyn Write, prompt: &str) -> Result<Nav, Halt>;

    /// A line the learner types after `prompt`, or `None` when nobody is
    /// there to type (the lesson's own lines are used then).
    fn input(&mut self, out: &mut dyn Write, prompt: &str) -> Result<Option<String>, Halt>;

    /// The learner's answer to a question with `choices` choices (0-based),
    /// or `None` when nobody is there to answer.
    fn answer(&mut self, out: &mut dyn Write, choices: usize) -> Result<Option<usize>, Halt>;

    /// A learner is there: what is shown is kept, to go back to.
    fn interactive(&self) -> bool;
}

/// Never waits; only notices Ctrl-C.
pub struct AutoPacer {
    pub interrupted: Arc<AtomicBool>,
}

impl Pacer for AutoPacer {
    fn pause(&mut self, _out: &mut dyn Write, _prompt: &str) -> Result<Nav, Halt> {
        if self.interrupted.load(Ordering::Relaxed) {
            Err(Halt::Interrupted)
        } else {
            Ok(Nav::Next)
        }
    }

    fn answer(&mut self, out: &mut dyn Write, _choices: usize) -> Result<Option<usize>, Halt> {
        self.pause(out, "").map(|_| None)
    }

    fn input(&mut self, out: &mut dyn Write, _prompt: &str) -> Result<Option<String>, Halt> {
        self.pause(out, "").map(|_| None)
    }

    fn interactive(&self) -> bool {
        false
    }
}

/// The signal that interrupted the run: SIGINT unless SIGTERM or SIGHUP
/// came (see [`on_interrupt`]).
static SIGNAL: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(libc::SIGINT);

extern "C" fn as_an_interrupt(signal: libc::c_int) {
    SIGNAL.store(signal, Ordering::Relaxed);
    // SAFETY: raise(3) is async-signal-safe; SIGINT reaches the handler
    // ctrlc installed, which sets the run's flag.
    unsafe { libc::raise(libc::SIGINT) };
}

/// Calls `handler` on Ctrl-C (SIGINT), and on SIGTERM (`kill`) and SIGHUP
/// (the terminal closed) too: each ends the run the same orderly way (the
/// capture file complete, the terminal restored), and
/// [`interrupted_status`] tells them apart.
pub fn on_interrupt(mut handler: impl FnMut() + Send + 'static) {
    let _ = ctrlc::set_handler(move || {
        SIGNALLED.store(true, Ordering::Relaxed);
        handler()
    });
    for signal in [libc::SIGTERM, libc::SIGHUP] {
        // SAFETY: a plain handler that only touches an atomic and raises.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = as_an_interrupt as extern "C" fn(libc::c_int) as usize;
            libc::sigemptyset(&mut action.sa_mask);
            action.sa_flags = libc::SA_RESTART;
            libc::sigaction(signal, &action, std::ptr::null_mut());
        }
    }
}

/// crossterm's `event::poll`, except that a terminal that is gone (its
/// window closed: the terminal hung up) is an error at once instead of a
/// hang. crossterm 0.29 reads a hung-up terminal again and again inside
/// `poll`, whatever its timeout (crossterm-rs/crossterm#793: `read` gives
/// 0 or EIO and its loop retries), so socklab never let the run end: the
/// learner's SIGHUP set the flag, and nobody looked at it. socklab waits
/// on standard input itself and lets crossterm read only when the
/// terminal is still there. (A hang-up in the microseconds between that
/// look and crossterm's read would still spin: crossterm's to fix.)
pub(crate) fn poll_input(timeout: std::time::Duration) -> io::Result<bool> {
    use crossterm::event;
    use std::time::Duration;
    if !io::stdin().is_terminal() {
        // Handed to crossterm, a hung-up terminal would spin, as above,
        // with nothing to stop it if the SIGHUP is late or blocked.
        if refused_as_hung_up(libc::STDIN_FILENO) {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the terminal hung up",
            ));
        }
        // crossterm reads /dev/tty then; nothing of ours to wait on.
        return event::poll(timeout);
    }
    // Nothing new on the terminal, and nothing crossterm still holds (a
    // key read with an earlier one, a resize): wait on the terminal.
    if !stdin_ready(Duration::ZERO)? && !event::poll(Duration::ZERO)? {
        stdin_ready(timeout)?;
    }
    event::poll(Duration::ZERO)
}

/// Whether standard input (a terminal) has something to read within
/// `timeout`; an error when it hung up.
fn stdin_ready(timeout: std::time::Duration) -> io::Result<bool> {
    let mut stdin = libc::pollfd {
        fd: libc::STDIN_FILENO,
        events: libc::POLLIN,
        revents: 0,
    };
    let millis = timeout.as_millis().min(i32::MAX as u128) as i32;
    // SAFETY: one pollfd that outlives the call.
    let ready = unsafe { libc::poll(&mut stdin, 1, millis) };
    if ready < 0 {
        let error = io::Error::last_os_error();
        return match error.kind() {
            io::ErrorKind::Interrupted => Ok(false),
            _ => Err(error),
        };
    }
    if stdin.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "the terminal hung up",
        ));
    }
    Ok(ready > 0)
}

/// Whether the terminal socklab runs in has hung up: its standard input
/// reports the hang-up, or its standard output, a terminal no more,
/// answers with EIO.
pub fn hung_up() -> bool {
    if matches!(stdin_ready(std::time::Duration::ZERO), Err(e) if e.kind() == io::ErrorKind::UnexpectedEof)
    {
        return true;
    }
    refused_as_hung_up(libc::STDOUT_FILENO)
}

/// Whether `fd` is a terminal that has hung up: isatty(3) refuses it with
/// EIO (`hung_up_tty_ioctl`), where a pipe or a file gives ENOTTY.
fn refused_as_hung_up(fd: libc::c_int) -> bool {
    // SAFETY: isatty only asks the kernel about a descriptor.
    let terminal = unsafe { libc::isatty(fd) } == 1;
    !terminal && io::Error::last_os_error().raw_os_error() == Some(libc::EIO)
}

/// Whether SIGINT, SIGTERM or SIGHUP came (Ctrl-C typed while the
/// terminal is raw is a key, not a signal).
static SIGNALLED: AtomicBool = AtomicBool::new(false);

/// A signal came: whatever error the run then ended with is the signal's
/// doing (a terminal that hung up fails every write with EIO).
pub fn signalled() -> bool {
    SIGNALLED.load(Ordering::Relaxed)
}

/// The exit status of an interrupted run, as shells report a process
/// killed by that signal: 130 (SIGINT), 143 (SIGTERM), 129 (SIGHUP).
pub fn interrupted_status() -> u8 {
    128 + SIGNAL.load(Ordering::Relaxed) as u8
}

/// Keys between packets on a terminal, straight through otherwise; Ctrl-C
/// (or SIGTERM, SIGHUP) sets `interrupted` either way.
pub fn pacer(auto: bool, interrupted: Arc<AtomicBool>, painter: Painter) -> Box<dyn Pacer> {
    let flag = interrupted.clone();
    // Without a handler Ctrl-C still ends the run (by the default signal
    // action), only without the closing message.
    on_interrupt(move || flag.store(true, Ordering::Relaxed));
    if auto || !io::stdin().is_terminal() {
        Box::new(AutoPacer { interrupted })
    } else {
        Box::new(KeyPacer::new(interrupted, painter))
    }
}

/// What the learner is asked to go on to.
fn prompt(pause: Pause) -> String {
    match pause {
        Pause::NextPacket => t!("prompt-next-packet"),
        Pause::NextPackets => t!("prompt-next-packets"),
    }
}

/// A block shown, with the step it belongs to.
struct Shown {
    step: Option<usize>,
    block: Block,
}

/// The run shown as text on standard output, paced by the learner, who
/// may go back and forth through what was shown.
pub struct Terminal<'a> {
    text: Text,
    out: &'a mut dyn Write,
    pacer: &'a mut dyn Pacer,
    /// Everything shown so far (kept only when a learner is there).
    transcript: Vec<Shown>,
    /// The step of the events now coming.
    step: Option<usize>,
    /// Go on without pausing until this step starts (the learner asked to
    /// jump ahead).
    ahead: Option<usize>,
}

impl<'a> Terminal<'a> {
    pub fn new(text: Text, out: &'a mut dyn Write, pacer: &'a mut dyn Pacer) -> Terminal<'a> {
        Terminal {
            text,
            out,
            pacer,
            transcript: Vec::new(),
            step: None,
            ahead: None,
        }
    }

    fn print(&mut self, block: &Block) -> Result<(), Halt> {
        for line in &block.lines {
            let line = crate::render::ascii::for_terminal(line);
            writeln!(self.out, "{line}").map_err(Halt::Output)?;
        }
        Ok(())
    }

    fn show(&mut self, blocks: Vec<Block>) -> Result<(), Halt> {
        let interactive = self.pacer.interactive();
        for block in blocks {
            if let Some(pause) = block.pause {
                let here = self.transcript.len();
                self.stop(here, &prompt(pause))?;
            }
            self.print(&block)?;
            if interactive {
                self.transcript.push(Shown {
                    step: self.step,
                    block,
                });
            }
        }
        self.out.flush().map_err(Halt::Output)
    }

    /// Waits at the present (`present`: the transcript's length, where what
    /// comes next will go) until the learner goes on; meanwhile the learner
    /// may walk through what was shown.
    fn stop(&mut self, present: usize, prompt: &str) -> Result<(), Halt> {
        if let Some(step) = self.ahead {
            if self.step.is_some_and(|s| s < step) {
                return Ok(());
            }
            self.ahead = None;
        }
        let mut at = present;
        loop {
            match self.pacer.pause(self.out, prompt)? {
                Nav::Next if at == present => return Ok(()),
                Nav::Next => at = self.forward(at, present)?,
                Nav::Back => {
                    if let Some(back) = self.point_before(at) {
                        self.redraw(back)?;
                        at = back;
                    }
                }
                Nav::Repeat => {
                    let start = self.step_start(at);
                    let first = self.point_from(start, present);
                    self.redraw(first)?;
                    at = first;
                }
                Nav::Step(n) => match self.transcript.iter().position(|s| s.step == Some(n)) {
                    Some(start) => {
                        let first = self.point_from(start, present);
                        self.redraw(first)?;
                        at = first;
                    }
                    None if self.step.is_some_and(|s| n > s) => {
                        // Ahead of the run: it goes on until step n.
                        self.forward_to(at, present)?;
                        self.ahead = Some(n);
                        return Ok(());
                    }
                    None => {}
                },
            }
        }
    }

    /// In the past: shows the block at the pause point `at` and what
    /// follows it up to the next pause point (or the present).
    fn forward(&mut self, at: usize, present: usize) -> Result<usize, Halt> {
        let mut i = at;
        while i < present {
            let block = self.transcript[i].block.clone();
            self.print(&block)?;
            i += 1;
            if i < present && self.transcript[i].block.pause.is_some() {
                break;
            }
        }
        self.out.flush().map_err(Halt::Output)?;
        Ok(i)
    }

    /// Shows everything from `at` to the present.
    fn forward_to(&mut self, mut at: usize, present: usize) -> Result<(), Halt> {
        while at < present {
            at = self.forward(at, present)?;
        }
        Ok(())
    }

    /// The pause point before `at`, if any.
    fn point_before(&self, at: usize) -> Option<usize> {
        (0..at)
            .rev()
            .find(|&i| self.transcript[i].block.pause.is_some())
    }

    /// The first pause point at or after `from` (the present if none).
    fn point_from(&self, from: usize, present: usize) -> usize {
        (from..present)
            .find(|&i| self.transcript[i].block.pause.is_some())
            .unwrap_or(present)
    }

    /// Where the step of the block at `at` (or of the present) starts.
    fn step_start(&self, at: usize) -> usize {
        let step = self.transcript.get(at).map_or(self.step, |s| s.step);
        self.transcript
            .iter()
            .position(|s| s.step == step)
            .unwrap_or(0)
    }

    /// Clears the screen and shows the step of `at` from its start up to
    /// `at`, exactly as it was shown the first time.
    fn redraw(&mut self, at: usize) -> Result<(), Halt> {
        let start = self.step_start(at);
        write!(self.out, "\x1b[2J\x1b[H").map_err(Halt::Output)?;
        for i in start..at {
            let block = self.transcript[i].block.clone();
            self.print(&block)?;
        }
        self.out.flush().map_err(Halt::Output)
    }
}

impl Sink for Terminal<'_> {
    fn emit(&mut self, event: Event) -> Result<(), Halt> {
        if let Event::Step(step) = &event {
            self.step = Some(step.step);
        }
        let blocks = self.text.present(&event);
        self.show(blocks)
    }

    fn wait(&mut self, wait: Wait) -> Result<(), Halt> {
        let prompt = match wait {
            Wait::RunCode => t!("prompt-run-code"),
            Wait::LetGo => t!("prompt-let-go"),
        };
        let here = self.transcript.len();
        self.stop(here, &prompt)
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
    out: &'a mut dyn Write,
    /// One line, kept between events so that a million of them cost no
    /// allocation each.
    line: Vec<u8>,
}

impl<'a> Json<'a> {
    pub fn new(out: &'a mut dyn Write) -> Json<'a> {
        Json {
            out,
            line: Vec::with_capacity(1024),
        }
    }
}

impl Sink for Json<'_> {
    fn emit(&mut self, mut event: Event) -> Result<(), Halt> {
        if let Event::Packet(shown) = &mut event {
            shown.raw = None;
        }
        self.line.clear();
        event.write_json(&mut self.line);
        self.line.push(b'\n');
        self.out.write_all(&self.line).map_err(Halt::Output)
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
