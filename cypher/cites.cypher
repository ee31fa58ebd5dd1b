MATCH (d:Document)-[:CITES]->(c:Document)
WHERE d.version_of IS NULL
RETURN d.id AS doc, c.id AS cited
