//! Several PostgreSQL nodes behind one URL, the libpq way (`postgres://u@h1:p1,h2:p2/db`), as
//! `pg_autoctl show uri` prints it. sqlx takes one host per URL, so the list is split into one
//! set of connect options per node; thidua then connects to whichever node is the primary
//! (see `breaker`), because every request may write.

use std::str::FromStr;
use std::time::Duration;

use anyhow::{Context, Result};
use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, PgConnection};

/// One single-host URL per node of `url`, in the order given; a URL with one host comes back
/// whole. `target_session_attrs` is dropped: thidua always wants the read-write node.
pub fn split_url(url: &str) -> Result<Vec<String>, String> {
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err("no scheme (postgres://…)".into());
    };
    // The authority ends at the first '/' or '?' after the user part.
    let at = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(at);
    let (user, hosts) = match authority.rfind('@') {
        Some(i) => (&authority[..=i], &authority[i + 1..]),
        None => ("", authority),
    };
    let tail = drop_param(tail, "target_session_attrs");
    if !hosts.contains(',') {
        return Ok(vec![format!("{scheme}://{user}{hosts}{tail}")]);
    }
    hosts
        .split(',')
        .map(|h| {
            if h.trim().is_empty() {
                Err(format!("an empty host in the list '{hosts}'"))
            } else {
                Ok(format!("{scheme}://{user}{}{tail}", h.trim()))
            }
        })
        .collect()
}

/// `tail` (path and query) without the parameter `name`.
fn drop_param(tail: &str, name: &str) -> String {
    let Some((path, query)) = tail.split_once('?') else {
        return tail.to_string();
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|kv| !kv.is_empty() && kv.split('=').next() != Some(name))
        .collect();
    if kept.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", kept.join("&"))
    }
}

/// The connect options of every node of `url`.
pub fn parse(url: &str, what: &str) -> Result<Vec<PgConnectOptions>> {
    split_url(url)
        .map_err(|e| anyhow::anyhow!("{what} is not a valid PostgreSQL URL: {e}"))?
        .iter()
        .map(|u| {
            PgConnectOptions::from_str(u)
                .with_context(|| format!("{what} is not a valid PostgreSQL URL"))
        })
        .collect()
}

const PROBE_TIMEOUT: Duration = Duration::from_secs(3);

/// Whether the node answers and, if `need_primary`, accepts writes (is not in recovery).
pub async fn answers(options: &PgConnectOptions, need_primary: bool) -> bool {
    let attempt = async {
        let mut conn = PgConnection::connect_with(options).await?;
        let standby: bool = sqlx::query_scalar("SELECT pg_is_in_recovery()")
            .fetch_one(&mut conn)
            .await?;
        conn.close().await?;
        Ok::<bool, sqlx::Error>(!standby || !need_primary)
    };
    matches!(
        tokio::time::timeout(PROBE_TIMEOUT, attempt).await,
        Ok(Ok(true))
    )
}

/// The first node that answers as primary (any node that answers when there is only one).
pub async fn find_primary(nodes: &[PgConnectOptions]) -> Option<&PgConnectOptions> {
    let need_primary = nodes.len() > 1;
    for node in nodes {
        if answers(node, need_primary).await {
            return Some(node);
        }
    }
    None
}

/// At start: waits (up to `wait`) for a primary among `nodes`, as a failover may be under way.
pub async fn wait_for_primary(
    nodes: &[PgConnectOptions],
    wait: Duration,
) -> Result<PgConnectOptions> {
    if nodes.len() == 1 {
        return Ok(nodes[0].clone());
    }
    let started = std::time::Instant::now();
    loop {
        if let Some(p) = find_primary(nodes).await {
            tracing::info!(host = p.get_host(), port = p.get_port(), "primary found");
            return Ok(p.clone());
        }
        anyhow::ensure!(
            started.elapsed() < wait,
            "none of the {} PostgreSQL nodes accepted writes within {} s",
            nodes.len(),
            wait.as_secs()
        );
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_uri_pg_autoctl_prints_gives_one_url_per_node() {
        let url = "postgres://autoctl_node@127.0.0.1:5501,127.0.0.1:5502/thidua?target_session_attrs=read-write&sslmode=prefer";
        assert_eq!(
            split_url(url).unwrap(),
            [
                "postgres://autoctl_node@127.0.0.1:5501/thidua?sslmode=prefer",
                "postgres://autoctl_node@127.0.0.1:5502/thidua?sslmode=prefer",
            ]
        );
        let nodes = parse(url, "DATABASE_URL").unwrap();
        assert_eq!(
            nodes.iter().map(|n| n.get_port()).collect::<Vec<_>>(),
            [5501, 5502]
        );
        assert!(nodes.iter().all(|n| n.get_username() == "autoctl_node"));
        assert!(nodes.iter().all(|n| n.get_database() == Some("thidua")));
    }

    #[test]
    fn a_single_host_url_is_kept_whole_and_passwords_with_at_signs_survive() {
        assert_eq!(
            split_url("postgres://u:p@ss@db.example:5432/thidua").unwrap(),
            ["postgres://u:p@ss@db.example:5432/thidua"]
        );
        assert_eq!(
            split_url("postgres://u:p@ss@h1,h2:6000/thidua?target_session_attrs=read-write")
                .unwrap(),
            [
                "postgres://u:p@ss@h1/thidua",
                "postgres://u:p@ss@h2:6000/thidua"
            ]
        );
        let n = parse("postgres://u:p%40ss@h1,h2:6000/thidua", "X").unwrap();
        assert_eq!((n[0].get_host(), n[0].get_port()), ("h1", 5432));
        assert_eq!((n[1].get_host(), n[1].get_port()), ("h2", 6000));
    }

    #[test]
    fn broken_lists_are_refused_with_a_reason() {
        assert!(split_url("127.0.0.1:5432/thidua").is_err());
        assert!(split_url("postgres://u@h1,,h2/thidua").is_err());
        assert!(split_url("postgres://u@h1,/thidua").is_err());
    }

    proptest! {
        /// Any list of hosts and ports comes back as that many nodes, in order, each with the
        /// same user, database and other parameters.
        #[test]
        fn every_node_of_a_list_is_kept_in_order(
            nodes in prop::collection::vec(("[a-z][a-z0-9.-]{0,12}", 1u16..), 1..5),
            user in "[a-z_][a-z0-9_]{0,8}",
            db in "[a-z_][a-z0-9_]{0,8}",
            attrs in prop::bool::ANY,
        ) {
            let hosts: Vec<String> = nodes.iter().map(|(h, p)| format!("{h}:{p}")).collect();
            let query = if attrs { "?target_session_attrs=read-write&application_name=t" } else { "?application_name=t" };
            let url = format!("postgres://{user}@{}/{db}{query}", hosts.join(","));
            let parsed = parse(&url, "X").unwrap();
            prop_assert_eq!(parsed.len(), nodes.len());
            for (o, (h, p)) in parsed.iter().zip(&nodes) {
                prop_assert_eq!(o.get_host(), h.as_str());
                prop_assert_eq!(o.get_port(), *p);
                prop_assert_eq!(o.get_username(), user.as_str());
                prop_assert_eq!(o.get_database(), Some(db.as_str()));
                prop_assert_eq!(o.get_application_name(), Some("t"));
            }
        }
    }
}
