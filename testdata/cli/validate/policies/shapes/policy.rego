# Every shape a rule's value can take, and messages that need escaping in some formats.
package main

# A boolean rule: one message naming the rule.
deny if input.bad

# An object without `msg`.
violation contains {"severity": "low"} if input.nomsg

# An object whose `msg` is not a string, with extra metadata.
violation_number contains {"msg": 42, "owner": "team-x"} if input.nummsg

# A message with a newline, a `#` and a `%`.
warn_multi contains "line one\nline two # hash 100%" if input.multi
