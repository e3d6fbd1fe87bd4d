compile --stdout tree-dead-end.yaml
