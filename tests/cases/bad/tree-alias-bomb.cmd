compile --stdout tree-alias-bomb.yaml
