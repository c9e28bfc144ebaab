SEEDED = {
    "romanian-deadlift",
    "dumbbell-romanian-deadlift",
    "single-leg-romanian-deadlift",
    "back-extension-45",
    "glute-ham-raise",
    "nordic-curl",
    "seated-leg-curl",
    "lying-leg-curl",
    "single-leg-curl",
    "back-squat",
    "leg-press",
    "leg-extension",
    "bulgarian-split-squat",
}


def all_pages(client, url: str) -> list[dict]:
    items, cursor = [], None
    while True:
        page = client.get(url, params={"limit": 4, **({"cursor": cursor} if cursor else {})}).json()
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


def test_catalog_lists_every_seeded_exercise_across_cursor_pages(client):
    ids = [e["id"] for e in all_pages(client, "/v1/exercises")]
    assert set(ids) >= SEEDED
    assert len(ids) == len(set(ids))


def test_catalog_lists_at_least_fifty_exercises_including_the_upper_body_lifts_of_a_leg_day(client):
    ids = set()
    cursor = None
    while True:
        page = client.get(
            "/v1/exercises", params={"limit": 200, **({"cursor": cursor} if cursor else {})}
        ).json()
        ids |= {e["id"] for e in page["items"]}
        if (cursor := page["next_cursor"]) is None:
            break
    assert len(ids) >= 50
    assert ids >= {"bench-press", "barbell-row", "pull-up", "plank", "hip-thrust", "good-morning"}


def test_pattern_filter_returns_only_that_pattern(client):
    items = client.get("/v1/exercises", params={"pattern": "knee_flexion"}).json()["items"]
    assert {e["id"] for e in items} == {
        "glute-ham-raise",
        "nordic-curl",
        "seated-leg-curl",
        "lying-leg-curl",
        "single-leg-curl",
        "razor-curl",
        "sliding-leg-curl",
        "stability-ball-leg-curl",
    }


def test_hip_thrusts_are_filed_under_hip_extension_not_the_hinge(client):
    hinges = {e["id"] for e in client.get("/v1/exercises", params={"pattern": "hip_hinge"}).json()["items"]}
    thrusts = {
        e["id"] for e in client.get("/v1/exercises", params={"pattern": "hip_extension"}).json()["items"]
    }
    assert "good-morning" in hinges
    assert thrusts == {"hip-thrust", "single-leg-hip-thrust", "glute-bridge"}


def test_muscle_filter_never_credits_squats_to_the_hamstrings(client):
    items = client.get("/v1/exercises", params={"muscle": "hamstrings"}).json()["items"]
    ids = {e["id"] for e in items}
    assert "romanian-deadlift" in ids
    assert ids.isdisjoint({"back-squat", "leg-press", "bulgarian-split-squat", "leg-extension"})
    assert ids.isdisjoint({"hip-thrust", "bench-press"})


def test_equipment_filter_returns_machines_only(client):
    items = client.get("/v1/exercises", params={"equipment": "machine_stack"}).json()["items"]
    assert items
    assert {e["equipment"] for e in items} == {"machine_stack"}


def test_exercise_detail_carries_cues_tempo_and_long_length(client):
    seated = client.get("/v1/exercises/seated-leg-curl").json()
    lying = client.get("/v1/exercises/lying-leg-curl").json()
    assert seated["long_length"] is True
    assert lying["long_length"] is False
    assert seated["eccentric_s"] == 3
    assert seated["cues"]
    assert seated["mistakes"]
    assert (seated["rep_min"], seated["rep_max"], seated["to_failure"]) == (12, 15, True)


def test_romanian_deadlift_is_a_heavy_compound_for_6_to_8(client):
    rdl = client.get("/v1/exercises/romanian-deadlift").json()
    assert (rdl["pattern"], rdl["rep_min"], rdl["rep_max"]) == ("hip_hinge", 6, 8)


def test_glute_ham_raise_sits_between_band_assistance_and_the_nordic(client):
    ghr = client.get("/v1/exercises/glute-ham-raise").json()
    assert "nordic-curl" in ghr["progressions"]
    assert ghr["regressions"]


def test_unknown_exercise_is_a_404_problem(client):
    response = client.get("/v1/exercises/not-an-exercise")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "/problems/not-found"


def test_unknown_filter_value_is_422(client):
    assert client.get("/v1/exercises", params={"pattern": "bench_press"}).status_code == 422


def test_garbage_cursor_is_422(client):
    response = client.get("/v1/exercises", params={"cursor": "%%%not-a-cursor"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "cursor"
