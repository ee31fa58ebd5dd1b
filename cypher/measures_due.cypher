// questions.measures_due: current measures due on or before $before (ISO dates compare as
// text); with $agency (id or name) backing them as $role (null: either); with $region (id
// or name) where they apply: their own APPLIES_TO, else their document's, in the region or
// in a region containing it. An unknown region covers nothing.
WITH CASE WHEN $region IS NULL THEN null ELSE COLLECT {
       MATCH (q:Region) WHERE q.id = $region OR q.name = $region
       MATCH (q)-[:PART_OF*0..]->(r:Region)
       RETURN DISTINCT r.id } END AS covering
MATCH (m:Measure)
WHERE m.version_of IS NULL AND m.due IS NOT NULL AND m.due <= $before
  AND ($agency IS NULL OR EXISTS {
        MATCH (a:Agency)-[r:LEADS|COOPERATES]->(m)
        WHERE (a.id = $agency OR a.name = $agency)
          AND ($role IS NULL OR type(r) = CASE $role WHEN 'lead' THEN 'LEADS' ELSE 'COOPERATES' END) })
  AND (covering IS NULL OR
       CASE WHEN EXISTS { (m)-[:APPLIES_TO]->(:Region) }
            THEN EXISTS { MATCH (m)-[:APPLIES_TO]->(r:Region) WHERE r.id IN covering }
            ELSE EXISTS { MATCH (m)-[:FROM_DOCUMENT]->(:Document)-[:APPLIES_TO]->(r:Region) WHERE r.id IN covering }
       END)
RETURN m {.*} AS item
