// questions.opening_measures: current opening measures with the provisions they adjust.
MATCH (m:Measure {kind: 'opening'})
WHERE m.version_of IS NULL
OPTIONAL MATCH (m)-[:ADJUSTS_REGULATION]->(p:LegalProvision)
WITH m, collect(p {.*}) AS provisions
RETURN {measure: m {.*}, provisions: provisions} AS item
