compile --stdout tree-not-a-tree.yaml
