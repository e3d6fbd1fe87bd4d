compile --stdout doc-invalid-utf8.md
