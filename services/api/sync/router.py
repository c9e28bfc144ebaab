from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import StreamingResponse

from services.api.deps import CurrentUser, SessionDep
from services.api.problems import problem_responses
from services.api.sync import pull, push
from services.api.sync.schemas import PullResponse, PushResult

router = APIRouter(prefix="/v1/sync", tags=["sync"])

# A migration names a few tables and columns (well under 1000 characters). The bound must also fit
# in a URL: percent-encoded, a character takes up to 12 bytes, and the server refuses a request
# target over 64 KiB before the app sees it (a plain-text 400, outside the contract).
MAX_MIGRATION_CHARS = 4000

PUSH_EXAMPLE = {
    "changes": {
        "workouts": {
            "created": [
                {
                    "id": "a1b2c3d4e5f6g7h8",
                    "started_at": 1772470800000,
                    "ended_at": None,
                    "program_day_id": None,
                    "notes": "Heavy day",
                    "_status": "created",
                    "_changed": "",
                }
            ],
            "updated": [],
            "deleted": [],
        },
        "workout_sets": {
            "created": [
                {
                    "id": "s1b2c3d4e5f6g7h8",
                    "workout_id": "a1b2c3d4e5f6g7h8",
                    "exercise_id": "romanian-deadlift",
                    "set_index": 0,
                    "side": "both",
                    "load_kg": 100,
                    "reps": 8,
                    "rir": 2,
                    "rpe": None,
                    "eccentric_s": 3,
                    "assistance_kg": None,
                    "to_failure": False,
                    "is_warmup": False,
                    "performed_at": 1772471000000,
                }
            ],
            "updated": [],
            "deleted": [],
        },
    }
}


@router.get(
    "/pull",
    operation_id="sync_pull",
    response_model=PullResponse,
    summary="Changes since the last pull (WatermelonDB pullChanges)",
    responses=problem_responses(401, 422, 503),
)
def sync_pull(
    request: Request,
    user: CurrentUser,
    last_pulled_at: Annotated[
        str | None,
        Query(
            max_length=20,
            description="`timestamp` of the previous pull; absent, empty or `null` on a first sync",
        ),
    ] = None,
    schema_version: Annotated[int, Query(ge=1, le=1000)] = 1,
    migration: Annotated[
        str | None,
        Query(max_length=MAX_MIGRATION_CHARS, description="WatermelonDB migration JSON, or `null`"),
    ] = None,
) -> StreamingResponse:
    pull_request = pull.parse_pull(last_pulled_at, schema_version, migration)
    body = pull.stream_pull(request.app.state.sessionmaker, user.id, pull_request)
    return StreamingResponse(body, media_type="application/json")


@router.post(
    "/push",
    operation_id="sync_push",
    response_model=PushResult,
    summary="Apply the device's changes, all or nothing (WatermelonDB pushChanges)",
    responses=problem_responses(401, 409, 413, 422, 503),
)
def sync_push(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    payload: Annotated[
        dict[str, Any],
        Body(examples=[PUSH_EXAMPLE], description="`{changes: {...}}` or the bare changes object"),
    ],
    last_pulled_at: Annotated[
        int | None, Query(ge=0, le=10**18, description="`timestamp` of the pull made just before")
    ] = None,
) -> PushResult:
    return push.apply_push(
        session, user, payload, last_pulled_at, on_change=request.app.state.jobs.user_changed
    )
