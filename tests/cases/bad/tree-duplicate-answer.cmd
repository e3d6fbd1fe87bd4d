compile --stdout tree-duplicate-answer.yaml
