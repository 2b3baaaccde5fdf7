//! The `socklab` command; see `socklab::app`.

fn main() -> std::process::ExitCode {
    socklab::app::main()
}
