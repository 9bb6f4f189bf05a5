"""Pure extraction functions: parsed article (+ knowledge base + publication date) -> records. No I/O."""
