// questions.partners: agencies backing the same current measures as $id, with the number
// shared; no row for an unknown agency.
MATCH (a:Agency {id: $id})
OPTIONAL MATCH (a)-[:LEADS|COOPERATES]->(m:Measure)<-[:LEADS|COOPERATES]-(b:Agency)
WHERE b <> a AND m.version_of IS NULL
WITH a, b, count(DISTINCT m) AS shared
WITH a, collect(CASE WHEN b IS NULL THEN null ELSE {
       agency: b {.*, leads: COUNT { (b)-[:LEADS]->(n:Measure) WHERE n.version_of IS NULL },
                  cooperates: COUNT { (b)-[:COOPERATES]->(n:Measure) WHERE n.version_of IS NULL }},
       shared: shared} END) AS items
RETURN items
