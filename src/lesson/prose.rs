//! A lesson's prose, as the learner reads it: the same text whatever the
//! language of the code shown (`--code python` or `rust`), but for the few
//! words that name what the code shows. A Python learner reads that recv()
//! returned `b''`; a Rust learner that read() returned `Ok(0)`. The
//! teacher writes both in place: `{python: b'' | rust: Ok(0)}`.
//!
//! And the check that a step's question is not answered by the text the
//! learner reads just before it.

use crate::t;
use std::borrow::Cow;

/// The languages code is shown in, as a placeholder names them.
pub const CODE_LANGUAGES: [&str; 2] = ["python", "rust"];

/// The text with each `{python: … | rust: …}` replaced by the words for
/// `code` (`python` or `rust`). Text without placeholders is returned as
/// it is; a malformed placeholder (which `check` refuses in a lesson file)
/// is left as written.
pub fn for_code<'a>(text: &'a str, code: &str) -> Cow<'a, str> {
    if !text.contains('{') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after
            .find('}')
            .and_then(|close| alternatives(&after[..close]).ok().map(|alts| (close, alts)))
        {
            Some((close, alts)) => {
                let words = alts
                    .iter()
                    .find(|(lang, _)| *lang == code)
                    .or(alts.first())
                    .map_or("", |(_, words)| words);
                out.push_str(words);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Checks every placeholder of a text: `{python: … | rust: …}`, each
/// language once, both of them given. The error says what is wrong.
pub fn check(text: &str) -> Result<(), String> {
    let mut rest = text;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return Err(t!("check-prose-close"));
        }
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Err(t!("check-prose-open"));
        };
        if after[..close].contains('{') {
            return Err(t!("check-prose-nested"));
        }
        let alts = alternatives(&after[..close])?;
        for lang in CODE_LANGUAGES {
            if !alts.iter().any(|(l, _)| *l == lang) {
                return Err(t!(
                    "check-prose-missing-language",
                    inner = &after[..close],
                    language = lang
                ));
            }
        }
        rest = &after[close + 1..];
    }
    Ok(())
}

/// `python: b'' | rust: Ok(0)` as (language, words) pairs.
fn alternatives(inner: &str) -> Result<Vec<(&str, &str)>, String> {
    let mut alts: Vec<(&str, &str)> = Vec::new();
    for part in inner.split('|') {
        let Some((lang, words)) = part.split_once(':') else {
            return Err(t!("check-prose-not-placeholder", inner = inner));
        };
        let lang = lang.trim();
        if !CODE_LANGUAGES.contains(&lang) {
            return Err(t!("check-prose-language", language = lang, inner = inner));
        }
        if alts.iter().any(|(l, _)| *l == lang) {
            return Err(t!("check-prose-twice", language = lang, inner = inner));
        }
        alts.push((lang, words.trim()));
    }
    Ok(alts)
}

/// Words that say nothing on their own, left out when a choice is looked
/// for in the text (English, and the "and" of the lessons' translations).
const FILLER: [&str; 10] = ["a", "an", "the", "and", "its", "et", "und", "y", "和", "与"];

/// Counting words: "one" in a text ("sends one datagram") does not answer
/// a question whose answer is "one" (how many?). A choice made only of
/// them is not looked for.
const NUMBERS: [&str; 14] = [
    "one", "two", "three", "four", "un", "une", "deux", "trois", "一", "两", "二", "三", "个", "四",
];

/// A Chinese (or Japanese) character: a word of its own, as the text is not
/// cut into words by spaces.
fn ideograph(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

/// The words of a text, lower-case, as a choice is compared with it:
/// punctuation, `+` and `,` between flags, and filler words do not count,
/// so that "SYN and ACK" is found in "SYN+ACK" and "SYN, ACK".
fn words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if ideograph(c) {
            words.push(std::mem::take(&mut word));
            words.push(c.to_string());
        } else if c.is_alphanumeric() || c == '_' || c == '\'' || c == '=' {
            word.extend(c.to_lowercase());
        } else {
            words.push(std::mem::take(&mut word));
        }
    }
    words.push(word);
    words
        .into_iter()
        .map(|w| w.trim_matches('\'').to_string())
        .filter(|w| !w.is_empty() && !FILLER.contains(&w.as_str()))
        .collect()
}

/// Whether what the learner reads before a question (the step's title and
/// text) already gives its right answer: the right choice's words, in
/// order, side by side in the text. A choice written `short: why` is
/// looked for by its short part too. Returns the words found.
pub fn given_away(before: &[&str], choice: &str) -> Option<String> {
    let text: Vec<String> = before
        .iter()
        .flat_map(|t| words(&for_code(t, "python")))
        .collect();
    let mut wanted = vec![words(choice)];
    if let Some((short, _)) = choice.split_once(": ") {
        wanted.push(words(short));
    }
    wanted
        .into_iter()
        .filter(|w| !w.iter().all(|w| NUMBERS.contains(&w.as_str())))
        .find(|w| text.windows(w.len()).any(|window| window == w.as_slice()))
        .map(|w| w.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_follow_the_code() {
        let text = "recv() returns {python: b'' | rust: Ok(0)}, the end.";
        assert_eq!(for_code(text, "python"), "recv() returns b'', the end.");
        assert_eq!(for_code(text, "rust"), "recv() returns Ok(0), the end.");
        assert_eq!(for_code("no placeholder", "rust"), "no placeholder");
        assert!(check(text).is_ok());
    }

    #[test]
    fn malformed_placeholders_are_refused() {
        assert!(
            check("{python: b''}")
                .unwrap_err()
                .contains("no words for `rust`")
        );
        assert!(
            check("{ruby: x | python: y}")
                .unwrap_err()
                .contains("`ruby`")
        );
        assert!(
            check("an open { brace")
                .unwrap_err()
                .contains("without its `}`")
        );
        assert!(check("a } alone").unwrap_err().contains("without its `{`"));
        assert!(
            check("{python: a | python: b}")
                .unwrap_err()
                .contains("twice")
        );
    }

    #[test]
    fn an_answer_in_the_text_is_found() {
        // tcp-handshake's step 2, before the fix.
        let text = "connect() does not return until the handshake is done: SYN, SYN+ACK, ACK.";
        assert_eq!(
            given_away(&[text], "SYN and ACK").as_deref(),
            Some("syn ack")
        );
        // tcp-close's step 4, before the fix.
        assert!(given_away(&["Its kernel sends a FIN."], "FIN").is_some());
        // A choice with its reason: the short part counts.
        assert!(given_away(&["It gets 1 3 3 5 4."], "1 3 3 5 4: what the wire did").is_some());
        // Words apart, or part of another word, give nothing away.
        assert!(given_away(&["The SYN came, then an ACK."], "SYN and ACK").is_none());
        assert!(given_away(&["FINished"], "FIN").is_none());
        // A count in passing is not an answer to "how many?".
        assert!(given_away(&["alice sends one datagram."], "one").is_none());
        // Chinese, which has no spaces between words.
        assert!(given_away(&["客户端的内核发送FIN。"], "FIN").is_some());
        assert!(given_away(&["握手完成：SYN、SYN,ACK、ACK。"], "SYN 和 ACK").is_some());
    }
}
