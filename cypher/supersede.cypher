// A document loaded with other content than its current version's (see graph/store.py):
// the current version and its measures take version ids (<id>@<sha256[:12]>, numbered if
// taken) and `version_of`; a fresh node with the stable id supersedes it and takes the
// citations. Runs in the load's transaction, before the new version is merged.
MATCH (d:Document {id: $id})
WHERE d.sha256 IS NOT NULL AND d.sha256 <> $sha256
WITH d, d.id + '@' + left(d.sha256, 12) AS base
WITH d, base, COUNT { MATCH (x:Document) WHERE x.id STARTS WITH base } AS taken
WITH d, d.id AS current, CASE taken WHEN 0 THEN base ELSE base + '.' + toString(taken + 1) END AS vid
WITH d, current, vid, substring(vid, size(current)) AS suffix
CALL (d, suffix) {
  MATCH (m:Measure)-[:FROM_DOCUMENT]->(d)
  SET m.version_of = m.id, m.id = m.id + suffix
}
SET d.version_of = current, d.id = vid
MERGE (n:Document {id: current})
CREATE (n)-[:SUPERSEDES]->(d)
WITH n, d
CALL (n, d) {
  MATCH (o:Document)-[c:CITES]->(d) WHERE o <> n
  MERGE (o)-[c2:CITES]->(n) ON CREATE SET c2 = properties(c)
  DELETE c
}
RETURN d.id AS version
