// Merge a batch of relationships of one type between two labels. __TYPE__, __START__ and
// __END__ are filled only from the closed vocabulary of graph/model.py; values are
// parameters. The first evidence recorded for an edge is kept, as in the embedded store.
UNWIND $rows AS row
MATCH (a:__START__ {id: row.start})
MATCH (b:__END__ {id: row.end})
MERGE (a)-[r:__TYPE__]->(b)
ON CREATE SET r += row.props
