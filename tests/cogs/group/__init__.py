"""A package, so test modules here may share a basename with those in other test folders."""
