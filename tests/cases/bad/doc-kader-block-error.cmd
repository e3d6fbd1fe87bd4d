compile --stdout doc-kader-block-error.md
