// questions.documents_in_force: current documents in force on $on: from in_force_from
// (else the date of issue; neither: left out) to in_force_until (open if absent).
MATCH (d:Document)
WHERE d.file IS NOT NULL AND d.version_of IS NULL
  AND coalesce(d.in_force_from, d.date) <= $on
  AND (d.in_force_until IS NULL OR $on <= d.in_force_until)
RETURN d {.*, measures: COUNT { (:Measure)-[:FROM_DOCUMENT]->(d) }} AS item
