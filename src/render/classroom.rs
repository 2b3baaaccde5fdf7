//! The classroom view (`--tui`): one screen where the code, the packets,
//! the kernel's view and the TCP state diagram move together, for a
//! projector. A presenter of the event stream like the others: the screen
//! at a point of a run is the events up to that point, folded into a
//! [`Screen`] and drawn with ratatui; which state is marked and which
//! arrow lit comes from the tracker's reported transitions
//! ([`states::route`]), never worked out here.
//!
//! Drawing is pure (a `Frame` in, nothing read or waited for), so that
//! ratatui's test backend can snapshot it; `terminal::tui` owns the real
//! terminal and the keys.

use std::collections::HashMap;
use std::net::SocketAddr;

use crate::t;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::code::{self, Lang};
use super::states::{self, Ink, Marks, Route, Side};
use crate::event::{
    Answered, CallMade, CongestionReading, Event, KernelTable, LessonStart, QuestionAsked,
    StepStart,
};
use crate::packet::{TcpFlags, TcpState};
use crate::render::Painter;

/// How the view is drawn.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The language of the calls.
    pub lang: Lang,
    /// Colour as a second cue (marks and heavy lines are the first).
    pub color: bool,
}

/// One endpoint of the focused connection.
#[derive(Debug, Clone)]
struct End {
    /// The actor's name.
    name: String,
    state: TcpState,
    /// Its box on the diagram.
    node: usize,
    /// What the last packet did to it: the state before and the way.
    moved: Option<(TcpState, Route)>,
}

#[derive(Debug, Clone)]
struct Connection {
    /// The endpoint that sent the conversation's first packet (the SYN).
    client_addr: SocketAddr,
    client: End,
    server: End,
}

/// A packet line of the ladder pane.
#[derive(Debug, Clone)]
struct PacketLine {
    from: String,
    to: String,
    label: String,
}

/// The datagrams one actor sent another.
#[derive(Debug, Clone)]
struct Datagrams {
    from: String,
    to: String,
    count: usize,
    bytes: u64,
}

/// What the screen shows at one point of a run: the events so far, folded.
#[derive(Debug, Clone, Default)]
pub struct Screen {
    lesson: Option<LessonStart>,
    capture: Option<String>,
    step: Option<StepStart>,
    calls: Vec<CallMade>,
    /// The step's question, and the answer once given (or shown).
    question: Option<QuestionAsked>,
    answer: Option<Answered>,
    /// Packets shown since the step started.
    step_packets: usize,
    packets: Vec<PacketLine>,
    kernel: Option<KernelTable>,
    connections: HashMap<usize, Connection>,
    /// The connection of the last TCP packet.
    focus: Option<usize>,
    /// UDP datagrams so far, per sender and receiver: what a UDP lesson's
    /// states pane shows, since UDP has no states.
    datagrams: Vec<Datagrams>,
    /// The step's last reading of a sender's congestion control, if the
    /// step reads one: the states pane then shows those states instead.
    congestion: Option<CongestionReading>,
    ended: bool,
}

impl Screen {
    /// The screen after `events`.
    pub fn after(events: &[Event]) -> Screen {
        let mut screen = Screen::default();
        for event in events {
            screen.apply(event);
        }
        screen
    }

    pub fn apply(&mut self, event: &Event) {
        match event {
            Event::Lesson(start) => self.lesson = Some(start.clone()),
            Event::Capture(start) => self.capture = Some(start.source.clone()),
            Event::Step(step) => {
                self.step = Some(step.clone());
                self.calls.clear();
                self.question = None;
                self.answer = None;
                self.step_packets = 0;
                self.congestion = None;
            }
            Event::Call(call) => self.calls.push(call.clone()),
            Event::Question(question) => {
                self.question = Some(question.clone());
                self.answer = None;
            }
            Event::Answer(answer) => self.answer = Some(answer.clone()),
            Event::Kernel(table) => self.kernel = Some(table.clone()),
            Event::Congestion(reading) => self.congestion = Some(reading.clone()),
            Event::End(_) | Event::CaptureEnd(_) | Event::ExerciseEnd(_) => self.ended = true,
            Event::Packet(shown) => {
                self.step_packets += 1;
                let row = &shown.row;
                self.packets.push(PacketLine {
                    from: shown.from.clone(),
                    to: shown.to.clone(),
                    label: super::ladder::label(row),
                });
                if let crate::packet::Transport::Udp { payload_len, .. } = &row.packet.transport {
                    let seen = self
                        .datagrams
                        .iter()
                        .position(|d| d.from == shown.from && d.to == shown.to);
                    let at = seen.unwrap_or_else(|| {
                        self.datagrams.push(Datagrams {
                            from: shown.from.clone(),
                            to: shown.to.clone(),
                            count: 0,
                            bytes: 0,
                        });
                        self.datagrams.len() - 1
                    });
                    self.datagrams[at].count += 1;
                    self.datagrams[at].bytes += u64::from(*payload_len);
                }
                let Some(tcp) = &row.tcp else { return };
                let connection = self.connections.entry(row.conversation).or_insert_with(|| {
                    let end = |name: &str, state| End {
                        name: name.to_string(),
                        state,
                        node: states::node_of(state),
                        moved: None,
                    };
                    Connection {
                        client_addr: row.packet.src,
                        client: end(&shown.from, tcp.sender.before),
                        server: end(&shown.to, tcp.receiver.before),
                    }
                });
                let reset = tcp.flags.contains(TcpFlags::RST);
                let from_client = row.packet.src == connection.client_addr;
                let (sender, receiver) = if from_client {
                    (&mut connection.client, &mut connection.server)
                } else {
                    (&mut connection.server, &mut connection.client)
                };
                for (end, side, t) in [
                    (sender, Side::Sender, tcp.sender),
                    (receiver, Side::Receiver, tcp.receiver),
                ] {
                    end.moved = None;
                    end.state = t.after;
                    if t.before != t.after {
                        match states::route(t.before, t.after, side, reset) {
                            Some(route) => {
                                end.node = route.node(t.after);
                                end.moved = Some((t.before, route));
                            }
                            None => end.node = states::node_of(t.after),
                        }
                    }
                }
                // The other connections' last moves are not this packet's.
                for (i, other) in self.connections.iter_mut() {
                    if *i != row.conversation {
                        other.client.moved = None;
                        other.server.moved = None;
                    }
                }
                self.focus = Some(row.conversation);
            }
            _ => {}
        }
    }

    /// Packets shown so far.
    pub fn packets(&self) -> usize {
        self.packets.len()
    }

    /// The step shown, from 1.
    pub fn step(&self) -> Option<usize> {
        self.step.as_ref().map(|s| s.step)
    }

    fn steps(&self) -> usize {
        self.step
            .as_ref()
            .map(|s| s.total)
            .or(self.lesson.as_ref().map(|l| l.steps))
            .unwrap_or(0)
    }

    fn focused(&self) -> Option<&Connection> {
        self.focus.and_then(|i| self.connections.get(&i))
    }
}

/// What the status line says besides the screen's own numbers.
#[derive(Debug, Clone, Copy, Default)]
pub struct Status {
    /// Packets shown up to the present.
    pub packets: usize,
    /// The learner is looking back at what was shown.
    pub past: bool,
    /// The keys are listed.
    pub help: bool,
    /// A question waits for an answer among this many choices.
    pub asking: Option<usize>,
}

struct Theme {
    color: bool,
}

impl Theme {
    /// `--theme light`: no yellow or white where the background is the
    /// page's own (socklab's styles, `super::styles`, say why).
    fn light(&self) -> bool {
        super::styles::theme() == super::styles::Theme::Light
    }

    fn style(&self, ink: Ink) -> Style {
        let s = Style::new();
        match (ink, self.color) {
            (Ink::Lit, true) if self.light() => s.fg(Color::Blue).add_modifier(Modifier::BOLD),
            (Ink::Both, true) if self.light() => s
                .fg(Color::Black)
                .bg(Color::Green)
                .add_modifier(Modifier::BOLD),
            (Ink::Blank | Ink::Box, _) => s,
            (Ink::Line, true) => s.fg(Color::DarkGray),
            (Ink::Line, false) => s,
            (Ink::Lit, true) => s.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            (Ink::Lit, false) => s.add_modifier(Modifier::BOLD),
            (Ink::Client, true) => s
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
            (Ink::Server, true) => s
                .fg(Color::Black)
                .bg(Color::Magenta)
                .add_modifier(Modifier::BOLD),
            (Ink::Both, true) => s
                .fg(Color::Black)
                .bg(Color::White)
                .add_modifier(Modifier::BOLD),
            (Ink::Client | Ink::Server | Ink::Both, false) => {
                s.add_modifier(Modifier::REVERSED | Modifier::BOLD)
            }
        }
    }

    fn current(&self) -> Style {
        if self.color {
            Style::new().fg(Color::Black).bg(Color::Yellow)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }

    /// Text a learner reads (the legend, "no TCP yet"): in the terminal's
    /// own colour, not dark grey, which a projector washes out.
    fn dim(&self) -> Style {
        Style::new()
    }
}

/// Draws the screen on the whole frame.
pub fn draw(frame: &mut Frame, screen: &Screen, status: Status, options: Options) {
    // The high-contrast theme draws without colour: heavy lines, marks,
    // bold and reverse video carry it all.
    let contrast = super::styles::theme() == super::styles::Theme::Contrast;
    let theme = Theme {
        color: options.color && !contrast,
    };
    let [body, status_area] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(frame.area());
    // The diagram, and under it a line per endpoint and the legend.
    let states_height = states::HEIGHT + 2 + 4;
    if body.width >= states::WIDTH + 2 + 40 && body.height >= states_height {
        let [left, right] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(states::WIDTH + 2)])
                .areas(body);
        if body.height >= states_height + 2 + 8 {
            // A tall screen: the kernel's view under the diagram.
            let [states_area, kernel_area] =
                Layout::vertical([Constraint::Length(states_height + 2), Constraint::Fill(1)])
                    .areas(right);
            let [step_area, ladder_area] =
                Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)])
                    .areas(left);
            draw_step(frame, step_area, screen, options, &theme);
            draw_ladder(frame, ladder_area, screen, &theme);
            draw_states(frame, states_area, screen, &theme, true);
            draw_kernel(frame, kernel_area, screen);
        } else {
            let [step_area, ladder_area, kernel_area] = Layout::vertical([
                Constraint::Percentage(40),
                Constraint::Percentage(30),
                Constraint::Percentage(30),
            ])
            .areas(left);
            draw_step(frame, step_area, screen, options, &theme);
            draw_ladder(frame, ladder_area, screen, &theme);
            draw_states(frame, right, screen, &theme, true);
            draw_kernel(frame, kernel_area, screen);
        }
    } else {
        // Narrow or short: the panes stack, and the diagram folds into a
        // line per endpoint.
        let [step_area, ladder_area, states_area, kernel_area] = Layout::vertical([
            Constraint::Fill(1),
            Constraint::Length(5),
            Constraint::Length(5),
            Constraint::Length(5),
        ])
        .areas(body);
        draw_step(frame, step_area, screen, options, &theme);
        draw_ladder(frame, ladder_area, screen, &theme);
        draw_states(frame, states_area, screen, &theme, false);
        draw_kernel(frame, kernel_area, screen);
    }
    draw_status(frame, status_area, screen, status, &theme);
    if status.help {
        draw_help(frame, body);
    }
    // `--ascii`: the borders, lines and arrows in ASCII, one column for
    // one, as the text output does.
    if super::ascii::is_ascii() {
        for cell in frame.buffer_mut().content.iter_mut() {
            let plain = super::ascii::plain(cell.symbol());
            if plain != cell.symbol() && plain.chars().count() == 1 {
                cell.set_symbol(&plain);
            }
        }
    }
}

fn pane(title: String) -> Block<'static> {
    Block::bordered().title(format!(" {title} "))
}

fn draw_step(frame: &mut Frame, area: Rect, screen: &Screen, options: Options, theme: &Theme) {
    let width = area.width.saturating_sub(2) as usize;
    let title = match (&screen.step, &screen.capture, &screen.lesson) {
        (Some(step), _, _) => t!(
            "tui-step",
            step = step.step,
            total = step.total,
            title = code::prose(options.lang, &step.title).as_ref()
        ),
        (None, Some(source), _) => source.clone(),
        (None, None, Some(lesson)) => code::prose(options.lang, &lesson.title).into_owned(),
        (None, None, None) => String::new(),
    };
    let mut lines: Vec<Line> = Vec::new();
    let text = match (&screen.step, &screen.lesson) {
        (Some(step), _) => code::prose(options.lang, &step.text).into_owned(),
        (None, Some(lesson)) => code::prose(options.lang, &lesson.summary).into_owned(),
        (None, None) => String::new(),
    };
    for line in super::wrap(&text, "", width.max(10)) {
        lines.push(Line::raw(line));
    }
    let mut current_end = lines.len();
    if let Some(lesson) = &screen.lesson
        && !screen.calls.is_empty()
    {
        lines.push(Line::raw(""));
        let painter = Painter::new(false).with_width(width.max(20));
        let last = screen.calls.len() - 1;
        for (i, made) in screen.calls.iter().enumerate() {
            let code = code::statement(
                &painter,
                options.lang,
                &made.call,
                made.fails,
                &lesson.addressing,
            );
            for (k, text) in code.into_iter().enumerate() {
                let mark = if i == last && k == 0 { "▶ " } else { "  " };
                let text = format!("{mark}{text}");
                lines.push(if i == last {
                    Line::styled(text, theme.current())
                } else {
                    Line::raw(text)
                });
            }
            if i == last {
                current_end = lines.len();
            }
        }
    }
    if let Some(question) = &screen.question {
        lines.push(Line::raw(""));
        lines.extend(question_lines(
            question,
            screen.answer.as_ref(),
            width,
            theme,
            options.lang,
        ));
        // The question while it is asked, and with the step's first packet
        // (the one it asked about) its answer; later, the call again.
        if screen.step_packets <= 1 {
            current_end = lines.len();
        }
    }
    // The current call (or the question) stays in sight.
    let height = area.height.saturating_sub(2) as usize;
    let scroll = current_end.saturating_sub(height) as u16;
    frame.render_widget(
        Paragraph::new(lines).scroll((scroll, 0)).block(pane(title)),
        area,
    );
}

/// A question, its numbered choices, and once answered (or shown to
/// nobody) the right one and why.
fn question_lines(
    question: &QuestionAsked,
    answer: Option<&Answered>,
    width: usize,
    theme: &Theme,
    lang: Lang,
) -> Vec<Line<'static>> {
    let width = width.max(10);
    // The words that name what the code shows are the code's language's.
    let prose = |text: &str| code::prose(lang, text).into_owned();
    let mut lines: Vec<Line> = super::wrap(&format!("? {}", prose(&question.ask)), "  ", width)
        .into_iter()
        .map(|l| Line::styled(l, Style::new().add_modifier(Modifier::BOLD)))
        .collect();
    for (i, choice) in question.choices.iter().enumerate() {
        let mut text = super::wrap(&prose(choice), "     ", width);
        if let Some(first) = text.first_mut() {
            *first = format!("  {}. {}", i + 1, first.trim_start());
        }
        let right = answer.is_some() && i + 1 == question.answer;
        lines.extend(text.into_iter().map(|l| {
            if right {
                Line::styled(l, theme.current())
            } else {
                Line::raw(l)
            }
        }));
    }
    if let Some(answer) = answer {
        let head = match answer.given {
            Some(given) if given == question.answer => t!("question-right"),
            Some(_) => t!("question-wrong", answer = question.answer),
            None => t!("question-answer", answer = question.answer),
        };
        lines.push(Line::styled(
            head,
            Style::new().add_modifier(Modifier::BOLD),
        ));
        lines.extend(
            super::wrap(&prose(&question.explain), "", width)
                .into_iter()
                .map(Line::raw),
        );
    }
    lines
}

fn draw_ladder(frame: &mut Frame, area: Rect, screen: &Screen, theme: &Theme) {
    let height = area.height.saturating_sub(2) as usize;
    let total = screen.packets.len();
    let first = total.saturating_sub(height);
    let lines: Vec<Line> = screen.packets[first..]
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let k = first + i + 1;
            let current = k == total;
            let text = format!(
                "{}{k:>3} {} → {}  {}",
                if current { "▶" } else { " " },
                p.from,
                p.to,
                p.label
            );
            if current {
                Line::styled(text, theme.current())
            } else {
                Line::raw(text)
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(pane(t!("tui-ladder"))), area);
}

/// The endpoint lines under the diagram: where each is, and how it got
/// there with the last packet.
fn endpoint_lines(connection: &Connection) -> Vec<String> {
    [("C", &connection.client), ("S", &connection.server)]
        .into_iter()
        .map(|(mark, end)| match &end.moved {
            Some((before, route)) => t!(
                "tui-endpoint-moved",
                mark = mark,
                name = end.name.as_str(),
                before = before.to_string(),
                after = end.state.to_string(),
                label = route.label()
            ),
            None => t!(
                "tui-endpoint-stays",
                mark = mark,
                name = end.name.as_str(),
                state = end.state.to_string()
            ),
        })
        .collect()
}

/// The congestion-control states of the sender the step reads (RFC 5681
/// §3), its phase's box lit from the kernel's reading, with the kernel's
/// numbers and a line per arrow; folded into one line on a small screen.
fn draw_congestion(
    frame: &mut Frame,
    area: Rect,
    reading: &CongestionReading,
    theme: &Theme,
    full: bool,
) {
    let info = &reading.info;
    let block = pane(t!(
        "tui-congestion",
        socket = reading.socket.as_str(),
        actor = reading.actor.as_str(),
        algorithm = info.algorithm.as_str()
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let phase = crate::track::congestion::Phase::of(info);
    let ssthresh = info
        .ssthresh
        .map_or_else(|| "∞".to_string(), |s| s.to_string());
    let mut lines: Vec<Line> = Vec::new();
    if full {
        for row in super::cc_states::draw(phase) {
            let spans: Vec<Span> = row
                .into_iter()
                .map(|(text, lit)| {
                    let ink = if lit { Ink::Lit } else { Ink::Line };
                    Span::styled(text, theme.style(ink))
                })
                .collect();
            lines.push(Line::from(spans));
        }
        lines.push(Line::raw(""));
        lines.push(Line::raw(super::cc_states::numbers(info)));
        for sentence in super::cc_states::transitions() {
            lines.push(Line::styled(sentence, theme.dim()));
        }
    } else {
        lines.push(Line::raw(t!(
            "tui-congestion-short",
            phase = super::cc_states::name(phase),
            cwnd = info.cwnd,
            ssthresh = ssthresh
        )));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

fn draw_states(frame: &mut Frame, area: Rect, screen: &Screen, theme: &Theme, full: bool) {
    if let Some(reading) = &screen.congestion {
        draw_congestion(frame, area, reading, theme, full);
        return;
    }
    let udp_only = screen.focused().is_none() && !screen.datagrams.is_empty();
    let block = pane(if udp_only {
        t!("tui-udp-title")
    } else {
        t!("tui-states")
    });
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(connection) = screen.focused() else {
        // UDP has no connection and no states: say so, and what went by.
        let mut lines = vec![Line::styled(
            if screen.datagrams.is_empty() {
                t!("tui-no-tcp")
            } else {
                t!("tui-udp")
            },
            theme.dim(),
        )];
        for d in &screen.datagrams {
            lines.push(Line::raw(t!(
                "tui-udp-datagrams",
                from = d.from.as_str(),
                to = d.to.as_str(),
                count = d.count,
                bytes = d.bytes
            )));
        }
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
        return;
    };
    let mut lines: Vec<Line> = Vec::new();
    if full {
        let mut lit = Vec::new();
        for end in [&connection.client, &connection.server] {
            if let Some((_, Route::Edges(edges))) = &end.moved {
                lit.extend(edges.iter().copied());
            }
        }
        let marks = Marks {
            client: Some(connection.client.node),
            server: Some(connection.server.node),
            lit,
        };
        for row in states::draw(&marks) {
            let spans: Vec<Span> = row
                .into_iter()
                .map(|(c, ink)| Span::styled(c.to_string(), theme.style(ink)))
                .collect();
            lines.push(Line::from(spans));
        }
    }
    for (line, ink) in endpoint_lines(connection)
        .into_iter()
        .zip([Ink::Client, Ink::Server])
    {
        lines.push(Line::styled(line, theme.style(ink)));
    }
    lines.push(Line::styled(
        t!(
            "tui-legend",
            client = connection.client.name.as_str(),
            server = connection.server.name.as_str()
        ),
        theme.dim(),
    ));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

fn draw_kernel(frame: &mut Frame, area: Rect, screen: &Screen) {
    let width = area.width.saturating_sub(2) as usize;
    let lines: Vec<Line> = match &screen.kernel {
        Some(table) => {
            let painter = Painter::new(false).with_width(width.max(20));
            // The legend is long; the pane's title says what this is.
            let mut legend_said = super::text::KernelLegend::said();
            super::text::kernel_lines(&painter, table, &mut legend_said)
                .into_iter()
                .skip_while(|l| l.trim().is_empty())
                .skip(1)
                .map(|l| Line::raw(l.strip_prefix("  ").unwrap_or(&l).to_string()))
                .collect()
        }
        None if screen.capture.is_some() => vec![Line::raw(t!("tui-no-kernel-capture"))],
        None => vec![Line::raw(t!("tui-no-kernel"))],
    };
    // Read at the end of a step: say which, since packets come before it.
    let title = match &screen.kernel {
        Some(table) => t!("tui-kernel-read", step = table.step),
        None => t!("tui-kernel"),
    };
    frame.render_widget(Paragraph::new(lines).block(pane(title)), area);
}

fn draw_status(frame: &mut Frame, area: Rect, screen: &Screen, status: Status, theme: &Theme) {
    let mut text = match screen.step() {
        Some(step) => t!(
            "tui-status",
            step = step,
            total = screen.steps(),
            packet = screen.packets(),
            packets = status.packets
        ),
        // A capture file, or a lesson before its first step.
        None => t!(
            "tui-status-packets",
            packet = screen.packets(),
            packets = status.packets
        ),
    };
    if status.past {
        text.push_str(&format!(" · {}", t!("tui-status-past")));
    } else if screen.ended {
        text.push_str(&format!(" · {}", t!("tui-status-end")));
    }
    let keys = match status.asking {
        Some(choices) => t!("prompt-answer", choices = choices),
        None => t!("tui-keys"),
    };
    let line = Line::from(vec![
        Span::styled(format!(" {text} "), theme.current()),
        Span::raw(format!("  {keys}")),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}

fn draw_help(frame: &mut Frame, body: Rect) {
    let width = body.width.saturating_sub(8).min(70);
    let area = Rect {
        x: body.x + (body.width - width) / 2,
        y: body.y + body.height / 3,
        width,
        height: 6.min(body.height),
    };
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(t!("tui-help"))
            .wrap(Wrap { trim: true })
            .block(Block::bordered().title(" ? ")),
        area,
    );
}

/// A buffer as plain text, one line a row, trailing spaces trimmed (for
/// snapshots): a wide character's second cell is not written again.
pub fn buffer_text(buffer: &ratatui::buffer::Buffer) -> String {
    let area = buffer.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..area.width {
            let cell = &buffer[(area.x + x, area.y + y)];
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = cell.symbol();
            line.push_str(symbol);
            skip = textwrap::core::display_width(symbol).saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
