compile --stdout tree-wrong-type.yaml
