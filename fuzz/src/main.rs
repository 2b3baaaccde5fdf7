//! One fuzzer binary for every target: `socklab-fuzz TARGET` reads inputs
//! from AFL++ (persistent mode) and hands them to `socklab::fuzzing`;
//! `socklab-fuzz seeds DIR` writes the seed inputs of every target, made
//! from the repository's real inputs, into `DIR/TARGET/`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use socklab::fuzzing;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [seeds, dir] if seeds == "seeds" => match write_seeds(Path::new(dir)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("socklab-fuzz seeds: {e}");
                ExitCode::from(2)
            }
        },
        [target] => match fuzzing::target(target) {
            Some(run) => {
                afl::fuzz!(|data: &[u8]| run(data));
                ExitCode::SUCCESS
            }
            None => usage(),
        },
        _ => usage(),
    }
}

fn usage() -> ExitCode {
    eprintln!(
        "usage: socklab-fuzz TARGET | seeds DIR  (targets: {})",
        fuzzing::TARGETS
            .iter()
            .map(|(name, _)| *name)
            .collect::<Vec<_>>()
            .join(", ")
    );
    ExitCode::from(2)
}

fn write_seeds(dir: &Path) -> std::io::Result<()> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    for (target, inputs) in fuzzing::seeds(&root)? {
        let folder = dir.join(target);
        std::fs::create_dir_all(&folder)?;
        for (index, input) in inputs.iter().enumerate() {
            std::fs::write(folder.join(format!("seed-{index:04}")), input)?;
        }
        println!("{target}: {} seeds", inputs.len());
    }
    Ok(())
}
