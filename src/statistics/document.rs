//! The print view: each form on a landscape A4 page in Times (or a metric-compatible serif),
//! with the statistical forms' header — the form's number on the left, the reporting unit and
//! the receiving unit on the right — and typed figures marked.

use askama::Template;

use super::handlers::Loaded;
use super::view::{self, FormView};

#[derive(Template)]
#[template(path = "statistics/print.html")]
struct PrintPage<'a> {
    reporting: &'a str,
    s: &'a Loaded,
    forms: Vec<FormView>,
}

impl PrintPage<'_> {
    fn note(&self, f: &FormView) -> String {
        view::unverified_note(f.def)
    }
}

pub fn render(reporting: &str, s: &Loaded) -> Result<String, askama::Error> {
    let forms = s.saved_forms();
    PrintPage {
        reporting,
        s,
        forms,
    }
    .render()
}
