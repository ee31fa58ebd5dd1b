// questions.provision_measures: current measures adjusting an instrument (any article, or $article).
MATCH (m:Measure)-[:ADJUSTS_REGULATION]->(p:LegalProvision {instrument: $instrument})
WHERE ($article IS NULL OR p.article = $article) AND m.version_of IS NULL
RETURN DISTINCT m {.*} AS item
