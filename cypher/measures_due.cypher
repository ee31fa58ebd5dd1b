// Current measures due on or before $before (ISO dates compare as text), earliest first;
// with $agency (id or name) backing them as one of $types; with $covering (a region and the
// regions containing it, cypher/region_covering.cypher) where they apply: their own
// APPLIES_TO, else their document's.
MATCH (m:Measure)
WHERE m.version_of IS NULL AND m.due IS NOT NULL AND m.due <= $before
  AND ($agency IS NULL OR EXISTS {
        MATCH (a:Agency)-[r:LEADS|COOPERATES]->(m)
        WHERE (a.id = $agency OR a.name = $agency) AND type(r) IN $types })
  AND ($covering IS NULL OR
       CASE WHEN EXISTS { (m)-[:APPLIES_TO]->(:Region) }
            THEN EXISTS { MATCH (m)-[:APPLIES_TO]->(r:Region) WHERE r.id IN $covering }
            ELSE EXISTS { MATCH (m)-[:FROM_DOCUMENT]->(:Document)-[:APPLIES_TO]->(r:Region) WHERE r.id IN $covering }
       END)
RETURN m {.*} AS m
ORDER BY m.due, m.document, m.start, m.id
