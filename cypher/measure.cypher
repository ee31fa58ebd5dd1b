// questions.measure: a measure with its parent, its evidence and the regions it names.
MATCH (m:Measure {id: $id})
OPTIONAL MATCH (m)-[:PART_OF]->(p:Measure)
OPTIONAL MATCH (m)-[e:FROM_DOCUMENT]->(:Document)
OPTIONAL MATCH (m)-[:APPLIES_TO]->(r:Region)
WITH m, p, e, collect(DISTINCT r.name) AS regions
RETURN m {.*, parent: p {.*}, evidence: properties(e), regions: regions} AS item
LIMIT 1
