fmt --check ../../../stdlib/*.kdr ../../../rules/*.kdr
