"""The review log: every state change of every highlight as an append-only event, one JSON
Lines file per device per month, merged from every device by replaying them (docs/review-log.md).

``events`` is the event and its JSON form, ``replay`` turns events into SM-2 states (both pure);
``files`` appends to this device's file and reads every device's files incrementally;
``device`` is this device's id.
"""
