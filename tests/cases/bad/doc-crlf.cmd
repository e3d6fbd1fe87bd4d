compile --stdout doc-crlf.md
