import uuid


def program_by_slug(client, slug: str) -> dict:
    summaries = client.get("/v1/programs").json()["items"]
    summary = next(p for p in summaries if p["slug"] == slug)
    return client.get(f"/v1/programs/{summary['id']}").json()


def test_at_least_four_starter_programs_are_listed(client):
    slugs = {p["slug"] for p in client.get("/v1/programs").json()["items"]}
    assert {
        "posterior-chain-builder",
        "hamstrings-first",
        "posterior-chain-beginner",
        "nordic-add-on",
    } <= slugs


def test_builder_day_a_is_heavy_rdl_then_seated_curl_to_failure(client):
    day_a = program_by_slug(client, "posterior-chain-builder")["days"][0]
    rdl, curl = day_a["slots"][:2]
    assert (rdl["exercise_id"], rdl["sets"], rdl["rep_min"], rdl["rep_max"]) == ("romanian-deadlift", 3, 6, 8)
    assert (curl["exercise_id"], curl["sets"], curl["rep_min"], curl["rep_max"]) == (
        "seated-leg-curl",
        3,
        12,
        15,
    )
    assert curl["to_failure"] is True


def test_builder_day_b_is_back_extension_and_lying_curl(client):
    day_b = program_by_slug(client, "posterior-chain-builder")["days"][1]
    assert [s["exercise_id"] for s in day_b["slots"]] == ["back-extension-45", "lying-leg-curl"]


def test_program_detail_gives_tempo_rest_and_cues_for_every_slot(client):
    program = program_by_slug(client, "posterior-chain-builder")
    for slot in (s for day in program["days"] for s in day["slots"]):
        assert slot["eccentric_s"] == 3
        assert slot["rest_s"] > 0
        assert slot["cues"]


def test_hamstrings_first_orders_hamstring_work_before_squats(client):
    hamstring_patterns = {"hip_hinge", "knee_flexion"}
    patterns = {
        e["id"]: e["pattern"] for e in client.get("/v1/exercises", params={"limit": 200}).json()["items"]
    }
    for day in program_by_slug(client, "hamstrings-first")["days"]:
        order = [patterns[s["exercise_id"]] in hamstring_patterns for s in day["slots"]]
        assert order == sorted(order, reverse=True), day["name"]


def test_beginner_program_uses_band_assisted_glute_ham_raises(client):
    slots = [s for d in program_by_slug(client, "posterior-chain-beginner")["days"] for s in d["slots"]]
    ghr = next(s for s in slots if s["exercise_id"] == "glute-ham-raise")
    assert ghr["assistance_kg"] > 0


def test_unknown_program_is_a_404_problem(client):
    response = client.get(f"/v1/programs/{uuid.uuid4()}")
    assert response.status_code == 404
    assert response.json()["type"] == "/problems/not-found"


def test_malformed_program_id_is_422(client):
    assert client.get("/v1/programs/not-a-uuid").status_code == 422
