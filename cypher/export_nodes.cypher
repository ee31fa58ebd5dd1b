MATCH (n)
RETURN n.id AS id, labels(n)[0] AS label, properties(n) AS props
ORDER BY id
