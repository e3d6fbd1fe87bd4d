compile --stdout tree-unknown-question.yaml
