// Each loaded document version keeps the time it was first loaded: unchanged content
// loaded again keeps it, a new version (a fresh node) takes $now.
UNWIND $ids AS id
MATCH (d:Document {id: id})
WHERE d.loaded_at IS NULL
SET d.loaded_at = $now
