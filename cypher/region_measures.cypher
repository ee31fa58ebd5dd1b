MATCH (r:Region {id: $id})
OPTIONAL MATCH (m:Measure)-[:APPLIES_TO]->(r)
RETURN r.id AS region, collect(DISTINCT m {.*}) AS measures
