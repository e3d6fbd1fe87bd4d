compile --stdout compile-readme-named.md
