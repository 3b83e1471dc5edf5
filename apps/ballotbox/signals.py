"""What the ballot box tells the app a box belongs to.

`tallied` is sent inside the transaction that publishes a box's totals (the last teller's share), with
`box`: the app that opened the box (a vote, an election round, a rating) stores its result in that same
transaction and refreshes its screens after the commit."""

from django.dispatch import Signal

tallied = Signal()
