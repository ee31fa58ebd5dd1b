// Merge a batch of nodes of one label. __LABEL__ is filled only from the closed label
// vocabulary of graph/model.py (never from input); all values are parameters.
// Lists (aliases) are united with what the node already has and sorted, as the embedded
// store does: concurrent writers merge documents in any order, with the same result.
UNWIND $rows AS row
MERGE (n:__LABEL__ {id: row.id})
SET n += row.props
WITH n, row WHERE size(coalesce(row.aliases, [])) > 0
CALL (n, row) {
  UNWIND coalesce(n.aliases, []) + row.aliases AS alias
  WITH DISTINCT alias ORDER BY alias
  RETURN collect(alias) AS aliases
}
SET n.aliases = aliases
