compile --stdout tree-cut-before-conclusions.yaml
