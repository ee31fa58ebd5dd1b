// Agencies that lead or support a measure, with counts for each agency and the evidence.
MATCH (m:Measure {id: $id})
OPTIONAL MATCH (a:Agency)-[r:LEADS|COOPERATES]->(m)
WITH m, a, r
RETURN m.id AS measure,
       CASE WHEN a IS NULL THEN [] ELSE [{
         agency: a {.*, leads: COUNT { (a)-[:LEADS]->(x:Measure) WHERE x.version_of IS NULL },
           cooperates: COUNT { (a)-[:COOPERATES]->(x:Measure) WHERE x.version_of IS NULL }},
         role: CASE type(r) WHEN 'LEADS' THEN 'lead' ELSE 'cooperate' END,
         evidence: properties(r)}] END AS backer
