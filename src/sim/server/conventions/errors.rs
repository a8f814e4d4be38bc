//! ARM's error responses: `{"error":{"code","message"}}` with the status and the code ARM uses
//! for each case, in ARM's own words where they are known.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::azure::wire::ArmErrorBody;

/// An error response, boxed because responses are large and errors travel in `Result`s.
#[derive(Debug)]
pub struct Fail(pub Box<Response>);

impl From<Response> for Fail {
    fn from(r: Response) -> Self {
        Self(Box::new(r))
    }
}

impl IntoResponse for Fail {
    fn into_response(self) -> Response {
        *self.0
    }
}

/// An ARM error response.
pub fn arm_error(status: StatusCode, code: &str, message: impl Into<String>) -> Fail {
    Fail::from((status, Json(ArmErrorBody::new(code, message))).into_response())
}

/// 400 `MissingApiVersionParameter`.
pub fn missing_api_version() -> Fail {
    arm_error(
        StatusCode::BAD_REQUEST,
        "MissingApiVersionParameter",
        "The api-version query parameter (?api-version=) is required for all requests.",
    )
}

/// 400 `InvalidApiVersionParameter`: the value is not a date-shaped version at all.
pub fn invalid_api_version(version: &str, supported: &[&str]) -> Fail {
    arm_error(
        StatusCode::BAD_REQUEST,
        "InvalidApiVersionParameter",
        format!(
            "The api-version '{version}' is invalid. The supported versions are '{}'.",
            supported.join(",")
        ),
    )
}

/// 400 `NoRegisteredProviderFound`: a well-formed version the resource type does not support.
pub fn unsupported_api_version(version: &str, resource_type: &str, supported: &[&str]) -> Fail {
    arm_error(
        StatusCode::BAD_REQUEST,
        "NoRegisteredProviderFound",
        format!(
            "No registered resource provider found for location 'global' and API version \
             '{version}' for type '{resource_type}'. The supported api-versions are '{}'.",
            supported.join(", ")
        ),
    )
}

/// 400 `InvalidResourceNamespace`.
pub fn invalid_namespace(namespace: &str) -> Fail {
    arm_error(
        StatusCode::BAD_REQUEST,
        "InvalidResourceNamespace",
        format!("The resource namespace '{namespace}' is invalid."),
    )
}

/// 400 `InvalidResourceType`.
pub fn invalid_resource_type(namespace: &str, resource_type: &str, version: &str) -> Fail {
    arm_error(
        StatusCode::BAD_REQUEST,
        "InvalidResourceType",
        format!(
            "The resource type '{resource_type}' could not be found in the namespace \
             '{namespace}' for api version '{version}'."
        ),
    )
}

/// 404 `SubscriptionNotFound`.
pub fn subscription_not_found(subscription: &str) -> Fail {
    arm_error(
        StatusCode::NOT_FOUND,
        "SubscriptionNotFound",
        format!("The subscription '{subscription}' could not be found."),
    )
}

/// 404 `ResourceGroupNotFound`.
pub fn resource_group_not_found(resource_group: &str) -> Fail {
    arm_error(
        StatusCode::NOT_FOUND,
        "ResourceGroupNotFound",
        format!("Resource group '{resource_group}' could not be found."),
    )
}

/// 404 `ResourceNotFound` for a resource of `resource_type` (e.g. `Microsoft.Web/sites`).
pub fn resource_not_found(resource_type: &str, name: &str, resource_group: &str) -> Fail {
    arm_error(
        StatusCode::NOT_FOUND,
        "ResourceNotFound",
        format!(
            "The Resource '{resource_type}/{name}' under resource group '{resource_group}' was \
             not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix"
        ),
    )
}

/// 404 `NotFound` for a path under a known resource that has no such child.
pub fn no_such_path(path: &str) -> Fail {
    arm_error(
        StatusCode::NOT_FOUND,
        "NotFound",
        format!("The requested path '{path}' was not found."),
    )
}

/// 405 for a known path and an unsupported method.
pub fn method_not_allowed(method: &str) -> Fail {
    arm_error(
        StatusCode::METHOD_NOT_ALLOWED,
        "MethodNotAllowed",
        format!("The requested resource does not support http method '{method}'."),
    )
}

/// 400 `BadRequest` (or another code) with a message.
pub fn bad_request(code: &str, message: impl Into<String>) -> Fail {
    arm_error(StatusCode::BAD_REQUEST, code, message)
}
