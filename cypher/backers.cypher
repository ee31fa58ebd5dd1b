// Agencies that lead or support a measure, with counts for each agency and the evidence.
MATCH (m:Measure {id: $id})
OPTIONAL MATCH (a:Agency)-[r:LEADS|COOPERATES]->(m)
WITH m, a, r
RETURN m.id AS measure,
       CASE WHEN a IS NULL THEN [] ELSE [{
         agency: a {.*, leads: COUNT { (a)-[:LEADS]->() }, cooperates: COUNT { (a)-[:COOPERATES]->() }},
         role: CASE type(r) WHEN 'LEADS' THEN 'lead' ELSE 'cooperate' END,
         evidence: properties(r)}] END AS backer
