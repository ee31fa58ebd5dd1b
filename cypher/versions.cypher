// Every version of a document, newest first: the current one, then along SUPERSEDES.
// $id is the current id or an older version's.
MATCH (x:Document {id: $id})
MATCH (d:Document {id: coalesce(x.version_of, x.id)})
MATCH p = (d)-[:SUPERSEDES*0..]->(v:Document)
RETURN v {.*, measures: COUNT { (:Measure)-[:FROM_DOCUMENT]->(v) }} AS d, length(p) AS n
ORDER BY n
