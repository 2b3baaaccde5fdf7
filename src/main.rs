//! The `socklab` command; see `socklab::app`.

/// Out of memory is exit 2 with a sentence, not an abort.
#[global_allocator]
static ALLOCATOR: socklab::limits::Allocator = socklab::limits::Allocator;

fn main() -> std::process::ExitCode {
    socklab::app::main()
}
