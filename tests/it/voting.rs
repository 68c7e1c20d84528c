//! Secret-ballot peer votes and leader elections.
