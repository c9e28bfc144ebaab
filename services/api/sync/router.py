from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import Response, StreamingResponse

from services.api.deps import CurrentUser, SessionDep
from services.api.problems import problem_responses, response_example
from services.api.sync import pull, push
from services.api.sync.contract import PullResponse
from services.api.sync.schemas import PushResult
from services.api.sync.tables import MIN_SCHEMA_VERSION, SCHEMA_VERSION

router = APIRouter(prefix="/v1/sync", tags=["sync"])


def sync_problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The sync calls' problems, plus the 400 that tells an outdated app to update."""
    responses = problem_responses(*statuses)
    responses[400] = response_example(
        400,
        "unsupported-schema-version",
        f"This app syncs with schema version 0; the server speaks versions {MIN_SCHEMA_VERSION} to "
        f"{SCHEMA_VERSION}. Update the app, then sync again (nothing was changed).",
        {"schema_version": 0, "min_schema_version": MIN_SCHEMA_VERSION, "max_schema_version": SCHEMA_VERSION},
    )
    return dict(sorted(responses.items(), key=lambda item: str(item[0])))


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


SchemaVersion = Annotated[
    int,
    Query(
        ge=0,
        le=1_000_000,
        description="The app's local schema version (WatermelonDB `schemaVersion`); one the server "
        "does not speak is a 400 `unsupported-schema-version` problem telling the app to update",
    ),
]


@router.get(
    "/pull",
    operation_id="sync_pull",
    response_model=PullResponse,
    summary="Changes since the last pull (WatermelonDB pullChanges)",
    responses=sync_problem_responses(401, 422, 503),
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
    schema_version: SchemaVersion = 1,
    migration: Annotated[
        str | None,
        Query(max_length=MAX_MIGRATION_CHARS, description="WatermelonDB migration JSON, or `null`"),
    ] = None,
    limit: Annotated[
        int | None,
        Query(
            ge=1,
            le=pull.MAX_LIMIT,
            description="Page size: at most this many records across tables, and `has_more` in the "
            "answer. Without it, everything at once (what WatermelonDB 0.28 expects).",
        ),
    ] = None,
) -> Response:
    pull_request = pull.parse_pull(last_pulled_at, schema_version, migration, limit)
    body = pull.stream_pull(request.app.state.sessionmaker, user.id, pull_request)
    if limit is None:
        # A whole account (100,000 sets: 26 MB) streams: a database failure after the first
        # bytes cuts the body, which the client takes for a failed sync and retries.
        return StreamingResponse(body, media_type="application/json")
    # A page (at most MAX_LIMIT records, a few MB) is read whole before answering, so a database
    # failure anywhere in it is a clean 503 with Retry-After.
    return Response(b"".join(body), media_type="application/json")


@router.post(
    "/push",
    operation_id="sync_push",
    response_model=PushResult,
    summary="Apply the device's changes, all or nothing (WatermelonDB pushChanges)",
    responses=sync_problem_responses(401, 409, 413, 422, 503),
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
    schema_version: SchemaVersion = 1,
) -> PushResult:
    pull.check_schema_version(schema_version)
    return push.apply_push(
        session,
        user,
        payload,
        last_pulled_at,
        on_change=request.app.state.jobs.user_changed,
        schema_version=schema_version,
    )
