import pytest

from services.training.units import (
    KG_PER_LB,
    from_kg,
    kg_to_lb,
    lb_for,
    read_load,
    show,
    show_kg,
    stored_kg,
    to_kg,
)


def test_a_load_in_pounds_is_shown_to_a_tenth_of_a_pound():
    assert kg_to_lb(102.5) == 226.0
    assert kg_to_lb(20.0) == 44.1


def test_a_pound_user_sees_pounds_beside_kilograms():
    assert lb_for(100.0, "lb") == round(100.0 / KG_PER_LB, 1) == 220.5


def test_a_kilogram_user_sees_no_pound_figure():
    assert lb_for(100.0, "kg") is None


def test_no_load_has_no_pound_figure():
    assert lb_for(None, "lb") is None


class TestReadingALoggedLoad:
    def test_a_value_entered_in_the_users_unit_is_read_exactly(self):
        assert read_load(102.0582, "lb", 225, "lb") == 225

    def test_kilograms_alone_are_read_to_a_hundredth_of_a_pound(self):
        # 225 lb stored as 102.0582 kg is 224.99996 lb: read as 225, not 225.00001.
        assert read_load(102.0582, "lb") == 225
        assert read_load(stored_kg(230, "lb"), "lb") == 230

    def test_a_value_entered_in_the_other_unit_is_converted(self):
        assert read_load(102.0582, "kg", 225, "lb") == 102.06
        assert read_load(45.3592, "lb", 20.5, "kg") == 45.19

    def test_a_kilogram_users_plain_load_is_read_as_it_is(self):
        assert read_load(101.37, "kg") == 101.37


class TestConversions:
    def test_stored_kilograms_keep_six_decimals_and_round_trip(self):
        assert stored_kg(230, "lb") == 104.326245
        assert from_kg(stored_kg(230, "lb"), "lb") == pytest.approx(230, abs=1e-5)
        assert stored_kg(102.5, "kg") == 102.5

    def test_to_and_from_kilograms_are_exact(self):
        assert to_kg(1, "lb") == KG_PER_LB
        assert from_kg(KG_PER_LB, "lb") == 1

    @pytest.mark.parametrize(
        ("value", "unit", "text"),
        [(230, "lb", "230 lb"), (102.5, "kg", "102.5 kg"), (41.25, "kg", "41.25 kg"), (92.0, "kg", "92 kg")],
    )
    def test_loads_in_text_carry_their_unit(self, value, unit, text):
        assert show(value, unit) == text

    def test_kilograms_shown_to_a_pound_user(self):
        assert (show_kg(stored_kg(230, "lb"), "lb"), show_kg(102.5, "lb"), show_kg(102.5, "kg")) == (
            "230 lb",
            "225.97 lb",
            "102.5 kg",
        )
