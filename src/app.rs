//! The command line: turns arguments into a lesson run, and errors into
//! one message and an exit status. `main.rs` only calls [`main`].

use std::io::{self, BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};

use crate::lesson::Family;
use crate::lesson::{self, Lesson, LoadError};
use crate::render::code::Lang;
use crate::render::{Painter, WIDTH, styles, wrap};
use crate::replay;
use crate::runner::{self, AutoPacer, Pacer, RunError};
use crate::sandbox::{self, SandboxError};
use crate::watch;

/// Real TCP and UDP exchanges, captured and explained step by step.
///
/// Every lesson runs real sockets in a private network namespace, captures
/// what crosses its loopback, and draws each packet on a time-line diagram
/// with its flags, relative sequence numbers and the state of each socket.
#[derive(Debug, Parser)]
#[command(name = "socklab", version, max_term_width = 100)]
pub struct Cli {
    /// When to use colour: `auto` means when standard output is a terminal
    /// and NO_COLOR is not set.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RunFormat {
    Ladder,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReplayFormat {
    Ladder,
    Lines,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the lessons, in the order they are meant to be taken.
    List {
        /// Load lessons from this folder instead of the built-in set.
        #[arg(long, value_name = "DIR")]
        lessons: Option<PathBuf>,
    },
    /// Annotate a capture file (pcap or pcapng, from socklab, tcpdump or
    /// Wireshark) with the same ladder as a lesson.
    Replay {
        /// The capture file.
        file: PathBuf,
        /// Go straight through without waiting for Enter (implied when
        /// standard input is not a terminal).
        #[arg(long)]
        auto: bool,
        /// Show every packet of long transfers instead of a summary row.
        #[arg(long)]
        all_packets: bool,
        /// Also write what was shown as a Mermaid sequence diagram.
        #[arg(long, value_name = "FILE")]
        mermaid: Option<PathBuf>,
        /// `ladder`: the diagram with its sentences; `lines`: one line per
        /// packet (time, addresses, flags, relative numbers), for long
        /// captures; `json`: one JSON object per packet (schema in the
        /// README).
        #[arg(long, value_enum, default_value_t = ReplayFormat::Ladder)]
        format: ReplayFormat,
        /// Also write every frame read to this pcap file, in the capture's
        /// own link type (a pcapng file becomes a classic pcap).
        #[arg(long, value_name = "FILE")]
        pcap: Option<PathBuf>,
    },
    /// Watch programs socklab did not start: their TCP and UDP on the host's
    /// loopback, explained live on the same ladder, until Ctrl-C, then a
    /// summary per conversation. Needs the right to capture (root or
    /// CAP_NET_RAW); only listens, never promiscuous.
    Watch {
        /// Only this port's traffic (repeat for several); every port when
        /// none is given.
        #[arg(long = "port", value_name = "N")]
        ports: Vec<u16>,
        /// The interface to listen on.
        #[arg(long, value_name = "IF", default_value = "lo")]
        iface: String,
        /// Stop by itself after this many seconds.
        #[arg(long, value_name = "S")]
        seconds: Option<f64>,
        /// Show every packet of long transfers instead of a summary row.
        #[arg(long)]
        all_packets: bool,
        /// `ladder` or `json` (one object per packet, then one per
        /// conversation).
        #[arg(long, value_enum, default_value_t = RunFormat::Ladder)]
        format: RunFormat,
        /// Also write the watched ports' frames to this pcap file.
        #[arg(long, value_name = "FILE")]
        pcap: Option<PathBuf>,
        /// Also write what was shown as a Mermaid sequence diagram.
        #[arg(long, value_name = "FILE")]
        mermaid: Option<PathBuf>,
    },
    /// Check lesson files without running them: every problem is listed with
    /// file, line and column (exit status 2 when there is any).
    Check {
        /// A lesson file, or a folder of them (*.toml). Without it, the
        /// built-in lessons are checked.
        path: Option<PathBuf>,
    },
    /// Run a lesson: real sockets, real packets, explained step by step.
    ///
    /// socklab runs the lesson in a private network namespace: as root it
    /// creates one directly, as an ordinary user through a user namespace.
    /// Nothing is sent outside it. If neither is possible, socklab says how
    /// to allow it.
    #[command(group = clap::ArgGroup::new("which").required(true).args(["lesson", "all"]))]
    Run {
        /// The lesson's id, as `socklab list` shows it.
        lesson: Option<String>,
        /// Run every lesson, in the order of `socklab list`, each in its own
        /// sandbox, and end with a one-line summary per lesson.
        #[arg(long)]
        all: bool,
        /// Run straight through without waiting for Enter (implied when
        /// standard input is not a terminal).
        #[arg(long)]
        auto: bool,
        /// Also write every captured frame to this pcap file (for tcpdump,
        /// tshark or Wireshark).
        #[arg(long, value_name = "FILE")]
        pcap: Option<PathBuf>,
        /// Load lessons from this folder instead of the built-in set.
        #[arg(long, value_name = "DIR")]
        lessons: Option<PathBuf>,
        /// Show each call in this language.
        #[arg(long, value_enum, default_value_t = Lang::Python)]
        code: Lang,
        /// Run over IPv6 (::1) instead of IPv4 (127.0.0.1).
        #[arg(long)]
        ipv6: bool,
        /// Show every packet of long transfers instead of a summary row.
        #[arg(long)]
        all_packets: bool,
        /// Also write what was shown as a Mermaid sequence diagram (for
        /// Markdown and slides).
        #[arg(long, value_name = "FILE")]
        mermaid: Option<PathBuf>,
        /// On the lab wire, keep each packet on the wire until Enter lets it
        /// go, and show meanwhile what each kernel thinks of its sockets.
        #[arg(long, conflicts_with = "all")]
        hold: bool,
        /// Show the lesson's own text in this language (`fr`, …), when the
        /// lesson has a translation; calls and packets stay as they are.
        #[arg(long, value_name = "LANG", conflicts_with = "all")]
        lang: Option<String>,
        /// `ladder`: the diagram and its text; `json`: one JSON object per
        /// event (lesson, step, call, question, packet, kernel, after, end;
        /// schema in the README), straight through as with --auto.
        #[arg(long, value_enum, default_value_t = RunFormat::Ladder, conflicts_with_all = ["all", "hold"])]
        format: RunFormat,
        /// After the run, also write the code it showed (in the --code
        /// language) as one program to run outside socklab: a Python script,
        /// or a Rust main.rs. On the lab wire, one per host (FILE with the
        /// host's name before its extension).
        #[arg(long, value_name = "FILE", conflicts_with = "all")]
        export: Option<PathBuf>,
    },
}

/// Everything that can end a command early.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Lessons(#[from] LoadError),
    #[error("there is no lesson `{id}`{hint}")]
    UnknownLesson { id: String, hint: String },
    #[error(transparent)]
    Sandbox(#[from] SandboxError),
    #[error(transparent)]
    Run(#[from] RunError),
    #[error(transparent)]
    Replay(#[from] replay::ReplayError),
    #[error(transparent)]
    Watch(#[from] watch::WatchError),
    #[error("cannot write the output: {0}")]
    Output(#[from] io::Error),
    #[error("{0}")]
    Usage(String),
    /// The problems were already printed (by `check`): only the status is left.
    #[error("")]
    Reported,
    #[error("{failed} of {total} lessons did not complete")]
    SomeFailed { failed: usize, total: usize },
}

impl Error {
    /// 1: a lesson step failed; 2: bad usage or input, or no capture rights;
    /// 130: interrupted (as shells report SIGINT).
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Run(RunError::MissingPacket { .. } | RunError::CallFailed { .. }) => 1,
            Error::SomeFailed { .. } => 1,
            Error::Run(RunError::Interrupted) => 130,
            Error::Run(RunError::Quit) => 0,
            Error::Replay(replay::ReplayError::Run(RunError::Interrupted)) => 130,
            Error::Replay(replay::ReplayError::Run(RunError::Quit)) => 0,
            _ => 2,
        }
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`socklab run --all | head`) is not a failure: the
        // reader has seen what it wanted.
        Err(e) if e.is_closed_pipe() => ExitCode::SUCCESS,
        Err(
            Error::Run(RunError::Quit) | Error::Replay(replay::ReplayError::Run(RunError::Quit)),
        ) => ExitCode::SUCCESS,
        Err(Error::Reported) => ExitCode::from(2),
        Err(e) => {
            let _ = io::stdout().flush();
            // Standard error may be closed too: nothing is left to say then.
            let mut err = io::stderr().lock();
            let _ = if matches!(e, Error::Run(RunError::Interrupted)) {
                writeln!(
                    err,
                    "\nsocklab: interrupted; nothing is left behind (the sandbox network vanished with the run)"
                )
            } else {
                writeln!(err, "socklab: {e}")
            };
            ExitCode::from(e.exit_code())
        }
    }
}

impl Error {
    /// The error is, at its root, a write to a pipe whose reader has gone
    /// (EPIPE): whichever command was writing, whatever wrapped it.
    pub fn is_closed_pipe(&self) -> bool {
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(self);
        while let Some(error) = source {
            if let Some(io) = error.downcast_ref::<io::Error>()
                && io.kind() == io::ErrorKind::BrokenPipe
            {
                return true;
            }
            source = error.source();
        }
        false
    }
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        // https://no-color.org: a non-empty NO_COLOR turns colour off.
        ColorChoice::Auto => {
            io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// The lessons to choose from: the built-in ones, or a teacher's folder.
/// Broken files in a folder are left out, and said so on standard error:
/// the others still run.
fn load(dir: Option<&PathBuf>) -> Result<Vec<Lesson>, Error> {
    let Some(dir) = dir else {
        return Ok(lesson::builtin());
    };
    let (lessons, problems) = lesson::load_dir_lenient(dir)?;
    if lessons.is_empty() && !problems.is_empty() {
        return Err(LoadError::Invalid(problems).into());
    }
    let broken: std::collections::BTreeSet<&str> =
        problems.iter().map(|p| p.file.as_str()).collect();
    if !broken.is_empty() {
        let files: Vec<&str> = broken.into_iter().collect();
        writeln!(
            io::stderr(),
            "socklab: left out {} with problems ({}); `socklab check {}` lists them",
            match files.len() {
                1 => "1 lesson file".to_string(),
                n => format!("{n} lesson files"),
            },
            files.join(", "),
            dir.display()
        )?;
    }
    Ok(lessons)
}

/// The lesson `wanted` names: an id among `all`, or the path of a lesson
/// file (`socklab run my-lessons/echo.toml`), which is then the only lesson.
fn find_lesson(wanted: &str, all: Vec<Lesson>) -> Result<(Vec<Lesson>, usize), Error> {
    let path = std::path::Path::new(wanted);
    if (wanted.ends_with(".toml") || wanted.contains('/')) && path.is_file() {
        let (lessons, problems) = lesson::load_files(&[path.to_path_buf()])?;
        if !problems.is_empty() {
            return Err(LoadError::Invalid(problems).into());
        }
        return Ok((lessons, 0));
    }
    if let Some(index) = all.iter().position(|l| l.id == wanted) {
        return Ok((all, index));
    }
    let ids = all.iter().map(|l| l.id.as_str());
    let hint = match crate::suggest::closest(wanted, ids) {
        Some(near) => format!("; did you mean `{near}`? (`socklab list` shows every lesson)"),
        None if wanted.ends_with(".toml") => format!(": no file {wanted} either"),
        None => "; `socklab list` shows every lesson".to_string(),
    };
    Err(Error::UnknownLesson {
        id: wanted.to_string(),
        hint,
    })
}

pub fn run(cli: Cli) -> Result<(), Error> {
    let painter = Painter::new(use_color(cli.color));
    match cli.command {
        Command::List { lessons } => list(&painter, &load(lessons.as_ref())?),
        Command::Check { path } => check(&painter, path.as_deref()),
        Command::Watch {
            ports,
            iface,
            seconds,
            all_packets,
            format,
            pcap,
            mermaid,
        } => {
            let interrupted = Arc::new(AtomicBool::new(false));
            let flag = interrupted.clone();
            let _ = ctrlc::set_handler(move || flag.store(true, Ordering::Relaxed));
            let json = format == RunFormat::Json;
            let options = watch::WatchOptions {
                iface,
                ports,
                painter: if json { Painter::new(false) } else { painter },
                all_packets,
                json,
                duration: seconds
                    .filter(|s| s.is_finite() && *s > 0.0)
                    .map(Duration::from_secs_f64),
                pcap,
                mermaid,
            };
            let mut out = io::stdout().lock();
            watch::watch(options, &mut out, interrupted)?;
            Ok(())
        }
        Command::Replay {
            file,
            auto,
            all_packets,
            mermaid,
            format,
            pcap,
        } => {
            let format = match format {
                ReplayFormat::Ladder => replay::Format::Ladder,
                ReplayFormat::Lines => replay::Format::Lines,
                ReplayFormat::Json => replay::Format::Json,
            };
            let interrupted = Arc::new(AtomicBool::new(false));
            let straight = auto || format != replay::Format::Ladder;
            let mut pacer = pacer(straight, interrupted, painter);
            let options = replay::ReplayOptions {
                painter,
                all_packets,
                mermaid,
                format,
                pcap,
            };
            // Lines go out in large writes: a capture may hold millions.
            let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
            replay::replay(&file, options, &mut out, pacer.as_mut())?;
            out.flush()?;
            Ok(())
        }
        Command::Run {
            all: true,
            auto,
            lessons,
            pcap,
            code,
            ipv6,
            mermaid,
            ..
        } => run_all(
            &painter,
            cli.color,
            &load(lessons.as_ref())?,
            lessons.as_ref(),
            (auto, code, ipv6),
            pcap.or(mermaid),
        ),
        Command::Run {
            lesson: Some(lesson),
            auto,
            pcap,
            lessons,
            code,
            ipv6,
            all_packets,
            mermaid,
            hold,
            lang,
            format,
            export,
            ..
        } => {
            let (all, index) = find_lesson(&lesson, load(lessons.as_ref())?)?;
            let lesson = &all[index];
            // A lesson that has an IPv6 counterpart (broadcast: multicast)
            // says why, and the counterpart runs.
            let lesson = match (&lesson.no_ipv6, &lesson.ipv6_lesson) {
                (Some(why), Some(other)) if ipv6 => {
                    let counterpart = all.iter().find(|l| &l.id == other).ok_or_else(|| {
                        Error::Usage(format!(
                            "lesson `{}` names `ipv6_lesson = \"{other}\"`, which is not a lesson",
                            lesson.id
                        ))
                    })?;
                    let note = format!(
                        "{} does not run over IPv6: {why}\nIts IPv6 counterpart follows: {}.\n",
                        lesson.id, counterpart.id
                    );
                    if format == RunFormat::Json {
                        writeln!(io::stderr(), "{note}")?;
                    } else {
                        writeln!(io::stdout(), "{}", painter.paint(&note, styles::dim()))?;
                    }
                    counterpart
                }
                _ => lesson,
            };
            let translated;
            let lesson = match lang.as_deref() {
                None => lesson,
                Some(lang) => {
                    translated = lesson.in_language(lang).ok_or_else(|| {
                        let mut known = vec!["en"];
                        known.extend(lesson.languages());
                        Error::Usage(format!(
                            "lesson `{}` has no `{lang}` translation; it can be shown in: {}",
                            lesson.id,
                            known.join(", ")
                        ))
                    })?;
                    &translated
                }
            };
            if hold && lesson.network.is_none() {
                return Err(Error::Usage(format!(
                    "lesson `{}` runs on the loopback, which cannot hold packets: --hold \
                     needs a lesson on the lab wire (tcp-handshake-held, tcp-retransmission, …)",
                    lesson.id
                )));
            }
            if ipv6 && let Some(why) = &lesson.no_ipv6 {
                return Err(Error::Usage(format!(
                    "lesson `{}` does not run over IPv6: {why}",
                    lesson.id
                )));
            }
            // Before any thread exists: unshare(CLONE_NEWUSER) demands it.
            sandbox::enter()?;
            let interrupted = Arc::new(AtomicBool::new(false));
            let json = format == RunFormat::Json;
            // JSON is for programs: plain strings, nothing waits.
            let painter = if json { Painter::new(false) } else { painter };
            let mut pacer = pacer(auto || json, interrupted.clone(), painter);
            let options = runner::Options {
                pcap,
                painter,
                lang: code,
                family: if ipv6 || lesson.ipv6_only {
                    Family::V6
                } else {
                    Family::V4
                },
                all_packets,
                mermaid,
                hold,
                json,
                export: export.clone(),
            };
            let pcap_path = options.pcap.clone();
            let mut out = io::stdout().lock();
            let summary = runner::run(lesson, options, &mut out, pacer.as_mut(), interrupted)?;
            if let Some(path) = pcap_path {
                let (frames, path) = (summary.frames, path.display());
                let text = format!(
                    "Wrote {frames} frames to {path}: `tshark -r {path}` or Wireshark opens it."
                );
                if json {
                    writeln!(io::stderr(), "{text}")?;
                } else {
                    writeln!(out, "{}", painter.paint(&text, styles::dim()))?;
                }
            }
            if let Some(path) = export {
                let text = exported(lesson, code, &path);
                if json {
                    eprintln!("{text}");
                } else {
                    writeln!(out, "{}", painter.paint(&text, styles::dim()))?;
                }
            }
            Ok(())
        }
        Command::Run { lesson: None, .. } => unreachable!("clap requires a lesson or --all"),
    }
}

/// What `run --export` wrote.
fn exported(lesson: &Lesson, code: Lang, path: &std::path::Path) -> String {
    if lesson.network.is_none() {
        let what = match code {
            Lang::Python => "a Python script",
            Lang::Rust => "a Rust main.rs, its Cargo.toml [dependencies] in its header",
        };
        return format!("Wrote the lesson's code to {}: {what}.", path.display());
    }
    let what = match code {
        Lang::Python => "Python scripts",
        Lang::Rust => "Rust main.rs files, their Cargo.toml [dependencies] in their headers",
    };
    let files: Vec<String> = crate::render::export::hosts_with_calls(lesson)
        .iter()
        .map(|actor| {
            crate::render::export::path_for(path, Some(actor))
                .display()
                .to_string()
        })
        .collect();
    format!(
        "Wrote the lesson's code as one program per host, {}: {what}.",
        files.join(", ")
    )
}

/// Runs every lesson, each as a child `socklab run ID` so that each gets a
/// fresh sandbox (a lesson's TIME-WAIT sockets must not reach the next).
fn run_all(
    p: &Painter,
    color: ColorChoice,
    lessons: &[Lesson],
    dir: Option<&PathBuf>,
    (auto, code, ipv6): (bool, Lang, bool),
    pcap: Option<PathBuf>,
) -> Result<(), Error> {
    if pcap.is_some() {
        return Err(Error::Usage(
            "--pcap and --mermaid name one file, so they go with one lesson, not --all".into(),
        ));
    }
    let exe = std::env::current_exe()?;
    let color = match (color, p.is_on()) {
        (ColorChoice::Auto, true) => "always",
        (ColorChoice::Auto, false) => "never",
        (ColorChoice::Always, _) => "always",
        (ColorChoice::Never, _) => "never",
    };
    let mut results = Vec::new();
    for lesson in lessons {
        if ipv6 && let Some(why) = &lesson.no_ipv6 {
            let mut out = io::stdout();
            match &lesson.ipv6_lesson {
                Some(other) => writeln!(
                    out,
                    "{}: not over IPv6: {why} Its IPv6 counterpart, {other}, runs in its turn.\n",
                    lesson.id
                )?,
                None => writeln!(out, "{}: not over IPv6: {why}\n", lesson.id)?,
            }
            continue;
        }
        let mut child = std::process::Command::new(&exe);
        child.args(["--color", color, "run", &lesson.id]);
        if auto {
            child.arg("--auto");
        }
        if code == Lang::Rust {
            child.args(["--code", "rust"]);
        }
        if ipv6 {
            child.arg("--ipv6");
        }
        if let Some(dir) = dir {
            child.arg("--lessons").arg(dir);
        }
        let started = std::time::Instant::now();
        let status = child.status()?;
        results.push((lesson, status.code(), started.elapsed()));
        // Also how a closed pipe (`| head`) is noticed: the child ended
        // quietly, and this write fails.
        writeln!(io::stdout())?;
        if status.code() == Some(130) || status.code().is_none() {
            break;
        }
    }
    let mut out = io::stdout().lock();
    writeln!(out, "{}", p.paint("Summary", styles::title()))?;
    let width = lessons.iter().map(|l| l.id.len()).max().unwrap_or(0);
    let mut failed = 0;
    for (lesson, code, took) in &results {
        let verdict = match code {
            Some(0) => p.paint("done", styles::good()),
            Some(1) => p.paint("a step failed", styles::error()),
            Some(130) | None => p.paint("interrupted", styles::warn()),
            Some(_) => p.paint("could not run", styles::error()),
        };
        if *code != Some(0) {
            failed += 1;
        }
        writeln!(
            out,
            "  {:<width$}  {verdict:<14}  {:>6.2} s",
            lesson.id,
            took.as_secs_f64()
        )?;
    }
    let skipped = lessons.len()
        - results.len()
        - lessons
            .iter()
            .filter(|l| ipv6 && l.no_ipv6.is_some())
            .count();
    if skipped > 0 {
        writeln!(out, "  ({skipped} lessons not run)")?;
    }
    if failed > 0 || skipped > 0 {
        Err(Error::SomeFailed {
            failed: failed + skipped,
            total: lessons.len(),
        })
    } else {
        Ok(())
    }
}

/// Enter between packets on a terminal, straight through otherwise; Ctrl-C
/// sets `interrupted` either way.
fn pacer(auto: bool, interrupted: Arc<AtomicBool>, painter: Painter) -> Box<dyn Pacer> {
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

fn check(p: &Painter, path: Option<&std::path::Path>) -> Result<(), Error> {
    let mut out = io::stdout().lock();
    let (files, problems) = match path {
        None => (lesson::BUILTIN.len(), {
            lesson::BUILTIN
                .iter()
                .filter_map(|(file, text)| lesson::parse(&format!("lessons/{file}"), text).err())
                .flatten()
                .collect::<Vec<_>>()
        }),
        Some(path) => {
            let files = lesson::lesson_files(path)?;
            let (_, problems) = lesson::load_files(&files)?;
            (files.len(), problems)
        }
    };
    for problem in &problems {
        let place = format!("{}:{}:{}:", problem.file, problem.line, problem.column);
        writeln!(
            out,
            "{} {}",
            p.paint(&place, styles::dim()),
            problem.message
        )?;
    }
    let files_word = if files == 1 { "file" } else { "files" };
    if problems.is_empty() {
        let text = format!("{files} lesson {files_word} checked: no problems.");
        writeln!(out, "{}", p.paint(&text, styles::good()))?;
        Ok(())
    } else {
        let text = format!(
            "{files} lesson {files_word} checked: {} {}.",
            problems.len(),
            if problems.len() == 1 {
                "problem"
            } else {
                "problems"
            }
        );
        writeln!(out, "{}", p.paint(&text, styles::error()))?;
        Err(Error::Reported)
    }
}

fn list(p: &Painter, lessons: &[Lesson]) -> Result<(), Error> {
    let mut out = io::stdout().lock();
    let width = lessons.iter().map(|l| l.id.len()).max().unwrap_or(0);
    for lesson in lessons {
        writeln!(
            out,
            "{}  {}",
            p.paint(&format!("{:<width$}", lesson.id), styles::code()),
            p.paint(&lesson.title, styles::title())
        )?;
        for line in wrap(&lesson.summary, &" ".repeat(width + 2), WIDTH) {
            writeln!(out, "{line}")?;
        }
    }
    writeln!(out, "\nRun one with `socklab run ID`.")?;
    Ok(())
}

enum Input {
    Line(String),
    Closed,
    Interrupt,
}

/// Waits for Enter between packets; `q` + Enter quits, Ctrl-C interrupts.
struct KeyboardPacer {
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
    fn line(&mut self) -> Result<Option<String>, RunError> {
        if self.input_closed {
            return Ok(None);
        }
        match self.input.recv().unwrap_or(Input::Closed) {
            Input::Line(line) if line.trim().eq_ignore_ascii_case("q") => Err(RunError::Quit),
            Input::Line(line) => Ok(Some(line)),
            Input::Interrupt => Err(RunError::Interrupted),
            Input::Closed => {
                self.input_closed = true;
                Ok(None)
            }
        }
    }
}

impl Pacer for KeyboardPacer {
    fn input(&mut self, out: &mut dyn Write, prompt: &str) -> Result<Option<String>, RunError> {
        if self.input_closed {
            return Ok(None);
        }
        write!(out, "\n{}", self.painter.paint(prompt, styles::title()))
            .map_err(RunError::Output)?;
        out.flush().map_err(RunError::Output)?;
        loop {
            match self.input.recv().unwrap_or(Input::Closed) {
                // An empty line sends nothing: ask again.
                Input::Line(line) if line.trim().is_empty() => {
                    write!(out, "{}", self.painter.paint(prompt, styles::title()))
                        .map_err(RunError::Output)?;
                    out.flush().map_err(RunError::Output)?;
                }
                // Here `q` is a word the learner may want to send: only
                // Ctrl-C and the end of input stop a chat.
                Input::Line(line) => return Ok(Some(line)),
                Input::Interrupt => return Err(RunError::Interrupted),
                Input::Closed => {
                    self.input_closed = true;
                    writeln!(out).map_err(RunError::Output)?;
                    return Ok(None);
                }
            }
        }
    }

    fn answer(&mut self, out: &mut dyn Write, choices: usize) -> Result<Option<usize>, RunError> {
        let mut prompt = format!("  Your answer (1-{choices}, q to quit): ");
        loop {
            write!(out, "{}", self.painter.paint(&prompt, styles::title()))
                .map_err(RunError::Output)?;
            out.flush().map_err(RunError::Output)?;
            let Some(line) = self.line()? else {
                writeln!(out).map_err(RunError::Output)?;
                return Ok(None);
            };
            match line.trim().parse::<usize>() {
                Ok(n) if (1..=choices).contains(&n) => return Ok(Some(n - 1)),
                _ => prompt = format!("  Please type a number from 1 to {choices}: "),
            }
        }
    }

    fn pause(&mut self, out: &mut dyn Write, prompt: &str) -> Result<(), RunError> {
        if self.interrupted.load(Ordering::Relaxed) {
            return Err(RunError::Interrupted);
        }
        if self.input_closed {
            return Ok(());
        }
        let text = format!("  [Enter] {prompt} · [q Enter] quit ");
        write!(out, "{}", self.painter.paint(&text, styles::dim())).map_err(RunError::Output)?;
        out.flush().map_err(RunError::Output)?;
        let line = self.line();
        // Erase the prompt line so that the diagram stays clean.
        if io::stdout().is_terminal() {
            write!(out, "\x1b[1A\x1b[2K").map_err(RunError::Output)?;
        } else {
            writeln!(out).map_err(RunError::Output)?;
        }
        line.map(|_| ())
    }
}
