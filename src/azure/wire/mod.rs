//! Wire types: the JSON bodies of the Azure REST APIs warroom reads and writes, written once and
//! used by both the client (to parse) and the simulator (to serve). Field names and nesting follow
//! Microsoft's REST specifications; optional fields stay optional so real responses parse.

pub mod page;
