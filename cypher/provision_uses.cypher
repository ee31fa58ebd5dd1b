MATCH (p:LegalProvision)
RETURN p {.*} AS provision, COUNT { (m:Measure)-[:ADJUSTS_REGULATION]->(p) WHERE m.version_of IS NULL } AS measures
