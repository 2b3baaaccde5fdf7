//! The command line: turns arguments into a lesson run, and errors into
//! one message and an exit status. `main.rs` only calls [`main`].

use crate::t;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::event::{Observer, Sink};
use crate::lesson::Family;
use crate::lesson::{self, Lesson, LoadError};
use crate::render::code::{Lang, prose};
use crate::render::styles::Theme;
use crate::render::text::{Text, TextOptions};
use crate::render::{Painter, styles, wrap};
use crate::replay;
use crate::runner::{self, RunError};
use crate::sandbox::{self, SandboxError};
use crate::terminal::{self, AutoPacer, Tee, Terminal};
use crate::watch;

/// Real TCP and UDP exchanges, captured and explained step by step.
///
/// Every lesson runs real sockets in a private network namespace, captures
/// what crosses its loopback, and draws each packet on a ladder diagram
/// with its flags, relative sequence numbers and the state of each socket.
#[derive(Debug, Parser)]
#[command(name = "socklab", version, max_term_width = 100)]
pub struct Cli {
    /// When to use colour: `auto` means when standard output is a terminal
    /// and NO_COLOR is not set.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,

    /// The language socklab and the lessons speak: `zh` (简体中文) or `en`;
    /// a lesson translated into another (`fr`) shows its own text in it.
    /// By default the locale's (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), and
    /// English when socklab does not speak it.
    #[arg(long, value_name = "LANG", global = true)]
    pub lang: Option<String>,

    /// Columns to fit the text in (at least 60). By default the terminal's
    /// width up to 100, and 80 when the output is not a terminal.
    #[arg(long, value_name = "N", global = true, value_parser = columns)]
    pub width: Option<u16>,

    /// Draw with plain ASCII (`-->`, `<--`, `+`) instead of box-drawing
    /// lines, arrows and ✓, which terminals in Chinese, Japanese or Korean
    /// locales often draw two columns wide (the ladder then shifts).
    #[arg(long, global = true)]
    pub ascii: bool,

    /// The colours for a dark or a light background (a projector is
    /// usually light): `light` uses no white, yellow or bright colour;
    /// `contrast` no colour at all (bold and heavy lines mark what colour
    /// would), for projectors that wash colours out. By default the
    /// terminal's own word (COLORFGBG) when it gives one, and `dark`
    /// otherwise. Either way the text a learner reads is in the terminal's
    /// own colour, and colour only stresses what the words say.
    #[arg(long, value_enum, value_name = "THEME", global = true)]
    pub theme: Option<Theme>,

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
    /// Show a recording made with `run --record`: the run as it was,
    /// step by step, without namespaces, root or the network.
    Show(ShowArgs),
    /// The terms socklab uses, in English and Chinese, each with a line of
    /// explanation (`--lang zh` explains them in Chinese).
    Glossary,
    /// The TCP state diagram (RFC 9293 §3.3.2, Figure 5) with each
    /// transition's label, as plain text, for study.
    States,
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
    /// Exercises: write the program yourself; socklab runs it in its
    /// sandbox, plays the other side for real, and shows on the ladder
    /// where it goes wrong.
    #[command(subcommand)]
    Exercise(ExerciseCommand),
    /// Run a lesson: real sockets, real packets, explained step by step.
    ///
    /// socklab runs the lesson in a private network namespace: as root it
    /// creates one directly, as an ordinary user through a user namespace.
    /// Nothing is sent outside it. If neither is possible, socklab says how
    /// to allow it.
    Run(RunArgs),
}

/// `socklab exercise …`.
#[derive(Debug, Subcommand)]
pub enum ExerciseCommand {
    /// The exercises, in order, each with its task in a sentence.
    List {
        /// Exercises from this folder instead of the built-in ones.
        #[arg(long, value_name = "DIR")]
        exercises: Option<PathBuf>,
    },
    /// The task: what to write, the exact contract, what will be checked,
    /// hints.
    Show {
        /// The exercise's id, as `socklab exercise list` shows it.
        id: String,
        /// Exercises from this folder instead of the built-in ones.
        #[arg(long, value_name = "DIR")]
        exercises: Option<PathBuf>,
    },
    /// Write a starter Python file (its structure and TODOs, never the
    /// solution); an existing file is never overwritten.
    Start {
        /// The exercise's id, as `socklab exercise list` shows it.
        id: String,
        /// The file to write (by default the exercise's id, as `echo_server.py`).
        file: Option<PathBuf>,
        /// Exercises from this folder instead of the built-in ones.
        #[arg(long, value_name = "DIR")]
        exercises: Option<PathBuf>,
    },
    /// Run your program for real and check it: `socklab exercise check
    /// echo-server -- python3 my_server.py`. Exit status 0 when every check
    /// passes, 1 when one fails, 2 when the program cannot be started.
    Check(CheckArgs),
}

/// The arguments of `socklab exercise check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The exercise's id, as `socklab exercise list` shows it.
    pub id: String,
    /// The command that runs your program, after `--`.
    #[arg(last = true, required = true, value_name = "COMMAND")]
    pub command: Vec<String>,
    /// Exercises from this folder instead of the built-in ones.
    #[arg(long, value_name = "DIR")]
    pub exercises: Option<PathBuf>,
    /// `ladder`, or `json`: one object per event, checks included.
    #[arg(long, value_enum, default_value_t = RunFormat::Ladder)]
    pub format: RunFormat,
    /// Also write the checks as JUnit XML (for CI and autograders).
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Also save every frame in a pcap file.
    #[arg(long, value_name = "FILE")]
    pub pcap: Option<PathBuf>,
    /// Show socklab's side of the exchange in this language.
    #[arg(long, value_enum, default_value_t = Lang::Python)]
    pub code: Lang,
}

/// The arguments of `socklab show`.
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The recording (`socklab run LESSON --record FILE` made it).
    pub file: PathBuf,
    /// Go straight through without waiting for Enter (implied when
    /// standard input is not a terminal).
    #[arg(long)]
    pub auto: bool,
    /// The classroom view: a full-screen lesson with the TCP state diagram
    /// (RFC 9293 §3.3.2) lit by each packet, the code, the packets and the
    /// kernel's view side by side. Needs a terminal.
    #[arg(long, conflicts_with_all = ["auto", "format"])]
    pub tui: bool,
    /// Show each call in this language.
    #[arg(long, value_enum, default_value_t = Lang::Python)]
    pub code: Lang,
    /// Show every packet of long transfers instead of a summary row.
    #[arg(long)]
    pub all_packets: bool,
    /// `ladder`, or `json`: the recording's events as `run --format json`
    /// writes them.
    #[arg(long, value_enum, default_value_t = RunFormat::Ladder)]
    pub format: RunFormat,
    /// Also write what was shown as a Mermaid sequence diagram.
    #[arg(long, value_name = "FILE")]
    pub mermaid: Option<PathBuf>,
    /// Also write a screencast (asciicast v2, for asciinema's player and
    /// slides) with a marker at each step.
    #[arg(long, value_name = "FILE")]
    pub cast: Option<PathBuf>,
    /// Seconds between two packets in the screencast.
    #[arg(long, value_name = "S", default_value_t = 1.0)]
    pub cast_pace: f64,
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
    /// The classroom view: a full-screen lesson with the TCP state diagram
    /// (RFC 9293 §3.3.2) lit by each packet, the code, the packets and the
    /// kernel's view side by side. Needs a terminal.
    #[arg(long, conflicts_with_all = ["auto", "format"])]
    pub tui: bool,
    /// Show every packet of long transfers instead of a summary row.
    #[arg(long)]
    pub all_packets: bool,
    /// Also write what was shown as a Mermaid sequence diagram.
    #[arg(long, value_name = "FILE")]
    pub mermaid: Option<PathBuf>,
    /// Also write a screencast (asciicast v2, for asciinema's player and
    /// slides) with a marker at each step.
    #[arg(long, value_name = "FILE")]
    pub cast: Option<PathBuf>,
    /// Seconds between two packets in the screencast.
    #[arg(long, value_name = "S", default_value_t = 1.0)]
    pub cast_pace: f64,
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
    /// The classroom view: a full-screen lesson with the TCP state diagram
    /// (RFC 9293 §3.3.2) lit by each packet, the code, the packets and the
    /// kernel's view side by side. Needs a terminal.
    #[arg(long, conflicts_with_all = ["all", "auto", "format"])]
    pub tui: bool,
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
    /// Also write a screencast (asciicast v2, for asciinema's player and
    /// slides) with a marker at each step.
    #[arg(long, value_name = "FILE")]
    pub cast: Option<PathBuf>,
    /// Seconds between two packets in the screencast.
    #[arg(long, value_name = "S", default_value_t = 1.0)]
    pub cast_pace: f64,
    /// On the lab wire, keep each packet on the wire until Enter lets it
    /// go, and show meanwhile what each kernel thinks of its sockets.
    #[arg(long, conflicts_with = "all")]
    pub hold: bool,
    /// `ladder`: the diagram and its text; `json`: one JSON object per
    /// event (lesson, step, call, question, packet, kernel, after, end;
    /// schema in the README), straight through as with --auto.
    #[arg(long, value_enum, default_value_t = RunFormat::Ladder, conflicts_with_all = ["all", "hold"])]
    pub format: RunFormat,
    /// Also keep the whole run in this file, to be shown again with
    /// `socklab show FILE` (anywhere, without namespaces or root).
    #[arg(long, value_name = "FILE", conflicts_with = "all")]
    pub record: Option<PathBuf>,
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
    #[error("{}", t!("error-unknown-lesson", id = .id.as_str(), hint = .hint.as_str()))]
    UnknownLesson { id: String, hint: String },
    #[error(transparent)]
    Sandbox(#[from] SandboxError),
    #[error(transparent)]
    Run(#[from] RunError),
    #[error(transparent)]
    Replay(#[from] replay::ReplayError),
    #[error(transparent)]
    Recording(#[from] crate::record::RecordError),
    #[error(transparent)]
    Halt(#[from] crate::event::Halt),
    #[error(transparent)]
    Tui(#[from] crate::terminal::tui::TuiError),
    #[error(transparent)]
    Watch(#[from] watch::WatchError),
    #[error("{}", t!("error-output", error = .0.to_string()))]
    Output(#[from] io::Error),
    /// `run --all` starts each lesson as a process of its own, from the
    /// binary's path (/proc/self/exe).
    #[error("{}", t!("error-no-own-binary", error = .0.to_string()))]
    NoOwnBinary(#[source] io::Error),
    #[error("{0}")]
    Usage(String),
    /// The problems were already printed (by `check`): only the status is left.
    #[error("")]
    Reported,
    #[error("{}", t!("error-some-failed", failed = *.failed, total = *.total))]
    SomeFailed {
        failed: usize,
        total: usize,
        /// Every failure was a lesson that could not run (exit 2).
        could_not_run: bool,
    },
    #[error(transparent)]
    Exercise(#[from] crate::exercise::ExerciseError),
    /// Some checks of an exercise did not pass (said on the page already).
    #[error("")]
    ChecksFailed,
    /// `watch` stopped by SIGTERM or SIGHUP, after its summary: nothing
    /// more to say, only the status.
    #[error("")]
    EndedBySignal,
}

impl Error {
    /// 1: a lesson step failed; 2: bad usage or input, or no capture rights;
    /// 130: interrupted (as shells report SIGINT).
    pub fn exit_code(&self) -> u8 {
        match self {
            // Out of file descriptors or memory: not the lesson's fault, the
            // machine's limits (`ulimit -n`, `ulimit -v`).
            Error::Run(RunError::CallFailed { source, .. })
                if crate::limits::hint(source).is_some() =>
            {
                2
            }
            Error::Run(RunError::MissingPacket { .. } | RunError::CallFailed { .. }) => 1,
            // Every lesson that did not complete could not even start (a
            // limit, no rights): the same as one lesson that could not.
            Error::SomeFailed {
                could_not_run: true,
                ..
            } => 2,
            Error::SomeFailed { .. } => 1,
            Error::ChecksFailed => 1,
            Error::Run(RunError::Interrupted) => crate::terminal::interrupted_status(),
            Error::Run(RunError::Quit) => 0,
            Error::Replay(replay::ReplayError::Run(RunError::Interrupted)) => {
                crate::terminal::interrupted_status()
            }
            Error::Replay(replay::ReplayError::Run(RunError::Quit)) => 0,
            Error::Halt(crate::event::Halt::Quit) => 0,
            Error::Halt(crate::event::Halt::Interrupted) | Error::EndedBySignal => {
                crate::terminal::interrupted_status()
            }
            _ => 2,
        }
    }
}

/// `--width`: columns, from 60 (the narrowest the ladder fits in) to 1000.
fn columns(value: &str) -> Result<u16, String> {
    const FEWEST: u16 = 60;
    const MOST: u16 = 1000;
    match value.parse::<u16>() {
        Ok(n) if (FEWEST..=MOST).contains(&n) => Ok(n),
        _ => Err(t!(
            "cli-width-range",
            fewest = FEWEST.to_string(),
            most = MOST.to_string()
        )),
    }
}

pub fn main() -> ExitCode {
    // The help speaks the language the run will: chosen before the
    // arguments are parsed, from `--lang` or the locale.
    let language =
        LessonLanguage::chosen(flag_value(std::env::args(), "--lang").as_deref()).catalogue;
    // clap's help and mistakes take the same colours as the rest, and the
    // Chinese help the same width.
    let color = match flag_value(std::env::args(), "--color").as_deref() {
        Some("never") => ColorChoice::Never,
        Some("always") => ColorChoice::Always,
        _ => ColorChoice::Auto,
    };
    let page = crate::i18n::clap_errors::Page {
        width: page_width(flag_value(std::env::args(), "--width").and_then(|w| columns(&w).ok())),
        color: use_color(color),
    };
    // Messages that value parsers write (`--width 20`) are in it too.
    crate::i18n::set_language(language);
    let matches = crate::i18n::help::localized(Cli::command(), language)
        .color(match color {
            ColorChoice::Never => clap::ColorChoice::Never,
            ColorChoice::Always => clap::ColorChoice::Always,
            ColorChoice::Auto => clap::ColorChoice::Auto,
        })
        .try_get_matches()
        .unwrap_or_else(|e| crate::i18n::clap_errors::exit(e, language, page));
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`socklab run --all | head`) is not a failure: the
        // reader has seen what it wanted.
        Err(e) if e.is_closed_pipe() => ExitCode::SUCCESS,
        // `show` quits with the learner's q as `run` does.
        Err(
            Error::Run(RunError::Quit)
            | Error::Replay(replay::ReplayError::Run(RunError::Quit))
            | Error::Halt(crate::event::Halt::Quit),
        ) => ExitCode::SUCCESS,
        Err(Error::Reported) => ExitCode::from(2),
        Err(e @ Error::EndedBySignal) => ExitCode::from(e.exit_code()),
        // A signal ended the run, whatever failed on the way out: after the
        // terminal closed (SIGHUP) every write fails with EIO, and that is
        // not a second error to report with status 2.
        Err(_) if crate::terminal::signalled() => {
            let _ = io::stdout().flush();
            let _ = writeln!(io::stderr(), "\n{}", t!("error-interrupted"));
            ExitCode::from(crate::terminal::interrupted_status())
        }
        // The terminal closed and a write failed before its SIGHUP came:
        // the kernel makes a hung-up terminal fail every read and write
        // first and signals after (tty_io.c, `__tty_hangup`). The same end
        // as the signal's, which is on its way.
        Err(e) if e.is_hung_up_terminal() => {
            let _ = writeln!(io::stderr(), "\n{}", t!("error-interrupted"));
            ExitCode::from(128 + libc::SIGHUP as u8)
        }
        // The failed checks are on the page already.
        Err(Error::ChecksFailed) => ExitCode::from(1),
        Err(e) => {
            let _ = io::stdout().flush();
            // Standard error may be closed too: nothing is left to say then.
            let mut err = io::stderr().lock();
            let _ = if matches!(
                e,
                Error::Run(RunError::Interrupted) | Error::Halt(crate::event::Halt::Interrupted)
            ) {
                writeln!(err, "\n{}", t!("error-interrupted"))
            } else {
                writeln!(err, "socklab: {e}")
            };
            // A call's failure says it itself (its hint); any other error
            // whose root is a limit names the limit here.
            if !matches!(e, Error::Run(RunError::CallFailed { .. }))
                && let Some(hint) = e.root_io().and_then(crate::limits::setup_hint)
            {
                let _ = writeln!(err, "socklab: {hint}");
            }
            ExitCode::from(e.exit_code())
        }
    }
}

/// The value of the option `flag` (`--lang`) among the arguments, before
/// clap reads them (`--lang zh` or `--lang=zh`; nothing after `--`, which
/// is a program's).
fn flag_value(args: impl IntoIterator<Item = String>, flag: &str) -> Option<String> {
    let mut args = args.into_iter().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--" {
            break;
        }
        if arg == flag {
            return args.next();
        }
        if let Some(value) = arg.strip_prefix(flag).and_then(|v| v.strip_prefix('=')) {
            return Some(value.to_string());
        }
    }
    None
}

impl Error {
    /// The first system error among this error's causes.
    fn root_io(&self) -> Option<&io::Error> {
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(self);
        while let Some(error) = source {
            if let Some(io) = error.downcast_ref::<io::Error>() {
                return Some(io);
            }
            source = error.source();
        }
        None
    }

    /// The error is, at its root, a read or write that failed on a
    /// terminal that has hung up (its window closed): EIO, or ENXIO from a
    /// pseudo-terminal whose other side is gone.
    pub fn is_hung_up_terminal(&self) -> bool {
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(self);
        while let Some(error) = source {
            if let Some(io) = error.downcast_ref::<io::Error>()
                && matches!(io.raw_os_error(), Some(libc::EIO | libc::ENXIO))
            {
                return crate::terminal::hung_up();
            }
            source = error.source();
        }
        false
    }

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

/// The language of a run: socklab's own sentences, and the lessons'.
#[derive(Debug, Clone)]
pub struct LessonLanguage {
    /// The catalogue socklab's sentences come from.
    pub catalogue: crate::i18n::Language,
    /// The code of the lessons' translation to show (`zh`, `fr`).
    pub code: String,
    /// Asked for with `--lang`: a lesson without that translation is an
    /// error. From the locale, it is shown in English.
    pub explicit: bool,
}

impl LessonLanguage {
    fn chosen(flag: Option<&str>) -> LessonLanguage {
        use crate::i18n::Language;
        match flag {
            Some(code) => LessonLanguage {
                catalogue: Language::from_code(code).unwrap_or_default(),
                code: Language::from_code(code).map_or(code.to_string(), |l| l.code().to_string()),
                explicit: true,
            },
            None => {
                let catalogue = Language::from_locale(|name| std::env::var(name).ok());
                LessonLanguage {
                    catalogue,
                    code: catalogue.code().to_string(),
                    explicit: false,
                }
            }
        }
    }

    /// `lesson` in this language, or in English when it has no such
    /// translation and none was asked for.
    fn lesson(&self, lesson: &Lesson) -> Result<Lesson, Error> {
        match lesson.in_language(&self.code) {
            Some(translated) => Ok(translated),
            None if !self.explicit => Ok(lesson.clone()),
            None => {
                let mut known = vec!["en"];
                known.extend(lesson.languages());
                Err(Error::Usage(t!(
                    "error-no-translation",
                    id = lesson.id.as_str(),
                    lang = self.code.as_str(),
                    known = known.join(", ")
                )))
            }
        }
    }
}

/// The columns to fit text in: `--width`, or the terminal's up to a
/// comfortable 100, or 80 when standard output is not a terminal (a file,
/// a pipe, the snapshots).
fn page_width(flag: Option<u16>) -> usize {
    const NOT_A_TERMINAL: usize = 80;
    const MOST: usize = 100;
    const LEAST: usize = 60;
    if let Some(width) = flag {
        return width.into();
    }
    if !io::stdout().is_terminal() {
        return NOT_A_TERMINAL;
    }
    match crossterm::terminal::size() {
        Ok((columns, _)) if columns > 0 => usize::from(columns).clamp(LEAST, MOST),
        _ => NOT_A_TERMINAL,
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
            "{}",
            t!(
                "left-out",
                count = files.len(),
                files = files.join(", "),
                dir = dir.display().to_string()
            )
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
        Some(near) => t!("hint-did-you-mean", near = near),
        None if wanted.ends_with(".toml") => t!("hint-no-file", id = wanted),
        None => t!("hint-list"),
    };
    Err(Error::UnknownLesson {
        id: wanted.to_string(),
        hint,
    })
}

pub fn run(cli: Cli) -> Result<(), Error> {
    let lang = LessonLanguage::chosen(cli.lang.as_deref());
    crate::i18n::set_language(lang.catalogue);
    crate::limits::prepare();
    crate::render::ascii::set_ascii(cli.ascii);
    crate::render::styles::set_theme(cli.theme.unwrap_or_else(|| {
        std::env::var("COLORFGBG")
            .ok()
            .and_then(|v| crate::render::styles::from_colorfgbg(&v))
            .unwrap_or_default()
    }));
    let painter = Painter::new(use_color(cli.color)).with_width(page_width(cli.width));
    match cli.command {
        Command::List { lessons } => list(&painter, &load(lessons.as_ref())?, &lang),
        Command::Check { path } => check(&painter, path.as_deref()),
        Command::Glossary => {
            let mut out = io::stdout().lock();
            for line in crate::render::glossary(&painter) {
                writeln!(out, "{}", crate::render::ascii::for_terminal(&line))?;
            }
            Ok(())
        }
        Command::States => {
            let mut out = io::stdout().lock();
            for line in crate::render::states::study_text() {
                writeln!(out, "{}", crate::render::ascii::for_terminal(&line))?;
            }
            Ok(())
        }
        Command::Schema => {
            let schema = serde_json::to_string_pretty(&crate::event::schema())
                .map_err(|e| Error::Usage(e.to_string()))?;
            writeln!(io::stdout(), "{schema}")?;
            Ok(())
        }
        Command::Watch(args) => watch_interface(painter, args),
        Command::Replay(args) => replay_file(painter, cli.color, args),
        Command::Show(args) => show_recording(painter, cli.color, args),
        Command::Run(args) if args.all => {
            let lessons = load(args.lessons.as_ref())?;
            run_all(
                &painter,
                cli.color,
                &lessons,
                args.lessons.as_ref(),
                (args.auto, args.code, args.ipv6),
                args.pcap.or(args.mermaid),
                &lang,
            )
        }
        Command::Run(args) => run_lesson(painter, cli.color, args, &lang),
        Command::Exercise(command) => exercise_command(painter, command, &lang),
    }
}

/// Observers that write files at the end of a run: a Mermaid diagram, the
/// code as a program.
/// What a command writes to files besides what it shows.
struct Files<'a> {
    mermaid: Option<PathBuf>,
    /// A screencast, and its pace.
    cast: Option<(PathBuf, f64)>,
    /// The code as programs (run only).
    export: Option<(&'a Lesson, PathBuf)>,
    /// The ladder's options and the code's language, for the diagram and
    /// the screencast to show what is shown.
    all_packets: bool,
    fold_losses: bool,
    lang: Lang,
    /// Colour in the screencast.
    color: bool,
}

fn observers<'a>(files: Files<'a>) -> Vec<Box<dyn Observer + 'a>> {
    let Files {
        mermaid,
        cast,
        export,
        all_packets,
        fold_losses,
        lang,
        color,
    } = files;
    let mut observers: Vec<Box<dyn Observer + 'a>> = Vec::new();
    if let Some((path, pace)) = cast {
        let text = Text::new(TextOptions {
            painter: Painter::new(color),
            lang,
            all_packets,
            fold_losses,
            data: fold_losses,
            live: false,
        });
        observers.push(Box::new(crate::render::cast::Cast::new(text, path, pace)));
    }
    if let Some(path) = mermaid {
        let diagram = crate::render::mermaid::Mermaid::new(all_packets, fold_losses);
        observers.push(Box::new(crate::render::mermaid::MermaidFile {
            diagram,
            path,
        }));
    }
    if let Some((lesson, path)) = export {
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
        data: true,
        live: true,
    })
}

/// `socklab watch`: live traffic of programs socklab did not start.
fn watch_interface(painter: Painter, args: WatchArgs) -> Result<(), Error> {
    let interrupted = Arc::new(AtomicBool::new(false));
    let flag = interrupted.clone();
    crate::terminal::on_interrupt(move || flag.store(true, Ordering::Relaxed));
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
        RunFormat::Json => Box::new(terminal::Json::new(&mut out)),
        RunFormat::Ladder => Box::new(Terminal::new(
            capture_text(painter, args.all_packets),
            &mut out,
            &mut pacer,
        )),
    };
    let mut sink = Tee {
        sink: primary.as_mut(),
        observers: observers(Files {
            mermaid: args.mermaid,
            cast: None,
            export: None,
            all_packets: args.all_packets,
            fold_losses: true,
            lang: Lang::Python,
            color: false,
        }),
    };
    watch::watch(options, &mut sink, interrupted.clone())?;
    // Ctrl-C is how watch ends (exit 0, its summary shown, as tcpdump
    // does). SIGTERM or SIGHUP (its terminal closed) end it the same
    // orderly way, but the status says so, as shells expect: 143, 129.
    if interrupted.load(Ordering::Relaxed) && terminal::interrupted_status() != 130 {
        return Err(Error::EndedBySignal);
    }
    Ok(())
}

/// `--tui`: the classroom view takes the terminal (refused without one).
/// Ctrl-C is a key while it is raw; a SIGINT from elsewhere stops the run.
/// `interrupted` is the flag the pacer's Ctrl-C handler sets.
fn classroom(
    code: Lang,
    color: ColorChoice,
    interrupted: Arc<AtomicBool>,
) -> Result<terminal::tui::Classroom, terminal::tui::TuiError> {
    let options = crate::render::classroom::Options {
        lang: code,
        color: use_color(color),
    };
    terminal::tui::Classroom::open(options, interrupted)
}

/// `socklab show`: a recording, shown as the live run was.
fn show_recording(painter: Painter, color: ColorChoice, args: ShowArgs) -> Result<(), Error> {
    let recording = crate::record::read(&args.file)?;
    let interrupted = Arc::new(AtomicBool::new(false));
    let json = args.format == RunFormat::Json;
    let painter = if json { Painter::new(false) } else { painter };
    let mut pacer = terminal::pacer(args.auto || json, interrupted.clone(), painter);
    let mut out = io::stdout().lock();
    let mut primary: Box<dyn Sink> = if json {
        Box::new(terminal::Json::new(&mut out))
    } else if args.tui {
        Box::new(classroom(args.code, color, interrupted)?)
    } else {
        Box::new(Terminal::new(
            Text::new(TextOptions {
                painter,
                lang: args.code,
                all_packets: args.all_packets,
                fold_losses: false,
                data: false,
                live: false,
            }),
            &mut out,
            pacer.as_mut(),
        ))
    };
    let mut sink = Tee {
        sink: primary.as_mut(),
        observers: observers(Files {
            mermaid: args.mermaid,
            cast: args.cast.map(|path| (path, args.cast_pace)),
            export: None,
            all_packets: args.all_packets,
            fold_losses: false,
            lang: args.code,
            color: color != ColorChoice::Never,
        }),
    };
    crate::record::show(&recording, &mut sink)?;
    Ok(())
}

/// `socklab replay`: a capture file explained.
fn replay_file(painter: Painter, color: ColorChoice, args: ReplayArgs) -> Result<(), Error> {
    let interrupted = Arc::new(AtomicBool::new(false));
    let straight = args.auto || args.format != ReplayFormat::Ladder;
    let mut pacer = terminal::pacer(straight, interrupted.clone(), painter);
    // Lines go out in large writes: a capture may hold millions. Standard
    // output is not held locked: `--format json` writes it from a thread
    // of its own.
    let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout());
    let mut primary: Box<dyn Sink> = match args.format {
        // A capture may hold millions of frames: their JSON is made on
        // the other cores while this thread decodes and tracks.
        ReplayFormat::Json => Box::new(terminal::ParallelJson::new(
            io::stdout(),
            std::thread::available_parallelism().map_or(1, |n| n.get()),
        )),
        ReplayFormat::Lines => Box::new(terminal::Lines { out: &mut out }),
        ReplayFormat::Ladder if args.tui => Box::new(classroom(Lang::Python, color, interrupted)?),
        ReplayFormat::Ladder => Box::new(Terminal::new(
            capture_text(painter, args.all_packets),
            &mut out,
            pacer.as_mut(),
        )),
    };
    let mut sink = Tee {
        sink: primary.as_mut(),
        observers: observers(Files {
            mermaid: args.mermaid,
            cast: args.cast.map(|path| (path, args.cast_pace)),
            export: None,
            all_packets: args.all_packets,
            fold_losses: true,
            lang: Lang::Python,
            color: color != ColorChoice::Never,
        }),
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
            "socklab: {}",
            t!(
                "error-replay-stopped",
                stopped = stopped.to_string(),
                frames = stopped.frame.saturating_sub(1)
            )
        )?;
    }
    Ok(())
}

/// The lesson `socklab run` is to run: the one named, its IPv6 counterpart
/// with `--ipv6`, in the language asked for.
fn chosen_lesson(
    args: &RunArgs,
    painter: &Painter,
    language: &LessonLanguage,
) -> Result<Lesson, Error> {
    let wanted = args.lesson.clone().unwrap_or_default();
    // A built-in lesson named by its id, and its IPv6 counterpart if it
    // has one, are all a run needs; anything else (a teacher's folder, a
    // file, a misspelt id to suggest a near one for) loads them all.
    let named = args
        .lessons
        .is_none()
        .then(|| lesson::builtin_named(&wanted))
        .flatten()
        .map(|named| {
            let counterpart = named.ipv6_lesson.as_deref().and_then(lesson::builtin_named);
            std::iter::once(named)
                .chain(counterpart)
                .collect::<Vec<_>>()
        });
    let (all, index) = match named {
        Some(named) => (named, 0),
        None => find_lesson(&wanted, load(args.lessons.as_ref())?)?,
    };
    let lesson = &all[index];
    // A lesson that has an IPv6 counterpart (broadcast: multicast) says
    // why, and the counterpart runs.
    let lesson = match (&lesson.no_ipv6, &lesson.ipv6_lesson) {
        (Some(why), Some(other)) if args.ipv6 => {
            let counterpart = all.iter().find(|l| &l.id == other).ok_or_else(|| {
                Error::Usage(t!(
                    "error-no-ipv6-lesson",
                    id = lesson.id.as_str(),
                    other = other.as_str()
                ))
            })?;
            let note = format!(
                "{}\n",
                t!(
                    "note-ipv6-counterpart",
                    id = lesson.id.as_str(),
                    why = why.as_str(),
                    other = counterpart.id.as_str()
                )
            );
            if args.format == RunFormat::Json {
                writeln!(io::stderr(), "{note}")?;
            } else {
                writeln!(io::stdout(), "{}", painter.paint(&note, styles::aside()))?;
            }
            counterpart
        }
        _ => lesson,
    };
    let lesson = language.lesson(lesson)?;
    if args.hold && lesson.network.is_none() {
        return Err(Error::Usage(t!(
            "error-hold-loopback",
            id = lesson.id.as_str()
        )));
    }
    if args.hold
        && let Some(why) = &lesson.no_hold
    {
        return Err(Error::Usage(t!(
            "error-no-hold",
            id = lesson.id.as_str(),
            why = why.as_str()
        )));
    }
    if args.ipv6
        && let Some(why) = &lesson.no_ipv6
    {
        return Err(Error::Usage(t!(
            "error-no-ipv6",
            id = lesson.id.as_str(),
            why = why.as_str()
        )));
    }
    Ok(lesson)
}

/// `socklab run LESSON`: one lesson, for real, in the sandbox.
fn run_lesson(
    painter: Painter,
    color: ColorChoice,
    args: RunArgs,
    language: &LessonLanguage,
) -> Result<(), Error> {
    let lesson = chosen_lesson(&args, &painter, language)?;
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
        program: None,
    };
    let mut out = io::stdout().lock();
    let summary = {
        let mut primary: Box<dyn Sink> = if json {
            Box::new(terminal::Json::new(&mut out))
        } else if args.tui {
            Box::new(classroom(args.code, color, interrupted.clone())?)
        } else {
            Box::new(Terminal::new(
                Text::new(TextOptions {
                    painter,
                    lang: args.code,
                    all_packets: args.all_packets,
                    fold_losses: false,
                    data: false,
                    live: true,
                }),
                &mut out,
                pacer.as_mut(),
            ))
        };
        let export = args.export.clone().map(|path| (&lesson, path));
        let mut observers = observers(Files {
            mermaid: args.mermaid.clone(),
            cast: args.cast.clone().map(|path| (path, args.cast_pace)),
            export,
            all_packets: args.all_packets,
            fold_losses: false,
            lang: args.code,
            color: color != ColorChoice::Never,
        });
        if let Some(path) = &args.record {
            observers.push(Box::new(crate::record::Recorder::create(path, &lesson.id)?));
        }
        let mut sink = Tee {
            sink: primary.as_mut(),
            observers,
        };
        runner::run(&lesson, options, &mut sink, interrupted)?
    };
    let mut said = |text: String| -> Result<(), Error> {
        if json {
            writeln!(io::stderr(), "{text}")?;
        } else {
            writeln!(out, "{}", painter.paint(&text, styles::aside()))?;
        }
        Ok(())
    };
    if let Some(path) = &args.pcap {
        let (frames, path) = (summary.frames, path.display());
        said(t!("wrote-pcap", frames = frames, path = path.to_string()))?;
    }
    if let Some(path) = &args.export {
        said(exported(&lesson, args.code, path))?;
    }
    Ok(())
}

/// What `run --export` wrote.
fn exported(lesson: &Lesson, code: Lang, path: &std::path::Path) -> String {
    let rust = code == Lang::Rust;
    if lesson.network.is_none() {
        let path = path.display().to_string();
        return if rust {
            t!("wrote-code-rust", path = path)
        } else {
            t!("wrote-code-python", path = path)
        };
    }
    let files: Vec<String> = crate::render::export::hosts_with_calls(lesson)
        .iter()
        .map(|actor| {
            crate::render::export::path_for(path, Some(actor))
                .display()
                .to_string()
        })
        .collect();
    let files = files.join(", ");
    if rust {
        t!("wrote-code-hosts-rust", files = files)
    } else {
        t!("wrote-code-hosts-python", files = files)
    }
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
    language: &LessonLanguage,
) -> Result<(), Error> {
    if pcap.is_some() {
        return Err(Error::Usage(t!("error-all-one-file")));
    }
    let exe = std::env::current_exe().map_err(Error::NoOwnBinary)?;
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
            let (id, why) = (lesson.id.as_str(), why.as_str());
            let text = match &lesson.ipv6_lesson {
                Some(other) => t!(
                    "all-not-ipv6-counterpart",
                    id = id,
                    why = why,
                    other = other.as_str()
                ),
                None => t!("all-not-ipv6", id = id, why = why),
            };
            writeln!(out, "{text}\n")?;
            continue;
        }
        let mut child = std::process::Command::new(&exe);
        let width = p.width().to_string();
        child.args(["--color", color, "--width", &width, "run", &lesson.id]);
        // A lesson without the language asked for is shown in English,
        // socklab's own sentences still in that language (as the locale
        // would choose them).
        if language.explicit {
            if lesson.in_language(&language.code).is_some() {
                child.args(["--lang", &language.code]);
            } else {
                child
                    .env("LANGUAGE", &language.code)
                    .env("LC_MESSAGES", &language.code)
                    .env_remove("LC_ALL");
            }
        }
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
    writeln!(out, "{}", p.paint(&t!("all-summary"), styles::title()))?;
    let width = lessons.iter().map(|l| l.id.len()).max().unwrap_or(0);
    let mut failed = 0;
    let mut could_not_run = 0;
    for (lesson, code, took) in &results {
        let verdict = match code {
            Some(0) => (t!("all-done"), styles::good()),
            Some(1) => (t!("all-failed"), styles::error()),
            Some(130) | None => (t!("all-interrupted"), styles::warn()),
            Some(_) => (t!("all-could-not-run"), styles::error()),
        };
        // Padded before it is painted, by its width on screen (CJK).
        let pad = 14usize.saturating_sub(textwrap::core::display_width(&verdict.0));
        let verdict = format!("{}{}", p.paint(&verdict.0, verdict.1), " ".repeat(pad));
        if *code != Some(0) {
            failed += 1;
        }
        if *code == Some(2) {
            could_not_run += 1;
        }
        writeln!(
            out,
            "  {:<width$}  {verdict}  {:>6.2} s",
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
        writeln!(out, "  {}", t!("all-not-run", count = skipped))?;
    }
    if failed > 0 || skipped > 0 {
        Err(Error::SomeFailed {
            failed: failed + skipped,
            total: lessons.len(),
            could_not_run: skipped == 0 && could_not_run == failed,
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
            p.paint(&place, styles::aside()),
            problem.message
        )?;
    }
    if problems.is_empty() {
        let text = t!("check-no-problems", files = files);
        writeln!(out, "{}", p.paint(&text, styles::good()))?;
        Ok(())
    } else {
        let text = t!("check-problems", files = files, problems = problems.len());
        writeln!(out, "{}", p.paint(&text, styles::error()))?;
        Err(Error::Reported)
    }
}

fn list(p: &Painter, lessons: &[Lesson], language: &LessonLanguage) -> Result<(), Error> {
    let mut out = io::stdout().lock();
    let width = lessons.iter().map(|l| l.id.len()).max().unwrap_or(0);
    for lesson in lessons {
        let lesson = &lesson
            .in_language(&language.code)
            .unwrap_or_else(|| lesson.clone());
        // `list` shows no code: a placeholder's words are Python's, the
        // default.
        let title = prose(Lang::Python, &lesson.title);
        for line in crate::render::id_and_title(p, &lesson.id, width, &title) {
            writeln!(out, "{line}")?;
        }
        for line in wrap(
            &prose(Lang::Python, &lesson.summary),
            &" ".repeat(width + 2),
            p.width(),
        ) {
            writeln!(out, "{line}")?;
        }
    }
    writeln!(out, "\n{}", t!("list-run-one"))?;
    Ok(())
}

/// The exercises to choose from: the built-in ones, or a teacher's folder
/// (whose broken files are named, and left out).
fn exercises(dir: Option<&PathBuf>) -> Result<Vec<Lesson>, Error> {
    let Some(dir) = dir else {
        return Ok(crate::exercise::builtin());
    };
    let (exercises, problems) = crate::exercise::load(dir)?;
    if exercises.is_empty() {
        return Err(LoadError::Invalid(problems).into());
    }
    for problem in &problems {
        writeln!(io::stderr(), "socklab: {problem}")?;
    }
    Ok(exercises)
}

/// `socklab exercise …`.
fn exercise_command(
    painter: Painter,
    command: ExerciseCommand,
    language: &LessonLanguage,
) -> Result<(), Error> {
    let mut out = io::stdout().lock();
    // An exercise not translated yet is shown in English, socklab's own
    // sentences still in the language asked for.
    let in_language = |exercise: &Lesson| -> Result<Lesson, Error> {
        Ok(exercise
            .in_language(&language.code)
            .unwrap_or_else(|| exercise.clone()))
    };
    match command {
        ExerciseCommand::List { exercises: dir } => {
            let all: Vec<Lesson> = exercises(dir.as_ref())?
                .iter()
                .map(|e| e.in_language(&language.code).unwrap_or_else(|| e.clone()))
                .collect();
            for line in crate::render::exercise::list(&painter, &all) {
                writeln!(out, "{}", crate::render::ascii::for_terminal(&line))?;
            }
        }
        ExerciseCommand::Show { id, exercises: dir } => {
            let exercise = in_language(&crate::exercise::find(&id, &exercises(dir.as_ref())?)?)?;
            for line in crate::render::exercise::task(&painter, &exercise) {
                writeln!(out, "{}", crate::render::ascii::for_terminal(&line))?;
            }
        }
        ExerciseCommand::Start {
            id,
            file,
            exercises: dir,
        } => {
            // In the learner's language: its comments, where the exercise
            // has them translated.
            let exercise = in_language(&crate::exercise::find(&id, &exercises(dir.as_ref())?)?)?;
            let path =
                file.unwrap_or_else(|| PathBuf::from(crate::exercise::starter_name(&exercise.id)));
            crate::exercise::write_starter(&exercise, &path)?;
            let shown = path.display().to_string();
            let text = t!("exercise-started", file = shown.as_str());
            for line in wrap(&text, "", painter.width()) {
                writeln!(out, "{line}")?;
            }
            // On a line of its own, never broken: to copy and paste.
            let command = crate::render::exercise::check_command(&id, &shown);
            writeln!(out, "  {command}")?;
        }
        ExerciseCommand::Check(args) => {
            drop(out);
            return check_exercise(painter, args, language);
        }
    }
    Ok(())
}

/// `socklab exercise check ID -- COMMAND…`: the learner's program, run for
/// real in the sandbox, each check decided and drawn.
fn check_exercise(
    painter: Painter,
    args: CheckArgs,
    language: &LessonLanguage,
) -> Result<(), Error> {
    let found = crate::exercise::find(&args.id, &exercises(args.exercises.as_ref())?)?;
    let exercise = found
        .in_language(&language.code)
        .unwrap_or_else(|| found.clone());
    // The program's folder, removed at the end (also on an error).
    let (_scratch, program) = crate::exercise::prepare(&exercise, &args.command)?;
    // Before any thread exists: unshare(CLONE_NEWUSER) demands it.
    sandbox::enter()?;
    let interrupted = Arc::new(AtomicBool::new(false));
    let json = args.format == RunFormat::Json;
    let painter = if json { Painter::new(false) } else { painter };
    // A check runs straight through: nothing waits for a key.
    let mut pacer = terminal::pacer(true, interrupted.clone(), painter);
    let options = runner::Options {
        pcap: args.pcap.clone(),
        family: Family::V4,
        hold: false,
        program: Some(program),
    };
    let mut out = io::stdout().lock();
    let summary = {
        let mut primary: Box<dyn Sink> = if json {
            Box::new(terminal::Json::new(&mut out))
        } else {
            Box::new(Terminal::new(
                Text::new(TextOptions {
                    painter,
                    lang: args.code,
                    all_packets: false,
                    fold_losses: false,
                    data: false,
                    live: true,
                }),
                &mut out,
                pacer.as_mut(),
            ))
        };
        let mut observers: Vec<Box<dyn Observer>> = Vec::new();
        if let Some(path) = &args.junit {
            observers.push(Box::new(crate::render::junit::Junit::new(path.clone())));
        }
        let mut sink = Tee {
            sink: primary.as_mut(),
            observers,
        };
        runner::run(&exercise, options, &mut sink, interrupted)?
    };
    if summary.checks_not_passed > 0 {
        return Err(Error::ChecksFailed);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every piece of the help (a command's description, an option's help,
    /// the help of one of its values) has its Chinese in `help.zh.ftl`, and
    /// the catalogue has nothing the command line no longer has.
    #[test]
    fn the_chinese_help_translates_every_piece_of_the_help() {
        fn pieces(command: &clap::Command, path: &str, keys: &mut Vec<String>) {
            use crate::i18n::help::{key, value_key};
            if command.get_about().is_some() {
                keys.push(key(path, "about"));
            }
            if command.get_long_about().is_some() {
                keys.push(key(path, "long-about"));
            }
            for arg in command.get_arguments() {
                if arg.get_help().is_some() {
                    keys.push(key(path, &format!("arg-{}", arg.get_id())));
                }
                // A value's own help (`--theme dark`'s), which clap lists
                // in the full help.
                for value in arg.get_possible_values() {
                    if value.get_help().is_some() {
                        let id = arg.get_id().as_str();
                        keys.push(value_key(path, id, value.get_name()));
                    }
                }
            }
            for sub in command.get_subcommands() {
                let inner = match path {
                    "" => sub.get_name().to_string(),
                    _ => format!("{path}-{}", sub.get_name()),
                };
                pieces(sub, &inner, keys);
            }
        }
        let mut wanted = Vec::new();
        pieces(&Cli::command(), "", &mut wanted);
        wanted.sort();
        let mut translated: Vec<String> = crate::i18n::help::CHINESE_HELP
            .lines()
            .filter_map(|line| line.split_once(" ="))
            .map(|(id, _)| id.to_string())
            .filter(|id| id.starts_with("help-"))
            .collect();
        translated.sort();
        assert_eq!(translated, wanted);
        assert!(wanted.len() > 60, "{wanted:?}");
    }

    #[test]
    fn the_language_of_the_help_is_read_before_the_arguments() {
        let args = |list: &[&str]| {
            flag_value(
                std::iter::once("socklab")
                    .chain(list.iter().copied())
                    .map(String::from),
                "--lang",
            )
        };
        assert_eq!(args(&["--lang", "zh", "run", "-h"]).as_deref(), Some("zh"));
        assert_eq!(args(&["run", "--lang=zh"]).as_deref(), Some("zh"));
        assert_eq!(args(&["run", "tcp-handshake"]), None);
        // After `--` the arguments are the learner's program's.
        assert_eq!(
            args(&["exercise", "check", "x", "--", "prog", "--lang", "fr"]),
            None
        );
        // Another option that begins the same is not it.
        assert_eq!(args(&["--language=zh", "run"]), None);
    }
}
