//! Movements, award types, pledges and registrations.
