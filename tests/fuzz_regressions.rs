//! Every fuzz target run over its seeds (the repository's real captures,
//! lesson files and recordings) and over every input the fuzzer ever
//! found a problem with (`tests/fuzz/regressions/TARGET/`), with plain
//! `cargo test`: a bug the fuzzer found stays found. The targets assert
//! their own invariants (a JSON line reads back, `corrupt` flips one byte
//! inside the frame, a capture reader stops once) besides never panicking.

use std::path::{Path, PathBuf};

use socklab::fuzzing;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn regressions(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = root().join("tests/fuzz/regressions").join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut inputs: Vec<_> = entries
        .map(|e| e.expect("a regression input").path())
        .filter(|p| p.is_file())
        .map(|p| {
            let bytes = std::fs::read(&p).expect("readable regression input");
            (p, bytes)
        })
        .collect();
    inputs.sort();
    inputs
}

#[test]
fn every_target_runs_its_seeds_and_past_findings() {
    let seeds = fuzzing::seeds(&root()).expect("the seeds are readable");
    for (name, run) in fuzzing::TARGETS {
        let own = &seeds
            .iter()
            .find(|(target, _)| *target == name)
            .unwrap_or_else(|| panic!("no seeds for target {name}"))
            .1;
        // A target without seeds would test nothing: each has real inputs.
        assert!(!own.is_empty(), "target {name} has no seeds");
        for input in own {
            run(input);
        }
        for (path, input) in regressions(name) {
            eprintln!("{name}: {}", path.display());
            run(&input);
        }
    }
}

#[test]
fn regression_folders_name_targets() {
    let dir = root().join("tests/fuzz/regressions");
    for entry in std::fs::read_dir(&dir).expect("tests/fuzz/regressions") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            assert!(
                fuzzing::target(name).is_some(),
                "{}: not a fuzz target's name",
                Path::new(name).display()
            );
        }
    }
}
