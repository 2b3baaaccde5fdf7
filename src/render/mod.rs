//! Rendering: everything the learner reads, as lines of text.
//!
//! Plain text is the contract (snapshot tests read it); colour is a layer
//! that [`Painter`] adds only when it is switched on. Functions here return
//! lines and never write, wait or read the clock: the runner does that.

pub mod ascii;
pub mod cast;
pub mod cc_states;
pub mod chart;
pub mod classroom;
pub mod code;
pub mod exercise;
pub mod export;
pub mod fold;
pub mod junit;
pub mod ladder;
pub mod mermaid;
pub mod preview;
pub mod python;
pub mod rust;
pub mod states;
pub mod text;

use crate::t;
use owo_colors::{OwoColorize, Style};

use crate::lesson::Family;
use crate::packet::{Packet, Transport};

/// The width text is wrapped to: a classic terminal, and readable on a
/// projector.
pub const WIDTH: usize = 80;

/// Applies colour when it is on, and nothing otherwise.
#[derive(Debug, Clone, Copy)]
pub struct Painter {
    color: bool,
    width: usize,
}

impl Painter {
    /// A painter for `WIDTH` columns.
    pub fn new(color: bool) -> Painter {
        Painter {
            color,
            width: WIDTH,
        }
    }

    /// The same painter for a page `width` columns wide.
    pub fn with_width(self, width: usize) -> Painter {
        Painter { width, ..self }
    }

    /// The columns text is wrapped to.
    pub fn width(&self) -> usize {
        self.width
    }

    pub fn is_on(&self) -> bool {
        self.color
    }

    /// `text` in `style`; blank text gets no escape codes, so that a line
    /// ending in it can still be trimmed as in plain output.
    pub fn paint(&self, text: &str, style: Style) -> String {
        if self.color && !text.trim().is_empty() {
            text.style(style).to_string()
        } else {
            text.to_string()
        }
    }
}

/// The styles of socklab's output, named for what they mark, for a dark
/// or a light background ([`styles::Theme`]). What a learner must read is
/// in the terminal's own colour, never dim or italic (a projector washes
/// both out); colour stresses what the words already say (a state, a
/// flag, who sent a packet), it never says it alone: the plain text is the
/// same without it.
pub mod styles {
    use owo_colors::Style;
    use std::sync::atomic::{AtomicU8, Ordering};

    /// The background the colours are chosen for.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
    pub enum Theme {
        /// Light text on a dark background.
        #[default]
        Dark,
        /// Dark text on a light background (and most projectors): no
        /// white, no yellow, no bright colours.
        Light,
        /// A projector that washes colours out: no colour at all, only the
        /// terminal's own foreground on its background, the strongest
        /// contrast it has; what colour marked, bold marks.
        Contrast,
    }

    static THEME: AtomicU8 = AtomicU8::new(0);

    /// From now on, the styles are `theme`'s.
    pub fn set_theme(theme: Theme) {
        let code = match theme {
            Theme::Dark => 0,
            Theme::Light => 1,
            Theme::Contrast => 2,
        };
        THEME.store(code, Ordering::Relaxed);
    }

    pub fn theme() -> Theme {
        match THEME.load(Ordering::Relaxed) {
            1 => Theme::Light,
            2 => Theme::Contrast,
            _ => Theme::Dark,
        }
    }

    /// The theme a terminal's `COLORFGBG` ("15;0": white on black) says,
    /// when it says: a background of 7 (white) or 9-15 (bright) is light.
    pub fn from_colorfgbg(value: &str) -> Option<Theme> {
        let background: u8 = value.rsplit(';').next()?.trim().parse().ok()?;
        Some(if background == 7 || (9..=15).contains(&background) {
            Theme::Light
        } else {
            Theme::Dark
        })
    }

    /// `dark` on a dark background, `light` on a light one; in the
    /// high-contrast theme no colour, bold where `bold`.
    fn pick(dark: Style, light: Style, bold: bool) -> Style {
        match theme() {
            Theme::Dark => dark,
            Theme::Light => light,
            Theme::Contrast if bold => Style::new().bold(),
            Theme::Contrast => Style::new(),
        }
    }

    /// `style` on either background; in the high-contrast theme as [`pick`].
    fn any(style: Style, bold: bool) -> Style {
        pick(style, style, bold)
    }

    /// Lesson and step titles, questions.
    pub fn title() -> Style {
        pick(
            Style::new().bold().bright_blue(),
            Style::new().bold().blue(),
            true,
        )
    }
    pub fn rule() -> Style {
        any(Style::new().blue(), false)
    }
    /// The code the learner would type.
    pub fn code() -> Style {
        pick(Style::new().bright_green(), Style::new().blue(), false)
    }
    /// `>>>` and `...`.
    pub fn prompt() -> Style {
        Style::new()
    }
    /// What a call gave back: the learner's own data, in their colour.
    pub fn output() -> Style {
        Style::new()
    }
    /// Comments in code: socklab's explanations, to be read.
    pub fn comment() -> Style {
        Style::new()
    }
    /// The notes under a packet and the words after a step.
    pub fn note() -> Style {
        Style::new()
    }
    /// Times, numbers, headings of the kernel's view, legends: secondary,
    /// but still read, so not dim.
    pub fn aside() -> Style {
        Style::new()
    }
    pub fn state() -> Style {
        Style::new().bold()
    }
    pub fn good() -> Style {
        any(Style::new().green(), false)
    }
    pub fn warn() -> Style {
        pick(
            Style::new().yellow().bold(),
            Style::new().magenta().bold(),
            true,
        )
    }
    pub fn error() -> Style {
        any(Style::new().red().bold(), true)
    }
    /// The flags that open, close and abort a connection, on the ladder.
    pub fn syn() -> Style {
        any(Style::new().green().bold(), true)
    }
    pub fn fin() -> Style {
        pick(
            Style::new().yellow().bold(),
            Style::new().magenta().bold(),
            true,
        )
    }
    pub fn rst() -> Style {
        any(Style::new().red().bold(), true)
    }
    /// One colour per actor, by its position in the lesson.
    pub fn actor(index: usize) -> Style {
        match (theme(), index % 4) {
            (Theme::Contrast, _) => Style::new(),
            (_, 0) => pick(Style::new().cyan(), Style::new().blue(), false),
            (_, 1) => Style::new().magenta(),
            (Theme::Dark, 2) => Style::new().yellow(),
            (Theme::Light, 2) => Style::new().green(),
            (Theme::Dark, _) => Style::new().green(),
            (Theme::Light, _) => Style::new().cyan(),
        }
    }

    /// Every style, for the tests: none may be dim or italic, and a light
    /// background gets no white, yellow or bright colour.
    pub fn all() -> Vec<Style> {
        let mut all = vec![
            title(),
            rule(),
            code(),
            prompt(),
            output(),
            comment(),
            note(),
            aside(),
            state(),
            good(),
            warn(),
            error(),
            syn(),
            fin(),
            rst(),
        ];
        all.extend((0..4).map(actor));
        all
    }
}

/// Wraps prose to `width`, every line starting with `indent`. A blank
/// line starts a new paragraph; the lines of a paragraph are joined, with a
/// space between words and none between two Chinese characters (a line
/// break in a lesson file is not a space in Chinese).
pub fn wrap(text: &str, indent: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for (i, paragraph) in text.split("\n\n").enumerate() {
        if i > 0 {
            lines.push(String::new());
        }
        let mut joined = String::new();
        for line in paragraph.lines() {
            // ASCII whitespace only: a no-break space (French "port\u{a0}:")
            // keeps its words together.
            let line = line.split_ascii_whitespace().collect::<Vec<_>>().join(" ");
            if line.is_empty() {
                continue;
            }
            let between_chinese = ends_wide(&joined) && starts_wide(&line);
            if !joined.is_empty() && !between_chinese {
                joined.push(' ');
            }
            joined.push_str(&line);
        }
        // With `--ascii`, wrapped as it will be shown: "…" and "β" take
        // more columns in ASCII ("...", "beta").
        if ascii::is_ascii() {
            joined = ascii::plain(&joined);
        }
        // Never split at hyphens: "TIME-WAIT" is one word to a learner.
        let options = textwrap::Options::new(width)
            .initial_indent(indent)
            .subsequent_indent(indent)
            .word_separator(textwrap::WordSeparator::Custom(words))
            .word_splitter(textwrap::WordSplitter::NoHyphenation);
        let room = width.saturating_sub(textwrap::core::display_width(indent));
        // English words between Chinese ones wider than ENGLISH_KEPT_WHOLE
        // go whole to the next line only when the line they leave is at
        // least half full; after a shorter one (a short line, then a long
        // one, which reads as a paragraph's end) they break at their
        // spaces, as English does.
        let long = long_phrases(&joined, room);
        let mut broken: Vec<&str> = Vec::new();
        let wrapped = loop {
            let wrapped: Vec<String> = with_room(room, &broken, || {
                textwrap::wrap(&joined, &options)
                    .into_iter()
                    .map(|l| l.into_owned())
                    .collect()
            });
            let text = |line: &str| line.strip_prefix(indent).unwrap_or(line).to_string();
            let after_short = long.iter().find(|&&phrase| {
                !broken.contains(&phrase)
                    && wrapped.windows(2).any(|pair| {
                        let before = textwrap::core::display_width(&text(&pair[0]));
                        text(&pair[1])
                            .trim_start_matches(|c| OPENING.contains(c))
                            .starts_with(phrase)
                            && 2 * before < room
                    })
            });
            match after_short {
                Some(&phrase) => broken.push(phrase),
                None => break wrapped,
            }
        };
        lines.extend(wrapped);
    }
    lines
}

/// The stretches of English words between Chinese ones in `line` wider
/// than [`ENGLISH_KEPT_WHOLE`] that fit in `room` columns: those
/// [`kept_whole`] keeps whole only when [`wrap`] has not found them after
/// a short line.
fn long_phrases(line: &str, room: usize) -> Vec<&str> {
    if !line.chars().any(is_wide) {
        return Vec::new();
    }
    narrow_stretches(line, true)
        .into_iter()
        .map(|range| &line[range])
        .filter(|phrase| {
            (ENGLISH_KEPT_WHOLE + 1..=room).contains(&textwrap::core::display_width(phrase))
        })
        .collect()
}

/// Whether a character takes two columns: Chinese (and Japanese, Korean)
/// characters and full-width punctuation.
fn is_wide(c: char) -> bool {
    textwrap::core::display_width(c.encode_utf8(&mut [0; 4])) == 2
}

fn ends_wide(text: &str) -> bool {
    text.chars().next_back().is_some_and(is_wide)
}

fn starts_wide(text: &str) -> bool {
    text.chars().next().is_some_and(is_wide)
}

/// Sentences one after the other: a space after an English one, none
/// after a Chinese one (its full stop is full-width).
pub fn join_sentences(sentences: &[String]) -> String {
    let mut text = String::new();
    for sentence in sentences {
        if !text.is_empty() && !ends_wide(&text) {
            text.push(' ');
        }
        text.push_str(sentence);
    }
    text
}

/// Where a line may break. Text without wide characters breaks at spaces
/// only, as English is written. Text with them breaks where Unicode's line
/// breaking rules (UAX #14) allow: between two Chinese characters too, but
/// never before a closing mark such as "，" nor after an opening one such
/// as "（" (textwrap leaves hyphens alone, so "TIME-WAIT" stays whole
/// there too); then [`units`] joins what a learner reads as one piece.
fn words(line: &str) -> Box<dyn Iterator<Item = textwrap::core::Word<'_>> + '_> {
    use textwrap::WordSeparator;
    if line.chars().any(is_wide) {
        let found: Vec<_> = WordSeparator::UnicodeBreakProperties
            .find_words(line)
            .collect();
        Box::new(units(line, quote_breaks(line, found), ROOM.get()).into_iter())
    } else {
        WordSeparator::AsciiSpace.find_words(line)
    }
}

/// Marks that may not end a line.
const OPENING: &str = "（「『【《“‘";
/// Marks that may not start a line.
const CLOSING: &str = "，。：；！？、）」』】》”’";

/// `words` of `line` split where Chinese typesetting breaks but UAX #14
/// (before Unicode 15.1's rule LB19a) does not: before an opening quote
/// and after a closing one, next to a Chinese character. Else “Connection
/// refused” drags 报错's 错 with it onto the next line.
fn quote_breaks<'a>(
    line: &'a str,
    words: Vec<textwrap::core::Word<'a>>,
) -> Vec<textwrap::core::Word<'a>> {
    let mut split = Vec::with_capacity(words.len());
    for word in words {
        let mut rest = word.word;
        let mut chars = word.word.char_indices().peekable();
        while let Some((_, c)) = chars.next() {
            let Some(&(next_at, next)) = chars.peek() else {
                break;
            };
            let before_opening = is_wide(c) && !OPENING.contains(c) && matches!(next, '“' | '‘');
            let after_closing = matches!(c, '”' | '’') && is_wide(next) && !CLOSING.contains(next);
            if before_opening || after_closing {
                let from = word.word.len() - rest.len();
                split.push(textwrap::core::Word::from(&word.word[from..next_at]));
                rest = &word.word[next_at..];
            }
        }
        let from = offset_in(line, rest);
        let to = offset_in(line, word.word) + word.word.len() + word.whitespace.len();
        split.push(textwrap::core::Word::from(&line[from..to]));
    }
    split
}

/// Where `part`, a slice of `line`, starts in it.
fn offset_in(line: &str, part: &str) -> usize {
    part.as_ptr() as usize - line.as_ptr() as usize
}

thread_local! {
    /// The columns a line of the text being wrapped has, indent left out:
    /// a piece is kept whole only when it fits in them. textwrap calls
    /// [`words`] through a plain `fn`, so [`with_room`] tells it here.
    static ROOM: std::cell::Cell<usize> = const { std::cell::Cell::new(usize::MAX) };
    /// The long English phrases of the text being wrapped that break at
    /// their spaces (see [`wrap`]), told to [`words`] the same way.
    static BROKEN: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Runs `wrap_it` with [`words`] knowing that a line has `room` columns
/// and that the phrases `broken` break at their spaces.
fn with_room<T>(room: usize, broken: &[&str], wrap_it: impl FnOnce() -> T) -> T {
    let before = ROOM.replace(room.max(1));
    let broken_before = BROKEN.replace(broken.iter().map(|p| p.to_string()).collect());
    let wrapped = wrap_it();
    ROOM.set(before);
    BROKEN.set(broken_before);
    wrapped
}

/// A short piece of code in backticks (`if not data: conn.close()`) or an
/// English phrase in quotes ("client > server ACK data") is kept on one
/// line in Chinese text, up to this many columns; a longer one breaks at
/// its spaces, as in English.
const CODE_KEPT_WHOLE: usize = 40;

/// A number with its unit ("第 43441 字节") or a count with what it
/// counts ("） ×697") is kept on one line up to this many columns; English
/// words between Chinese ones up to this many always are, and wider ones
/// only when moving them does not leave a line less than half full.
const ENGLISH_KEPT_WHOLE: usize = 24;

/// What a number in Chinese text may count: 字节, 个, 秒, 毫秒, 步, 帧, 节
/// (a section), and so on, two-character ones first so that "字节" is not
/// cut after 字. A number before any other character ("公式 4 写的是") may
/// be left at a line's end.
const UNITS: &str = "字节 字符 毫秒 微秒 分钟 小时 千字节 \
    个 秒 步 帧 项 课 节 次 位 行 条 倍 份 段 组 跳 列 页 遍 号 种 台 轮 天 年 周 千 万 亿 字 分";

/// Marks that open and close a quotation in Chinese text. A straight `"`
/// both opens and closes.
const QUOTES: [(char, char); 5] = [
    ('“', '”'),
    ('‘', '’'),
    ('"', '"'),
    ('「', '」'),
    ('『', '』'),
];

/// `words` of `line` (UAX #14's breaks) joined where a break would cut
/// what a learner reads as one piece, when the piece fits in `room`
/// columns: see [`kept_whole`].
fn units<'a>(
    line: &'a str,
    words: Vec<textwrap::core::Word<'a>>,
    room: usize,
) -> Vec<textwrap::core::Word<'a>> {
    let offset = |word: &textwrap::core::Word<'a>| offset_in(line, word.word);
    // UAX #14's words can reach past a piece ("§3.8.6）。"): a piece is
    // kept only if the words it joins fit, or textwrap would cut them
    // anywhere; and then not in part ("第 43441 字" | "节").
    let starts: Vec<usize> = words.iter().map(offset).collect();
    let word_at = |at: usize| {
        starts
            .partition_point(|&start| start <= at)
            .saturating_sub(1)
    };
    let whole: Vec<_> = kept_whole(line, room)
        .into_iter()
        .filter(|piece| {
            let last = &words[word_at(piece.end - 1)];
            let from = starts[word_at(piece.start)];
            textwrap::core::display_width(&line[from..offset(last) + last.word.len()]) <= room
        })
        .collect();
    let mut joined: Vec<textwrap::core::Word<'a>> = Vec::with_capacity(words.len());
    for word in words {
        let at = offset(&word);
        let inside = whole.iter().any(|r| r.start < at && at < r.end);
        // Pieces that overlap join into one: it must still fit.
        let fits =
            |from: usize| textwrap::core::display_width(&line[from..at + word.word.len()]) <= room;
        match joined.last() {
            Some(last) if inside && fits(offset(last)) => {
                let from = offset(last);
                let end = at + word.word.len() + word.whitespace.len();
                joined.pop();
                joined.push(textwrap::core::Word::from(&line[from..end]));
            }
            _ => joined.push(word),
        }
    }
    joined
}

/// The stretches of `line` (byte ranges) that a break may not fall inside,
/// each at most `room` columns wide:
/// - an English word, a number or a path: only spaces break English, so
///   "14481–43440" and "file-client/one-recv.py" stay whole (UAX #14
///   allows a break after "–" and "/");
/// - English words between Chinese ones ("TCP Window Full", "RFC 9293
///   §3.8.6", "client > server ACK ×34", "TCP Previous segment not
///   captured"), as long as they fit in a line: a phrase that does not fit
///   at the end of one line goes whole to the next; only one wider than a
///   line breaks, at its spaces, and one wider than [`ENGLISH_KEPT_WHOLE`]
///   that would leave a line less than half full (see [`wrap`]);
/// - code in backticks, and English in quotes, up to [`CODE_KEPT_WHOLE`];
/// - a number and the character after it, its unit ("60 秒", "1448 字节"),
///   with "第" before it ("第 2 个"); a count "×34" and what it counts.
fn kept_whole(line: &str, room: usize) -> Vec<std::ops::Range<usize>> {
    use textwrap::core::display_width;
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let end_of = |i: usize| chars.get(i).map_or(line.len(), |&(at, _)| at);
    // Curly quotes are narrow to Unicode but belong to Chinese text here:
    // "Reno “锯齿”" may break after Reno.
    let narrow = |c: char| !is_wide(c) && !matches!(c, '“' | '”' | '‘' | '’');
    let mut whole = Vec::new();
    let mut keep = |from: usize, to: usize, most: usize| {
        if from < to && display_width(&line[from..to]) <= most.min(room) {
            whole.push(from..to);
        }
    };
    for range in narrow_stretches(line, false) {
        keep(range.start, range.end, usize::MAX);
    }
    for range in narrow_stretches(line, true) {
        let broken = BROKEN.with_borrow(|broken| broken.iter().any(|p| *p == line[range.clone()]));
        let most = if broken {
            ENGLISH_KEPT_WHOLE
        } else {
            usize::MAX
        };
        keep(range.start, range.end, most);
    }
    // Code spans and quotations, opened and closed in this line.
    let mut open: Option<(usize, char)> = None;
    for (i, &(at, c)) in chars.iter().enumerate() {
        match open {
            Some((from, close)) if c == close => {
                let inner = &line[chars[from].0..at];
                // A Chinese sentence in quotes is prose: it breaks as such.
                if close == '`' || !inner.chars().any(is_wide) {
                    keep(chars[from].0, end_of(i + 1), CODE_KEPT_WHOLE);
                }
                open = None;
            }
            Some(_) => {}
            None if c == '`' => open = Some((i, '`')),
            None => {
                if let Some(&(_, close)) = QUOTES.iter().find(|(o, _)| *o == c) {
                    open = Some((i, close));
                }
            }
        }
    }
    // A call or a bracketed term of a formula, with the name before it,
    // "max(28 / 2, 2)": a broken formula breaks between its terms
    // ("ssthresh = max(cwnd / 2, 2) =" / "max(28 / 2, 2) = 14"), not
    // inside one ("max(28 /" / "2, 2)").
    let mut opened = Vec::new();
    for (i, &(_, c)) in chars.iter().enumerate() {
        match c {
            '(' => opened.push(i),
            ')' => {
                if let Some(open) = opened.pop() {
                    let mut from = open;
                    while from > 0
                        && narrow(chars[from - 1].1)
                        && !chars[from - 1].1.is_whitespace()
                    {
                        from -= 1;
                    }
                    if chars[from..=i].iter().all(|&(_, c)| narrow(c)) {
                        keep(chars[from].0, end_of(i + 1), ENGLISH_KEPT_WHOLE);
                    }
                }
            }
            _ => {}
        }
    }
    for (i, &(_, c)) in chars.iter().enumerate() {
        if !c.is_whitespace() {
            continue;
        }
        let before = i.checked_sub(1).map(|b| chars[b].1);
        let after = chars.get(i + 1).map(|&(_, c)| c);
        // A number, then its unit.
        let unit = UNITS
            .split_ascii_whitespace()
            .find(|unit| line[end_of(i + 1)..].starts_with(unit));
        if let (Some(digit), Some(unit)) = (before, unit)
            && digit.is_ascii_digit()
        {
            let mut from = i;
            while from > 0 && narrow(chars[from - 1].1) && !chars[from - 1].1.is_whitespace() {
                from -= 1;
            }
            // "第 2 个": the ordinal's 第 too.
            if from >= 2 && chars[from - 1].1.is_whitespace() && chars[from - 2].1 == '第' {
                from -= 2;
            }
            keep(
                chars[from].0,
                end_of(i + 1) + unit.len(),
                ENGLISH_KEPT_WHOLE,
            );
        }
        // "（携带数据） ×697": the count stays with what it counts.
        if after == Some('×') && before.is_some_and(|c| !c.is_whitespace()) {
            let mut to = i + 2;
            while to < chars.len() && chars[to].1.is_ascii_digit() {
                to += 1;
            }
            keep(chars[i - 1].0, end_of(to), ENGLISH_KEPT_WHOLE);
        }
    }
    whole
}

/// Stretches of `line` (byte ranges) of characters narrow in Chinese
/// text, without the spaces at their ends: English words (with
/// `spaces`), or one word, number or path each (without).
fn narrow_stretches(line: &str, spaces: bool) -> Vec<std::ops::Range<usize>> {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let end_of = |i: usize| chars.get(i).map_or(line.len(), |&(at, _)| at);
    // Curly quotes are narrow to Unicode but belong to Chinese text here:
    // "Reno “锯齿”" may break after Reno.
    let narrow = |c: char| !is_wide(c) && !matches!(c, '“' | '”' | '‘' | '’');
    let inside = |c: char| narrow(c) && (spaces || !c.is_whitespace());
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !inside(chars[i].1) || chars[i].1.is_whitespace() {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < chars.len() && inside(chars[j].1) {
            j += 1;
        }
        let mut k = j;
        while chars[k - 1].1.is_whitespace() {
            k -= 1;
        }
        found.push(chars[i].0..end_of(k));
        i = j;
    }
    found
}

/// `socklab glossary`: every term in the learner's language first, the
/// other beside it, and its explanation under it.
pub fn glossary(p: &Painter) -> Vec<String> {
    use crate::i18n::{Language, glossary::terms};
    let chinese = crate::i18n::language() == Language::Chinese;
    let mut lines = vec![
        p.paint(&t!("glossary-title"), styles::title()),
        p.paint(&"═".repeat(p.width()), styles::rule()),
    ];
    lines.extend(wrap(&t!("glossary-intro"), "", p.width()));
    for term in terms() {
        let (first, second, explain) = if chinese {
            (&term.zh, &term.en, &term.zh_explain)
        } else {
            (&term.en, &term.zh, &term.en_explain)
        };
        lines.push(String::new());
        lines.push(format!("  {}  {}", p.paint(first, styles::state()), second));
        lines.extend(wrap(explain, "      ", p.width()));
    }
    lines
}

/// A line of `socklab list`: the id in a column `width` wide, and the
/// title after it, its later lines under its first.
pub fn id_and_title(p: &Painter, id: &str, width: usize, title: &str) -> Vec<String> {
    let hang = " ".repeat(width + 2);
    wrap(title, &hang, p.width())
        .into_iter()
        .enumerate()
        .map(|(i, line)| {
            let title = p.paint(line.trim_start(), styles::title());
            if i == 0 {
                format!(
                    "{}  {title}",
                    p.paint(&format!("{id:<width$}"), styles::code())
                )
            } else {
                format!("{hang}{title}")
            }
        })
        .collect()
}

/// The banner at the start of a lesson.
pub fn lesson_header(
    p: &Painter,
    title: &str,
    summary: &str,
    family: Family,
    on_wire: bool,
    lang: code::Lang,
) -> Vec<String> {
    let mut lines: Vec<String> = wrap(title, "", p.width())
        .into_iter()
        .map(|l| p.paint(&l, styles::title()))
        .collect();
    lines.push(p.paint(&"═".repeat(p.width()), styles::rule()));
    lines.extend(wrap(summary, "", p.width()));
    if family == Family::V6 {
        // On the wire, link-local addresses make the scope id matter; on
        // loopback, the larger header makes the MSS smaller.
        // The names are the code's: Python's AF_INET6 and 4-tuples, or
        // Rust's Domain::IPV6 and SocketAddrV6.
        let code = match lang {
            code::Lang::Python => "python",
            code::Lang::Rust => "rust",
        };
        let text = if on_wire {
            t!("lesson-ipv6-wire", code = code)
        } else {
            t!("lesson-ipv6-loopback", code = code)
        };
        lines.push(String::new());
        lines.extend(
            wrap(&text, "", p.width())
                .into_iter()
                .map(|l| p.paint(&l, styles::note())),
        );
    }
    lines.push(String::new());
    lines
}

/// The heading line of a step (`── Step 2 of 5 · Title `, its rule
/// filled to the page) and its prose.
/// A heading too long for the page goes on under its title's first word.
pub fn step_header(p: &Painter, head: &str, text: &str) -> Vec<String> {
    let rule = "── ";
    let hang = " ".repeat(textwrap::core::display_width(rule));
    let body = head.strip_prefix(rule).unwrap_or(head).trim_end();
    // Room for a space and two columns of rule after the last line.
    let mut heads = wrap(body, &hang, p.width().saturating_sub(3));
    if let Some(first) = heads.first_mut() {
        first.replace_range(..hang.len(), rule);
    }
    let mut lines: Vec<String> = Vec::new();
    let count = heads.len();
    for (i, line) in heads.into_iter().enumerate() {
        let line = if i + 1 == count {
            let fill = p
                .width()
                .saturating_sub(textwrap::core::display_width(&line) + 1);
            format!("{line} {}", "─".repeat(fill))
        } else {
            line
        };
        lines.push(p.paint(&line, styles::title()));
    }
    lines.push(String::new());
    lines.extend(wrap(text, "", p.width()));
    lines.push(String::new());
    lines
}

/// The answer to a question nobody answered (`--auto`): the right choice
/// (from 1) and why.
pub fn answer(p: &Painter, choices: &[String], answer: usize, explain: &str) -> Vec<String> {
    let head = t!("question-answer", answer = answer);
    // A lesson checks its answer is a choice; a damaged recording may not.
    let right = answer
        .checked_sub(1)
        .and_then(|i| choices.get(i))
        .map_or("", String::as_str);
    let mut lines: Vec<String> = hanging(&head, right, 2, p.width())
        .into_iter()
        .map(|l| p.paint(&l, styles::good()))
        .collect();
    lines.extend(wrap(explain, "  ", p.width()));
    lines
}

/// `text` wrapped to the page after `head`, its later lines indented to
/// line up with the text: "      2. waits, and …" / "         probes …".
fn hanging(head: &str, text: &str, indent: usize, width: usize) -> Vec<String> {
    let hang = " ".repeat(indent + textwrap::core::display_width(head));
    let mut lines = wrap(text, &hang, width);
    if let Some(first) = lines.first_mut() {
        *first = format!("{}{head}{}", " ".repeat(indent), &first[hang.len()..]);
    }
    lines
}

/// A question and its numbered choices.
pub fn question(p: &Painter, ask: &str, choices: &[String]) -> Vec<String> {
    let mut lines = vec![String::new()];
    // A hanging "?" on the first line only.
    let mut ask = wrap(ask, "    ", p.width());
    if let Some(first) = ask.first_mut() {
        first.replace_range(..4, "  ? ");
    }
    lines.extend(ask.into_iter().map(|l| p.paint(&l, styles::title())));
    for (i, choice) in choices.iter().enumerate() {
        lines.extend(hanging(&format!("{}. ", i + 1), choice, 6, p.width()));
    }
    lines
}

/// Right or wrong, and why; `answer` and `given` count from 1.
pub fn verdict(p: &Painter, explain: &str, answer: usize, given: usize) -> Vec<String> {
    let head = if given == answer {
        p.paint(&format!("  {}", t!("question-right")), styles::good())
    } else {
        p.paint(
            &format!("  {}", t!("question-wrong", answer = answer)),
            styles::warn(),
        )
    };
    let mut lines = vec![head];
    lines.extend(wrap(explain, "  ", p.width()));
    lines
}

/// A frame waiting on the wire in hold mode: who sent it, to whom, and
/// what it is (flags and length; its relative numbers come when it is
/// delivered and drawn on the ladder). `again`: a frame like it was held
/// earlier in the step, so this is a copy its sender sent again. `fate`:
/// what the lesson's wire did to it before it was held.
pub fn held(
    p: &Painter,
    from: &str,
    to: &str,
    packet: &Packet,
    again: bool,
    fate: crate::packet::Fate,
) -> Vec<String> {
    let what = match &packet.transport {
        Transport::Tcp(segment) if segment.payload_len > 0 => t!(
            "held-tcp-data",
            flags = segment.flags.to_string(),
            len = segment.payload_len
        ),
        Transport::Tcp(segment) => t!("held-tcp", flags = segment.flags.to_string()),
        Transport::Udp { payload_len, .. } => t!("held-udp", len = *payload_len),
        Transport::PortUnreachable => t!("held-icmp"),
        Transport::Resolution { .. } if packet.src.is_ipv6() => t!("held-ndp"),
        Transport::Resolution { .. } => t!("held-arp"),
        other => other.short_name(),
    };
    let to_many = matches!(
        packet.transport,
        Transport::Udp {
            broadcast: true,
            ..
        } | Transport::Udp {
            multicast: true,
            ..
        }
    );
    let waiting = if to_many {
        t!("held-nobody")
    } else if let crate::packet::Fate::Delayed(by) = fate {
        t!(
            "held-delayed",
            from = from,
            to = to,
            ms = by.as_millis() as u64
        )
    } else if again {
        t!("held-not-this-copy", why = why_again(from, packet), to = to)
    } else {
        t!("held-not-received", to = to)
    };
    let text = t!("held", from = from, to = to, what = what, waiting = waiting);
    let mut lines = vec![String::new()];
    lines.extend(
        hanging("⏸ ", &text, 2, p.width())
            .into_iter()
            .map(|l| p.paint(&l, styles::warn())),
    );
    lines
}

/// Why a sender put the same segment on the wire again: a segment that
/// takes sequence space (SYN, FIN, data) is resent by its retransmission
/// timer (RFC 6298); a bare ACK is never resent, only sent again in answer
/// to a copy that came in.
fn why_again(from: &str, packet: &Packet) -> String {
    let resent_by_timer = match &packet.transport {
        Transport::Tcp(segment) => segment.seg_len() > 0,
        _ => false,
    };
    if resent_by_timer {
        t!("again-by-timer", from = from)
    } else {
        t!("again-answer", from = from)
    }
}

/// In hold mode, after the learner let a frame go: copies of it that its
/// sender sent while it waited go with it.
pub fn let_go_with_copies(p: &Painter, from: &str, packet: &Packet, copies: usize) -> Vec<String> {
    let text = t!(
        "let-go-copies",
        copies = copies,
        from = from,
        why = why_again(from, packet)
    );
    wrap(&text, "  ↳ ", p.width())
        .into_iter()
        .enumerate()
        .map(|(i, line)| {
            let line = if i == 0 {
                line
            } else {
                line.replacen("↳", " ", 1)
            };
            p.paint(&line, styles::warn())
        })
        .collect()
}

/// The closing words of a step.
pub fn after(p: &Painter, text: &str) -> Vec<String> {
    let mut lines = vec![String::new()];
    lines.extend(
        wrap(text, "", p.width())
            .into_iter()
            .map(|l| p.paint(&l, styles::note())),
    );
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_paragraphs_and_indent() {
        let lines = wrap("one two three\n\nfour", "  ", 10);
        assert_eq!(lines, vec!["  one two", "  three", "", "  four"]);
    }

    #[test]
    fn chinese_keeps_a_range_of_numbers_and_a_short_piece_of_code_whole() {
        // Without the joining, these widths broke right after "–" and
        // inside the code, at its space.
        let range = "client 发送了它字节流中的第 14481–43440 字节，共二十个报文段";
        for width in 20..40 {
            let lines = wrap(range, "", width);
            assert!(
                lines.iter().any(|l| l.contains("14481–43440")),
                "{width}: {lines:?}"
            );
        }
        let code = "服务器读到空数据时：`if not data: conn.close()`，然后接受下一个客户端";
        for width in 30..50 {
            let lines = wrap(code, "", width);
            assert!(
                lines
                    .iter()
                    .any(|l| l.contains("`if not data: conn.close()`")),
                "{width}: {lines:?}"
            );
        }
        // A long command still breaks (at its spaces), and nothing is lost.
        let long = "然后运行 `socklab exercise check echo-server -- python3 echo_server.py` 检查";
        let lines = wrap(long, "", 40);
        assert!(lines.len() > 2, "{lines:?}");
        assert_eq!(lines.concat().replace(' ', ""), long.replace(' ', ""));
    }

    #[test]
    fn chinese_wraps_between_characters_and_keeps_its_punctuation() {
        let text = "挥手 ④：client 确认最后一个 FIN。server 现在是 CLOSED；client 进入\n\
                    TIME-WAIT 等待（Linux 上为 60 秒），以免网络中迷途的旧报文段被误当成新连接的一部分。";
        let lines = wrap(text, "", 30);
        assert!(lines.len() > 2, "{lines:?}");
        for line in &lines {
            assert!(textwrap::core::display_width(line) <= 30, "{line}");
            // A closing mark never starts a line (UAX #14).
            assert!(!line.starts_with(['，', '。', '）', '；']), "{line}");
        }
        // Words are what may not be broken: TIME-WAIT is one.
        let found: Vec<&str> = words("client 进入 TIME-WAIT 等待")
            .map(|w| w.word)
            .collect();
        assert!(found.contains(&"TIME-WAIT"), "{found:?}");
        // The line break between 进入 and TIME-WAIT was a space in English
        // terms; between two Chinese characters it would be none.
        assert_eq!(
            wrap("第一行\n第二行", "", 80),
            vec!["第一行第二行"],
            "no space between Chinese lines"
        );
        assert_eq!(wrap("one\ntwo", "", 80), vec!["one two"]);
    }

    /// Whether, at every width in `widths`, `text` wraps with each of
    /// `pieces` whole on one line, and loses nothing.
    fn kept_whole_at(text: &str, pieces: &[&str], widths: std::ops::Range<usize>) {
        for width in widths {
            let lines = wrap(text, "  ", width);
            for piece in pieces {
                assert!(
                    lines.iter().any(|l| l.contains(piece)),
                    "{width}: {piece:?} is cut: {lines:#?}"
                );
            }
            for line in &lines {
                assert!(
                    textwrap::core::display_width(line) <= width,
                    "{width}: {line}"
                );
            }
            let squeezed = |s: &str| s.split_whitespace().collect::<String>();
            assert_eq!(squeezed(&lines.concat()), squeezed(text), "{width}");
        }
    }

    #[test]
    fn chinese_keeps_an_english_phrase_in_quotes_whole() {
        // Both broke at the space inside the quotes.
        kept_whole_at(
            "connect() 失败，报错“Connection refused”（连接被拒绝）。UDP 也类似。",
            &["“Connection refused”"],
            30..60,
        );
        kept_whole_at(
            "客户端连接并说 \"hello\"；你的服务器把它打印出来，并发送键盘输入的回答：\"hi there\"。",
            &["：\"hi there\"。"],
            18..60,
        );
        // Longer than English alone is kept (24 columns), short enough
        // for a quotation (40).
        kept_whole_at(
            "写明它针对哪些帧（例如 drop = \"client > server ACK data\"），再运行",
            &["\"client > server ACK data\"）"],
            34..60,
        );
        // The break is before the quote, not inside 报错.
        let lines = wrap(
            "client 的 connect() 失败，报错“Connection refused”（连接被拒绝）。",
            "",
            36,
        );
        assert_eq!(lines[0], "client 的 connect() 失败，报错", "{lines:?}");
        // Numbers before other characters than a unit may end a line.
        let lines = wrap("RFC 5681 的公式 4 写的是 max(FlightSize / 2, 2)", "", 18);
        assert_eq!(lines[0], "RFC 5681 的公式 4", "{lines:?}");
        // Quoted Chinese is prose: it still breaks between characters.
        let lines = wrap("ack=1：“你的 SYN 收到了，接下来请发第 1 字节”。", "", 30);
        assert_eq!(lines[0], "ack=1：“你的 SYN 收到了，接下", "{lines:?}");
    }

    #[test]
    fn chinese_keeps_english_words_between_its_own_whole() {
        // Packets in an exercise's verdict: "server >" | "client FIN,ACK"
        // and "client > server" | "ACK ×34" at 60 columns.
        kept_whole_at(
            "预期 server 发送 FIN，但 5 秒内没有出现。实际看到的是：server > client ACK（携带数据） ×697、\
             server > client FIN,ACK、client > server ACK ×34。",
            &[
                "server > client FIN,ACK、",
                "client > server ACK ×34",
                "） ×697",
            ],
            30..80,
        );
        kept_whole_at(
            "服务器的窗口满了（RFC 9293 §3.8.6）。Wireshark 标记为 TCP Window Full。然后是 tail-loss probe。",
            &[
                "（RFC 9293 §3.8.6）",
                "TCP Window Full。",
                "tail-loss probe。",
            ],
            24..60,
        );
        // A path in a long command breaks at its space, not after a "/".
        let path = "你的程序：`python3 tests/exercises/file-client/slow-reader.py`，扮演 client。";
        kept_whole_at(
            path,
            &["tests/exercises/file-client/slow-reader.py`，"],
            48..70,
        );
        // Wider than the line, a piece breaks: at its spaces first.
        let lines = wrap("然后看到 server > client FIN,ACK 了", "", 12);
        assert_eq!(lines, ["然后看到", "server >", "client", "FIN,ACK 了"]);
    }

    #[test]
    fn chinese_moves_a_long_english_phrase_whole_to_the_next_line() {
        // 33 columns, more than the 24 this once kept: it broke
        // "TCP Previous" | "segment not captured" though the next line
        // had room for all of it.
        let text =
            "也可能在抓包开始之前就已发出。Wireshark 标记为 TCP Previous segment not captured。";
        let lines = wrap(text, "", 56);
        assert_eq!(
            lines,
            [
                "也可能在抓包开始之前就已发出。Wireshark 标记为",
                "TCP Previous segment not captured。",
            ]
        );
        // (Narrower, "Wireshark 标记为" starts a line, too short to end it.)
        kept_whole_at(text, &["TCP Previous segment not captured。"], 48..80);
        // Wider than a line, it breaks at its spaces (never inside a word),
        // and goes on from where the Chinese before it ends.
        let lines = wrap(text, "", 24);
        assert_eq!(
            lines,
            [
                "也可能在抓包开始之前就已",
                "发出。Wireshark 标记为",
                "TCP Previous segment not",
                "captured。",
            ]
        );
        // Moved whole, a phrase would leave the line before it less than
        // half full (a short line, then a long one): it breaks at its
        // spaces instead, as it did before.
        let formula = "窗口减半：ssthresh = max(cwnd / 2, 2) = max(28 / 2, 2) = 14。";
        let lines = wrap(formula, "", 56);
        assert_eq!(
            lines,
            [
                "窗口减半：ssthresh = max(cwnd / 2, 2) = max(28 / 2, 2) =",
                "14。"
            ]
        );
        // With more before it, the line is half full: the formula moves.
        let lines = wrap(&format!("Reno 保留一半窗口，然后{formula}"), "", 56);
        assert_eq!(
            lines,
            [
                "Reno 保留一半窗口，然后窗口减半：",
                "ssthresh = max(cwnd / 2, 2) = max(28 / 2, 2) = 14。"
            ]
        );
        // Broken, a formula breaks between its terms, never inside a call:
        // "max(28 /" | "2, 2) = 14" read as two halves of nothing.
        for width in 20..=56 {
            for line in wrap(formula, "", width) {
                let open = line.matches('(').count();
                assert_eq!(open, line.matches(')').count(), "{width}: {line}");
            }
        }
        // English alone wraps as it always did, at the last space that fits.
        let english = "Wireshark marks it TCP Previous segment not captured.";
        assert_eq!(
            wrap(english, "", 30),
            ["Wireshark marks it TCP", "Previous segment not captured."]
        );
    }

    #[test]
    fn chinese_keeps_a_number_with_its_unit() {
        // "60" | "秒", "第 43441" | "字节", "第" | "2 个" broke so.
        kept_whole_at(
            "主动关闭的一方再等待一段时间（Linux 上为 60 秒），让旧报文段消失。",
            &["60 秒"],
            12..60,
        );
        kept_whole_at(
            "重复 ACK #2：server 仍在等待第 43441 字节。线路会丢掉第 2 个，把第 3 个送达两次。",
            &["第 43441 字节", "第 2 个", "第 3 个"],
            18..60,
        );
        // A ladder note at 60 columns: "请发第 1 字" | "节”。" was cut in 字节.
        kept_whole_at(
            "又有 ack=1：“你的 SYN 收到了，接下来请发第 1 字节”。",
            &["第 1 字节”。"],
            14..40,
        );
        // The count of a packet kept "×34" at a line's start.
        kept_whole_at(
            "实际看到的是：server > client ACK（携带数据） ×697、",
            &["） ×697、"],
            14..40,
        );
    }

    #[test]
    fn chinese_marks_never_end_or_start_a_line_on_the_wrong_side() {
        let text = "连接（“三次握手”）建立后，「客户端」说：“你好”，服务器回答『hi』。\
                    程序调用 recv()，得到 b''；然后 close()！结束？是的、完成";
        // Narrower, a word such as "“你好”，" is wider than the line and cut.
        for width in 10..40 {
            for line in wrap(text, "", width) {
                assert!(
                    !line.starts_with([
                        '，', '。', '：', '；', '！', '？', '、', '）', '」', '』', '”'
                    ]),
                    "{width}: {line}"
                );
                assert!(!line.ends_with(['（', '「', '『', '“']), "{width}: {line}");
            }
        }
    }

    #[test]
    fn chinese_wrapping_survives_odd_pieces() {
        // Unclosed quotes and code, marks and counts at either end, a unit
        // without a number: nothing panics, is lost or overflows.
        let odd = [
            "×34 开头 ×",
            "第",
            "第 ",
            " 1 字节",
            "未闭合的“quote 和 `code 以及 \"straight",
            "”“‘’「」『』``\"\"",
            "9 字节9 字 节 10 毫秒",
            "中 ×",
            "a 中 b “c d” e",
        ];
        for text in odd {
            for width in 1..20 {
                let lines = wrap(text, "", width);
                let squeezed = |s: &str| s.split_whitespace().collect::<String>();
                assert_eq!(squeezed(&lines.concat()), squeezed(text), "{width}: {text}");
                for line in &lines {
                    let one_char = line.chars().count() == 1;
                    assert!(
                        textwrap::core::display_width(line) <= width || one_char,
                        "{width}: {line:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn sentences_get_a_space_only_after_english() {
        let parts = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(join_sentences(&parts(&["One.", "Two."])), "One. Two.");
        assert_eq!(join_sentences(&parts(&["一。", "二。"])), "一。二。");
    }

    #[test]
    fn long_choices_hang_under_their_text() {
        let long =
            "waits, and now and then sends a tiny probe to ask whether the window has opened";
        let lines = hanging("2. ", long, 6, WIDTH);
        assert_eq!(
            lines,
            vec![
                "      2. waits, and now and then sends a tiny probe to ask whether the window",
                "         has opened",
            ]
        );
        assert!(lines.iter().all(|l| l.chars().count() <= WIDTH));
    }

    /// With `--code rust` the IPv6 banner names Rust's types, not
    /// Python's (issue 16, item 8).
    #[test]
    fn the_ipv6_banner_speaks_the_codes_language() {
        let p = Painter::new(false);
        for on_wire in [false, true] {
            let rust = lesson_header(&p, "t", "s", Family::V6, on_wire, code::Lang::Rust).join(" ");
            assert!(rust.contains("SocketAddrV6"), "{rust}");
            assert!(
                !rust.contains("AF_INET6") && !rust.contains("tuple"),
                "{rust}"
            );
            let python =
                lesson_header(&p, "t", "s", Family::V6, on_wire, code::Lang::Python).join(" ");
            assert!(
                python.contains("AF_INET6") && python.contains("4-tuples"),
                "{python}"
            );
        }
    }

    /// The SGR parameters a style writes (`1`, `94`, …).
    fn sgr(style: Style) -> Vec<u8> {
        let text = "x".style(style).to_string();
        text.split('\x1b')
            .filter_map(|part| part.strip_prefix('[')?.split_once('m'))
            .flat_map(|(codes, _)| codes.split(';').map(str::to_string).collect::<Vec<_>>())
            .filter_map(|code| code.parse().ok())
            .filter(|&code| code != 0)
            .collect()
    }

    #[test]
    fn themes_keep_text_readable_on_their_background() {
        use styles::{Theme, all, set_theme};
        for theme in [Theme::Light, Theme::Dark, Theme::Contrast] {
            set_theme(theme);
            for style in all() {
                let codes = sgr(style);
                // Never dim (2), italic (3), blinking or hidden, nor a
                // background of its own.
                for code in &codes {
                    assert!(![2, 3, 5, 8].contains(code), "{theme:?}: {codes:?}");
                    assert!(!(40..=49).contains(code) && !(100..=107).contains(code));
                }
                match theme {
                    // No white, yellow or bright colour on white.
                    Theme::Light => {
                        for code in &codes {
                            assert!(![33, 37].contains(code), "light: {codes:?}");
                            assert!(!(90..=97).contains(code), "light: {codes:?}");
                        }
                    }
                    // No black or dark grey on black.
                    Theme::Dark => assert!(!codes.contains(&30) && !codes.contains(&90)),
                    // No colour at all: bold (1) is the only mark.
                    Theme::Contrast => assert!(codes.iter().all(|&c| c == 1), "{codes:?}"),
                }
            }
            // What a learner reads is in the terminal's own colour.
            for style in [
                styles::note(),
                styles::output(),
                styles::comment(),
                styles::aside(),
            ] {
                assert_eq!(sgr(style), Vec::<u8>::new(), "{theme:?}");
            }
        }
        set_theme(Theme::Dark);
        assert!(sgr(styles::error()).contains(&31), "the codes are read");
    }

    #[test]
    fn colorfgbg_says_which_background_the_terminal_has() {
        use styles::{Theme, from_colorfgbg};
        assert_eq!(from_colorfgbg("0;15"), Some(Theme::Light));
        assert_eq!(from_colorfgbg("0;default;7"), Some(Theme::Light));
        assert_eq!(from_colorfgbg("15;0"), Some(Theme::Dark));
        assert_eq!(from_colorfgbg(""), None);
    }

    #[test]
    fn plain_painter_adds_nothing() {
        assert_eq!(Painter::new(false).paint("SYN", styles::warn()), "SYN");
        assert_ne!(Painter::new(true).paint("SYN", styles::warn()), "SYN");
    }
}
