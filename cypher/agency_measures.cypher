// questions.agency_measures: what an agency leads ($role 'lead'), supports ('cooperate')
// or either (null); no row for an unknown agency.
MATCH (a:Agency {id: $id})
OPTIONAL MATCH (a)-[r:LEADS|COOPERATES]->(m:Measure)
WHERE m.version_of IS NULL
  AND ($role IS NULL OR type(r) = CASE $role WHEN 'lead' THEN 'LEADS' ELSE 'COOPERATES' END)
WITH a, collect(DISTINCT m {.*}) AS items
RETURN items
