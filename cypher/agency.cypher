// questions.agency: one agency with its counts.
MATCH (a:Agency {id: $id})
RETURN a {.*, leads: COUNT { (a)-[:LEADS]->(x:Measure) WHERE x.version_of IS NULL },
           cooperates: COUNT { (a)-[:COOPERATES]->(x:Measure) WHERE x.version_of IS NULL }} AS item
