// questions.region_measures: current measures naming a region; no row for an unknown region.
MATCH (r:Region {id: $id})
OPTIONAL MATCH (m:Measure)-[:APPLIES_TO]->(r) WHERE m.version_of IS NULL
WITH r, collect(DISTINCT m {.*}) AS items
RETURN items
