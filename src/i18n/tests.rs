//! The catalogues agree with each other and with the code: every message
//! is in both languages with the same arguments, and every message the
//! code calls exists with the arguments the code gives it.

use std::collections::{BTreeMap, BTreeSet};

use fluent_syntax::ast;

use super::*;

/// Each message's id and the variables it uses.
fn messages(source: &str, name: &str) -> BTreeMap<String, BTreeSet<String>> {
    let resource = fluent_syntax::parser::parse(source)
        .unwrap_or_else(|(_, errors)| panic!("{name} does not parse: {errors:?}"));
    let mut found = BTreeMap::new();
    for entry in resource.body {
        match entry {
            ast::Entry::Message(message) => {
                let mut vars = BTreeSet::new();
                if let Some(pattern) = &message.value {
                    variables(pattern, &mut vars);
                }
                assert!(
                    found.insert(message.id.name.to_string(), vars).is_none(),
                    "{name}: `{}` twice",
                    message.id.name
                );
            }
            ast::Entry::Junk { content } => panic!("{name}: cannot read `{content}`"),
            _ => {}
        }
    }
    found
}

fn variables(pattern: &ast::Pattern<&str>, vars: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_variables(expression, vars);
        }
    }
}

fn expression_variables(expression: &ast::Expression<&str>, vars: &mut BTreeSet<String>) {
    match expression {
        ast::Expression::Inline(inline) => inline_variables(inline, vars),
        ast::Expression::Select { selector, variants } => {
            inline_variables(selector, vars);
            for variant in variants {
                variables(&variant.value, vars);
            }
        }
    }
}

fn inline_variables(inline: &ast::InlineExpression<&str>, vars: &mut BTreeSet<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            vars.insert(id.name.to_string());
        }
        ast::InlineExpression::Placeable { expression } => expression_variables(expression, vars),
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for arg in &arguments.positional {
                inline_variables(arg, vars);
            }
        }
        _ => {}
    }
}

#[test]
fn both_languages_have_every_message_with_the_same_arguments() {
    let english = messages(ENGLISH, "en.ftl");
    let chinese = messages(CHINESE, "zh.ftl");
    let only_english: Vec<&String> = english
        .keys()
        .filter(|k| !chinese.contains_key(*k))
        .collect();
    let only_chinese: Vec<&String> = chinese
        .keys()
        .filter(|k| !english.contains_key(*k))
        .collect();
    assert!(
        only_english.is_empty(),
        "missing in zh.ftl: {only_english:?}"
    );
    assert!(
        only_chinese.is_empty(),
        "missing in en.ftl: {only_chinese:?}"
    );
    for (id, vars) in &english {
        assert_eq!(vars, &chinese[id], "`{id}` uses other arguments in zh.ftl");
    }
}

/// The calls `t!("id", a = …, b = …)` in the source, with their argument
/// names, and where they are.
fn calls() -> Vec<(String, String, BTreeSet<String>)> {
    let mut found = Vec::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut dirs = vec![root];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                // The catalogue's own module explains `t!` with examples.
                if !path.ends_with("i18n") {
                    dirs.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for (at, _) in text.match_indices("t!(\"") {
                    // Not a longer macro's name that ends in `t`.
                    let before = text[..at].chars().last();
                    if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                        continue;
                    }
                    let rest = &text[at + 4..];
                    let id = rest[..rest.find('"').unwrap()].to_string();
                    let mut depth = 1;
                    let mut end = 0;
                    for (i, c) in rest.char_indices() {
                        match c {
                            '(' | '[' | '{' => depth += 1,
                            ')' | ']' | '}' => {
                                depth -= 1;
                                if depth == 0 {
                                    end = i;
                                    break;
                                }
                            }
                            _ => {}
                        }
                    }
                    let args = &rest[..end];
                    let names = regex_names(args);
                    found.push((format!("{}", path.display()), id, names));
                }
            }
        }
    }
    found
}

/// The `name = ` arguments of a `t!` call's text.
fn regex_names(args: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut depth = 0;
    let chars: Vec<char> = args.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                let rest: String = chars[i + 1..].iter().collect();
                let rest = rest.trim_start();
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() && rest[name.len()..].trim_start().starts_with('=') {
                    names.insert(name);
                }
            }
            _ => {}
        }
        i += 1;
    }
    names
}

#[test]
fn every_message_the_code_calls_exists_with_its_arguments() {
    let english = messages(ENGLISH, "en.ftl");
    let calls = calls();
    assert!(
        calls.len() > 50,
        "the scan found the calls: {}",
        calls.len()
    );
    for (file, id, names) in calls {
        let Some(vars) = english.get(&id) else {
            panic!("{file}: `{id}` is not in en.ftl");
        };
        assert_eq!(
            &names, vars,
            "{file}: `{id}` is given {names:?}, the message uses {vars:?}"
        );
    }
}

#[test]
fn the_locale_chooses_the_language() {
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        }
    };
    let chinese = Language::Chinese;
    let english = Language::English;
    for (pairs, expected) in [
        (&[("LANG", "zh_CN.UTF-8")][..], chinese),
        (&[("LANG", "zh_SG")][..], chinese),
        (&[("LANG", "zh_TW.UTF-8")][..], chinese),
        (&[("LC_ALL", "zh-Hans")][..], chinese),
        (&[("LC_MESSAGES", "zh")][..], chinese),
        (
            &[("LANG", "en_GB.UTF-8"), ("LANGUAGE", "zh_CN:en")][..],
            chinese,
        ),
        (&[("LANG", "C"), ("LANGUAGE", "zh_CN")][..], english),
        (&[("LC_ALL", "POSIX")][..], english),
        (&[("LANG", "")][..], english),
        (&[("LANG", "de_DE.UTF-8")][..], english),
        (&[("LANG", "%%garbage!!")][..], english),
        (
            &[("LC_ALL", "en_US.UTF-8"), ("LANG", "zh_CN.UTF-8")][..],
            english,
        ),
        (&[][..], english),
    ] {
        assert_eq!(Language::from_locale(env(pairs)), expected, "{pairs:?}");
    }
}

#[test]
fn numbers_are_written_as_they_are() {
    let text = message_in(
        Language::English,
        "test-number",
        &[("n", FluentValue::from(4294967295u32))],
    );
    assert_eq!(text, "4294967295");
}

/// A message id written twice in a catalogue is a bug Fluent does not
/// report: one of the two is silently used (a duplicate `note-data` once
/// printed its arguments unresolved).
#[test]
fn no_message_is_defined_twice() {
    for (text, file) in [(ENGLISH, "en.ftl"), (CHINESE, "zh.ftl")] {
        let mut seen = std::collections::HashSet::new();
        for line in text.lines() {
            let Some((id, _)) = line.split_once(" =") else {
                continue;
            };
            if id.is_empty() || id.starts_with([' ', '#', '*', '[']) {
                continue;
            }
            assert!(seen.insert(id), "{file}: `{id}` is defined twice");
        }
        assert!(seen.len() > 100, "{file}: the ids are read");
    }
}
