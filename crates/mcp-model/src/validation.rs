use std::fmt;

/// A rule broken by user input, with the path of the offending field
/// (`config.env.API KEY`, `name`, …) so that the message can point at it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ValidationError {
    /// The path of the offending field, e.g. `config.env.API KEY`.
    pub field: String,
    pub message: String,
}

impl ValidationError {
    /// `field` should be the path the user wrote, so the message points at it.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Rejects the characters that no field may hold: NUL and the other ASCII
/// control characters (tab excepted), which would corrupt process arguments,
/// headers or terminal output.
pub(crate) fn check_text(field: &str, value: &str, max_len: usize) -> Result<(), ValidationError> {
    if value.len() > max_len {
        return Err(ValidationError::new(
            field,
            format!("is longer than {max_len} bytes"),
        ));
    }
    if let Some(c) = value.chars().find(|c| c.is_control() && *c != '\t') {
        return Err(ValidationError::new(
            field,
            format!("contains the control character U+{:04X}", u32::from(c)),
        ));
    }
    Ok(())
}

pub(crate) const MAX_DESCRIPTION_LEN: usize = 1024;

/// Descriptions are free text of one paragraph or a few: newlines and tabs are
/// fine, other control characters are not.
pub fn validate_description(d: &str) -> Result<(), ValidationError> {
    if d.len() > MAX_DESCRIPTION_LEN {
        return Err(ValidationError::new(
            "description",
            format!("is longer than {MAX_DESCRIPTION_LEN} bytes"),
        ));
    }
    match d
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
    {
        Some(c) => Err(ValidationError::new(
            "description",
            format!("contains the control character U+{:04X}", u32::from(c)),
        )),
        None => Ok(()),
    }
}
