// Candidate measures for a search through the `cjk` full-text index. $fulltext is a Lucene
// query of the terms indexed as runs of Han bigrams ("服务贸易" AND "人才"): a text that
// contains such a term always matches its phrase, so the CONTAINS test that follows stays
// the exact rule and the answer is the scan's, from far fewer measures.
CALL db.index.fulltext.queryNodes('measure_text', $fulltext) YIELD node AS m
WITH m WHERE m:Measure
