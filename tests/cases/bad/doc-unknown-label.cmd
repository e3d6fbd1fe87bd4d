compile --stdout doc-unknown-label.md
