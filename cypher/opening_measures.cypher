MATCH (m:Measure {kind: 'opening'})
OPTIONAL MATCH (m)-[:ADJUSTS_REGULATION]->(p:LegalProvision)
RETURN m {.*} AS m, collect(p {.*}) AS provisions
ORDER BY m.document, m.start, m.id
