//! `socklab --help` in the learner's language.
//!
//! English is the source: the doc comments of the command line
//! (`app::Cli`), which clap turns into the help. Another language
//! translates each piece in a catalogue of its own (`help.zh.ftl`), keyed
//! by where the piece is: `help-run-about` for the `run` command's
//! description, `help-run-arg-pcap` for its `--pcap` option, `help-arg-lang`
//! for a global option (`help-` alone is the program itself). clap's own
//! words (the section headings, the help flag, "default" and "possible
//! values") have `clap-` keys. A test checks that the catalogue and the
//! command line have the same pieces, so a new option cannot go
//! untranslated.

use std::sync::OnceLock;

use clap::{Arg, ArgAction, Command};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};

use super::Language;

pub const CHINESE_HELP: &str = include_str!("help.zh.ftl");

/// Where clap puts its own `--help` and `--version`: after every option.
const LAST: usize = 10_000;

/// `command`, with its help (and every subcommand's) in `language`.
pub fn localized(command: Command, language: Language) -> Command {
    match language {
        Language::English => command,
        Language::Chinese => {
            let words = Catalogue::chinese();
            // clap wraps help only at spaces, which Chinese has few of:
            // it is given no width (0: "use source formatting"), and
            // `fitted` breaks the lines it writes.
            let mut command = translated(command.term_width(0), "", &words);
            // clap adds its `help` commands when the command is built.
            command.build();
            help_commands(command, &words)
        }
    }
}

/// The Chinese help fitted to `width` columns. clap breaks help lines only
/// at spaces, which Chinese has few of, so it is given no width (each
/// piece on one line) and each line longer than `width` is broken here,
/// where Chinese may break, with its continuation lines starting under the
/// line's text: an option's help under the help column (after the gap of
/// two or more spaces that follows its name), an item of a list
/// (`- dark：…`) under its value, other lines under their own first
/// character. Colours (ANSI SGR sequences) in the part before the text are
/// kept; a line with colours in its text is left as it is.
pub fn fitted(help: &str, width: usize) -> String {
    let mut out = String::with_capacity(help.len());
    for line in help.split_inclusive('\n') {
        let (line, end) = match line.strip_suffix('\n') {
            Some(line) => (line, "\n"),
            None => (line, ""),
        };
        let line = &chinese_heading(line);
        match fit_line(line, width) {
            Some(lines) => out.push_str(&lines.join("\n")),
            None => out.push_str(line),
        }
        out.push_str(end);
    }
    out
}

/// A section heading clap wrote (`参数:`, at the start of its line) with
/// Chinese punctuation: clap adds an ASCII colon to every heading.
fn chinese_heading(line: &str) -> std::borrow::Cow<'_, str> {
    let starts_with_text = !line.starts_with(' ');
    match line.find(':') {
        Some(at)
            if starts_with_text
                && line[..at].chars().last().is_some_and(|c| {
                    textwrap::core::display_width(c.encode_utf8(&mut [0; 4])) == 2
                }) =>
        {
            format!("{}：{}", &line[..at], &line[at + 1..]).into()
        }
        _ => line.into(),
    }
}

/// `line` broken to `width` (see [`fitted`]), or `None` to keep it whole.
fn fit_line(line: &str, width: usize) -> Option<Vec<String>> {
    // Each visible character with its byte offset in `line`; colour
    // sequences (ESC [ … m) are skipped, as they take no column.
    let mut visible: Vec<(usize, char)> = Vec::new();
    let mut chars = line.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c == '\x1b' {
            for (_, c) in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
            continue;
        }
        visible.push((at, c));
    }
    let plain: String = visible.iter().map(|&(_, c)| c).collect();
    if textwrap::core::display_width(&plain) <= width {
        return None;
    }
    // Where the text starts, in visible characters: after the gap that
    // follows an entry's name, or after the leading spaces.
    let leading = plain.chars().take_while(|&c| c == ' ').count();
    let chars: Vec<char> = plain.chars().collect();
    let gap = (leading..chars.len().saturating_sub(1))
        .find(|&i| chars[i] == ' ' && chars[i + 1] == ' ')
        .map(|i| i + chars[i..].iter().take_while(|&&c| c == ' ').count());
    let start = gap.filter(|&g| g < chars.len()).unwrap_or(leading);
    let columns = |n: usize| textwrap::core::display_width(&chars[..n].iter().collect::<String>());
    let first_indent = columns(start);
    // An item of a list (`- dark：    深色…`, a value and its help)
    // continues under the value, as clap's English does; any other line
    // under its text.
    let item = chars[leading..].starts_with(&['-', ' ']);
    let indent = if item {
        columns(leading + 2)
    } else {
        first_indent
    };
    let text_at = visible.get(start).map_or(line.len(), |&(at, _)| at);
    let (head, text) = line.split_at(text_at);
    // Too narrow a column left for the text: the terminal wraps it.
    if text.contains('\x1b') || first_indent.max(indent) + 20 > width {
        return None;
    }
    let mut lines = crate::render::wrap(text, "", width - first_indent).into_iter();
    let first = lines.next().unwrap_or_default();
    let mut rest: Vec<String> = lines.collect();
    if indent != first_indent && !rest.is_empty() {
        // The rest, in the wider room under the value.
        let text = text.split_ascii_whitespace().collect::<Vec<_>>().join(" ");
        if let Some(after) = text.strip_prefix(first.as_str()) {
            rest = crate::render::wrap(after.trim_start(), "", width - indent);
        }
    }
    let first = format!("{head}{first}");
    Some(
        std::iter::once(first)
            .chain(
                rest.into_iter()
                    .map(|rest| format!("{}{rest}", " ".repeat(indent))),
            )
            .collect(),
    )
}

/// The `help` command clap added to `command` and to each of its commands
/// that has commands of its own.
fn help_commands(mut command: Command, words: &Catalogue) -> Command {
    let names: Vec<String> = command
        .get_subcommands()
        .map(|sub| sub.get_name().to_string())
        .collect();
    for name in names {
        command = command.mut_subcommand(&name, |sub| {
            if name == "help" {
                sub.about(words.word("clap-help-command"))
            } else {
                help_commands(sub, words)
            }
        });
    }
    command
}

/// The key of a piece of help: `help-` for the program, `help-run-` for a
/// command, then `about`, `long-about` or `arg-ID`.
pub fn key(path: &str, piece: &str) -> String {
    if path.is_empty() {
        format!("help-{piece}")
    } else {
        format!("help-{path}-{piece}")
    }
}

pub(super) struct Catalogue {
    bundle: &'static FluentBundle<FluentResource>,
}

impl Catalogue {
    pub(super) fn chinese() -> Catalogue {
        static BUNDLE: OnceLock<FluentBundle<FluentResource>> = OnceLock::new();
        let bundle = BUNDLE.get_or_init(|| super::bundle(unic_langid::langid!("zh"), CHINESE_HELP));
        Catalogue { bundle }
    }

    pub(super) fn get(&self, id: &str, args: Option<&FluentArgs>) -> Option<String> {
        super::formatted(self.bundle, id, args)
    }

    /// The usage line: its heading, and `usage` (clap's).
    pub(super) fn usage(&self, usage: &str) -> String {
        let mut args = FluentArgs::new();
        args.set("usage", usage.to_string());
        self.get("clap-usage", Some(&args))
            .unwrap_or_else(|| format!("Usage: {usage}"))
    }

    /// clap's own word `id`, which the catalogue is tested to have.
    pub(super) fn word(&self, id: &str) -> String {
        self.get(id, None).unwrap_or_else(|| id.to_string())
    }
}

/// `command` at `path` ("" for the program itself), translated.
fn translated(mut command: Command, path: &str, words: &Catalogue) -> Command {
    if let Some(about) = words.get(&key(path, "about"), None) {
        command = command.about(about);
    }
    if let Some(about) = words.get(&key(path, "long-about"), None) {
        command = command.long_about(about);
    }
    let ids: Vec<String> = command
        .get_arguments()
        .map(|arg| arg.get_id().to_string())
        .collect();
    for id in ids {
        let help = words.get(&key(path, &format!("arg-{id}")), None);
        command = command.mut_arg(&id, |arg| translated_arg(arg, path, help, words));
    }
    // clap's own flags, with their help in the language.
    let flag = |id: &'static str, short: char, action: ArgAction, help: &str| {
        Arg::new(id)
            .short(short)
            .long(id)
            .action(action)
            .display_order(LAST)
            .help(words.word(help))
            .help_heading(words.word("clap-options"))
    };
    // The full help (`--help`) says where the summary is, as clap's does.
    command = command.disable_help_flag(true).arg(
        flag("help", 'h', ArgAction::Help, "clap-flag-help")
            .long_help(words.word("clap-flag-help-long")),
    );
    // Only the program itself has a version.
    if path.is_empty() {
        command = command.disable_version_flag(true).arg(flag(
            "version",
            'V',
            ArgAction::Version,
            "clap-flag-version",
        ));
    }
    let names: Vec<String> = command
        .get_subcommands()
        .map(|sub| sub.get_name().to_string())
        .collect();
    for name in names {
        let inner = if path.is_empty() {
            name.clone()
        } else {
            format!("{path}-{name}")
        };
        command = command.mut_subcommand(&name, |sub| translated(sub, &inner, words));
    }
    command
        .subcommand_help_heading(words.word("clap-commands"))
        .help_template(format!(
            "{{before-help}}{{about-with-newline}}\n{}\n\n{{all-args}}{{after-help}}",
            words.usage("{usage}")
        ))
}

/// One argument: its help, its section's heading, and its default and
/// possible values written in the language (clap writes them in English).
/// When its values have help of their own (`--theme`, `--code`), the full
/// help lists them as clap's English does, each with its sentence
/// (`help-arg-theme-dark`); the summary (`-h`) only names them, as clap's
/// does.
fn translated_arg(mut arg: Arg, path: &str, help: Option<String>, words: &Catalogue) -> Arg {
    let mut help = help.or_else(|| arg.get_help().map(ToString::to_string));
    let mut long_help = None;
    if arg.get_action().takes_values() {
        let defaults: Vec<String> = arg
            .get_default_values()
            .iter()
            .map(|v| v.to_string_lossy().into_owned())
            .collect();
        let default = (!defaults.is_empty() && !arg.is_hide_default_value_set())
            .then(|| {
                let mut args = FluentArgs::new();
                args.set("value", defaults.join(" "));
                words.get("clap-default", Some(&args))
            })
            .flatten();
        let possible: Vec<String> = arg
            .get_possible_values()
            .iter()
            .filter(|v| !v.is_hide_set())
            .map(|v| v.get_name().to_string())
            .collect();
        let named = (!possible.is_empty() && !arg.is_hide_possible_values_set())
            .then(|| {
                let mut args = FluentArgs::new();
                args.set("values", super::listed_in(Language::Chinese, possible));
                words.get("clap-possible", Some(&args))
            })
            .flatten();
        let with_notes = |help: &Option<String>, notes: Vec<&String>| {
            if notes.is_empty() {
                return help.clone();
            }
            let mut args = FluentArgs::new();
            args.set("help", help.clone().unwrap_or_default());
            let notes: Vec<&str> = notes.into_iter().map(String::as_str).collect();
            args.set("notes", notes.join(&words.word("clap-note-separator")));
            words.get("clap-with-notes", Some(&args))
        };
        // The full help lists the values with their sentences under the
        // help, which keeps only the default in its note.
        if let Some(list) = value_list(&arg, path, words) {
            let long = with_notes(&help, default.iter().collect()).unwrap_or_default();
            long_help = Some(format!("{long}\n\n{list}"));
        }
        help = with_notes(&help, default.iter().chain(named.iter()).collect());
        arg = arg.hide_default_value(true).hide_possible_values(true);
    }
    let heading = if arg.is_positional() {
        words.word("clap-arguments")
    } else {
        words.word("clap-options")
    };
    arg = arg.help_heading(heading);
    if let Some(help) = help {
        arg = arg.help(help);
    }
    match long_help {
        Some(long) => arg.long_help(long),
        None => arg,
    }
}

/// The full help's list of `arg`'s values, each with its sentence from the
/// catalogue, as clap writes it (`- dark:     Light text…`): the values as
/// they are typed, their sentences in one column. `None` when no value has
/// help of its own (clap then only names them) or one of the sentences is
/// missing from the catalogue (a test sees that none is).
fn value_list(arg: &Arg, path: &str, words: &Catalogue) -> Option<String> {
    let values: Vec<_> = arg
        .get_possible_values()
        .into_iter()
        .filter(|v| !v.is_hide_set())
        .collect();
    if arg.is_hide_possible_values_set() || !values.iter().any(|v| v.get_help().is_some()) {
        return None;
    }
    let widest = values.iter().map(|v| v.get_name().len()).max()?;
    let mut list = words.word("clap-possible-list");
    for value in &values {
        let name = value.get_name();
        let help = words.get(&value_key(path, arg.get_id().as_str(), name), None)?;
        let pad = " ".repeat(widest - name.len());
        list.push_str(&format!(
            "\n- {name}{}{pad}{help}",
            words.word("clap-value-colon")
        ));
    }
    Some(list)
}

/// The key of the help of `value`, one of the values of argument `id`:
/// `help-arg-theme-dark`, `help-run-arg-code-python`.
pub fn value_key(path: &str, id: &str, value: &str) -> String {
    key(path, &format!("arg-{id}-{value}"))
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_chinese_heading_gets_a_chinese_colon_and_nothing_else_does() {
        use super::chinese_heading;
        assert_eq!(chinese_heading("参数:"), "参数：");
        assert_eq!(
            chinese_heading("\x1b[1m\x1b[4m选项:\x1b[0m"),
            "\x1b[1m\x1b[4m选项：\x1b[0m"
        );
        // An option's line, English, or a colon inside a sentence stays.
        assert_eq!(
            chinese_heading("  --all  说明: 见下"),
            "  --all  说明: 见下"
        );
        assert_eq!(chinese_heading("Usage: socklab"), "Usage: socklab");
        assert_eq!(chinese_heading("abc 说明"), "abc 说明");
    }
    use super::*;

    #[test]
    fn a_long_chinese_help_line_is_broken_under_its_text() {
        let help = format!(
            "用法：socklab run\n      --theme <THEME>  {}\n  -h, --help  短\n",
            "适合深色或浅色背景的配色（投影仪通常是浅色）：`light` 不用白色、黄色和亮色"
        );
        let fitted = fitted(&help, 50);
        let lines: Vec<&str> = fitted.lines().collect();
        assert_eq!(lines[0], "用法：socklab run");
        assert!(
            lines[1].starts_with("      --theme <THEME>  适合"),
            "{fitted}"
        );
        // Every continuation starts under the help's first character.
        let continued: Vec<&&str> = lines[2..lines.len() - 1].iter().collect();
        assert!(continued.len() >= 2, "{fitted}");
        for line in &continued {
            assert!(line.starts_with(&" ".repeat(23)), "{fitted}");
            assert!(!line[23..].starts_with(' '), "{fitted}");
        }
        for line in &lines {
            assert!(textwrap::core::display_width(line) <= 50, "{line}");
        }
        assert_eq!(lines[lines.len() - 1], "  -h, --help  短");
        assert!(fitted.ends_with('\n'));
        // No text lost or added but the breaks.
        let squeezed = |t: &str| t.split_whitespace().collect::<String>();
        assert_eq!(squeezed(&fitted), squeezed(&help));
    }

    #[test]
    fn an_item_of_a_list_keeps_its_column_and_goes_on_under_its_value() {
        let line =
            "          - light：   浅色背景（以及大多数投影仪）上的深色文字：不用白色、黄色和亮色";
        let fitted = fitted(line, 50);
        let lines: Vec<&str> = fitted.lines().collect();
        assert!(
            lines[0].starts_with("          - light：   浅色"),
            "{fitted}"
        );
        assert!(lines.len() >= 2, "{fitted}");
        for line in &lines[1..] {
            assert!(line.starts_with(&" ".repeat(12)), "{fitted}");
            assert!(!line[12..].starts_with(' '), "{fitted}");
        }
        for line in &lines {
            assert!(textwrap::core::display_width(line) <= 50, "{line}");
        }
        let squeezed = |t: &str| t.split_whitespace().collect::<String>();
        assert_eq!(squeezed(&fitted), squeezed(line));
    }

    #[test]
    fn colours_before_the_text_are_kept_and_a_line_that_fits_is_untouched() {
        let line = "  \x1b[1m-h, --help\x1b[0m  显示帮助显示帮助显示帮助显示帮助显示帮助";
        let fitted = fitted(line, 40);
        assert!(
            fitted.starts_with("  \x1b[1m-h, --help\x1b[0m  显示"),
            "{fitted:?}"
        );
        assert!(
            fitted.lines().nth(1).unwrap().starts_with(&" ".repeat(14)),
            "{fitted:?}"
        );
        assert_eq!(super::fitted("短\n", 30), "短\n");
    }

    #[test]
    fn the_chinese_help_parses() {
        if let Err((_, errors)) = FluentResource::try_new(CHINESE_HELP.to_string()) {
            panic!("help.zh.ftl: {errors:?}");
        }
        let words = Catalogue::chinese();
        let mut args = FluentArgs::new();
        args.set("value", "auto");
        assert_eq!(
            words.get("clap-default", Some(&args)).as_deref(),
            Some("默认：auto")
        );
    }
}
