check --no-stdlib rules-tabs.kdr
