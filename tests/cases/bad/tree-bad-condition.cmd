compile --stdout tree-bad-condition.yaml
