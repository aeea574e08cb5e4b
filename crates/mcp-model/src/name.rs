//! Server names are used as keys in client config files and on command lines,
//! so they are kept to a conservative, shell-safe alphabet.

use crate::ValidationError;

pub(crate) const MAX_NAME_LEN: usize = 64;

/// Checks a server name: 1–64 ASCII letters, digits, `.`, `_` or `-`,
/// starting with a letter or digit.
pub fn validate_name(name: &str) -> Result<(), ValidationError> {
    let err = |msg: String| Err(ValidationError::new("name", msg));
    if name.is_empty() {
        return err("must not be empty".into());
    }
    if name.len() > MAX_NAME_LEN {
        return err(format!(
            "'{}…' is longer than {MAX_NAME_LEN} characters",
            name.chars().take(16).collect::<String>()
        ));
    }
    let mut chars = name.chars();
    if !chars.next().is_some_and(|c| c.is_ascii_alphanumeric()) {
        return err(format!("'{name}' must start with a letter or digit"));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
    {
        return err(format!(
            "'{}' may only hold letters, digits, '.', '_' and '-' (found {c:?})",
            name.escape_debug()
        ));
    }
    if uuid::Uuid::parse_str(name).is_ok() {
        return err(format!(
            "'{name}' looks like a server id; a name must not, so that names and ids never mix up"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_names() {
        for n in [
            "a",
            "k8s",
            "my-kubernetes",
            "A.b_c-9",
            "0abc",
            &"x".repeat(64),
        ] {
            assert_eq!(validate_name(n), Ok(()), "{n}");
        }
    }

    #[test]
    fn rejects_invalid_names() {
        for n in [
            "",
            "-a",
            ".a",
            "_a",
            "a b",
            "a/b",
            "é",
            "a\n",
            &"x".repeat(65),
        ] {
            let e = validate_name(n).expect_err(n);
            assert_eq!(e.field, "name");
        }
    }
}
