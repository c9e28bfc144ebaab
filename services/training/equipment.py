"""Equipment profiles and the loads they can make (training-rules.md §2.8). Every default is [house].

A profile describes one user's gym in one unit: the bars, the plate pairs, the dumbbell and kettlebell
racks, the machines' stacks, and the steps of added load (a plate held or hung from a belt) and of
assistance (a band or an assisted machine). `loading_for` turns it into the `Loading` of one exercise:
the grid of loads that exercise can be given, and how to show one (plates per side, a stack pin).

Which part of the profile an exercise uses comes from its catalog equipment class (§0):

| class | loads |
|---|---|
| `barbell` | the bar + 2 × any sum of plates (pairs; unlimited pairs of each denomination). The bar is the trap bar for `trap-bar-deadlift`, else the standard bar, unless `bar_for` names another for the exercise (e.g. the EZ bar for `barbell-curl`) |
| `plate_loaded_machine` | `machines[id]`, else `plate_loaded`: `offset + n × step` (the step is the smallest pair loaded on it); shown as plates per side when the pair splits into the profile's plates |
| `machine_stack` | `machines[id]`, else `machine`: pin n lifts `offset + (n − 1) × step`, `+ add_on` with the add-on weight |
| `dumbbell`, `kettlebell` | the rack: `first + n × step` |
| `dumbbell_pair` | two dumbbells of the rack: `2 × (first + n × step)` |
| `weighted_bodyweight`, `assisted_bodyweight` | added load `n × added_load_step`; assistance `n × assistance_step` |

Values are handled in thousandths of the unit, so float noise never decides whether a load exists.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Literal

from services.training.catalog import Equipment, ExerciseSpec
from services.training.units import UNITS, Unit, convert

BarKind = Literal["standard", "trap", "ez"]
BAR_KINDS: tuple[BarKind, ...] = ("standard", "trap", "ez")
# Catalog exercises done on a bar other than the standard one.
TRAP_BAR_EXERCISES = frozenset({"trap-bar-deadlift"})

MILLI = 1000  # loads are compared in thousandths of the unit
_SLACK = 1e-3  # of a thousandth: 92.25 × 1000 = 92249.99999999999 still floors to 92250


# --- the profile ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Bars:
    standard: float
    trap: float
    ez: float

    def weight(self, kind: BarKind) -> float:
        return {"standard": self.standard, "trap": self.trap, "ez": self.ez}[kind]


@dataclass(frozen=True, slots=True)
class Stack:
    """A machine's loading. Pin-loaded: the first pin lifts `offset`, each pin below adds `step`, and
    the add-on weight (a magnet plate; 0 = none) adds `add_on` at any pin. Plate-loaded: `offset` is what
    the machine logs empty (0: only the plates are logged) and `step` the smallest pair loaded on it."""

    step: float
    offset: float = 0.0
    add_on: float = 0.0


@dataclass(frozen=True, slots=True)
class Rack:
    """Dumbbells or kettlebells: `first`, `first + step`, `first + 2 × step`, … (no heaviest)."""

    first: float
    step: float


@dataclass(frozen=True, slots=True)
class EquipmentProfile:
    """One user's gym, in one unit (`GET/PUT /v1/me/equipment`). Plates are pairs; the counts are not
    limited (a gym rarely runs out of a denomination before a lifter runs out of strength)."""

    unit: Unit
    bars: Bars
    plates: tuple[float, ...]  # pair denominations, heaviest first
    dumbbells: Rack
    kettlebells: Rack
    machine: Stack  # every pin-loaded machine without its own entry
    plate_loaded: Stack  # every plate-loaded machine without its own entry
    added_load_step: float  # weighted bodyweight's added load, and the held load of assisted exercises
    assistance_step: float  # a band's or an assisted machine's help
    machines: Mapping[str, Stack] = field(default_factory=dict)  # by exercise id
    bar_for: Mapping[str, BarKind] = field(default_factory=dict)  # by exercise id

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"unit must be one of {UNITS}")
        plates = tuple(sorted({float(p) for p in self.plates}, reverse=True))
        object.__setattr__(self, "plates", plates)
        object.__setattr__(self, "machines", MappingProxyType(dict(self.machines)))
        object.__setattr__(self, "bar_for", MappingProxyType(dict(self.bar_for)))
        _check(all(p > 0 for p in plates), "plates must be positive")
        _check(all(w >= 0 for w in (self.bars.standard, self.bars.trap, self.bars.ez)), "bars must be ≥ 0")
        for rack in (self.dumbbells, self.kettlebells):
            _check(rack.first > 0 and rack.step > 0, "racks need a positive first weight and step")
        for stack in (self.machine, self.plate_loaded, *self.machines.values()):
            _check(stack.step > 0 and stack.offset >= 0 and stack.add_on >= 0, "stacks need a step > 0")
        _check(self.added_load_step > 0 and self.assistance_step > 0, "steps must be positive")
        _check(all(kind in BAR_KINDS for kind in self.bar_for.values()), f"bars are {BAR_KINDS}")
        numbers = (*plates, self.bars.standard, self.bars.trap, self.bars.ez)
        _check(all(math.isfinite(n) for n in numbers), "weights must be finite")

    def bar_kind(self, exercise_id: str) -> BarKind:
        found = self.bar_for.get(exercise_id)
        if found is not None:
            return found
        return "trap" if exercise_id in TRAP_BAR_EXERCISES else "standard"

    def stack_for(self, exercise_id: str, equipment: Equipment) -> Stack:
        found = self.machines.get(exercise_id)
        if found is not None:
            return found
        return self.machine if equipment == "machine_stack" else self.plate_loaded

    def in_unit(self, unit: Unit) -> EquipmentProfile:
        """The same gym in the other unit: every weight converted (to 0.001), so the loads it makes are
        the same physical loads (a 20 kg bar is a 44.092 lb bar)."""
        if unit == self.unit:
            return self

        def c(value: float) -> float:
            return round(convert(value, self.unit, unit), 3)

        def stack(s: Stack) -> Stack:
            return Stack(c(s.step), c(s.offset), c(s.add_on))

        return EquipmentProfile(
            unit=unit,
            bars=Bars(c(self.bars.standard), c(self.bars.trap), c(self.bars.ez)),
            plates=tuple(c(p) for p in self.plates),
            dumbbells=Rack(c(self.dumbbells.first), c(self.dumbbells.step)),
            kettlebells=Rack(c(self.kettlebells.first), c(self.kettlebells.step)),
            machine=stack(self.machine),
            plate_loaded=stack(self.plate_loaded),
            added_load_step=c(self.added_load_step),
            assistance_step=c(self.assistance_step),
            machines={exercise_id: stack(s) for exercise_id, s in self.machines.items()},
            bar_for=self.bar_for,
        )


def _check(ok: bool, message: str) -> None:
    if not ok:
        raise ValueError(message)


KG_PLATES = (25.0, 20.0, 15.0, 10.0, 5.0, 2.5, 1.25)
KG_MICROPLATES = (0.5, 0.25)
LB_PLATES = (45.0, 35.0, 25.0, 10.0, 5.0, 2.5)
LB_MICROPLATES = (1.25,)


def default_profile(unit: Unit = "kg", *, microplates: bool = False) -> EquipmentProfile:
    """A typical commercial gym in `unit` [house] (training-rules.md §2.8 "Defaults").

    The kilogram gym reproduces the catalog's steps (§2.1) exactly: 2.5 kg barbell jumps (1.25 kg a
    side), 2 kg dumbbells, 4 kg kettlebells, 5 kg stacks (the single-leg curl's in 2.5 kg), 10 kg on
    the leg press and hack squat (a pair of 5s), 5 kg on other plate-loaded machines, 2.5 kg of added
    load and 5 kg of assistance. The pound gym: a 45 lb bar and 45/35/25/10/5/2.5 lb plates (5 lb
    jumps), 5 lb dumbbells and kettlebells, 10 lb stacks with a 5 lb add-on, 20 lb on the leg press
    and hack squat, 10 lb on other plate-loaded machines, 5 lb of added load, 10 lb of assistance.
    """
    if unit == "lb":
        return EquipmentProfile(
            unit="lb",
            bars=Bars(standard=45.0, trap=55.0, ez=25.0),
            plates=LB_PLATES + (LB_MICROPLATES if microplates else ()),
            dumbbells=Rack(first=5.0, step=5.0),
            kettlebells=Rack(first=10.0, step=5.0),
            machine=Stack(step=10.0, offset=10.0, add_on=5.0),
            plate_loaded=Stack(step=10.0),
            added_load_step=5.0,
            assistance_step=10.0,
            machines={"leg-press": Stack(step=20.0), "hack-squat": Stack(step=20.0)},
        )
    return EquipmentProfile(
        unit="kg",
        bars=Bars(standard=20.0, trap=25.0, ez=10.0),
        plates=KG_PLATES + (KG_MICROPLATES if microplates else ()),
        dumbbells=Rack(first=2.0, step=2.0),
        kettlebells=Rack(first=4.0, step=4.0),
        machine=Stack(step=5.0, offset=5.0),
        plate_loaded=Stack(step=5.0),
        added_load_step=2.5,
        assistance_step=5.0,
        machines={
            "single-leg-curl": Stack(step=2.5, offset=2.5),
            "leg-press": Stack(step=10.0),
            "hack-squat": Stack(step=10.0),
        },
    )


# --- grids: the loads one exercise can be given --------------------------------------------------


def _m(value: float) -> int:
    return round(value * MILLI)


def _value(milli: int | None) -> float | None:
    return None if milli is None else milli / MILLI


class _Grid:
    """A set of loads, answered in thousandths: the largest at or below, the smallest at or above."""

    __slots__ = ()

    def _floor_m(self, milli: int) -> int | None:
        raise NotImplementedError

    def _ceil_m(self, milli: int) -> int | None:
        raise NotImplementedError

    def floor(self, value: float) -> float | None:
        """The heaviest load ≤ `value`, or None when even the lightest is heavier."""
        return _value(self._floor_m(math.floor(value * MILLI + _SLACK)))

    def ceil(self, value: float) -> float | None:
        """The lightest load ≥ `value`."""
        return _value(self._ceil_m(math.ceil(value * MILLI - _SLACK)))

    def above(self, value: float) -> float | None:
        """The lightest load > `value`."""
        return _value(self._ceil_m(math.floor(value * MILLI + _SLACK) + 1))

    def below(self, value: float) -> float | None:
        """The heaviest load < `value`, or None."""
        return _value(self._floor_m(math.ceil(value * MILLI - _SLACK) - 1))

    @property
    def lightest(self) -> float:
        found = self.ceil(0.0)
        assert found is not None  # every grid has a lightest load
        return found

    def contains(self, value: float) -> bool:
        milli = value * MILLI
        return abs(milli - round(milli)) < _SLACK and self._floor_m(round(milli)) == round(milli)

    def near(self, target: float, count: int = 3) -> tuple[float, ...]:
        """Up to `count` loads at or below `target` and `count` above it, lightest first."""
        lower: list[float] = []
        value = self.floor(target)
        while value is not None and len(lower) < count:
            lower.append(value)
            value = self.below(value)
        upper: list[float] = []
        value = self.above(target)
        while value is not None and len(upper) < count:
            upper.append(value)
            value = self.above(value)
        return (*reversed(lower), *upper)


@dataclass(frozen=True, slots=True)
class PlateGrid(_Grid):
    """`base` (a bar) plus pairs of `plates`: base + 2 × (any sum of plates)."""

    base: float
    plates: tuple[float, ...]

    def _pair_units(self) -> tuple[int, tuple[int, ...]]:
        return _coins(tuple(_m(p) for p in self.plates))

    def _floor_m(self, milli: int) -> int | None:
        base = _m(self.base)
        if milli < base:
            return None
        unit, coins = self._pair_units()
        if not coins:
            return base
        k = (milli - base) // (2 * unit)
        reach = _reachable(coins, k)
        while not reach[k]:
            k -= 1
        return base + 2 * unit * k

    def _ceil_m(self, milli: int) -> int | None:
        base = _m(self.base)
        unit, coins = self._pair_units()
        if milli <= base or not coins:
            return base if milli <= base else None
        k = -((base - milli) // (2 * unit))
        reach = _reachable(coins, k + max(coins))
        while not reach[k]:
            k += 1
        return base + 2 * unit * k

    def per_side(self, load: float) -> tuple[float, ...] | None:
        """The plates a side that make `load`, heaviest first, as a lifter loads them: greedy (the
        heaviest plate that fits, again and again) when that lands exactly, which it always does with
        the default plates; otherwise the fewest plates that do. None when it cannot be made."""
        base, milli = _m(self.base), load * MILLI
        if abs(milli - round(milli)) >= _SLACK or round(milli) < base:
            return None
        unit, coins = self._pair_units()
        rest = round(milli) - base
        if rest == 0:
            return ()
        if not coins or rest % (2 * unit):
            return None
        amount = rest // (2 * unit)
        plates = _greedy(coins, amount) or _fewest(coins, amount)
        return None if plates is None else tuple(p * unit / MILLI for p in plates)


@dataclass(frozen=True, slots=True)
class StepGrid(_Grid):
    """`times × (first + n × step)`, and the same `+ add_on` when there is an add-on; n ≥ 0."""

    first: float
    step: float
    add_on: float = 0.0
    times: int = 1

    def _starts(self) -> tuple[int, ...]:
        first = _m(self.first * self.times)
        return (first, first + _m(self.add_on * self.times)) if self.add_on > 0 else (first,)

    def _floor_m(self, milli: int) -> int | None:
        step = _m(self.step * self.times)
        found = [start + (milli - start) // step * step for start in self._starts() if milli >= start]
        return max(found) if found else None

    def _ceil_m(self, milli: int) -> int | None:
        step = _m(self.step * self.times)
        return min(
            start if milli <= start else start - (start - milli) // step * step for start in self._starts()
        )

    def position(self, load: float) -> tuple[int, bool] | None:
        """(n, with the add-on) of a load on the grid, without the add-on when both make it."""
        if not self.contains(load):
            return None
        step = _m(self.step * self.times)
        for start, add_on in zip(self._starts(), (False, True), strict=False):
            if (_m(load) - start) % step == 0 and _m(load) >= start:
                return (_m(load) - start) // step, add_on
        return None


Grid = PlateGrid | StepGrid


@lru_cache(maxsize=64)
def _coins(plates_milli: tuple[int, ...]) -> tuple[int, tuple[int, ...]]:
    """The plates in units of their greatest common divisor: (the unit in thousandths, the coins)."""
    positive = tuple(sorted({p for p in plates_milli if p > 0}, reverse=True))
    if not positive:
        return 1, ()
    unit = math.gcd(*positive)
    return unit, tuple(p // unit for p in positive)


def _size(limit: int) -> int:
    """Tables are built to the next power of two, so nearby queries share one."""
    return max(256, 1 << (limit + 1).bit_length())


def _reachable(coins: tuple[int, ...], limit: int) -> bytes:
    return _reachable_table(coins, _size(limit))


@lru_cache(maxsize=64)
def _reachable_table(coins: tuple[int, ...], size: int) -> bytes:
    reach = bytearray(size)
    reach[0] = 1
    for amount in range(1, size):
        reach[amount] = any(c <= amount and reach[amount - c] for c in coins)
    return bytes(reach)


def _greedy(coins: tuple[int, ...], amount: int) -> tuple[int, ...] | None:
    """The heaviest coin that fits, again and again (coins heaviest first); None if it gets stuck."""
    plates: list[int] = []
    for coin in coins:
        count, amount = divmod(amount, coin)
        plates += [coin] * count
    return tuple(plates) if amount == 0 else None


def _fewest(coins: tuple[int, ...], amount: int) -> tuple[int, ...] | None:
    """Fewest coins summing to `amount`, heaviest first: among the fewest, the heaviest first plate,
    then the heaviest second… (greedy's answer whenever greedy finds one of the fewest)."""
    counts = _fewest_table(coins, _size(amount))
    if counts[amount] < 0:
        return None
    plates = []
    while amount:
        coin = next(c for c in coins if c <= amount and counts[amount - c] == counts[amount] - 1)
        plates.append(coin)
        amount -= coin
    return tuple(plates)


@lru_cache(maxsize=64)
def _fewest_table(coins: tuple[int, ...], size: int) -> tuple[int, ...]:
    counts = [-1] * size
    counts[0] = 0
    for amount in range(1, size):
        options = [counts[amount - c] for c in coins if c <= amount and counts[amount - c] >= 0]
        counts[amount] = 1 + min(options) if options else -1
    return tuple(counts)


# --- one exercise's loading ----------------------------------------------------------------------

Setup = Literal["plates", "stack", "none"]


@dataclass(frozen=True, slots=True)
class StackPosition:
    """Where the pin goes: pin 1 lifts the stack's offset; `add_on` with the add-on weight."""

    pin: int
    add_on: bool = False


@dataclass(frozen=True, slots=True)
class Loading:
    """What one exercise can be loaded with, in `unit`: the grid of its load (external or added) and of
    its assistance, and how a load is shown (plates per side on `base`, or a stack position)."""

    unit: Unit
    load: Grid
    assistance: StepGrid
    setup: Setup = "none"
    base: float = 0.0  # under the plates: the bar, or a plate-loaded machine's offset
    plates: tuple[float, ...] = ()
    stack: Stack | None = None

    def plates_per_side(self, load: float | None) -> tuple[float, ...] | None:
        if load is None or self.setup != "plates":
            return None
        return PlateGrid(self.base, self.plates).per_side(load)

    def stack_position(self, load: float | None) -> StackPosition | None:
        if load is None or self.setup != "stack" or self.stack is None:
            return None
        found = StepGrid(self.stack.offset, self.stack.step, self.stack.add_on).position(load)
        return None if found is None else StackPosition(found[0] + 1, found[1])


def loading_of(
    equipment: Equipment,
    profile: EquipmentProfile,
    exercise_id: str = "",
    *,
    increment: float | None = None,
    on_bar: bool = True,
) -> Loading:
    """The loading of an exercise of `equipment` class (see the module's table). `increment` is a
    program slot's own step in the profile's unit (§2.1 "gym override"): it replaces the grid with its
    multiples, and plates or a pin are still shown when the load splits into them. `on_bar = False`:
    a barbell-class exercise without a bar (a user's own sled or cable attachment), pairs of plates
    alone."""
    assistance = StepGrid(0.0, profile.assistance_step)
    added = StepGrid(0.0, profile.added_load_step)
    grid: Grid
    loading: Loading
    if equipment == "barbell":
        bar = profile.bars.weight(profile.bar_kind(exercise_id)) if on_bar else 0.0
        grid = PlateGrid(bar, profile.plates)
        loading = Loading(profile.unit, grid, assistance, "plates", bar, profile.plates)
    elif equipment in ("plate_loaded_machine", "machine_stack"):
        stack = profile.stack_for(exercise_id, equipment)
        grid = StepGrid(stack.offset, stack.step, stack.add_on)
        if equipment == "machine_stack":
            loading = Loading(profile.unit, grid, assistance, "stack", stack=stack)
        else:
            loading = Loading(profile.unit, grid, assistance, "plates", stack.offset, profile.plates)
    elif equipment in ("dumbbell", "dumbbell_pair", "kettlebell"):
        rack = profile.kettlebells if equipment == "kettlebell" else profile.dumbbells
        grid = StepGrid(rack.first, rack.step, times=2 if equipment == "dumbbell_pair" else 1)
        loading = Loading(profile.unit, grid, assistance)
    else:  # weighted or assisted bodyweight: added load
        loading = Loading(profile.unit, added, assistance)
    if increment is not None and increment > 0:
        return Loading(
            loading.unit,
            StepGrid(0.0, increment),
            assistance,
            loading.setup,
            loading.base,
            loading.plates,
            loading.stack,
        )
    return loading


def loading_for(spec: ExerciseSpec, profile: EquipmentProfile, *, increment: float | None = None) -> Loading:
    """The loading of one exercise of the user's catalog with `profile`."""
    return loading_of(spec.equipment, profile, spec.id, increment=increment, on_bar=spec.on_bar)


def loadable_loads(
    spec: ExerciseSpec, profile: EquipmentProfile, target: float, *, count: int = 3
) -> tuple[float, ...]:
    """The loads `profile` can make for `spec` around `target` (its unit): up to `count` at or below,
    `count` above, lightest first."""
    return loading_for(spec, profile).load.near(target, count)


def plates_per_side(load: float, profile: EquipmentProfile, bar: float) -> tuple[float, ...] | None:
    """The plates a side that load `load` on a bar of `bar` with the profile's plates: the fewest,
    heaviest first (102.5 kg on a 20 kg bar: 25, 15, 1.25). None when the plates cannot make it."""
    return PlateGrid(bar, profile.plates).per_side(load)


# --- the profile as JSON (for the API and storage) -----------------------------------------------


def _stack_json(stack: Stack) -> dict[str, float]:
    return {"step": stack.step, "offset": stack.offset, "add_on": stack.add_on}


def profile_to_json(profile: EquipmentProfile) -> dict[str, Any]:
    """The profile as plain JSON values; `profile_from_json` reads it back."""
    return {
        "unit": profile.unit,
        "bars": {kind: profile.bars.weight(kind) for kind in BAR_KINDS},
        "plates": list(profile.plates),
        "dumbbells": {"first": profile.dumbbells.first, "step": profile.dumbbells.step},
        "kettlebells": {"first": profile.kettlebells.first, "step": profile.kettlebells.step},
        "machine": _stack_json(profile.machine),
        "plate_loaded": _stack_json(profile.plate_loaded),
        "added_load_step": profile.added_load_step,
        "assistance_step": profile.assistance_step,
        "machines": {exercise_id: _stack_json(s) for exercise_id, s in sorted(profile.machines.items())},
        "bar_for": dict(sorted(profile.bar_for.items())),
    }


def profile_from_json(data: Mapping[str, Any]) -> EquipmentProfile:
    """A profile from JSON; every missing part is the default profile's for its unit. Raises
    ValueError (or TypeError for a value of the wrong type) on anything invalid."""
    unit = data.get("unit", "kg")
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {UNITS}")
    default = default_profile(unit)
    base = profile_to_json(default)
    bars = {**base["bars"], **data.get("bars", {})}

    def stack(value: Mapping[str, Any]) -> Stack:
        return Stack(float(value["step"]), float(value.get("offset", 0.0)), float(value.get("add_on", 0.0)))

    def rack(name: str) -> Rack:
        value = {**base[name], **data.get(name, {})}
        return Rack(float(value["first"]), float(value["step"]))

    machines = data.get("machines")
    return EquipmentProfile(
        unit=unit,
        bars=Bars(float(bars["standard"]), float(bars["trap"]), float(bars["ez"])),
        plates=tuple(float(p) for p in data.get("plates", default.plates)),
        dumbbells=rack("dumbbells"),
        kettlebells=rack("kettlebells"),
        machine=stack({**base["machine"], **data.get("machine", {})}),
        plate_loaded=stack({**base["plate_loaded"], **data.get("plate_loaded", {})}),
        added_load_step=float(data.get("added_load_step", default.added_load_step)),
        assistance_step=float(data.get("assistance_step", default.assistance_step)),
        machines=default.machines if machines is None else {k: stack(v) for k, v in machines.items()},
        bar_for=dict(data.get("bar_for", {})),
    )
