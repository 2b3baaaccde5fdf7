//! The machine's limits, said plainly: a process out of file descriptors
//! (`ulimit -n`) or memory (`ulimit -v`) exits 2 with a sentence naming
//! the limit, never with a panic or an abort.

use std::alloc::{GlobalAlloc, Layout};

use mimalloc::MiMalloc;
use std::io;
use std::sync::OnceLock;

use crate::t;

/// What to say when the limit behind `error` is known: too many open files
/// (EMFILE, ENFILE) or not enough memory (ENOMEM; EAGAIN from a thread that
/// could not get its stack). With a leading space, as the other hints.
pub fn hint(error: &io::Error) -> Option<String> {
    match error.raw_os_error()? {
        libc::EMFILE | libc::ENFILE => Some(t!("hint-open-files", limit = open_files_limit())),
        libc::ENOMEM => Some(t!("hint-memory")),
        _ => None,
    }
}

/// [`hint`], and for an error outside a socket call (where EAGAIN is not a
/// timeout), EAGAIN too: a thread that could not get its stack (memory) or
/// the process limit (`ulimit -u`). Without the parentheses.
pub fn setup_hint(error: &io::Error) -> Option<String> {
    let hint = match error.raw_os_error()? {
        libc::EAGAIN => t!("hint-threads"),
        _ => hint(error)?,
    };
    let hint = hint.trim();
    let hint = hint.strip_prefix(['(', '（']).unwrap_or(hint);
    Some(hint.strip_suffix([')', '）']).unwrap_or(hint).to_string())
}

/// The soft limit on open files (`ulimit -n`), as text.
fn open_files_limit() -> String {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes into the struct we own.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0
        || limit.rlim_cur == libc::RLIM_INFINITY
    {
        return "?".to_string();
    }
    limit.rlim_cur.to_string()
}

/// The sentence written when memory runs out, in the run's language,
/// written ahead (nothing can be allocated then).
static OUT_OF_MEMORY: OnceLock<Box<[u8]>> = OnceLock::new();

/// The English sentence, for memory that runs out before the language is
/// chosen (loading a catalogue allocates). A copy of `error-out-of-memory`
/// in en.ftl: a test holds them equal.
const BEFORE_ANY_LANGUAGE: &str =
    "\nsocklab: out of memory: the memory limit (`ulimit -v`) is too low for socklab to go on.\n";

/// Writes the out-of-memory sentence now, in the language just chosen.
pub fn prepare() {
    let text = format!("\nsocklab: {}\n", t!("error-out-of-memory").trim_start());
    let _ = OUT_OF_MEMORY.set(text.into_bytes().into_boxed_slice());
}

/// mimalloc, except that a request it cannot meet ends the process with
/// status 2 and a sentence (the standard library would abort with SIGABRT,
/// status 134, and no word of why).
///
/// mimalloc rather than glibc's malloc: `replay --format json` makes
/// events on one thread and frees them on the JSON workers, and glibc
/// takes its arena's lock for every such free (a fifth of the run's CPU
/// went to malloc and free, much of it waiting on that lock); mimalloc
/// hands a block freed by another thread back to its owner's page without
/// a lock. A million-frame replay: 1.22 s → 0.89 s.
pub struct Allocator;

impl Allocator {
    #[cold]
    fn out_of_memory() -> ! {
        let text = OUT_OF_MEMORY
            .get()
            .map_or(BEFORE_ANY_LANGUAGE.as_bytes(), |t| t);
        // SAFETY: a plain write(2) of bytes we own; nothing allocates.
        unsafe { libc::write(2, text.as_ptr().cast(), text.len()) };
        // SAFETY: _exit(2) ends the process at once. The namespaces are
        // this process's own and vanish with it.
        unsafe { libc::_exit(2) }
    }
}

// SAFETY: every call goes to MiMalloc; only a null result is handled.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as MiMalloc::alloc.
        let ptr = unsafe { MiMalloc.alloc(layout) };
        if ptr.is_null() {
            Self::out_of_memory();
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as MiMalloc::alloc_zeroed.
        let ptr = unsafe { MiMalloc.alloc_zeroed(layout) };
        if ptr.is_null() {
            Self::out_of_memory();
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as MiMalloc::dealloc.
        unsafe { MiMalloc.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as MiMalloc::realloc.
        let ptr = unsafe { MiMalloc.realloc(ptr, layout, new_size) };
        if ptr.is_null() {
            Self::out_of_memory();
        }
        ptr
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sentence_before_any_language_is_the_catalogues() {
        let en =
            crate::i18n::message_in(crate::i18n::Language::English, "error-out-of-memory", &[]);
        assert_eq!(BEFORE_ANY_LANGUAGE, format!("\nsocklab: {en}\n"));
    }

    #[test]
    fn limits_are_named() {
        let files = hint(&io::Error::from_raw_os_error(libc::EMFILE)).unwrap();
        assert!(files.contains("ulimit -n"), "{files}");
        assert!(hint(&io::Error::from_raw_os_error(libc::ENOMEM)).is_some());
        assert_eq!(
            hint(&io::Error::from_raw_os_error(libc::ECONNREFUSED)),
            None
        );
        // A socket's timeout is EAGAIN too: only outside calls is it a limit.
        assert_eq!(hint(&io::Error::from_raw_os_error(libc::EAGAIN)), None);
        let threads = setup_hint(&io::Error::from_raw_os_error(libc::EAGAIN)).unwrap();
        assert!(
            threads.contains("ulimit -v") && !threads.starts_with('('),
            "{threads}"
        );
    }
}
