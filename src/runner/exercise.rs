//! The runner's side of an exercise: the learner's program plays one actor.
//! It is started at the step that says so and waited for until the kernel
//! shows it ready; every step with a check ends with a verdict, decided
//! from the capture (the expected and forbidden packets), the kernel (is it
//! listening), socklab's own calls (what came back, whole) and the program
//! (did it exit, what did it print or write). The first check that fails
//! ends the run: the ones after it depend on it.

use std::time::{Duration, Instant};

use super::{RunError, Runner};
use crate::event::{self, Event, Failure, Verdict};
use crate::exercise::program::{Program, ProgramSpec};
use crate::lesson::exercise::{Check, Expected, Ready};
use crate::lesson::{Bytes, Expectation, Step};
use crate::packet::{Packet, Protocol, TcpState};

/// How long a started program has to be ready (listening, bound): Python
/// starts in well under a second.
const READY_BOUND: Duration = Duration::from_secs(5);

/// How long a program has, after a step's packets, to exit or to print
/// what it must.
pub(super) const EXIT_BOUND: Duration = Duration::from_secs(3);

/// How long a program that must keep running is watched after a step's
/// packets: one that crashes while handling a request has closed its
/// sockets (the packets just seen) microseconds before it ends.
const CRASH_BOUND: Duration = Duration::from_millis(200);

/// How long socklab's own blocking calls wait for the learner's program
/// (a recv for its echo, an accept for its connect): a working program
/// answers in milliseconds.
pub(super) const EXERCISE_CALL_TIMEOUT: Duration = Duration::from_secs(2);

/// The learner's program in a run: how to start it, and once started.
pub(super) struct Learner {
    pub spec: ProgramSpec,
    pub program: Option<Program>,
    /// The actor it plays.
    pub actor: String,
}

impl Runner<'_> {
    /// Runs an exercise's steps, each check ending in a verdict, the first
    /// failure ending the run; then what the program did, and the tally.
    pub(super) fn run_exercise(&mut self) -> Result<(), RunError> {
        let lesson = self.lesson;
        let total = lesson.steps.len();
        // Each check's number among the checks, by step.
        let numbers: Vec<Option<usize>> = lesson
            .steps
            .iter()
            .scan(0, |n, step| {
                Some(step.check.as_ref().map(|_| {
                    *n += 1;
                    *n
                }))
            })
            .collect();
        let mut tally = event::ExerciseEnd {
            passed: 0,
            failed: 0,
            not_run: 0,
        };
        // Once a check fails: the step whose check got the verdict.
        let mut failed_at: Option<usize> = None;
        for (index, step) in lesson.steps.iter().enumerate() {
            let number = index + 1;
            if let Some(failed) = failed_at {
                if let Some(check) = numbers[index].filter(|_| index != failed) {
                    tally.not_run += 1;
                    self.verdict(number, check, step, Verdict::NotRun)?;
                }
                continue;
            }
            // Whether the step ran to its end (its kernel view shown) before
            // a check after its packets failed.
            let mut ran = false;
            let outcome = self.step(number, total, step).and_then(|()| {
                ran = true;
                match &step.check {
                    Some(check) => self.verify(check),
                    None => Ok(()),
                }
            });
            match outcome {
                Ok(()) => {
                    if let Some(check) = numbers[index] {
                        tally.passed += 1;
                        self.verdict(number, check, step, Verdict::Passed)?;
                    }
                }
                Err(error) => {
                    let why = self.failure(error, step)?;
                    // A step that only prepares socklab's side fails the
                    // check it prepares: the next one.
                    let target = (index..total)
                        .find(|i| numbers[*i].is_some())
                        .unwrap_or(index);
                    // A step that ran to its end has shown the kernel's
                    // view (or, stopped at its expected packets, has none
                    // that would hold still).
                    if !ran {
                        self.show_kernel_now(number)?;
                    }
                    tally.failed += 1;
                    let check = numbers[target].unwrap_or(0);
                    self.verdict(
                        number,
                        check,
                        &lesson.steps[target],
                        Verdict::Failed { why },
                    )?;
                    failed_at = Some(target);
                }
            }
        }
        let report = match self.learner.as_mut().and_then(|l| l.program.as_mut()) {
            Some(program) => program.finish(),
            None => event::ProgramReport {
                status: None,
                stopped: false,
                stdout: String::new(),
                stderr: String::new(),
                typed: Vec::new(),
                not_typed: None,
            },
        };
        self.sink.emit(Event::Program(report))?;
        self.summary.checks_not_passed = tally.failed + tally.not_run;
        self.sink.emit(Event::ExerciseEnd(tally))?;
        Ok(())
    }

    fn verdict(
        &mut self,
        step: usize,
        check: usize,
        of: &Step,
        verdict: Verdict,
    ) -> Result<(), RunError> {
        let spec = of.check.clone().unwrap_or_default();
        let failed = matches!(verdict, Verdict::Failed { .. });
        self.sink.emit(Event::Check(event::CheckDone {
            step,
            check,
            title: of.title.clone(),
            verdict,
            fail: spec.fail.filter(|_| failed),
            lesson: spec
                .lesson
                .or_else(|| self.lesson.exercise.as_ref().and_then(|e| e.lesson.clone()))
                .filter(|_| failed),
        }))?;
        Ok(())
    }

    /// What a run error means for the learner's program; errors that are
    /// socklab's own (capture, output, Ctrl-C) end the run instead.
    fn failure(&mut self, error: RunError, step: &Step) -> Result<Failure, RunError> {
        // Where the program stands now: its exit noticed, if it has ended.
        let program = self.learner.as_mut().and_then(|l| l.program.as_mut());
        let (stopped, status) = program.map_or((false, None), |p| {
            p.running();
            (p.timed_out(), p.status())
        });
        if stopped {
            let seconds = self.lesson.exercise.as_ref().map_or(0, |e| e.seconds);
            return Ok(Failure::Stopped { seconds });
        }
        // The program ended with an error (a traceback: a str given to
        // send(), a call on the wrong socket) while socklab waited for it:
        // that is why the packet, the answer or the bytes did not come,
        // and what it printed says so; not its silence, nor its close.
        let crashed = status
            .and_then(|status| status.code())
            .filter(|&code| code != 0);
        let caused = matches!(
            error,
            RunError::MissingPacket { .. }
                | RunError::CallFailed { .. }
                | RunError::Check(
                    Failure::Forbidden { .. } | Failure::Received { .. } | Failure::NoAnswer { .. }
                )
        );
        if let Some(code) = crashed.filter(|_| caused) {
            return Ok(Failure::ExitedWith { status: Some(code) });
        }
        // Waiting for the program's FIN, by the packet or by a call that
        // returns once it comes (a recv() that waits for b''): the kernel
        // may show why it did not come.
        let waited = match &error {
            RunError::MissingPacket { seconds, .. } => Some(*seconds),
            // A call that got part of what it waited for is told by its
            // bytes (`NoAnswer`'s `received`).
            RunError::CallFailed { source, .. }
                if matches!(
                    source.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) && source
                    .get_ref()
                    .and_then(|e| e.downcast_ref::<super::sockets::PartlyReceived>())
                    .is_none() =>
            {
                Some(EXERCISE_CALL_TIMEOUT.as_secs())
            }
            _ => None,
        };
        if let Some(seconds) = waited
            && let Some((expected, left_open)) = self.left_open(step)
        {
            return Ok(Failure::NotClosed {
                expected,
                seconds,
                left_open,
            });
        }
        Ok(match error {
            RunError::MissingPacket {
                expected,
                saw,
                seconds,
                ended_first,
                ..
            } => Failure::MissingPacket {
                expected,
                saw,
                seconds,
                ended_first,
            },
            // A blocking call gave up: the program never answered.
            RunError::CallFailed { call, source, .. }
                if matches!(
                    source.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                Failure::NoAnswer {
                    call,
                    seconds: EXERCISE_CALL_TIMEOUT.as_secs(),
                    received: source
                        .get_ref()
                        .and_then(|e| e.downcast_ref::<super::sockets::PartlyReceived>())
                        .map(|partly| partly.0),
                }
            }
            RunError::CallFailed { call, source, .. } => Failure::CallFailed {
                call,
                error: source.to_string(),
            },
            RunError::Check(failure) => failure,
            other => return Err(other),
        })
    }

    /// When `step` waits for a FIN from the learner's program: the FIN as
    /// the step expects it, and the program's connection to socklab's
    /// side, if the kernel shows it still open with nothing left unread
    /// (`idiag_rqueue` 0) and the program still runs. It has read
    /// everything it was sent and went on without close(): its kernel
    /// sends the FIN at close() (RFC 9293 §3.10.4), or when the program
    /// ends and the kernel closes what it left open, and neither happened.
    fn left_open(&mut self, step: &Step) -> Option<(String, event::LeftOpen)> {
        let actor = self.program_actor()?.clone();
        let fin = step.expect.iter().find(|e| {
            e.from == actor
                && matches!(
                    e.kind,
                    crate::lesson::WireKind::Tcp { flags, .. }
                        if flags.contains(crate::packet::TcpFlags::FIN)
                )
        })?;
        let to = fin.to.clone();
        let program = self.learner.as_mut()?.program.as_mut()?;
        if !program.running() {
            return None;
        }
        // Its connection: the TCP socket whose peer is the socket of
        // socklab's that waits for the FIN, not that socket itself. The
        // kernel asked directly, not guessed from what the program printed.
        let listed = crate::kernel::diag::Diag::open().ok()?.sockets().ok()?;
        let owned = |port: u16| self.owners.get(&(Protocol::Tcp, port));
        let theirs: Vec<_> = listed
            .iter()
            .filter(|s| {
                s.tcp
                    && s.inode != 0
                    && owned(s.local_port) != Some(&to)
                    && owned(s.remote_port) == Some(&to)
            })
            .collect();
        let [connection] = theirs.as_slice() else {
            return None;
        };
        let state = TcpState::from_linux(connection.state)?;
        (state == TcpState::Established && connection.rqueue == 0).then(|| {
            (
                fin.to_string(),
                event::LeftOpen {
                    actor,
                    peer: to,
                    state: "ESTABLISHED".to_string(),
                },
            )
        })
    }

    /// The kernel's view as it is now, even when it has not changed since
    /// it was last shown: the state the program left its sockets in.
    fn show_kernel_now(&mut self, number: usize) -> Result<(), RunError> {
        self.kernel.forget_shown();
        let sockets = self.sockets.view();
        if let Some(table) = self
            .kernel
            .update(number, &sockets, &self.owners, Some(&self.tracker))
        {
            self.sink.emit(Event::Kernel(table))?;
        }
        Ok(())
    }

    /// Starts the learner's program and waits until it is `ready`.
    pub(super) fn start_program(&mut self, ready: Ready) -> Result<(), RunError> {
        let Some(learner) = self.learner.as_mut() else {
            return Ok(());
        };
        let program = Program::start(&learner.spec).map_err(RunError::ProgramStart)?;
        let program = learner.program.insert(program);
        let (protocol, port) = match ready {
            Ready::Started => {
                self.wait_first_socket();
                return Ok(());
            }
            Ready::Listen(port) => (Protocol::Tcp, port),
            Ready::Bind(port) => (Protocol::Udp, port),
        };
        let until = Instant::now() + READY_BOUND;
        loop {
            if self.interrupted.load(std::sync::atomic::Ordering::Relaxed) {
                return Err(RunError::Interrupted);
            }
            let ready = match protocol {
                Protocol::Tcp => listens(port),
                _ => crate::kernel::sockets()
                    .iter()
                    .any(|k| k.protocol == protocol && k.local.port() == port),
            };
            if ready {
                return Ok(());
            }
            if !program.running() {
                let status = program.status().and_then(|s| s.code());
                return Err(RunError::Check(Failure::Ended { status }));
            }
            if Instant::now() >= until {
                return Err(RunError::Check(Failure::NotReady {
                    protocol,
                    port,
                    seconds: READY_BOUND.as_secs(),
                }));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// A client program is ready when it has made its first socket
    /// (connected, or sent a datagram): socklab's calls that wait for it
    /// have their usual bound from then on, not from the moment the
    /// interpreter was started (a loaded machine can take seconds to start
    /// Python). Bounded by `READY_BOUND`; a program that ends or never
    /// makes a socket is left to the step's calls to find out.
    fn wait_first_socket(&mut self) {
        let until = Instant::now() + READY_BOUND;
        loop {
            if self.interrupted.load(std::sync::atomic::Ordering::Relaxed) {
                return;
            }
            let theirs = crate::kernel::sockets().iter().any(|k| {
                k.local.port() != 0 && !self.owners.contains_key(&(k.protocol, k.local.port()))
            });
            let running = self
                .learner
                .as_mut()
                .and_then(|l| l.program.as_mut())
                .is_some_and(|p| p.running());
            if theirs || !running || Instant::now() >= until {
                return;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// The checks of a step that come after its packets: what socklab's
    /// calls received, whether the program exited, printed, wrote.
    fn verify(&mut self, check: &Check) -> Result<(), RunError> {
        if let Some(expected) = &check.received {
            let want = self.expected_bytes(expected);
            let got = &self.sockets.received;
            if *got != want {
                return Err(RunError::Check(Failure::Received {
                    differs_at: differs_at(&want, got),
                    expected: Bytes::new(&want),
                    got: Bytes::new(got),
                }));
            }
        }
        let Some(program) = self.learner.as_mut().and_then(|l| l.program.as_mut()) else {
            return Ok(());
        };
        if check.running && program.wait_exit(CRASH_BOUND) {
            return Err(RunError::Check(Failure::Crashed {
                status: program.status().and_then(|s| s.code()),
            }));
        }
        if check.exits && !program.wait_exit(EXIT_BOUND) {
            return Err(RunError::Check(Failure::DidNotExit {
                seconds: EXIT_BOUND.as_secs(),
            }));
        }
        // Ending is not enough: a traceback ends a program too.
        if check.exits {
            let status = program.status().and_then(|s| s.code());
            if status != Some(0) {
                return Err(RunError::Check(Failure::ExitedWith { status }));
            }
        }
        if let Some(text) = &check.printed {
            let until = Instant::now() + EXIT_BOUND;
            while !program.printed().contains(text.as_str())
                && program.running()
                && Instant::now() < until
            {
                std::thread::sleep(Duration::from_millis(10));
            }
            if !program.printed().contains(text.as_str()) {
                return Err(RunError::Check(Failure::NotPrinted { text: text.clone() }));
            }
        }
        if let Some(name) = &check.wrote {
            let want = self.expected_bytes(&Expected::File(name.clone()));
            let dir = self.learner.as_ref().map(|l| l.spec.dir.clone());
            let got = dir.and_then(|d| std::fs::read(d.join(name)).ok());
            if got.as_deref() != Some(&want[..]) {
                return Err(RunError::Check(Failure::File {
                    name: name.clone(),
                    expected_len: want.len(),
                    got_len: got.as_ref().map(Vec::len),
                    differs_at: got.as_ref().map(|g| differs_at(&want, g)),
                }));
            }
        }
        Ok(())
    }

    fn expected_bytes(&self, expected: &Expected) -> Vec<u8> {
        match expected {
            Expected::Text(text) => text.as_bytes().to_vec(),
            Expected::File(name) => self.sockets.files.get(name).cloned().unwrap_or_default(),
        }
    }

    /// The first of a step's forbidden packets this one is, written as the
    /// learner reads it.
    pub(super) fn forbidden(
        &self,
        step: &Step,
        from: &str,
        to: &str,
        packet: &Packet,
    ) -> Option<String> {
        let check = step.check.as_ref()?;
        check
            .forbid
            .iter()
            .find(|f: &&Expectation| f.matches(from, to, packet))
            .map(|_| super::describe(from, to, packet))
    }

    /// The actor a loopback port belongs to when no socket of socklab's
    /// has it: the learner's program.
    pub(super) fn program_actor(&self) -> Option<&String> {
        self.learner.as_ref().map(|l| &l.actor)
    }
}

/// Whether a TCP socket listens on `port` in the sandbox.
pub(super) fn listens(port: u16) -> bool {
    crate::kernel::sockets().iter().any(|k| {
        k.protocol == Protocol::Tcp
            && k.local.port() == port
            && k.tcp_state() == Some(TcpState::Listen)
    })
}

/// Where two byte strings first differ; the shorter's length when one
/// begins the other.
fn differs_at(a: &[u8], b: &[u8]) -> usize {
    a.iter()
        .zip(b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_difference_is_found() {
        assert_eq!(differs_at(b"hello", b"help"), 3);
        assert_eq!(differs_at(b"hello", b"hel"), 3);
        assert_eq!(differs_at(b"", b"x"), 0);
        assert_eq!(differs_at(b"same", b"same"), 4);
    }
}
