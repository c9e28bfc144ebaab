"""Webhooks' domain, shared by the API and the worker, one concern per module:

- `events`: event types and payloads (the envelope, the body's bytes, event ids);
- `signing`: secrets and Standard Webhooks signatures;
- `schedule`: the retry schedule, disabling an endpoint, the attempt lease;
- `targets`: which URLs may receive deliveries (SSRF guard).

The deliveries themselves are a use case (services/core/usecases/deliveries.py); their rows are in
services/core/repositories/webhooks.py.
"""
