check --no-stdlib rules-empty-directory.d
