compile --stdout tree-unknown-conclusion.yaml
