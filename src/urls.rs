//! URL rules (docs/architecture.md, "URLs"): https only, except on loopback hosts.

use crate::error::{Error, Result};

/// True for `127.0.0.1`, `::1` and `localhost`.
pub fn is_loopback_host(host: &url::Host<&str>) -> bool {
    match host {
        url::Host::Domain(d) => d.eq_ignore_ascii_case("localhost"),
        url::Host::Ipv4(ip) => *ip == std::net::Ipv4Addr::LOCALHOST,
        url::Host::Ipv6(ip) => *ip == std::net::Ipv6Addr::LOCALHOST,
    }
}

/// Checks that `value` is an absolute https URL, or http on a loopback host.
pub fn check_url(field: &str, value: &str) -> Result<()> {
    let parsed = url::Url::parse(value)
        .map_err(|e| Error::request(field, format!("is not an absolute URL ({e})")))?;
    let host = parsed
        .host()
        .ok_or_else(|| Error::request(field, "has no host"))?;
    match parsed.scheme() {
        "https" => Ok(()),
        "http" if is_loopback_host(&host) => Ok(()),
        "http" => Err(Error::request(
            field,
            "must use https (plain http is allowed only for 127.0.0.1, ::1 and localhost)",
        )),
        other => Err(Error::request(
            field,
            format!("has unsupported scheme '{other}'"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::check_url;

    #[test]
    fn https_or_loopback() {
        assert!(check_url("URL_OK", "https://shop.example/ok").is_ok());
        assert!(check_url("URL_OK", "http://127.0.0.1:8080/ok").is_ok());
        assert!(check_url("URL_OK", "http://[::1]:8080/ok").is_ok());
        assert!(check_url("URL_OK", "http://localhost/ok").is_ok());
        assert!(check_url("URL_OK", "http://shop.example/ok").is_err());
        assert!(check_url("URL_OK", "http://127.0.0.2/ok").is_err());
        assert!(check_url("URL_OK", "ftp://shop.example/ok").is_err());
        assert!(check_url("URL_OK", "/relative").is_err());
    }
}
