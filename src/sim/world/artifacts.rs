//! The artifact store's content: one zip per service and version the estate has ever run or is
//! about to run, named `{service}/{version}.zip`, in the estate's `[artifact-store]` container.
//! Built from every slot's deployment records and the scenario's timeline deployments; a zip is
//! listed from when the release pipeline uploaded it (an hour before its first deployment) until
//! an `artifact-deleted` event removes it (for good).
//!
//! Owns the listing only; serving it (Blob service XML) is the server's job.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};

use super::World;
use crate::sim::rng::hash_parts;
use crate::sim::scenario::Event;

/// How long before its first deployment a release's zip is uploaded.
const UPLOAD_LEAD: TimeDelta = TimeDelta::hours(1);

/// One blob of the artifact store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArtifactBlob {
    /// Blob name, `{service}/{version}.zip`.
    pub name: String,
    /// The service.
    pub service: String,
    /// The version.
    pub version: String,
    /// When it was uploaded.
    pub last_modified: DateTime<Utc>,
    /// Size in bytes.
    pub size: u64,
}

/// The blob name of a service's release.
pub fn artifact_name(service: &str, version: &str) -> String {
    format!("{service}/{version}.zip")
}

impl World {
    /// The artifact store's blobs at the world's current time, by name.
    pub fn artifacts(&self) -> Vec<ArtifactBlob> {
        // (service, version) → first deployment.
        let mut first: BTreeMap<(String, String), DateTime<Utc>> = BTreeMap::new();
        let mut note = |service: &str, version: &str, at: DateTime<Utc>| {
            let e = first
                .entry((service.to_owned(), version.to_owned()))
                .or_insert(at);
            *e = (*e).min(at);
        };
        // A deployment the API made from a package that could not be fetched had no artifact.
        let unfetched = self.unfetched_deployments();
        for a in &self.apps {
            for s in &a.slots {
                for d in s.deployments.iter().filter(|d| !unfetched.contains(&d.id)) {
                    note(&a.service, &d.version, d.received);
                }
            }
        }
        for (t, e) in &self.timeline {
            if let Event::Deploy { app, version, .. } = e
                && let Some(a) = self.app(app)
            {
                note(&a.service, version, *t);
            }
        }
        let seed = self.seed();
        let mut blobs: Vec<ArtifactBlob> = first
            .into_iter()
            .map(|((service, version), at)| ArtifactBlob {
                name: artifact_name(&service, &version),
                size: 8_000_000
                    + hash_parts(seed, &["artifact-size", &service, &version]) % 32_000_000,
                last_modified: at - UPLOAD_LEAD,
                service,
                version,
            })
            .filter(|b| b.last_modified <= self.now)
            .filter(|b| {
                !self
                    .deleted_artifacts
                    .iter()
                    .any(|(t, name)| *t <= self.now && *name == b.name)
            })
            .collect();
        // Blob names sort as strings, which is not the (service, version) order.
        blobs.sort_by(|a, b| a.name.cmp(&b.name));
        blobs
    }

    /// Whether the artifact store holds a blob of that name now (case-sensitive, as blob names
    /// are).
    pub fn artifact_exists(&self, name: &str) -> bool {
        self.artifacts().iter().any(|b| b.name == name)
    }
}
