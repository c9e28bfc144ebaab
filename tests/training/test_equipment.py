"""§2.8: equipment profiles, the loads they make, plates a side and stack pins."""

import itertools

import pytest

from services.training.catalog import CATALOG
from services.training.equipment import (
    KG_MICROPLATES,
    KG_PLATES,
    LB_MICROPLATES,
    LB_PLATES,
    Bars,
    EquipmentProfile,
    PlateGrid,
    Rack,
    Stack,
    StackPosition,
    StepGrid,
    default_profile,
    loadable_loads,
    loading_for,
    plates_per_side,
    profile_from_json,
    profile_to_json,
)

KG = default_profile("kg")
LB = default_profile("lb")
KG_MICRO = default_profile("kg", microplates=True)


def loading(exercise_id, profile=KG):
    return loading_for(CATALOG[exercise_id], profile)


class TestPlatesPerSide:
    @pytest.mark.parametrize(
        ("load", "profile", "bar", "expected"),
        [
            (102.5, KG, 20, (25, 15, 1.25)),  # the example
            (225, LB, 45, (45, 45)),
            (230, LB, 45, (45, 45, 2.5)),
            (135, LB, 45, (45,)),
            (20, KG, 20, ()),
            (92, KG_MICRO, 20, (25, 10, 0.5, 0.5)),
            (60, KG, 20, (20,)),
        ],
    )
    def test_the_fewest_plates_heaviest_first(self, load, profile, bar, expected):
        assert plates_per_side(load, profile, bar) == expected

    @pytest.mark.parametrize(("load", "profile"), [(101, KG), (227.5, LB), (15, KG), (92.25, KG_MICRO)])
    def test_a_load_the_plates_cannot_make_has_none(self, load, profile):
        assert plates_per_side(load, profile, KG.bars.standard if profile.unit == "kg" else 45) is None

    @pytest.mark.parametrize(
        "plates", [KG_PLATES, KG_PLATES + KG_MICROPLATES, LB_PLATES, LB_PLATES + LB_MICROPLATES]
    )
    def test_greedy_is_exact_for_the_default_denominations(self, plates):
        """Every multiple of the smallest plate up to 300 a side is reached by greedy (after the big
        plates the rest is under 10, and 5, 2.5 (1.25, 0.5, 0.25) cover it), so the default gyms load
        heaviest first, as lifters and plate calculators do."""
        smallest = min(plates)
        grid = PlateGrid(0.0, plates)
        for k in range(1, int(300 / smallest) + 1):
            per_side = round(k * smallest, 3)
            found = grid.per_side(2 * per_side)
            assert found is not None
            assert round(sum(found), 3) == per_side
            assert list(found) == sorted(found, reverse=True)

    def test_heaviest_first_rather_than_fewest(self):
        # 60 lb a side is 45 + 10 + 5, not the fewer 35 + 25: the 45s are what lifters reach for.
        assert plates_per_side(165, LB, 45) == (45, 10, 5)

    def test_an_odd_set_where_greedy_gets_stuck_gets_the_fewest_plates(self):
        # 30 a side with only 20s and 15s: greedy takes a 20 and is stuck with 10; two 15s do it.
        assert PlateGrid(0.0, (20.0, 15.0)).per_side(60) == (15, 15)
        assert PlateGrid(0.0, (20.0, 15.0)).floor(55) == 40


class TestGrids:
    def test_a_barbell_loads_the_bar_plus_pairs(self):
        grid = loading("romanian-deadlift").load
        assert grid.near(100, 2) == (97.5, 100, 102.5, 105)
        assert (grid.lightest, grid.floor(19), grid.floor(104.56)) == (20, None, 102.5)

    def test_microplates_make_half_kilogram_steps(self):
        off, on = loading("romanian-deadlift").load, loading("romanian-deadlift", KG_MICRO).load
        assert (off.floor(103.5), on.floor(103.5)) == (102.5, 103.5)
        assert (off.floor(92.25), on.floor(92.25)) == (90, 92)

    def test_pound_plates_make_five_pound_steps_and_microplates_two_and_a_half(self):
        assert loading("romanian-deadlift", LB).load.near(225, 1) == (225, 230)
        micro = default_profile("lb", microplates=True)
        assert loading("romanian-deadlift", micro).load.near(225, 1) == (225, 227.5)

    def test_the_trap_bar_deadlift_uses_the_trap_bar(self):
        assert loading("trap-bar-deadlift").base == 25
        assert loading("trap-bar-deadlift", LB).base == 55

    def test_a_profile_can_put_an_exercise_on_the_ez_bar(self):
        profile = EquipmentProfile(**{**_fields(KG), "bar_for": {"barbell-curl": "ez"}})
        assert (loading("barbell-curl", profile).base, loading("bench-press", profile).base) == (10, 20)

    def test_a_seated_curl_stack_of_5_kg_steps_starts_at_5_kg(self):
        curl = loading("seated-leg-curl")
        assert (curl.load.lightest, curl.load.near(45, 1)) == (5, (45, 50))
        assert curl.stack_position(45) == StackPosition(pin=9)

    def test_a_pound_stack_of_10_lb_steps_with_a_5_lb_add_on(self):
        curl = loading("seated-leg-curl", LB)
        assert curl.load.near(100, 3) == (90, 95, 100, 105, 110, 115)
        assert (curl.stack_position(100), curl.stack_position(105)) == (
            StackPosition(pin=10),
            StackPosition(pin=10, add_on=True),
        )

    def test_a_machine_of_its_own_overrides_the_default_stack(self):
        profile = EquipmentProfile(**{**_fields(KG), "machines": {"seated-leg-curl": Stack(7.0, 9.0)}})
        assert loading("seated-leg-curl", profile).load.near(16, 1) == (16, 23)
        assert loading("lying-leg-curl", profile).load.near(15, 1) == (15, 20)

    def test_the_kg_default_keeps_the_catalog_steps(self):
        """§2.1's steps are the default kilogram gym's grid: nothing moves for a kilogram user."""
        for spec in CATALOG.values():
            bodyweight = spec.equipment in ("weighted_bodyweight", "assisted_bodyweight")
            step = 2.5 if bodyweight else spec.step_kg
            assert loading_for(spec, KG).load.near(60, 2) == (60 - step, 60, 60 + step, 60 + 2 * step), (
                spec.id
            )

    def test_dumbbell_pairs_are_two_dumbbells(self):
        assert loading("dumbbell-bench-press").load.near(24, 1) == (24, 28)
        assert loading("dumbbell-bench-press", LB).load.near(50, 2) == (40, 50, 60, 70)

    def test_plate_loaded_machines_show_their_pair_of_plates(self):
        press = loading("leg-press")
        assert (press.load.near(140, 2), press.plates_per_side(150), press.base) == (
            (130, 140, 150, 160),
            (25, 25, 25),
            0,
        )
        assert loading("leg-press", LB).load.near(300, 1) == (300, 320)

    def test_bodyweight_exercises_move_in_the_added_load_and_assistance_steps(self):
        kg, lb = loading("glute-ham-raise"), loading("glute-ham-raise", LB)
        assert (kg.load.near(5, 2), kg.assistance.near(20, 1)) == ((2.5, 5, 7.5, 10), (20, 25))
        assert (lb.load.near(10, 1), lb.assistance.near(20, 1)) == ((10, 15), (20, 30))

    def test_loadable_loads_lists_the_loads_around_a_target(self):
        assert loadable_loads(CATALOG["romanian-deadlift"], LB, 231, count=2) == (225, 230, 235, 240)

    def test_a_slot_increment_replaces_the_grid(self):
        assert loading_for(CATALOG["lying-leg-curl"], KG, increment=2.5).load.floor(48.4) == 47.5


class TestProfiles:
    def test_the_default_profiles(self):
        assert (KG.bars, KG.plates, LB.bars, LB.plates) == (
            Bars(20, 25, 10),
            (25, 20, 15, 10, 5, 2.5, 1.25),
            Bars(45, 55, 25),
            (45, 35, 25, 10, 5, 2.5),
        )
        assert (KG_MICRO.plates[-2:], default_profile("lb", microplates=True).plates[-1]) == (
            (0.5, 0.25),
            1.25,
        )

    def test_json_round_trips(self):
        for profile in (KG, LB, KG_MICRO):
            assert profile_from_json(profile_to_json(profile)) == profile

    def test_missing_json_parts_take_the_unit_default(self):
        profile = profile_from_json({"unit": "lb", "plates": [45, 25, 10, 5, 2.5, 1.25]})
        assert (profile.bars, profile.plates[-1], profile.machine) == (LB.bars, 1.25, LB.machine)

    @pytest.mark.parametrize(
        "bad",
        [
            {"unit": "st"},
            {"plates": [20, -5]},
            {"machine": {"step": 0}},
            {"dumbbells": {"first": 0, "step": 2}},
            {"bar_for": {"barbell-curl": "cambered"}},
        ],
    )
    def test_invalid_profiles_are_refused(self, bad):
        with pytest.raises(ValueError, match=r"."):
            profile_from_json(bad)

    def test_a_kg_profile_read_by_a_pound_user_is_the_same_physical_gym(self):
        converted = KG.in_unit("lb")
        assert (converted.unit, converted.bars.standard, converted.plates[0]) == ("lb", 44.092, 55.116)
        assert KG.in_unit("kg") is KG

    def test_racks_and_stacks_are_plain_values(self):
        assert (Rack(2, 2), Stack(5, 5)) == (KG.dumbbells, KG.machine)


class TestStepGrid:
    @pytest.mark.parametrize(
        ("first", "step", "add_on"), list(itertools.product((0, 5, 10), (2.5, 5, 10), (0, 2.5, 5)))
    )
    def test_floor_ceil_above_and_below_agree(self, first, step, add_on):
        grid = StepGrid(first, step, add_on)
        for value in (0, 3, 7.5, 12.4, 50, 51.25):
            floor, ceil, above, below = (
                grid.floor(value),
                grid.ceil(value),
                grid.above(value),
                grid.below(value),
            )
            assert floor is None or (floor <= value and grid.contains(floor))
            assert ceil is not None
            assert ceil >= value
            assert grid.contains(ceil)
            assert above is not None
            assert above > value
            assert below is None or below < value


def _fields(profile):
    return {name: getattr(profile, name) for name in EquipmentProfile.__dataclass_fields__}
