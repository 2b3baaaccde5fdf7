//! The languages socklab speaks: every sentence it writes itself is a
//! message in a catalogue per language (`en.ftl`, `zh.ftl`, in Project
//! Fluent's syntax), English the source and the fallback. A message is
//! called by its id with named arguments: `t!("note-data", s = "client",
//! len = 5)`. The language is chosen once per process, from `--lang` or the
//! learner's locale, the way Unix programs choose it.
//!
//! Fluent (Mozilla's localisation system, `fluent-bundle` its reference
//! implementation) is chosen because a message is a whole sentence with
//! its own grammar in each language: English plurals, a Chinese sentence
//! whose word order differs, are written by the translator, not glued
//! together by the program.

pub mod clap_errors;
pub mod glossary;
pub mod help;

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// The catalogues, compiled into the binary.
pub const ENGLISH: &str = include_str!("en.ftl");
pub const CHINESE: &str = include_str!("zh.ftl");

/// A language socklab speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    #[default]
    English,
    /// Simplified Chinese (zh-Hans), the tutorials' language.
    Chinese,
}

impl Language {
    /// The code lessons' `[translations.CODE]` use for it.
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Chinese => "zh",
        }
    }

    /// The language a code or locale names, if socklab speaks it: `zh`,
    /// `zh-Hans`, `zh_CN.UTF-8`, `zh_SG`… are Chinese (Simplified; a
    /// Traditional locale such as `zh_TW` gets Simplified Chinese too,
    /// closer to its reader than English); `en…` is English.
    pub fn from_code(code: &str) -> Option<Language> {
        let code = code.trim();
        // `zh_CN.UTF-8@euro`: the language is what comes before `_`, `-`,
        // `.` or `@`.
        let lang = code
            .split(['_', '-', '.', '@'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match lang.as_str() {
            "zh" => Some(Language::Chinese),
            "en" => Some(Language::English),
            _ => None,
        }
    }

    /// The language the locale asks for, as gettext reads it: `LANGUAGE`
    /// (a list, the first one socklab speaks) unless the locale is `C` or
    /// `POSIX`; then `LC_ALL`, `LC_MESSAGES`, `LANG`, the first one set.
    /// Anything socklab does not speak is English, without an error.
    pub fn from_locale(var: impl Fn(&str) -> Option<String>) -> Language {
        let set = |name: &str| var(name).filter(|v| !v.trim().is_empty());
        let locale = set("LC_ALL")
            .or_else(|| set("LC_MESSAGES"))
            .or_else(|| set("LANG"));
        if let Some(locale) = &locale
            && matches!(locale.trim(), "C" | "POSIX" | "C.UTF-8" | "C.utf8")
        {
            return Language::English;
        }
        if let Some(list) = set("LANGUAGE")
            && let Some(lang) = list.split(':').find_map(Language::from_code)
        {
            return lang;
        }
        locale
            .as_deref()
            .and_then(Language::from_code)
            .unwrap_or_default()
    }
}

/// The language of this process, chosen once.
static LANGUAGE: AtomicU8 = AtomicU8::new(0);

/// Chooses the language every message is written in from now on.
pub fn set_language(language: Language) {
    LANGUAGE.store(
        match language {
            Language::English => 0,
            Language::Chinese => 1,
        },
        Ordering::Relaxed,
    );
}

/// The language messages are written in.
pub fn language() -> Language {
    match LANGUAGE.load(Ordering::Relaxed) {
        1 => Language::Chinese,
        _ => Language::English,
    }
}

struct Catalogues {
    english: FluentBundle<FluentResource>,
    chinese: FluentBundle<FluentResource>,
}

fn bundle(lang: unic_langid::LanguageIdentifier, source: &str) -> FluentBundle<FluentResource> {
    let mut bundle = FluentBundle::new_concurrent(vec![lang]);
    // Unicode isolation marks around arguments are for bidirectional
    // text; on a terminal they would show as stray characters.
    bundle.set_use_isolating(false);
    // The catalogues are tested (every message parses, in both languages):
    // a message that did not parse is left out, and the English one used.
    let resource = FluentResource::try_new(source.to_string()).unwrap_or_else(|(res, _)| res);
    let _ = bundle.add_resource(resource);
    bundle
}

fn catalogues() -> &'static Catalogues {
    static CATALOGUES: OnceLock<Catalogues> = OnceLock::new();
    CATALOGUES.get_or_init(|| Catalogues {
        english: bundle(unic_langid::langid!("en"), ENGLISH),
        chinese: bundle(unic_langid::langid!("zh"), CHINESE),
    })
}

/// Message `id` with `args`, in the process's language (English when the
/// message is missing there). An unknown id is written as itself, which
/// tests catch.
pub fn message(id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    message_in(language(), id, args)
}

/// Message `id` in `language`.
pub fn message_in(language: Language, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    let catalogues = catalogues();
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        fluent_args.set(*name, value.clone());
    }
    let bundles = match language {
        Language::Chinese => [&catalogues.chinese, &catalogues.english],
        Language::English => [&catalogues.english, &catalogues.english],
    };
    bundles
        .into_iter()
        .find_map(|bundle| formatted(bundle, id, Some(&fluent_args)))
        .unwrap_or_else(|| id.to_string())
}

/// Message `id` of `bundle` with `args`, if the bundle has it.
fn formatted(
    bundle: &FluentBundle<FluentResource>,
    id: &str,
    args: Option<&FluentArgs>,
) -> Option<String> {
    let pattern = bundle.get_message(id)?.value()?;
    let mut errors = Vec::new();
    Some(
        bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned(),
    )
}

/// Names listed as `language` lists them: "client, server"; in Chinese
/// "client、server".
pub fn listed_in<S: AsRef<str>>(language: Language, names: impl IntoIterator<Item = S>) -> String {
    let separator = message_in(language, "list-separator", &[]);
    names
        .into_iter()
        .map(|name| name.as_ref().to_string())
        .collect::<Vec<_>>()
        .join(&separator)
}

/// Names listed in the process's language.
pub fn listed<S: AsRef<str>>(names: impl IntoIterator<Item = S>) -> String {
    listed_in(language(), names)
}

/// A message of the catalogue: `t!("id")`, or `t!("id", name = value, …)`
/// with values that Fluent takes (strings, numbers).
#[macro_export]
macro_rules! t {
    ($id:literal) => {
        $crate::i18n::message($id, &[])
    };
    ($id:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::message(
            $id,
            &[$((stringify!($name), ::fluent_bundle::FluentValue::from($value))),+],
        )
    };
}

#[cfg(test)]
mod tests;
