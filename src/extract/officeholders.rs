//! Placeholder until the office-holders dictionary lands.
use chrono::NaiveDate;
pub struct OfficeHolder {
    pub name: &'static str,
    pub title: &'static str,
    pub country: Option<&'static str>,
}
pub fn by_name(_name: &str, _on: NaiveDate) -> Vec<&'static OfficeHolder> {
    Vec::new()
}
pub fn by_surname(_s: &str, _on: NaiveDate) -> Vec<&'static OfficeHolder> {
    Vec::new()
}
