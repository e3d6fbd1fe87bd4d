compile --stdout doc-bom.md
