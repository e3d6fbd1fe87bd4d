compile --stdout doc-truncated.md
