compile --stdout tree-warning.yaml
