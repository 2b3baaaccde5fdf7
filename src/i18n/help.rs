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
            // its lines are left to the terminal, which can break them
            // anywhere (0: "use source formatting").
            let mut command = translated(command.term_width(0), "", &words);
            // clap adds its `help` commands when the command is built.
            command.build();
            help_commands(command, &words)
        }
    }
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
        command = command.mut_arg(&id, |arg| translated_arg(arg, help, words));
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
    command =
        command
            .disable_help_flag(true)
            .arg(flag("help", 'h', ArgAction::Help, "clap-flag-help"));
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
            "{{before-help}}{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
            words.word("clap-usage")
        ))
}

/// One argument: its help, its section's heading, and its default and
/// possible values written in the language (clap writes them in English).
fn translated_arg(mut arg: Arg, help: Option<String>, words: &Catalogue) -> Arg {
    let mut help = help.or_else(|| arg.get_help().map(ToString::to_string));
    if arg.get_action().takes_values() {
        let mut notes = Vec::new();
        let defaults: Vec<String> = arg
            .get_default_values()
            .iter()
            .map(|v| v.to_string_lossy().into_owned())
            .collect();
        if !defaults.is_empty() && !arg.is_hide_default_value_set() {
            let mut args = FluentArgs::new();
            args.set("value", defaults.join(" "));
            notes.push(words.get("clap-default", Some(&args)));
        }
        let possible: Vec<String> = arg
            .get_possible_values()
            .iter()
            .filter(|v| !v.is_hide_set())
            .map(|v| v.get_name().to_string())
            .collect();
        if !possible.is_empty() && !arg.is_hide_possible_values_set() {
            let mut args = FluentArgs::new();
            args.set("values", super::listed_in(Language::Chinese, possible));
            notes.push(words.get("clap-possible", Some(&args)));
        }
        let notes: Vec<String> = notes.into_iter().flatten().collect();
        if !notes.is_empty() {
            let mut args = FluentArgs::new();
            args.set("help", help.unwrap_or_default());
            args.set("notes", notes.join(&words.word("clap-note-separator")));
            help = words.get("clap-with-notes", Some(&args));
        }
        arg = arg.hide_default_value(true).hide_possible_values(true);
    }
    let heading = if arg.is_positional() {
        words.word("clap-arguments")
    } else {
        words.word("clap-options")
    };
    arg = arg.help_heading(heading);
    match help {
        Some(help) => arg.help(help),
        None => arg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
