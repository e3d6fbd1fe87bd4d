compile --stdout doc-huge-number.md
