compile --stdout doc-empty.md
