//! The command line's own mistakes (an unknown option, a value that is not
//! one of the choices, a misspelt command) in the learner's language.
//!
//! clap writes these itself, in English. It lets a program write them its
//! own way instead ([`ErrorFormatter`]): the error carries its kind and the
//! pieces of its sentence (the option, the value, the near spellings),
//! each of which goes into a message of the help's catalogue
//! (`help.zh.ftl`, keys `clap-error-…`). A kind this does not know keeps
//! clap's English, whole, rather than half a sentence.

use std::fmt::Write as _;
use std::io::Write as _;

use clap::builder::{StyledStr, Styles};
use clap::error::{ContextKind, ContextValue, Error, ErrorFormatter, ErrorKind};
use fluent_bundle::FluentArgs;

use super::Language;
use super::help::Catalogue;

/// Where the help is shown: how wide, and whether in colour.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub width: usize,
    pub color: bool,
}

/// Prints `error` in `language` and ends the process, as clap's own
/// `Error::exit` does: the help and the version on standard output with
/// status 0, a mistake on standard error with status 2. The Chinese help
/// is fitted to the page (see [`super::help::fitted`]).
pub fn exit(error: clap::Error, language: Language, page: Page) -> ! {
    let help = matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    );
    match language {
        Language::Chinese if help => {
            let rendered = error.render();
            let text = if page.color {
                rendered.ansi().to_string()
            } else {
                rendered.to_string()
            };
            let text = super::help::fitted(&text, page.width);
            // A closed pipe (`socklab -h | head`) is not a failure.
            let _ = if error.use_stderr() {
                std::io::stderr().lock().write_all(text.as_bytes())
            } else {
                std::io::stdout().lock().write_all(text.as_bytes())
            };
            std::process::exit(error.exit_code())
        }
        Language::Chinese if sentence(&error, &Catalogue::chinese()).is_some() => {
            error.apply::<Chinese>().exit()
        }
        _ => error.exit(),
    }
}

/// clap's error, written from the help's Chinese catalogue.
struct Chinese;

impl ErrorFormatter for Chinese {
    fn format_error(error: &Error<Chinese>) -> StyledStr {
        let words = Catalogue::chinese();
        // `exit` applies this formatter only to an error that has a
        // sentence; clap's short English for its kind, should one not.
        let sentence = sentence(error, &words)
            .or_else(|| error.kind().as_str().map(str::to_string))
            .unwrap_or_default();
        let styles = Styles::styled();
        let (bad, good) = (styles.get_error(), styles.get_valid());
        let mut out = StyledStr::new();
        let _ = write!(out, "{bad}{}{bad:#}{sentence}", words.word("clap-error"));
        let tips = tips(error, &words);
        if !tips.is_empty() {
            out.push_str("\n");
        }
        for tip in tips {
            let _ = write!(
                out,
                "\n  {good}{}{good:#}{tip}",
                words.word("clap-error-tip")
            );
        }
        if let Some(ContextValue::StyledStr(usage)) = error.get(ContextKind::Usage) {
            // clap's usage line begins with its own heading.
            let usage = usage.to_string();
            let line = usage.strip_prefix("Usage:").unwrap_or(&usage).trim_start();
            let _ = write!(out, "\n\n{}", words.usage(line));
        }
        let _ = write!(out, "\n\n{}\n", words.word("clap-error-more"));
        out
    }
}

/// What went wrong, in a sentence; `None` for what is not a mistake (the
/// help, the version), an I/O error, and a kind (or a shape of context)
/// clap might add that has no message here.
///
/// The messages name their pieces by what they are, which gives each its
/// colour as in clap's English: `$typed` is what the learner typed
/// (yellow), `$arg` an option or command as the help writes it (bold), and
/// `$names` the right ones to use (green, each).
fn sentence<F: ErrorFormatter>(error: &Error<F>, words: &Catalogue) -> Option<String> {
    let text = |kind| match error.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        _ => None,
    };
    let number = |kind| match error.get(kind) {
        Some(ContextValue::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let list = |kind| match error.get(kind) {
        Some(ContextValue::Strings(all)) if !all.is_empty() => Some(names(all, false)),
        _ => None,
    };
    let say = |id: &str, pieces: &[(&str, String)]| say(words, id, pieces);
    let arg = text(ContextKind::InvalidArg);
    let value = text(ContextKind::InvalidValue);
    match error.kind() {
        ErrorKind::UnknownArgument => say("clap-error-unknown-argument", &[("typed", arg?)]),
        ErrorKind::InvalidValue => {
            let (arg, value) = (arg?, value?);
            let mut sentence = if value.is_empty() {
                say("clap-error-value-missing", &[("arg", arg)])?
            } else {
                say(
                    "clap-error-invalid-value",
                    &[("arg", arg), ("typed", value)],
                )?
            };
            if let Some(values) = list(ContextKind::ValidValue) {
                sentence += &format!("\n  {}", say("clap-possible", &[("values", values)])?);
            }
            Some(sentence)
        }
        ErrorKind::ValueValidation => {
            let reason = std::error::Error::source(error).map(|source| reason(source, words));
            let sentence = say(
                "clap-error-invalid-value",
                &[("arg", arg?), ("typed", value?)],
            )?;
            Some(match reason {
                Some(reason) => format!("{sentence}{}{reason}", words.word("clap-error-because")),
                None => sentence,
            })
        }
        ErrorKind::InvalidSubcommand => say(
            "clap-error-unknown-command",
            &[("typed", text(ContextKind::InvalidSubcommand)?)],
        ),
        ErrorKind::MissingSubcommand => {
            let mut sentence = say(
                "clap-error-command-missing",
                &[("arg", text(ContextKind::InvalidSubcommand)?)],
            )?;
            if let Some(commands) = list(ContextKind::ValidSubcommand) {
                sentence += &format!(
                    "\n  {}",
                    say("clap-error-commands", &[("names", commands)])?
                );
            }
            Some(sentence)
        }
        ErrorKind::MissingRequiredArgument => say(
            "clap-error-required",
            &[("names", list(ContextKind::InvalidArg)?)],
        ),
        ErrorKind::ArgumentConflict => {
            let arg = arg.or_else(|| text(ContextKind::InvalidSubcommand))?;
            match error.get(ContextKind::PriorArg) {
                Some(ContextValue::String(prior)) if *prior == arg => {
                    say("clap-error-repeated", &[("typed", arg)])
                }
                Some(ContextValue::String(prior)) => say(
                    "clap-error-conflict",
                    &[("typed", arg), ("others", names(&[prior], true))],
                ),
                Some(ContextValue::Strings(prior)) => say(
                    "clap-error-conflict",
                    &[("typed", arg), ("others", names(prior, true))],
                ),
                _ => say("clap-error-conflict-others", &[("typed", arg)]),
            }
        }
        ErrorKind::NoEquals => say("clap-error-no-equals", &[("arg", arg?)]),
        ErrorKind::TooManyValues => say("clap-error-too-many", &[("arg", arg?), ("typed", value?)]),
        ErrorKind::TooFewValues => say(
            "clap-error-too-few",
            &[
                ("arg", arg?),
                ("wanted", number(ContextKind::MinValues)?),
                ("given", number(ContextKind::ActualNumValues)?),
            ],
        ),
        ErrorKind::WrongNumberOfValues => say(
            "clap-error-wrong-number",
            &[
                ("arg", arg?),
                ("wanted", number(ContextKind::ExpectedNumValues)?),
                ("given", number(ContextKind::ActualNumValues)?),
            ],
        ),
        ErrorKind::InvalidUtf8 => words.get("clap-error-utf8", None),
        _ => None,
    }
}

/// Message `id` with its pieces, `$typed` and `$arg` coloured (see
/// [`sentence`]).
fn say(words: &Catalogue, id: &str, pieces: &[(&str, String)]) -> Option<String> {
    let styles = Styles::styled();
    let mut args = FluentArgs::new();
    for (name, value) in pieces {
        let style = match *name {
            "typed" => styles.get_invalid(),
            "arg" => styles.get_literal(),
            _ => &clap::builder::styling::Style::new(),
        };
        args.set(*name, format!("{style}{value}{style:#}"));
    }
    words.get(id, Some(&args))
}

/// Names in a list (、 between them), each coloured: green for the right
/// ones to use, yellow for the learner's own (`typed`), quoted when
/// `quoted`.
fn names<S: AsRef<str>>(all: &[S], typed: bool) -> String {
    let styles = Styles::styled();
    let style = if typed {
        styles.get_invalid()
    } else {
        styles.get_valid()
    };
    let quote = if typed { "'" } else { "" };
    super::listed_in(
        Language::Chinese,
        all.iter()
            .map(|name| format!("{quote}{style}{}{style:#}{quote}", name.as_ref())),
    )
}

/// Why a value was refused. socklab's own value parsers already speak the
/// language; a number that does not parse is said here.
fn reason(source: &(dyn std::error::Error + 'static), words: &Catalogue) -> String {
    use std::num::{IntErrorKind, ParseFloatError, ParseIntError};
    if let Some(e) = source.downcast_ref::<ParseIntError>() {
        return words.word(match e.kind() {
            IntErrorKind::PosOverflow | IntErrorKind::NegOverflow => "clap-error-number-too-large",
            _ => "clap-error-not-a-number",
        });
    }
    if source.downcast_ref::<ParseFloatError>().is_some() {
        return words.word("clap-error-not-a-number");
    }
    source.to_string()
}

/// The tips clap adds: a near spelling, or how to pass a value that looks
/// like an option.
fn tips<F: ErrorFormatter>(error: &Error<F>, words: &Catalogue) -> Vec<String> {
    let near = |kind, id: &str| -> Option<String> {
        let found = match error.get(kind)? {
            ContextValue::String(name) => vec![format!("'{name}'")],
            ContextValue::Strings(all) if !all.is_empty() => {
                all.iter().map(|name| format!("'{name}'")).collect()
            }
            _ => return None,
        };
        say(words, id, &[("names", names(&found, false))])
    };
    let mut tips: Vec<String> = [
        near(ContextKind::SuggestedSubcommand, "clap-error-near-command"),
        near(ContextKind::SuggestedArg, "clap-error-near-argument"),
        near(ContextKind::SuggestedValue, "clap-error-near-value"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if let Some(ContextValue::StyledStrs(suggested)) = error.get(ContextKind::Suggested) {
        tips.extend(
            suggested
                .iter()
                .map(|tip| suggested_tip(&tip.to_string(), words)),
        );
    }
    tips
}

/// One of clap's ready-written tips, recognised by its words (clap makes
/// three: `to pass 'X' as a value, use 'Y'`, `'S F' exists`, and
/// `subcommand 'S' exists; to use it, remove the '--' before it`) and
/// written again from the pieces in quotes. A tip not recognised stays as
/// clap wrote it.
fn suggested_tip(tip: &str, words: &Catalogue) -> String {
    // The pieces between quotes: 'a', 'b'.
    let quoted: Vec<&str> = tip.split('\'').skip(1).step_by(2).collect();
    let say = |id: &str, names: &[&str]| {
        let pieces: Vec<(&str, String)> = names
            .iter()
            .zip(&quoted)
            .map(|(name, value)| (*name, value.to_string()))
            .collect();
        say(words, id, &pieces)
    };
    let translated = match quoted.len() {
        2 if tip.starts_with("to pass ") => say("clap-error-pass-as-value", &["typed", "arg"]),
        1 if tip.ends_with(" exists") => say("clap-error-exists", &["arg"]),
        2 if tip.starts_with("subcommand ") => say("clap-error-remove-dashes", &["arg"]),
        _ => None,
    };
    translated.unwrap_or_else(|| tip.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` without its colours (SGR sequences, `ESC [ … m`).
    fn plain(text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(at) = rest.find('\x1b') {
            out.push_str(&rest[..at]);
            rest = rest[at..].split_once('m').map_or("", |(_, after)| after);
        }
        out + rest
    }

    #[test]
    fn each_of_claps_ready_written_tips_is_recognised() {
        let words = Catalogue::chinese();
        for (english, chinese) in [
            (
                "to pass '--bogus' as a value, use '-- --bogus'",
                "要把 '--bogus' 当作一个值，写成 '-- --bogus'",
            ),
            ("'run --ipv6' exists", "有 'run --ipv6' 这种写法"),
            (
                "subcommand 'run' exists; to use it, remove the '--' before it",
                "有 'run' 这个命令；要用它，去掉它前面的 '--'",
            ),
            ("a tip clap adds later", "a tip clap adds later"),
        ] {
            assert_eq!(plain(&suggested_tip(english, &words)), chinese);
        }
    }
}
