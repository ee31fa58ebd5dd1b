MATCH (a:Agency {id: $id})
RETURN a {.*, leads: COUNT { (a)-[:LEADS]->() }, cooperates: COUNT { (a)-[:COOPERATES]->() }} AS a
