MATCH (a:Agency {id: $id})
OPTIONAL MATCH (a)-[:LEADS|COOPERATES]->(m:Measure)<-[:LEADS|COOPERATES]-(b:Agency)
WHERE b <> a
WITH a, b, count(DISTINCT m) AS shared
RETURN a.id AS agency,
       collect(CASE WHEN b IS NULL THEN null ELSE {
         agency: b {.*, leads: COUNT { (b)-[:LEADS]->() }, cooperates: COUNT { (b)-[:COOPERATES]->() }},
         shared: shared} END) AS partners
