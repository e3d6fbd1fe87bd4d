check --no-stdlib unclosed-block.kdr
