"""Schemathesis hooks for test_schemathesis.py, loaded by `st run` through `SCHEMATHESIS_HOOKS`.

Generated ids are replaced by those of the seeded world (JSON in the environment variable
`POSTERIOR_CONTRACT_WORLD`), so that operations reach the user's real rows instead of answering 404
or 422 to random ones: path parameters, and the id fields of a body (an enrollment's `program_id`,
the `exercise_id` of a partner's sets). A part generated as invalid keeps its values (those 422s
are part of the contract), and so does one valid id in four, so that unknown ids (the 404s) are
exercised too. Destructive operations always get a sacrificial row of their own (for
`DELETE /v1/me`, the sacrificial account's password in its body, since its token is the run's).
"""

import json
import os
import zlib
from typing import Any

import schemathesis
from schemathesis.core.parameters import ParameterLocation

# {"ids": {name: id}, "sacrificial": {"DELETE /path": {name: id}}}
_world: dict[str, Any] = json.loads(os.environ.get("POSTERIOR_CONTRACT_WORLD", "{}"))


@schemathesis.hook
def map_case(context: schemathesis.HookContext, case: schemathesis.Case) -> schemathesis.Case:
    ids = _world.get("ids", {})
    if case.path_parameters and not _negative_at(case, ParameterLocation.PATH):
        # The sacrificial rows always: schemathesis also reuses ids it saw in responses (the
        # grants list, for one), and a DELETE must not get the world's own grant that way.
        sacrificial = _world.get("sacrificial", {}).get(case.operation.label, {})
        case.path_parameters = _with_real_ids(case.path_parameters, ids) | sacrificial
    if isinstance(case.body, dict) and not _negative_at(case, ParameterLocation.BODY):
        sacrificial = _world.get("sacrificial", {}).get(case.operation.label, {})
        case.body = _with_real_ids(case.body, sacrificial)
        case.body = {
            name: [_with_real_ids(v, ids) if isinstance(v, dict) else v for v in value]
            if isinstance(value, list)
            else value
            for name, value in _with_real_ids(case.body, ids).items()
        }
    return case


def _negative_at(case: schemathesis.Case, location: ParameterLocation) -> bool:
    return case.meta is not None and case.meta.is_negative_at(location)


def _with_real_ids(values: dict[str, Any], ids: dict[str, Any]) -> dict[str, Any]:
    return {
        name: ids[name] if name in ids and _use_real_id(value) else value for name, value in values.items()
    }


def _use_real_id(generated: object) -> bool:
    # A hash, not a random draw: the same seed must give the same run.
    return zlib.crc32(str(generated).encode()) % 4 != 0
