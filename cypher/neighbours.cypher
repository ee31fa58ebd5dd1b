// Nodes $ids with every relationship touching them and the node at the other end.
MATCH (n) WHERE n.id IN $ids
OPTIONAL MATCH (n)-[r]-(o)
RETURN n.id AS id, labels(n)[0] AS label, properties(n) AS props,
       collect(CASE WHEN r IS NULL THEN null ELSE {type: type(r), start: startNode(r).id, end: endNode(r).id,
               props: properties(r), other: o.id, other_label: labels(o)[0], other_props: properties(o)} END) AS rels
