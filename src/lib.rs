//! socklab: real TCP and UDP exchanges, captured and explained step by step.
//!
//! # Layout
//!
//! One stream of events runs from the producers to the presenters:
//!
//! ```text
//!  producers                           event::Event                presenters
//!  runner  (a lesson, for real) ─┐                             ┌─ render::text  (ladder and prose)
//!  replay  (a capture file)     ─┼─▶ lesson, step, call, …, ──┼─ terminal::Json, terminal::Lines
//!  watch   (live, host loopback)─┘   packet, kernel, end       └─ render::mermaid, render::export
//!                                       (a Sink)                   (observers)
//! ```
//!
//! Producers never format text; presenters never run, capture or decode.
//!
//! * [`event`]: the event type (the JSON of `--format json`), the `Sink`
//!   producers tell events to, and `Observer`s that see them all.
//! * [`lesson`]: lesson files, parsed and checked (file:line:column
//!   errors), with the network and faults a lesson declares.
//! * [`runner`]: performs a lesson's calls on real sockets in the sandbox,
//!   waits (bounded) for the expected packets, tracks them, reads the
//!   kernel's view; owns all of a lesson's I/O.
//! * [`replay`], [`watch`]: the same for a capture file and for live traffic
//!   socklab did not start.
//! * [`sandbox`], [`netif`], [`wire`]: the private network namespace every
//!   run happens in, and the lab wire between hosts in namespaces of their
//!   own (faults, hold mode).
//! * [`capture`]: live capture (AF_PACKET), capture files, frame decoding
//!   into [`packet`] structs. The only module that sees bytes.
//! * [`track`]: the teaching logic, pure and unit-tested: what each packet
//!   means and what state each endpoint is in.
//! * [`kernel`]: the kernel's own socket table, to compare with `track`,
//!   and a TCP socket's congestion view (`TCP_INFO`), which the runner
//!   reads between round trips and `track::congestion` explains.
//! * [`render`]: the presenters, as text: ladder and prose
//!   ([`render::text`]), a congestion window's chart, code in Python or
//!   Rust, Mermaid, program export; the classroom view's screen
//!   ([`render::classroom`], drawn with ratatui) and the TCP state diagram
//!   as data ([`render::states`]).
//!   Colour is a layer on top of the plain text, which snapshots test.
//! * [`terminal`]: where a run meets the learner: the text on standard
//!   output, paced by the keyboard; the JSON and lines sinks; the
//!   full-screen classroom view (`--tui`, [`terminal::tui`]).
//! * [`app`]: the command line.

pub mod app;
pub mod capture;
pub mod event;
pub mod exercise;
#[doc(hidden)]
pub mod fuzzing;
pub mod i18n;
pub mod kernel;
pub mod lesson;
pub mod limits;
pub mod netif;
pub mod packet;
pub mod record;
pub mod render;
pub mod replay;
pub mod runner;
pub mod sandbox;
pub mod suggest;
pub mod terminal;
pub mod track;
pub mod watch;
pub mod wire;

#[cfg(test)]
mod testutil;
