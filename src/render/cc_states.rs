//! The congestion-control states a textbook draws (RFC 5681 §3): slow
//! start, congestion avoidance, fast recovery and the loss after a timeout,
//! as four boxes for the classroom view, the box of the sender's phase
//! drawn in heavy lines (text, so that it shows without colour). Which box
//! is lit comes from the kernel's own reading ([`Phase::of`]: Linux's CA
//! state, cwnd against ssthresh), never from the view.

use textwrap::core::display_width;

use crate::i18n::{Language, message_in};
use crate::kernel::TcpInfo;
use crate::t;
use crate::track::congestion::Phase;

/// One piece of a drawn line, and whether it belongs to the lit box.
pub type Piece = (String, bool);

/// The boxes, as they stand on the 2×2 grid: top row slow start and
/// congestion avoidance, bottom row loss and fast recovery, so that every
/// arrow drawn is a straight line between neighbours.
const GRID: [[Phase; 2]; 2] = [
    [Phase::SlowStart, Phase::Avoidance],
    [Phase::Loss, Phase::Recovery],
];

/// Columns between the two boxes of a row, for the arrow.
const GAP: usize = 7;

fn label(phase: Phase, language: Language) -> String {
    let id = match phase {
        Phase::SlowStart => "cc-slow-start",
        Phase::Avoidance => "cc-avoidance",
        Phase::Recovery => "cc-recovery",
        Phase::Loss => "cc-loss",
    };
    message_in(language, id, &[])
}

/// The phase's name, in the language of the messages.
pub fn name(phase: Phase) -> String {
    label(phase, crate::i18n::language())
}

/// A box's three lines, `inner` columns inside its borders, the label
/// centred; heavy when lit.
fn boxed(text: &str, inner: usize, lit: bool) -> [String; 3] {
    let (h, v, tl, tr, bl, br) = if lit {
        ('━', '┃', '┏', '┓', '┗', '┛')
    } else {
        ('─', '│', '┌', '┐', '└', '┘')
    };
    let room = inner.saturating_sub(display_width(text));
    let left = room / 2;
    let middle = format!(
        "{v}{}{text}{}{v}",
        " ".repeat(left),
        " ".repeat(room - left)
    );
    let rule: String = std::iter::repeat_n(h, inner).collect();
    [format!("{tl}{rule}{tr}"), middle, format!("{bl}{rule}{br}")]
}

/// The diagram with `current`'s box lit: seven lines, each a list of
/// pieces. The arrows: slow start → congestion avoidance when cwnd reaches
/// ssthresh; fast recovery → loss (a timeout during recovery); loss ↑ slow
/// start again; congestion avoidance ↓↑ fast recovery (three duplicate
/// ACKs, and back when the loss is repaired). [`transitions`] says them.
pub fn draw(current: Phase) -> Vec<Vec<Piece>> {
    draw_in(current, crate::i18n::language())
}

/// [`draw`] in `language`.
pub fn draw_in(current: Phase, language: Language) -> Vec<Vec<Piece>> {
    let label = |phase| label(phase, language);
    let inner = |column: usize| -> usize {
        GRID.iter()
            .map(|row| display_width(&label(row[column])))
            .max()
            .unwrap_or(0)
            + 2
    };
    let widths = [inner(0), inner(1)];
    let mut lines: Vec<Vec<Piece>> = Vec::new();
    for (r, row) in GRID.iter().enumerate() {
        let left = boxed(&label(row[0]), widths[0], row[0] == current);
        let right = boxed(&label(row[1]), widths[1], row[1] == current);
        for i in 0..3 {
            let between = match (r, i) {
                (0, 1) => format!(" {}▶ ", "─".repeat(GAP - 3)),
                (1, 1) => format!(" ◀{} ", "─".repeat(GAP - 3)),
                _ => " ".repeat(GAP),
            };
            lines.push(vec![
                (left[i].clone(), row[0] == current),
                (between, false),
                (right[i].clone(), row[1] == current),
            ]);
        }
        if r == 0 {
            // Under each box's middle: loss goes back to slow start (▲),
            // avoidance and recovery go both ways (▼▲).
            let under = |width: usize, arrow: &str| {
                let at = (width + 2) / 2 - 1;
                let mut text = " ".repeat(at);
                text.push_str(arrow);
                text.push_str(&" ".repeat((width + 2).saturating_sub(at + display_width(arrow))));
                text
            };
            lines.push(vec![
                (under(widths[0], "▲"), false),
                (" ".repeat(GAP), false),
                (under(widths[1], "▼▲"), false),
            ]);
        }
    }
    lines
}

/// A sentence per arrow, with the rule that makes it.
pub fn transitions() -> Vec<String> {
    vec![
        t!("cc-to-avoidance"),
        t!("cc-to-recovery"),
        t!("cc-to-loss"),
    ]
}

/// The kernel's numbers under the diagram: cwnd, ssthresh, Linux's state.
pub fn numbers(info: &TcpInfo) -> String {
    let ssthresh = info
        .ssthresh
        .map_or_else(|| "∞".to_string(), |s| s.to_string());
    t!(
        "cc-numbers",
        cwnd = info.cwnd,
        ssthresh = ssthresh,
        state = format!("{:?}", info.ca_state)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(line: &[Piece]) -> String {
        line.iter().map(|(t, _)| t.as_str()).collect()
    }

    /// Each phase lights its own box and only it: heavy corners where the
    /// box is, light ones everywhere else; every line as wide as the others.
    #[test]
    fn the_current_phase_is_the_heavy_box() {
        for (phase, row, column) in [
            (Phase::SlowStart, 0, 0),
            (Phase::Avoidance, 0, 1),
            (Phase::Loss, 1, 0),
            (Phase::Recovery, 1, 1),
        ] {
            let lines = draw(phase);
            assert_eq!(lines.len(), 7);
            let width = display_width(&text(&lines[0]));
            for line in &lines {
                assert_eq!(display_width(&text(line)), width, "{}", text(line));
            }
            let heavy: Vec<(usize, usize)> = lines
                .iter()
                .enumerate()
                .flat_map(|(i, line)| {
                    [0, 2]
                        .into_iter()
                        .filter(move |&piece| line[piece].0.starts_with('┏'))
                        .map(move |piece| (i, piece / 2))
                })
                .collect();
            let top = if row == 0 { 0 } else { 4 };
            assert_eq!(heavy, [(top, column)], "{phase:?}");
            let lit: Vec<bool> = lines.iter().flatten().map(|(_, lit)| *lit).collect();
            assert_eq!(lit.iter().filter(|l| **l).count(), 3, "{phase:?}");
        }
    }

    /// The diagram fits the classroom view's states pane in both
    /// languages.
    #[test]
    fn it_fits_the_states_pane() {
        for language in [Language::English, Language::Chinese] {
            let lines = draw_in(Phase::Avoidance, language);
            assert!(
                display_width(&text(&lines[0])) <= usize::from(crate::render::states::WIDTH),
                "{language:?}: {}",
                text(&lines[1])
            );
            assert!(!text(&lines[1]).contains("cc-"), "{language:?}: no message");
        }
    }
}
