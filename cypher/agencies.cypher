MATCH (a:Agency)
RETURN a {.*, leads: COUNT { (a)-[:LEADS]->() }, cooperates: COUNT { (a)-[:COOPERATES]->() }} AS a
