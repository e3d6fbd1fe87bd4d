check --no-stdlib replace/basis.kdr replace/eigen.kdr
