//! Builds on its own (`cargo build --offline`), so that the dependencies
//! resolve and compile before any exported program is added in src/bin/.

fn main() {
    println!("socket2 and libc build: add an exported program in src/bin/");
}
