// Measures matching every filter and every term; relevance = 2 x occurrences in the text
// + occurrences in the body (the same rule as graph/store.py). __MEASURES__ is the source
// of candidate measures: measures_all or measures_fulltext. The page is ordered before its
// properties are read (a top-k: memory bounded by the page, not by the hits).
__MEASURES__
WITH m WHERE m.version_of IS NULL AND ($kind IS NULL OR m.kind = $kind)
  AND ($document IS NULL OR m.document = $document
       OR EXISTS { MATCH (m)-[:FROM_DOCUMENT]->(d:Document) WHERE d.id = $document })
  AND ($agency IS NULL
       OR EXISTS { MATCH (a:Agency)-[:LEADS|COOPERATES]->(m) WHERE a.id = $agency OR a.name = $agency })
  AND ($region IS NULL
       OR EXISTS { MATCH (m)-[:APPLIES_TO]->(r:Region) WHERE r.id = $region OR r.name = $region })
  AND all(t IN $terms WHERE m.text CONTAINS t OR coalesce(m.body, '') CONTAINS t)
WITH m, reduce(s = 0, t IN $terms |
       s + 2 * (size(split(m.text, t)) - 1) + (size(split(coalesce(m.body, ''), t)) - 1)) AS score
ORDER BY score DESC, m.document, m.start, m.id
SKIP $offset LIMIT $limit
RETURN m {.*} AS m, score
