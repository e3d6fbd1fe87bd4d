compile --stdout doc-invalid-utf8-body.md
