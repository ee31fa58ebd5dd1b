// The number of measures matching every filter and every term (see search_measures).
// __MEASURES__ is the source of candidate measures: measures_all or measures_fulltext.
__MEASURES__
WITH m WHERE m.version_of IS NULL AND ($kind IS NULL OR m.kind = $kind)
  AND ($document IS NULL OR m.document = $document
       OR EXISTS { MATCH (m)-[:FROM_DOCUMENT]->(d:Document) WHERE d.id = $document })
  AND ($agency IS NULL
       OR EXISTS { MATCH (a:Agency)-[:LEADS|COOPERATES]->(m) WHERE a.id = $agency OR a.name = $agency })
  AND ($region IS NULL
       OR EXISTS { MATCH (m)-[:APPLIES_TO]->(r:Region) WHERE r.id = $region OR r.name = $region })
  AND all(t IN $terms WHERE m.text CONTAINS t OR coalesce(m.body, '') CONTAINS t)
RETURN count(m) AS total
