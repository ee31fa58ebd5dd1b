// questions.versions: every version of a document, newest first: the current one, then
// along SUPERSEDES. $id is the current id or an older version's; no row for an unknown one.
MATCH (x:Document {id: $id})
MATCH (d:Document {id: coalesce(x.version_of, x.id)})
MATCH p = (d)-[:SUPERSEDES*0..]->(v:Document)
WITH x, v, length(p) AS n ORDER BY n
WITH x, collect(v {.*, measures: COUNT { (:Measure)-[:FROM_DOCUMENT]->(v) }}) AS items
RETURN items
