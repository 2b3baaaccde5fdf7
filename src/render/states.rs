//! The TCP state diagram of RFC 9293 §3.3.2 (Figure 5), as data: its
//! states placed on a grid, its transitions with their labels ("rcv SYN /
//! snd SYN,ACK") and the route each arrow takes between the boxes. The
//! classroom view (`--tui`) and `socklab states` draw it from here; the
//! only thing that decides which arrow is lit is the tracker's reported
//! transition ([`route`]), never the view.
//!
//! A box is one row: `C[ESTABLISHED ]S`, where `C` and `S` mark the
//! client's and the server's state by text (colour is only a second cue).
//! Lit arrows are drawn with heavy lines, so that plain text shows them too.

use crate::t;

use crate::packet::TcpState;

/// A box of the diagram. CLOSED is drawn twice, as in the RFC's figure:
/// where a connection starts, and where it ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Node {
    pub state: TcpState,
    /// The box's first column and its row.
    pub x: u16,
    pub y: u16,
}

/// The width of a box: a mark, `[`, the name in 12 columns, `]`, a mark.
pub const NODE_WIDTH: u16 = 16;
/// The diagram's size in columns and rows.
pub const WIDTH: u16 = 54;
pub const HEIGHT: u16 = 19;

const L: u16 = 0;
const C: u16 = 19;
const R: u16 = 38;

/// Indices into [`NODES`].
pub const CLOSED: usize = 0;
pub const LISTEN: usize = 1;
pub const SYN_RCVD: usize = 2;
pub const SYN_SENT: usize = 3;
pub const ESTAB: usize = 4;
pub const FIN_WAIT_1: usize = 5;
pub const CLOSE_WAIT: usize = 6;
pub const FIN_WAIT_2: usize = 7;
pub const CLOSING: usize = 8;
pub const LAST_ACK: usize = 9;
pub const TIME_WAIT: usize = 10;
pub const CLOSED_END: usize = 11;

pub const NODES: [Node; 12] = [
    Node {
        state: TcpState::Closed,
        x: C,
        y: 0,
    },
    Node {
        state: TcpState::Listen,
        x: C,
        y: 3,
    },
    Node {
        state: TcpState::SynReceived,
        x: L,
        y: 6,
    },
    Node {
        state: TcpState::SynSent,
        x: R,
        y: 6,
    },
    Node {
        state: TcpState::Established,
        x: C,
        y: 9,
    },
    Node {
        state: TcpState::FinWait1,
        x: L,
        y: 12,
    },
    Node {
        state: TcpState::CloseWait,
        x: R,
        y: 12,
    },
    Node {
        state: TcpState::FinWait2,
        x: L,
        y: 15,
    },
    Node {
        state: TcpState::Closing,
        x: C,
        y: 15,
    },
    Node {
        state: TcpState::LastAck,
        x: R,
        y: 15,
    },
    Node {
        state: TcpState::TimeWait,
        x: C,
        y: 18,
    },
    Node {
        state: TcpState::Closed,
        x: R,
        y: 18,
    },
];

/// The events and actions written on the figure's arrows (RFC 9293's
/// words; the catalogue has them in each language).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Do {
    PassiveOpen,
    ActiveOpen,
    Close,
    Send,
    CreateTcb,
    DeleteTcb,
    RcvSyn,
    RcvSynAck,
    RcvAckOfSyn,
    RcvFin,
    RcvAckOfFin,
    RcvRst,
    SndSyn,
    SndSynAck,
    SndAck,
    SndFin,
    SndRst,
    Timeout,
    /// `x`: nothing is sent.
    Nothing,
}

impl Do {
    /// The catalogue's id for it.
    fn id(self) -> &'static str {
        match self {
            Do::PassiveOpen => "tcp-do-passive-open",
            Do::ActiveOpen => "tcp-do-active-open",
            Do::Close => "tcp-do-close",
            Do::Send => "tcp-do-send",
            Do::CreateTcb => "tcp-do-create-tcb",
            Do::DeleteTcb => "tcp-do-delete-tcb",
            Do::RcvSyn => "tcp-do-rcv-syn",
            Do::RcvSynAck => "tcp-do-rcv-syn-ack",
            Do::RcvAckOfSyn => "tcp-do-rcv-ack-of-syn",
            Do::RcvFin => "tcp-do-rcv-fin",
            Do::RcvAckOfFin => "tcp-do-rcv-ack-of-fin",
            Do::RcvRst => "tcp-do-rcv-rst",
            Do::SndSyn => "tcp-do-snd-syn",
            Do::SndSynAck => "tcp-do-snd-syn-ack",
            Do::SndAck => "tcp-do-snd-ack",
            Do::SndFin => "tcp-do-snd-fin",
            Do::SndRst => "tcp-do-snd-rst",
            Do::Timeout => "tcp-do-timeout",
            Do::Nothing => "tcp-do-nothing",
        }
    }

    /// In the process's language.
    pub fn text(self) -> String {
        crate::i18n::message(self.id(), &[])
    }
}

/// An arrow of the figure: from a box to a box, its event over its
/// actions, and the cells it runs through (its first cell touches `from`,
/// its last `to`, where the arrowhead is).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub event: Do,
    pub actions: &'static [Do],
    pub route: &'static [(u16, u16)],
}

impl Edge {
    /// "rcv SYN / snd SYN,ACK".
    pub fn label(&self) -> String {
        label(self.event, self.actions)
    }
}

fn label(event: Do, actions: &[Do]) -> String {
    if actions.is_empty() {
        return event.text();
    }
    let actions: Vec<String> = actions.iter().map(|a| a.text()).collect();
    t!(
        "tcp-transition-label",
        event = event.text(),
        actions = crate::i18n::listed(actions)
    )
}

const fn edge(
    from: usize,
    to: usize,
    event: Do,
    actions: &'static [Do],
    route: &'static [(u16, u16)],
) -> Edge {
    Edge {
        from,
        to,
        event,
        actions,
        route,
    }
}

/// Every arrow of RFC 9293 Figure 5, in the figure's order from the top.
pub const EDGES: [Edge; 20] = [
    edge(
        CLOSED,
        LISTEN,
        Do::PassiveOpen,
        &[Do::CreateTcb],
        &[(24, 1), (24, 2)],
    ),
    edge(
        LISTEN,
        CLOSED,
        Do::Close,
        &[Do::DeleteTcb],
        &[(30, 2), (30, 1)],
    ),
    edge(
        CLOSED,
        SYN_SENT,
        Do::ActiveOpen,
        &[Do::CreateTcb, Do::SndSyn],
        &[(35, 0), (45, 0), (45, 5)],
    ),
    edge(
        SYN_SENT,
        CLOSED,
        Do::Close,
        &[Do::DeleteTcb],
        &[(49, 5), (49, 2), (33, 2), (33, 1)],
    ),
    edge(
        LISTEN,
        SYN_RCVD,
        Do::RcvSyn,
        &[Do::SndSynAck],
        &[(18, 3), (8, 3), (8, 5)],
    ),
    edge(
        LISTEN,
        SYN_SENT,
        Do::Send,
        &[Do::SndSyn],
        &[(35, 3), (42, 3), (42, 5)],
    ),
    // Note 1 of the figure: back to LISTEN if the connection was opened
    // passively (§3.10.7.3).
    edge(
        SYN_RCVD,
        LISTEN,
        Do::RcvRst,
        &[],
        &[(14, 5), (21, 5), (21, 4)],
    ),
    // Simultaneous open (§3.5, Figure 8).
    edge(
        SYN_SENT,
        SYN_RCVD,
        Do::RcvSyn,
        &[Do::SndSynAck],
        &[(37, 6), (16, 6)],
    ),
    edge(
        SYN_RCVD,
        ESTAB,
        Do::RcvAckOfSyn,
        &[Do::Nothing],
        &[(10, 7), (10, 9), (18, 9)],
    ),
    edge(
        SYN_SENT,
        ESTAB,
        Do::RcvSynAck,
        &[Do::SndAck],
        &[(44, 7), (44, 9), (35, 9)],
    ),
    edge(
        SYN_RCVD,
        FIN_WAIT_1,
        Do::Close,
        &[Do::SndFin],
        &[(3, 7), (3, 11)],
    ),
    edge(
        ESTAB,
        FIN_WAIT_1,
        Do::Close,
        &[Do::SndFin],
        &[(24, 10), (24, 12), (16, 12)],
    ),
    edge(
        ESTAB,
        CLOSE_WAIT,
        Do::RcvFin,
        &[Do::SndAck],
        &[(30, 10), (30, 12), (37, 12)],
    ),
    edge(
        FIN_WAIT_1,
        FIN_WAIT_2,
        Do::RcvAckOfFin,
        &[Do::Nothing],
        &[(3, 13), (3, 14)],
    ),
    edge(
        FIN_WAIT_1,
        CLOSING,
        Do::RcvFin,
        &[Do::SndAck],
        &[(12, 13), (23, 13), (23, 14)],
    ),
    edge(
        FIN_WAIT_2,
        TIME_WAIT,
        Do::RcvFin,
        &[Do::SndAck],
        &[(8, 16), (8, 18), (18, 18)],
    ),
    edge(
        CLOSING,
        TIME_WAIT,
        Do::RcvAckOfFin,
        &[Do::Nothing],
        &[(27, 16), (27, 17)],
    ),
    edge(
        CLOSE_WAIT,
        LAST_ACK,
        Do::Close,
        &[Do::SndFin],
        &[(46, 13), (46, 14)],
    ),
    edge(
        LAST_ACK,
        CLOSED_END,
        Do::RcvAckOfFin,
        &[Do::Nothing],
        &[(46, 16), (46, 17)],
    ),
    edge(
        TIME_WAIT,
        CLOSED_END,
        Do::Timeout,
        &[Do::DeleteTcb],
        &[(35, 18), (37, 18)],
    ),
];

/// Which end of a packet an endpoint was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Sender,
    Receiver,
}

/// How the diagram shows a transition the tracker reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// Along these arrows of the figure, in order (two when one segment
    /// does what the figure draws as two steps: a FIN that also
    /// acknowledges ours takes FIN-WAIT-1 through FIN-WAIT-2 to TIME-WAIT,
    /// §3.10.7.4).
    Edges(Vec<usize>),
    /// A reset, which the figure leaves out: any state to CLOSED
    /// (§3.10.7.3, §3.10.7.4). Its label is the event alone.
    Reset(Do),
}

impl Route {
    /// "rcv FIN / snd ACK", or two labels for two arrows.
    pub fn label(&self) -> String {
        match self {
            Route::Edges(edges) => edges
                .iter()
                .map(|&e| EDGES[e].label())
                .reduce(|first, then| t!("tcp-then", first = first, then = then))
                .unwrap_or_default(),
            Route::Reset(event) => label(*event, &[]),
        }
    }

    /// The box the endpoint is in afterwards.
    pub fn node(&self, after: TcpState) -> usize {
        match self {
            Route::Edges(edges) => edges
                .last()
                .map_or_else(|| node_of(after), |&e| EDGES[e].to),
            Route::Reset(_) => CLOSED_END,
        }
    }
}

/// The first box of a state.
pub fn node_of(state: TcpState) -> usize {
    NODES
        .iter()
        .position(|n| n.state == state)
        .unwrap_or(CLOSED)
}

/// The arrows a transition the tracker reported runs along: `side` is the
/// endpoint's part in the packet, `reset` whether the packet was an RST.
/// `None` when the state did not change, or for a change the figure has no
/// arrow for.
pub fn route(before: TcpState, after: TcpState, side: Side, reset: bool) -> Option<Route> {
    use TcpState::*;
    if before == after {
        return None;
    }
    if reset && after == Closed {
        return Some(Route::Reset(match side {
            Side::Sender => Do::SndRst,
            Side::Receiver => Do::RcvRst,
        }));
    }
    let find = |from: usize, to: usize, event: Do| {
        EDGES
            .iter()
            .position(|e| e.from == from && e.to == to && e.event == event)
    };
    let one = |from, to, event| find(from, to, event).map(|e| Route::Edges(vec![e]));
    match (side, before, after) {
        (Side::Sender, Closed, SynSent) => one(CLOSED, SYN_SENT, Do::ActiveOpen),
        (Side::Sender, Listen, SynReceived) => one(LISTEN, SYN_RCVD, Do::RcvSyn),
        (Side::Sender, SynReceived, FinWait1) => one(SYN_RCVD, FIN_WAIT_1, Do::Close),
        (Side::Sender, Established, FinWait1) => one(ESTAB, FIN_WAIT_1, Do::Close),
        (Side::Sender, CloseWait, LastAck) => one(CLOSE_WAIT, LAST_ACK, Do::Close),
        (Side::Receiver, Listen, SynReceived) => one(LISTEN, SYN_RCVD, Do::RcvSyn),
        (Side::Receiver, SynSent, Established) => one(SYN_SENT, ESTAB, Do::RcvSynAck),
        (Side::Receiver, SynSent, SynReceived) => one(SYN_SENT, SYN_RCVD, Do::RcvSyn),
        (Side::Receiver, SynReceived, Established) => one(SYN_RCVD, ESTAB, Do::RcvAckOfSyn),
        (Side::Receiver, SynReceived, CloseWait) => Some(Route::Edges(vec![
            find(SYN_RCVD, ESTAB, Do::RcvAckOfSyn)?,
            find(ESTAB, CLOSE_WAIT, Do::RcvFin)?,
        ])),
        (Side::Receiver, Established, CloseWait) => one(ESTAB, CLOSE_WAIT, Do::RcvFin),
        (Side::Receiver, FinWait1, FinWait2) => one(FIN_WAIT_1, FIN_WAIT_2, Do::RcvAckOfFin),
        (Side::Receiver, FinWait1, Closing) => one(FIN_WAIT_1, CLOSING, Do::RcvFin),
        (Side::Receiver, FinWait1, TimeWait) => Some(Route::Edges(vec![
            find(FIN_WAIT_1, FIN_WAIT_2, Do::RcvAckOfFin)?,
            find(FIN_WAIT_2, TIME_WAIT, Do::RcvFin)?,
        ])),
        (Side::Receiver, FinWait2, TimeWait) => one(FIN_WAIT_2, TIME_WAIT, Do::RcvFin),
        (Side::Receiver, Closing, TimeWait) => one(CLOSING, TIME_WAIT, Do::RcvAckOfFin),
        (Side::Receiver, LastAck, Closed) => one(LAST_ACK, CLOSED_END, Do::RcvAckOfFin),
        _ => None,
    }
}

/// What a cell of the drawn diagram is, for the view to colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ink {
    Blank,
    Line,
    Lit,
    Box,
    /// The box (or mark) of the client's state, the server's, or both's.
    Client,
    Server,
    Both,
}

/// Where the client and the server are, and what is lit.
#[derive(Debug, Clone, Default)]
pub struct Marks {
    pub client: Option<usize>,
    pub server: Option<usize>,
    pub lit: Vec<usize>,
}

const N: u8 = 1;
const E: u8 = 2;
const S: u8 = 4;
const W: u8 = 8;

fn glyph(bits: u8, heavy: bool) -> char {
    let (light, bold) = match bits {
        b if b == E | W || b == E || b == W => ('─', '━'),
        b if b == N | S || b == N || b == S => ('│', '┃'),
        b if b == E | S => ('┌', '┏'),
        b if b == W | S => ('┐', '┓'),
        b if b == N | E => ('└', '┗'),
        b if b == N | W => ('┘', '┛'),
        b if b == N | S | E => ('├', '┣'),
        b if b == N | S | W => ('┤', '┫'),
        b if b == E | W | S => ('┬', '┳'),
        b if b == E | W | N => ('┴', '┻'),
        _ => ('┼', '╋'),
    };
    if heavy { bold } else { light }
}

/// The direction from cell `(x, y)` to the box `node` it touches.
fn towards(node: usize, (x, y): (u16, u16)) -> u8 {
    let n = NODES[node];
    if n.y + 1 == y {
        N
    } else if y + 1 == n.y {
        S
    } else if x < n.x {
        E
    } else {
        W
    }
}

/// The diagram as rows of (character, ink), `WIDTH` by `HEIGHT`.
pub fn draw(marks: &Marks) -> Vec<Vec<(char, Ink)>> {
    let (w, h) = (WIDTH as usize, HEIGHT as usize);
    let mut bits = vec![vec![0u8; w]; h];
    let mut lit = vec![vec![false; w]; h];
    let mut heads: Vec<((u16, u16), u8, bool)> = Vec::new();
    for (i, edge) in EDGES.iter().enumerate() {
        let on = marks.lit.contains(&i);
        let cells = cells(edge.route);
        for (k, &(x, y)) in cells.iter().enumerate() {
            let mut b = 0;
            if k == 0 {
                b |= towards(edge.from, (x, y));
            }
            for other in [k.checked_sub(1), Some(k + 1)].into_iter().flatten() {
                if let Some(&(ox, oy)) = cells.get(other) {
                    b |= if ox > x {
                        E
                    } else if ox < x {
                        W
                    } else if oy > y {
                        S
                    } else {
                        N
                    };
                }
            }
            bits[y as usize][x as usize] |= b;
            lit[y as usize][x as usize] |= on;
        }
        if let Some(&last) = cells.last() {
            heads.push((last, towards(edge.to, last), on));
        }
    }
    let mut grid: Vec<Vec<(char, Ink)>> = (0..h)
        .map(|y| {
            (0..w)
                .map(|x| match bits[y][x] {
                    0 => (' ', Ink::Blank),
                    b => (
                        glyph(b, lit[y][x]),
                        if lit[y][x] { Ink::Lit } else { Ink::Line },
                    ),
                })
                .collect()
        })
        .collect();
    for ((x, y), dir, on) in heads {
        let head = match dir {
            N => '▲',
            S => '▼',
            E => '▶',
            _ => '◀',
        };
        grid[y as usize][x as usize] = (head, if on { Ink::Lit } else { Ink::Line });
    }
    for (i, node) in NODES.iter().enumerate() {
        let (client, server) = (marks.client == Some(i), marks.server == Some(i));
        let ink = match (client, server) {
            (true, true) => Ink::Both,
            (true, false) => Ink::Client,
            (false, true) => Ink::Server,
            (false, false) => Ink::Box,
        };
        let name = node.state.to_string();
        let text = format!(
            "{}[{name:^12}]{}",
            if client { 'C' } else { ' ' },
            if server { 'S' } else { ' ' }
        );
        for (k, c) in text.chars().enumerate() {
            let x = node.x as usize + k;
            let ink = if c == ' ' && (k == 0 || k == 15) {
                Ink::Blank
            } else {
                ink
            };
            grid[node.y as usize][x] = (c, ink);
        }
    }
    grid
}

/// Every cell of a route, waypoints included, in order.
fn cells(route: &[(u16, u16)]) -> Vec<(u16, u16)> {
    let mut out: Vec<(u16, u16)> = Vec::new();
    for pair in route.windows(2) {
        let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
        let steps = x0.abs_diff(x1).max(y0.abs_diff(y1));
        for k in 0..=steps {
            let x = step_towards(x0, x1, k);
            let y = step_towards(y0, y1, k);
            if out.last() != Some(&(x, y)) {
                out.push((x, y));
            }
        }
    }
    if route.len() == 1 {
        out.push(route[0]);
    }
    out
}

/// `k` cells from `from` towards `to`, no further than `to`.
fn step_towards(from: u16, to: u16, k: u16) -> u16 {
    if to >= from {
        (from + k).min(to)
    } else {
        from.saturating_sub(k).max(to)
    }
}

/// The diagram as plain lines, trailing spaces trimmed.
pub fn plain(marks: &Marks) -> Vec<String> {
    draw(marks)
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|(c, _)| c)
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect()
}

/// `socklab states`: the diagram, then each arrow with its label.
pub fn study_text() -> Vec<String> {
    let width = crate::render::WIDTH;
    let mut lines = crate::render::wrap(&t!("states-title"), "", width);
    lines.push(String::new());
    lines.extend(
        plain(&Marks::default())
            .into_iter()
            .map(|l| format!("  {l}")),
    );
    lines.push(String::new());
    lines.extend(crate::render::wrap(&t!("states-transitions"), "", width));
    let name_width = NODES
        .iter()
        .map(|n| n.state.to_string().len())
        .max()
        .unwrap_or(0);
    for edge in &EDGES {
        let from = NODES[edge.from].state.to_string();
        let to = NODES[edge.to].state.to_string();
        lines.push(format!(
            "  {from:<name_width$} → {to:<name_width$}  {}",
            edge.label()
        ));
    }
    lines.push(String::new());
    lines.extend(crate::render::wrap(&t!("states-not-drawn"), "", width));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::packets;
    use crate::track::Tracker;
    use TcpState::*;

    /// RFC 9293 Figure 5, arrow by arrow: (from, to, "event / actions"),
    /// copied from the figure.
    const FIGURE_5: [(TcpState, TcpState, &str); 20] = [
        (Closed, Listen, "passive OPEN / create TCB"),
        (Listen, Closed, "CLOSE / delete TCB"),
        (Closed, SynSent, "active OPEN / create TCB, snd SYN"),
        (SynSent, Closed, "CLOSE / delete TCB"),
        (Listen, SynReceived, "rcv SYN / snd SYN,ACK"),
        (Listen, SynSent, "SEND / snd SYN"),
        (SynReceived, Listen, "rcv RST"),
        (SynSent, SynReceived, "rcv SYN / snd SYN,ACK"),
        (SynReceived, Established, "rcv ACK of SYN / x"),
        (SynSent, Established, "rcv SYN,ACK / snd ACK"),
        (SynReceived, FinWait1, "CLOSE / snd FIN"),
        (Established, FinWait1, "CLOSE / snd FIN"),
        (Established, CloseWait, "rcv FIN / snd ACK"),
        (FinWait1, FinWait2, "rcv ACK of FIN / x"),
        (FinWait1, Closing, "rcv FIN / snd ACK"),
        (FinWait2, TimeWait, "rcv FIN / snd ACK"),
        (Closing, TimeWait, "rcv ACK of FIN / x"),
        (CloseWait, LastAck, "CLOSE / snd FIN"),
        (LastAck, Closed, "rcv ACK of FIN / x"),
        (TimeWait, Closed, "Timeout=2MSL / delete TCB"),
    ];

    #[test]
    fn the_edges_are_rfc_9293_figure_5() {
        let ours: Vec<(TcpState, TcpState, String)> = EDGES
            .iter()
            .map(|e| (NODES[e.from].state, NODES[e.to].state, e.label()))
            .collect();
        let rfc: Vec<(TcpState, TcpState, String)> = FIGURE_5
            .iter()
            .map(|(a, b, l)| (*a, *b, l.to_string()))
            .collect();
        assert_eq!(ours, rfc);
        // Every state of §3.3.2 has a box.
        for state in TcpState::ALL {
            assert!(NODES.iter().any(|n| n.state == state), "{state}");
        }
    }

    /// Each arrow leaves its box and reaches its target: its first cell
    /// touches `from`, its last `to`; it runs in straight lines; it never
    /// runs over a box, and no two arrows share a stretch of line.
    #[test]
    fn the_arrows_join_their_boxes() {
        let touches = |node: usize, (x, y): (u16, u16)| {
            let n = NODES[node];
            let inside_x = x > n.x && x < n.x + NODE_WIDTH - 1;
            (inside_x && (y + 1 == n.y || n.y + 1 == y))
                || (y == n.y && (x + 1 == n.x || x == n.x + NODE_WIDTH))
        };
        let on_box = |(x, y): (u16, u16)| {
            NODES
                .iter()
                .any(|n| y == n.y && x >= n.x && x < n.x + NODE_WIDTH)
        };
        type Stretch = ((u16, u16), (u16, u16));
        let mut used: std::collections::HashMap<Stretch, usize> = Default::default();
        for (i, e) in EDGES.iter().enumerate() {
            for pair in e.route.windows(2) {
                assert!(pair[0].0 == pair[1].0 || pair[0].1 == pair[1].1, "edge {i}");
            }
            let cells = cells(e.route);
            assert!(touches(e.from, cells[0]), "edge {i} leaves its box");
            assert!(
                touches(e.to, *cells.last().unwrap()),
                "edge {i} reaches its box"
            );
            for &c in &cells {
                assert!(!on_box(c), "edge {i} runs over a box at {c:?}");
                assert!(c.0 < WIDTH && c.1 < HEIGHT);
            }
            for pair in cells.windows(2) {
                let key = (pair[0].min(pair[1]), pair[0].max(pair[1]));
                if let Some(other) = used.insert(key, i) {
                    panic!("edges {other} and {i} share {key:?}");
                }
            }
        }
    }

    /// Every transition the tracker reports on the captures at hand has a
    /// way through the diagram, and that way starts at the state before
    /// and ends at the state after.
    #[test]
    fn every_transition_the_tracker_reports_has_arrows() {
        let mut seen = std::collections::BTreeSet::new();
        for file in ["tcp-close.pcap", "zero-window.pcap", "lost-in-a-burst.pcap"] {
            let mut tracker = Tracker::new();
            for packet in packets(file) {
                let row = tracker.track(packet);
                let Some(tcp) = row.tcp else { continue };
                let rst = tcp.flags.contains(crate::packet::TcpFlags::RST);
                for (side, t) in [(Side::Sender, tcp.sender), (Side::Receiver, tcp.receiver)] {
                    if t.before == t.after {
                        continue;
                    }
                    let route = route(t.before, t.after, side, rst)
                        .unwrap_or_else(|| panic!("{file}: {side:?} {t:?}"));
                    if let Route::Edges(edges) = &route {
                        assert_eq!(NODES[EDGES[edges[0]].from].state, t.before);
                        assert_eq!(NODES[route.node(t.after)].state, t.after);
                        for pair in edges.windows(2) {
                            assert_eq!(EDGES[pair[0]].to, EDGES[pair[1]].from);
                        }
                    }
                    seen.insert(format!("{} -> {}", t.before, t.after));
                }
            }
        }
        assert!(seen.contains("FIN-WAIT-1 -> FIN-WAIT-2"), "{seen:?}");
    }

    /// Every (before, after) pair `route` knows leads along arrows that
    /// join up, from the box of `before` to a box of `after`.
    #[test]
    fn routes_follow_the_arrows() {
        for side in [Side::Sender, Side::Receiver] {
            for before in TcpState::ALL {
                for after in TcpState::ALL {
                    if let Some(Route::Edges(edges)) = route(before, after, side, false) {
                        assert!(!edges.is_empty());
                        assert_eq!(NODES[EDGES[edges[0]].from].state, before);
                        assert_eq!(NODES[EDGES[*edges.last().unwrap()].to].state, after);
                        for pair in edges.windows(2) {
                            assert_eq!(EDGES[pair[0]].to, EDGES[pair[1]].from);
                        }
                    }
                }
            }
        }
    }

    /// The labels' words are messages of both catalogues (their ids are
    /// not literal `t!` calls, which the catalogue test finds by itself).
    #[test]
    fn every_word_on_the_arrows_is_in_both_catalogues() {
        use crate::i18n::{Language, message_in};
        let all = [
            Do::PassiveOpen,
            Do::ActiveOpen,
            Do::Close,
            Do::Send,
            Do::CreateTcb,
            Do::DeleteTcb,
            Do::RcvSyn,
            Do::RcvSynAck,
            Do::RcvAckOfSyn,
            Do::RcvFin,
            Do::RcvAckOfFin,
            Do::RcvRst,
            Do::SndSyn,
            Do::SndSynAck,
            Do::SndAck,
            Do::SndFin,
            Do::SndRst,
            Do::Timeout,
            Do::Nothing,
        ];
        for word in all {
            for language in [Language::English, Language::Chinese] {
                let text = message_in(language, word.id(), &[]);
                assert_ne!(text, word.id(), "{language:?}");
            }
        }
    }

    #[test]
    fn lit_arrows_are_heavy_in_plain_text() {
        let marks = Marks {
            client: Some(FIN_WAIT_1),
            server: Some(CLOSE_WAIT),
            lit: vec![11, 12],
        };
        let text = plain(&marks).join("\n");
        assert!(text.contains("C[ FIN-WAIT-1 ]"), "{text}");
        assert!(text.contains("[ CLOSE-WAIT ]S"), "{text}");
        assert!(text.contains('┃') && text.contains('━'), "{text}");
    }
}
