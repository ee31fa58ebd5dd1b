MATCH (d:Document)
WHERE d.file IS NOT NULL
RETURN d {.*, measures: COUNT { (:Measure)-[:FROM_DOCUMENT]->(d) }} AS d
