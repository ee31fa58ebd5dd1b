MATCH (p:LegalProvision)
RETURN p {.*} AS provision, COUNT { (:Measure)-[:ADJUSTS_REGULATION]->(p) } AS measures
