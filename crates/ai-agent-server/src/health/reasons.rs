//! Why a remote server could not be reached, in the words a person would
//! use: one class per failure (DNS, refused, TLS, timeout), the host it
//! concerns, and the innermost cause, never a Rust type.

/// The class of a failed connection and its reason, or `None` when `e` is
/// no connection failure (the request got an answer, or was never sent).
pub(crate) fn connect_failure(e: &reqwest::Error) -> Option<String> {
    let place = e.url().map_or_else(String::new, |u| {
        let host = u.host_str().unwrap_or("");
        match u.port_or_known_default() {
            Some(p) => format!("{host}:{p}"),
            None => host.to_string(),
        }
    });
    let host = e.url().and_then(|u| u.host_str()).unwrap_or("").to_string();
    if e.is_timeout() && e.is_connect() {
        return Some(format!("timed out connecting to {place}"));
    }
    if !e.is_connect() {
        return None;
    }
    let (kinds, innermost) = chain(e);
    let text = innermost.to_lowercase();
    Some(if kinds.contains(&std::io::ErrorKind::ConnectionRefused) {
        format!("connection refused by {place} (nothing listens there)")
    } else if text.contains("lookup address") || text.contains("dns") || text.contains("resolve") {
        format!("cannot resolve {host}: {innermost}")
    } else if kinds.contains(&std::io::ErrorKind::InvalidData)
        || [
            "certificate",
            "tls",
            "handshake",
            "corrupt message",
            "alert",
        ]
        .iter()
        .any(|w| text.contains(w))
    {
        format!("TLS handshake with {place} failed: {innermost}")
    } else if kinds.contains(&std::io::ErrorKind::ConnectionReset) {
        format!("{place} reset the connection: {innermost}")
    } else {
        format!("cannot connect to {place}: {innermost}")
    })
}

/// The I/O error kinds in `e`'s causes, and the innermost cause's text.
fn chain(e: &(dyn std::error::Error + 'static)) -> (Vec<std::io::ErrorKind>, String) {
    let mut kinds = Vec::new();
    let mut last = e.to_string();
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            kinds.push(io.kind());
        }
        last = s.to_string();
        source = s.source();
    }
    (kinds, last)
}

/// At most the first 4 KiB of a response's body, read chunk by chunk so
/// that a large one is never held whole.
pub(crate) async fn body_start(mut resp: reqwest::Response) -> Vec<u8> {
    const MAX: usize = 4096;
    let mut body = Vec::new();
    while body.len() < MAX {
        match resp.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            _ => break,
        }
    }
    body.truncate(MAX);
    body
}

/// The start of an error answer's body, on one line: what the server says
/// went wrong (the report's redactor then masks any secret in it).
pub(crate) fn body_excerpt(body: &[u8]) -> Option<String> {
    const MAX_CHARS: usize = 200;
    let text = String::from_utf8_lossy(body);
    // An HTML error page says it in its text, not its markup.
    let text = if text.trim_start().starts_with('<') {
        without_tags(&text)
    } else {
        text.into_owned()
    };
    let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.is_empty() {
        return None;
    }
    Some(match line.char_indices().nth(MAX_CHARS) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line,
    })
}

/// `html` with its tags (and what `<head>` holds) left out.
fn without_tags(html: &str) -> String {
    let body = match (html.find("</head>"), html.find("<body")) {
        (Some(end), _) => &html[end..],
        (None, Some(start)) => &html[start..],
        _ => html,
    };
    let mut out = String::with_capacity(body.len());
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_one_short_line() {
        assert_eq!(body_excerpt(b"  \n "), None);
        assert_eq!(
            body_excerpt(
                b"<html><head><title>x</title></head><body><h1>Not\n  Found</h1></body></html>"
            )
            .as_deref(),
            Some("Not Found")
        );
        assert_eq!(
            body_excerpt(br#"{"error": "no such path"}"#).as_deref(),
            Some(r#"{"error": "no such path"}"#)
        );
        let long = "x".repeat(500);
        let cut = body_excerpt(long.as_bytes()).expect("text");
        assert_eq!(cut.chars().count(), 201);
        assert!(cut.ends_with('…'));
    }

    #[tokio::test]
    async fn a_refused_connection_and_a_bad_name_read_as_such() {
        let client = reqwest::Client::new();
        // Port 1 on loopback: nothing listens.
        let e = client
            .get("http://127.0.0.1:1/")
            .send()
            .await
            .expect_err("refused");
        assert_eq!(
            connect_failure(&e).as_deref(),
            Some("connection refused by 127.0.0.1:1 (nothing listens there)")
        );
        let e = client
            .get("http://no-such-host.invalid/")
            .send()
            .await
            .expect_err("unresolvable");
        let text = connect_failure(&e).expect("a connect error");
        assert!(
            text.starts_with("cannot resolve no-such-host.invalid: "),
            "{text}"
        );
    }
}
