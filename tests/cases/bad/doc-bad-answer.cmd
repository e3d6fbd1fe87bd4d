compile --stdout doc-bad-answer.md
