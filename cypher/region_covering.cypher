// A region (id or name) and every region it is PART_OF, at any depth: what applies in any
// of them applies in it.
MATCH (q:Region) WHERE q.id = $region OR q.name = $region
MATCH (q)-[:PART_OF*0..]->(r:Region)
RETURN collect(DISTINCT r.id) AS ids
