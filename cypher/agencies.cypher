// questions.agencies: every agency with its counts of current measures.
MATCH (a:Agency)
RETURN a {.*, leads: COUNT { (a)-[:LEADS]->(x:Measure) WHERE x.version_of IS NULL },
           cooperates: COUNT { (a)-[:COOPERATES]->(x:Measure) WHERE x.version_of IS NULL }} AS item
