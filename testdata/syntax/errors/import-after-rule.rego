package p

p := 1

import data.x
