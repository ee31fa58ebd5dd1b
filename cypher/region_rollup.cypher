// Measures applying in a region or in any region that is PART_OF it, at any depth.
MATCH (r:Region {id: $id})
OPTIONAL MATCH (sub:Region)-[:PART_OF*0..]->(r)
OPTIONAL MATCH (m:Measure)-[:APPLIES_TO]->(sub) WHERE m.version_of IS NULL
RETURN r.id AS region, collect(DISTINCT m {.*}) AS measures
