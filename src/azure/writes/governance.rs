//! Release freeze (management locks) and alert suppression (alert processing rules).
