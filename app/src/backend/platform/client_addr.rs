//! Who is on the other end of a request: the peer's address, or — only when the peer is one of our own
//! reverse proxies (`LD_TRUSTED_PROXIES`) — the address it says it forwarded for. Rate limits and the
//! audit trail both use this one answer; a client that sends `X-Forwarded-For` itself is not believed.

use ipnet::IpNet;
use std::net::IpAddr;

/// The client's address as decided for this request (put on the request by the server's middleware).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

/// Parses `LD_TRUSTED_PROXIES`: addresses or CIDR blocks, separated by commas or spaces.
pub fn parse_trusted(text: &str) -> Result<Vec<IpNet>, String> {
    text.split([',', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<IpNet>().or_else(|_| s.parse::<IpAddr>().map(IpNet::from)).map_err(|_| format!("not an address or CIDR block: {s}"))
        })
        .collect()
}

/// The client behind `peer`. From a trusted proxy, `X-Forwarded-For` is read from its right end (the
/// entry our proxy added) leftwards, skipping our own proxies: the first other address is the client.
/// IPv4 addresses written as IPv6 (`::ffff:10.0.0.1`) are read as IPv4, so a proxy block matches either way.
/// Entries further left were written by whoever sent the request and prove nothing.
pub fn resolve(peer: IpAddr, forwarded_for: Option<&str>, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |a: &IpAddr| trusted.iter().any(|net| net.contains(a));
    if !is_trusted(&peer) {
        return peer;
    }
    let Some(header) = forwarded_for else { return peer };
    let mut client = peer;
    for entry in header.rsplit(',').map(str::trim).take(32) {
        let Ok(addr) = entry.parse::<IpAddr>().map(|a| a.to_canonical()) else { break };
        client = addr;
        if !is_trusted(&addr) {
            break;
        }
    }
    client
}

/// What the per-address limits count by: an IPv4 address, or an IPv6 client's /64 (one subscriber's
/// network holds 2^64 addresses: counting each alone would let one client rotate past any limit). The audit
/// trail keeps the full address.
pub fn limiter_key(addr: IpAddr) -> IpAddr {
    match addr {
        IpAddr::V6(v6) => {
            let mut bytes = v6.octets();
            bytes[8..].fill(0);
            IpAddr::from(bytes)
        }
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn only_our_proxies_are_believed_and_only_for_the_entries_they_added() {
        let trusted = parse_trusted("10.0.0.0/8, 192.168.1.5").unwrap();
        // A client talking to us directly cannot choose its address.
        assert_eq!(resolve(ip("203.0.113.9"), Some("1.2.3.4"), &trusted), ip("203.0.113.9"));
        // Behind our proxy: the address the proxy saw.
        assert_eq!(resolve(ip("10.1.2.3"), Some("198.51.100.7"), &trusted), ip("198.51.100.7"));
        // A forged entry to the left of it changes nothing.
        assert_eq!(resolve(ip("10.1.2.3"), Some("1.2.3.4, 198.51.100.7"), &trusted), ip("198.51.100.7"));
        // Two of our proxies in a row are skipped.
        assert_eq!(resolve(ip("192.168.1.5"), Some("198.51.100.7, 10.9.9.9"), &trusted), ip("198.51.100.7"));
        // Garbage stops the walk at the last good address.
        assert_eq!(resolve(ip("10.1.2.3"), Some("nonsense"), &trusted), ip("10.1.2.3"));
        assert_eq!(resolve(ip("10.1.2.3"), None, &trusted), ip("10.1.2.3"));
        assert!(parse_trusted("10.0.0.0/33").is_err());
        // IPv4 written as IPv6 matches an IPv4 block.
        assert_eq!(resolve(ip("10.1.2.3"), Some("::ffff:198.51.100.7"), &trusted), ip("198.51.100.7"));
        // One IPv6 network is one client for the limits.
        assert_eq!(limiter_key(ip("2001:db8:1:2:aaaa::1")), limiter_key(ip("2001:db8:1:2:bbbb::9")));
        assert_ne!(limiter_key(ip("2001:db8:1:2::1")), limiter_key(ip("2001:db8:1:3::1")));
        assert_eq!(limiter_key(ip("198.51.100.7")), ip("198.51.100.7"));
        assert!(parse_trusted("").unwrap().is_empty());
    }
}
