//! `exercise check --junit FILE`: the checks as a JUnit XML report, the
//! format CI systems and classroom autograders read: one `testsuite` per
//! exercise, one `testcase` per check, a `failure` with its reason, a
//! `skipped` for the checks an earlier failure left out, and what the
//! program printed as the suite's `system-out` and `system-err`.

use std::path::PathBuf;

use crate::event::{CheckDone, Event, Halt, Observer, ProgramReport, Verdict};

pub struct Junit {
    path: PathBuf,
    exercise: String,
    checks: Vec<CheckDone>,
    program: Option<ProgramReport>,
}

impl Junit {
    pub fn new(path: PathBuf) -> Junit {
        Junit {
            path,
            exercise: String::new(),
            checks: Vec::new(),
            program: None,
        }
    }

    /// The report, as XML.
    pub fn xml(&self) -> String {
        let failures = self
            .checks
            .iter()
            .filter(|c| matches!(c.verdict, Verdict::Failed { .. }))
            .count();
        let skipped = self
            .checks
            .iter()
            .filter(|c| c.verdict == Verdict::NotRun)
            .count();
        let name = escape(&self.exercise);
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
        xml.push_str(&format!(
            "  <testsuite name=\"{name}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">\n",
            self.checks.len()
        ));
        for check in &self.checks {
            let case = format!(
                "    <testcase classname=\"{name}\" name=\"{}. {}\"",
                check.check,
                escape(&check.title)
            );
            match &check.verdict {
                Verdict::Passed => xml.push_str(&format!("{case}/>\n")),
                Verdict::NotRun => xml.push_str(&format!(
                    "{case}>\n      <skipped message=\"{}\"/>\n    </testcase>\n",
                    escape(&crate::t!("junit-not-run"))
                )),
                Verdict::Failed { why } => {
                    let message = super::exercise::failure(why);
                    let mut detail = message.clone();
                    for more in [
                        &check.fail,
                        &check.lesson.as_ref().map(|l| format!("socklab run {l}")),
                    ]
                    .into_iter()
                    .flatten()
                    {
                        detail.push('\n');
                        detail.push_str(more);
                    }
                    xml.push_str(&format!(
                        "{case}>\n      <failure message=\"{}\">{}</failure>\n    </testcase>\n",
                        escape(&message),
                        escape(&detail)
                    ));
                }
            }
        }
        if let Some(program) = &self.program {
            xml.push_str(&format!(
                "    <system-out>{}</system-out>\n    <system-err>{}</system-err>\n",
                escape(&program.stdout),
                escape(&program.stderr)
            ));
        }
        xml.push_str("  </testsuite>\n</testsuites>\n");
        xml
    }
}

impl Observer for Junit {
    fn see(&mut self, event: &Event) {
        match event {
            Event::Lesson(start) => self.exercise = start.id.clone(),
            Event::Check(check) => self.checks.push(check.clone()),
            Event::Program(report) => self.program = Some(report.clone()),
            _ => {}
        }
    }

    fn finish(&mut self) -> Result<(), Halt> {
        std::fs::write(&self.path, self.xml()).map_err(|source| Halt::Export {
            path: self.path.clone(),
            source,
        })
    }
}

/// Text as XML character data or an attribute value: the five special
/// characters escaped, and the characters XML 1.0 cannot hold at all
/// (control characters but tab and line ends) left out.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Failure;

    #[test]
    fn special_and_control_characters_are_escaped() {
        assert_eq!(escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }

    #[test]
    fn a_report_counts_failures_and_skips() {
        let mut junit = Junit::new(PathBuf::from("x.xml"));
        let check = |n: usize, verdict| {
            Event::Check(CheckDone {
                step: n,
                check: n,
                title: format!("check <{n}>"),
                verdict,
                fail: Some("close it".into()),
                lesson: Some("tcp-close".into()),
            })
        };
        junit.see(&check(1, Verdict::Passed));
        junit.see(&check(
            2,
            Verdict::Failed {
                why: Failure::DidNotExit { seconds: 3 },
            },
        ));
        junit.see(&check(3, Verdict::NotRun));
        let xml = junit.xml();
        assert!(
            xml.contains("tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\""),
            "{xml}"
        );
        assert!(xml.contains("name=\"2. check &lt;2&gt;\""), "{xml}");
        assert!(xml.contains("<failure message="), "{xml}");
        assert!(xml.contains("socklab run tcp-close"), "{xml}");
        assert!(xml.contains("<skipped"), "{xml}");
    }
}
