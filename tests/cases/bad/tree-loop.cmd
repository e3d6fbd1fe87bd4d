compile --stdout tree-loop.yaml
