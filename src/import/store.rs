//! The SQL an import needs beyond the organisation's own store: everything that exists, in one
//! query each, and a lock so that two imports of one tenant do not interleave.

use std::collections::{HashMap, HashSet};

use sqlx::PgConnection;

use crate::db::TenantTx;
use crate::org::store::Unit;

use crate::audit::Actor;
use crate::org::store as org_store;

use super::model::{
    AccountLine, ExistingUnit, ExistingUser, UnitChange, UnitLine, UnitRef, UnitStep, UserStep,
};

/// Waits for any other import of this tenant to finish; held until the transaction ends.
/// (Importing the same file twice at once then changes things once.)
pub async fn lock_imports(tx: &mut TenantTx) -> sqlx::Result<()> {
    let tenant_id = tx.tenant_id();
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('thidua.import'), ($1 % 2147483647)::int)")
        .bind(tenant_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Every unit of the tenant, by code.
pub async fn units(tx: &mut TenantTx) -> sqlx::Result<HashMap<String, ExistingUnit>> {
    let tenant_id = tx.tenant_id();
    let rows: Vec<Unit> = sqlx::query_as(
        "SELECT id, active, code, name, short_name, kind, head_name, head_title, place_name,
                address, phone, email, superior
           FROM units WHERE tenant_id = $1",
    )
    .bind(tenant_id)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|u| {
            (
                u.f.code.clone(),
                ExistingUnit {
                    id: u.id,
                    active: u.active,
                    fields: u.f,
                },
            )
        })
        .collect())
}

/// Every unit of the tenant, by code, as a user row may point at it.
pub async fn unit_refs(tx: &mut TenantTx) -> sqlx::Result<HashMap<String, UnitRef>> {
    let tenant_id = tx.tenant_id();
    let rows: Vec<(String, i64, String, bool)> =
        sqlx::query_as("SELECT code, id, name, active FROM units WHERE tenant_id = $1")
            .bind(tenant_id)
            .fetch_all(&mut **tx)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(code, id, name, active)| (code, UnitRef { id, name, active }))
        .collect())
}

/// Every account of the tenant, by username.
pub async fn users(tx: &mut TenantTx) -> sqlx::Result<HashMap<String, ExistingUser>> {
    let tenant_id = tx.tenant_id();
    let rows: Vec<(String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT u.username, u.full_name, u.role, un.code
           FROM users u LEFT JOIN units un ON un.tenant_id = u.tenant_id AND un.id = u.unit_id
          WHERE u.tenant_id = $1",
    )
    .bind(tenant_id)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(username, full_name, role, unit_code)| {
            (
                username,
                ExistingUser {
                    full_name,
                    role,
                    unit_code,
                },
            )
        })
        .collect())
}

/// Which of these usernames exist anywhere (in any tenant), asked through the one narrow
/// function that may look across tenants.
pub async fn usernames_taken(
    conn: &mut PgConnection,
    names: &[String],
) -> sqlx::Result<HashSet<String>> {
    if names.is_empty() {
        return Ok(HashSet::new());
    }
    let taken: Vec<String> =
        sqlx::query_scalar("SELECT n FROM unnest($1::text[]) AS n WHERE auth_username_taken(n)")
            .bind(names)
            .fetch_all(conn)
            .await?;
    Ok(taken.into_iter().collect())
}

/// What applying a checked plan did, or the row whose write met a row another user added
/// meanwhile (then nothing may be committed).
pub enum Applied<T> {
    Done(T),
    Conflict(u32),
}

/// A row that another user created meanwhile (a unique key).
fn conflict(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .is_some_and(|d| d.code().as_deref() == Some("23505"))
}

pub struct UnitsDone {
    pub created: Vec<UnitLine>,
    pub updated: Vec<UnitLine>,
    pub unchanged: usize,
}

/// Creates and updates the plan's units, each with its audit row.
pub async fn apply_units(
    tx: &mut TenantTx,
    actor: &Actor,
    steps: Vec<UnitStep>,
) -> sqlx::Result<Applied<UnitsDone>> {
    let mut done = UnitsDone {
        created: Vec::new(),
        updated: Vec::new(),
        unchanged: 0,
    };
    for step in steps {
        let line = |changed: String| UnitLine {
            row: step.row,
            code: step.fields.code.clone(),
            name: step.fields.name.clone(),
            changed,
        };
        let result = match &step.change {
            UnitChange::Create => org_store::insert_unit(tx, actor, &step.fields)
                .await
                .map(|_| done.created.push(line(String::new()))),
            UnitChange::Update { id, changed } => {
                org_store::update_unit(tx, actor, *id, &step.fields)
                    .await
                    .map(|_| done.updated.push(line(changed.join(", "))))
            }
            UnitChange::Unchanged => {
                done.unchanged += 1;
                Ok(())
            }
        };
        match result {
            Ok(()) => {}
            Err(e) if conflict(&e) => return Ok(Applied::Conflict(step.row)),
            Err(e) => return Err(e),
        }
    }
    Ok(Applied::Done(done))
}

pub struct UsersDone {
    pub accounts: Vec<AccountLine>,
    pub unchanged: usize,
}

/// Creates the plan's new accounts, each with a one-time password and its audit row.
pub async fn apply_users(
    tx: &mut TenantTx,
    actor: &Actor,
    steps: Vec<UserStep>,
) -> anyhow::Result<Applied<UsersDone>> {
    let mut done = UsersDone {
        accounts: Vec::new(),
        unchanged: 0,
    };
    for step in steps {
        if !step.create {
            done.unchanged += 1;
            continue;
        }
        let issued = crate::admin::issue_account(
            tx,
            actor,
            &step.username,
            &step.full_name,
            step.role,
            step.unit_id,
        )
        .await;
        if let (Ok(_), Some(email)) = (&issued, &step.email) {
            sqlx::query("UPDATE users SET email = $2 WHERE username = $1")
                .bind(&step.username)
                .bind(email)
                .execute(&mut **tx)
                .await?;
        }
        match issued {
            Ok(otp) => done.accounts.push(AccountLine {
                row: step.row,
                username: step.username,
                full_name: step.full_name,
                role: step.role.label(),
                unit_name: step.unit_name.unwrap_or_default(),
                otp,
            }),
            Err(e) if e.downcast_ref::<sqlx::Error>().is_some_and(conflict) => {
                return Ok(Applied::Conflict(step.row));
            }
            Err(e) => return Err(e),
        }
    }
    Ok(Applied::Done(done))
}
