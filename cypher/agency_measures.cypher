// What an agency leads or supports; $types narrows to LEADS or COOPERATES.
MATCH (a:Agency {id: $id})
OPTIONAL MATCH (a)-[r:LEADS|COOPERATES]->(m:Measure)
WHERE type(r) IN $types AND m.version_of IS NULL
RETURN a.id AS agency, collect(DISTINCT m {.*}) AS measures
