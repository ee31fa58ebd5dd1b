// Provisions current measures suspend or adjust on $on (the edge's from/until; open ends
// unbounded) where they apply in one of $covering (a region and those containing it): the
// measure's own APPLIES_TO, else its document's.
MATCH (m:Measure)-[s:ADJUSTS_REGULATION]->(p:LegalProvision)
WHERE m.version_of IS NULL
  AND (s.`from` IS NULL OR s.`from` <= $on) AND (s.until IS NULL OR $on <= s.until)
WITH m, s, p,
     CASE WHEN EXISTS { (m)-[:APPLIES_TO]->(:Region) }
          THEN COLLECT { MATCH (m)-[:APPLIES_TO]->(r:Region) RETURN r }
          ELSE COLLECT { MATCH (m)-[:FROM_DOCUMENT]->(:Document)-[:APPLIES_TO]->(r:Region) RETURN r } END AS regions
WHERE any(r IN regions WHERE r.id IN $covering)
RETURN p {.*} AS provision, m {.*} AS m, s.`from` AS valid_from, s.until AS valid_until,
       [r IN regions | r.name] AS regions
