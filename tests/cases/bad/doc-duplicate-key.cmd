compile --werror --stdout doc-duplicate-key.md
