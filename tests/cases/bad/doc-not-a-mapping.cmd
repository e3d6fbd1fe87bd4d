compile --stdout doc-not-a-mapping.md
