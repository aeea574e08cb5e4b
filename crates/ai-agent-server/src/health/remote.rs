//! Remote targets: the private-address policy, a pinned HTTP client, and
//! the streamable HTTP check through rmcp's client transport.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use mcp_model::RemoteConfig;
use mcp_model::api::HealthStatus;
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;

use super::{Failure, Findings, Phase, Refused, conv_failure, converse};

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
        let url = url::Url::parse(raw)
            .map_err(|e| Refused(format!("the server's URL '{raw}' is not valid: {e}")))?;
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
            None => return Err(Refused(format!("the server's URL '{raw}' has no host"))),
        };
        if let Some(bad) = addrs.iter().find(|a| is_private(a.ip())) {
            return Err(Refused(format!(
                "{name} resolves to {}, a loopback, private or link-local address; this server does not health-check such addresses (AI_AGENT_HEALTH_ALLOW_PRIVATE=false)",
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
        let mut b = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(10));
        if let Some((host, addrs)) = &self.pinned {
            b = b.resolve_to_addrs(host, addrs);
        }
        b.build()
            .map_err(|e| Failure::unhealthy("connect", format!("cannot build an HTTP client: {e}")))
    }
}

/// Loopback, private, link-local, shared, unspecified and the like.
pub(crate) fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || o[0] == 0
                || (o[0] == 100 && (o[1] & 0xc0) == 64)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_private(IpAddr::V4(v4));
            }
            let s = v6.segments();
            v6.is_loopback()
                || v6.is_unspecified()
                || (s[0] & 0xfe00) == 0xfc00
                || (s[0] & 0xffc0) == 0xfe80
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

pub(crate) fn timed_out(timeout: Duration, phase: &Phase) -> Failure {
    let at = phase.get();
    Failure::unhealthy(
        at,
        format!("timed out after {}s during {at}", timeout.as_secs()),
    )
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
    timeout: Duration,
    phase: &Phase,
) -> Result<Findings, Failure> {
    phase.set("connect");
    let client = target.client()?;
    let config = StreamableHttpClientTransportConfig::with_uri(target.url.as_str())
        .custom_headers(headers(c)?);
    let transport = StreamableHttpClientTransport::with_client(client, config);
    match tokio::time::timeout(timeout, converse(transport, phase)).await {
        Ok(Ok(f)) => Ok(f),
        Ok(Err(e)) => Err(conv_failure(e)),
        Err(_) => Err(timed_out(timeout, phase)),
    }
}
