// questions.suspended_provisions: provisions current measures suspend or adjust on $on (the
// edge's from/until; open ends unbounded) where they apply in $region (id or name) or a
// region containing it: the measure's own APPLIES_TO, else its document's. No row for an
// unknown region.
MATCH (q:Region) WHERE q.id = $region OR q.name = $region
MATCH (q)-[:PART_OF*0..]->(c:Region)
WITH collect(DISTINCT c.id) AS covering
WHERE size(covering) > 0
CALL (covering) {
  MATCH (m:Measure)-[s:ADJUSTS_REGULATION]->(p:LegalProvision)
  WHERE m.version_of IS NULL
    AND (s.`from` IS NULL OR s.`from` <= $on) AND (s.until IS NULL OR $on <= s.until)
  WITH m, s, p,
       CASE WHEN EXISTS { (m)-[:APPLIES_TO]->(:Region) }
            THEN COLLECT { MATCH (m)-[:APPLIES_TO]->(r:Region) RETURN r }
            ELSE COLLECT { MATCH (m)-[:FROM_DOCUMENT]->(:Document)-[:APPLIES_TO]->(r:Region) RETURN r } END AS regions
  WHERE any(r IN regions WHERE r.id IN covering)
  RETURN collect({provision: p {.*}, measure: m {.*}, valid_from: s.`from`, valid_until: s.until,
                  regions: [r IN regions | r.name]}) AS items
}
RETURN items
