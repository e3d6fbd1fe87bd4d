compile --stdout doc-unclosed-front-matter.md
