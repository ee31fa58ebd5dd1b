MATCH (m:Measure {id: $id})
OPTIONAL MATCH (m)-[r:ADJUSTS_REGULATION]->(p:LegalProvision)
RETURN m.id AS measure, p {.*} AS provision, properties(r) AS evidence
