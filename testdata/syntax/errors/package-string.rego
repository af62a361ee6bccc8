package "p"
