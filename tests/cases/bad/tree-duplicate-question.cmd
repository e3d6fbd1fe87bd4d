compile --stdout tree-duplicate-question.yaml
