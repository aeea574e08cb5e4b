//! Questions to the person at the terminal. Behind a trait so that the code
//! that decides what to ask is tested with scripted answers, and so that
//! without a terminal the CLI refuses instead of waiting for input forever.

use std::io::IsTerminal;

use crate::exit::{CliError, CliResult};

/// A rule an answer must follow: `Err` says why, and the question is asked
/// again with the answer kept for editing.
pub type Check<'a> = &'a dyn Fn(&str) -> Result<(), String>;

/// Implemented by the terminal, by a refusal when there is none, and by
/// scripted answers in tests.
pub trait Prompter {
    /// A line of text; `None` default and `allow_empty = false` insist on an answer.
    fn input(
        &mut self,
        prompt: &str,
        default: Option<&str>,
        allow_empty: bool,
    ) -> CliResult<String> {
        self.input_checked(prompt, default, allow_empty, &|_| Ok(()))
    }
    /// [`Prompter::input`], asked again until the answer passes `check`
    /// (an empty answer, when allowed, is not checked).
    fn input_checked(
        &mut self,
        prompt: &str,
        default: Option<&str>,
        allow_empty: bool,
        check: Check<'_>,
    ) -> CliResult<String>;
    /// A secret, typed without echo.
    fn secret(&mut self, prompt: &str) -> CliResult<String>;
    /// One of `items`; returns its index.
    fn select(&mut self, prompt: &str, items: &[&str], default: usize) -> CliResult<usize>;
}

/// The prompter for this process: dialoguer on a terminal, else one that
/// refuses with a message naming what was missing.
pub fn for_stdin() -> Box<dyn Prompter> {
    if interactive() {
        Box::new(Terminal)
    } else {
        Box::new(NoTerminal)
    }
}

/// Whether a person can answer: stdin and stderr (where questions go) are a terminal.
pub fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Asks on the terminal (prompts go to stderr, so stdout stays clean).
#[derive(Debug)]
pub struct Terminal;

fn dialoguer_error(e: dialoguer::Error) -> CliError {
    CliError::generic(format!("cannot read the answer: {e}"))
}

impl Prompter for Terminal {
    /// dialoguer's own validation asks again from an empty line: here the
    /// refused answer comes back for editing, with the reason above it.
    fn input_checked(
        &mut self,
        prompt: &str,
        default: Option<&str>,
        allow_empty: bool,
        check: Check<'_>,
    ) -> CliResult<String> {
        let mut typed: Option<String> = None;
        loop {
            let mut q = dialoguer::Input::<String>::new()
                .with_prompt(prompt)
                .allow_empty(allow_empty);
            if let Some(d) = default {
                q = q.default(d.to_string());
            }
            if let Some(t) = &typed {
                q = q.with_initial_text(t.clone());
            }
            let answer = q.interact_text().map_err(dialoguer_error)?;
            if answer.is_empty() && allow_empty {
                return Ok(answer);
            }
            match check(&answer) {
                Ok(()) => return Ok(answer),
                Err(why) => {
                    eprintln!("  {why}");
                    typed = Some(answer);
                }
            }
        }
    }

    fn secret(&mut self, prompt: &str) -> CliResult<String> {
        dialoguer::Password::new()
            .with_prompt(prompt)
            .interact()
            .map_err(dialoguer_error)
    }

    fn select(&mut self, prompt: &str, items: &[&str], default: usize) -> CliResult<usize> {
        dialoguer::Select::new()
            .with_prompt(prompt)
            .items(items)
            .default(default)
            .interact()
            .map_err(dialoguer_error)
    }
}

/// Stands in for the terminal when stdin is not one: every question fails
/// with the question in the message, so the user knows which flag to add.
#[derive(Debug)]
pub struct NoTerminal;

impl NoTerminal {
    fn refuse(prompt: &str) -> CliError {
        CliError::usage(format!(
            "need an answer for \"{prompt}\" but stdin is not a terminal"
        ))
        .with_hint("give the value with a flag (see `ai-agent mcp create --help`)")
    }
}

impl Prompter for NoTerminal {
    fn input_checked(
        &mut self,
        prompt: &str,
        _: Option<&str>,
        _: bool,
        _: Check<'_>,
    ) -> CliResult<String> {
        Err(Self::refuse(prompt))
    }

    fn secret(&mut self, prompt: &str) -> CliResult<String> {
        Err(Self::refuse(prompt))
    }

    fn select(&mut self, prompt: &str, _: &[&str], _: usize) -> CliResult<usize> {
        Err(Self::refuse(prompt))
    }
}

/// Answers from a list, recording each question; for tests.
#[cfg(test)]
#[derive(Debug, Default)]
pub struct Scripted {
    pub answers: std::collections::VecDeque<String>,
    pub asked: Vec<String>,
}

#[cfg(test)]
impl Scripted {
    pub(crate) fn new(answers: &[&str]) -> Self {
        Scripted {
            answers: answers.iter().map(|s| (*s).to_string()).collect(),
            asked: Vec::new(),
        }
    }

    fn next(&mut self, kind: &str, prompt: &str) -> CliResult<String> {
        self.asked.push(format!("{kind}:{prompt}"));
        self.answers
            .pop_front()
            .ok_or_else(|| CliError::generic(format!("no scripted answer for {prompt}")))
    }
}

#[cfg(test)]
impl Prompter for Scripted {
    fn input_checked(
        &mut self,
        prompt: &str,
        default: Option<&str>,
        allow_empty: bool,
        check: Check<'_>,
    ) -> CliResult<String> {
        loop {
            let a = self.next("input", prompt)?;
            let a = match default {
                Some(d) if a.is_empty() => d.to_string(),
                _ => a,
            };
            if a.is_empty() && allow_empty {
                return Ok(a);
            }
            // As the terminal does: say why, and ask again.
            match check(&a) {
                Ok(()) => return Ok(a),
                Err(why) => self.asked.push(format!("refused:{why}")),
            }
        }
    }

    fn secret(&mut self, prompt: &str) -> CliResult<String> {
        self.next("secret", prompt)
    }

    fn select(&mut self, prompt: &str, items: &[&str], _: usize) -> CliResult<usize> {
        let a = self.next("select", prompt)?;
        items
            .iter()
            .position(|i| *i == a)
            .ok_or_else(|| CliError::generic(format!("{a} is not one of {items:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exit::Code;

    #[test]
    fn no_terminal_refuses_naming_the_question() {
        let e = NoTerminal.secret("POSTGRES_URL").expect_err("refuses");
        assert_eq!(e.code, Code::Usage);
        assert!(e.message.contains("POSTGRES_URL"), "{}", e.message);
        assert!(e.message.contains("not a terminal"), "{}", e.message);
    }
}
