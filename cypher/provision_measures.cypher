MATCH (m:Measure)-[:ADJUSTS_REGULATION]->(p:LegalProvision {instrument: $instrument})
WHERE $article IS NULL OR p.article = $article
RETURN collect(DISTINCT m {.*}) AS measures
