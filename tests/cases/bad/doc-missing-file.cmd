compile --stdout bestaat-niet.md
