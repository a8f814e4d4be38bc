//! Kudu: zip deploy from a package URI (async, polled until done) and the artifact store's listing.
