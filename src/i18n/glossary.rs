//! The terms socklab uses, in English and Chinese with a line of
//! explanation each (`glossary.toml`, compiled in): `socklab glossary`
//! lists them, and a Chinese run glosses each TCP state the first time the
//! ladder shows it.

use serde::Deserialize;

const GLOSSARY: &str = include_str!("glossary.toml");

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    pub en: String,
    /// The Chinese term; a state or flag keeps its English name, glossed
    /// in brackets: `TIME-WAIT（时间等待）`.
    pub zh: String,
    pub en_explain: String,
    pub zh_explain: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    terms: Vec<Term>,
}

/// Every term, in the order a learner meets them.
pub fn terms() -> Vec<Term> {
    // The file is checked by the tests below: a failure here is a
    // packaging bug, not user input.
    toml::from_str::<File>(GLOSSARY)
        .map(|f| f.terms)
        .unwrap_or_else(|e| panic!("glossary.toml is invalid: {e}"))
}

/// The term whose English name is `en` (a TCP state: `SYN-SENT`).
pub fn find(en: &str) -> Option<Term> {
    terms().into_iter().find(|t| t.en == en)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packet::TcpState;

    #[test]
    fn every_term_is_whole_and_named_once() {
        let terms = terms();
        assert!(terms.len() > 50);
        let mut seen = std::collections::HashSet::new();
        for t in &terms {
            assert!(seen.insert(t.en.clone()), "`{}` twice", t.en);
            for field in [&t.en, &t.zh, &t.en_explain, &t.zh_explain] {
                assert!(!field.trim().is_empty(), "an empty field in `{}`", t.en);
            }
        }
    }

    #[test]
    fn every_tcp_state_is_in_it() {
        for state in TcpState::ALL {
            let name = state.to_string();
            let term = find(&name).unwrap_or_else(|| panic!("{name} is not in the glossary"));
            assert!(term.zh.starts_with(&name), "{}", term.zh);
        }
    }
}
