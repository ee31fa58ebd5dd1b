// Candidate measures for a search: all of them (no term the full-text index can take).
MATCH (m:Measure)
