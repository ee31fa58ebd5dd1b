MATCH (m:Measure {id: $id})
OPTIONAL MATCH (m)-[:PART_OF]->(p:Measure)
OPTIONAL MATCH (m)-[e:FROM_DOCUMENT]->(:Document)
OPTIONAL MATCH (m)-[:APPLIES_TO]->(r:Region)
RETURN m {.*} AS m, p {.*} AS parent, properties(e) AS evidence, collect(DISTINCT r.name) AS regions
LIMIT 1
