package p

numbers := [1, 2, 3]

squares := [n * n | some n in numbers]
