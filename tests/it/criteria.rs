//! The criteria table builder, its Excel import and export.
