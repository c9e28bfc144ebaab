"""Use cases shared by the API and the worker, each a few plain functions on a session: they call
the repositories and the training engine, and leave the commit to their caller (a request's
service, a Celery task, the embedded runner).

- `recompute`: one user's insights and prescriptions from their logs (the engine's input and output);
- `plans`: a program as cached plain data, and its shapes (ORM rows → plan → the engine's plan);
- `fanout`: who is due for the weekly end-of-week recompute;
- `deliveries`: a webhook event's deliveries, and one signed attempt of a delivery;
- `retention`: what is past its keeping time;
- `jobs`: the embedded mode's in-process runner of the above (no Redis, no worker).
"""
