pub mod clusters;
pub mod units;
pub mod users;
pub mod years;
