//! A plain-text chart of a congestion window, one bar per reading (one
//! reading per round trip), so that a learner sees the curve: slow start's
//! doubling, the cut at a loss, the slow climb of congestion avoidance, the
//! fall to one segment at a timeout.
//!
//! ```text
//!   40 ┤    █
//!      │    █
//!   20 ┤  █ █ ▆ - ▁ ▂
//!      │█ █ █ █ █ █ █ ▁
//!      └────────────────
//!       S S S R A A A L
//!       1       5
//! ```
//!
//! Bars are eighths of a row high, with ssthresh marked `-` above a bar
//! that is below it. Readings that depend on the kernel's clock (CUBIC in
//! congestion avoidance) come after a `┆`, so that what is the same every
//! run and what is not are apart. Drawing only: the caption and legend are
//! the text presenter's.

/// One bar: a reading's window and threshold, and the letter of its phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bar {
    pub cwnd: u32,
    pub ssthresh: Option<u32>,
    pub phase: char,
    /// The reading (and every one after it) depends on the kernel's clock.
    pub clock: bool,
}

/// Rows of bars: each row is one step of the scale.
const ROWS: u32 = 8;

/// Eighths of a cell, from one to seven.
const EIGHTHS: [char; 7] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇'];

/// The scale's step for a top value: a round number such that `ROWS` rows
/// of it reach `top`.
pub fn step_for(top: u32) -> u32 {
    let rough = top.div_ceil(ROWS).max(1);
    [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000]
        .into_iter()
        .find(|s| *s >= rough)
        .unwrap_or(rough)
}

/// The chart's lines for `bars`, on a scale of `step` segments a row (the
/// same for charts meant to be compared), at most `width` columns wide:
/// two columns a bar where they fit, one where they do not, and where even
/// one column a bar is too wide (more readings than columns), the first
/// readings that fit. Empty without bars.
pub fn draw(bars: &[Bar], step: u32, width: usize) -> Vec<String> {
    if bars.is_empty() {
        return Vec::new();
    }
    let step = step.max(1);
    let top = step * ROWS;
    let label_width = top.to_string().len();
    // "  40 ┤", the bars, and a divider where the clock's readings start.
    let room = width.saturating_sub(label_width + 4);
    let divider = usize::from(bars.iter().any(|b| b.clock));
    let wide = 2 * bars.len() + divider <= room;
    let bars = &bars[..bars.len().min(room.saturating_sub(divider).max(1))];
    let per_bar = if wide { 2 } else { 1 };
    // Where the readings that depend on the clock start, if they do.
    let split = bars.iter().position(|b| b.clock);
    let cells = |f: &dyn Fn(&Bar) -> char| -> String {
        let mut text = String::new();
        for (i, bar) in bars.iter().enumerate() {
            if Some(i) == split {
                text.push('┆');
            }
            text.push(f(bar));
            if wide {
                text.push(' ');
            }
        }
        text.trim_end().to_string()
    };
    let mut lines = Vec::new();
    for row in (0..ROWS).rev() {
        // This row covers (row·step, (row+1)·step] segments, in eighths.
        let floor = row * step * 8;
        let cell = |bar: &Bar| {
            let height = bar.cwnd.min(top) * 8;
            if height >= floor + step * 8 {
                '█'
            } else if height > floor {
                let eighths = ((height - floor) / step).clamp(1, 7);
                EIGHTHS[eighths as usize - 1]
            } else if bar
                .ssthresh
                .is_some_and(|s| s <= top && s * 8 > floor && s * 8 <= floor + step * 8)
            {
                '-'
            } else {
                ' '
            }
        };
        let (label, tick) = if row % 2 == 1 {
            (((row + 1) * step).to_string(), '┤')
        } else {
            (String::new(), '│')
        };
        lines.push(
            format!("  {label:>label_width$} {tick}{}", cells(&cell))
                .trim_end()
                .to_string(),
        );
    }
    let axis: String = bars
        .iter()
        .enumerate()
        .flat_map(|(i, _)| {
            let divider = (Some(i) == split).then_some('┴');
            divider.into_iter().chain(std::iter::repeat_n('─', per_bar))
        })
        .collect();
    lines.push(format!("  {:label_width$} └{axis}", ""));
    lines.push(format!("  {:label_width$}  {}", "", cells(&|b| b.phase)));
    // Reading numbers under the 1st, 5th, 10th… bar.
    let mut numbers = String::new();
    for (i, _) in bars.iter().enumerate() {
        let number = i + 1;
        let column = per_bar * i + usize::from(split.is_some_and(|s| i >= s));
        if Some(i) == split {
            while numbers.chars().count() < column - 1 {
                numbers.push(' ');
            }
            numbers.push('┆');
        }
        let free = numbers.is_empty() || numbers.chars().count() < column;
        if (number == 1 || number % 5 == 0) && free {
            while numbers.chars().count() < column {
                numbers.push(' ');
            }
            numbers.push_str(&number.to_string());
        }
    }
    lines.push(format!("  {:label_width$}  {numbers}", ""));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(cwnd: u32, ssthresh: Option<u32>, phase: char) -> Bar {
        Bar {
            cwnd,
            ssthresh,
            phase,
            clock: false,
        }
    }

    #[test]
    fn scales_are_round_numbers() {
        assert_eq!(step_for(40), 5);
        assert_eq!(step_for(41), 10);
        assert_eq!(step_for(3), 1);
        assert_eq!(step_for(160), 20);
    }

    #[test]
    fn a_slow_start_a_cut_and_a_climb() {
        let bars = [
            bar(10, None, 'S'),
            bar(20, None, 'S'),
            bar(40, None, 'S'),
            bar(20, Some(20), 'R'),
            bar(21, Some(20), 'A'),
            bar(1, Some(10), 'L'),
        ];
        let lines = draw(&bars, 5, 80);
        assert_eq!(
            lines,
            [
                "  40 ┤    █",
                "     │    █",
                "  30 ┤    █",
                "     │    █   ▁",
                "  20 ┤  █ █ █ █",
                "     │  █ █ █ █",
                "  10 ┤█ █ █ █ █ -",
                "     │█ █ █ █ █ ▁",
                "     └────────────",
                "      S S S R A L",
                "      1       5",
            ]
        );
        assert!(lines.iter().all(|l| l.chars().count() <= 80));
    }

    #[test]
    fn bars_are_eighths_of_a_row() {
        let lines = draw(&[bar(3, None, 'S'), bar(7, None, 'S')], 5, 80);
        assert_eq!(lines[7], "     │▄ █");
        // 7 segments on a scale of 5 a row: the second row's 3/8 (rounded
        // down).
        assert_eq!(lines[6], "  10 ┤  ▃");
    }

    #[test]
    fn readings_that_depend_on_the_clock_come_after_a_divider() {
        let mut later = bar(31, Some(28), 'A');
        later.clock = true;
        let lines = draw(&[bar(28, Some(28), 'A'), later, later], 5, 80);
        assert_eq!(lines[2], "  30 ┤▄ ┆█ █");
        assert_eq!(lines[8], "     └──┴────");
        assert_eq!(lines[9], "      A ┆A A");
    }

    #[test]
    fn a_long_curve_takes_one_column_a_bar_on_a_narrow_page() {
        let bars: Vec<Bar> = (1..=30).map(|n| bar(n, None, 'S')).collect();
        let wide = draw(&bars, 5, 80);
        assert!(wide.iter().all(|l| l.chars().count() <= 80), "{wide:?}");
        assert!(wide[9].starts_with("      S S"));
        let narrow = draw(&bars, 5, 40);
        assert!(narrow.iter().all(|l| l.chars().count() <= 40), "{narrow:?}");
        assert!(narrow[9].starts_with("      SSS"));
        assert_eq!(narrow[10], "      1   5    10   15   20   25   30");
        // More readings than columns: the first ones that fit.
        let tiny = draw(&bars, 5, 20);
        assert!(tiny.iter().all(|l| l.chars().count() <= 20), "{tiny:?}");
    }
}
