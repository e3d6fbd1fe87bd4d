fmt comments.kdr
