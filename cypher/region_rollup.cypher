// questions.region_rollup: current measures applying in a region or in any region PART_OF
// it, at any depth; no row for an unknown region.
MATCH (r:Region {id: $id})
OPTIONAL MATCH (sub:Region)-[:PART_OF*0..]->(r)
OPTIONAL MATCH (m:Measure)-[:APPLIES_TO]->(sub) WHERE m.version_of IS NULL
WITH r, collect(DISTINCT m {.*}) AS items
RETURN items
