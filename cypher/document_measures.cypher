MATCH (m:Measure)-[:FROM_DOCUMENT]->(d:Document)
WHERE d.id IN $ids AND m.version_of IS NULL
RETURN m.id AS id, m.text AS text, d.id AS doc, m.document AS file, m.start AS start, m.end AS end
