compile --stdout tree-truncated.yaml
