fmt -w --check style.kdr
