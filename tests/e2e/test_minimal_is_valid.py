from minimal import check, messages, minimal_site


def test_minimal_site_has_no_problems(tmp_path):
    loaded = check(minimal_site(tmp_path))
    assert messages(loaded) == []
    assert loaded.programme is not None
