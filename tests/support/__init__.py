"""Test and benchmark support that is not part of the installed app: the demo API over real HTTP
(``demo_server``, an ``aiohttp.web`` app), its harness (a thread or a child process), a load generator,
and a hostile server (gzip bombs, dripping bodies, poisoned JSON)."""
