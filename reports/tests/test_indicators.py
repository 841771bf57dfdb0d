import pytest
from django.core.management import CommandError, call_command

from reports.matching import match_many
from reports.models import Indicator
from reports.pdq_index import THRESHOLD as PDQ_THRESHOLD
from reports.selectors import earlier_reports_of
from reports.services import indicator_set_status, indicators_import
from reports.tests.actors import IMPORTER

from .conftest import hexhash

HEADER = "algorithm,value,category,source\n"


def _import(text, status="active", source="list-a"):  # noqa: ANN001, ANN202
    return indicators_import(text=HEADER + text, source=source, status=status, actor=IMPORTER)


def test_a_verified_list_comes_in_active(db):
    result = _import(
        f"sha256,{hexhash('a')},known_csam,hotline\nmd5,{hexhash('b', 32)},known_csam,"
    )
    assert result.ok and result.created == 2
    assert set(Indicator.objects.values_list("status", flat=True)) == {"active"}
    assert set(Indicator.objects.values_list("source", flat=True)) == {"hotline", "list-a"}


def test_a_list_for_review_comes_in_proposed(db):
    _import(f"sha1,{hexhash('a', 40)},known_csam,", status="proposed")
    assert Indicator.objects.get().status == "proposed"


def test_one_bad_row_stores_nothing_and_each_error_names_its_line(db):
    result = _import(
        f"sha256,{hexhash('a')},known_csam,\nmd5,nothex,known_csam,\nfoo,abc,known_csam,\n"
        f"url,ftp://x,known_csam,\nsha1,{hexhash('c', 40)},,"
    )
    assert not result.ok
    assert [line for line, _ in result.errors] == [3, 4, 5, 6]
    assert "malformed md5" in result.errors[0][1]
    assert not Indicator.objects.exists()


def test_a_file_without_the_columns_is_refused(db):
    result = indicators_import(text="hash\nabc\n", source="x", status="active", actor=IMPORTER)
    assert not result.ok and "missing column" in result.errors[0][1]


def test_reimporting_a_list_changes_nothing(db):
    row = f"sha256,{hexhash('a')},known_csam,\n"
    _import(row)
    result = _import(row)
    assert result.created == 0 and result.unchanged == 1
    assert Indicator.objects.count() == 1


def test_the_command_imports_and_fails_cleanly(db, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_text(HEADER + f"sha256,{hexhash('a')},known_csam,\n")
    call_command("import_indicators", str(good), "--source", "hotline")
    assert "1 indicators added" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "md5,zz,known_csam,\n")
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_indicators", str(bad), "--source", "hotline")
    assert "line 2" in capsys.readouterr().err


def test_the_command_imports_a_list_as_proposed(db, tmp_path):
    path = tmp_path / "review.csv"
    path.write_text(HEADER + f"sha256,{hexhash('a')},known_csam,\n")
    call_command("import_indicators", str(path), "--source", "own", "--status", "proposed")
    assert Indicator.objects.get().status == "proposed"


def _flip(value: str, bits: int) -> str:
    number = int(value, 16)
    for bit in range(bits):
        number ^= 1 << (bit * 8 + 3)  # spread over the bands
    return format(number, "064x")


class _Item:
    def __init__(self, pdq: str, **hashes: str) -> None:
        self.hashes = {"pdq": pdq, **hashes}
        self.url_sha256 = ""


@pytest.mark.parametrize(("bits", "matches"), [(0, True), (1, True), (31, True), (32, False)])
def test_pdq_matches_within_hamming_distance_31(db, bits, matches):
    base = hexhash("pdq-base")
    _import(f"pdq,{base},known_csam,\n")
    found = match_many([_Item(_flip(base, bits))])[0]
    assert bool(found) is matches
    if matches:
        assert found[0].distance == bits


def test_pdq_near_match_finds_31_bits_clustered_in_few_bands(db):
    base = hexhash("pdq-base")
    _import(f"pdq,{base},known_csam,\n")
    number = int(base, 16) ^ ((1 << 31) - 1)  # 31 consecutive bits: two bands stay intact
    assert match_many([_Item(format(number, "064x"))])[0][0].distance == PDQ_THRESHOLD


def test_only_active_pdq_indicators_match(db):
    base = hexhash("pdq-base")
    _import(f"pdq,{base},known_csam,\n", status="proposed")
    assert match_many([_Item(_flip(base, 3))])[0] == []


def test_status_changes_follow_the_list_lifecycle(make_user, db):
    supervisor = make_user("centre_supervisor", "BE")
    _import(f"sha1,{hexhash('a', 40)},known_csam,", status="proposed")
    indicator = Indicator.objects.get()
    indicator = indicator_set_status(
        indicator=indicator,
        status="verified",
        actor=supervisor,
        reason="Checked against the source list",
    )
    indicator = indicator_set_status(
        indicator=indicator,
        status="active",
        actor=supervisor,
        reason="Checked against the source list",
    )
    indicator = indicator_set_status(
        indicator=indicator,
        status="quarantined",
        actor=supervisor,
        reason="Checked against the source list",
    )
    assert indicator.status == "quarantined"
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        indicator_set_status(
            indicator=indicator,
            status="proposed",
            actor=supervisor,
            reason="Checked against the source list",
        )


def test_a_caseworker_cannot_change_an_indicator(make_user, db):
    from django.core.exceptions import PermissionDenied

    _import(f"sha1,{hexhash('a', 40)},known_csam,", status="proposed")
    with pytest.raises(PermissionDenied):
        indicator_set_status(
            indicator=Indicator.objects.get(),
            status="verified",
            actor=make_user("centre_caseworker", "BE"),
            reason="Checked against the source list",
        )


def test_an_item_reported_before_links_to_the_earlier_report(submit, payload, make_user):
    first = submit(payload(provider_reference="first"))
    second = submit(payload(provider_reference="second"))
    caseworker = make_user("centre_caseworker", "BE")
    assert earlier_reports_of(second, caseworker) == [first]
    assert earlier_reports_of(first, caseworker) == []


def test_the_upload_page_imports_for_a_supervisor_and_refuses_a_caseworker(client, make_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    def upload():  # noqa: ANN202
        data = (HEADER + f"sha256,{hexhash('u')},known_csam,\n").encode()
        return client.post(
            "/reports/indicators/import/",
            {
                "file": SimpleUploadedFile("list.csv", data, content_type="text/csv"),
                "source": "hotline",
                "status": "active",
            },
        )

    client.force_login(make_user("centre_caseworker", "BE"))
    assert upload().status_code == 403
    client.force_login(make_user("centre_supervisor", "BE", username="sup-up"))
    response = upload()
    assert response.status_code == 302
    assert "1 indicators added" in client.get(response["Location"]).content.decode()
    assert Indicator.objects.filter(source="hotline").count() == 1


def test_the_upload_page_shows_row_errors_and_stores_nothing(client, make_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(make_user("centre_supervisor", "BE"))
    response = client.post(
        "/reports/indicators/import/",
        {
            "file": SimpleUploadedFile("list.csv", (HEADER + "md5,bad,known_csam,\n").encode()),
            "source": "hotline",
            "status": "active",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "Line 2" in response.content.decode()
    assert not Indicator.objects.exists()


def test_a_pdq_list_imported_after_a_lookup_matches_at_once(db):
    first, second = hexhash("pdq-first"), hexhash("pdq-second")
    _import(f"pdq,{first},known_csam,\n")
    assert match_many([_Item(second)])[0] == []  # the index is built without the second
    _import(f"pdq,{second},known_csam,\n", source="list-b")
    assert [m.distance for m in match_many([_Item(_flip(second, 5))])[0]] == [5]


def test_a_quarantined_pdq_indicator_stops_matching_at_once(make_user, db):
    base = hexhash("pdq-base")
    _import(f"pdq,{base},known_csam,\n")
    assert match_many([_Item(base)])[0]
    indicator_set_status(
        indicator=Indicator.objects.get(),
        status="quarantined",
        actor=make_user("centre_supervisor", "BE"),
        reason="Checked against the source list",
    )
    assert match_many([_Item(base)])[0] == []


def test_a_quarantined_pdq_indicator_stops_matching_in_a_batch_with_exact_hashes(make_user, db):
    # The batch path: the held index looks in a thread of its own and the token comes with
    # the exact lookups; what the stale index found must not count.
    base = hexhash("pdq-base")
    _import(f"pdq,{base},known_csam,\nmd5,{hexhash('m', 32)},known_csam,\n")
    batch = [_Item(base, md5=hexhash("m", 32)) for _ in range(20)]
    assert {m.algorithm for m in match_many(batch)[0]} == {"pdq", "md5"}
    indicator_set_status(
        indicator=Indicator.objects.get(algorithm="pdq"),
        status="quarantined",
        actor=make_user("centre_supervisor", "BE"),
        reason="Checked against the source list",
    )
    assert [[m.algorithm for m in found] for found in match_many(batch)] == [["md5"]] * 20


@pytest.mark.postgres
def test_a_held_index_needs_no_query_of_its_own(db, django_assert_num_queries):
    base = hexhash("pdq-base")
    _import(f"pdq,{base},known_csam,\n")
    item = _Item(base, md5=hexhash("m", 32))
    match_many([item])  # builds the index
    with django_assert_num_queries(1):  # the exact lookups, with the token
        assert [m.algorithm for m in match_many([item])[0]] == ["pdq"]


def test_a_pdq_indicator_activated_after_review_starts_matching(make_user, db):
    base = hexhash("pdq-base")
    _import(f"pdq,{base},known_csam,\n", status="proposed")
    assert match_many([_Item(base)])[0] == []
    supervisor = make_user("centre_supervisor", "BE")
    indicator = indicator_set_status(
        indicator=Indicator.objects.get(),
        status="verified",
        actor=supervisor,
        reason="Checked against the source list",
    )
    indicator_set_status(
        indicator=indicator,
        status="active",
        actor=supervisor,
        reason="Checked against the source list",
    )
    assert [m.indicator_id for m in match_many([_Item(base)])[0]] == [indicator.pk]


def test_a_rolled_back_pdq_import_leaves_no_match_behind(db):
    from django.db import transaction

    base = hexhash("pdq-rolled-back")
    with pytest.raises(RuntimeError), transaction.atomic():
        _import(f"pdq,{base},known_csam,\n")
        assert match_many([_Item(base)])[0]  # seen inside its own transaction
        raise RuntimeError
    assert match_many([_Item(base)])[0] == []


def test_one_match_per_indicator_when_several_bands_agree(db):
    base = hexhash("pdq-base")
    _import(f"pdq,{base},known_csam,\n")
    assert len(match_many([_Item(_flip(base, 2))])[0]) == 1


def _batch(base: str) -> list:
    """A batch large enough for its PDQ lookup to run beside the exact lookups."""
    from reports.matching import OVERLAP_FROM

    return [_Item(_flip(base, bits % 40)) for bits in range(OVERLAP_FROM + 4)]


def test_a_large_batch_matches_what_item_by_item_matching_finds(db):
    base = hexhash("pdq-base")
    _import(f"pdq,{base},known_csam,\n")
    batch = _batch(base)
    together = match_many(batch)
    assert together == [match_many([item])[0] for item in batch]
    assert [bool(m) for m in together] == [bits % 40 <= 31 for bits in range(len(batch))]


def test_a_failed_lookup_in_a_large_batch_fails_the_call(db, monkeypatch):
    from reports.pdq_index import PdqIndex

    base = hexhash("pdq-base")
    _import(f"pdq,{base},known_csam,\n")

    def broken(self, values, threshold=PDQ_THRESHOLD):  # noqa: ANN001, ANN202
        raise MemoryError("no room for the lookup")

    monkeypatch.setattr(PdqIndex, "search", broken)
    with pytest.raises(MemoryError):
        match_many(_batch(base))


@pytest.mark.postgres
def test_exact_matching_reads_the_hash_index_not_the_table(db):
    from django.db import connection

    from reports.matching import _EXACT_SQL

    rows = "\n".join(f"sha256,{hexhash(f'bulk-{n}')},known_csam," for n in range(3000))
    _import(rows + "\n")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reports_indicator")
        cursor.execute(
            "EXPLAIN " + _EXACT_SQL.format(indicator=Indicator._meta.db_table),
            [["sha256", "md5"], [hexhash("probe"), hexhash("probe", 32)]],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "indicator_lookup_eq_idx" in plan
    assert "Seq Scan on reports_indicator" not in plan
