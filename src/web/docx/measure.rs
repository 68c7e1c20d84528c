//! How wide a line of Times New Roman is, so that the .docx can draw rules whose length
//! depends on the text above them (the motto's, the issuer's, the subject's): Word has no rule
//! "as long as the text", so the widths are computed from the font's advance widths (the
//! Adobe metrics of Times Roman and Times Bold, which Times New Roman and Liberation Serif
//! share).

/// Advance widths in thousandths of an em of a-z, A-Z, for (regular, bold).
const LOWER: [(u16, u16); 26] = [
    (444, 500),
    (500, 556),
    (444, 444),
    (500, 556),
    (444, 444),
    (333, 333),
    (500, 500),
    (500, 556),
    (278, 278),
    (278, 333),
    (500, 556),
    (278, 278),
    (778, 833),
    (500, 556),
    (500, 500),
    (500, 556),
    (500, 556),
    (333, 444),
    (389, 389),
    (278, 333),
    (500, 556),
    (500, 500),
    (722, 722),
    (500, 500),
    (500, 500),
    (444, 444),
];
const UPPER: [(u16, u16); 26] = [
    (722, 722),
    (667, 667),
    (667, 722),
    (722, 722),
    (611, 667),
    (556, 611),
    (722, 778),
    (722, 778),
    (333, 389),
    (389, 500),
    (722, 778),
    (611, 667),
    (889, 944),
    (722, 722),
    (722, 778),
    (556, 611),
    (722, 778),
    (667, 722),
    (556, 556),
    (611, 667),
    (722, 722),
    (722, 722),
    (944, 1000),
    (722, 722),
    (722, 722),
    (611, 667),
];

/// The Latin letter a Vietnamese letter is written on (its marks add no width, except the
/// horn of ơ and ư, a little).
fn base(c: char) -> (char, u16) {
    const GROUPS: [(&str, char); 12] = [
        ("àáảãạăằắẳẵặâầấẩẫậ", 'a'),
        ("èéẻẽẹêềếểễệ", 'e'),
        ("ìíỉĩị", 'i'),
        ("òóỏõọôồốổỗộ", 'o'),
        ("ùúủũụ", 'u'),
        ("ỳýỷỹỵ", 'y'),
        ("ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ", 'A'),
        ("ÈÉẺẼẸÊỀẾỂỄỆ", 'E'),
        ("ÌÍỈĨỊ", 'I'),
        ("ÒÓỎÕỌÔỒỐỔỖỘ", 'O'),
        ("ÙÚỦŨỤ", 'U'),
        ("ỲÝỶỸỴ", 'Y'),
    ];
    const HORN: [(&str, char); 4] = [
        ("ơờớởỡợ", 'o'),
        ("ưừứửữự", 'u'),
        ("ƠỜỚỞỠỢ", 'O'),
        ("ƯỪỨỬỮỰ", 'U'),
    ];
    match c {
        'đ' => return ('d', 0),
        'Đ' => return ('D', 0),
        _ => {}
    }
    if let Some((_, b)) = GROUPS.iter().find(|(g, _)| g.contains(c)) {
        return (*b, 0);
    }
    if let Some((_, b)) = HORN.iter().find(|(g, _)| g.contains(c)) {
        return (*b, 60);
    }
    (c, 0)
}

fn advance(c: char, bold: bool) -> u16 {
    let (b, extra) = base(c);
    let pick = |(r, bd): (u16, u16)| if bold { bd } else { r };
    extra
        + match b {
            'a'..='z' => pick(LOWER[b as usize - 'a' as usize]),
            'A'..='Z' => pick(UPPER[b as usize - 'A' as usize]),
            '0'..='9' => 500,
            ' ' | ',' | '.' => 250,
            ':' | ';' => pick((278, 333)),
            '-' | '(' | ')' => 333,
            '/' => 278,
            _ => 500,
        }
}

/// The width in millimetres of `text` set on one line at `size` points.
pub fn width_mm(text: &str, size: f64, bold: bool) -> f64 {
    let em: u32 = text.chars().map(|c| u32::from(advance(c, bold))).sum();
    f64::from(em) / 1000.0 * size * 25.4 / 72.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_motto_is_about_58_mm_at_13_5_pt_bold() {
        let w = width_mm("Độc lập - Tự do - Hạnh phúc", 13.5, true);
        assert!((55.0..62.0).contains(&w), "{w}");
        // Marks add nothing but the horn.
        assert_eq!(width_mm("Hà", 14.0, false), width_mm("Ha", 14.0, false));
        assert!(width_mm("Tự", 14.0, false) > width_mm("Tu", 14.0, false));
    }
}
