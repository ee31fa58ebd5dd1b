// questions.backers: agencies that lead or support a measure, with their counts and the
// evidence; no row for an unknown measure.
MATCH (m:Measure {id: $id})
OPTIONAL MATCH (a:Agency)-[r:LEADS|COOPERATES]->(m)
WITH m, collect(CASE WHEN a IS NULL THEN null ELSE {
         agency: a {.*, leads: COUNT { (a)-[:LEADS]->(x:Measure) WHERE x.version_of IS NULL },
                    cooperates: COUNT { (a)-[:COOPERATES]->(x:Measure) WHERE x.version_of IS NULL }},
         role: CASE type(r) WHEN 'LEADS' THEN 'lead' ELSE 'cooperate' END,
         evidence: properties(r)} END) AS items
RETURN items
