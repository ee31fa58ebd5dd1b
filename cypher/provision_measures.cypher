MATCH (m:Measure)-[:ADJUSTS_REGULATION]->(p:LegalProvision {instrument: $instrument})
WHERE ($article IS NULL OR p.article = $article) AND m.version_of IS NULL
RETURN collect(DISTINCT m {.*}) AS measures
