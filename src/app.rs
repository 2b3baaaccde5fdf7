//! The command line: turns arguments into a lesson run, and errors into
//! one message and an exit status. `main.rs` only calls [`main`].

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};

use crate::event::{Observer, Sink};
use crate::lesson::Family;
use crate::lesson::{self, Lesson, LoadError};
use crate::render::code::Lang;
use crate::render::text::{Text, TextOptions};
use crate::render::{Painter, WIDTH, styles, wrap};
use crate::replay;
use crate::runner::{self, RunError};
use crate::sandbox::{self, SandboxError};
use crate::terminal::{self, AutoPacer, Tee, Terminal};
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
    Replay(ReplayArgs),
    /// Watch programs socklab did not start: their TCP and UDP on the host's
    /// loopback, explained live on the same ladder, until Ctrl-C, then a
    /// summary per conversation. Needs the right to capture (root or
    /// CAP_NET_RAW); only listens, never promiscuous.
    Watch(WatchArgs),
    /// Print the JSON Schema of `--format json` (and of a recording's
    /// events): the event type socklab writes, version by version.
    Schema,
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
    Run(RunArgs),
}

/// The arguments of `socklab replay`.
#[derive(Debug, clap::Args)]
pub struct ReplayArgs {
    /// The capture file.
    pub file: PathBuf,
    /// Go straight through without waiting for Enter (implied when
    /// standard input is not a terminal).
    #[arg(long)]
    pub auto: bool,
    /// Show every packet of long transfers instead of a summary row.
    #[arg(long)]
    pub all_packets: bool,
    /// Also write what was shown as a Mermaid sequence diagram.
    #[arg(long, value_name = "FILE")]
    pub mermaid: Option<PathBuf>,
    /// `ladder`: the diagram with its sentences; `lines`: one line per
    /// packet (time, addresses, flags, relative numbers), for long
    /// captures; `json`: one JSON object per packet (schema in the
    /// README).
    #[arg(long, value_enum, default_value_t = ReplayFormat::Ladder)]
    pub format: ReplayFormat,
    /// Also write every frame read to this pcap file, in the capture's
    /// own link type (a pcapng file becomes a classic pcap).
    #[arg(long, value_name = "FILE")]
    pub pcap: Option<PathBuf>,
}

/// The arguments of `socklab watch`.
#[derive(Debug, clap::Args)]
pub struct WatchArgs {
    /// Only this port's traffic (repeat for several); every port when
    /// none is given.
    #[arg(long = "port", value_name = "N")]
    pub ports: Vec<u16>,
    /// The interface to listen on.
    #[arg(long, value_name = "IF", default_value = "lo")]
    pub iface: String,
    /// Stop by itself after this many seconds.
    #[arg(long, value_name = "S")]
    pub seconds: Option<f64>,
    /// Show every packet of long transfers instead of a summary row.
    #[arg(long)]
    pub all_packets: bool,
    /// `ladder` or `json` (one object per packet, then one per
    /// conversation).
    #[arg(long, value_enum, default_value_t = RunFormat::Ladder)]
    pub format: RunFormat,
    /// Also write the watched ports' frames to this pcap file.
    #[arg(long, value_name = "FILE")]
    pub pcap: Option<PathBuf>,
    /// Also write what was shown as a Mermaid sequence diagram.
    #[arg(long, value_name = "FILE")]
    pub mermaid: Option<PathBuf>,
}

/// The arguments of `socklab run`.
#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("which").required(true).args(["lesson", "all"]))]
pub struct RunArgs {
    /// The lesson's id, as `socklab list` shows it.
    pub lesson: Option<String>,
    /// Run every lesson, in the order of `socklab list`, each in its own
    /// sandbox, and end with a one-line summary per lesson.
    #[arg(long)]
    pub all: bool,
    /// Run straight through without waiting for Enter (implied when
    /// standard input is not a terminal).
    #[arg(long)]
    pub auto: bool,
    /// Also write every captured frame to this pcap file (for tcpdump,
    /// tshark or Wireshark).
    #[arg(long, value_name = "FILE")]
    pub pcap: Option<PathBuf>,
    /// Load lessons from this folder instead of the built-in set.
    #[arg(long, value_name = "DIR")]
    pub lessons: Option<PathBuf>,
    /// Show each call in this language.
    #[arg(long, value_enum, default_value_t = Lang::Python)]
    pub code: Lang,
    /// Run over IPv6 (::1) instead of IPv4 (127.0.0.1).
    #[arg(long)]
    pub ipv6: bool,
    /// Show every packet of long transfers instead of a summary row.
    #[arg(long)]
    pub all_packets: bool,
    /// Also write what was shown as a Mermaid sequence diagram (for
    /// Markdown and slides).
    #[arg(long, value_name = "FILE")]
    pub mermaid: Option<PathBuf>,
    /// On the lab wire, keep each packet on the wire until Enter lets it
    /// go, and show meanwhile what each kernel thinks of its sockets.
    #[arg(long, conflicts_with = "all")]
    pub hold: bool,
    /// Show the lesson's own text in this language (`fr`, …), when the
    /// lesson has a translation; calls and packets stay as they are.
    #[arg(long, value_name = "LANG", conflicts_with = "all")]
    pub lang: Option<String>,
    /// `ladder`: the diagram and its text; `json`: one JSON object per
    /// event (lesson, step, call, question, packet, kernel, after, end;
    /// schema in the README), straight through as with --auto.
    #[arg(long, value_enum, default_value_t = RunFormat::Ladder, conflicts_with_all = ["all", "hold"])]
    pub format: RunFormat,
    /// After the run, also write the code it showed (in the --code
    /// language) as one program to run outside socklab: a Python script,
    /// or a Rust main.rs. On the lab wire, one per host (FILE with the
    /// host's name before its extension).
    #[arg(long, value_name = "FILE", conflicts_with = "all")]
    pub export: Option<PathBuf>,
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
        Command::Schema => {
            let schema = serde_json::to_string_pretty(&crate::event::schema())
                .map_err(|e| Error::Usage(e.to_string()))?;
            writeln!(io::stdout(), "{schema}")?;
            Ok(())
        }
        Command::Watch(args) => watch_interface(painter, args),
        Command::Replay(args) => replay_file(painter, args),
        Command::Run(args) if args.all => {
            let lessons = load(args.lessons.as_ref())?;
            run_all(
                &painter,
                cli.color,
                &lessons,
                args.lessons.as_ref(),
                (args.auto, args.code, args.ipv6),
                args.pcap.or(args.mermaid),
            )
        }
        Command::Run(args) => run_lesson(painter, args),
    }
}

/// Observers that write files at the end of a run: a Mermaid diagram, the
/// code as a program.
fn observers<'a>(
    mermaid: Option<PathBuf>,
    all_packets: bool,
    fold_losses: bool,
    export: Option<(&'a Lesson, Lang, PathBuf)>,
) -> Vec<Box<dyn Observer + 'a>> {
    let mut observers: Vec<Box<dyn Observer + 'a>> = Vec::new();
    if let Some(path) = mermaid {
        let diagram = crate::render::mermaid::Mermaid::new(all_packets, fold_losses);
        observers.push(Box::new(crate::render::mermaid::MermaidFile {
            diagram,
            path,
        }));
    }
    if let Some((lesson, lang, path)) = export {
        observers.push(Box::new(crate::render::export::ExportFile::new(
            lesson, lang, path,
        )));
    }
    observers
}

/// The ladder text of traffic socklab did not start (replay, watch): a
/// long run's losses are counted in its summary row.
fn capture_text(painter: Painter, all_packets: bool) -> Text {
    Text::new(TextOptions {
        painter,
        lang: Lang::Python,
        all_packets,
        fold_losses: true,
        live: true,
    })
}

/// `socklab watch`: live traffic of programs socklab did not start.
fn watch_interface(painter: Painter, args: WatchArgs) -> Result<(), Error> {
    let interrupted = Arc::new(AtomicBool::new(false));
    let flag = interrupted.clone();
    let _ = ctrlc::set_handler(move || flag.store(true, Ordering::Relaxed));
    let options = watch::WatchOptions {
        iface: args.iface,
        ports: args.ports,
        duration: args
            .seconds
            .filter(|s| s.is_finite() && *s > 0.0)
            .map(Duration::from_secs_f64),
        pcap: args.pcap,
    };
    let mut out = io::stdout().lock();
    // Ctrl-C is how watch ends, not an interruption of what it shows.
    let mut pacer = AutoPacer {
        interrupted: Arc::new(AtomicBool::new(false)),
    };
    let mut primary: Box<dyn Sink> = match args.format {
        RunFormat::Json => Box::new(terminal::Json { out: &mut out }),
        RunFormat::Ladder => Box::new(Terminal {
            text: capture_text(painter, args.all_packets),
            out: &mut out,
            pacer: &mut pacer,
        }),
    };
    let mut sink = Tee {
        sink: primary.as_mut(),
        observers: observers(args.mermaid, args.all_packets, true, None),
    };
    watch::watch(options, &mut sink, interrupted)?;
    Ok(())
}

/// `socklab replay`: a capture file explained.
fn replay_file(painter: Painter, args: ReplayArgs) -> Result<(), Error> {
    let interrupted = Arc::new(AtomicBool::new(false));
    let straight = args.auto || args.format != ReplayFormat::Ladder;
    let mut pacer = terminal::pacer(straight, interrupted, painter);
    // Lines go out in large writes: a capture may hold millions.
    let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
    let mut primary: Box<dyn Sink> = match args.format {
        ReplayFormat::Json => Box::new(terminal::Json { out: &mut out }),
        ReplayFormat::Lines => Box::new(terminal::Lines { out: &mut out }),
        ReplayFormat::Ladder => Box::new(Terminal {
            text: capture_text(painter, args.all_packets),
            out: &mut out,
            pacer: pacer.as_mut(),
        }),
    };
    let mut sink = Tee {
        sink: primary.as_mut(),
        observers: observers(args.mermaid, args.all_packets, true, None),
    };
    let options = replay::ReplayOptions { pcap: args.pcap };
    let summary = replay::replay(&args.file, options, &mut sink)?;
    drop(sink);
    drop(primary);
    out.flush()?;
    // A file cut short or damaged: what came before was replayed; where it
    // stopped is said on standard error too, whatever the format, so that
    // a script sees it.
    if let Some(stopped) = &summary.stopped {
        writeln!(
            io::stderr(),
            "socklab: {stopped}; the {} frames before it were replayed",
            stopped.frame.saturating_sub(1)
        )?;
    }
    Ok(())
}

/// The lesson `socklab run` is to run: the one named, its IPv6 counterpart
/// with `--ipv6`, in the language asked for.
fn chosen_lesson(args: &RunArgs, painter: &Painter) -> Result<Lesson, Error> {
    let wanted = args.lesson.clone().unwrap_or_default();
    let (all, index) = find_lesson(&wanted, load(args.lessons.as_ref())?)?;
    let lesson = &all[index];
    // A lesson that has an IPv6 counterpart (broadcast: multicast) says
    // why, and the counterpart runs.
    let lesson = match (&lesson.no_ipv6, &lesson.ipv6_lesson) {
        (Some(why), Some(other)) if args.ipv6 => {
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
            if args.format == RunFormat::Json {
                writeln!(io::stderr(), "{note}")?;
            } else {
                writeln!(io::stdout(), "{}", painter.paint(&note, styles::dim()))?;
            }
            counterpart
        }
        _ => lesson,
    };
    let lesson = match args.lang.as_deref() {
        None => lesson.clone(),
        Some(lang) => lesson.in_language(lang).ok_or_else(|| {
            let mut known = vec!["en"];
            known.extend(lesson.languages());
            Error::Usage(format!(
                "lesson `{}` has no `{lang}` translation; it can be shown in: {}",
                lesson.id,
                known.join(", ")
            ))
        })?,
    };
    if args.hold && lesson.network.is_none() {
        return Err(Error::Usage(format!(
            "lesson `{}` runs on the loopback, which cannot hold packets: --hold \
             needs a lesson on the lab wire (tcp-handshake-held, tcp-retransmission, …)",
            lesson.id
        )));
    }
    if args.hold
        && let Some(why) = &lesson.no_hold
    {
        return Err(Error::Usage(format!(
            "lesson `{}` does not run in hold mode: {why}",
            lesson.id
        )));
    }
    if args.ipv6
        && let Some(why) = &lesson.no_ipv6
    {
        return Err(Error::Usage(format!(
            "lesson `{}` does not run over IPv6: {why}",
            lesson.id
        )));
    }
    Ok(lesson)
}

/// `socklab run LESSON`: one lesson, for real, in the sandbox.
fn run_lesson(painter: Painter, args: RunArgs) -> Result<(), Error> {
    let lesson = chosen_lesson(&args, &painter)?;
    // Before any thread exists: unshare(CLONE_NEWUSER) demands it.
    sandbox::enter()?;
    let interrupted = Arc::new(AtomicBool::new(false));
    let json = args.format == RunFormat::Json;
    // JSON is for programs: plain strings, nothing waits.
    let painter = if json { Painter::new(false) } else { painter };
    let mut pacer = terminal::pacer(args.auto || json, interrupted.clone(), painter);
    let options = runner::Options {
        pcap: args.pcap.clone(),
        family: if args.ipv6 || lesson.ipv6_only {
            Family::V6
        } else {
            Family::V4
        },
        hold: args.hold,
    };
    let mut out = io::stdout().lock();
    let summary = {
        let mut primary: Box<dyn Sink> = if json {
            Box::new(terminal::Json { out: &mut out })
        } else {
            Box::new(Terminal {
                text: Text::new(TextOptions {
                    painter,
                    lang: args.code,
                    all_packets: args.all_packets,
                    fold_losses: false,
                    live: true,
                }),
                out: &mut out,
                pacer: pacer.as_mut(),
            })
        };
        let export = args.export.clone().map(|path| (&lesson, args.code, path));
        let mut sink = Tee {
            sink: primary.as_mut(),
            observers: observers(args.mermaid.clone(), args.all_packets, false, export),
        };
        runner::run(&lesson, options, &mut sink, interrupted)?
    };
    let mut said = |text: String| -> Result<(), Error> {
        if json {
            writeln!(io::stderr(), "{text}")?;
        } else {
            writeln!(out, "{}", painter.paint(&text, styles::dim()))?;
        }
        Ok(())
    };
    if let Some(path) = &args.pcap {
        let (frames, path) = (summary.frames, path.display());
        said(format!(
            "Wrote {frames} frames to {path}: `tshark -r {path}` or Wireshark opens it."
        ))?;
    }
    if let Some(path) = &args.export {
        said(exported(&lesson, args.code, path))?;
    }
    Ok(())
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
