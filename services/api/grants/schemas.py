import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class GrantRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "3f0b3c7e-2a41-4d6e-9b0a-5f1f0b8f2d11",
                    "partner_id": "8c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                    "partner_name": "Hamstring Coach",
                    "scopes": ["workouts:read", "insights:read"],
                    "created_at": "2026-03-02T12:00:00Z",
                    "updated_at": "2026-03-02T12:00:00Z",
                }
            ]
        }
    )

    id: uuid.UUID
    partner_id: uuid.UUID
    partner_name: str
    scopes: list[str] = Field(description="What the partner may do with your data")
    created_at: datetime
    updated_at: datetime = Field(description="When you last consented (a new consent replaces the scopes)")
