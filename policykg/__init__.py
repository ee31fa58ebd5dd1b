"""policykg: Chinese policy documents to a knowledge graph of measures, agencies,
regions and legal provisions."""

__version__ = "0.1.0"
