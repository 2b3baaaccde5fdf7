//! The code socklab shows is code that runs: `socklab run LESSON --export
//! FILE` writes the calls a lesson showed as one program, and here that
//! program runs outside socklab, in a fresh network namespace of its own
//! (`unshare -n`, `ip link set lo up`), and must print exactly what the
//! lesson showed (ports, times and ISNs redacted as in the snapshots):
//! every line the `>>>` prompt echoed, every `Err:` and every value the
//! Rust comments state. Every statement the lesson shows must be in the
//! program, in the same order.
//!
//! Python: the script runs with python3; a statement that raises an
//! exception the lesson does not show stops it, and the test names that
//! statement. Rust: the program is built against socklab's own socket2
//! (the package in tests/rust-export/, offline, from Cargo.lock) and run.
//! The lab-wire lessons write one program per host: each must parse
//! (Python) and build (Rust); running them needs socklab's wire between
//! them, which runs the hosts' calls in the lesson's order and applies its
//! faults, so they are not run here.
//!
//! Under CI=true a missing python3, unshare or ip fails the test; elsewhere
//! the test says on stderr that it skipped.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::{redact, socklab};

/// The most an exported program may take: a lesson's calls take about a
/// second, and a blocking call that never returns must not hang the test.
const PROGRAM_TIMEOUT: Duration = Duration::from_secs(60);

/// The most building one exported Rust program may take (the first build
/// also compiles socket2 and libc).
const BUILD_TIMEOUT: Duration = Duration::from_secs(600);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    Python,
    Rust,
}

impl Lang {
    fn name(self) -> &'static str {
        match self {
            Lang::Python => "python",
            Lang::Rust => "rust",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Lang::Python => "py",
            Lang::Rust => "rs",
        }
    }
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Whether an executable named `tool` is on PATH.
fn on_path(tool: &str) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|dir| {
            std::fs::metadata(dir.join(tool))
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
    })
}

/// Whether the test can go on: every tool it needs is there. A missing
/// tool fails the test under CI=true, and is said on stderr elsewhere.
fn tools_ready(test: &str, tools: &[&str]) -> bool {
    let missing: Vec<&str> = tools.iter().copied().filter(|t| !on_path(t)).collect();
    if missing.is_empty() {
        return !tools.contains(&"unshare") || namespace_ready(test);
    }
    let message = format!("{test}: needs {} on PATH", missing.join(", "));
    assert!(!in_ci(), "{message} (CI=true: a missing tool is a failure)");
    eprintln!("SKIPPED {message}");
    false
}

/// Whether a network namespace can be made here (as root, or through a
/// user namespace).
fn namespace_ready(test: &str) -> bool {
    static READY: OnceLock<Result<(), String>> = OnceLock::new();
    let ready = READY.get_or_init(|| {
        let output = bounded(in_namespace(&["true"]), Duration::from_secs(10))?;
        if output.status.success() {
            Ok(())
        } else {
            Err(String::from_utf8_lossy(&output.stderr).into_owned())
        }
    });
    match ready {
        Ok(()) => true,
        Err(why) => {
            let message = format!("{test}: cannot make a network namespace: {why}");
            assert!(!in_ci(), "{message}");
            eprintln!("SKIPPED {message}");
            false
        }
    }
}

/// `program` in a fresh network namespace with its loopback up, as a
/// learner would run the export (`unshare -n`; through a user namespace
/// when not root).
fn in_namespace(program: &[&str]) -> Command {
    let mut command = Command::new("unshare");
    if !common::is_root() {
        command.arg("--map-root-user");
    }
    command
        .args([
            "--net",
            "sh",
            "-c",
            "ip link set lo up && exec \"$@\"",
            "sh",
        ])
        .args(program);
    command
}

/// Runs `command` to its end, or kills it after `limit`.
fn bounded(mut command: Command, limit: Duration) -> Result<Output, String> {
    use std::io::Read;
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {command:?}: {e}"))?;
    let read = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        })
    };
    let stdout = read(Box::new(child.stdout.take().expect("piped")));
    let stderr = read(Box::new(child.stderr.take().expect("piped")));
    let deadline = Instant::now() + limit;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "{command:?} did not end within {} s",
                    limit.as_secs()
                ));
            }
            Err(e) => return Err(format!("waiting for {command:?}: {e}")),
        }
    };
    Ok(Output {
        status,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    })
}

/// Runs the lesson with `--export`, and returns what it showed (plain
/// text) and the folder the program (or programs) went to.
fn export(lesson: &str, lang: Lang, args: &[&str]) -> (String, tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join(format!("{lesson}.{}", lang.extension()));
    let output = socklab()
        .args([
            "--color",
            "never",
            "run",
            lesson,
            "--auto",
            "--code",
            lang.name(),
        ])
        .args(args)
        .arg("--export")
        .arg(&file)
        .output()
        .expect("the socklab binary runs");
    assert!(
        output.status.success(),
        "{lesson} ({}): the run failed: {}",
        lang.name(),
        String::from_utf8_lossy(&output.stderr)
    );
    (common::stdout(&output), dir, file)
}

/// A statement the lesson showed, and the lines it showed printed after it.
#[derive(Debug, Default)]
struct Shown {
    /// The statement's lines as shown, without the prompt.
    code: Vec<String>,
    printed: Vec<String>,
}

impl Shown {
    fn first(&self) -> &str {
        self.code.first().map_or("", |l| l.trim())
    }
}

/// The runs of lines indented by two spaces that hold code, in order: after
/// a blank line (or a chat's typed line), and not the kernel's view, a
/// question or a held frame.
fn code_blocks(text: &str) -> Vec<Vec<&str>> {
    const NOT_CODE: [&str; 7] = [
        "The kernel",
        "Multicast groups",
        "Segments and datagrams",
        "? ",
        "Answer",
        "⏸",
        "[",
    ];
    let mut blocks: Vec<Vec<&str>> = Vec::new();
    let mut block: Option<Vec<&str>> = None;
    let mut previous = "";
    for line in text.lines() {
        if let Some(mut open) = block.take() {
            if line.starts_with("  ") && !line.trim().is_empty() {
                open.push(&line[2..]);
                block = Some(open);
                continue;
            }
            blocks.push(open);
        }
        let starts = previous.is_empty() || previous.starts_with("you> ");
        // A congestion reading: "client's kernel (TCP_INFO, reno): …".
        let reading = line.contains(" (TCP_INFO, ");
        if starts
            && line.starts_with("  ")
            && !line.starts_with("   ")
            && !NOT_CODE.iter().any(|n| line[2..].starts_with(n))
            && !reading
        {
            block = Some(vec![&line[2..]]);
        }
        previous = line;
    }
    blocks.extend(block);
    blocks
}

/// Round and square brackets `line` leaves open, outside its strings: a
/// statement too long for the page is folded inside them.
fn open_brackets(line: &str) -> i32 {
    let (mut depth, mut quote, mut escaped) = (0, None, false);
    for c in line.chars() {
        match quote {
            Some(_) if escaped => escaped = false,
            Some(_) if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '"' | '\'' => quote = Some(c),
                '(' | '[' => depth += 1,
                ')' | ']' => depth -= 1,
                _ => {}
            },
        }
    }
    depth
}

/// Adds `line` to a statement's code: on a line of its own, or, when the
/// line before leaves a bracket open (socklab folded the statement to fit
/// the page), joined to it as it was before the fold: a comma's space
/// back, nothing before `.encode(` or after `(`. The program's lines are
/// joined the same way, so that a call written over several lines there
/// (a helper's `libc::strftime(`) reads the same on both sides.
fn push_code(code: &mut Vec<String>, line: &str) {
    let comment = |l: &str| l.trim_start().starts_with(['#', '/']);
    match code.last_mut() {
        Some(last) if !comment(last) && open_brackets(last) > 0 => {
            if last.ends_with(',') {
                last.push(' ');
            }
            last.push_str(line.trim_start());
        }
        _ => code.push(line.to_string()),
    }
}

/// Python: each `>>>` statement with its `...` lines, and what the prompt
/// echoed after it (a value, or the last line of a traceback).
fn python_shown(text: &str) -> Vec<Shown> {
    let mut shown: Vec<Shown> = Vec::new();
    for block in code_blocks(text) {
        if !block[0].starts_with(">>> ") {
            continue;
        }
        for line in block {
            if let Some(code) = line.strip_prefix(">>> ") {
                shown.push(Shown {
                    code: vec![code.to_string()],
                    printed: vec![],
                });
            } else if let Some(code) = line.strip_prefix("... ") {
                if let Some(last) = shown.last_mut() {
                    push_code(&mut last.code, code);
                }
            } else if !line.starts_with('#')
                && let Some(last) = shown.last_mut()
            {
                last.printed.push(line.to_string());
            }
        }
    }
    shown
}

/// A comment socklab writes about a value, which the program prints.
fn is_value_comment(text: &str) -> bool {
    ["n == ", "addr == ", "received.len() == "]
        .iter()
        .any(|start| text.starts_with(start))
}

/// Rust: each statement (its lines until the braces balance), with the
/// `Err:` lines and the value comments shown after it.
fn rust_shown(text: &str) -> Vec<Shown> {
    let mut shown: Vec<Shown> = Vec::new();
    for block in code_blocks(text) {
        let mut depth = 0i32;
        for line in block {
            if depth == 0
                && let Some(comment) = line.strip_prefix("// ")
            {
                if is_value_comment(comment)
                    && let Some(last) = shown.last_mut()
                {
                    last.printed.push(comment.to_string());
                }
                continue;
            }
            if depth == 0
                && line.starts_with("Err: ")
                && let Some(last) = shown.last_mut()
            {
                last.printed.push(line.to_string());
                continue;
            }
            let folded = shown
                .last()
                .and_then(|s| s.code.last())
                .is_some_and(|l| open_brackets(l) > 0);
            if depth == 0 && !folded {
                shown.push(Shown::default());
            }
            if let Some(last) = shown.last_mut() {
                push_code(&mut last.code, line);
            }
            depth += line.matches('{').count() as i32 - line.matches('}').count() as i32;
        }
    }
    shown
}

/// Every line of code the lesson showed is in the program, in order: as
/// it is, or (Python) inside the print() that shows its value.
fn assert_code_in_program(what: &str, lang: Lang, shown: &[Shown], program: &str) {
    let mut joined = Vec::new();
    for line in program.lines() {
        push_code(&mut joined, line.trim());
    }
    let lines: Vec<&str> = joined.iter().map(String::as_str).collect();
    let mut at = 0;
    for statement in shown {
        for code in &statement.code {
            let code = code.trim();
            let same = |line: &&str| match lang {
                Lang::Rust => *line == code,
                Lang::Python => {
                    *line == code
                        || *line == format!("print({code})")
                        || *line == format!("print(repr({code}))")
                        || *line == format!("print(({code}))")
                }
            };
            match lines[at..].iter().position(same) {
                Some(found) => at += found + 1,
                None => panic!(
                    "{what}: the lesson shows `{code}` (in `{}`), and the exported program \
                     does not have it at that place:\n{program}",
                    statement.first()
                ),
            }
        }
    }
}

/// The line of `program` a Python traceback on `stderr` points at.
fn traceback_line(stderr: &str, program: &str) -> Option<String> {
    let number: usize = stderr
        .lines()
        .rev()
        .find_map(|l| l.trim().strip_prefix("File ")?.split(", line ").nth(1))?
        .split(',')
        .next()?
        .trim()
        .parse()
        .ok()?;
    program
        .lines()
        .nth(number.checked_sub(1)?)
        .map(str::to_string)
}

/// The program's output against what the lesson showed, line by line; a
/// difference names the statement it belongs to.
fn assert_prints_as_shown(what: &str, shown: &[Shown], output: &Output, program: &str) {
    let expected: Vec<(&Shown, &String)> = shown
        .iter()
        .flat_map(|s| s.printed.iter().map(move |p| (s, p)))
        .collect();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let printed: Vec<&str> = stdout.lines().collect();
    let failure = || {
        let mut text = output.status.to_string();
        if let Some(line) = traceback_line(&stderr, program) {
            text.push_str(&format!(", at `{}`", line.trim()));
        }
        format!("{text}; stderr:\n{stderr}")
    };
    for (i, (statement, line)) in expected.iter().enumerate() {
        match printed.get(i) {
            Some(got) => assert_eq!(
                redact(got),
                redact(line),
                "{what}: after `{}` the lesson shows `{line}`, the exported program printed `{got}`",
                statement.first()
            ),
            None => panic!(
                "{what}: the exported program stopped before `{}` printed `{line}` as the \
                 lesson shows ({})",
                statement.first(),
                failure()
            ),
        }
    }
    assert!(
        printed.len() == expected.len(),
        "{what}: the exported program printed more than the lesson shows: {:?}",
        &printed[expected.len()..]
    );
    assert!(
        output.status.success(),
        "{what}: the exported program printed what the lesson shows, then failed ({})",
        failure()
    );
}

/// A loopback lesson's Python script prints what the lesson showed. The
/// script, unless the test was skipped (outside CI, it says so).
fn python_runs(lesson: &str, args: &[&str]) -> Option<String> {
    let what = format!("{lesson}{} (python)", args.join(" "));
    if !tools_ready(&what, &["python3", "unshare", "ip"]) {
        return None;
    }
    let (text, _dir, file) = export(lesson, Lang::Python, args);
    let program = std::fs::read_to_string(&file).expect("the exported script");
    let shown = python_shown(&text);
    assert!(!shown.is_empty(), "{what}: no code found in:\n{text}");
    assert_code_in_program(&what, Lang::Python, &shown, &program);
    let path = file.to_string_lossy();
    let output = bounded(in_namespace(&["python3", &path]), PROGRAM_TIMEOUT)
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_prints_as_shown(&what, &shown, &output, &program);
    Some(program)
}

/// The package exported Rust programs are built in: a copy of
/// tests/rust-export/ under the tests' temporary folder, so that nothing
/// is written into the source tree.
fn rust_package() -> &'static Path {
    static PACKAGE: OnceLock<PathBuf> = OnceLock::new();
    PACKAGE.get_or_init(|| {
        let template = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rust-export");
        let package = Path::new(env!("CARGO_TARGET_TMPDIR")).join("rust-export");
        std::fs::create_dir_all(package.join("src/bin")).expect("the package folder");
        for file in ["Cargo.toml", "Cargo.lock", "src/main.rs"] {
            std::fs::copy(template.join(file), package.join(file))
                .unwrap_or_else(|e| panic!("copying tests/rust-export/{file}: {e}"));
        }
        package
    })
}

/// Builds `source` as the binary `bin`, offline, from Cargo.lock.
fn build_rust(what: &str, bin: &str, source: &str) -> PathBuf {
    let package = rust_package();
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("rust-export-target");
    std::fs::write(package.join("src/bin").join(format!("{bin}.rs")), source)
        .expect("writing the program into the package");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .args(["build", "--offline", "--locked", "--quiet", "--bin", bin])
        .current_dir(package)
        .env("CARGO_TARGET_DIR", &target);
    let output = bounded(command, BUILD_TIMEOUT).unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        output.status.success(),
        "{what}: the exported program does not build:\n{}\n{source}",
        String::from_utf8_lossy(&output.stderr)
    );
    target.join("debug").join(bin)
}

/// The dependencies an exported program's header names are those of the
/// package it is built in, so a learner's Cargo.toml gets the same.
fn assert_dependencies_match(what: &str, program: &str) {
    let manifest = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rust-export/Cargo.toml"),
    )
    .expect("tests/rust-export/Cargo.toml");
    let named: Vec<&str> = program
        .lines()
        .skip_while(|l| *l != "//!     [dependencies]")
        .skip(1)
        .map_while(|l| l.strip_prefix("//!     "))
        .collect();
    assert!(
        !named.is_empty(),
        "{what}: the program names no dependencies"
    );
    for dependency in named {
        assert!(
            manifest.lines().any(|l| l == dependency),
            "{what}: the program asks for `{dependency}`, which tests/rust-export/Cargo.toml \
             does not have"
        );
    }
}

/// A loopback lesson's Rust program builds and prints what the lesson
/// showed.
fn rust_runs(lesson: &str, args: &[&str]) {
    let what = format!("{lesson}{} (rust)", args.join(" "));
    if !tools_ready(&what, &["unshare", "ip"]) {
        return;
    }
    let (text, _dir, file) = export(lesson, Lang::Rust, args);
    let program = std::fs::read_to_string(&file).expect("the exported program");
    let shown = rust_shown(&text);
    assert!(!shown.is_empty(), "{what}: no code found in:\n{text}");
    assert_code_in_program(&what, Lang::Rust, &shown, &program);
    assert_dependencies_match(&what, &program);
    let bin = format!("{lesson}{}", args.join("").replace("--", "-"));
    let exe = build_rust(&what, &bin, &program);
    let output = bounded(
        in_namespace(&[exe.to_str().expect("a UTF-8 path")]),
        PROGRAM_TIMEOUT,
    )
    .unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_prints_as_shown(&what, &shown, &output, &program);
}

/// A lab-wire lesson writes one program per host, each of which parses
/// (Python) or builds (Rust), and together they hold every statement the
/// lesson showed.
fn wire_programs_build(lesson: &str, lang: Lang) {
    wire_programs_build_with(lesson, lang, &[]);
}

fn wire_programs_build_with(lesson: &str, lang: Lang, args: &[&str]) {
    let what = format!("{lesson} ({}) {args:?}", lang.name());
    if lang == Lang::Python && !tools_ready(&what, &["python3"]) {
        return;
    }
    let (text, dir, file) = export(lesson, lang, args);
    assert!(
        !file.exists(),
        "{what}: a lab-wire lesson writes one program per host, not {}",
        file.display()
    );
    let stem = format!("{lesson}.");
    let mut programs: Vec<(String, String)> = std::fs::read_dir(dir.path())
        .expect("the export folder")
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let name = path.file_name()?.to_str()?.to_string();
            let host = name
                .strip_prefix(&stem)?
                .strip_suffix(&format!(".{}", lang.extension()))?
                .to_string();
            Some((host, std::fs::read_to_string(&path).ok()?))
        })
        .collect();
    programs.sort();
    assert!(
        programs.len() >= 2,
        "{what}: expected a program per host, found {programs:?}"
    );
    let shown = match lang {
        Lang::Python => python_shown(&text),
        Lang::Rust => rust_shown(&text),
    };
    // Each host's program has the `use` lines its own calls need, fewer
    // than the lesson shows for all of them.
    for statement in shown.iter().filter(|s| !s.first().starts_with("use ")) {
        let line = statement.first();
        assert!(
            programs.iter().any(|(_, p)| p.lines().any(|l| {
                let l = l.trim();
                l == line || l.contains(&format!("({line})"))
            })),
            "{what}: `{line}` is in no host's program"
        );
    }
    for (host, program) in &programs {
        let what = format!("{lesson}, host {host} ({})", lang.name());
        match lang {
            Lang::Python => {
                let path = dir.path().join(format!("{lesson}.{host}.py"));
                let mut command = Command::new("python3");
                command.args(["-m", "py_compile"]).arg(&path);
                let output =
                    bounded(command, PROGRAM_TIMEOUT).unwrap_or_else(|e| panic!("{what}: {e}"));
                assert!(
                    output.status.success(),
                    "{what}: the program does not parse: {}",
                    String::from_utf8_lossy(&output.stderr)
                );
            }
            Lang::Rust => {
                assert_dependencies_match(&what, program);
                // The IPv6 run's binaries are named apart: both runs build
                // in the one package at the same time.
                let family = args.join("").replace("--", "-");
                build_rust(&what, &format!("{lesson}{family}-{host}"), program);
            }
        }
    }
}

macro_rules! loopback_tests {
    ($($python:ident, $rust:ident => $id:literal),* $(,)?) => {
        $(
            #[test]
            fn $python() {
                python_runs($id, &[]);
            }
            #[test]
            fn $rust() {
                rust_runs($id, &[]);
            }
        )*
    };
}

loopback_tests! {
    python_runs_tcp_handshake, rust_runs_tcp_handshake => "tcp-handshake",
    python_runs_tcp_echo, rust_runs_tcp_echo => "tcp-echo",
    python_runs_tcp_close, rust_runs_tcp_close => "tcp-close",
    python_runs_udp_datagram, rust_runs_udp_datagram => "udp-datagram",
    python_runs_udp_bind, rust_runs_udp_bind => "udp-bind",
    python_runs_tcp_stream_boundaries, rust_runs_tcp_stream_boundaries => "tcp-stream-boundaries",
    python_runs_udp_boundaries, rust_runs_udp_boundaries => "udp-boundaries",
    python_runs_udp_echo_time, rust_runs_udp_echo_time => "udp-echo-time",
    python_runs_udp_broadcast, rust_runs_udp_broadcast => "udp-broadcast",
    python_runs_tcp_chat, rust_runs_tcp_chat => "tcp-chat",
    python_runs_tcp_multi_client, rust_runs_tcp_multi_client => "tcp-multi-client",
    python_runs_tcp_file_download, rust_runs_tcp_file_download => "tcp-file-download",
    python_runs_tcp_refused, rust_runs_tcp_refused => "tcp-refused",
    python_runs_tcp_time_wait, rust_runs_tcp_time_wait => "tcp-time-wait",
}

macro_rules! ipv6_tests {
    ($($python:ident, $rust:ident => $id:literal),* $(,)?) => {
        $(
            #[test]
            fn $python() {
                python_runs($id, &["--ipv6"]);
            }
            #[test]
            fn $rust() {
                rust_runs($id, &["--ipv6"]);
            }
        )*
    };
}

// Over ::1: AF_INET6, 4-tuple addresses in Python, [::1]:port in Rust.
ipv6_tests! {
    python_runs_tcp_handshake_ipv6, rust_runs_tcp_handshake_ipv6 => "tcp-handshake",
    python_runs_tcp_echo_ipv6, rust_runs_tcp_echo_ipv6 => "tcp-echo",
    python_runs_tcp_close_ipv6, rust_runs_tcp_close_ipv6 => "tcp-close",
    python_runs_udp_datagram_ipv6, rust_runs_udp_datagram_ipv6 => "udp-datagram",
    python_runs_udp_bind_ipv6, rust_runs_udp_bind_ipv6 => "udp-bind",
    python_runs_tcp_stream_boundaries_ipv6, rust_runs_tcp_stream_boundaries_ipv6 => "tcp-stream-boundaries",
    python_runs_udp_boundaries_ipv6, rust_runs_udp_boundaries_ipv6 => "udp-boundaries",
    python_runs_udp_echo_time_ipv6, rust_runs_udp_echo_time_ipv6 => "udp-echo-time",
    python_runs_tcp_chat_ipv6, rust_runs_tcp_chat_ipv6 => "tcp-chat",
    python_runs_tcp_multi_client_ipv6, rust_runs_tcp_multi_client_ipv6 => "tcp-multi-client",
    python_runs_tcp_file_download_ipv6, rust_runs_tcp_file_download_ipv6 => "tcp-file-download",
    python_runs_tcp_refused_ipv6, rust_runs_tcp_refused_ipv6 => "tcp-refused",
    python_runs_tcp_time_wait_ipv6, rust_runs_tcp_time_wait_ipv6 => "tcp-time-wait",
}

macro_rules! wire_tests {
    ($($python:ident, $rust:ident => $id:literal),* $(,)?) => {
        $(
            #[test]
            fn $python() {
                wire_programs_build($id, Lang::Python);
            }
            #[test]
            fn $rust() {
                wire_programs_build($id, Lang::Rust);
            }
        )*
    };
}

wire_tests! {
    python_hosts_parse_tcp_flow_control, rust_hosts_build_tcp_flow_control => "tcp-flow-control",
    python_hosts_parse_tcp_handshake_held, rust_hosts_build_tcp_handshake_held => "tcp-handshake-held",
    python_hosts_parse_tcp_retransmission, rust_hosts_build_tcp_retransmission => "tcp-retransmission",
    python_hosts_parse_tcp_fast_retransmit, rust_hosts_build_tcp_fast_retransmit => "tcp-fast-retransmit",
    python_hosts_parse_udp_unreliable, rust_hosts_build_udp_unreliable => "udp-unreliable",
    python_hosts_parse_tcp_duplicates, rust_hosts_build_tcp_duplicates => "tcp-duplicates",
    python_hosts_parse_tcp_congestion, rust_hosts_build_tcp_congestion => "tcp-congestion",
    python_hosts_parse_tcp_segmentation, rust_hosts_build_tcp_segmentation => "tcp-segmentation",
    python_hosts_parse_udp_broadcast_lan, rust_hosts_build_udp_broadcast_lan => "udp-broadcast-lan",
    python_hosts_parse_udp_multicast, rust_hosts_build_udp_multicast => "udp-multicast",
    python_hosts_parse_checksum, rust_hosts_build_checksum => "checksum",
}

/// The lab-wire lessons that also run with IPv6 hosts (`ipv6_wire`).
macro_rules! wire_tests_ipv6 {
    ($($python:ident, $rust:ident => $id:literal),* $(,)?) => {
        $(
            #[test]
            fn $python() {
                wire_programs_build_with($id, Lang::Python, &["--ipv6"]);
            }
            #[test]
            fn $rust() {
                wire_programs_build_with($id, Lang::Rust, &["--ipv6"]);
            }
        )*
    };
}

wire_tests_ipv6! {
    python_hosts_parse_checksum_ipv6, rust_hosts_build_checksum_ipv6 => "checksum",
}

/// Every built-in lesson has its export tested above (the loopback ones
/// run, the lab-wire ones build), and every lesson that offers --ipv6 runs
/// over IPv6 too.
#[test]
fn every_lesson_has_its_export_tested() {
    let source = include_str!("export.rs");
    let tested = |id: &str| source.matches(&format!("=> \"{id}\",")).count();
    for id in common::LESSONS {
        let runs = if common::IPV6_LESSONS.contains(&id) {
            2
        } else {
            1
        };
        assert_eq!(tested(id), runs, "lesson {id}: export tests");
    }
}

/// The package exported Rust programs build in resolves, offline, to the
/// versions socklab's own Cargo.lock has: nothing new to download.
#[test]
fn rust_export_package_uses_socklabs_locked_versions() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ours = std::fs::read_to_string(root.join("Cargo.lock")).expect("Cargo.lock");
    let theirs = std::fs::read_to_string(root.join("tests/rust-export/Cargo.lock"))
        .expect("tests/rust-export/Cargo.lock");
    let packages = |lock: &str| -> Vec<String> {
        lock.split("[[package]]")
            .skip(1)
            .filter(|p| p.contains("source = \"registry+"))
            .map(|p| {
                p.lines()
                    .filter(|l| l.starts_with("name = ") || l.starts_with("version = "))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    };
    let ours = packages(&ours);
    let theirs = packages(&theirs);
    assert!(
        theirs.iter().any(|p| p.starts_with("name = \"socket2\"")),
        "{theirs:?}"
    );
    for package in &theirs {
        assert!(
            ours.contains(package),
            "tests/rust-export/Cargo.lock has {package}, which socklab's Cargo.lock has not"
        );
    }
}

/// The parsing above finds statements and what they print, so that a
/// test cannot pass by finding nothing.
#[test]
fn shown_code_is_parsed_into_statements_and_what_they_print() {
    let text = [
        "── Step 1 of 1 · x ──",
        "",
        "  >>> import socket",
        "  >>> client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)",
        "  >>> client.connect((\"127.0.0.1\", 6000))",
        "  ConnectionRefusedError: [Errno 111] Connection refused",
        "  >>> received = b\"\"",
        "  >>> while True:",
        "  ...     data = client.recv(1024)",
        "  # a comment",
        "  >>> sender.sendto(\"hello, everyone\".encode(\"utf-8\"),",
        "  ...     (\"127.255.255.255\", 7788))",
        "  15",
        "  >>> conn.sendall(\"ERROR: no such file: missing.txt\"",
        "  ...     .encode(\"utf-8\"))",
        "",
        "  The kernel's own view (/proc/net in the sandbox):",
    ]
    .join("\n");
    let shown = python_shown(&text);
    assert_eq!(shown.len(), 7);
    assert_eq!(
        shown[2].printed,
        ["ConnectionRefusedError: [Errno 111] Connection refused"]
    );
    assert_eq!(
        shown[4].code,
        ["while True:", "    data = client.recv(1024)"]
    );
    // Folded to fit the page, joined back as the program has them.
    assert_eq!(
        shown[5].code,
        ["sender.sendto(\"hello, everyone\".encode(\"utf-8\"), (\"127.255.255.255\", 7788))"]
    );
    assert_eq!(shown[5].printed, ["15"]);
    assert_eq!(
        shown[6].code,
        ["conn.sendall(\"ERROR: no such file: missing.txt\".encode(\"utf-8\"))"]
    );
    let text = [
        "",
        "  let mut buf = [0u8; 1024];",
        "  if let Err(e) = (&udp).read(&mut buf) {",
        "      println!(\"Err: {e}\");",
        "  }",
        "  Err: Connection refused (os error 111)",
        "  let n = udp.send(\"hello\".as_bytes())?;",
        "  // n == 5",
        "  // the peer has closed its side",
        "  if let Err(e) = carol.connect(",
        "      &SocketAddr::from((Ipv4Addr::LOCALHOST, 5000)).into()) {",
        "      println!(\"Err: {e}\");",
        "  }",
    ]
    .join("\n");
    let shown = rust_shown(&text);
    assert_eq!(shown.len(), 4);
    assert_eq!(
        shown[3].code[0],
        "if let Err(e) = carol.connect(&SocketAddr::from((Ipv4Addr::LOCALHOST, 5000)).into()) {"
    );
    assert_eq!(shown[1].code.len(), 3);
    assert_eq!(shown[1].printed, ["Err: Connection refused (os error 111)"]);
    assert_eq!(shown[2].printed, ["n == 5"]);
}

/// In Chinese, the exported script's comments are Chinese (its header and
/// each step's line), and it still runs and prints what the lesson showed.
#[test]
fn python_runs_tcp_echo_in_chinese() {
    let Some(program) = python_runs("tcp-echo", &["--lang", "zh"]) else {
        return;
    };
    assert!(program.contains("# socklab 课程 tcp-echo："), "{program}");
    assert!(program.contains("# 第 1 步（共 "), "{program}");
    assert!(!program.contains("Step 1 of"), "{program}");
}
