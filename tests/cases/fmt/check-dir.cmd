fmt --check map
