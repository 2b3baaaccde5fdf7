//! The soak: `socklab run --all --auto` again and again, as root and as an
//! ordinary user (uid 65534, through a user namespace), every run's output
//! redacted as the snapshots are (ephemeral ports, ISNs, times) and
//! compared with the first run's. A run that fails, hangs (killed after
//! 300 s) or prints anything else counts; the test fails if any did, after
//! all runs, with their figures.
//!
//! By default one run as root and one as the user (as root; otherwise one
//! run, and the user side is skipped visibly): the two must agree.
//! `scripts/soak.sh` runs the full soak: `SOCKLAB_SOAK_RUNS=N` runs per
//! stream, `SOCKLAB_SOAK_STREAMS=S` streams per user side by side (each
//! stream's runs one after the other), `SOCKLAB_SOAK_DIR=DIR` keeps the
//! output of every run that differed or failed, and `SOCKLAB_SOAK_SECONDS=T`
//! starts no run after T seconds (the runs under way finish; the figures
//! say how many ran).

mod common;

use std::collections::BTreeMap;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::redact;

/// A run --all takes 10–20 s; one that has not ended after this is hung.
const RUN_BOUND: Duration = Duration::from_secs(300);

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Side {
    Root,
    User,
}

/// What one run gave.
struct Run {
    side: Side,
    stream: usize,
    number: usize,
    seconds: f64,
    /// None when it succeeded; else why not (exit status, hang).
    failure: Option<String>,
    output: String,
    stderr: String,
}

/// Runs `binary --color never run --all --auto` once, bounded.
fn run_all(binary: &Path, side: Side, scratch: &Path) -> (f64, Option<String>, String, String) {
    let out_path = scratch.join("stdout");
    let err_path = scratch.join("stderr");
    let mut command = Command::new(binary);
    common::in_english(&mut command)
        .env_remove("NO_COLOR")
        .args(["--color", "never", "run", "--all", "--auto"])
        .current_dir(scratch)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap());
    if side == Side::User {
        command.uid(65534).gid(65534);
    }
    let started = Instant::now();
    let mut child = command.spawn().expect("the socklab binary starts");
    let failure = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break (!status.success()).then(|| format!("exited with {status}"));
        }
        if started.elapsed() > RUN_BOUND {
            let _ = child.kill();
            let _ = child.wait();
            break Some(format!(
                "still running after {} s: killed",
                RUN_BOUND.as_secs()
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let seconds = started.elapsed().as_secs_f64();
    let output = std::fs::read_to_string(&out_path).unwrap_or_default();
    let stderr = std::fs::read_to_string(&err_path).unwrap_or_default();
    (seconds, failure, output, stderr)
}

/// The summary at the end of `run --all` says how long each lesson took.
fn redact_summary(text: &str) -> String {
    static DURATION: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?m)^(  \S+ +done +)\d+\.\d\d s$").unwrap()
    });
    DURATION.replace_all(text, "${1}[t] s").into_owned()
}

/// A folder and a copy of the binary that uid 65534 can read and run.
fn readable_copy() -> (tempfile::TempDir, PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let binary = dir.path().join("socklab");
    std::fs::copy(env!("CARGO_BIN_EXE_socklab"), &binary).unwrap();
    std::fs::set_permissions(&binary, std::fs::Permissions::from_mode(0o755)).unwrap();
    (dir, binary)
}

/// A scratch folder per stream, writable by the side that runs in it.
fn scratch_for(parent: &Path, side: Side, stream: usize) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let dir = parent.join(format!("{side:?}-{stream}").to_lowercase());
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    dir
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

/// The first differing lines of two outputs, for the report.
fn first_differences(a: &str, b: &str) -> String {
    let mut lines: Vec<String> = a
        .lines()
        .zip(b.lines())
        .filter(|(x, y)| x != y)
        .take(6)
        .map(|(x, y)| format!("    - {x}\n    + {y}"))
        .collect();
    if lines.is_empty() && a != b {
        lines.push("    (the same lines, but not the same line endings)".into());
    }
    if a.lines().count() != b.lines().count() {
        lines.push(format!(
            "    ({} lines, then {} lines)",
            a.lines().count(),
            b.lines().count()
        ));
    }
    lines.join("\n")
}

#[test]
fn run_all_gives_the_same_story_every_time() {
    let runs = env_number("SOCKLAB_SOAK_RUNS", 1).max(1);
    let streams = env_number("SOCKLAB_SOAK_STREAMS", 1).max(1);
    let keep = std::env::var_os("SOCKLAB_SOAK_DIR").map(PathBuf::from);
    let until = std::env::var("SOCKLAB_SOAK_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map(Duration::from_secs);
    let mut sides = vec![Side::Root];
    if common::is_root() {
        sides.push(Side::User);
    } else {
        common::skip(
            "run_all_gives_the_same_story_every_time (as uid 65534)",
            "starting the binary as another user needs root",
        );
    }
    let (dir, binary) = readable_copy();
    let results: Arc<Mutex<Vec<Run>>> = Arc::default();
    let started = Instant::now();
    let total = runs * streams * sides.len();
    let mut threads = Vec::new();
    for &side in &sides {
        for stream in 1..=streams {
            let scratch = scratch_for(dir.path(), side, stream);
            let (binary, results) = (binary.clone(), Arc::clone(&results));
            threads.push(std::thread::spawn(move || {
                for number in 1..=runs {
                    if until.is_some_and(|until| started.elapsed() >= until) {
                        eprintln!("soak: {side:?} stream {stream} stops after {} runs: time is up", number - 1);
                        break;
                    }
                    let (seconds, failure, output, stderr) = run_all(&binary, side, &scratch);
                    let mut results = results.lock().unwrap();
                    results.push(Run {
                        side,
                        stream,
                        number,
                        seconds,
                        failure,
                        output: redact_summary(&redact(&output)),
                        stderr,
                    });
                    eprintln!(
                        "soak: {}/{total} done ({side:?} stream {stream} run {number}: {seconds:.1} s{}), {:.0} s in",
                        results.len(),
                        if results.last().unwrap().failure.is_some() { ", FAILED" } else { "" },
                        started.elapsed().as_secs_f64()
                    );
                }
            }));
        }
    }
    for thread in threads {
        thread.join().unwrap();
    }
    let results = std::mem::take(&mut *results.lock().unwrap());
    report(&results, keep.as_deref(), started.elapsed());
}

/// Prints the figures, keeps what differed, and fails if anything did.
fn report(results: &[Run], keep: Option<&Path>, elapsed: Duration) {
    // The reference: the first run as root that succeeded.
    let reference = results
        .iter()
        .find(|r| r.side == Side::Root && r.failure.is_none())
        .map(|r| r.output.clone())
        .unwrap_or_default();
    if let Some(keep) = keep {
        std::fs::create_dir_all(keep).unwrap();
        std::fs::write(keep.join("reference.txt"), &reference).unwrap();
    }
    let mut problems = Vec::new();
    let mut distinct: BTreeMap<&str, usize> = BTreeMap::new();
    for run in results {
        *distinct.entry(run.output.as_str()).or_default() += 1;
        let what = match (&run.failure, run.output == reference) {
            (Some(why), _) => format!("{why}\n    stderr: {}", run.stderr.trim()),
            (None, false) => format!(
                "its output differs:\n{}",
                first_differences(&reference, &run.output)
            ),
            (None, true) => continue,
        };
        let name = format!("{:?}-{}-{}", run.side, run.stream, run.number).to_lowercase();
        if let Some(keep) = keep {
            std::fs::create_dir_all(keep).unwrap();
            std::fs::write(keep.join(format!("{name}.txt")), &run.output).unwrap();
            std::fs::write(keep.join(format!("{name}.stderr")), &run.stderr).unwrap();
        }
        problems.push(format!("  {name}: {what}"));
    }
    eprintln!(
        "soak: {} runs of run --all --auto in {:.0} s; {} distinct outputs (redacted)",
        results.len(),
        elapsed.as_secs_f64(),
        distinct.len()
    );
    for side in [Side::Root, Side::User] {
        let of_side: Vec<&Run> = results.iter().filter(|r| r.side == side).collect();
        if of_side.is_empty() {
            continue;
        }
        let seconds: Vec<f64> = of_side.iter().map(|r| r.seconds).collect();
        let failed = of_side.iter().filter(|r| r.failure.is_some()).count();
        let differed = of_side
            .iter()
            .filter(|r| r.failure.is_none() && r.output != reference)
            .count();
        eprintln!(
            "soak: {side:?}: {} runs, {failed} failed, {differed} differed; seconds per run min {:.1} median {:.1} max {:.1}",
            of_side.len(),
            seconds.iter().copied().fold(f64::INFINITY, f64::min),
            median(seconds.clone()),
            seconds.iter().copied().fold(0.0, f64::max),
        );
    }
    assert!(
        !reference.is_empty(),
        "no run as root succeeded:\n{}",
        problems.join("\n")
    );
    assert!(
        problems.is_empty(),
        "{} of {} runs failed or differed from the first:\n{}",
        problems.len(),
        results.len(),
        problems.join("\n")
    );
}
