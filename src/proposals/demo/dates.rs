//! The demo's year ends in the present (issue 11, item 9): moved by the demo's shift, and with
//! the votes dated at their meeting rather than when the demo was loaded.

use anyhow::{Context, Result};
use sqlx::PgConnection;

use super::at;
use super::data::YearEnd;
use crate::cycle::demo::Shift;

/// A year's end moved by `s`: its year, the meeting, the letter and the decision.
pub(super) fn shifted(d: &YearEnd, s: Shift) -> YearEnd {
    YearEnd {
        year: s.year(d.year),
        meeting: s.ymd(d.meeting),
        letter: s.ymd(d.letter),
        decision: d.decision.map(|(n, on, by)| (n, s.ymd(on), by)),
        ..*d
    }
}

/// The demo's votes were held at the meeting, not when the demo was loaded.
pub(super) async fn date_vote(
    conn: &mut PgConnection,
    t: i64,
    id: i64,
    meeting: (i32, u32, u32),
) -> Result<()> {
    sqlx::query(
        "UPDATE votes SET created_at = $3, opened_at = $3 + interval '30 minutes',
                closed_at = $3 + interval '2 hours'
          WHERE tenant_id = $1 AND id = $2",
    )
    .bind(t)
    .bind(id)
    .bind(at(meeting, 8))
    .execute(conn)
    .await?;
    Ok(())
}

/// The council decides by outcome, then drafts and issues the decision through the same store
/// functions as its pages (`crate::decisions`), dated as the seed tells: the histories hold the
/// same awards, number, date and issuer as when the demo typed the decision, and the demo has
/// one issued, printable decision.
pub(super) async fn decide_and_issue(
    conn: &mut crate::db::TenantTx,
    actor: &crate::audit::Actor,
    year: i32,
    p: &crate::proposals::store::Proposal,
    nominees: &[crate::proposals::store::Nominee],
    (number, signed, issuer): (&str, (i32, u32, u32), &str),
) -> Result<()> {
    use crate::decisions::{draft, handlers::steps, store as decisions};
    let on = super::date(signed);
    let when = Some(at(signed, 15));
    crate::proposals::store::record_outcome(conn, actor, p, nominees, when).await?;
    // "Chủ tịch Ủy ban nhân dân tỉnh Lạng Sơn": the signer's title, then the authority.
    let (title, authority) = match issuer.strip_prefix("Chủ tịch ") {
        Some(rest) => ("Chủ tịch", rest),
        None => ("", issuer),
    };
    let settings = decisions::Settings {
        authority: authority.into(),
        signer_title: title.into(),
        ..Default::default()
    };
    decisions::save_settings(conn, actor, &settings).await?;
    let id = draft::draft(conn, actor, year, &[p.id], on)
        .await?
        .map_err(|e| anyhow::anyhow!("demo decision: {e}"))?;
    let d = decisions::decision(conn, id, true)
        .await?
        .context("decision")?;
    steps::issue_now(conn, actor, &d, (number, on), when).await?;
    Ok(())
}
