"""All ORM models, imported here so `Base.metadata` is complete for Alembic and tests."""

from services.core.models.aggregates import WeeklyExerciseAggregate
from services.core.models.base import Base
from services.core.models.catalog import Exercise
from services.core.models.equipment import EquipmentProfile
from services.core.models.insights import Insight, InsightList, Prescription
from services.core.models.outbox import OutboxEvent
from services.core.models.partners import (
    ApiKey,
    AuthorizationCode,
    Grant,
    IdempotencyRecord,
    OAuthToken,
    Partner,
)
from services.core.models.programs import (
    Enrollment,
    PlannedSession,
    Program,
    ProgramDay,
    ProgramRecord,
    ProgramSlot,
)
from services.core.models.tombstones import AccountTombstone
from services.core.models.users import RefreshToken, User
from services.core.models.webhooks import WebhookDelivery, WebhookEndpoint
from services.core.models.workouts import BodyWeight, CustomExercise, PainReport, Workout, WorkoutSet

__all__ = [
    "AccountTombstone",
    "ApiKey",
    "AuthorizationCode",
    "Base",
    "BodyWeight",
    "CustomExercise",
    "Enrollment",
    "EquipmentProfile",
    "Exercise",
    "Grant",
    "IdempotencyRecord",
    "Insight",
    "InsightList",
    "OAuthToken",
    "OutboxEvent",
    "PainReport",
    "Partner",
    "PlannedSession",
    "Prescription",
    "Program",
    "ProgramDay",
    "ProgramRecord",
    "ProgramSlot",
    "RefreshToken",
    "User",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WeeklyExerciseAggregate",
    "Workout",
    "WorkoutSet",
]
