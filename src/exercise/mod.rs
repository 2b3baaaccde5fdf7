//! Exercises, as a learner meets them: `socklab exercise list`, `show`,
//! `start` (a starter file) and `check` (their program, run for real and
//! graded by what it does on the wire).
//!
//! An exercise is a lesson file with an `[exercise]` table (parsed in
//! [`crate::lesson::exercise`]); the runner performs socklab's side of it
//! and decides each check ([`crate::runner`]); this module finds
//! exercises, writes starter files and prepares the program's run.

pub mod program;

use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::lesson::{self, BUILTIN_EXERCISES, Lesson, LessonError, LoadError};
use crate::t;
use program::{ProgramSpec, Scratch};

/// The exercises that come with socklab, in their order.
pub fn builtin() -> Vec<Lesson> {
    let mut exercises: Vec<Lesson> = BUILTIN_EXERCISES
        .iter()
        .map(|(file, text)| {
            // Built-in exercises are checked by the test suite, so a
            // failure here is a packaging bug, not user input.
            lesson::parse(&format!("exercises/{file}"), text)
                .unwrap_or_else(|e| panic!("built-in exercise is invalid: {e:?}"))
        })
        .collect();
    exercises.sort_by(|a, b| (a.order, &a.id).cmp(&(b.order, &b.id)));
    exercises
}

/// The exercises of a teacher's folder (or file), and the problems of the
/// files that are not valid exercises.
pub fn load(path: &Path) -> Result<(Vec<Lesson>, Vec<LessonError>), LoadError> {
    let files = lesson::lesson_files(path)?;
    let (found, mut problems) = lesson::load_files(&files)?;
    let mut exercises = Vec::new();
    for lesson in found {
        if lesson.exercise.is_some() {
            exercises.push(lesson);
        } else {
            problems.push(LessonError {
                file: lesson.source.clone(),
                line: 1,
                column: 1,
                message: t!("exercise-not-an-exercise"),
            });
        }
    }
    exercises.sort_by(|a, b| (a.order, &a.id).cmp(&(b.order, &b.id)));
    Ok((exercises, problems))
}

/// Why an exercise command cannot go on.
#[derive(Debug, thiserror::Error)]
pub enum ExerciseError {
    #[error("{}", t!("error-unknown-exercise", id = .id.as_str(), hint = .hint.as_str()))]
    Unknown { id: String, hint: String },
    #[error("{}", t!("error-exists", path = .path.display().to_string()))]
    Exists { path: PathBuf },
    #[error("{}", t!("error-cannot-write", path = .path.display().to_string(), error = .source.to_string()))]
    Write { path: PathBuf, source: io::Error },
    #[error("{}", t!("error-scratch", error = .0.to_string()))]
    Scratch(io::Error),
    #[error("{}", t!("error-no-command", id = .id.as_str()))]
    NoCommand { id: String },
    #[error("{}", t!("error-no-program-file", file = .file.as_str(), dir = .dir.display().to_string(), id = .id.as_str()))]
    NoProgramFile {
        file: String,
        dir: PathBuf,
        id: String,
    },
}

/// The exercise named `id`.
pub fn find(id: &str, all: &[Lesson]) -> Result<Lesson, ExerciseError> {
    if let Some(found) = all.iter().find(|e| e.id == id) {
        return Ok(found.clone());
    }
    let hint = match crate::suggest::closest(id, all.iter().map(|e| e.id.as_str())) {
        Some(near) => t!("hint-exercise-did-you-mean", near = near),
        None => t!("hint-exercise-list"),
    };
    Err(ExerciseError::Unknown {
        id: id.to_string(),
        hint,
    })
}

/// Writes the exercise's starter file to `path`, never over a file that
/// exists.
pub fn write_starter(exercise: &Lesson, path: &Path) -> Result<(), ExerciseError> {
    let Some(spec) = &exercise.exercise else {
        return Ok(());
    };
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|source| match source.kind() {
            io::ErrorKind::AlreadyExists => ExerciseError::Exists {
                path: path.to_path_buf(),
            },
            _ => ExerciseError::Write {
                path: path.to_path_buf(),
                source,
            },
        })?;
    let text = format!("{}\n", spec.starter.trim());
    io::Write::write_all(&mut file, text.as_bytes()).map_err(|source| ExerciseError::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// The default name of a starter file: `echo-server` → `echo_server.py`
/// (a name Python can import).
pub fn starter_name(id: &str) -> String {
    format!("{}.py", id.replace('-', "_"))
}

/// The program's run: its folder (with the exercise's given files) and
/// how it is started. Arguments naming files of the learner's folder
/// become absolute, as the program runs in a folder of its own.
pub fn prepare(
    exercise: &Lesson,
    command: &[String],
) -> Result<(Scratch, ProgramSpec), ExerciseError> {
    let spec = exercise
        .exercise
        .as_ref()
        .ok_or_else(|| ExerciseError::NoCommand {
            id: exercise.id.clone(),
        })?;
    if command.is_empty() {
        return Err(ExerciseError::NoCommand {
            id: exercise.id.clone(),
        });
    }
    let scratch = Scratch::new(&exercise.id).map_err(ExerciseError::Scratch)?;
    for file in spec.files.iter().filter(|f| f.given) {
        scratch
            .write(&file.name, &file.bytes())
            .map_err(ExerciseError::Scratch)?;
    }
    let here = std::env::current_dir().ok();
    if let Some(file) = missing_script(command, here.as_deref()) {
        return Err(ExerciseError::NoProgramFile {
            file: file.to_string(),
            dir: here.unwrap_or_default(),
            id: exercise.id.clone(),
        });
    }
    let mut full: Vec<String> = command
        .iter()
        .map(|arg| absolute_if_a_file(arg, here.as_deref()))
        .collect();
    full.extend(spec.args.iter().cloned());
    let program = ProgramSpec {
        command: full,
        given: command.to_vec(),
        dir: scratch.path().to_path_buf(),
        stdin: spec.stdin.clone(),
        bound: Duration::from_secs(spec.seconds),
    };
    Ok((scratch, program))
}

/// A Python file the command names that is not there. The program runs in
/// a folder of its own, so Python itself would say it cannot open a path
/// the learner never wrote (that folder's): said here, before anything
/// starts, with the folder the learner is in.
fn missing_script<'a>(command: &'a [String], here: Option<&Path>) -> Option<&'a str> {
    command.iter().skip(1).map(String::as_str).find(|arg| {
        let path = Path::new(arg);
        arg.ends_with(".py")
            && !arg.starts_with('-')
            && !(path.is_file() || here.is_some_and(|here| here.join(path).is_file()))
    })
}

/// `arg` as an absolute path when it names a file in `here`; as it is
/// otherwise (`python3`, `-u`).
fn absolute_if_a_file(arg: &str, here: Option<&Path>) -> String {
    let path = Path::new(arg);
    match here {
        Some(here) if !path.is_absolute() && here.join(path).is_file() => {
            here.join(path).display().to_string()
        }
        _ => arg.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_file_in_exercises_dir_is_built_in_and_valid() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("exercises");
        let on_disk: BTreeSet<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".toml"))
            .collect();
        let built_in: BTreeSet<String> = BUILTIN_EXERCISES
            .iter()
            .map(|(f, _)| f.to_string())
            .collect();
        assert_eq!(on_disk, built_in);
        let exercises = builtin();
        assert_eq!(exercises.len(), built_in.len());
        assert!(exercises.iter().all(|e| e.exercise.is_some()));
    }

    #[test]
    fn a_python_file_that_is_not_there_is_named_before_anything_starts() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("mine.py"), "").unwrap();
        let here = Some(dir.path());
        let command = |args: &[&str]| args.iter().map(|a| a.to_string()).collect::<Vec<_>>();
        assert_eq!(
            missing_script(&command(&["python3", "mine.py"]), here),
            None
        );
        assert_eq!(
            missing_script(&command(&["python3", "-u", "typo.py"]), here),
            Some("typo.py")
        );
        // The program itself, options, and files that are there by their
        // full path are not looked for.
        assert_eq!(missing_script(&command(&["./server.py"]), here), None);
        let full = dir.path().join("mine.py").display().to_string();
        assert_eq!(missing_script(&command(&["python3", &full]), here), None);
        assert_eq!(
            missing_script(&command(&["python3", "-m", "http.server"]), here),
            None
        );
    }

    #[test]
    fn starter_files_are_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let exercise = builtin().remove(0);
        let path = dir.path().join("mine.py");
        write_starter(&exercise, &path).unwrap();
        let first = std::fs::read_to_string(&path).unwrap();
        assert!(first.contains("TODO"));
        std::fs::write(&path, "my work").unwrap();
        let err = write_starter(&exercise, &path).unwrap_err();
        assert!(matches!(err, ExerciseError::Exists { .. }), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "my work");
    }

    #[test]
    fn files_named_in_the_command_become_absolute() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("mine.py"), "").unwrap();
        let here = Some(dir.path());
        assert_eq!(absolute_if_a_file("python3", here), "python3");
        assert_eq!(
            absolute_if_a_file("mine.py", here),
            dir.path().join("mine.py").display().to_string()
        );
        assert_eq!(absolute_if_a_file("/bin/sh", here), "/bin/sh");
    }

    #[test]
    fn starter_names_are_importable() {
        assert_eq!(starter_name("echo-server"), "echo_server.py");
    }
}
