//! A lesson's own text in other languages: `[translations.fr]` tables, one
//! per language, checked against the lesson so that `socklab check` names
//! every piece of required text a translation lacks.
//!
//! Only the teacher's text is translated (titles, prose, questions); the
//! socket calls and the packets stay as they are, and socklab's own
//! sentences come from its catalogues (`crate::i18n`).

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{Lesson, Question, Step};
use crate::t;

/// `[translations.LANG]` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TranslationFile {
    title: Option<String>,
    summary: Option<String>,
    /// In an exercise: its `task`, `contract` and `hints`.
    exercise: Option<ExerciseTranslationFile>,
    /// One per step of the lesson, in the same order.
    #[serde(default)]
    steps: Vec<StepTranslationFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExerciseTranslationFile {
    task: Option<String>,
    contract: Option<String>,
    hints: Option<Vec<String>>,
    /// The starter file with its comments translated (optional: without
    /// it, `exercise start` writes the starter as written).
    starter: Option<String>,
}

/// An exercise's own text that a translation is checked against.
#[derive(Clone, Copy)]
pub(super) struct ExerciseText<'a> {
    pub hints: &'a [String],
    pub starter: &'a str,
}

/// An exercise's text in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ExerciseTranslation {
    task: String,
    contract: String,
    hints: Vec<String>,
    starter: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StepTranslationFile {
    title: Option<String>,
    text: Option<String>,
    after: Option<String>,
    question: Option<QuestionTranslationFile>,
    /// In an exercise: the check's `fail` sentence.
    fail: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionTranslationFile {
    ask: Option<String>,
    choices: Option<Vec<String>>,
    explain: Option<String>,
}

/// A lesson's text in one language, complete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    title: String,
    summary: String,
    /// An exercise's task, contract, hints and starter file.
    exercise: Option<ExerciseTranslation>,
    steps: Vec<StepTranslation>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct StepTranslation {
    title: String,
    text: String,
    after: Option<String>,
    question: Option<(String, Vec<String>, String)>,
    fail: Option<String>,
}

/// A language code as people write them: `fr`, `de`, `pt-br`.
pub(super) fn is_language(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_lowercase())
        && parts
            .all(|p| !p.is_empty() && p.len() <= 8 && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Checks a translation against the lesson's steps: every piece of text
/// the lesson has must be translated, and nothing it lacks. `exercise`:
/// the exercise's own text when the lesson is one. Returns every problem,
/// each a sentence naming the step and the field.
pub(super) fn checked(
    lang: &str,
    file: TranslationFile,
    steps: &[Step],
    exercise: Option<ExerciseText>,
) -> Result<Translation, Vec<String>> {
    let mut problems = Vec::new();
    let lesson_level = |what: &str| t!("check-tr-lacks", lang = lang, what = what);
    let title = required(&mut problems, file.title, || lesson_level("`title`"));
    let summary = required(&mut problems, file.summary, || lesson_level("`summary`"));
    let exercise = match (exercise, file.exercise) {
        (Some(ExerciseText { hints, starter }), Some(t)) => {
            let task = required(&mut problems, t.task, || lesson_level("`exercise.task`"));
            let contract = required(&mut problems, t.contract, || {
                lesson_level("`exercise.contract`")
            });
            let translated: Vec<String> = t
                .hints
                .unwrap_or_default()
                .into_iter()
                .map(|h| h.trim().to_string())
                .collect();
            if translated.len() != hints.len() {
                problems.push(t!(
                    "check-tr-hints",
                    lang = lang,
                    hints = hints.len(),
                    translated = translated.len()
                ));
            }
            match t.starter.as_deref().and_then(|s| code_differs(starter, s)) {
                Some((line, Some(code))) => problems.push(t!(
                    "check-tr-starter-code",
                    lang = lang,
                    line = line,
                    code = code
                )),
                Some((line, None)) => {
                    problems.push(t!("check-tr-starter-extra", lang = lang, line = line))
                }
                None => {}
            }
            Some(ExerciseTranslation {
                task,
                contract,
                hints: translated,
                starter: t.starter,
            })
        }
        (Some(_), None) => {
            problems.push(lesson_level(&t!("check-tr-exercise-table")));
            None
        }
        (None, Some(_)) => {
            problems.push(t!("check-tr-not-exercise", lang = lang));
            None
        }
        (None, None) => None,
    };
    if file.steps.len() != steps.len() {
        problems.push(t!(
            "check-tr-steps",
            lang = lang,
            translated = file.steps.len(),
            steps = steps.len()
        ));
        return Err(problems);
    }
    let mut translated = Vec::new();
    for (number, (step, file)) in steps.iter().zip(file.steps).enumerate() {
        let number = number + 1;
        // A problem of this step's translation.
        let at_step = |problem: String| {
            t!(
                "check-tr-step",
                lang = lang,
                number = number,
                problem = problem
            )
        };
        let missing = |what: &str| at_step(t!("check-tr-missing", what = what));
        let title = required(&mut problems, file.title, || missing("`title`"));
        let text = required(&mut problems, file.text, || missing("`text`"));
        let after = match (&step.after, file.after) {
            (Some(_), after) => Some(required(&mut problems, after, || missing("`after`"))),
            (None, Some(_)) => {
                problems.push(at_step(t!("check-tr-no-after")));
                None
            }
            (None, None) => None,
        };
        let question = match (&step.question, file.question) {
            (Some(q), Some(t)) => {
                let question_lacks =
                    |field: &str| at_step(t!("check-tr-missing-question-field", field = field));
                let ask = required(&mut problems, t.ask, || question_lacks("ask"));
                let explain = required(&mut problems, t.explain, || question_lacks("explain"));
                let choices = t.choices.unwrap_or_default();
                if choices.len() != q.choices.len() {
                    problems.push(at_step(t!(
                        "check-tr-choices",
                        choices = q.choices.len(),
                        translated = choices.len()
                    )));
                }
                Some((ask, choices, explain))
            }
            (Some(_), None) => {
                problems.push(at_step(t!("check-tr-no-translated-question")));
                None
            }
            (None, Some(_)) => {
                problems.push(at_step(t!("check-tr-no-question")));
                None
            }
            (None, None) => None,
        };
        // The same checks as the lesson's own text: placeholders, and a
        // question not answered by the text before it.
        let mut prose = vec![&title, &text];
        prose.extend(&after);
        if let Some((ask, choices, explain)) = &question {
            prose.extend([ask, explain]);
            prose.extend(choices);
        }
        for field in prose {
            if let Err(message) = super::prose::check(field) {
                problems.push(at_step(message));
            }
        }
        if let (Some(q), Some((_, choices, _))) = (&step.question, &question)
            && let Some(right) = choices.get(q.answer)
            && let Some(words) = super::prose::given_away(&[&title, &text], right)
        {
            problems.push(at_step(t!(
                "check-tr-given-away",
                answer = right.as_str(),
                words = words.as_str()
            )));
        }
        let wanted = step.check.as_ref().and_then(|c| c.fail.as_ref());
        let fail = match (wanted, file.fail) {
            (Some(_), fail) => Some(required(&mut problems, fail, || missing("`fail`"))),
            (None, Some(_)) => {
                problems.push(at_step(t!("check-tr-no-fail")));
                None
            }
            (None, None) => None,
        };
        translated.push(StepTranslation {
            title,
            text,
            after,
            question,
            fail,
        });
    }
    if problems.is_empty() {
        Ok(Translation {
            title,
            summary,
            exercise,
            steps: translated,
        })
    } else {
        Err(problems)
    }
}

/// Where a translated starter file's code differs from the original's: the
/// line (from 1, in the translation) and the original's code line that
/// belongs there (`None`: the translation has code the original has not).
/// Only its comments are the translator's: the program a learner starts
/// from is the same in every language. Blank lines and whole-line `#`
/// comments are left out of the comparison; code lines are compared with
/// their indentation.
fn code_differs(original: &str, translated: &str) -> Option<(usize, Option<String>)> {
    let code = |text: &str| -> Vec<(usize, String)> {
        text.lines()
            .enumerate()
            .filter(|(_, line)| {
                let trimmed = line.trim();
                !trimmed.is_empty() && !trimmed.starts_with('#')
            })
            .map(|(at, line)| (at + 1, line.trim_end().to_string()))
            .collect()
    };
    let (original, translated) = (code(original), code(translated));
    for (index, (at, line)) in translated.iter().enumerate() {
        let wanted = original.get(index).map(|(_, l)| l);
        if wanted != Some(line) {
            return Some((*at, wanted.cloned()));
        }
    }
    // The translation ends early: said after its last line.
    let end = translated.last().map_or(1, |(at, _)| at + 1);
    original
        .get(translated.len())
        .map(|(_, line)| (end, Some(line.clone())))
}

/// The text, trimmed, or a problem when it is missing or empty.
fn required(
    problems: &mut Vec<String>,
    text: Option<String>,
    problem: impl FnOnce() -> String,
) -> String {
    match text.map(|t| t.trim().to_string()) {
        Some(t) if !t.is_empty() => t,
        _ => {
            problems.push(problem());
            String::new()
        }
    }
}

impl Lesson {
    /// The languages the lesson can be shown in, besides English.
    pub fn languages(&self) -> Vec<&str> {
        self.translations.keys().map(String::as_str).collect()
    }

    /// The lesson with its text in `lang` (`en`: as written), or `None`
    /// when it has no such translation.
    pub fn in_language(&self, lang: &str) -> Option<Lesson> {
        if lang == "en" {
            return Some(self.clone());
        }
        let translation = self.translations.get(lang)?;
        let mut lesson = self.clone();
        lesson.title = translation.title.clone();
        lesson.summary = translation.summary.clone();
        if let (Some(spec), Some(t)) = (&mut lesson.exercise, &translation.exercise) {
            spec.task = t.task.clone();
            spec.contract = t.contract.clone();
            spec.hints = t.hints.clone();
            if let Some(starter) = &t.starter {
                spec.starter = starter.clone();
            }
        }
        for (step, t) in lesson.steps.iter_mut().zip(&translation.steps) {
            step.title = t.title.clone();
            step.text = t.text.clone();
            if let (Some(check), Some(fail)) = (&mut step.check, &t.fail) {
                check.fail = Some(fail.clone());
            }
            if t.after.is_some() {
                step.after = t.after.clone();
            }
            if let (Some(q), Some((ask, choices, explain))) = (&mut step.question, &t.question) {
                *q = Question {
                    ask: ask.clone(),
                    choices: choices.clone(),
                    answer: q.answer,
                    explain: explain.clone(),
                };
            }
        }
        Some(lesson)
    }
}

/// The translations of a lesson, by language.
pub type Translations = BTreeMap<String, Translation>;

#[cfg(test)]
mod tests {
    use super::*;

    fn step(after: bool, question: bool) -> Step {
        Step {
            title: "Hello".into(),
            text: "Some text.".into(),
            calls: vec![],
            expect: vec![],
            after: after.then(|| "After.".to_string()),
            question: question.then(|| Question {
                ask: "Which?".into(),
                choices: vec!["a".into(), "b".into()],
                answer: 1,
                explain: "Because.".into(),
            }),
            chat: None,
            congestion: None,
            check: None,
        }
    }

    fn file(toml: &str) -> TranslationFile {
        toml::from_str(toml).unwrap()
    }

    #[test]
    fn a_complete_translation_is_accepted() {
        let t = file(
            r#"title = "Bonjour"
summary = "Résumé."
[[steps]]
title = "Salut"
text = "Du texte."
after = "Après."
question = { ask = "Lequel ?", choices = ["a", "b"], explain = "Parce que." }
"#,
        );
        assert!(checked("fr", t, &[step(true, true)], None).is_ok());
    }

    #[test]
    fn every_missing_piece_is_named() {
        let t = file(
            r#"title = "Bonjour"
[[steps]]
title = "Salut"
question = { ask = "Lequel ?", choices = ["a"] }
"#,
        );
        let problems = checked("fr", t, &[step(true, true)], None).unwrap_err();
        assert_eq!(
            problems,
            vec![
                "translation `fr` lacks `summary`",
                "translation `fr`, step 1: `text` is missing",
                "translation `fr`, step 1: `after` is missing",
                "translation `fr`, step 1: the question's `explain` is missing",
                "translation `fr`, step 1: the question has 2 choices, the translation 1",
            ]
        );
    }

    #[test]
    fn steps_must_match_one_for_one() {
        let t = file("title = \"T\"\nsummary = \"S\"\n");
        let problems = checked("fr", t, &[step(false, false)], None).unwrap_err();
        assert!(problems[0].contains("has 0 steps"), "{problems:?}");
    }

    #[test]
    fn an_exercise_translates_its_task_hints_and_fail_sentences() {
        let mut checked_step = step(false, false);
        checked_step.check = Some(crate::lesson::exercise::Check {
            fail: Some("Close it.".into()),
            ..Default::default()
        });
        let hints = ["One.".to_string(), "Two.".to_string()];
        let t = file(
            r#"title = "T"
summary = "S"
exercise = { task = "Tâche.", contract = "- Règle.", hints = ["Un."] }
[[steps]]
title = "Salut"
text = "Du texte."
"#,
        );
        let text = ExerciseText {
            hints: &hints,
            starter: "",
        };
        let problems = checked("fr", t, &[checked_step.clone()], Some(text)).unwrap_err();
        assert_eq!(
            problems,
            vec![
                "translation `fr`: the exercise has 2 hints, the translation 1",
                "translation `fr`, step 1: `fail` is missing",
            ]
        );
        let t = file(
            r#"title = "T"
summary = "S"
[[steps]]
title = "Salut"
text = "Du texte."
fail = "Fermez-le."
"#,
        );
        let problems = checked("fr", t, &[step(false, false)], None).unwrap_err();
        assert!(problems[0].contains("no check `fail`"), "{problems:?}");
        let t = file(
            r#"title = "T"
summary = "S"
[[steps]]
title = "Salut"
text = "Du texte."
fail = "Fermez-le."
"#,
        );
        let problems = checked("fr", t, &[checked_step.clone()], Some(text)).unwrap_err();
        assert!(
            problems[0].contains("[translations.LANG.exercise]"),
            "{problems:?}"
        );
    }

    #[test]
    fn a_translated_starter_keeps_the_code_and_translates_the_comments() {
        let starter =
            "import socket\n\n# TODO: listen.\nwhile True:\n    # TODO: accept.\n    pass\n";
        // Comments translated, one more comment line, blank lines moved.
        let good = "import socket\n# 待办：监听。\n# 第二行。\nwhile True:\n\n    # 待办：接受。\n    pass\n";
        assert_eq!(code_differs(starter, good), None);
        // A line of code changed, its indentation changed, code added, or
        // code left out.
        let changed = "import socket\n# 待办\nwhile False:\n    pass\n";
        assert_eq!(
            code_differs(starter, changed),
            Some((3, Some("while True:".to_string())))
        );
        let dedented = "import socket\nwhile True:\npass\n";
        assert_eq!(
            code_differs(starter, dedented),
            Some((3, Some("    pass".to_string())))
        );
        let added = "import socket\nwhile True:\n    pass\nprint(1)\n";
        assert_eq!(code_differs(starter, added), Some((4, None)));
        let short = "import socket\n# 待办\n";
        assert_eq!(
            code_differs(starter, short),
            Some((2, Some("while True:".to_string())))
        );
        // And through `checked`, as `socklab check` says it.
        let hints: [String; 0] = [];
        let text = ExerciseText {
            hints: &hints,
            starter,
        };
        let t = file(&format!(
            "title = \"T\"\nsummary = \"S\"\nexercise = {{ task = \"Tâche.\", contract = \"- Règle.\", starter = {changed:?} }}\n[[steps]]\ntitle = \"Salut\"\ntext = \"Du texte.\"\n"
        ));
        let problems = checked("fr", t, &[step(false, false)], Some(text)).unwrap_err();
        assert_eq!(
            problems,
            vec![
                "translation `fr`: `exercise.starter` translates only the starter's comments: its line 3 should be `while True:`, as in the starter"
            ]
        );
    }

    #[test]
    fn language_codes() {
        for good in ["fr", "de", "pt-br", "zh-hant"] {
            assert!(is_language(good), "{good}");
        }
        for bad in ["", "F", "french", "fr_", "fr-"] {
            assert!(!is_language(bad), "{bad}");
        }
    }
}
