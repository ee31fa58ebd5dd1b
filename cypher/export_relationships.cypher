MATCH (a)-[r]->(b)
RETURN type(r) AS type, a.id AS start, labels(a)[0] AS start_label, b.id AS end, labels(b)[0] AS end_label,
       properties(r) AS props
ORDER BY type, start, end
