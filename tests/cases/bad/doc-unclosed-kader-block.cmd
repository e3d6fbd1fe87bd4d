compile --stdout doc-unclosed-kader-block.md
