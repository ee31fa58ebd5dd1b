// Uniqueness of each label's key, and a CJK full-text index over measure text and agency
// names. Statements are separated by semicolons; every one is idempotent.
CREATE CONSTRAINT document_id IF NOT EXISTS FOR (n:Document) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT measure_id IF NOT EXISTS FOR (n:Measure) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT agency_id IF NOT EXISTS FOR (n:Agency) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT region_id IF NOT EXISTS FOR (n:Region) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT provision_id IF NOT EXISTS FOR (n:LegalProvision) REQUIRE n.id IS UNIQUE;
CREATE INDEX measure_kind IF NOT EXISTS FOR (n:Measure) ON (n.kind);
CREATE INDEX measure_document IF NOT EXISTS FOR (n:Measure) ON (n.document);
CREATE INDEX agency_name IF NOT EXISTS FOR (n:Agency) ON (n.name);
CREATE INDEX region_name IF NOT EXISTS FOR (n:Region) ON (n.name);
CREATE INDEX document_file IF NOT EXISTS FOR (n:Document) ON (n.file);
// Eventually consistent: a commit does not wait for Lucene (two thirds of a load's time
// when it did); Neo4jStore.load_many waits for the refresh once per batch instead, so a
// search after a load still sees it.
CREATE FULLTEXT INDEX measure_text IF NOT EXISTS FOR (n:Measure|Agency) ON EACH [n.text, n.body, n.name]
  OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk', `fulltext.eventually_consistent`: true}};
