pub mod clusters;
pub mod units;
pub mod users;
pub mod year_members;
pub mod year_phase;
pub mod years;
