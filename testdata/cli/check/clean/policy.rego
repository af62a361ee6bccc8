package clean

allow if input.user == "admin"

names contains name if some name in input.names
