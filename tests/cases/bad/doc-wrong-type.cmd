compile --stdout doc-wrong-type.md
