compile doc-output-is-file.md -o doc-output-is-file.txt/regels
