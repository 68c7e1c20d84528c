//! The demo's year ends in the present (issue 11, item 9): moved by the demo's shift, and with
//! the votes dated at their meeting rather than when the demo was loaded.

use anyhow::Result;
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
