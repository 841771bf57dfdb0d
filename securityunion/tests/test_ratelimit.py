from securityunion.lib.ratelimit import window_counts, window_hit, window_key


def test_hits_are_counted_in_their_window():
    key = window_key("test", "203.0.113.9")
    window_hit(key, 60)
    window_hit(key, 60)
    assert window_counts([key]) == {key: 2}


def test_an_unhit_key_counts_nothing():
    key = window_key("test", "198.51.100.1")
    assert window_counts([key]) == {key: 0}


def test_the_key_does_not_hold_the_value():
    assert "203.0.113.9" not in window_key("test", "203.0.113.9")
