// Merge a batch of nodes of one label. __LABEL__ is filled only from the closed label
// vocabulary of graph/model.py (never from input); all values are parameters.
// Lists (aliases) are united with what the node already has, as the embedded store does.
UNWIND $rows AS row
MERGE (n:__LABEL__ {id: row.id})
SET n += row.props
FOREACH (_ IN CASE WHEN size(coalesce(row.aliases, [])) > 0 THEN [1] ELSE [] END |
  SET n.aliases = coalesce(n.aliases, []) + [a IN row.aliases WHERE NOT a IN coalesce(n.aliases, [])])
