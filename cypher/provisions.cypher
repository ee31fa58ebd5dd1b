// questions.provisions: provisions a measure adjusts, with the evidence; no row for an
// unknown measure.
MATCH (m:Measure {id: $id})
OPTIONAL MATCH (m)-[r:ADJUSTS_REGULATION]->(p:LegalProvision)
WITH m, collect(CASE WHEN p IS NULL THEN null ELSE {provision: p {.*}, evidence: properties(r)} END) AS items
RETURN items
