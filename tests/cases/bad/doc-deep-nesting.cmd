compile --stdout doc-deep-nesting.md
