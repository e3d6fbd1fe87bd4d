compile --stdout doc-binary.md
