//! Operator commands (`thidua admin …`): create tenants and users, reset passwords, disable
//! accounts. Each checks its input and says in plain words what is wrong.

use anyhow::{Result, bail};
use sqlx::PgPool;

use crate::audit::Actor;
use crate::auth::{Role, password, store as auth_store};
use crate::db::tenant_tx;
use crate::org::store as org_store;

const PLATFORM_CODE: &str = "platform";

pub fn check_code(code: &str) -> Result<()> {
    let ok = (2..=40).contains(&code.len())
        && code
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !ok {
        bail!(
            "Mã '{code}' không hợp lệ: dùng 2–40 ký tự a-z, 0-9 hoặc '-', bắt đầu bằng chữ hoặc số."
        );
    }
    Ok(())
}

pub fn check_username(username: &str) -> Result<()> {
    let ok = (3..=64).contains(&username.len())
        && username
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && username
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if !ok {
        bail!(
            "Tên đăng nhập '{username}' không hợp lệ: dùng 3–64 ký tự a-z, 0-9, '.', '_' hoặc '-', \
             không dấu, bắt đầu bằng chữ hoặc số."
        );
    }
    Ok(())
}

fn check_name(what: &str, name: &str) -> Result<()> {
    let n = name.trim().chars().count();
    if !(2..=200).contains(&n) {
        bail!("{what} phải có từ 2 đến 200 ký tự.");
    }
    Ok(())
}

pub async fn create_tenant(pool: &PgPool, code: &str, name: &str, place: &str) -> Result<i64> {
    check_code(code)?;
    check_name("Tên đơn vị tổ chức", name)?;
    if code == PLATFORM_CODE {
        bail!("Mã '{PLATFORM_CODE}' được dành cho tài khoản vận hành hệ thống.");
    }
    if org_store::tenant_id_by_code(pool, code).await?.is_some() {
        bail!("Đã có đơn vị tổ chức mã '{code}'.");
    }
    Ok(new_tenant(pool, code, name.trim(), place.trim(), false).await?)
}

/// A tenant with what every tenant starts with (the award types of the law), in one
/// transaction: organisation and cycle are separate rooms, so they meet here.
pub async fn new_tenant(
    pool: &PgPool,
    code: &str,
    name: &str,
    place: &str,
    is_platform: bool,
) -> sqlx::Result<i64> {
    let mut tx = pool.begin().await?;
    let id = org_store::insert_tenant(&mut tx, code, name, place, is_platform).await?;
    crate::cycle::seed_award_types(&mut tx, &Actor::cli(id, "create-tenant")).await?;
    tx.commit().await?;
    Ok(id)
}

pub struct NewAccount<'a> {
    pub tenant_code: &'a str,
    pub username: &'a str,
    pub full_name: &'a str,
    pub role: &'a str,
    pub unit_code: Option<&'a str>,
}

/// Creates an account with a one-time password, which is returned (and shown once).
pub async fn create_user(pool: &PgPool, a: &NewAccount<'_>) -> Result<String> {
    let username = a.username.trim().to_lowercase();
    check_username(&username)?;
    check_name("Họ và tên", a.full_name)?;
    let Some(role) = Role::parse(a.role).filter(|r| *r != Role::Operator) else {
        bail!(
            "Vai trò '{}' không hợp lệ: chọn tenant_admin, unit_head hoặc unit_officer.",
            a.role
        );
    };
    let Some(tenant_id) = org_store::tenant_id_by_code(pool, a.tenant_code).await? else {
        bail!("Không có đơn vị tổ chức mã '{}'.", a.tenant_code);
    };
    let mut tx = tenant_tx(pool, tenant_id).await?;
    if auth_store::username_taken(&mut tx, &username).await? {
        bail!("Tên đăng nhập '{username}' đã được dùng.");
    }
    let unit_id = match (role.needs_unit(), a.unit_code) {
        (true, Some(code)) => match org_store::unit_by_code(&mut tx, code).await? {
            Some(u) => Some(u.id),
            None => bail!(
                "Đơn vị tổ chức '{}' không có đơn vị mã '{code}'.",
                a.tenant_code
            ),
        },
        (true, None) => {
            bail!("Thủ trưởng và cán bộ thi đua phải thuộc một đơn vị: thêm --unit MÃ_ĐƠN_VỊ.")
        }
        (false, Some(_)) => {
            bail!("Cán bộ quản trị của Hội đồng TĐKT không thuộc đơn vị thành viên: bỏ --unit.")
        }
        (false, None) => None,
    };
    let otp = issue_account(
        &mut tx,
        &Actor::cli(tenant_id, "create-user"),
        &username,
        a.full_name.trim(),
        role,
        unit_id,
    )
    .await?;
    tx.commit().await?;
    Ok(otp)
}

/// Creates an account with a fresh one-time password (returned, to be shown once); the user
/// must change it at first login. The caller has checked the input and owns the transaction.
pub async fn issue_account(
    conn: &mut sqlx::PgConnection,
    actor: &Actor,
    username: &str,
    full_name: &str,
    role: Role,
    unit_id: Option<i64>,
) -> Result<String> {
    let otp = password::one_time_password();
    let hash = password::hash(otp.clone()).await?;
    let new = auth_store::NewUser {
        username,
        full_name,
        role,
        unit_id,
        password_hash: &hash,
        must_change_password: true,
    };
    auth_store::insert_user(conn, actor, &new).await?;
    Ok(otp)
}

/// The platform operator lives in a tenant of its own, which holds no agency data.
pub async fn create_operator(pool: &PgPool, username: &str, full_name: &str) -> Result<String> {
    let username = username.trim().to_lowercase();
    check_username(&username)?;
    check_name("Họ và tên", full_name)?;
    if auth_store::username_taken(&mut *pool.acquire().await?, &username).await? {
        bail!("Tên đăng nhập '{username}' đã được dùng.");
    }
    let tenant_id = match org_store::tenant_id_by_code(pool, PLATFORM_CODE).await? {
        Some(id) => id,
        None => new_tenant(pool, PLATFORM_CODE, "Vận hành hệ thống thidua", "", true).await?,
    };
    let mut tx = tenant_tx(pool, tenant_id).await?;
    let actor = Actor::cli(tenant_id, "create-operator");
    let otp = issue_account(
        &mut tx,
        &actor,
        &username,
        full_name.trim(),
        Role::Operator,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(otp)
}

async fn locate(pool: &PgPool, username: &str) -> Result<(i64, i64)> {
    match auth_store::find_login(pool, &username.trim().to_lowercase()).await? {
        Some(found) => Ok(found),
        None => bail!("Không có tài khoản '{}'.", username.trim()),
    }
}

/// Sets a new one-time password, forces a change at next login and ends the account's sessions.
pub async fn reset_password(pool: &PgPool, username: &str) -> Result<String> {
    let (tenant_id, user_id) = locate(pool, username).await?;
    let mut tx = tenant_tx(pool, tenant_id).await?;
    let otp = reset_account(&mut tx, &Actor::cli(tenant_id, "reset-password"), user_id).await?;
    tx.commit().await?;
    Ok(otp)
}

/// The reset itself, in the caller's transaction; returns the new one-time password.
pub async fn reset_account(
    conn: &mut crate::db::TenantTx,
    actor: &Actor,
    user_id: i64,
) -> Result<String> {
    let otp = password::one_time_password();
    let hash = password::hash(otp.clone()).await?;
    auth_store::set_password(conn, actor, user_id, &hash, true).await?;
    auth_store::delete_user_sessions(conn, user_id, None).await?;
    Ok(otp)
}

/// Disables (or re-enables) an account; a disabled account's sessions end at once.
pub async fn set_disabled(pool: &PgPool, username: &str, disabled: bool) -> Result<()> {
    let (tenant_id, user_id) = locate(pool, username).await?;
    let mut tx = tenant_tx(pool, tenant_id).await?;
    let what = if disabled {
        "disable-user"
    } else {
        "enable-user"
    };
    auth_store::set_disabled(&mut tx, &Actor::cli(tenant_id, what), user_id, disabled).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_usernames_are_plain_ascii() {
        assert!(check_code("langson").is_ok());
        assert!(check_code("toa-an").is_ok());
        assert!(check_code("Lạng Sơn").is_err());
        assert!(check_code("a").is_err());
        assert!(check_code("-x").is_err());
        assert!(check_username("quantri.langson").is_ok());
        assert!(check_username("canbo_01").is_ok());
        assert!(check_username("ab").is_err());
        assert!(check_username("nguyễn").is_err());
        assert!(check_username("Quantri").is_err());
    }
}
