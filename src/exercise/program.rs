//! The learner's program, as socklab runs it: inside the sandbox (it
//! inherits socklab's private network namespace, where only loopback
//! exists, so it cannot reach any other network), in a folder of its own,
//! in its own process group, with what it prints kept, and stopped with
//! its whole group at the end, on its time bound, or when socklab itself
//! dies.

use std::collections::VecDeque;
use std::io::{self, Read, Write};
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::lesson::TypedLine;
use crate::t;

/// At most this much of each output is kept: the end of it, where a
/// traceback is.
const KEPT_OUTPUT: usize = 16 * 1024;

/// A line that is due is typed once the program asks for it; while it
/// waits, socklab looks this often whether it does.
const ASK_POLL_MS: libc::c_int = 1;

/// How long a due line waits for the program to ask for it, at most: a
/// program that socklab cannot see waiting for its input (one that waits
/// in a call `WaitingCall` does not know, or whose memory it may not
/// read) gets it then.
const ASK_BOUND: Duration = Duration::from_millis(500);

/// How to start the program.
#[derive(Debug, Clone)]
pub struct ProgramSpec {
    /// The command and its arguments (the exercise's `args` added), files
    /// of the learner's folder named by their full paths.
    pub command: Vec<String>,
    /// The command as the learner gave it.
    pub given: Vec<String>,
    /// The folder it runs in, with the exercise's given files.
    pub dir: PathBuf,
    /// Lines typed into its standard input, each when it is due; it is
    /// closed after the last.
    pub stdin: Vec<TypedLine>,
    /// How long it may run.
    pub bound: Duration,
}

/// A running (or finished) program.
pub struct Program {
    child: Child,
    started: Instant,
    bound: Duration,
    stdout: Arc<Mutex<Vec<u8>>>,
    stderr: Arc<Mutex<Vec<u8>>>,
    readers: Vec<JoinHandle<()>>,
    /// The person at its keyboard, shared with the reader of its output.
    typist: Arc<Mutex<Typist>>,
    status: Option<ExitStatus>,
    /// socklab stopped it (its bound, or the end of the exercise).
    stopped: bool,
}

/// Why the program could not be started: exit status 2, not a failed
/// check.
#[derive(Debug, thiserror::Error)]
#[error("{}", t!("error-cannot-start", command = .command.as_str(), error = .source.to_string()))]
pub struct StartError {
    pub command: String,
    #[source]
    pub source: io::Error,
}

impl Program {
    pub fn start(spec: &ProgramSpec) -> Result<Program, StartError> {
        let failed = |source| StartError {
            command: spec.command.join(" "),
            source,
        };
        let (program, args) = spec
            .command
            .split_first()
            .ok_or_else(|| failed(io::Error::other(t!("error-empty-command"))))?;
        let mut command = Command::new(program);
        command
            .args(args)
            .current_dir(&spec.dir)
            .stdin(if spec.stdin.is_empty() {
                Stdio::null()
            } else {
                Stdio::piped()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            // Its own group: stopping it stops what it started too.
            .process_group(0)
            // Python buffers what it prints when it is not on a terminal;
            // a program that is stopped would then seem to have printed
            // nothing.
            .env("PYTHONUNBUFFERED", "1");
        // SAFETY: prctl is async-signal-safe; it only sets this child's
        // parent-death signal, so that the program dies with socklab even
        // if socklab is killed outright.
        unsafe {
            command.pre_exec(|| {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                    return Err(io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let mut child = command.spawn().map_err(failed)?;
        let mut typist = Typist {
            stdin: child
                .stdin
                .take()
                .map(|stdin| Box::new(stdin) as Box<dyn Write + Send>),
            untyped: spec.stdin.iter().cloned().collect(),
            armed: false,
            unread: Vec::new(),
            seen: 0,
            typed: Vec::new(),
            due_at: 0,
            // Seen asking where its /proc/PID/syscall can be read.
            asker: Some(child.id() as libc::pid_t).filter(|&pid| waits_for_input(pid).is_some()),
            due_since: None,
            kernel: spec
                .stdin
                .iter()
                .any(|l| l.after_printed.is_some())
                .then(crate::kernel::diag::Diag::open)
                .and_then(Result::ok),
        };
        // What is typed at once is typed now; the rest as the program
        // prints what each line waits for.
        typist.read(b"");
        let typist = Arc::new(Mutex::new(typist));
        let stdout = Arc::new(Mutex::new(Vec::new()));
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let mut readers = Vec::new();
        if let Some(out) = child.stdout.take() {
            readers.push(keep(out, stdout.clone(), Some(typist.clone())));
        }
        if let Some(err) = child.stderr.take() {
            readers.push(keep(err, stderr.clone(), None));
        }
        Ok(Program {
            child,
            started: Instant::now(),
            bound: spec.bound,
            stdout,
            stderr,
            readers,
            typist,
            status: None,
            stopped: false,
        })
    }

    /// Whether it is still running; stops it first if its time is up.
    pub fn running(&mut self) -> bool {
        if self.status.is_some() {
            return false;
        }
        if self.started.elapsed() >= self.bound {
            self.stop();
            return false;
        }
        match self.child.try_wait() {
            Ok(Some(status)) => {
                self.status = Some(status);
                false
            }
            Ok(None) => true,
            Err(_) => false,
        }
    }

    /// Waits at most `bound` for the program to exit; whether it did.
    pub fn wait_exit(&mut self, bound: Duration) -> bool {
        let until = Instant::now() + bound;
        while self.running() {
            if Instant::now() >= until {
                return false;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        !self.stopped
    }

    /// Its exit status, once it has exited by itself.
    pub fn status(&self) -> Option<ExitStatus> {
        self.status
    }

    /// Whether socklab had to stop it because its time was up.
    pub fn timed_out(&self) -> bool {
        self.stopped && self.started.elapsed() >= self.bound
    }

    /// Stops the program and everything it started (its process group).
    pub fn stop(&mut self) {
        if self.status.is_some() {
            return;
        }
        let group = self.child.id() as libc::pid_t;
        // SAFETY: kill only sends a signal, to the group the child leads.
        unsafe {
            libc::kill(-group, libc::SIGKILL);
        }
        self.status = self.child.wait().ok();
        self.stopped = true;
    }

    /// Stops it if it still runs, and gives what it printed: the report.
    pub fn finish(&mut self) -> crate::event::ProgramReport {
        if self.running() {
            self.stop();
        }
        for reader in self.readers.drain(..) {
            let _ = reader.join();
        }
        let text = |kept: &Arc<Mutex<Vec<u8>>>| {
            let bytes = kept.lock().map(|b| b.clone()).unwrap_or_default();
            String::from_utf8_lossy(&bytes).into_owned()
        };
        let kept = self.stdout.lock().map(|b| b.clone()).unwrap_or_default();
        let (typed_seen, typed) = self
            .typist
            .lock()
            .map(|t| (t.seen, t.typed.clone()))
            .unwrap_or_default();
        let (stdout, typed) = with_typed(&kept, typed_seen, &typed);
        crate::event::ProgramReport {
            status: if self.stopped {
                None
            } else {
                self.status.and_then(|s| s.code())
            },
            stopped: self.stopped,
            stdout,
            typed,
            stderr: text(&self.stderr),
            not_typed: self.typist.lock().ok().and_then(|typist| {
                typist.untyped.front().map(|next| crate::event::NotTyped {
                    line: next.line.clone(),
                    after_printed: next.after_printed.clone().unwrap_or_default(),
                })
            }),
        }
    }

    /// socklab's side is about to say `said`. If the next line to type
    /// waits for the program to print that, only what it prints from now
    /// on counts: a program that printed it before hearing it (a banner
    /// that names the word) must not get its answer early.
    pub fn arm(&mut self, said: &str) {
        if let Ok(mut typist) = self.typist.lock() {
            typist.arm(said);
        }
    }

    /// What it has printed on standard output so far.
    pub fn printed(&self) -> String {
        let bytes = self.stdout.lock().map(|b| b.clone()).unwrap_or_default();
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl Drop for Program {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Reads an output to its end, keeping its last `KEPT_OUTPUT` bytes, and
/// showing it to the typist, if any, as it comes. While the typist has a
/// line due, it is also told each time nothing more comes for a moment,
/// so that it can see whether the program now asks for that line.
fn keep(
    mut from: impl Read + AsRawFd + Send + 'static,
    into: Arc<Mutex<Vec<u8>>>,
    typist: Option<Arc<Mutex<Typist>>>,
) -> JoinHandle<()> {
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        loop {
            let due = typist
                .as_ref()
                .and_then(|t| t.lock().ok())
                .is_some_and(|t| t.due_since.is_some());
            if due {
                let mut output = libc::pollfd {
                    fd: from.as_raw_fd(),
                    events: libc::POLLIN,
                    revents: 0,
                };
                // SAFETY: one pollfd, ours, for the length given.
                if unsafe { libc::poll(&mut output, 1, ASK_POLL_MS) } == 0 {
                    if let Some(mut typist) = typist.as_ref().and_then(|t| t.lock().ok()) {
                        typist.type_due(Some(from.as_raw_fd()));
                    }
                    continue;
                }
            }
            let Ok(n) = from.read(&mut buf) else {
                break;
            };
            if n == 0 {
                break;
            }
            if let Ok(mut kept) = into.lock() {
                kept.extend_from_slice(&buf[..n]);
                if kept.len() > KEPT_OUTPUT {
                    let cut = kept.len() - KEPT_OUTPUT;
                    kept.drain(..cut);
                }
            }
            if let Some(mut typist) = typist.as_ref().and_then(|t| t.lock().ok()) {
                typist.read(&buf[..n]);
            }
        }
    })
}

/// The person at the program's keyboard: types each line once the program
/// has printed what the line waits for (the chat's answer once the
/// client's line is on the screen), and closes the input after the last.
/// Driven by what the program prints, so the order is the same in every
/// run: a program that asks for its answer before it has printed the
/// question waits, as it would for a person.
struct Typist {
    /// The program's standard input; `None` once closed, or for a program
    /// given no input.
    stdin: Option<Box<dyn Write + Send>>,
    /// Lines not typed yet, the next one first.
    untyped: VecDeque<TypedLine>,
    /// Whether socklab's side has said what the next line waits for (see
    /// [`Program::arm`]); what the program printed before does not count.
    armed: bool,
    /// What the program printed since the line before was typed, or since
    /// it was armed, searched for what the next line waits for.
    unread: Vec<u8>,
    /// How many bytes the program has printed on standard output so far;
    /// `unread` is always their end.
    seen: usize,
    /// Each line written to its standard input, with where in what the
    /// program printed it was typed: after all it printed before it asked
    /// for the line (see [`Typist::type_due`]); where it cannot be seen
    /// asking, just after the text the line waited for, or with the line
    /// before it. Never where the typist happened to be in reading the
    /// output (a read takes in what came by then, more some runs than
    /// others): the same place in every run.
    typed: Vec<(usize, String)>,
    /// Where the next line to type was due (see `typed`).
    due_at: usize,
    /// The program, to see whether it asks for its input; `None` where it
    /// cannot be seen (no /proc/PID/syscall, a test): lines are typed as
    /// soon as they are due.
    asker: Option<libc::pid_t>,
    /// Since when the next line has been due (the program printed what it
    /// waits for) without the program asking for it yet.
    due_since: Option<Instant>,
    /// The sandbox's sockets, to see whether an ACK is still owed; `None`
    /// where sock_diag is missing, or no line waits for the program.
    kernel: Option<crate::kernel::diag::Diag>,
}

impl Typist {
    fn arm(&mut self, said: &str) {
        if let Some(wanted) = self.untyped.front().and_then(|l| l.after_printed.as_ref())
            && !self.armed
            && said.contains(wanted.as_str())
        {
            self.armed = true;
            self.unread.clear();
        }
    }

    /// The program printed `printed`: types every line now due that the
    /// program asks for.
    fn read(&mut self, printed: &[u8]) {
        self.seen += printed.len();
        self.unread.extend_from_slice(printed);
        self.type_due(None);
    }

    /// Types each line that is due, once the program asks for it: as a
    /// person types an answer after the prompt, not while the question is
    /// still being printed. The program asks when it waits in read(2) on
    /// its standard input and everything it printed before has been read
    /// here (`output`: its standard output, then empty); the line then
    /// stands right after all that, its prompt included, in every run.
    ///
    /// And a person takes longer to type than a kernel takes to acknowledge
    /// the line it has just received: its delayed-ACK timer, 40 ms at
    /// least (RFC 9293 §3.8.6.3; Linux's TCP_DELACK_MIN). So the line is
    /// typed once no connection has a delayed-ACK window open. Typed
    /// sooner, the answer went out with that ACK on a quiet machine and
    /// after it on a loaded one (a chat's ladder changed from run to run).
    fn type_due(&mut self, output: Option<RawFd>) {
        while let Some(next) = self.untyped.front() {
            if let Some(wanted) = &next.after_printed {
                if self.due_since.is_none() {
                    let found = if self.armed {
                        find(&self.unread, wanted.as_bytes())
                    } else {
                        None
                    };
                    let Some(at) = found else {
                        // Bounded: what a later print could still complete.
                        let keep_from = self.unread.len().saturating_sub(wanted.len());
                        self.unread.drain(..keep_from);
                        return;
                    };
                    self.due_at = self.seen - self.unread.len() + at + wanted.len();
                    self.unread.drain(..at + wanted.len());
                    self.armed = false;
                    self.due_since = Some(Instant::now());
                }
                // Where it cannot be seen asking, typed as soon as due.
                if let Some(pid) = self.asker {
                    // It waits for its input, everything it printed before
                    // read here: then it prints nothing more, and what is
                    // not read yet stays as it is.
                    let waits = output.is_some_and(|fd| {
                        waits_for_input(pid) == Some(true) && unread_bytes(fd) == Some(0)
                    });
                    let acked = || {
                        self.kernel
                            .as_ref()
                            .is_none_or(|k| k.ack_windows().is_ok_and(|w| w.is_zero()))
                    };
                    let waited_enough = self.due_since.is_some_and(|t| t.elapsed() >= ASK_BOUND);
                    if !(waited_enough || waits && acked()) {
                        return;
                    }
                    if waits {
                        self.due_at = self.seen;
                    }
                }
                self.due_since = None;
            }
            let line = format!("{}\n", next.line);
            // A program that exits without reading its input is not an
            // error here; its checks say what it did. Only a line that was
            // written is shown as typed.
            if let Some(stdin) = self.stdin.as_mut()
                && stdin.write_all(line.as_bytes()).is_ok()
            {
                self.typed.push((self.due_at, next.line.clone()));
            }
            self.untyped.pop_front();
        }
        // All typed: the input ends (input() raises EOFError).
        self.stdin = None;
    }
}

/// The kept end of standard output (`kept`, the last bytes of `seen`
/// printed in all) as text, and each typed line that falls in it with
/// where it was typed, counted in that text's bytes. Each piece between two
/// typed lines is made text by itself, so that a byte that is not UTF-8
/// (said as U+FFFD, three bytes) does not move the lines after it.
fn with_typed(
    kept: &[u8],
    seen: usize,
    typed: &[(usize, String)],
) -> (String, Vec<crate::event::Typed>) {
    let dropped = seen.saturating_sub(kept.len());
    let mut text = String::new();
    let mut shown = Vec::new();
    let mut from = 0;
    for (at, line) in typed {
        // Typed while what it printed then was cut off since: not shown.
        let Some(at) = at.checked_sub(dropped) else {
            continue;
        };
        let at = at.min(kept.len()).max(from);
        text.push_str(&String::from_utf8_lossy(&kept[from..at]));
        from = at;
        shown.push(crate::event::Typed {
            at: text.len(),
            line: line.clone(),
        });
    }
    text.push_str(&String::from_utf8_lossy(&kept[from..]));
    (text, shown)
}

/// Whether a thread of process `pid` waits for its standard input, as a
/// person at a keyboard would see it: blocked in read(2) on descriptor 0,
/// or in select(2), poll(2) or epoll_wait(2) with descriptor 0 among those
/// it waits to read (a chat client that waits for the keyboard and the
/// server at once; the keyboard in a thread of its own). Each thread's
/// `/proc/PID/task/TID/syscall` gives the call and its arguments; what a
/// pointer argument points at is read from `/proc/PID/mem` (the program is
/// socklab's child, so socklab may), and an epoll set's descriptors from
/// `/proc/PID/fdinfo`. `None` where no thread's call can be read: a
/// process that has ended, or a kernel without CONFIG_HAVE_ARCH_TRACEHOOK.
fn waits_for_input(pid: libc::pid_t) -> Option<bool> {
    let calls = thread_calls(pid)?;
    Some(
        calls.iter().any(|text| {
            WaitingCall::parse(text).is_some_and(|call| call.includes_standard_input(pid))
        }),
    )
}

/// What each thread of process `pid` is doing, as its
/// `/proc/PID/task/TID/syscall` says: `None` if none of them can be read.
fn thread_calls(pid: libc::pid_t) -> Option<Vec<String>> {
    let tasks = std::fs::read_dir(format!("/proc/{pid}/task")).ok()?;
    let calls: Vec<String> = tasks
        .flatten()
        .filter_map(|task| std::fs::read_to_string(task.path().join("syscall")).ok())
        .collect();
    (!calls.is_empty()).then_some(calls)
}

/// A system call a thread is blocked in that may be waiting for input.
#[derive(Debug, PartialEq, Eq)]
enum WaitingCall {
    /// read(2) on descriptor `fd`.
    Read { fd: u64 },
    /// select(2) or pselect6(2): the first `nfds` descriptors, those set
    /// in the `fd_set` at `readfds` (0: none).
    Select { nfds: u64, readfds: u64 },
    /// poll(2) or ppoll(2): `nfds` `struct pollfd` at `fds`.
    Poll { fds: u64, nfds: u64 },
    /// epoll_wait(2) and its kin on the epoll instance `epfd`.
    Epoll { epfd: u64 },
}

impl WaitingCall {
    /// From `/proc/PID/task/TID/syscall`: the call's number, then its
    /// arguments in hexadecimal ("running" while it runs).
    fn parse(syscall: &str) -> Option<WaitingCall> {
        let mut fields = syscall.split_whitespace();
        let number: libc::c_long = fields.next()?.parse().ok()?;
        let args: Vec<u64> = fields
            .take(6)
            .map(|a| u64::from_str_radix(a.trim_start_matches("0x"), 16))
            .collect::<Result<_, _>>()
            .ok()?;
        let arg = |i: usize| args.get(i).copied();
        Some(match number {
            libc::SYS_read => WaitingCall::Read { fd: arg(0)? },
            libc::SYS_select | libc::SYS_pselect6 => WaitingCall::Select {
                nfds: arg(0)?,
                readfds: arg(1)?,
            },
            libc::SYS_poll | libc::SYS_ppoll => WaitingCall::Poll {
                fds: arg(0)?,
                nfds: arg(1)?,
            },
            libc::SYS_epoll_wait | libc::SYS_epoll_pwait | libc::SYS_epoll_pwait2 => {
                WaitingCall::Epoll { epfd: arg(0)? }
            }
            _ => return None,
        })
    }

    /// Whether descriptor 0 is among those the call waits to read.
    fn includes_standard_input(&self, pid: libc::pid_t) -> bool {
        match *self {
            WaitingCall::Read { fd } => fd == 0,
            WaitingCall::Select { nfds, readfds } => {
                // Bit 0 of the fd_set's first byte is descriptor 0.
                nfds > 0
                    && readfds != 0
                    && read_memory(pid, readfds, 1).is_some_and(|set| set[0] & 1 == 1)
            }
            // Bounded: a program waits on a few descriptors, not thousands.
            // struct pollfd { int fd; short events; short revents; }
            WaitingCall::Poll { fds, nfds } => read_memory(pid, fds, nfds.min(64) as usize * 8)
                .is_some_and(|set| {
                    set.chunks_exact(8).any(|entry| {
                        let fd = i32::from_ne_bytes([entry[0], entry[1], entry[2], entry[3]]);
                        let events = i16::from_ne_bytes([entry[4], entry[5]]);
                        fd == 0 && events & libc::POLLIN != 0
                    })
                }),
            WaitingCall::Epoll { epfd } => {
                std::fs::read_to_string(format!("/proc/{pid}/fdinfo/{epfd}"))
                    .is_ok_and(|info| epoll_reads_standard_input(&info))
            }
        }
    }
}

/// `len` bytes of process `pid`'s memory at `address`.
fn read_memory(pid: libc::pid_t, address: u64, len: usize) -> Option<Vec<u8>> {
    use std::os::unix::fs::FileExt;
    let mem = std::fs::File::open(format!("/proc/{pid}/mem")).ok()?;
    let mut bytes = vec![0u8; len];
    mem.read_exact_at(&mut bytes, address).ok()?;
    Some(bytes)
}

/// An epoll instance's `/proc/PID/fdinfo` lists each descriptor it
/// watches as `tfd: N events: MASK …`: whether descriptor 0 is there,
/// watched for input (EPOLLIN).
fn epoll_reads_standard_input(fdinfo: &str) -> bool {
    fdinfo.lines().any(|line| {
        let mut fields = line.split_whitespace();
        fields.next() == Some("tfd:")
            && fields.next() == Some("0")
            && fields.next() == Some("events:")
            && fields
                .next()
                .and_then(|mask| u32::from_str_radix(mask, 16).ok())
                .is_some_and(|mask| mask & libc::EPOLLIN as u32 != 0)
    })
}

/// How many bytes wait unread in the pipe `fd` (FIONREAD).
fn unread_bytes(fd: RawFd) -> Option<libc::c_int> {
    let mut count: libc::c_int = 0;
    // SAFETY: FIONREAD writes one int, ours.
    (unsafe { libc::ioctl(fd, libc::FIONREAD, &mut count) } == 0).then_some(count)
}

/// Where `needle` first occurs in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A folder of its own for the program, removed when dropped.
pub struct Scratch {
    pub path: PathBuf,
}

impl Scratch {
    /// A new, empty folder under the system's temporary folder.
    pub fn new(id: &str) -> io::Result<Scratch> {
        let base = std::env::temp_dir();
        for attempt in 0..100u32 {
            let path = base.join(format!("socklab-{id}-{}-{attempt}", std::process::id()));
            match std::fs::create_dir(&path) {
                Ok(()) => return Ok(Scratch { path }),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        Err(io::Error::other(t!("error-no-scratch-name")))
    }

    pub fn write(&self, name: &str, bytes: &[u8]) -> io::Result<()> {
        std::fs::write(self.path.join(name), bytes)
    }

    pub fn read(&self, name: &str) -> Option<Vec<u8>> {
        std::fs::read(self.path.join(name)).ok()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(command: &[&str], bound: Duration) -> ProgramSpec {
        ProgramSpec {
            command: command.iter().map(|s| s.to_string()).collect(),
            given: vec![],
            dir: std::env::temp_dir(),
            stdin: ["one", "two"]
                .map(|line| TypedLine {
                    line: line.to_string(),
                    after_printed: None,
                })
                .to_vec(),
            bound,
        }
    }

    #[test]
    fn output_and_status_are_kept() {
        let mut program = Program::start(&spec(
            &["sh", "-c", "cat; echo oops >&2; exit 3"],
            Duration::from_secs(10),
        ))
        .unwrap();
        assert!(program.wait_exit(Duration::from_secs(10)));
        let report = program.finish();
        assert_eq!(report.status, Some(3));
        assert_eq!(report.stdout, "one\ntwo\n");
        assert_eq!(report.stderr, "oops\n");
        assert!(!report.stopped);
    }

    fn typed(line: &str, after_printed: Option<&str>) -> TypedLine {
        TypedLine {
            line: line.to_string(),
            after_printed: after_printed.map(str::to_string),
        }
    }

    /// What a typist typed, for a test to read.
    #[derive(Clone, Default)]
    struct Keyboard(Arc<Mutex<Vec<u8>>>);

    impl Write for Keyboard {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn typist(lines: Vec<TypedLine>) -> (Typist, Keyboard) {
        let keyboard = Keyboard::default();
        let typist = Typist {
            stdin: Some(Box::new(keyboard.clone())),
            untyped: lines.into(),
            armed: false,
            unread: Vec::new(),
            seen: 0,
            typed: Vec::new(),
            due_at: 0,
            asker: None,
            due_since: None,
            kernel: None,
        };
        (typist, keyboard)
    }

    fn typed_so_far(keyboard: &Keyboard) -> String {
        String::from_utf8(keyboard.0.lock().unwrap().clone()).unwrap()
    }

    /// The calls a thread may wait for input in, from
    /// `/proc/PID/task/TID/syscall`.
    #[test]
    fn the_call_a_thread_waits_in_is_read_from_proc() {
        let line = |number: libc::c_long, args: &str| format!("{number} {args} 0x7ffc 0x7f12");
        let parse = |number, args| WaitingCall::parse(&line(number, args));
        let six = "0x0 0x7ffd 0x2000 0x0 0x0 0x0";
        assert_eq!(
            parse(libc::SYS_read, six),
            Some(WaitingCall::Read { fd: 0 })
        );
        assert_eq!(
            parse(libc::SYS_read, "0x3 0x7ffd 0x2000 0x0 0x0 0x0"),
            Some(WaitingCall::Read { fd: 3 })
        );
        assert_eq!(
            parse(libc::SYS_pselect6, "0x5 0x7ffd10 0x0 0x0 0x0 0x0"),
            Some(WaitingCall::Select {
                nfds: 5,
                readfds: 0x7ffd10
            })
        );
        assert_eq!(
            parse(libc::SYS_poll, "0x7ffd20 0x2 0xffffffff 0x0 0x0 0x0"),
            Some(WaitingCall::Poll {
                fds: 0x7ffd20,
                nfds: 2
            })
        );
        assert_eq!(
            parse(libc::SYS_epoll_wait, "0x4 0x7ffd 0x1 0xffffffff 0x0 0x0"),
            Some(WaitingCall::Epoll { epfd: 4 })
        );
        // Another call, a thread running, nothing.
        assert_eq!(parse(libc::SYS_futex, six), None);
        assert_eq!(WaitingCall::parse("running"), None);
        assert_eq!(WaitingCall::parse(""), None);
        // A read on descriptor 0 is input; on a socket it is not.
        assert!(WaitingCall::Read { fd: 0 }.includes_standard_input(0));
        assert!(!WaitingCall::Read { fd: 3 }.includes_standard_input(0));
        // No descriptors to read: nothing to look up.
        let none = WaitingCall::Select {
            nfds: 4,
            readfds: 0,
        };
        assert!(!none.includes_standard_input(0));
    }

    #[test]
    fn an_epoll_set_reads_standard_input_if_it_watches_descriptor_0_for_input() {
        let info = |tfd: &str, events: &str| {
            format!(
                "pos:\t0\nflags:\t02\nmnt_id:\t16\nino:\t1057\n\
                 tfd:        3 events:       19 data:                3  pos:0 ino:4d2 sdev:8\n\
                 tfd: {tfd:>8} events: {events:>8} data: {tfd:>16}  pos:0 ino:5 sdev:d\n"
            )
        };
        assert!(epoll_reads_standard_input(&info("0", "19")));
        assert!(epoll_reads_standard_input(&info("0", "1")));
        // Descriptor 0 for output only (EPOLLOUT), or only other descriptors.
        assert!(!epoll_reads_standard_input(&info("0", "4")));
        assert!(!epoll_reads_standard_input(&info("7", "19")));
        assert!(!epoll_reads_standard_input(""));
    }

    /// Real programs, each left blocked in one way of waiting: socklab
    /// sees those that wait for their standard input, and not the one
    /// that waits on another pipe only.
    #[test]
    fn a_program_that_waits_for_the_keyboard_among_other_things_is_seen_asking() {
        if std::process::Command::new("python3")
            .arg("--version")
            .output()
            .is_err()
        {
            crate::testutil::skip(
                "a_program_that_waits_for_the_keyboard_among_other_things_is_seen_asking",
                "python3 is not installed (`.ci/run` installs it)",
            );
            return;
        }
        let cases = [
            ("input()", "input()", true),
            (
                "select",
                "import select, sys; select.select([sys.stdin], [], [])",
                true,
            ),
            (
                "select on another pipe",
                "import os, select; r, w = os.pipe(); select.select([r], [], [])",
                false,
            ),
            (
                "poll",
                "import select, sys; p = select.poll(); p.register(sys.stdin, select.POLLIN); p.poll()",
                true,
            ),
            (
                "epoll",
                "import selectors, sys; s = selectors.DefaultSelector(); \
                 s.register(sys.stdin, selectors.EVENT_READ); s.select()",
                true,
            ),
            (
                "input() in a thread",
                "import threading; t = threading.Thread(target=input); t.start(); t.join()",
                true,
            ),
        ];
        for (name, code, asks) in cases {
            let mut child = std::process::Command::new("python3")
                .args(["-S", "-c", code])
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap();
            let pid = child.id() as libc::pid_t;
            // Bounded: the program blocks within milliseconds; then every
            // thread sits in a call that is not "running".
            let deadline = Instant::now() + Duration::from_secs(10);
            let mut seen = None;
            while Instant::now() < deadline {
                seen = waits_for_input(pid);
                if seen == Some(asks) && (asks || settled(pid)) {
                    break;
                }
                std::thread::sleep(Duration::from_millis(5));
            }
            let _ = child.kill();
            let _ = child.wait();
            assert_eq!(seen, Some(asks), "{name}");
        }
    }

    /// Every thread of `pid` is blocked in a call (none "running"), and
    /// the main one has left Python's start-up (it waits in a call that
    /// `WaitingCall` knows).
    fn settled(pid: libc::pid_t) -> bool {
        thread_calls(pid).is_some_and(|calls| {
            calls.iter().all(|c| !c.starts_with("running"))
                && calls.iter().any(|c| WaitingCall::parse(c).is_some())
        })
    }

    /// A line at once is typed at once; one that waits, once socklab's
    /// side has said its text and the program has printed it; the input
    /// ends after the last.
    #[test]
    fn lines_are_typed_once_the_program_printed_what_socklab_said() {
        let (mut t, keyboard) = typist(vec![
            typed("one", None),
            typed("two", Some("ready")),
            typed("three", Some("how")),
        ]);
        t.read(b"");
        assert_eq!(typed_so_far(&keyboard), "one\n");
        // Printed before socklab said it: does not count.
        t.read(b"ready?\n");
        assert_eq!(typed_so_far(&keyboard), "one\n");
        t.arm("ready");
        t.read(b"got: ready\n");
        assert_eq!(typed_so_far(&keyboard), "one\ntwo\n");
        // Said, then printed across two reads.
        t.arm("how are you?");
        t.read(b"got: ho");
        assert_eq!(typed_so_far(&keyboard), "one\ntwo\n");
        assert!(t.unread.len() <= "how".len());
        t.read(b"w are you?\n");
        assert_eq!(typed_so_far(&keyboard), "one\ntwo\nthree\n");
        assert!(t.stdin.is_none(), "the input ends after the last line");
        // Each where it was due in what was printed, just after the text
        // it waited for, however the output came in pieces.
        let due = |text: &str| t.typed.iter().find(|(_, l)| l == text).map(|(at, _)| *at);
        assert_eq!(due("one"), Some(0));
        assert_eq!(due("two"), Some("ready?\ngot: ready".len()));
        assert_eq!(due("three"), Some("ready?\ngot: ready\ngot: how".len()));
    }

    /// Where typed lines fall in the kept end of the output; one typed
    /// where the output was cut off since is not shown.
    #[test]
    fn typed_lines_are_placed_in_the_kept_output() {
        let (text, typed) = with_typed(b"world\n", 12, &[(3, "a".into()), (8, "b".into())]);
        assert_eq!(text, "world\n");
        assert_eq!(
            typed,
            [crate::event::Typed {
                at: 2,
                line: "b".into()
            }]
        );
        // A byte that is not UTF-8 before a typed line does not move it.
        let (text, typed) = with_typed(b"\xffyou> ", 6, &[(6, "hi".into())]);
        assert_eq!(&text[typed[0].at..], "");
        assert!(text.ends_with("you> "), "{text}");
    }

    /// A banner that names the word, printed before socklab's side said
    /// it, does not get the answer typed early; saying something else
    /// does not arm the line either.
    #[test]
    fn a_banner_before_the_line_was_said_types_nothing() {
        let (mut t, keyboard) = typist(vec![typed("hi there", Some("hello"))]);
        t.read(b"Chat server: the client will say hello\n");
        t.arm("good morning");
        t.read(b"hello\n");
        assert_eq!(typed_so_far(&keyboard), "");
        t.arm("hello");
        t.read(b"you> ");
        assert_eq!(typed_so_far(&keyboard), "");
        t.read(b"client: hello\n");
        assert_eq!(typed_so_far(&keyboard), "hi there\n");
    }

    /// A program that asks before it has printed what the line waits for
    /// waits, and the report names the line held back.
    #[test]
    fn a_line_whose_prompt_never_comes_is_not_typed_and_is_reported() {
        let mut spec = spec(
            &["sh", "-c", "read a; echo never"],
            Duration::from_millis(300),
        );
        spec.stdin = vec![typed("hi there", Some("hello"))];
        let mut program = Program::start(&spec).unwrap();
        assert!(!program.wait_exit(Duration::from_secs(5)));
        let report = program.finish();
        assert!(report.stopped);
        assert_eq!(
            report.not_typed,
            Some(crate::event::NotTyped {
                line: "hi there".into(),
                after_printed: "hello".into(),
            })
        );
    }

    #[test]
    fn a_program_past_its_bound_is_stopped_with_its_children() {
        let mut program = Program::start(&spec(
            &["sh", "-c", "sleep 30 & sleep 30"],
            Duration::from_millis(200),
        ))
        .unwrap();
        let group = program.child.id() as libc::pid_t;
        assert!(!program.wait_exit(Duration::from_secs(5)));
        assert!(program.timed_out());
        let report = program.finish();
        assert!(report.stopped);
        assert_eq!(report.status, None);
        // Nothing of its group is left running (a zombie waiting for its
        // new parent to reap it runs nothing).
        let until = Instant::now() + Duration::from_secs(5);
        while living_in_group(group) > 0 && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert_eq!(living_in_group(group), 0, "the program's group outlived it");
    }

    /// Processes of process group `group` that are not zombies.
    fn living_in_group(group: libc::pid_t) -> usize {
        let Ok(entries) = std::fs::read_dir("/proc") else {
            return 0;
        };
        entries
            .flatten()
            .filter_map(|e| std::fs::read_to_string(e.path().join("stat")).ok())
            .filter(|stat| {
                // pid (comm) state ppid pgrp …; comm may hold spaces.
                let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
                    return false;
                };
                let fields: Vec<&str> = rest.split_whitespace().collect();
                fields.first() != Some(&"Z") && fields.get(2) == Some(&group.to_string().as_str())
            })
            .count()
    }

    #[test]
    fn a_missing_program_is_a_start_error() {
        let err = Program::start(&spec(&["/nonexistent/prog"], Duration::from_secs(1)))
            .err()
            .expect("it cannot start");
        assert!(err.to_string().contains("/nonexistent/prog"), "{err}");
    }

    #[test]
    fn scratch_folders_vanish() {
        let path = {
            let scratch = Scratch::new("test").unwrap();
            scratch.write("a.txt", b"hi").unwrap();
            assert_eq!(scratch.read("a.txt").unwrap(), b"hi");
            scratch.path.clone()
        };
        assert!(!path.exists());
    }
}
