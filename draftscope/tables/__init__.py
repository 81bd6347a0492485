"""tables stage."""
