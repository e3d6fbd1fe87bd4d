compile --stdout doc-alias-bomb.md
