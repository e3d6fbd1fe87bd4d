compile --stdout doc-tabs.md
