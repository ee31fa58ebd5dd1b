MATCH (r:Region)
RETURN r {.*, measures: COUNT { (:Measure)-[:APPLIES_TO]->(r) }} AS r
