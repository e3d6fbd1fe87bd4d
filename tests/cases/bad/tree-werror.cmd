compile --werror --stdout tree-werror.yaml
