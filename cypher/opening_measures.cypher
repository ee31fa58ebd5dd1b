MATCH (m:Measure {kind: 'opening'})
WHERE m.version_of IS NULL
OPTIONAL MATCH (m)-[:ADJUSTS_REGULATION]->(p:LegalProvision)
RETURN m {.*} AS m, collect(p {.*}) AS provisions
ORDER BY m.document, m.start, m.id
