MATCH (d:Document)-[:CITES]->(c:Document)
RETURN d.id AS doc, c.id AS cited
