// questions.regions: every region with the number of current measures naming it.
MATCH (r:Region)
RETURN r {.*, measures: COUNT { (m:Measure)-[:APPLIES_TO]->(r) WHERE m.version_of IS NULL }} AS item
