//! "Did you mean" for server names the API does not know.

use crate::client::{Client, ClientError, is_not_found};
use crate::exit::CliError;

/// The error for `e`; when it is a 404 for a name (not an id), with a hint
/// naming the nearest names the caller can see, or how to list them.
pub(crate) async fn unknown_server(client: &Client, name: &str, e: ClientError) -> CliError {
    if !is_not_found(&e) || uuid::Uuid::parse_str(name).is_ok() {
        return e.into();
    }
    let names: Vec<String> = match client.list_all_servers(false).await {
        Ok(all) => all.into_iter().map(|s| s.name).collect(),
        Err(_) => return e.into(),
    };
    let near = nearest(name, &names);
    let hint = if near.is_empty() {
        "`ai-agent mcp list` shows the servers you can see".to_string()
    } else {
        format!(
            "did you mean {}?",
            near.iter()
                .map(|n| format!("'{n}'"))
                .collect::<Vec<_>>()
                .join(" or ")
        )
    };
    CliError::from(e).with_hint(hint)
}

/// Up to three names within a small edit distance of `name` (a third of its
/// length, at least 2), nearest first.
fn nearest<'a>(name: &str, names: &'a [String]) -> Vec<&'a str> {
    let limit = (name.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &str)> = names
        .iter()
        .map(|n| {
            (
                distance(&name.to_lowercase(), &n.to_lowercase()),
                n.as_str(),
            )
        })
        .filter(|(d, _)| *d <= limit)
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, n)| n).collect()
}

/// Levenshtein distance over characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(here + 1);
            prev = here;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_names_first_far_ones_not_at_all() {
        let names: Vec<String> = ["my-k8s", "github", "my-k9s", "filesystem"]
            .map(String::from)
            .into();
        assert_eq!(nearest("my-k8", &names), ["my-k8s", "my-k9s"]);
        assert_eq!(nearest("GitHub", &names), ["github"]);
        assert!(nearest("postgres", &names).is_empty());
        assert_eq!(distance("kitten", "sitting"), 3);
    }
}
