//! Remote targets: the private-address policy, a pinned HTTP client, and
//! the streamable HTTP check through rmcp's client transport.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use mcp_model::RemoteConfig;
use mcp_model::api::HealthStatus;
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;

use super::conversation::http_status;
use super::{Failure, Findings, Handshake, Phase, Plan, Refused, conv_failure, converse};

/// Headers the transports set themselves; a configured one would break them.
const RESERVED: &[&str] = &["accept", "mcp-session-id", "last-event-id", "content-type"];

/// A checked URL: where a remote check may go.
#[derive(Debug)]
pub(crate) struct Target {
    pub url: url::Url,
    /// With the private-address policy on, the addresses that were checked;
    /// the client connects only to these (no second DNS answer can differ).
    pinned: Option<(String, Vec<SocketAddr>)>,
    /// Resolution failed: the check fails at "connect" rather than being refused.
    dns_error: Option<String>,
}

impl Target {
    pub(crate) async fn resolve(raw: &str, allow_private: bool) -> Result<Target, Refused> {
        let shown = mcp_model::secrets::masked_url(raw);
        let url = url::Url::parse(raw)
            .map_err(|e| Refused(format!("the server's URL '{shown}' is not valid: {e}")))?;
        let mut target = Target {
            url,
            pinned: None,
            dns_error: None,
        };
        if allow_private {
            return Ok(target);
        }
        let port = target.url.port_or_known_default().unwrap_or(80);
        let host = target.url.host().map(|h| h.to_owned());
        let (name, addrs): (String, Vec<SocketAddr>) = match host {
            Some(url::Host::Ipv4(ip)) => (ip.to_string(), vec![SocketAddr::new(ip.into(), port)]),
            Some(url::Host::Ipv6(ip)) => (ip.to_string(), vec![SocketAddr::new(ip.into(), port)]),
            Some(url::Host::Domain(d)) => {
                let found = tokio::net::lookup_host((d.as_str(), port))
                    .await
                    .map(|a| a.collect::<Vec<_>>());
                match found {
                    Ok(a) => (d, a),
                    Err(e) => {
                        target.dns_error = Some(format!("cannot resolve {d}: {e}"));
                        return Ok(target);
                    }
                }
            }
            None => return Err(Refused(format!("the server's URL '{shown}' has no host"))),
        };
        if let Some(bad) = addrs.iter().find(|a| is_private(a.ip())) {
            return Err(Refused(format!(
                "{name} resolves to {}, a loopback, private, link-local or reserved address: on this server only checks of servers an admin owns may reach such addresses (the operator can allow every check with AI_AGENT_HEALTH_ALLOW_PRIVATE=true)",
                bad.ip()
            )));
        }
        if matches!(target.url.host(), Some(url::Host::Domain(_))) {
            target.pinned = Some((name, addrs));
        }
        Ok(target)
    }

    /// A client for this target: no redirects (one could lead to a private
    /// address), pinned addresses, bounded connect time.
    pub(crate) fn client(&self) -> Result<reqwest::Client, Failure> {
        if let Some(e) = &self.dns_error {
            return Err(Failure::unhealthy("connect", e.clone()));
        }
        // No proxy from the environment: it would reach addresses the
        // policy never checked.
        let mut b = reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(10));
        if let Some((host, addrs)) = &self.pinned {
            b = b.resolve_to_addrs(host, addrs);
        }
        b.build()
            .map_err(|e| Failure::unhealthy("connect", format!("cannot build an HTTP client: {e}")))
    }
}

/// Any address a check of a user's server must not reach: loopback,
/// private, link-local, shared (CGNAT), benchmarking, documentation,
/// reserved, multicast, broadcast and unspecified ranges, and IPv6 forms
/// that embed an IPv4 address (mapped, compatible, NAT64, 6to4, Teredo),
/// judged by the address they carry.
pub(crate) fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || o[0] == 0
                || (o[0] == 100 && (o[1] & 0xc0) == 64) // 100.64.0.0/10
                || (o[0] == 192 && o[1] == 0 && o[2] == 0) // 192.0.0.0/24
                || (o[0] == 198 && (o[1] & 0xfe) == 18) // 198.18.0.0/15
                || (o[0] == 192 && o[1] == 88 && o[2] == 99) // 192.88.99.0/24, 6to4 relays
                || o[0] >= 240 // 240.0.0.0/4 and broadcast
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            let embedded = |hi: u16, lo: u16| {
                IpAddr::V4(std::net::Ipv4Addr::new(
                    (hi >> 8) as u8,
                    hi as u8,
                    (lo >> 8) as u8,
                    lo as u8,
                ))
            };
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_private(IpAddr::V4(v4));
            }
            // ::ffff:0:a.b.c.d (IPv4-translated).
            if s[..4].iter().all(|x| *x == 0) && s[4] == 0xffff && s[5] == 0 {
                return is_private(embedded(s[6], s[7]));
            }
            // ::a.b.c.d (IPv4-compatible, deprecated) and ::/96 itself.
            if s[..6].iter().all(|x| *x == 0) {
                return true;
            }
            // NAT64 (64:ff9b::/96 and the local-use 64:ff9b:1::/48).
            if s[0] == 0x64 && s[1] == 0xff9b {
                return s[2] == 1 || is_private(embedded(s[6], s[7]));
            }
            // 6to4 carries its IPv4 address in bits 16..48.
            if s[0] == 0x2002 {
                return is_private(embedded(s[1], s[2]));
            }
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || s[0] == 0x2001 && s[1] == 0 // Teredo (2001::/32): obfuscated IPv4
                || s[0] == 0x2001 && s[1] == 0x0db8 // documentation
                || s[0] == 0x2001 && s[1] == 0x0002 && s[2] == 0 // benchmarking 2001:2::/48
                || (s[0] & 0xfff0) == 0x3ff0 // documentation 3fff::/20
                || s[0] == 0x5f00 // segment routing 5f00::/16
                || s[0] == 0x0100 && s[1..4].iter().all(|x| *x == 0) // discard-only 100::/64
                || (s[0] & 0xfe00) == 0xfc00 // unique local
                || (s[0] & 0xffc0) == 0xfe80 // link-local
                || (s[0] & 0xffc0) == 0xfec0 // site-local (deprecated)
        }
    }
}

/// The configured headers as HTTP headers, minus those the transport owns.
pub(crate) fn headers(
    c: &RemoteConfig,
) -> Result<HashMap<reqwest::header::HeaderName, reqwest::header::HeaderValue>, Failure> {
    let mut out = HashMap::new();
    for (k, v) in &c.headers {
        if RESERVED.iter().any(|r| k.eq_ignore_ascii_case(r)) {
            continue;
        }
        let name = reqwest::header::HeaderName::from_bytes(k.as_bytes()).map_err(|_| {
            Failure::unhealthy(
                "configure",
                format!("header name '{k}' is not a valid HTTP header name"),
            )
        })?;
        let value = reqwest::header::HeaderValue::from_str(v).map_err(|_| {
            Failure::unhealthy(
                "configure",
                format!("the value of header '{k}' is not a valid HTTP header value"),
            )
        })?;
        out.insert(name, value);
    }
    Ok(out)
}

pub(crate) fn needs_auth(phase: &'static str, what: String) -> Failure {
    Failure {
        status: HealthStatus::NeedsAuth,
        ..Failure::unhealthy(phase, what)
    }
}

/// Streamable HTTP: rmcp's client transport does the POSTs (with
/// `Accept: application/json, text/event-stream`), carries `Mcp-Session-Id`
/// and DELETEs the session when the conversation closes.
pub(crate) async fn check_streamable(
    target: Target,
    c: &RemoteConfig,
    plan: &Plan,
    phase: &Phase,
    handshake: Handshake,
) -> Result<Findings, Failure> {
    phase.set("connect");
    let client = target.client()?;
    let config = StreamableHttpClientTransportConfig::with_uri(target.url.as_str())
        .custom_headers(headers(c)?);
    let transport = StreamableHttpClientTransport::with_client(client.clone(), config);
    let conversation = converse(transport, phase, handshake, plan);
    match tokio::time::timeout(plan.timeouts.overall(), conversation).await {
        Ok(Ok(f)) => Ok(f),
        Ok(Err(e)) => {
            let status = http_status(&e);
            let mut f = conv_failure(e);
            // 401/403 have their own verdict and words.
            if let Some(code) = status.filter(|c| !matches!(c, 401 | 403)) {
                f.error = http_answer(&client, &target.url, c, code).await;
            }
            Err(f)
        }
        Err(_) => Err(plan.timeouts.overall_timed_out(phase)),
    }
}

/// The words for a handshake answered with HTTP `code`: rmcp keeps only the
/// status, so the handshake's first request is sent once more for the
/// start of the body, where servers say what is wrong (a wrong path, a
/// missing key). Bounded in time and size.
async fn http_answer(
    client: &reqwest::Client,
    url: &url::Url,
    c: &RemoteConfig,
    code: u16,
) -> String {
    let reason = reqwest::StatusCode::from_u16(code)
        .ok()
        .and_then(|s| s.canonical_reason())
        .map(|r| format!(" {r}"))
        .unwrap_or_default();
    let said = format!("the server answered HTTP {code}{reason} to the handshake");
    let initialize = serde_json::json!({
        "jsonrpc": "2.0", "id": 0, "method": "initialize",
        "params": {"protocolVersion": "2025-11-25", "capabilities": {},
                   "clientInfo": {"name": "ai-agent-server", "version": env!("CARGO_PKG_VERSION")}},
    });
    let Ok(extra) = headers(c) else { return said };
    let request = client
        .post(url.clone())
        .headers(extra.into_iter().collect())
        .header(
            reqwest::header::ACCEPT,
            "application/json, text/event-stream",
        )
        .json(&initialize)
        .timeout(Duration::from_secs(5))
        .send();
    let Ok(Ok(resp)) = tokio::time::timeout(Duration::from_secs(5), request).await else {
        return said;
    };
    if resp.status().as_u16() != code {
        return said;
    }
    let body = tokio::time::timeout(Duration::from_secs(5), super::reasons::body_start(resp))
        .await
        .unwrap_or_default();
    match super::reasons::body_excerpt(&body) {
        Some(excerpt) => format!("{said}: {excerpt}"),
        None => said,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_ranges_and_embedded_forms_are_refused() {
        for a in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "198.18.0.1",
            "198.19.255.255",
            "240.0.0.1",
            "255.255.255.255",
            "224.0.0.1",
            "192.0.2.1",
            "192.0.0.8",
            "::1",
            "::",
            "::ffff:127.0.0.1",
            "::127.0.0.1",
            "::10.0.0.1",
            "64:ff9b::7f00:1",
            "64:ff9b::a00:1",
            "64:ff9b:1::1",
            "2002:7f00:1::",
            "2002:a00:1::1",
            "2001::1",
            "2001:db8::1",
            "fc00::1",
            "fd12::1",
            "fe80::1",
            "fec0::1",
            "ff02::1",
            "100::1",
            "192.88.99.1",
            "::ffff:0:7f00:1",
            "2001:2::1",
            "3fff::1",
            "5f00::1",
        ] {
            assert!(is_private(a.parse().expect(a)), "{a} must be refused");
        }
        for a in [
            "93.184.216.34",
            "1.1.1.1",
            "2606:4700::1111",
            "64:ff9b::5db8:d822",
            "2002:5db8:d822::1",
        ] {
            assert!(!is_private(a.parse().expect(a)), "{a} is public");
        }
    }
}
