//! `thidua admin export` and `thidua admin import`: the same reading and the same import as the
//! page, from the command line, for moving a tenant to another thidua.

use anyhow::{Result, bail};
use sqlx::PgPool;

use crate::audit::Actor;
use crate::db::TenantTx;
use crate::exchange::{model, store};
use crate::org::store as org_store;

/// The tenant's document as pretty JSON text (what the page's download holds).
pub async fn export(pool: &PgPool, tenant: &str) -> Result<String> {
    let Some(id) = org_store::tenant_id_by_code(pool, tenant).await? else {
        bail!("Không có đơn vị tổ chức mã '{tenant}'.");
    };
    let mut tx = TenantTx::begin(pool, id).await?;
    let d = store::document(&mut tx).await?;
    tx.commit().await?;
    Ok(model::to_text(&d))
}

/// Creates the tenant with this name and place (the file's place when empty).
pub struct Create {
    pub name: String,
    pub place: Option<String>,
}

/// Imports `text` into the tenant `code`: all or nothing, in one transaction. Returns the row
/// report; a bad file or a refused write is an error naming every problem, and nothing stays.
pub async fn import(
    pool: &PgPool,
    code: &str,
    create: Option<Create>,
    text: &str,
) -> Result<Vec<String>> {
    // main prints "Lỗi: " before the message; a whole-file problem has no element to name.
    let d = model::parse(text).map_err(|p| anyhow::anyhow!("{}", p.message))?;
    let problems = model::check(&d);
    if !problems.is_empty() {
        let lines: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        bail!(
            "tệp có {} lỗi, không nhập gì:\n{}",
            problems.len(),
            lines.join("\n")
        );
    }
    let existing = org_store::tenant_id_by_code(pool, code).await?;
    let mut tx = match (existing, &create) {
        (Some(_), Some(_)) => {
            bail!("Đã có đơn vị tổ chức mã '{code}': bỏ --create để nhập vào đó.")
        }
        (None, None) => bail!(
            "Không có đơn vị tổ chức mã '{code}': thêm --create \"<tên>\" --place \"<địa danh>\" để tạo mới."
        ),
        (Some(id), None) => TenantTx::begin(pool, id).await?,
        (None, Some(c)) => {
            crate::admin::check_code(code)?;
            let name = c.name.trim();
            if !(2..=200).contains(&name.chars().count()) {
                bail!("Tên đơn vị tổ chức phải có từ 2 đến 200 ký tự.");
            }
            let place = c.place.as_deref().unwrap_or(&d.tenant.place).trim();
            store::insert_tenant(pool, code, name, place).await?
        }
    };
    store::lock_imports(&mut tx).await?;
    let target = store::document(&mut tx).await?;
    let plan = model::plan(&d, &target);
    let actor = Actor::cli(tx.tenant_id(), "import");
    if let Err(e) = store::apply(&mut tx, &actor, &d, &plan).await {
        bail!(
            "cơ sở dữ liệu từ chối dữ liệu của tệp, không nhập gì: {}",
            refusal(&e)
        );
    }
    if plan.created() == 0 && create.is_none() {
        tx.rollback().await?;
    } else {
        tx.commit().await?;
    }
    Ok(plan.report(true))
}

/// The database's refusal in the user's words where the rule is known; its own words otherwise.
fn refusal(e: &sqlx::Error) -> String {
    let constraint = e
        .as_database_error()
        .and_then(|d| d.constraint())
        .unwrap_or("");
    match constraint {
        "one_cluster_of_a_kind_per_year" => "một đơn vị thuộc hai cụm (hoặc hai khối) trong cùng \
            một năm; lưu ý cụm, khối đã có ở đây giữ loại (cụm/khối) của nó, không theo tệp."
            .into(),
        _ => e.to_string(),
    }
}
