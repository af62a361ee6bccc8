package p

import data.f(x)
