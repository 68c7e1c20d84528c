use super::*;

/// The place the tenant writes in document dates ("Lạng Sơn, ngày …").
pub async fn tenant_place(tx: &mut TenantTx) -> sqlx::Result<String> {
    let tenant_id = tx.tenant_id();
    let place: Option<String> = sqlx::query_scalar("SELECT place_name FROM tenants WHERE id = $1")
        .bind(tenant_id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(place.unwrap_or_default())
}

/// Where a unit stands in the pledge and the registration of each of its years: what its home
/// page asks it to do next (the home page reads it with the year's progress, in one statement).
#[derive(sqlx::FromRow, Debug, Clone)]
pub struct UnitSteps {
    pub cluster_year_id: i64,
    pub pledge_state: Option<String>,
    pub signed: bool,
    pub registration_state: Option<String>,
}

impl UnitSteps {
    pub fn pledge(&self) -> Option<crate::cycle::model::PledgeState> {
        self.pledge_state
            .as_deref()
            .and_then(crate::cycle::model::PledgeState::parse)
    }

    pub fn registration(&self) -> Option<crate::cycle::model::RegistrationState> {
        self.registration_state
            .as_deref()
            .and_then(crate::cycle::model::RegistrationState::parse)
    }
}

/// Each member's pledge signature and registration state, with the pledge's state: the leader's
/// dashboard shows them beside the scores. One statement.
#[derive(sqlx::FromRow, Debug, Clone)]
pub struct MemberSteps {
    pub unit_id: i64,
    pub pledge_state: Option<String>,
    pub signed: bool,
    pub registration_state: Option<String>,
}

impl MemberSteps {
    pub fn registration(&self) -> Option<crate::cycle::model::RegistrationState> {
        self.registration_state
            .as_deref()
            .and_then(crate::cycle::model::RegistrationState::parse)
    }
}

pub async fn member_steps(tx: &mut TenantTx, year_id: i64) -> sqlx::Result<Vec<MemberSteps>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        "SELECT m.unit_id,
                (SELECT p.state FROM pledges p
                  WHERE p.tenant_id = $1 AND p.cluster_year_id = $2) AS pledge_state,
                EXISTS (SELECT 1 FROM pledge_signatures s
                         WHERE s.tenant_id = $1 AND s.cluster_year_id = $2
                           AND s.unit_id = m.unit_id) AS signed,
                r.state AS registration_state
           FROM cluster_members m
           LEFT JOIN registrations r ON r.tenant_id = m.tenant_id
                 AND r.cluster_year_id = m.cluster_year_id AND r.unit_id = m.unit_id
          WHERE m.tenant_id = $1 AND m.cluster_year_id = $2",
    )
    .bind(tenant_id)
    .bind(year_id)
    .fetch_all(&mut **tx)
    .await
}
