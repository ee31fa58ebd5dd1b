// Used by tests and `policykg reset`: remove everything, in batches.
MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
