//! Microsoft.Web writes: slot swap (long-running), restart, app settings read-modify-write, host and function keys.
