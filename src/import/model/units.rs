use super::*;

/// A unit as the database holds it, for comparison.
#[derive(Debug, Clone)]
pub struct ExistingUnit {
    pub id: i64,
    pub active: bool,
    pub fields: UnitFields,
}

#[derive(Debug, Clone, PartialEq)]
pub enum UnitChange {
    Create,
    /// The unit exists; these columns change.
    Update {
        id: i64,
        changed: Vec<&'static str>,
    },
    Unchanged,
}

#[derive(Debug, Clone)]
pub struct UnitStep {
    pub row: u32,
    pub fields: UnitFields,
    pub change: UnitChange,
}

const UNIT_FIELDS: [&str; 10] = [
    "code",
    "name",
    "short_name",
    "kind",
    "head_name",
    "head_title",
    "place_name",
    "address",
    "phone",
    "email",
];

fn unit_field(f: &UnitFields, field: &str) -> String {
    match field {
        "code" => f.code.clone(),
        "name" => f.name.clone(),
        "short_name" => f.short_name.clone(),
        "kind" => f.kind.clone(),
        "head_name" => f.head_name.clone(),
        "head_title" => f.head_title.clone(),
        "place_name" => f.place_name.clone(),
        "address" => f.address.clone(),
        "phone" => f.phone.clone(),
        "email" => f.email.clone(),
        _ => String::new(),
    }
}

fn set_unit_field(f: &mut UnitFields, field: &str, value: String) {
    match field {
        "code" => f.code = value,
        "name" => f.name = value,
        "short_name" => f.short_name = value,
        "kind" => f.kind = value,
        "head_name" => f.head_name = value,
        "head_title" => f.head_title = value,
        "place_name" => f.place_name = value,
        "address" => f.address = value,
        "phone" => f.phone = value,
        "email" => f.email = value,
        _ => {}
    }
}

/// The form a row fills; the unit form's own validation decides what is acceptable.
fn unit_form(r: &Record) -> UnitForm {
    let c = &UNIT_COLUMNS;
    UnitForm {
        code: r.text(c, "code"),
        name: r.text(c, "name"),
        short_name: r.text(c, "short_name"),
        kind: r.text(c, "kind"),
        head_name: r.text(c, "head_name"),
        head_title: r.text(c, "head_title"),
        superior: String::new(),
        place_name: r.text(c, "place_name"),
        address: r.text(c, "address"),
        phone: r.text(c, "phone"),
        email: r.text(c, "email"),
    }
}

pub(super) fn field_problems(
    row: u32,
    columns: &[Column],
    fields: &[&str],
    e: &Errors,
) -> Vec<Problem> {
    fields
        .iter()
        .filter_map(|f| {
            e.get(f)
                .map(|m| Problem::row(row, header_of(columns, f), m.clone()))
        })
        .collect()
}

/// Checks every row of a units file and decides, per row, create, update or nothing.
/// A column the file does not have leaves that detail of an existing unit as it is.
pub fn plan_units(table: &Table, existing: &HashMap<String, ExistingUnit>) -> Plan<UnitStep> {
    let mut plan = Plan {
        steps: Vec::new(),
        problems: Vec::new(),
    };
    let mut seen = HashMap::new();
    for r in &table.records {
        let (mut fields, errors) = unit_form(r).validate();
        let mut problems = field_problems(r.row, &UNIT_COLUMNS, &UNIT_FIELDS, &errors);
        if !errors.has("code")
            && let Some(p) = first_seen(&mut seen, &fields.code, r.row, "Mã đơn vị", "Mã đơn vị")
        {
            problems.push(p);
        }
        if fields.code == UNIT_COLUMNS[0].example {
            problems.push(Problem::row(
                r.row,
                Some("Mã đơn vị"),
                "“vi-du” là mã của dòng ví dụ trong mẫu; hãy ghi mã thật của đơn vị.",
            ));
        }
        if !problems.is_empty() {
            plan.problems.extend(problems);
            continue;
        }
        let change = match existing.get(&fields.code) {
            None => UnitChange::Create,
            Some(old) => {
                // The file has no managing-agency column: the unit's stays as set on its page.
                fields.superior = old.fields.superior.clone();
                // Columns absent from the file keep the unit's current value.
                for (col, value) in UNIT_COLUMNS.iter().zip(&r.values) {
                    if value.is_none() {
                        set_unit_field(&mut fields, col.field, unit_field(&old.fields, col.field));
                    }
                }
                let changed: Vec<&'static str> = UNIT_COLUMNS
                    .iter()
                    .filter(|c| unit_field(&old.fields, c.field) != unit_field(&fields, c.field))
                    .map(|c| c.header)
                    .collect();
                if changed.is_empty() {
                    UnitChange::Unchanged
                } else {
                    UnitChange::Update {
                        id: old.id,
                        changed,
                    }
                }
            }
        };
        plan.steps.push(UnitStep {
            row: r.row,
            fields,
            change,
        });
    }
    plan
}
