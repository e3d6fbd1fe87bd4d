check --no-stdlib rules-unclosed-brace.kdr
