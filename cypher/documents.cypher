// questions.documents: current versions of the loaded documents.
MATCH (d:Document)
WHERE d.file IS NOT NULL AND d.version_of IS NULL
RETURN d {.*, measures: COUNT { (:Measure)-[:FROM_DOCUMENT]->(d) }} AS item
