from services.training.units import KG_PER_LB, kg_to_lb, lb_for


def test_a_load_in_pounds_is_shown_to_a_tenth_of_a_pound():
    assert kg_to_lb(102.5) == 226.0
    assert kg_to_lb(20.0) == 44.1


def test_a_pound_user_sees_pounds_beside_kilograms():
    assert lb_for(100.0, "lb") == round(100.0 / KG_PER_LB, 1) == 220.5


def test_a_kilogram_user_sees_no_pound_figure():
    assert lb_for(100.0, "kg") is None


def test_no_load_has_no_pound_figure():
    assert lb_for(None, "lb") is None
