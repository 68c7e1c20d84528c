use super::*;

async fn user(tx: &mut TenantTx, username: &str) -> Result<i64> {
    auth_store::user_id_by_username(tx, username)
        .await?
        .with_context(|| format!("demo user {username}"))
}

/// The demo records who would have acted; the label says it was the demo.
fn acting(tenant_id: i64, user_id: i64, username: &str) -> Actor {
    Actor {
        tenant_id,
        user_id: Some(user_id),
        label: format!("{username} (dữ liệu demo)"),
        ip: String::new(),
    }
}

async fn year_id(conn: &mut TenantTx, cluster: &str, year: i32) -> Result<i64> {
    let c = org_store::cluster_by_name(conn, cluster)
        .await?
        .with_context(|| format!("demo cluster {cluster}"))?;
    Ok(org_store::year_of_cluster(conn, c.id, year)
        .await?
        .with_context(|| format!("demo year {cluster} {year}"))?
        .id)
}

/// Seeds the law's catalogue and renames the category of the ministry's or province's flag to
/// the council's own flag, as a council does: documents print the award's real name. Once
/// renamed, the catalogue is not seeded again, or the category would come back beside it.
async fn seed_catalogue(conn: &mut TenantTx, actor: &Actor, tenant_code: &str) -> Result<()> {
    let own = OWN_FLAGS
        .iter()
        .find(|(t, _)| *t == tenant_code)
        .map(|o| o.1);
    let awards = crate::cycle::store::award_types(conn).await?;
    if own.is_some_and(|o| awards.iter().any(|a| a.f.name == o)) {
        return Ok(());
    }
    seed_award_types(conn, actor).await?;
    let Some(own) = own else {
        return Ok(());
    };
    let awards = crate::cycle::store::award_types(conn).await?;
    if let Some(a) = awards.iter().find(|a| a.f.name == FLAG_CATEGORY) {
        let f = crate::cycle::store::AwardTypeFields {
            name: own.to_string(),
            ..a.f.clone()
        };
        crate::cycle::store::update_award_type(conn, actor, a.id, &f).await?;
    }
    Ok(())
}

/// Loads the tenant's movements, pledges and registrations, every date moved by `shift`.
pub async fn load(
    conn: &mut TenantTx,
    actor: &Actor,
    tenant_code: &str,
    shift: Shift,
) -> Result<()> {
    let t = actor.tenant_id;
    seed_catalogue(conn, actor, tenant_code).await?;
    let awards = crate::cycle::store::award_types(conn).await?;
    let award = |name: &str| awards.iter().find(|a| a.f.name == name).map(|a| a.id);

    for m in MOVEMENTS.iter().filter(|m| m.tenant == tenant_code) {
        let (name, content) = (shift.text(m.name), shift.text(m.content));
        if movements::id_by_name(conn, &name).await?.is_some() {
            continue;
        }
        let mut cluster_ids = Vec::new();
        for name in m.clusters {
            if let Some(c) = org_store::cluster_by_name(conn, name).await? {
                cluster_ids.push(c.id);
            }
        }
        cluster_ids.sort_unstable();
        let date = |ymd: Ymd| {
            let (y, mo, d) = shift.ymd(ymd);
            chrono::NaiveDate::from_ymd_opt(y, mo, d)
        };
        let launched_by = match m.launched_by {
            Some(code) => org_store::unit_by_code(conn, code).await?.map(|u| u.id),
            None => None,
        };
        let f = MovementFields {
            name,
            kind: m.kind.to_string(),
            starts_on: date(m.period.0),
            ends_on: m.period.1.and_then(date),
            content,
            cluster_ids,
        };
        movements::insert(conn, actor, launched_by, &f).await?;
    }

    for (_, cluster, year, day) in PLEDGES.iter().filter(|p| p.0 == tenant_code) {
        let year = &shift.year(*year);
        let y = year_id(conn, cluster, *year).await?;
        if pledge::pledge(conn, y, false).await?.is_some() {
            continue;
        }
        pledge::ensure(conn, actor, y).await?;
        let texts = commitments(*year);
        for text in &texts {
            pledge::add_item(conn, actor, y, text).await?;
        }
        let opened = at(*year, 1, *day, 8, 0);
        pledge::set_state(
            conn,
            actor,
            y,
            PledgeState::Draft,
            PledgeState::Open,
            Some(opened),
        )
        .await?;
        let members = org_store::members(conn, y).await?;
        let mut last = opened;
        for (i, m) in members.iter().enumerate() {
            let unit = org_store::unit(conn, m.unit_id)
                .await?
                .context("demo unit")?;
            let head = user(conn, &format!("thutruong.{}", unit.f.code)).await?;
            last = at(*year, 1, *day, 9, 5 * i as u32 % 60);
            pledge::sign(conn, actor, y, m.unit_id, head, Some(last)).await?;
        }
        pledge::set_state(
            conn,
            actor,
            y,
            PledgeState::Open,
            PledgeState::Locked,
            Some(last),
        )
        .await?;
    }

    for (_, cluster, year, (dm, dd), regs) in REGISTRATIONS.iter().filter(|r| r.0 == tenant_code) {
        let year = &shift.year(*year);
        let y = year_id(conn, cluster, *year).await?;
        if registrations::deadline(conn, y).await?.is_none() {
            let deadline = chrono::NaiveDate::from_ymd_opt(*year, *dm, *dd);
            registrations::set_deadline(conn, actor, y, None, deadline).await?;
        }
        let leader = org_store::cluster_year(conn, y)
            .await?
            .and_then(|cy| cy.leader_unit_id);
        let leader_code = match leader {
            Some(l) => org_store::unit(conn, l).await?.map(|u| u.f.code),
            None => None,
        };
        for (i, (code, aim, counts, initiatives, state)) in regs.iter().enumerate() {
            let Some(unit) = org_store::unit_by_code(conn, code).await? else {
                continue;
            };
            if registrations::registration(conn, y, unit.id, false)
                .await?
                .is_some()
            {
                continue;
            }
            let officer_name = format!("canbo.{code}");
            let officer = acting(t, user(conn, &officer_name).await?, &officer_name);
            let f = RegistrationFields {
                award_type_id: award(aim),
                commendation_type_id: None,
                counts: counts
                    .iter()
                    .filter_map(|(name, n)| award(name).map(|a| (a, *n)))
                    .collect(),
                initiatives: initiatives
                    .iter()
                    .map(|(kind, name, author)| Initiative {
                        kind: kind.to_string(),
                        name: name.to_string(),
                        author: author.to_string(),
                    })
                    .collect(),
                notes: String::new(),
            };
            registrations::save(conn, &officer, y, unit.id, &f).await?;
            if *state == RegistrationState::Draft {
                continue;
            }
            let head_name = format!("thutruong.{code}");
            let head = acting(t, user(conn, &head_name).await?, &head_name);
            let submitted = at(*year, 1, 15 + i as u32 % 10, 10, 0);
            registrations::submit(
                conn,
                &head,
                y,
                unit.id,
                RegistrationState::Draft,
                Some(submitted),
            )
            .await?;
            if *state == RegistrationState::Returned
                && let Some(lc) = &leader_code
            {
                let leader_name = format!("canbo.{lc}");
                let leader = acting(t, user(conn, &leader_name).await?, &leader_name);
                let returned = at(*year, 1, 27, 14, 30);
                registrations::return_to_unit(
                    conn,
                    &leader,
                    y,
                    unit.id,
                    RETURN_REASON,
                    Some(returned),
                )
                .await?;
            }
        }
    }
    Ok(())
}
