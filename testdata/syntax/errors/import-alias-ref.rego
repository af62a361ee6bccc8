package p

import data.x as y.z
