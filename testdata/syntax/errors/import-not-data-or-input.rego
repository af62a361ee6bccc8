package p

import foo.bar
