//! socklab: real TCP and UDP exchanges, captured and explained step by step.
//!
//! # Layout
//!
//! The flow of one lesson, and the module that owns each part:
//!
//! ```text
//! lessons/*.toml ─lesson─▶ Lesson ─runner─▶ socket calls ─▶ kernel (in the sandbox)
//!                                    │                          │ frames
//!                                    │◀──────── capture ◀────────┘
//!                                    ▼
//!                        track: relative seq/ack, RFC 9293 states, notes
//!                                    ▼
//!                        render: ladder diagram and prose, plain or colour
//! ```
//!
//! * [`lesson`]: lesson files, parsed and checked (file:line:column errors).
//! * [`sandbox`]: the private network namespace every run happens in.
//! * [`runner`]: performs the calls on real sockets, waits (bounded) for the
//!   expected packets, and shows them; owns all of a lesson's I/O.
//! * [`capture`]: pnet capture on the sandbox loopback, frame decoding into
//!   [`packet`] structs, and pcap files. The only module that sees bytes.
//! * [`track`]: the teaching logic, pure and unit-tested: what each packet
//!   means and what state each endpoint is in.
//! * [`kernel`]: the kernel's own socket table, to compare with `track`.
//! * [`render`]: the text the learner reads; colour is a layer on top.
//! * [`replay`]: capture files explained with the same ladder.
//! * [`watch`]: live traffic of programs socklab did not start, on the
//!   host's loopback, with the same ladder and a summary per conversation.

pub mod app;
pub mod capture;
pub mod event;
pub mod kernel;
pub mod lesson;
pub mod netif;
pub mod packet;
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
