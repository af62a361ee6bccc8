allow if input.x == 1
