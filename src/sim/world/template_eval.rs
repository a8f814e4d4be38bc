//! ARM template evaluation, as far as the simulator needs it to validate, preview (what-if) and
//! apply a deployment: the template's required properties, its parameters against the values
//! given (declared, typed, allowed values, defaults), and its resources with their template
//! expressions evaluated.
//!
//! Expressions support `parameters`, `variables`, `concat`, `format`, `toLower`, `toUpper`,
//! `string`, `trim`, `uniqueString`, `resourceGroup()`, `subscription()`, `resourceId`, `true()`
//! and `false()`, with property and index access. Any other function (`reference`, `listKeys`, …)
//! leaves its string as written, as if the value were known only at deployment time. Copy loops
//! and Key Vault parameter references are refused with an error that says the simulator lacks
//! them. Owns evaluation only; nothing here reads or changes the world.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::sim::rng::hash_parts;

/// The resource group a template is deployed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RgContext {
    /// Subscription id.
    pub subscription_id: String,
    /// Resource group name.
    pub resource_group: String,
    /// The resource group's location.
    pub location: String,
}

impl RgContext {
    /// The resource group's ARM id.
    pub fn id(&self) -> String {
        format!(
            "/subscriptions/{}/resourceGroups/{}",
            self.subscription_id, self.resource_group
        )
    }

    /// The ARM id of a resource of `resource_type` (`Microsoft.Web/sites/config`) named `name`
    /// (`app/appsettings`) in this group.
    pub fn resource_id(&self, resource_type: &str, name: &str) -> String {
        let mut types = resource_type.split('/');
        let provider = types.next().unwrap_or_default();
        let mut id = format!("{}/providers/{provider}", self.id());
        for (t, n) in types.zip(name.split('/')) {
            id.push('/');
            id.push_str(t);
            id.push('/');
            id.push_str(n);
        }
        id
    }
}

/// A template resource with its expressions evaluated.
#[derive(Debug, Clone, PartialEq)]
pub struct EvaluatedResource {
    /// Type, e.g. `Microsoft.Web/sites`.
    pub resource_type: String,
    /// Full name, e.g. `func-orders-prod-krc` or `func-orders-prod-krc/appsettings`.
    pub name: String,
    /// The api-version it is written with.
    pub api_version: String,
    /// Location.
    pub location: Option<String>,
    /// Kind.
    pub kind: Option<String>,
    /// Properties (`Null` when absent).
    pub properties: Value,
}

/// A parameter's value as deployed.
#[derive(Debug, Clone, PartialEq)]
pub struct EvaluatedParameter {
    /// Name.
    pub name: String,
    /// Declared type as written (`string`, `securestring`, …).
    pub kind: String,
    /// The value.
    pub value: Value,
}

impl EvaluatedParameter {
    /// Whether ARM hides the value (`securestring`, `secureObject`).
    pub fn secure(&self) -> bool {
        self.kind.to_ascii_lowercase().starts_with("secure")
    }
}

/// An evaluated template.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluated {
    /// Resources, child resources flattened after their parent.
    pub resources: Vec<EvaluatedResource>,
    /// Parameters.
    pub parameters: Vec<EvaluatedParameter>,
    /// A hash of the template text.
    pub hash: String,
}

/// A problem with a template or its parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateIssue {
    /// ARM's code, e.g. `InvalidTemplate`.
    pub code: &'static str,
    /// The field it is about, e.g. `properties.parameters.siteName`.
    pub target: String,
    /// Message.
    pub message: String,
}

fn issue(target: impl Into<String>, message: impl Into<String>) -> TemplateIssue {
    TemplateIssue {
        code: "InvalidTemplate",
        target: target.into(),
        message: message.into(),
    }
}

/// Evaluates a template with its parameter values for a deployment to `rg`.
pub fn evaluate(
    template: &Value,
    parameters: Option<&Value>,
    rg: &RgContext,
) -> Result<Evaluated, Vec<TemplateIssue>> {
    let mut issues = Vec::new();
    let Some(t) = template.as_object() else {
        return Err(vec![issue(
            "properties.template",
            "The template must be a JSON object.",
        )]);
    };
    for required in ["$schema", "contentVersion", "resources"] {
        if !t.contains_key(required) {
            issues.push(issue(
                format!("properties.template.{required}"),
                format!("Required property '{required}' not found in JSON."),
            ));
        }
    }
    let params = bind_parameters(t.get("parameters"), parameters, rg, &mut issues);
    let empty = Map::new();
    let vars = match t.get("variables") {
        None => &empty,
        Some(Value::Object(v)) => v,
        Some(_) => {
            issues.push(issue(
                "properties.template.variables",
                "'variables' must be an object.",
            ));
            &empty
        }
    };
    let scope = Scope {
        params: &params
            .iter()
            .map(|p| (p.name.clone(), p.value.clone()))
            .collect(),
        vars,
        rg,
    };
    let mut resources = Vec::new();
    let list: Vec<&Value> = match t.get("resources") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(Value::Object(o)) => o.values().collect(),
        Some(_) => {
            issues.push(issue(
                "properties.template.resources",
                "'resources' must be an array (or an object of symbolic names).",
            ));
            Vec::new()
        }
        None => Vec::new(),
    };
    for (i, r) in list.into_iter().enumerate() {
        let target = format!("properties.template.resources[{i}]");
        resource(r, None, &target, &scope, &mut resources, &mut issues);
    }
    let text = serde_json::to_string(template).unwrap_or_default();
    let hash = hash_parts(0, &["template", &text]).to_string();
    if issues.is_empty() {
        Ok(Evaluated {
            resources,
            parameters: params,
            hash,
        })
    } else {
        Err(issues)
    }
}

/// Binds the given values (or defaults) to the declared parameters.
fn bind_parameters(
    declared: Option<&Value>,
    given: Option<&Value>,
    rg: &RgContext,
    issues: &mut Vec<TemplateIssue>,
) -> Vec<EvaluatedParameter> {
    let empty = Map::new();
    let declared = declared.and_then(Value::as_object).unwrap_or(&empty);
    let given = match given {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(g)) => g,
        Some(_) => {
            issues.push(issue(
                "properties.parameters",
                "'parameters' must be an object of {\"name\": {\"value\": …}}.",
            ));
            &empty
        }
    };
    for name in given.keys() {
        if !declared.keys().any(|d| d.eq_ignore_ascii_case(name)) {
            let known: Vec<&str> = declared.keys().map(String::as_str).collect();
            issues.push(issue(
                format!("properties.parameters.{name}"),
                format!(
                    "The template parameter '{name}' is not valid: it is not present in the \
                     template. The template's parameters are '{}'.",
                    known.join(", ")
                ),
            ));
        }
    }
    let mut out = Vec::new();
    let no_params = BTreeMap::new();
    for (name, decl) in declared {
        let target = format!("properties.parameters.{name}");
        let Some(kind) = decl.get("type").and_then(Value::as_str) else {
            issues.push(issue(
                format!("properties.template.parameters.{name}.type"),
                format!("The template parameter '{name}' has no 'type'."),
            ));
            continue;
        };
        let supplied = given
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v);
        if supplied.is_some_and(|s| s.get("reference").is_some()) {
            issues.push(issue(
                target,
                format!(
                    "The parameter '{name}' is a Key Vault reference, which the simulator \
                     cannot resolve; pass the value itself."
                ),
            ));
            continue;
        }
        let scope = Scope {
            params: &no_params,
            vars: &empty,
            rg,
        };
        let value = if let Some(v) = supplied.and_then(|s| s.get("value")) {
            v.clone()
        } else if let Some(d) = decl.get("defaultValue") {
            eval_value(d, &scope, &target, issues)
        } else {
            issues.push(issue(
                target,
                format!("The value for the template parameter '{name}' is not provided."),
            ));
            continue;
        };
        if !type_fits(kind, &value) {
            issues.push(issue(
                target,
                format!("The template parameter '{name}' was given a value that is not of type '{kind}'."),
            ));
            continue;
        }
        if let Some(Value::Array(allowed)) = decl.get("allowedValues")
            && !allowed.contains(&value)
        {
            issues.push(issue(
                target,
                format!(
                    "The value of the template parameter '{name}' is not one of its allowedValues."
                ),
            ));
            continue;
        }
        out.push(EvaluatedParameter {
            name: name.clone(),
            kind: kind.to_owned(),
            value,
        });
    }
    out
}

fn type_fits(kind: &str, v: &Value) -> bool {
    match kind.to_ascii_lowercase().as_str() {
        "string" | "securestring" => v.is_string(),
        "int" => v.is_i64() || v.is_u64(),
        "bool" => v.is_boolean(),
        "object" | "secureobject" => v.is_object(),
        "array" => v.is_array(),
        _ => false,
    }
}

/// Evaluates one resource (and its nested children) into `out`.
fn resource(
    r: &Value,
    parent: Option<(&str, &str)>,
    target: &str,
    scope: &Scope<'_>,
    out: &mut Vec<EvaluatedResource>,
    issues: &mut Vec<TemplateIssue>,
) {
    let Some(o) = r.as_object() else {
        issues.push(issue(target, "A resource must be a JSON object."));
        return;
    };
    if o.contains_key("copy") {
        issues.push(issue(
            format!("{target}.copy"),
            "Copy loops are not supported by the simulator; list the resources one by one.",
        ));
        return;
    }
    if let Some(c) = o.get("condition")
        && eval_value(c, scope, &format!("{target}.condition"), issues) == Value::Bool(false)
    {
        return;
    }
    let text = |key: &str, issues: &mut Vec<TemplateIssue>| -> Option<String> {
        let field = format!("{target}.{key}");
        match o.get(key).map(|v| eval_value(v, scope, &field, issues)) {
            Some(Value::String(s)) if !s.is_empty() => Some(s),
            _ => {
                issues.push(issue(
                    field,
                    format!("Required property '{key}' not found in JSON, or not a string."),
                ));
                None
            }
        }
    };
    let (Some(mut rtype), Some(mut name), Some(api_version)) = (
        text("type", issues),
        text("name", issues),
        text("apiVersion", issues),
    ) else {
        return;
    };
    if let Some((ptype, pname)) = parent {
        if !rtype.contains('/') {
            rtype = format!("{ptype}/{rtype}");
        }
        if !name.contains('/') {
            name = format!("{pname}/{name}");
        }
    }
    let depth = rtype.matches('/').count();
    if depth == 0 || name.matches('/').count() + 1 != depth {
        issues.push(issue(
            format!("{target}.name"),
            format!(
                "The resource name '{name}' does not have the right number of segments for \
                 type '{rtype}'."
            ),
        ));
        return;
    }
    let opt = |key: &str, issues: &mut Vec<TemplateIssue>| {
        o.get(key)
            .map(|v| eval_value(v, scope, &format!("{target}.{key}"), issues))
            .and_then(|v| v.as_str().map(str::to_owned))
    };
    let location = opt("location", issues);
    let kind = opt("kind", issues);
    let properties = o.get("properties").map_or(Value::Null, |p| {
        eval_value(p, scope, &format!("{target}.properties"), issues)
    });
    out.push(EvaluatedResource {
        resource_type: rtype.clone(),
        name: name.clone(),
        api_version,
        location,
        kind,
        properties,
    });
    if let Some(Value::Array(children)) = o.get("resources") {
        for (i, c) in children.iter().enumerate() {
            let t = format!("{target}.resources[{i}]");
            resource(c, Some((&rtype, &name)), &t, scope, out, issues);
        }
    }
}

/// What an expression can see.
struct Scope<'a> {
    params: &'a BTreeMap<String, Value>,
    vars: &'a Map<String, Value>,
    rg: &'a RgContext,
}

/// Evaluates every expression inside a JSON value.
fn eval_value(
    v: &Value,
    scope: &Scope<'_>,
    target: &str,
    issues: &mut Vec<TemplateIssue>,
) -> Value {
    match v {
        Value::String(s) => {
            super::template_expr::eval_string(s, scope.params, scope.vars, scope.rg).unwrap_or_else(
                |message| {
                    issues.push(issue(target, message));
                    Value::Null
                },
            )
        }
        Value::Array(a) => Value::Array(
            a.iter()
                .enumerate()
                .map(|(i, x)| eval_value(x, scope, &format!("{target}[{i}]"), issues))
                .collect(),
        ),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, x)| {
                    (
                        k.clone(),
                        eval_value(x, scope, &format!("{target}.{k}"), issues),
                    )
                })
                .collect(),
        ),
        other => other.clone(),
    }
}
