"""How a load is shown to its user (training-rules.md §2.8): in their unit, one their gym can make,
with the plates a side on a bar or the pin of a stack. Shared by every answer that prescribes a load
(the next session, a substitution's first target)."""

from typing import Literal

from pydantic import BaseModel, Field

Unit = Literal["kg", "lb"]


class StackRead(BaseModel):
    pin: int = Field(description="Pin 1 lifts the stack's lightest plate (its offset)", examples=[10])
    add_on: bool = Field(description="With the stack's add-on weight")


class Loadable(BaseModel):
    unit: Unit = Field(description="The user's unit: every load without `_kg` is in it")
    load: float | None = Field(
        default=None, description="The load in `unit`, one the user's equipment makes", examples=[230]
    )
    assistance: float | None = Field(default=None, description="Band or machine help, in `unit`")
    bar: float | None = Field(
        default=None,
        description="Barbell and plate-loaded slots: what is under the plates (the bar, or the empty machine)",
        examples=[45],
    )
    plates_per_side: list[float] | None = Field(
        default=None, description="The plates on each side, heaviest first", examples=[[45, 45, 2.5]]
    )
    stack: StackRead | None = Field(default=None, description="Pin-loaded machines: where the pin goes")
