//! Key writes of the Functions host: a host key (function, system or master) or a function's key
//! set to a given value or a generated one, logged in the activity log. Owns these writes only;
//! the keys' initial values are `secrets`'.

use std::collections::BTreeMap;

use base64::Engine as _;
use chrono::TimeDelta;

use super::apps::PRODUCTION;
use super::{World, WorldError};
use crate::sim::rng::Rng;

/// Which of a host's keys a write names (the `{keyType}` path segment).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostKeyKind {
    /// `functionKeys`: host-level function keys.
    Function,
    /// `systemKeys`: extension keys.
    System,
    /// `masterKey`: the one master key (the name is ignored).
    Master,
}

impl World {
    /// Sets (adds or replaces) one of a slot's host keys now; `value` `None` generates one.
    /// Returns the value and whether the key is new.
    pub fn set_host_key(
        &mut self,
        app: &str,
        slot: &str,
        kind: HostKeyKind,
        name: &str,
        value: Option<String>,
        caller: &str,
    ) -> Result<(String, bool), WorldError> {
        let (a, s) = self.app_slot(app, slot)?;
        let value = value.unwrap_or_else(|| self.generated_key(app, name));
        let keys = &mut self.apps[a].slots[s].host_keys;
        let (created, segment) = match kind {
            HostKeyKind::Function => (
                keys.function
                    .insert(name.to_owned(), value.clone())
                    .is_none(),
                "functionKeys",
            ),
            HostKeyKind::System => (
                keys.system.insert(name.to_owned(), value.clone()).is_none(),
                "systemKeys",
            ),
            HostKeyKind::Master => {
                keys.master.clone_from(&value);
                (false, "masterKey")
            }
        };
        let slot_name = self.apps[a].slots[s].name.clone();
        let resource = format!(
            "{}/host/default/{segment}/{name}",
            self.apps[a].slot_id(&slot_name)
        );
        self.record_key_write(
            &slot_name,
            &format!("host/{}", segment.to_ascii_lowercase()),
            &resource,
            caller,
        );
        Ok((value, created))
    }

    /// Sets (adds or replaces) one key of a function now; `value` `None` generates one. Returns
    /// the value and whether the key is new.
    pub fn set_function_key(
        &mut self,
        app: &str,
        slot: &str,
        function: &str,
        name: &str,
        value: Option<String>,
        caller: &str,
    ) -> Result<(String, bool), WorldError> {
        let (a, s) = self.app_slot(app, slot)?;
        let Some(f) = self.apps[a]
            .functions
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(function))
            .map(|f| f.name.clone())
        else {
            return Err(WorldError::UnknownFunction {
                app: app.to_owned(),
                function: function.to_owned(),
            });
        };
        let value = value.unwrap_or_else(|| self.generated_key(app, name));
        let created = self.apps[a].slots[s]
            .function_keys
            .entry(f.clone())
            .or_default()
            .insert(name.to_owned(), value.clone())
            .is_none();
        let slot_name = self.apps[a].slots[s].name.clone();
        let resource = format!(
            "{}/functions/{f}/keys/{name}",
            self.apps[a].slot_id(&slot_name)
        );
        self.record_key_write(&slot_name, "functions/keys", &resource, caller);
        Ok((value, created))
    }

    /// A fresh Functions-style key (URL-safe, ending in `==`), different on every call.
    fn generated_key(&mut self, app: &str, name: &str) -> String {
        self.ops.key_seq += 1;
        let n = self.ops.key_seq.to_string();
        let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(Rng::from_parts(self.seed(), &["api-key", app, name, &n]).bytes(40));
        format!("{raw}==")
    }

    fn record_key_write(&mut self, slot: &str, what: &str, resource: &str, caller: &str) {
        let op = if slot == PRODUCTION {
            format!("Microsoft.Web/sites/{what}/write")
        } else {
            format!("Microsoft.Web/sites/slots/{what}/write")
        };
        let t = self.now;
        self.record_operation(
            &op,
            resource,
            caller,
            t,
            TimeDelta::seconds(1),
            &BTreeMap::new(),
        );
    }
}
