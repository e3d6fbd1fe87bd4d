check --no-stdlib rules-cycle-self.kdr
