//! Fuzz targets: each function takes arbitrary bytes and feeds them to one
//! of socklab's readers of untrusted input, the way socklab itself would.
//! Any panic (an index out of range, an overflow: the fuzz builds check
//! arithmetic), hang or unbounded allocation is a bug.
//!
//! The targets live here, in the library, so that the fuzzer (`fuzz/`,
//! `scripts/fuzz.sh`) and the regression test that replays every input it
//! ever found (`tests/fuzz_regressions.rs`, plain `cargo test`) run the
//! same code.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use crate::capture::decode::{Decoder, Link, Scope};
use crate::capture::file::CaptureReader;
use crate::event::{self, Event, Sink};
use crate::packet::Fate;
use crate::render::Painter;
use crate::render::code::Lang;
use crate::render::text::{Text, TextOptions};
use crate::terminal::{AutoPacer, Json, Lines, Terminal};
use crate::track::Tracker;
use crate::track::roles::Roles;

/// The link layers socklab decodes, one per value of a target's first
/// byte (modulo their number), so that every one is reached.
pub const LINKS: [Link; 11] = [
    Link::Ethernet,
    Link::LinuxSll,
    Link::LinuxSll2,
    Link::RawIp,
    Link::Null,
    Link::Loop,
    Link::Ppp,
    Link::CiscoHdlc,
    Link::Wifi,
    Link::Radiotap,
    Link::IpOverInfiniband,
];

/// The first byte of a frame target's input: which link layer (low
/// bits), and whether a snapshot length cut the frame (bit 7).
fn link_and_snapped(selector: u8) -> (Link, bool) {
    (
        LINKS[usize::from(selector & 0x7f) % LINKS.len()],
        selector & 0x80 != 0,
    )
}

/// The selector byte for `link` (the inverse of [`link_and_snapped`]).
pub fn selector(link: Link, snapped: bool) -> u8 {
    let index = LINKS.iter().position(|l| *l == link).unwrap_or(0) as u8;
    index | if snapped { 0x80 } else { 0 }
}

/// Target `decode`: one frame of any link layer, decoded as a lesson and as
/// a replay would; and, as the lab wire would, the `corrupt` fault applied
/// to it as an Ethernet frame, which must change at most one byte, inside
/// the frame.
pub fn decode_frame(data: &[u8]) {
    let Some((&selector, frame)) = data.split_first() else {
        return;
    };
    let (link, snapped) = link_and_snapped(selector);
    for scope in [Scope::Lesson, Scope::Everything] {
        let _ = Decoder::new(scope).decode(link, 1, Duration::ZERO, frame, snapped);
    }
    let mut corrupted = frame.to_vec();
    let flipped = crate::wire::corrupt::corrupt(&mut corrupted);
    let changed: Vec<usize> = (0..frame.len())
        .filter(|&i| frame[i] != corrupted[i])
        .collect();
    match flipped {
        None => assert!(
            changed.is_empty(),
            "corrupt() said none, changed {changed:?}"
        ),
        Some(at) => assert!(
            changed == [at] && at >= 14,
            "corrupt() said byte {at}, changed {changed:?}"
        ),
    }
}

/// Splits a `track` input into frames: after the selector byte, each frame
/// is a 2-byte big-endian length, a byte of milliseconds since the frame
/// before, then its bytes (the last one as many as are left).
pub fn frames_of(data: &[u8]) -> (u8, Vec<(Duration, &[u8])>) {
    let Some((&selector, mut rest)) = data.split_first() else {
        return (0, Vec::new());
    };
    let mut frames = Vec::new();
    let mut at = Duration::ZERO;
    while let [hi, lo, gap, body @ ..] = rest {
        let len = usize::from(u16::from_be_bytes([*hi, *lo])).min(body.len());
        at += Duration::from_millis(u64::from(*gap));
        frames.push((at, &body[..len]));
        rest = &body[len..];
    }
    (selector, frames)
}

/// The `track` input holding `frames` (the inverse of [`frames_of`]), for
/// seeds made from real captures.
pub fn frames_input(selector: u8, frames: &[(Duration, Vec<u8>)]) -> Vec<u8> {
    let mut data = vec![selector];
    let mut before = Duration::ZERO;
    for (at, frame) in frames {
        let len = frame.len().min(usize::from(u16::MAX));
        let gap = at.saturating_sub(before).as_millis().min(255) as u8;
        before = *at;
        data.extend_from_slice(&(len as u16).to_be_bytes());
        data.push(gap);
        data.extend_from_slice(&frame[..len]);
    }
    data
}

/// Presents `events` as the ladder (with its summary rows), as JSON and
/// as lines, into memory: what `replay` and `watch` write, without a
/// terminal. Every JSON line must read back into the event it came from.
fn present(events: &[Event], show: impl FnOnce(&mut dyn Sink)) {
    let mut pacer = AutoPacer {
        interrupted: Arc::new(AtomicBool::new(false)),
    };
    let mut ladder = Vec::new();
    let text = Text::new(TextOptions {
        painter: Painter::new(false).with_width(80),
        lang: Lang::Python,
        all_packets: false,
        fold_losses: true,
        data: true,
        live: true,
    });
    let mut terminal = Terminal::new(text, &mut ladder, &mut pacer);
    show(&mut terminal);
    let (mut json, mut lines) = (Vec::new(), Vec::new());
    for event in events {
        let _ = terminal.emit(event.clone());
        let _ = Json::new(&mut json).emit(event.clone());
        let _ = Lines { out: &mut lines }.emit(event.clone());
    }
    let _ = terminal.finish();
    for line in String::from_utf8_lossy(&json).lines() {
        let read: Result<Event, _> = serde_json::from_str(line);
        assert!(read.is_ok(), "a JSON line does not read back: {line}");
    }
}

/// Target `track`: a sequence of frames decoded, tracked and presented as
/// `replay` does (the ladder with its summary rows, JSON, lines), every
/// JSON line read back into the event it came from.
pub fn track_frames(data: &[u8]) {
    let (selector, frames) = frames_of(data);
    let (link, snapped) = link_and_snapped(selector);
    let mut decoder = Decoder::new(Scope::Everything);
    let mut tracker = Tracker::new();
    let mut roles = Roles::default();
    let mut events = vec![Event::Capture(event::CaptureStart {
        source: "fuzz".into(),
        live: false,
        ports: Vec::new(),
        congestion_unread: None,
    })];
    for (index, (at, frame)) in frames.into_iter().enumerate() {
        let number = index + 1;
        match decoder.decode(link, number, at, frame, snapped) {
            Ok(Some(packet)) => {
                let ((from, _), (to, _)) = roles.of(&packet, &[]);
                let row = tracker.track(packet);
                events.push(Event::Packet(event::PacketShown {
                    step: None,
                    from: from.to_string(),
                    to: to.to_string(),
                    fate: Fate::Delivered,
                    row,
                    raw: None,
                }));
            }
            Ok(None) => {}
            Err(e) => events.push(Event::Skipped(event::SkippedFrame {
                frame: number,
                time: at,
                why: event::Skipped::Malformed,
                reason: e.reason,
            })),
        }
    }
    present(&events, |_| {});
}

/// Target `capture_file`: a pcap or pcapng file read to its end, every
/// frame decoded in the link type the file gives it.
pub fn read_capture(data: &[u8]) {
    let input = Box::new(std::io::Cursor::new(data.to_vec()));
    let Ok(mut reader) = CaptureReader::new(Path::new("fuzz.pcap"), input) else {
        return;
    };
    let mut decoder = Decoder::new(Scope::Everything);
    let mut stopped = 0;
    while let Some(next) = reader.next() {
        match next {
            Ok(frame) => {
                assert!(frame.wire_len >= frame.data.len());
                if let Some(link) = frame.link.and_then(Link::from_linktype) {
                    let snapped = frame.wire_len > frame.data.len();
                    let _ = decoder.decode(link, frame.number, frame.time, &frame.data, snapped);
                }
            }
            Err(_) => stopped += 1,
        }
    }
    assert!(stopped <= 1, "the reader stops once");
}

/// Target `lesson`: a lesson or exercise file parsed and checked as
/// `socklab check` does; a valid one is then shown as `list`, `exercise
/// show` and each of its translations would show it.
pub fn parse_lesson(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(lesson) = crate::lesson::parse("fuzz.toml", text) else {
        return;
    };
    let painter = Painter::new(false).with_width(80);
    let mut versions = vec![lesson.clone()];
    versions.extend(
        lesson
            .languages()
            .into_iter()
            .filter_map(|code| lesson.in_language(code)),
    );
    for version in &versions {
        let _ = crate::render::exercise::list(&painter, std::slice::from_ref(version));
        if version.exercise.is_some() {
            let _ = crate::render::exercise::task(&painter, version);
        }
        let _ = version.calls();
    }
}

/// Target `recording`: a recording read as `socklab show` reads it, and a
/// readable one shown straight through (ladder, JSON, lines).
pub fn load_recording(data: &[u8]) {
    let Ok(recording) = crate::record::read_from(Path::new("fuzz.socklab"), data) else {
        return;
    };
    present(&[], |sink| {
        let _ = crate::record::show(&recording, sink);
    });
}

/// A fuzz target: one input, any bytes.
pub type Target = fn(&[u8]);

/// Some inputs for the target of that name.
pub type Seeds = (&'static str, Vec<Vec<u8>>);

/// Every target, by the name `scripts/fuzz.sh` and the regression test use.
pub const TARGETS: [(&str, Target); 5] = [
    ("decode", decode_frame),
    ("track", track_frames),
    ("capture_file", read_capture),
    ("lesson", parse_lesson),
    ("recording", load_recording),
];

/// The target called `name`.
pub fn target(name: &str) -> Option<Target> {
    TARGETS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, run)| *run)
}

/// The most frames a `track` seed holds, and the most seeds one capture
/// gives `decode`: enough to reach every kind of frame, few enough for the
/// fuzzer to go through them all quickly.
const SEED_FRAMES: usize = 64;
/// The first frames of each capture that become `decode` seeds: the corpus
/// holds hundreds of captures, and a seed set of thousands of near-equal
/// frames only slows the fuzzer's start.
const DECODE_SEEDS_PER_CAPTURE: usize = 8;
/// Capture files larger than this are left out of `capture_file`'s seeds
/// (the fuzzer mutates small inputs best).
const SEED_CAPTURE_BYTES: u64 = 64 * 1024;

/// Every target's seeds, made from the real inputs in the repository at
/// `root`: the test fixtures' and the corpus's captures (frames, frame
/// sequences, files), the lesson, exercise and broken-lesson files, and
/// the recordings kept for the fuzzer (`tests/fuzz/recordings`).
pub fn seeds(root: &Path) -> std::io::Result<Vec<Seeds>> {
    let files = |dir: &str, ext: &[&str]| -> std::io::Result<Vec<std::path::PathBuf>> {
        let mut found = Vec::new();
        let mut folders = vec![root.join(dir)];
        while let Some(folder) = folders.pop() {
            let Ok(entries) = std::fs::read_dir(&folder) else {
                continue;
            };
            for entry in entries {
                let path = entry?.path();
                if path.is_dir() {
                    folders.push(path);
                } else if path
                    .extension()
                    .is_some_and(|e| ext.iter().any(|x| e == *x))
                {
                    found.push(path);
                }
            }
        }
        found.sort();
        Ok(found)
    };
    let (mut decode, mut track, mut capture_file) = (Vec::new(), Vec::new(), Vec::new());
    let mut captures = files("tests/fixtures", &["pcap", "pcapng"])?;
    captures.extend(files("tests/corpus", &["pcap", "pcapng", "cap"])?);
    for path in captures {
        let bytes = std::fs::read(&path)?;
        if std::fs::metadata(&path)?.len() <= SEED_CAPTURE_BYTES {
            capture_file.push(bytes.clone());
        }
        let Ok(mut reader) = CaptureReader::new(&path, Box::new(std::io::Cursor::new(bytes)))
        else {
            continue;
        };
        let mut frames = Vec::new();
        let mut link_of_file = None;
        while let Some(Ok(frame)) = reader.next() {
            let Some(link) = frame.link.and_then(Link::from_linktype) else {
                continue;
            };
            let snapped = frame.wire_len > frame.data.len();
            link_of_file.get_or_insert((link, snapped));
            if frames.len() < DECODE_SEEDS_PER_CAPTURE {
                let mut input = vec![selector(link, snapped)];
                input.extend_from_slice(&frame.data);
                decode.push(input);
            }
            frames.push((frame.time, frame.data));
            if frames.len() == SEED_FRAMES {
                break;
            }
        }
        if let Some((link, snapped)) = link_of_file {
            track.push(frames_input(selector(link, snapped), &frames));
        }
    }
    decode.sort();
    decode.dedup();
    let mut lessons = Vec::new();
    for dir in [
        "lessons",
        "exercises",
        "tests/broken-lessons",
        "tests/fixtures",
    ] {
        for path in files(dir, &["toml"])? {
            lessons.push(std::fs::read(path)?);
        }
    }
    let mut recordings = Vec::new();
    for path in files("tests/fuzz/recordings", &["socklab"])? {
        recordings.push(std::fs::read(path)?);
    }
    Ok(vec![
        ("decode", decode),
        ("track", track),
        ("capture_file", capture_file),
        ("lesson", lessons),
        ("recording", recordings),
    ])
}
