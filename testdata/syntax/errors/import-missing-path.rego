package p

import
