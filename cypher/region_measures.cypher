MATCH (r:Region {id: $id})
OPTIONAL MATCH (m:Measure)-[:APPLIES_TO]->(r) WHERE m.version_of IS NULL
RETURN r.id AS region, collect(DISTINCT m {.*}) AS measures
