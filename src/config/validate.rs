//! Cross-field checks on a parsed estate file: every reference resolves, names are unique, the
//! region roles make sense. Each error names the file, the key with its line and column, and the
//! reason. All problems are reported together.

use super::error::{ConfigError, ConfigErrors, line_col};
use super::file::EstateFile;

/// Checks a parsed file; returns every problem found.
pub(super) fn validate(f: &EstateFile, origin: &str, text: &str) -> Result<(), ConfigErrors> {
    let mut errs = Vec::new();
    let mut push = |key: String, span: Option<std::ops::Range<usize>>, reason: String| {
        errs.push(ConfigError {
            file: origin.to_owned(),
            key,
            position: span.map(|s| line_col(text, s.start)),
            reason,
        });
    };
    let regions: Vec<&str> = f.regions.iter().map(|r| r.name.as_str()).collect();
    let apps: Vec<&str> = f.apps.iter().map(|a| a.name.as_str()).collect();
    for (i, a) in f.apps.iter().enumerate() {
        if !regions.contains(&a.region.get_ref().as_str()) {
            push(
                format!("app[{i}].region"),
                Some(a.region.span()),
                format!(
                    "region `{}` is not defined; known regions: {}",
                    a.region.get_ref(),
                    regions.join(", ")
                ),
            );
        }
    }
    if let Some(tm) = &f.traffic_manager {
        for (i, e) in tm.endpoints.iter().enumerate() {
            if !apps.contains(&e.app.get_ref().as_str()) {
                push(
                    format!("traffic-manager.endpoint[{i}].app"),
                    Some(e.app.span()),
                    format!("app `{}` is not defined", e.app.get_ref()),
                );
            }
        }
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(ConfigErrors(errs))
    }
}
