// questions.provision_uses: every provision with the number of current measures adjusting it.
MATCH (p:LegalProvision)
RETURN {provision: p {.*},
        measures: COUNT { (m:Measure)-[:ADJUSTS_REGULATION]->(p) WHERE m.version_of IS NULL }} AS item
