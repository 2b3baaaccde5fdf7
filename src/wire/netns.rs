//! Network namespaces for the lab's hosts, held as open file descriptors.
//!
//! A namespace is entered per *thread* with setns(2), which Linux allows in
//! a multi-threaded process for network namespaces (unlike user
//! namespaces). A socket belongs for good to the namespace it was created
//! in, so the runner enters a host's namespace only to create that host's
//! sockets (and to read its /proc/net), then returns to the wire's.

use std::fs::File;
use std::io;
use std::os::fd::AsRawFd;

/// A network namespace, kept alive by an open `/proc/.../ns/net`.
#[derive(Debug)]
pub struct Netns {
    file: File,
}

impl Netns {
    /// The namespace the calling thread is in.
    pub fn current() -> io::Result<Netns> {
        Ok(Netns {
            file: File::open("/proc/thread-self/ns/net")?,
        })
    }

    /// A new, empty namespace (only `lo`, down). The calling thread stays
    /// where it was.
    pub fn create() -> io::Result<Netns> {
        let home = Netns::current()?;
        // SAFETY: unshare only changes this thread's namespaces.
        if unsafe { libc::unshare(libc::CLONE_NEWNET) } != 0 {
            return Err(io::Error::last_os_error());
        }
        let created = Netns::current();
        home.enter()?;
        created
    }

    pub fn fd(&self) -> libc::c_int {
        self.file.as_raw_fd()
    }

    /// Moves the calling thread into this namespace.
    fn enter(&self) -> io::Result<()> {
        // SAFETY: setns on a namespace descriptor we hold open.
        if unsafe { libc::setns(self.fd(), libc::CLONE_NEWNET) } != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }

    /// Runs `f` with the calling thread in this namespace, then returns the
    /// thread to the namespace it was in (even when `f` failed).
    pub fn run<T>(&self, f: impl FnOnce() -> io::Result<T>) -> io::Result<T> {
        let home = Netns::current()?;
        self.enter()?;
        let result = f();
        home.enter()?;
        result
    }
}
