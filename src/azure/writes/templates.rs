//! ARM template deployments: what-if, then the deployment, polled.
