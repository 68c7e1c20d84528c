use super::*;

// The criteria table's shape.

pub(super) struct SectionSpec {
    pub(super) code: &'static str,
    pub(super) title: &'static str,
    pub(super) kind: &'static str,
}

pub(super) struct CritSpec {
    pub(super) section: &'static str,
    pub(super) position: i32,
    pub(super) code: String,
    pub(super) text: String,
    pub(super) max: i32,
    pub(super) evidence: bool,
    /// Index among the scored (standard) criteria, else -1; likewise for bonus and penalty.
    pub(super) std_index: i32,
    pub(super) bonus_index: i32,
    pub(super) penalty_index: i32,
}

pub(super) const SECTIONS: [SectionSpec; 4] = [
    SectionSpec {
        code: "I",
        title: "Công tác chỉ đạo, tổ chức phong trào thi đua",
        kind: "standard",
    },
    SectionSpec {
        code: "II",
        title: "Kết quả thực hiện nhiệm vụ chính trị, chuyên môn",
        kind: "standard",
    },
    SectionSpec {
        code: "III",
        title: "Điểm thưởng",
        kind: "bonus",
    },
    SectionSpec {
        code: "IV",
        title: "Điểm trừ",
        kind: "penalty",
    },
];

/// `n` criteria: one or two bonus and penalty criteria (2 points each, each part capped at 3),
/// the rest scored in sections I (a quarter) and II, worth 100 points together in whole points.
pub(super) fn layout(n: u32) -> Vec<CritSpec> {
    let n = n as i32;
    let extra = if n >= 20 { 2 } else { 1 };
    let n_std = n - 2 * extra;
    let n_i = (n_std / 4).max(1);
    let (base, rem) = (100 / n_std, 100 % n_std);
    let mut out = Vec::new();
    let nth = |pool: &[&str], k: i32| -> String {
        let t = pool[k as usize % pool.len()];
        let round = k as usize / pool.len();
        if round == 0 {
            t.to_string()
        } else {
            format!("{t} (nội dung {})", round + 1)
        }
    };
    for s in 0..n_std {
        let (section, position, pool) = if s < n_i {
            ("I", s, &TEXTS_I[..])
        } else {
            ("II", s - n_i, &TEXTS_II[..])
        };
        let num = if section == "I" { 1 } else { 2 };
        out.push(CritSpec {
            section,
            position: position + 1,
            code: format!("{num}.{}", position + 1),
            text: nth(pool, position),
            max: base + i32::from(s < rem),
            evidence: section == "II" && position == 0,
            std_index: s,
            bonus_index: -1,
            penalty_index: -1,
        });
    }
    for k in 0..extra {
        out.push(CritSpec {
            section: "III",
            position: k + 1,
            code: format!("3.{}", k + 1),
            text: TEXTS_BONUS[k as usize].to_string(),
            max: 2,
            evidence: false,
            std_index: -1,
            bonus_index: k,
            penalty_index: -1,
        });
    }
    for k in 0..extra {
        out.push(CritSpec {
            section: "IV",
            position: k + 1,
            code: format!("4.{}", k + 1),
            text: TEXTS_PENALTY[k as usize].to_string(),
            max: 2,
            evidence: false,
            std_index: -1,
            bonus_index: -1,
            penalty_index: k,
        });
    }
    out
}
